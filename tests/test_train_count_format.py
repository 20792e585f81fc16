"""`annotate train` said "7580 task(s)" and "held out 120 of 1512 documents": counts
without the thousands separator every other CLI count has (``counted``: 17,410)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.training.sources import Example, _warn_repeated_passages
from annotate.training.sources.exports import _warn_if_unfinished
from annotate.training.validation_split import hold_out_validation


def test_an_unfinished_export_counts_with_thousands_separators(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    manifest = {"tasks_unanswered_in_label_studio": 7580, "rows": {"total": 12000}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with caplog.at_level(logging.WARNING, logger="annotate"):
        _warn_if_unfinished(tmp_path, manifest)
    assert "while 7,580 tasks in Label Studio had no answer yet (it holds 12,000 " in caplog.text


def test_an_export_without_rows_gets_no_unfinished_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An export of a project nobody answered yet: the error that it holds no rows follows;
    a warning that training on it "learns part of the review" before it said the opposite."""
    manifest = {"tasks_unanswered_in_label_studio": 31, "rows": {"total": 0}}
    with caplog.at_level(logging.WARNING, logger="annotate"):
        _warn_if_unfinished(tmp_path, manifest)
    assert "had no answer yet" not in caplog.text
    assert "7580" not in caplog.text and "12000" not in caplog.text


def test_a_held_out_validation_split_counts_with_thousands_separators(
    caplog: pytest.LogCaptureFixture,
) -> None:
    examples = [
        Example(text=f"t{i}", labels=set(), known=set(), split="train", source="s", doc_key=f"d{i}")
        for i in range(1500)
    ]
    with caplog.at_level(logging.WARNING, logger="annotate"):
        held = hold_out_validation(examples, 0, search=False)
    assert f"{held:,} of 1,500 training documents are held out" in caplog.text, caplog.text
    assert "1500" not in caplog.text


def test_passages_in_several_exports_count_with_thousands_separators(
    caplog: pytest.LogCaptureFixture,
) -> None:
    examples = [
        Example(
            text="t",
            labels=set(),
            known=set(),
            split="train",
            source=f"export:{s}",
            doc_key=f"d{i}",
            id=f"p{i}",
        )
        for i in range(1200)
        for s in ("a", "b")
    ]
    with caplog.at_level(logging.WARNING, logger="annotate"):
        _warn_repeated_passages(examples)
    assert "1,200 passage(s) are in more than one --data export" in caplog.text, caplog.text
