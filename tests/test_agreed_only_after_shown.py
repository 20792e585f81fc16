"""A reviewers' vote settles a passage only through blind answers: one whose dispute ended
only through an answer made or changed after the adjudication project showed its answers
stays disputed (stop 48 second new-user pass #8: a reviewer changed their answer to match
the other's after adjudication showed both; agreement left the copied answer out, but
export said "adjudication is no longer needed, the reviewers' vote decides them" and a
re-run of `annotate adjudicate` took the passage out of the lead's queue, so the copied
answer decided the corpus label). :func:`annotate.review.blindness.agreed_only_after_shown`
decides; collect (export) keeps it waiting for the lead with an undecided row, adjudicate
keeps it in (or puts it back in) the lead's queue, its answers panel saying who changed
what. Blind endings (answers made before the passage was shown, a deleted answer) and
``--accept-changed-answers`` decide as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import (
    CHANGED_FIELD,
    CHANGED_HEAD,
    MOOT_FIELD,
    REVIEWS_FIELD,
    adjudicate,
)
from annotate.review.blindness import agreed_only_after_shown
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import (
    ADJUDICATION,
    MUSEUM,
    PERSONAL,
    StudioWithLead,
    annotation,
    lead_task,
    reviewed_tasks,
)
from tests.conftest import project_taxonomy
from tests.integration.helpers import choices
from tests.test_adjudication_hiding import CALM, HeldStudio, answer, tasks
from tests.test_open_work import export_cli, run_cli

SHOWN = "2026-12-01T10:00:00Z"
BEFORE, AFTER = "2026-12-01T09:00:00Z", "2026-12-01T10:30:00Z"


def _ans(who: str, cat: str, made: str = BEFORE, saved: str | None = None) -> dict[str, Any]:
    return {
        "reviewer": who,
        "categories": [cat],
        "severity": "low",
        "created_at": made,
        "updated_at": saved or made,
    }


def _decide(answers: list[dict[str, Any]], shown: str | None = SHOWN) -> list[str]:
    """The reviewers whose late answers are all the agreement rests on."""
    tax = load_taxonomy()
    late = agreed_only_after_shown(
        "p",
        answers,
        shown,
        category_order=tax.category_names,
        severity_levels=tax.severity_names,
    )
    return [a["reviewer"] for a in late]


def test_agreement_only_through_a_changed_or_late_answer_stays_disputed() -> None:
    # ben changed his answer to ana's after adjudication showed both
    assert _decide([_ans("r-ana", "none"), _ans("r-ben", "none", saved=AFTER)]) == ["r-ben"]
    # ben's answer was made after (a reviewer who answered once the passage was shown)
    assert _decide([_ans("r-ana", "none"), _ans("r-ben", "none", made=AFTER)]) == ["r-ben"]
    # both changed after: nothing blind is left
    both = [_ans("r-ana", "none", saved=AFTER), _ans("r-ben", "none", saved=AFTER)]
    assert _decide(both) == ["r-ana", "r-ben"]


def test_agreement_of_blind_answers_decides_as_before() -> None:
    # changed before the passage was shown: blind, the vote decides
    assert (
        _decide([_ans("r-ana", "none"), _ans("r-ben", "none", saved="2026-12-01T09:30:00Z")]) == []
    )
    # no adjudication task (never shown): nothing to say
    assert _decide([_ans("r-ana", "none"), _ans("r-ben", "none", saved=AFTER)], None) == []
    # still disputed: adjudication keeps it anyway, nothing for this rule to do
    assert _decide([_ans("r-ana", "none"), _ans("r-ben", "incitement", saved=AFTER)]) == []
    # two blind answers agree by themselves: the late one is not all the agreement rests on
    three = [_ans("r-ana", "none"), _ans("r-ben", "none"), _ans("r-cy", "none", saved=AFTER)]
    assert _decide(three) == []
    # one answer left (the other deleted in Label Studio): the deletion ended the
    # dispute, not the answer left, even one changed after the passage was shown
    assert _decide([_ans("r-ana", "none", saved=AFTER)]) == []


def test_a_late_answer_that_breaks_the_blind_answers_tie_decides_nothing() -> None:
    """Three reviewers: the two blind answers tie on the severity (high vs critical), the
    third, made after the passage was shown, makes the majority: the agreement rests on
    it."""
    high = {**_ans("r-ana", "incitement"), "severity": "high"}
    critical = {**_ans("r-ben", "incitement"), "severity": "critical"}
    late = {**_ans("r-cy", "incitement", made=AFTER), "severity": "high"}
    assert _decide([high, critical, late]) == ["r-cy"]
    # the same third answer made before: blind, the vote decides
    assert _decide([high, critical, {**late, "created_at": BEFORE, "updated_at": BEFORE}]) == []


class ShownStudio(StudioWithLead):
    """The lead's project lists each task's created_at (when it showed the answers)."""

    def __init__(self, tasks: list[dict[str, Any]], lead: list[dict[str, Any]], at: str) -> None:
        super().__init__(tasks, lead)
        self.at = at

    def iter_tasks(self, project_id: int, include: str = "id,data") -> list[dict[str, Any]]:
        listed = super().iter_tasks(project_id, include)
        if project_id == ADJUDICATION["id"]:
            for t in listed:
                t["created_at"] = self.at
        return listed


def _studio(shown_at: str) -> ShownStudio:
    """doc-b-p0 (users 2 and 3 both say none; user 3's answer saved at 10:06) sent to the
    lead at ``shown_at``; doc-c-p0 still disputed."""
    tasks = reviewed_tasks()
    tasks[3]["annotations"].append(
        annotation(109, 3, [choices("category", ["none"])], minute=8, lead_time=3.0)
    )
    moot = {**lead_task("doc-b-p0", MUSEUM, []), "id": 92, "annotations": []}
    waiting = {**lead_task("doc-c-p0", PERSONAL, []), "id": 91, "annotations": []}
    return ShownStudio(tasks, [moot, waiting], shown_at)


def test_export_keeps_a_passage_agreed_on_only_after_it_was_shown_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.review.collect import collect

    # shown at 10:05:30: user 2's answer (10:05) was before, user 3's (10:06) after
    studio = _studio("2026-06-01T10:05:30Z")
    got = collect(studio, "p", load_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert (got.awaiting_lead, got.no_longer_disputed) == (["doc-b-p0", "doc-c-p0"], [])
    assert got.agreed_only_after_shown == ["doc-b-p0"]

    out = tmp_path / "corpus"
    ran = export_cli(studio, out, monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    rows = [json.loads(x) for p in (out / "jsonl").glob("*.jsonl") for x in p.open()]
    row = next(r for r in rows if r["id"] == "doc-b-p0")
    # the copied vote decides nothing: undecided until the lead answers
    assert (row["resolution"], row["label_tie"], row["adjudicator"]) == ("tie", True, None)
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert (review["awaiting_adjudication"], review["adjudication_no_longer_needed"]) == (2, 0)
    assert review["agreed_only_after_shown"] == ["doc-b-p0"]
    assert review["changed_answers_accepted"] is False
    assert review["ties_not_sent_to_adjudication"] == 0
    assert "adjudication is no longer needed" not in ran.stderr
    said = " ".join(ran.stderr.split())
    assert (
        "warning: 1 passage(s) sent to adjudication (doc-b-p0) are no longer disputed only "
        "through an answer made or changed after the adjudication project showed" in said
    ), said
    assert "they stay disputed, undecided (resolution tie, label_tie)" in said
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert (
        "Not blind: 1 passage(s) sent to the lead and not decided (doc-b-p0) are no longer "
        "disputed only through an answer made or changed after" in md
    ), md
    assert "they stay disputed, their rows `tie` until the lead answers." in md
    assert "--accept-changed-answers lets the reviewers' vote decide them" in said


def test_export_accept_changed_answers_lets_that_vote_decide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.review.collect import collect

    studio = _studio("2026-06-01T10:05:30Z")
    got = collect(
        studio,  # type: ignore[arg-type]
        "p",
        load_taxonomy(),
        salt="s",
        accept_changed_answers=True,
    )
    assert (got.awaiting_lead, got.no_longer_disputed) == (["doc-c-p0"], ["doc-b-p0"])
    assert got.agreed_only_after_shown == ["doc-b-p0"] and got.changed_answers_accepted

    out = tmp_path / "corpus"
    ran = export_cli(studio, out, monkeypatch, "--accept-changed-answers")
    assert ran.exit_code == 0, ran.stderr
    rows = [json.loads(x) for p in (out / "jsonl").glob("*.jsonl") for x in p.open()]
    row = next(r for r in rows if r["id"] == "doc-b-p0")
    assert (row["resolution"], row["labels"]) == ("unanimous", ["none"])
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert (review["awaiting_adjudication"], review["adjudication_no_longer_needed"]) == (1, 1)
    assert review["agreed_only_after_shown"] == ["doc-b-p0"]
    assert review["changed_answers_accepted"] is True
    said = " ".join(ran.stderr.split())
    assert "--accept-changed-answers: the reviewers' vote decides them" in said, said
    # the blind moot note counts only the passages whose dispute ended blind: none here
    assert "adjudication is no longer needed" not in said
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "the export accepted them (`--accept-changed-answers`), so the reviewers' vote" in md


def test_export_warns_when_adjudicate_chose_otherwise_on_changed_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`adjudicate --accept-changed-answers` took doc-b-p0 out of the lead's queue ("nothing
    to decide here") and `export` without it kept it waiting for the lead, or the other
    way round: each said the other decides, and nothing told the two runs disagree
    (break49 B13). The export reads what the last adjudicate left in the lead's task and
    says so, with the fix."""
    from annotate.review.adjudication import MOOT_MARK

    studio = _studio("2026-06-01T10:05:30Z")
    lead = next(t for t in studio.lead if t["data"]["passage_id"] == "doc-b-p0")
    lead["data"][MOOT_FIELD] = MOOT_MARK  # as adjudicate --accept-changed-answers leaves it

    def exported(out: Path, *flags: str) -> Any:
        with monkeypatch.context() as patched:  # export_cli patches export: once a call
            return export_cli(studio, out, patched, *flags)

    ran = exported(tmp_path / "a")
    assert ran.exit_code == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert (
        "But the last `annotate adjudicate` ran with --accept-changed-answers and took 1 of "
        "them (doc-b-p0) out of the lead's queue" in said
    ), said
    assert "Fix: export with --accept-changed-answers too" in said
    assert "or run `annotate adjudicate --project p` without it" in said
    review = json.loads((tmp_path / "a" / "manifest.json").read_text())["review"]
    assert review["agreed_only_after_shown_lead_queue"] == {"taken_out": ["doc-b-p0"], "kept": []}
    # the same choice: no word of a difference
    ran = exported(tmp_path / "b", "--accept-changed-answers")
    assert ran.exit_code == 0 and "But the last" not in ran.stderr, ran.stderr

    # kept in the lead's queue by an adjudicate without it; the export accepts them
    del lead["data"][MOOT_FIELD]
    lead["data"][CHANGED_FIELD] = {"someone": "Museum · severity low"}
    ran = exported(tmp_path / "c", "--accept-changed-answers")
    assert ran.exit_code == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert (
        "But the last `annotate adjudicate` ran without --accept-changed-answers and keeps 1 "
        "of them (doc-b-p0) in the lead's queue" in said
    ), said
    assert "Fix: run `annotate adjudicate --project p --accept-changed-answers`" in said
    ran = exported(tmp_path / "d")
    assert ran.exit_code == 0 and "But the last" not in ran.stderr, ran.stderr


def test_export_lets_blind_agreement_decide_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.review.collect import collect

    studio = _studio("2026-06-01T10:20:00Z")  # both answers were saved before
    got = collect(studio, "p", load_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert (got.awaiting_lead, got.no_longer_disputed) == (["doc-c-p0"], ["doc-b-p0"])
    assert got.agreed_only_after_shown == []
    out = tmp_path / "corpus"
    ran = export_cli(studio, out, monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    rows = [json.loads(x) for p in (out / "jsonl").glob("*.jsonl") for x in p.open()]
    row = next(r for r in rows if r["id"] == "doc-b-p0")
    assert (row["resolution"], row["labels"]) == ("unanimous", ["none"])
    said = " ".join(ran.stderr.split())
    assert "only through an answer made or changed" not in said
    assert "adjudication is no longer needed" in said


class StampedStudio(HeldStudio):
    """HeldStudio whose adjudication tasks record when they were made."""

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> Any:
        got = super().import_tasks(project_id, tasks)
        for t in self.held:
            t.setdefault("created_at", "2026-06-01T10:30:00Z")
        return got


def _changed(minute: int) -> dict[str, Any]:
    """User 2's doc-e-p1 answer changed to user 1's ("none", none) at 10:MM."""
    changed = answer(304, 2, ["none"], "none", CALM)
    changed["updated_at"] = f"2026-06-01T10:{minute:02d}:00Z"
    return changed


def test_adjudicate_keeps_a_passage_agreed_on_only_after_it_was_shown() -> None:
    tax = project_taxonomy()
    _, calm = tasks()
    studio = StampedStudio([calm])
    first = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert first.passages == ["doc-e-p1"]  # shown at 10:30
    calm["annotations"][1] = _changed(45)  # changed to match, after it was shown
    again = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert again.passages == ["doc-e-p1"] and again.agreed_only_after_shown == ["doc-e-p1"]
    assert (again.settled, again.retired, again.added) == ([], [], 0)
    assert studio.held[0].get("overlap") != 0 and MOOT_FIELD not in studio.held[0]["data"]
    # the lead's panel says who changed what, from the answer shown to the one now
    panel = studio.held[0]["data"][REVIEWS_FIELD]
    head, _, rest = panel.partition("\n")
    who = pseudonym(2, "s")
    assert head.startswith(
        # news_reporting with severity low: a harmful severity with no harmful category,
        # read as no severity (stop 51), shown as picked and marked (stop 52)
        f"{CHANGED_HEAD}{who} changed their answer from «News reporting · severity low "
        "(contradicts: no harmful category)» to "
        "«None of these · severity none», after this project showed the passage's answers."
    ), head
    assert "News reporting" not in rest  # the answers below are today's
    assert studio.held[0]["data"][CHANGED_FIELD] == {
        who: "News reporting · severity low (contradicts: no harmful category)"
    }
    # a further run keeps what the lead was shown first (the panel now shows the new one)
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert studio.held[0]["data"][REVIEWS_FIELD] == panel

    # taken out of the queue by an adjudicate without this rule: put back
    studio.held[0].update(overlap=0, is_labeled=True)
    studio.held[0]["data"][MOOT_FIELD] = "yes"
    back = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert back.reopened == ["doc-e-p1"] and studio.held[0]["overlap"] == 1
    assert MOOT_FIELD not in studio.held[0]["data"]


def test_adjudicate_accept_changed_answers_takes_it_out_as_before() -> None:
    tax = project_taxonomy()
    _, calm = tasks()
    studio = StampedStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    calm["annotations"][1] = _changed(45)
    moot = adjudicate(studio, "p", tax, salt="s", accept_changed_answers=True)  # type: ignore[arg-type]
    assert moot.passages == [] and moot.retired == ["doc-e-p1"]
    assert moot.agreed_only_after_shown == ["doc-e-p1"] and moot.accept_changed_answers
    assert CHANGED_HEAD not in studio.held[0]["data"][REVIEWS_FIELD]


def test_adjudicate_cli_says_which_passages_stay_and_how_to_accept_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import annotate.review.adjudication as adjudication

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))  # the CLI's salt: not the checkout's
    import annotate.studio.client as studio_client

    tax = project_taxonomy()
    _, calm = tasks()
    studio = StampedStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    calm["annotations"][1] = _changed(45)
    real = adjudication.adjudicate
    monkeypatch.setattr(studio_client, "connect", lambda: studio)
    monkeypatch.setattr(
        adjudication,
        "adjudicate",
        lambda client, project, tax_, **kw: real(client, project, tax, **{**kw, "salt": "s"}),
    )
    kept = run_cli("adjudicate", "--project", "p", "-q")
    assert kept.exit_code == 0, kept.stderr
    said = " ".join(kept.stderr.split())
    assert "1 disputed passage(s), 0 added, 1 already there" in said, said
    assert (
        "1 passage(s) (e.g. doc-e-p1) are no longer disputed only through an answer made or "
        "changed after this project showed their answers (not blind" in said
    )
    assert "they stay in the lead's queue" in said and "no longer disputed (a reviewer" not in said
    accepted = run_cli("adjudicate", "--project", "p", "-q", "--accept-changed-answers")
    said = " ".join(accepted.stderr.split())
    assert "--accept-changed-answers: the reviewers' vote decides them" in said, said
    assert "1 task(s) no longer disputed" in said and studio.held[0]["overlap"] == 0


def test_adjudicate_takes_out_a_passage_agreed_on_before_it_was_shown() -> None:
    """The reviewer changed the answer before the adjudication task was made (it was
    made while the old answer was read): blind, so the vote decides as before."""
    tax = project_taxonomy()
    _, calm = tasks()
    studio = StampedStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    calm["annotations"][1] = _changed(20)
    moot = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert moot.passages == [] and moot.retired == ["doc-e-p1"]
    assert moot.agreed_only_after_shown == []
