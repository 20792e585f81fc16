"""The answers a lead decided on stay in the export after a reviewer changes theirs
(passH53 H6): a reviewer who changed their answer after the lead decided left the row with
the new answer only; what was disputed and decided survived only in Label Studio (the
adjudication task's predictions and answers panel). The row's ``adjudication.decided_on``
(and so its decision record) keeps each reviewer's answer the adjudication task showed the
lead, and for one brought up to date after the decision, the answer the panel showed
before; comments in it are masked by ``--redact``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.audit.redact import RedactionSettings
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import BLANK_START, CHANGED_FIELD
from tests.audit.fakes import THREAT, StudioWithLead, lead_task, reviewed_tasks
from tests.integration.helpers import choices, comment

ANA, BEN = pseudonym(1, "s"), pseudonym(2, "s")
WAS = "Violent threat · severity high · comment: call jane.doe@example.org"


def _prediction(pid: int, who: str, result: list[dict[str, Any]], minute: int) -> dict[str, Any]:
    stamp = f"2026-06-01T10:{minute:02d}:00Z"
    return {
        "id": pid,
        "model_version": who,
        "result": result,
        "created_at": "2026-06-01T10:20:00Z",
        "updated_at": stamp,
    }


def _studio(kept: dict[str, str] | None = None) -> StudioWithLead:
    decided = [choices("category", ["violent_threat"]), choices("severity", ["high"])]
    lead = lead_task("doc-a-p1", THREAT, decided)  # the lead answered at minute 30
    lead["data"][CHANGED_FIELD] = {BEN: WAS} if kept is None else kept
    lead["predictions"] = [
        # ana's answer as the lead saw it
        _prediction(
            1,
            ANA,
            [choices("category", ["news_reporting"]), comment("a report, mail ana@example.org")],
            20,
        ),
        # ben's, brought up to date (minute 40) with the answer he changed after the decision
        _prediction(2, BEN, [choices("category", ["news_reporting"])], 40),
        _prediction(3, BLANK_START, [], 21),
    ]
    return StudioWithLead(reviewed_tasks(), [lead])


def _row(out: Path) -> dict[str, Any]:
    rows = [
        json.loads(x) for f in (out / "jsonl").glob("*.jsonl") for x in f.read_text().splitlines()
    ]
    return next(r for r in rows if r["id"] == "doc-a-p1")


def test_the_answers_the_lead_decided_on_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=_studio(), salt="s", decision_records=True)  # type: ignore[arg-type]
    row = _row(out)
    assert row["resolution"] == "adjudicated"
    ana, ben = row["adjudication"]["decided_on"]
    assert ana == {
        "reviewer": ANA,
        "categories": ["news_reporting"],
        "severity": "",
        "comment": "a report, mail ana@example.org",
        "changed_after_decision": False,
        "shown_to_lead": None,
        "shown_to_lead_status": "not changed",  # the lead saw this answer
    }
    assert ben["reviewer"] == BEN and ben["changed_after_decision"] is True
    assert ben["shown_to_lead"] == WAS and ben["categories"] == ["news_reporting"]
    assert ben["shown_to_lead_status"] == "recorded"
    records = [json.loads(x) for x in (out / "decision_records.jsonl").read_text().splitlines()]
    record = next(r["annotate"] for r in records if r["puid"] == "doc-a-p1")
    assert record["adjudication"]["decided_on"] == row["adjudication"]["decided_on"]
    # the HF copy holds it too
    from datasets import load_from_disk

    hf = [r for s in load_from_disk(str(out / "hf")).values() for r in s]
    assert (
        next(r for r in hf if r["id"] == "doc-a-p1")["adjudication"]["decided_on"][1][
            "shown_to_lead"
        ]
        == WAS
    )


def test_redact_masks_the_comments_the_lead_was_shown(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=_studio(), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    ana, ben = _row(out)["adjudication"]["decided_on"]
    assert "example.org" not in ana["comment"] and "[EMAIL" in ana["comment"]
    assert "example.org" not in ben["shown_to_lead"] and "Violent threat" in ben["shown_to_lead"]


def test_an_earlier_answer_not_kept_is_said_unknown_with_why(tmp_path: Path) -> None:
    """s54: shown_to_lead was null both for an answer the lead saw as given and for one
    changed after the decision whose earlier form adjudicate had not kept: the status
    says which, and why it is not known."""
    from annotate.review.collect import SHOWN_UNKNOWN_BLANK, SHOWN_UNKNOWN_NOT_KEPT

    for kept, why in (({}, SHOWN_UNKNOWN_NOT_KEPT), ({BEN: ""}, SHOWN_UNKNOWN_BLANK)):
        out = tmp_path / f"c{len(kept)}"
        export("p", out, client=_studio(kept), salt="s", decision_records=True)  # type: ignore[arg-type]
        ana, ben = _row(out)["adjudication"]["decided_on"]
        assert ana["shown_to_lead_status"] == "not changed"
        assert ben["changed_after_decision"] is True and ben["shown_to_lead"] is None
        assert ben["shown_to_lead_status"] == why and why.startswith("unknown: ")
        records = (out / "decision_records.jsonl").read_text().splitlines()
        record = next(json.loads(x)["annotate"] for x in records if '"doc-a-p1"' in x)
        assert record["adjudication"]["decided_on"][1]["shown_to_lead_status"] == why
