"""An auditor reading report.md alone could not say who labelled what (the workload
table counts answers, not the categories each pseudonym chose, nor the model whose
pre-labels each started from), the lead-time table left the lead's answers out without
saying so, and an export without gold answers showed a gold table with no rows. These
are stated now; the per-reviewer counts are recounted with pandas from the rows."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import THREAT, StudioWithLead, lead_task, reviewed_tasks
from tests.integration.helpers import choices


def test_report_md_says_who_labelled_what(tmp_path: Path) -> None:
    result = [choices("category", ["incitement"]), choices("severity", ["high"])]
    studio = StudioWithLead(reviewed_tasks(), [lead_task("doc-a-p1", THREAT, result)])
    out = tmp_path / "corpus"
    export("p", out, client=studio, salt="s")  # type: ignore[arg-type]
    numbers = json.loads((out / "report" / "report.json").read_text())
    md = (out / "report" / "report.md").read_text()
    frame = pd.concat(
        [pd.read_json(p, lines=True) for p in sorted((out / "jsonl").glob("*.jsonl"))],
        ignore_index=True,
    )
    answers = frame.explode("annotations").dropna(subset=["annotations"])
    chosen = pd.DataFrame(
        {
            "reviewer": answers["annotations"].map(lambda a: a["reviewer"]),
            "categories": answers["annotations"].map(lambda a: a["categories"]),
            # credited only where the answer records starting from the prediction
            "model": answers["annotations"].map(
                lambda a: a["model_version"] if a["started_from_prediction"] else None
            ),
        }
    )
    decided = frame[frame["resolution"] == "adjudicated"]
    chosen = pd.concat(
        [
            chosen,
            pd.DataFrame(
                {
                    "reviewer": decided["adjudicator"],
                    "categories": decided["labels"],
                    "model": None,  # a lead's answer: never the model's pre-labels
                }
            ),
        ],
        ignore_index=True,
    )
    per = numbers["reviewer_answers"]
    lead = pseudonym(4, "s")
    assert lead in per and per[lead]["categories"]["incitement"] == 1
    for name, group in chosen.groupby("reviewer"):
        got = per[name]
        assert got["answers"] == len(group)
        counts = group["categories"].explode().value_counts()
        for cat, n in got["categories"].items():
            assert n == int(counts.get(cat, 0)), (name, cat)
        assert got["started_from"] == group["model"].dropna().value_counts().to_dict()
        assert got["no_start_recorded"] == int(group["model"].isna().sum()) - got["adjudications"]
        cells = " | ".join(str(v) for v in got["categories"].values())
        assert f"| {name} | {got['answers']} | {cells} |" in md
    # the lead's answer is outside the lead-time figures, and said so
    assert "the lead's 1 adjudication answer(s) (1 timed) took 8.0 s in all" in md
    # no gold answer: a sentence, not a table without rows
    assert "| reviewer | gold items |" not in md
    assert "No reviewer answered a gold task" in md
