"""`annotate adjudicate` reads the lead's answers by export's rule
(:func:`annotate.review.collect.lead_ignored`), so the two say the same passages wait.

Before (note49 "left for next work"; break49 B6): adjudicate took any answer in the lead's
task for a decision (Label Studio's ``total_annotations``), while export left a passage
waiting whose lead answered with no category on a category tie (or chose ``none`` with
another category); and adjudicate said a passage the lead had already decided "stays in
the lead's queue ... so the lead can confirm it"."""

from __future__ import annotations

from typing import Any

from annotate.cli.review.agreement import changed_answers_said, lead_ignored_said
from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import adjudicate
from annotate.review.collect import (
    LEAD_NONE_WITH_OTHER,
    LEAD_WITHOUT_CATEGORY,
    collect,
    lead_ignored,
)
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import annotation
from tests.conftest import project_taxonomy
from tests.integration.helpers import choices
from tests.test_adjudication_hiding import tasks
from tests.test_agreed_only_after_shown import StampedStudio, _changed


class LeadStudio(StampedStudio):
    """The adjudication project's tasks (``held``) answered in their ``annotations``, read
    by export's calls as by adjudicate's."""

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        if project_id == 8:
            return [{"predictions": [], "annotations": [], **t} for t in self.held]
        return super().export_snapshot(project_id)

    def iter_tasks(self, project_id: int, **params: Any) -> list[dict[str, Any]]:
        listed = super().iter_tasks(project_id, **params)
        for t in listed:
            t.setdefault("annotations", [])
            t["total_annotations"] = sum(not a["was_cancelled"] for a in t["annotations"])
            t["cancelled_annotations"] = sum(a["was_cancelled"] for a in t["annotations"])
        return listed

    def answer(self, result: list[dict[str, Any]]) -> None:
        """The lead (user 4) answers the first adjudication task."""
        self.held[0]["annotations"] = [annotation(950, 4, result, minute=50, lead_time=4.0)]


def test_the_rule_itself() -> None:
    tax = load_taxonomy()
    tie = [["none"], ["news_reporting"]]
    assert lead_ignored([], tie, tax) == LEAD_WITHOUT_CATEGORY
    assert lead_ignored([], [["incitement"], ["incitement"]], tax) is None  # vote decided
    assert lead_ignored([], [[], []], tax) == LEAD_WITHOUT_CATEGORY  # nobody chose one
    assert lead_ignored(["none", "incitement"], tie, tax) == LEAD_NONE_WITH_OTHER
    assert lead_ignored(["none", "incitement"], None, tax) == LEAD_NONE_WITH_OTHER
    assert lead_ignored(["incitement"], tie, tax) is None


def test_a_category_less_lead_answer_on_a_tie_waits_in_adjudicate_and_export_alike() -> None:
    tax = project_taxonomy()
    _, calm = tasks()  # none/none vs news_reporting/low: a category tie
    studio = LeadStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    studio.answer([choices("severity", ["low"])])  # no category
    again = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert again.passages == ["doc-e-p1"]
    assert again.decided_by_lead == []
    assert again.lead_answers_ignored == {LEAD_WITHOUT_CATEGORY: ["doc-e-p1"]}
    said = lead_ignored_said(again)
    assert said is not None and said.startswith(
        "warning: 1 disputed passage(s) the lead answered (e.g. doc-e-p1) are not decided"
    )
    assert "give no category" in said and "Export keeps them waiting" in said
    got = collect(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert got.awaiting_lead == ["doc-e-p1"] and got.adjudications == []
    # the manifest's count of the adjudication project leaves the ignored answer out
    assert got.tasks_answered[8] == 0
    assert got.lead_answers_ignored == {LEAD_NONE_WITH_OTHER: 0, LEAD_WITHOUT_CATEGORY: 1}

    # the lead chooses a category: both read it as the decision
    studio.answer([choices("category", ["news_reporting"])])
    decided = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert decided.decided_by_lead == ["doc-e-p1"] and decided.lead_answers_ignored == {}
    assert lead_ignored_said(decided) is None
    got = collect(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert got.awaiting_lead == [] and [a["passage"] for a in got.adjudications] == ["doc-e-p1"]
    assert got.tasks_answered[8] == 1


def test_none_with_another_category_is_no_decision_in_adjudicate_either() -> None:
    tax = project_taxonomy()
    _, calm = tasks()
    studio = LeadStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    studio.answer([choices("category", ["none", "news_reporting"])])
    again = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert again.lead_answers_ignored == {LEAD_NONE_WITH_OTHER: ["doc-e-p1"]}
    assert "choose 'none' together with another category" in str(lead_ignored_said(again))
    got = collect(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert got.awaiting_lead == ["doc-e-p1"] and got.tasks_answered[8] == 0
    assert got.lead_answers_ignored[LEAD_NONE_WITH_OTHER] == 1


def test_a_no_longer_disputed_passage_whose_lead_answer_decides_nothing_is_the_votes() -> None:
    """A reviewer changed an answer before the passage was shown (blind): the vote decided
    the categories, so a lead's answer without a category is taken (it decides the
    severity) by both; one choosing none with another category is taken by neither (before:
    adjudicate said "the lead's answer still decides the passage")."""
    tax = project_taxonomy()
    _, calm = tasks()
    studio = LeadStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    calm["annotations"][1] = _changed(20)  # blind: before the task was made (10:30)
    studio.answer([choices("category", ["none", "news_reporting"])])
    moot = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert moot.settled == ["doc-e-p1"] and moot.settled_answered == []  # before: answered
    got = collect(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert got.no_longer_disputed == ["doc-e-p1"] and got.adjudications == []
    studio.answer([choices("severity", ["low"])])  # no category: the vote keeps "none"
    moot = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert moot.settled_answered == ["doc-e-p1"]
    got = collect(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert [a["passage"] for a in got.adjudications] == ["doc-e-p1"]


def test_a_late_agreement_the_lead_already_decided_is_said_so() -> None:
    """break49 B6: "they stay in the lead's queue ... so the lead can confirm it" for a
    passage the lead had decided."""
    tax = project_taxonomy()
    _, calm = tasks()
    studio = LeadStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    calm["annotations"][1] = _changed(45)  # after it was shown: not blind
    studio.answer([choices("category", ["none"])])
    again = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert again.agreed_only_after_shown == ["doc-e-p1"]
    assert again.decided_by_lead == ["doc-e-p1"]
    said = changed_answers_said(again.agreed_only_after_shown, False, set(again.decided_by_lead))
    assert "1 of them already decided by the lead" in said
    assert "so the lead can confirm it" not in said
    # one not decided yet: said as before
    plain = changed_answers_said(["doc-x"], False, set())
    assert "they stay in the lead's queue" in plain and "already decided" not in plain
    both = changed_answers_said(["doc-x", "doc-y"], False, {"doc-y"})
    assert "1 not yet decided stay in the lead's queue" in both
    assert "1 of them already decided by the lead" in both
    accepted = changed_answers_said(["doc-x", "doc-y"], True, {"doc-y"})
    assert "the reviewers' vote decides 1 of them" in accepted
    assert pseudonym(4, "s") not in said  # no reviewer named


def _skipped_tie_studio() -> Any:
    """doc-b-p0 disputed (none vs news_reporting: a category tie), its adjudication task
    skipped by the lead (user 4); doc-a-p1 (a majority) skipped too."""
    from tests.audit.fakes import MUSEUM, THREAT, StudioWithLead, lead_task, reviewed_tasks

    tasks_ = reviewed_tasks()
    tasks_[2]["annotations"][1]["result"] = [choices("category", ["news_reporting"])]
    leads = []
    for i, (pid, text) in enumerate((("doc-b-p0", MUSEUM), ("doc-a-p1", THREAT))):
        t = {**lead_task(pid, text, []), "id": 90 + i}
        t["annotations"] = [
            {**annotation(960 + i, 4, [], minute=45, lead_time=1.0), "was_cancelled": True}
        ]
        leads.append(t)
    return StudioWithLead(tasks_, leads)


def test_the_lead_skip_note_says_a_tie_stays_undecided(tmp_path: Any) -> None:
    """break49 B7: "the reviewers' vote decides them until a lead answers" for a skipped
    passage whose vote is a tie (row labels [], resolution tie)."""
    import json

    from annotate.cli.export import lead_skips_note
    from annotate.corpus.export import export

    out = tmp_path / "c"
    export("p", out, client=_skipped_tie_studio(), salt="s")
    review = json.loads((out / "manifest.json").read_text())["review"]
    skips = review["skipped_in_adjudication"]
    assert skips["passages_without_lead_answer"] == 2
    assert skips["passages_without_lead_answer_undecided"] == 1
    said = lead_skips_note(skips)
    assert said is not None and "the reviewers' vote decides 1 of them until a lead answers" in said
    assert "1 stay undecided (a tie: resolution tie, label_tie) until a lead answers" in said
    only_tie = lead_skips_note(
        {"passages_without_lead_answer": 1, "passages_without_lead_answer_undecided": 1}
    )
    assert only_tie is not None and "they stay undecided" in only_tie
    assert "vote decides" not in only_tie
    # an export made before the count: as before
    old = lead_skips_note({"passages_without_lead_answer": 2})
    assert old is not None and "the reviewers' vote decides them until a lead answers" in old
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "the reviewers' vote decides 1; 1 undecided, their vote a tie" in md, md


def test_the_manifest_counts_the_lead_answers_taken(tmp_path: Any) -> None:
    """tasks_annotated_by_project counted a lead's answer that decides nothing."""
    import json

    from annotate.corpus.export import export
    from tests.audit.fakes import MUSEUM, StudioWithLead, lead_task, reviewed_tasks

    tasks_ = reviewed_tasks()
    tasks_[2]["annotations"][1]["result"] = [choices("category", ["news_reporting"])]
    lead = lead_task("doc-b-p0", MUSEUM, [choices("severity", ["low"])])  # no category
    out = tmp_path / "c"
    export("p", out, client=StudioWithLead(tasks_, [lead]), salt="s")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tasks_annotated_by_project"]["p · adjudication"] == 0
    assert manifest["adjudication_answers_ignored"] == {
        LEAD_NONE_WITH_OTHER: 0,
        LEAD_WITHOUT_CATEGORY: 1,
    }
    assert manifest["review"]["lead_answers_without_category"] == ["doc-b-p0"]
