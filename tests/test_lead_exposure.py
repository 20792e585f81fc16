"""The lead (adjudicator) reads the most disputed passages: their decisions count in
exposure.json and the report's workload (role ``adjudication``), and a decision at high
or critical escalates once, like a reviewer's answer."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

import annotate.review.escalations as escalations
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import PERSONAL, StudioWithLead, lead_task, reviewed_tasks
from tests.conftest import project_taxonomy
from tests.integration.helpers import choices

LEAD = pseudonym(4, "s")  # lead_task's user


def studio() -> StudioWithLead:
    # the only reviewer of doc-c-p0 said medium; the lead raises it to high
    result = [choices("category", ["incitement"]), choices("severity", ["high"])]
    return StudioWithLead(reviewed_tasks(), [lead_task("doc-c-p0", PERSONAL, result)])


def test_the_leads_decisions_count_in_exposure_and_workload(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=studio(), salt="s")  # type: ignore[arg-type]
    exposure = json.loads((out / "exposure.json").read_text())
    assert exposure["roles"][LEAD] == ["adjudication"]
    (day,) = exposure["reviewers"][LEAD].values()
    assert day == {"answers": 1, "graphic": 0, "high_severity": 1, "adjudications": 1}
    assert all(r == ["reviewer"] for name, r in exposure["roles"].items() if name != LEAD)
    numbers = json.loads((out / "report" / "report.json").read_text())
    lead = numbers["workload"][LEAD]
    assert lead["role"] == "adjudication" and lead["adjudications"] == 1
    assert lead["annotations"] == 1 and lead["high_severity"] == 1
    assert numbers["exposure"][LEAD]["role"] == "adjudication"
    assert "| adjudication |" in (out / "report" / "report.md").read_text()


def test_a_lead_raising_a_passage_to_high_escalates_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    tax = project_taxonomy()
    found = escalations.pending(studio(), "p", tax, salt="s")  # type: ignore[arg-type]
    lead = [e for e in found if e.passage == "doc-c-p0"]
    assert [(e.reviewer, e.severity, e.role) for e in lead] == [(LEAD, "high", "adjudication")]
    posted: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        posted.append(json.loads(request.content))
        return httpx.Response(200)

    real = httpx.Client
    monkeypatch.setattr(
        escalations.httpx,
        "Client",
        lambda **kw: real(**{**kw, "transport": httpx.MockTransport(handler)}),
    )
    assert escalations.deliver("p", found, "http://hook.invalid/") == (len(found), [])
    assert {"passage": "doc-c-p0", "role": "adjudication", "reviewer": LEAD}.items() <= next(
        p for p in posted if p["passage"] == "doc-c-p0"
    ).items()
    assert escalations.pending(studio(), "p", tax, salt="s") == []  # type: ignore[arg-type]


def test_a_passage_one_reviewer_called_graphic_counts_for_everyone_who_read_it() -> None:
    """A stabbing described in a news passage, which the model scored 0.33 for graphic
    violence: one reviewer marked it graphic, the other (who read the same text) answered
    news only, and exposure.json gave the second 0 graphic passages."""
    from annotate.review.exposure import exposure

    def ann(who: str, categories: list[str]) -> dict[str, object]:
        return {"reviewer": who, "categories": categories, "severity": "medium",
                "created_at": "2026-12-01T10:00:00Z"}  # fmt: skip

    row = {
        "id": "p1",
        "model_labels": ["none"],
        "model_scores": {"graphic_violence": 0.33},
        "annotations": [ann("r-a", ["news_reporting", "graphic_violence"]),
                        ann("r-b", ["news_reporting"])],
    }  # fmt: skip
    # p2: a score below the hiding threshold (0.1), so only the lead's answer makes it graphic
    quiet = {**row, "id": "p2", "model_scores": {"graphic_violence": 0.05},
             "annotations": [ann("r-b", ["news_reporting"])]}  # fmt: skip
    lead = [{**ann("r-lead", ["graphic_violence"]), "passage": "p2"}]
    levels = ["none", "low", "medium", "high", "critical"]
    days = exposure([row, quiet], levels, lead)["reviewers"]
    assert days["r-a"]["2026-12-01"]["graphic"] == 1
    assert days["r-b"]["2026-12-01"]["graphic"] == 2  # the lead called p2 graphic
    assert days["r-lead"]["2026-12-01"]["graphic"] == 1
    assert exposure([quiet], levels)["reviewers"]["r-b"]["2026-12-01"]["graphic"] == 0
