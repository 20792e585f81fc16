"""A lead's answer replaces the vote; the row's model agreement is then judged on the
lead's answer by the same rule as every other row (categories, severity and spans)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from tests.audit.fakes import THREAT, FakeStudio, annotation, reviewed_tasks
from tests.integration.helpers import choices, span

ADJUDICATION = {"id": 9, "title": "p · adjudication"}


class StudioWithLead(FakeStudio):
    """FakeStudio plus `p · adjudication`, where a lead answered doc-a-p1."""

    def __init__(self, tasks: list[dict[str, Any]], lead: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.lead = lead

    def find_project(self, title: str) -> dict[str, Any] | None:
        return ADJUDICATION if title == ADJUDICATION["title"] else super().find_project(title)

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        return self.lead if project_id == ADJUDICATION["id"] else self.tasks


def rows(out: Path) -> dict[str, dict[str, Any]]:
    return {
        row["id"]: row
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        for row in [json.loads(line)]
    }


def test_an_adjudicated_row_agrees_with_the_model_only_on_every_field(tmp_path: Path) -> None:
    # the model said violent_threat + incitement, no severity, no span (tests/audit/fakes);
    # the lead keeps those categories but adds a critical severity and a threat span
    lead = [
        {
            "id": 91,
            "data": {"text": THREAT, "passage_id": "doc-a-p1"},
            "predictions": [],
            "annotations": [
                annotation(
                    901,
                    4,
                    [
                        choices("category", ["violent_threat", "incitement"]),
                        span(THREAT, "nobody leaves alive", "threat"),
                        choices("severity", ["critical"]),
                    ],
                    minute=30,
                    lead_time=8.0,
                )
            ],
        }
    ]
    studio = StudioWithLead(reviewed_tasks(), lead)
    export("p", tmp_path / "corpus", client=studio, salt="s")  # type: ignore[arg-type]
    row = rows(tmp_path / "corpus")["doc-a-p1"]
    assert row["resolution"] == "adjudicated"
    assert row["labels"] == ["violent_threat", "incitement"] == row["model_labels"]
    assert row["severity"] == "critical" and row["model_severity"] == ""
    # the same categories alone were counted as agreement for adjudicated rows only
    assert row["model_agreed"] is False
