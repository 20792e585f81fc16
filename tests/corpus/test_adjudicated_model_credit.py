"""A lead's answer replaces the vote; the row's model agreement is then judged on the
lead's answer by the same rule as every other row (categories, severity and spans)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from tests.audit.fakes import THREAT, StudioWithLead, lead_task, reviewed_tasks
from tests.integration.helpers import choices, span


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
    result = [
        choices("category", ["violent_threat", "incitement"]),
        span(THREAT, "nobody leaves alive", "threat"),
        choices("severity", ["critical"]),
    ]
    lead = [lead_task("doc-a-p1", THREAT, result)]
    studio = StudioWithLead(reviewed_tasks(), lead)
    export("p", tmp_path / "corpus", client=studio, salt="s")  # type: ignore[arg-type]
    row = rows(tmp_path / "corpus")["doc-a-p1"]
    assert row["resolution"] == "adjudicated"
    assert row["labels"] == ["violent_threat", "incitement"] == row["model_labels"]
    assert row["severity"] == "critical" and row["model_severity"] == ""
    # the same categories alone were counted as agreement for adjudicated rows only
    assert row["model_agreed"] is False
