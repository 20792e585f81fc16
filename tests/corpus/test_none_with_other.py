"""An answer that pairs `none` ("Nothing above applies") with another category (audit 49,
A15): Label Studio's Choices tag cannot make one choice exclusive, and the export took
such an answer silently as a vote for both. It is now read as incomplete (no vote on the
categories: which half the reviewer meant is unknown), counted in the manifest, named in
the report and warned by `annotate export`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.cli.export import none_with_other_warning
from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.integration.helpers import choices


def _contradicted() -> list[dict[str, Any]]:
    """reviewed_tasks() with the only answer on doc-a-p0 (news_reporting) made
    ``[news_reporting, none]``."""
    tasks = reviewed_tasks()
    first = tasks[0]
    assert first["data"]["passage_id"] == "doc-a-p0" and len(first["annotations"]) == 1
    first["annotations"][0]["result"][0] = choices("category", ["news_reporting", "none"])
    return tasks


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    rows = {}
    for split in (out / "jsonl").glob("*.jsonl"):
        for line in split.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def test_none_with_another_category_is_an_incomplete_answer_counted_and_warned(
    tmp_path: Path,
) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_contradicted()), salt="s")  # type: ignore[arg-type]
    row = _rows(out)["doc-a-p0"]
    # no vote on the categories: not labelled news_reporting (nor none) on a contradiction
    assert row["labels"] == [] and row["resolution"] == "incomplete", row["labels"]
    assert row["annotations"][0]["categories"] == []
    # its severity would still vote, but `low` beside no harmful category (news_reporting
    # and none) is a harmful severity with no harmful category: read as none given
    # (stop 51, tests/corpus/test_severity_without_harm.py), the choice kept
    assert row["severity"] == "" and row["annotations"][0]["severity_answered"] == "low"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["answers_none_with_other"] == {
        "answers": 1,
        "passages": 1,
        "examples": ["doc-a-p0"],
    }
    assert manifest["incomplete_answers"] == 1
    said = none_with_other_warning(manifest)
    assert said is not None and "1 answer(s) chose `none`" in said and "doc-a-p0" in said
    assert "untick" in said
    report = (out / "report" / "report.md").read_text(encoding="utf-8")
    assert "together with another category" in report and "`doc-a-p0`" in report


def test_an_export_without_such_answers_says_nothing(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["answers_none_with_other"]["answers"] == 0
    assert none_with_other_warning(manifest) is None
    report = (out / "report" / "report.md").read_text(encoding="utf-8")
    assert "together with another category" not in report


def test_the_answered_categories_are_kept_and_shown_to_the_lead_as_contradictory(
    tmp_path: Path,
) -> None:
    """break49 B2: the row kept `categories: []` alone, so the lead's answers panel said
    "(no category)" of an answer that chose two."""
    from annotate.review.adjudication import _describe
    from annotate.taxonomy import load_taxonomy

    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_contradicted()), salt="s")  # type: ignore[arg-type]
    answer = _rows(out)["doc-a-p0"]["annotations"][0]
    assert answer["categories"] == []  # still no vote
    assert sorted(answer["categories_answered"]) == ["news_reporting", "none"]
    tax = load_taxonomy()
    titles = {c.name: c.title for c in tax.categories}
    line = _describe("r-1", answer, tax)
    assert "(no category)" not in line and "(contradictory: no vote)" in line, line
    assert titles["news_reporting"] in line and titles["none"] in line, line
    # one schema in every format the export writes
    assert "categories_answered" in tax.export_features()["annotations"].feature
    # an answer that chose nothing is still said to
    assert "(no category)" in _describe("r-2", {**answer, "categories_answered": []}, tax)
    # every other answer records what it chose in both
    other = _rows(out)
    assert all(
        a["categories_answered"] == a["categories"]
        for rid, row in other.items()
        if rid != "doc-a-p0"
        for a in row["annotations"]
    )
