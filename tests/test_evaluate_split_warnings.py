"""`annotate evaluate --split test` warned of the export's train rows (newuser59 #6: `6 of
50 exported passages have no resolved category ... left out (train 6)` though only test
was scored): the per-row warnings of an export count the scored split's rows only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.evaluation.evaluate import scored_examples
from annotate.training.sources import DataSource


def _export(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "jsonl").mkdir(parents=True)
    (corpus / "manifest.json").write_text(json.dumps({"taxonomy": {"version": "1.0.0"}}))
    rows = {
        "train": [
            {"id": "a", "text": "We will burn it down.", "labels": ["incitement"]},
            {"id": "b", "text": "A tie.", "labels": [], "label_tie": True},
            {"id": "c", "text": "Another tie.", "labels": [], "label_tie": True},
        ],
        "test": [
            {"id": "d", "text": "They will pay for this.", "labels": ["violent_threat"]},
            {"id": "e", "text": "A test tie.", "labels": [], "label_tie": True},
        ],
    }
    for split, items in rows.items():
        (corpus / "jsonl" / f"{split}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in items)
        )
    return corpus


def _unresolved(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "no resolved category" in r.getMessage()]


def test_a_split_scored_alone_is_warned_of_its_own_rows_only(
    tmp_path: Path, taxonomy, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = _export(tmp_path)
    with caplog.at_level("WARNING"):
        examples, _ = scored_examples([], taxonomy, [DataSource(str(corpus))], "test", 0)
    assert [e.id for e in examples] == ["d"]
    said = _unresolved(caplog)
    assert len(said) == 1, said
    assert "1 of 2 exported passages have no resolved category" in said[0], said
    assert said[0].endswith("(test 1)"), said
    caplog.clear()
    with caplog.at_level("WARNING"):
        scored_examples([], taxonomy, [DataSource(str(corpus))], "all", 0)
    said = _unresolved(caplog)
    assert len(said) == 1 and "3 of 5 exported passages" in said[0], said
    assert said[0].endswith("(train 2, test 1)"), said


def test_no_warning_when_the_scored_split_has_no_such_rows(
    tmp_path: Path, taxonomy, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = _export(tmp_path)
    lines = (corpus / "jsonl" / "test.jsonl").read_text().splitlines()
    (corpus / "jsonl" / "test.jsonl").write_text(lines[0] + "\n")  # no tie in test
    with caplog.at_level("WARNING"):
        scored_examples([], taxonomy, [DataSource(str(corpus))], "test", 0)
    assert _unresolved(caplog) == []
