"""`annotate escalations` kept listing a reviewer's `high` on a passage the lead had
already decided `low` in `NAME · adjudication`, without a word (passA50 P8): the line and
the webhook payload now carry the lead's decision."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

import annotate.review.escalations as escalations
from tests.conftest import project_taxonomy
from tests.test_cli import run

WHEN = "2026-12-06T04:21:42.570139Z"


def _row(pid: str, resolution: str, severity: str, labels: list[str]) -> dict[str, Any]:
    ann = {"reviewer": "r-ben", "severity": "high", "categories": ["violent_threat"]}
    return {
        "id": pid,
        "doc_id": f"docs/{pid}.txt",
        "source": "s",
        "text": "t",
        "resolution": resolution,
        "severity": severity,
        "labels": labels,
        "annotations": [{**ann, "created_at": WHEN}],
    }


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    rows = [
        _row("court", "adjudicated", "low", ["news_reporting"]),  # the lead overruled ben
        _row("forum", "tie", "high", []),  # still open: no lead decision
    ]
    lead = {"passage": "court", "reviewer": "r-lead", "severity": "low",
            "categories": ["news_reporting"], "created_at": WHEN}  # fmt: skip
    monkeypatch.setattr(
        escalations, "collect", lambda *a, **k: SimpleNamespace(rows=rows, adjudications=[lead])
    )


def test_an_answer_the_lead_overruled_carries_the_decision(answers: None) -> None:
    found = escalations.pending(object(), "P", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    decisions = {e.passage: e.lead_decision for e in found}
    assert decisions == {
        "court": {"severity": "low", "categories": ["news_reporting"]},
        "forum": None,
    }


def test_the_listing_marks_it_and_the_webhook_gets_it(
    answers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.cli.review.escalations as cli
    import annotate.studio.client

    monkeypatch.setattr(annotate.studio.client, "connect", lambda: object())
    monkeypatch.setattr(cli, "lead_names", lambda names, client, salt=None: {})
    posted: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        posted.append(json.loads(request.content))
        return httpx.Response(200)

    real = httpx.Client
    monkeypatch.setattr(
        escalations.httpx,
        "Client",
        lambda **kw: real(**{**kw, "transport": httpx.MockTransport(handler)}),
    )
    ran = run("escalations", "--project", "P", "--webhook", "http://hook.invalid/")
    assert ran.returncode == 0, ran.stderr
    lines = {line.split("\t")[1]: line for line in ran.stdout.splitlines() if "\t" in line}
    assert lines["court"].endswith("\tlead decided: low (news_reporting)"), lines
    assert "lead decided" not in lines["forum"]
    said = " ".join(ran.stderr.split())
    assert "2 escalation(s) not yet delivered (1 on passages the lead has decided" in said, said
    by_passage = {p["passage"]: p for p in posted}
    assert by_passage["court"]["lead_decision"] == {
        "severity": "low",
        "categories": ["news_reporting"],
    }
    assert by_passage["forum"]["lead_decision"] is None


def test_a_decision_that_left_the_severity_open_says_so() -> None:
    decided = escalations.lead_decided({"severity": "", "categories": ["violent_threat"]})
    assert decided == "lead decided: no severity (violent_threat)"
