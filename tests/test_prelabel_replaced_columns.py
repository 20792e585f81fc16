"""A table given to prelabel with a column prelabel writes (a team's own ``labels``) loses
it in the output; that is said once, before the model loads (it was replaced without a
word). A pre-label table relabelled by a newer model has those columns by design."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from annotate.prelabeling import precheck_rows


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_an_own_labels_column_is_warned_of(tmp_path: Path, caplog) -> None:
    path = _jsonl(tmp_path / "mine.jsonl", [{"id": "a", "text": "t", "labels": ["x"]}])
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling"):
        precheck_rows(path)
    assert "has column(s) 'labels', which prelabel writes" in caplog.text
    assert "rename them in the input to keep them in the output" in caplog.text


def test_a_prelabel_table_relabelled_is_not_warned_of(tmp_path: Path, caplog) -> None:
    row = {"id": "a", "text": "t", "labels": [], "scores": {}, "spans": [], "model_version": "m"}
    path = _jsonl(tmp_path / "pre.jsonl", [row])
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling"):
        precheck_rows(path)
        precheck_rows(_jsonl(tmp_path / "plain.jsonl", [{"id": "a", "text": "t"}]))
    assert "which prelabel writes" not in caplog.text
