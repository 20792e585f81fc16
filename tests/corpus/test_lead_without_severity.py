"""A lead who answers a disputed passage's categories and leaves the severity blank (the
severity is not required in the labeling view) erased the severity both reviewers agreed
on: the row's severity became "" where the reviewers had said `high`. As a reviewer's
answer without a severity does not vote on it, the lead's leaves it to the reviewers' vote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from tests.audit.fakes import StudioWithLead, annotation, lead_task, reviewed_tasks, task
from tests.integration.helpers import choices

TEXT = "If the council shows up on Saturday we will be waiting with bats."


def _answer(ann_id: int, user: int, categories: list[str], severity: str) -> dict[str, Any]:
    result = [choices("category", categories), choices("severity", [severity])]
    return annotation(ann_id, user, result, minute=ann_id % 60, lead_time=5.0)


def _row(
    tmp_path: Path,
    lead_result: list[dict[str, Any]],
    severities: tuple[str, str] = ("high", "high"),
) -> dict[str, Any]:
    disputed = task(
        21,
        "doc-d-p0",
        TEXT,
        doc="doc-d",
        index=0,
        model_labels=["violent_threat"],
        annotations=[
            _answer(201, 1, ["violent_threat"], severities[0]),
            _answer(202, 2, ["violent_threat", "incitement"], severities[1]),
        ],
    )
    studio = StudioWithLead(
        [*reviewed_tasks(), disputed], [lead_task("doc-d-p0", TEXT, lead_result)]
    )
    export("p", tmp_path / "c", client=studio, salt="s")  # type: ignore[arg-type]
    for path in (tmp_path / "c" / "jsonl").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            if row["id"] == "doc-d-p0":
                return row
    raise AssertionError("doc-d-p0 not exported")


def test_a_lead_answer_without_severity_keeps_the_reviewers_severity(tmp_path: Path) -> None:
    row = _row(tmp_path, [choices("category", ["violent_threat"])])
    assert row["resolution"] == "adjudicated"
    assert row["severity"] == "high"  # was "": the reviewers' agreed severity erased


@pytest.mark.parametrize("severity", ["medium", "low"])
def test_a_lead_severity_still_decides(tmp_path: Path, severity: str) -> None:
    row = _row(tmp_path, [choices("category", ["violent_threat"]), choices("severity", [severity])])
    assert (row["resolution"], row["severity"]) == ("adjudicated", severity)


def test_a_lead_severity_none_beside_a_harm_is_read_as_none_given(tmp_path: Path) -> None:
    # passC50 R1: `none` ("no harmful content") beside violent_threat contradicts it, so
    # it is read as no severity from the lead: the reviewers' agreed severity stands
    row = _row(tmp_path, [choices("category", ["violent_threat"]), choices("severity", ["none"])])
    assert (row["resolution"], row["severity"]) == ("adjudicated", "high")


def test_a_lead_answer_without_severity_decides_no_severity_the_reviewers_tied_on(
    tmp_path: Path,
) -> None:
    row = _row(tmp_path, [choices("category", ["violent_threat"])], ("high", "critical"))
    assert (row["resolution"], row["severity"]) == ("adjudicated", "")
