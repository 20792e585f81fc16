"""A table whose date column has a name of its own (``Posted (UTC)``) had every row's
``date`` null, the value only in ``meta`` (which reviewers never see), and nothing said
(passI53 I5). ``ingest --date-column NAME`` takes it, as ``--id-column`` does ids; without
it, a table with no known date column but a column named like one (date, time, posted,
...) is warned of with the option to pass; a ``--date-column`` the table lacks is warned
of with the column like it. Passage ids do not depend on the date column."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.ingestion import ingest

FORUM = (
    "Post ID;Thread;Posted (UTC);Author Handle;Body Text\n"
    "101;city-council;2026-11-02 08:14;greywolf;You have 24 hours to take this down.\n"
    "102;city-council;2026-11-02 09:00;mod;Please keep the discussion civil.\n"
)


def _forum(tmp_path: Path) -> Path:
    path = tmp_path / "forum.csv"
    path.write_text(FORUM, encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def _ingest(src: Path, out: Path, **kw) -> None:
    ingest(
        [src],
        out,
        delimiter=";",
        text_column="Body Text",
        id_column="Post ID",
        min_chars=0,
        near_dup_threshold=None,
        **kw,
    )


def test_date_column_names_the_rows_date(tmp_path: Path) -> None:
    src = _forum(tmp_path)
    _ingest(src, tmp_path / "plain.parquet")
    _ingest(src, tmp_path / "dated.parquet", date_column="Posted (UTC)")
    plain, dated = _rows(tmp_path / "plain.parquet"), _rows(tmp_path / "dated.parquet")
    assert [r["date"] for r in plain] == [None, None]
    assert [r["date"] for r in dated] == ["2026-11-02 08:14", "2026-11-02 09:00"]
    assert json.loads(dated[0]["meta"]) == {"Thread": "city-council", "Author Handle": "greywolf"}
    assert [r["id"] for r in dated] == [r["id"] for r in plain]  # ids do not depend on it
    settings = json.loads(dated[0]["ingest_run"])["settings"]
    assert settings["date_column"] == "Posted (UTC)"
    assert "date_column" not in json.loads(plain[0]["ingest_run"])["settings"]


def test_a_column_named_like_a_date_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = _forum(tmp_path)
    with caplog.at_level(logging.WARNING):
        _ingest(src, tmp_path / "plain.parquet")
    said = [r.getMessage() for r in caplog.records if "no date column" in r.getMessage()]
    assert len(said) == 1
    assert "'Posted (UTC)' stays in meta" in said[0]
    assert "--date-column 'Posted (UTC)'" in said[0]


def test_no_warning_when_a_date_column_is_found_or_none_is_likely(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dated = tmp_path / "dated.jsonl"
    dated.write_text(json.dumps({"id": 1, "text": "some words here", "posted_at": "x"}) + "\n")
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({"id": 1, "text": "some words here", "likes": 3}) + "\n")
    with caplog.at_level(logging.WARNING):
        ingest([dated], tmp_path / "a.parquet", min_chars=0, near_dup_threshold=None)
        ingest([plain], tmp_path / "b.parquet", min_chars=0, near_dup_threshold=None)
    assert not [r for r in caplog.records if "date" in r.getMessage()]


def test_a_date_column_the_table_lacks_is_warned_of_with_the_likely_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = _forum(tmp_path)
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(
            app,
            [
                "ingest",
                str(src),
                "--delimiter",
                ";",
                "--text-column",
                "Body Text",
                "--id-column",
                "Post ID",
                "--date-column",
                "posted",
                "--out",
                str(tmp_path / "o.parquet"),
            ],
        )
    assert result.exit_code == 0, result.output
    (said,) = [r.getMessage() for r in caplog.records if "--date-column" in r.getMessage()]
    assert "has no column 'posted' (--date-column)" in said
    assert "pass --date-column 'Posted (UTC)'" in said
    assert [r["date"] for r in _rows(tmp_path / "o.parquet")] == [None, None]
