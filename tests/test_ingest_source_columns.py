"""Ingest takes a news export's ``article_url`` and a forum's ``permalink`` as the
document's source, as it takes ``url`` and ``link`` (they went to ``meta`` and the source
was the row's place in the file); passage ids do not depend on the source."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annotate.ingestion import ingest


@pytest.mark.parametrize("column", ["url", "link", "permalink", "article_url", "Article_URL"])
def test_a_url_like_column_is_the_source_and_ids_stay(tmp_path: Path, column: str) -> None:
    row = {"id": "d1", "text": "a document of a few words", "other": 1}
    plain, with_url = tmp_path / "plain.jsonl", tmp_path / "url.jsonl"
    plain.write_text(json.dumps(row) + "\n")
    with_url.write_text(json.dumps({**row, column: "https://example.org/a"}) + "\n")
    ingest([plain], tmp_path / "plain.parquet", min_chars=0)
    ingest([with_url], tmp_path / "url.parquet", min_chars=0)
    (before,) = pq.read_table(tmp_path / "plain.parquet").to_pylist()
    (got,) = pq.read_table(tmp_path / "url.parquet").to_pylist()
    assert got["source"] == "https://example.org/a"
    assert json.loads(got["meta"]) == {"other": 1}  # not kept twice
    assert got["id"] == before["id"]
