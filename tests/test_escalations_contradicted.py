"""`annotate escalations` and `export` disagreed on answers whose harmful severity
contradicts their categories (none harmful: only `none`, or only context labels such as
`news_reporting`; newuser60 #10): export, agreement and review status read them as no
severity given, while escalations left a reviewer's such `high` out without a word (it
read the severity export had emptied) and listed a lead's unmarked. Safety first: both are
listed now, at the severity chosen, marked with the contradiction, and counted in a
warning naming the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import annotate.review.escalations as escalations
from annotate.corpus.rows import HARMFUL_SEVERITY_NONE, SEVERITY_WITHOUT_HARM
from tests.audit.fakes import FakeStudio
from tests.conftest import project_taxonomy
from tests.corpus.test_severity_without_harm import _contradicted
from tests.integration.helpers import choices
from tests.test_cli import run


@pytest.fixture(autouse=True)
def _home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))


def test_a_reviewers_high_with_no_harmful_category_is_listed_and_marked() -> None:
    # doc-b-p0: reviewer 1 chose `none` with severity `high` (export: no severity)
    found = escalations.pending(FakeStudio(_contradicted()), "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    by_passage = {(e.passage, e.severity): e for e in found}
    museum = by_passage[("doc-b-p0", "high")]
    assert museum.categories == ["none"] and museum.role == "reviewer"
    assert museum.contradiction == SEVERITY_WITHOUT_HARM
    threat = [e for e in found if e.passage == "doc-a-p1"]
    assert threat and all(e.contradiction is None for e in threat)


def test_a_leads_such_answer_is_marked_too(tmp_path: Path) -> None:
    from tests.corpus.test_answer_start_traced import StudioWithLead, _lead, _tasks

    result = [choices("category", ["news_reporting"]), choices("severity", ["high"])]
    studio = StudioWithLead(_tasks(), [_lead(result, None)])
    found = escalations.pending(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    lead = [e for e in found if e.role == "adjudication"]
    assert [(e.passage, e.severity, e.contradiction) for e in lead] == [
        ("doc-a-p1", "high", SEVERITY_WITHOUT_HARM)
    ]


def test_the_listing_marks_and_counts_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import annotate.cli.review.escalations as cli
    import annotate.studio.client

    studio: Any = FakeStudio(_contradicted())
    monkeypatch.setattr(annotate.studio.client, "connect", lambda: studio)
    monkeypatch.setattr(cli, "lead_names", lambda names, client, salt=None: {})
    ran = run("escalations", "--project", "p")
    assert ran.returncode == 0, ran.stderr
    lines = [line for line in ran.stdout.splitlines() if "\tdoc-b-p0\t" in line]
    assert len(lines) == 1, ran.stdout
    assert lines[0].startswith("high\t")
    assert lines[0].endswith("\tno harmful category: export reads no severity"), lines
    assert all(
        "no harmful category" not in line for line in ran.stdout.splitlines() if "doc-a-p1" in line
    )
    said = " ".join(ran.stderr.split())
    assert "warning: 1 of them chose a harmful severity with no harmful category" in said, said
    assert "read as no severity given; listed all the same" in said
    assert "Fix: have them choose the harmful category, or severity `none`" in said


def test_a_harmful_category_with_severity_none_is_listed_and_marked() -> None:
    """The inverse (newuser60 left): incitement with severity `none` is read as no severity
    by export, so its level is unknown; it was below `high` and dropped without a word.
    Listed now at `none`, marked ``harmful_severity_none``; a plain `none` is not."""
    from tests.corpus.test_harmful_severity_none import _contradicted as harm_none

    found = escalations.pending(FakeStudio(harm_none()), "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    listed = [(e.passage, e.severity, e.categories, e.contradiction) for e in found]
    assert ("doc-c-p0", "none", ["incitement"], HARMFUL_SEVERITY_NONE) in listed, listed
    assert all(e.severity != "none" for e in found if e.passage != "doc-c-p0"), listed


def test_a_leads_harmful_category_at_none_is_listed_too() -> None:
    from tests.corpus.test_answer_start_traced import StudioWithLead, _lead, _tasks

    result = [choices("category", ["violent_threat"]), choices("severity", ["none"])]
    studio = StudioWithLead(_tasks(), [_lead(result, None)])
    found = escalations.pending(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    lead = [e for e in found if e.role == "adjudication"]
    assert [(e.passage, e.severity, e.contradiction) for e in lead] == [
        ("doc-a-p1", "none", HARMFUL_SEVERITY_NONE)
    ]


def test_the_listing_marks_and_counts_harmful_at_none(monkeypatch: pytest.MonkeyPatch) -> None:
    import annotate.cli.review.escalations as cli
    import annotate.studio.client
    from tests.corpus.test_harmful_severity_none import _contradicted as harm_none

    studio: Any = FakeStudio(harm_none())
    monkeypatch.setattr(annotate.studio.client, "connect", lambda: studio)
    monkeypatch.setattr(cli, "lead_names", lambda names, client, salt=None: {})
    ran = run("escalations", "--project", "p", "-q")
    assert ran.returncode == 0, ran.stderr
    (line,) = [line for line in ran.stdout.splitlines() if "\tdoc-c-p0\t" in line]
    assert line.startswith("none\t"), line
    assert line.endswith("\tharmful category with severity none: export reads no severity")
    said = " ".join(ran.stderr.split())
    assert "warning: 1 of them chose a harmful category with severity `none`" in said, said
    assert "Fix: have them choose the severity in Label Studio" in said, said
    assert "chose a harmful severity with no harmful category" not in said, said
