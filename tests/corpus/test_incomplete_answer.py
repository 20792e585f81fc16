"""Stop 48 F21: an answer with no category (Label Studio's API and imports accept one,
although the labeling config marks the categories required) was exported as a tie with
``resolution: "unanimous"`` and ``n_reviewers: 1``. It is now an incomplete answer: no tie,
resolution ``incomplete``, counted apart in the counts and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.report import _incomplete_note
from annotate.audit.stats import counts
from annotate.cli import main
from annotate.corpus.resolve import INCOMPLETE, resolution
from annotate.corpus.rows import task_to_row
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks

TAX = load_taxonomy()
TEXT = "If you show your face at the depot again I will break your legs."


def _task(results: list[list[dict]]) -> dict:
    return {
        "id": 9,
        "data": {"text": TEXT, "passage_id": "p9"},
        "annotations": [
            {
                "id": 20 + i,
                "completed_by": i + 1,
                "created_at": "t",
                "updated_at": "t",
                "result": result,
            }
            for i, result in enumerate(results)
        ],
    }


def _choices(name: str, values: list[str]) -> dict:
    return {
        "from_name": name,
        "to_name": "passage",
        "type": "choices",
        "value": {"choices": values},
    }


def _row(results: list[list[dict]]) -> dict:
    row = task_to_row(_task(results), TAX, salt="s")
    anns = row["annotations"]
    row["resolution"] = resolution(
        [a["categories"] for a in anns],
        [a["severity"] for a in anns],
        category_order=TAX.category_names,
    )
    return row


def test_an_answer_with_only_a_severity_is_incomplete_not_a_tie() -> None:
    row = _row([[_choices("severity", ["low"])]])
    assert row["label_tie"] is False and row["resolution"] == INCOMPLETE
    assert row["labels"] == [] and row["n_reviewers"] == 1
    c = counts([row], TAX.category_names, TAX.severity_names)
    assert c["label_ties"] == 0
    assert c["incomplete_answers"] == 1 and c["passages_without_category"] == 1
    note = _incomplete_note(c)
    assert "1 answer(s) chose no category" in note and "not counted as ties" in note
    assert "resolution `incomplete`" in note


def test_an_incomplete_answer_beside_a_complete_one_does_not_vote() -> None:
    row = _row(
        [
            [_choices("category", ["violent_threat"]), _choices("severity", ["high"])],
            [_choices("severity", ["high"])],
        ]
    )
    assert row["labels"] == ["violent_threat"] and row["label_tie"] is False
    # one answer chose categories: no vote to agree on (break4 B5; was "unanimous")
    assert row["resolution"] == "single"
    c = counts([row], TAX.category_names, TAX.severity_names)
    assert c["incomplete_answers"] == 1 and c["passages_without_category"] == 0
    assert "no other answer" not in _incomplete_note(c)
    assert _incomplete_note({"incomplete_answers": 0}) == ""


def test_export_counts_an_answer_without_a_category_apart_from_ties(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import annotate.corpus.export as export_module

    tasks = reviewed_tasks()
    only = next(t for t in tasks if t["data"]["passage_id"] == "doc-c-p1")
    only["annotations"][0]["result"] = [_choices("severity", ["low"])]
    monkeypatch.setattr(export_module, "connect", lambda: FakeStudio(tasks))
    with pytest.raises(SystemExit) as done:
        main(["export", "-p", "p", "-o", str(tmp_path / "c")])
    assert done.value.code == 0
    captured = capsys.readouterr()
    said = " ".join((captured.out + captured.err).split())
    assert "0 tie(s), 1 answer(s) without a category (incomplete" in said, said
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["label_ties"] == 0 and manifest["incomplete_answers"] == 1
    assert manifest["passages_without_category"] == 1
    md = " ".join((tmp_path / "c" / "report" / "report.md").read_text().split())
    assert "1 answer(s) chose no category" in md and "0 tied or undecided votes" in md
