"""Answers made or changed after the round closed (adjudication started) or after an
earlier export into the same folder are recorded and reported as late changes (passD51
D8): a reviewer's edit after adjudication, on a passage the adjudication project never
showed, reopened a settled vote while the report said "no answer was made or changed
after the adjudication project ... showed its passage" and nothing counted it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.review.blindness import (
    after_exposure,
    late_answer_keys,
    late_changes,
    late_sentence,
    new_work_sentence,
    round_closed_at,
)
from annotate.review.mode import review_mode
from tests.audit.fakes import NEWS, annotation, task
from tests.integration.helpers import choices
from tests.test_export_one_queue_of_review_set import NAME, QUEUES, SALT, TwoQueues

STARTED = "2026-12-01T10:00:00Z"


def _row(pid: str, *answers: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "id": pid,
        "annotations": [
            {"reviewer": r, "created_at": made, "updated_at": saved} for r, made, saved in answers
        ],
    }


def test_an_answer_changed_after_the_round_is_a_late_change_in_the_statement() -> None:
    rows = [
        _row("p1", ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z")),
        # p2 was never in the adjudication project: ben edited it after adjudication started
        _row("p2", ("r-b", "2026-12-01T09:10:00Z", "2026-12-01T10:53:00Z")),
    ]
    shown = {"p1": STARTED}
    assert round_closed_at(shown) == STARTED
    late = late_changes(rows, round_closed_at(shown))
    assert late is not None
    assert (late["answers"], late["changed"], late["made"]) == (1, 1, 0)
    assert late["passages"] == ["p2"] and late["by_reviewer"] == {"r-b": 1}
    assert late["listed"] == [
        {"passage": "p2", "reviewer": "r-b", "what": "changed", "at": "2026-12-01T10:53:00Z"}
    ]
    mode = review_mode(
        review_set=True,
        reviewer_projects=2,
        reviewers_per_task=2,
        shared=0,
        exposure=after_exposure(rows, shown),
        late=late,
    )
    statement = mode["statement"]
    assert statement.startswith("Blind review throughout: ")  # p2 was never shown
    assert (
        f"1 answer was made or changed after adjudication started at {STARTED} on passages "
        "already answered then (p2 by r-b (changed)): late change that can reopen a vote "
        "taken as settled."
    ) in statement
    assert late_changes(rows, None) is None  # no adjudication: no record
    quiet = late_changes(rows[:1], STARTED)
    assert quiet is not None and quiet["answers"] == 0
    assert (
        "late change"
        not in review_mode(
            review_set=True, reviewer_projects=2, reviewers_per_task=2, shared=0, late=quiet
        )["statement"]
    )


def test_an_answer_changed_since_the_previous_export_is_reported(tmp_path: Path) -> None:
    studio = TwoQueues()
    out = tmp_path / "corpus"
    export(NAME, out, client=studio, salt=SALT)  # type: ignore[arg-type]
    first = json.loads((out / "manifest.json").read_text())
    assert first["review"]["answers_changed_since_previous_export"] is None  # none before
    assert first["review"]["answers_changed_after_round"] is None  # no adjudication
    # the same answer saved again, after that export
    studio.snapshots[22][1]["annotations"][0]["updated_at"] = "2099-01-01T00:00:00Z"
    export(NAME, out, client=studio, salt=SALT, overwrite=True)  # type: ignore[arg-type]
    late = json.loads((out / "manifest.json").read_text())["review"][
        "answers_changed_since_previous_export"
    ]
    ben = pseudonym(2, SALT)
    assert late["since"] == first["exported_at"]
    assert (late["answers"], late["changed"]) == (1, 1)
    assert late["by_reviewer"] == {ben: 1}
    md = (out / "report" / "report.md").read_text()
    assert "**Late changes:** 1 answer was made or changed after the previous export" in md
    # exported again with nothing changed since: the report says none
    studio.snapshots[22][1]["annotations"][0]["updated_at"] = "2026-06-01T10:00:00Z"
    export(NAME, out, client=studio, salt=SALT, overwrite=True)  # type: ignore[arg-type]
    md = (out / "report" / "report.md").read_text()
    assert "Late changes: no answer was made or changed since the previous export" in md


def test_first_answers_to_passages_pushed_after_adjudication_started_are_new_work() -> None:
    """passI53 I3: a second batch pushed into the review set after `adjudicate` ran, and
    answered, was reported as "late changes that can reopen a vote"; its passages had no
    answer (so no vote) when adjudication started."""
    rows = [
        _row("p1", ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z")),
        # p3: a batch pushed after adjudication started, both reviewers' first answers
        _row(
            "p3",
            ("r-a", "2026-12-01T11:00:00Z", "2026-12-01T11:00:00Z"),
            ("r-b", "2026-12-01T11:05:00Z", "2026-12-01T11:30:00Z"),
        ),
        # p4: answered by r-a before, by r-b only after: a late answer, its vote can turn
        _row(
            "p4",
            ("r-a", "2026-12-01T09:30:00Z", "2026-12-01T09:30:00Z"),
            ("r-b", "2026-12-01T11:10:00Z", "2026-12-01T11:10:00Z"),
        ),
    ]
    shown = {"p1": STARTED}
    late = late_changes(rows, STARTED)
    assert late is not None
    assert (late["answers"], late["made"], late["changed"]) == (1, 1, 0)
    assert late["passages"] == ["p4"] and late["by_reviewer"] == {"r-b": 1}
    assert (late["new_answers"], late["new_passages"]) == (2, 1)
    said = late_sentence(late, f"adjudication started at {STARTED}")
    assert "p3" not in said and "p4 by r-b (made)" in said
    assert new_work_sentence(late, f"adjudication started at {STARTED}") == (
        f"2 new answers since adjudication started at {STARTED}: first answers to 1 passage "
        "that no reviewer had answered then (a batch pushed since, or passages not reached "
        "yet), new work with no vote to reopen"
    )
    # only new work: the statement says blind throughout and names no late change
    only_new = late_changes(rows[:2], STARTED)
    assert only_new is not None and (only_new["answers"], only_new["new_answers"]) == (0, 2)
    statement = review_mode(
        review_set=True,
        reviewer_projects=2,
        reviewers_per_task=2,
        shared=0,
        exposure=after_exposure(rows[:2], shown),
        late=only_new,
    )["statement"]
    assert statement.startswith("Blind review throughout: ")
    assert "late change" not in statement and "made or changed after adjudication" not in statement


def _export_cli(out: Path, *argv: str) -> str:
    from tests.test_open_work import run_cli

    ran = run_cli("export", "--project", NAME, "--out", str(out), *argv)
    assert ran.exit_code == 0, ran.stderr
    return " ".join(ran.stderr.split())


def test_a_new_batch_since_the_previous_export_is_not_called_changes(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """passI53 I3: "10 answers were made or changed after the previous export into this
    folder", 9 of them first answers to a batch pushed since; the one real change was the
    fourth named."""
    import annotate.corpus.export as corpus_export

    studio = TwoQueues()
    real = corpus_export.export
    monkeypatch.setattr(
        corpus_export,
        "export",
        lambda project, out, **kw: real(project, out, client=studio, salt=SALT, **kw),
    )
    out = tmp_path / "corpus"
    _export_cli(out)
    # a new batch: doc-c-p0 answered by both reviewers; and ben re-saves doc-a-p0
    for pid, user in QUEUES.items():
        fresh = task(
            pid * 10 + 9,
            "doc-c-p0",
            NEWS + " Again.",
            doc="doc-c",
            index=0,
            model_labels=["none"],
            annotations=[
                annotation(
                    pid * 100 + 9, user, [choices("category", ["none"])], minute=1, lead_time=3.0
                )
            ],
        )
        for ann in fresh["annotations"]:
            ann["created_at"] = ann["updated_at"] = "2099-01-01T00:00:00Z"
        studio.snapshots[pid].append(fresh)
    studio.snapshots[22][0]["annotations"][0]["updated_at"] = "2099-01-01T00:00:00Z"
    said = _export_cli(out, "--overwrite")
    late = json.loads((out / "manifest.json").read_text())["review"][
        "answers_changed_since_previous_export"
    ]
    ben = pseudonym(2, SALT)
    assert (late["answers"], late["changed"], late["made"]) == (1, 1, 0)
    assert late["passages"] == ["doc-a-p0"]
    assert (late["new_answers"], late["new_passages"]) == (2, 1)
    assert (
        "warning: 1 answer was made or changed after the previous export into this folder "
        f"({late['since']}) on passages already answered then (doc-a-p0 by {ben} (changed))"
    ) in said
    assert "doc-c-p0" not in said
    assert "note: 2 new answers since the previous export into this folder" in said
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "**Late changes:** 1 answer was made or changed" in md
    assert "2 new answers since the previous export into this folder" in md


def test_a_late_change_the_exposure_names_is_said_once() -> None:
    """passH53 H10: one answer changed after the adjudication project showed its passage
    was said twice, by the exposure ("... after the adjudication project ... showed their
    passage's answers") and as a late change after adjudication started, in the export's
    warnings and in report.md's "How the review was run"."""
    from annotate.review.blindness import late_answer_keys

    rows = [
        # p1 was disputed and shown: r-a changed it after, the one change
        _row("p1", ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T10:30:00Z")),
        # p2 was never shown: r-b changed it after adjudication started
        _row("p2", ("r-b", "2026-12-01T09:10:00Z", "2026-12-01T10:53:00Z")),
    ]
    shown = {"p1": STARTED}
    exposure = after_exposure(rows, shown)
    assert exposure["answers_after_exposure"] == 1
    said = dict.fromkeys(late_answer_keys(exposure, rows), "adjudication_exposure")
    late = late_changes(rows, STARTED, said)
    assert late is not None and late["answers"] == 2  # the record counts both
    assert late["said_above"] == {"adjudication_exposure": 1}
    assert [a["passage"] for a in late["listed"]] == ["p2", "p1"]
    sentence = late_sentence(late, f"adjudication started at {STARTED}")
    assert sentence.startswith("1 answer was made or changed after adjudication started")
    assert "p2 by r-b (changed)" in sentence and "p1 by" not in sentence, sentence
    assert "besides the 1 said above (1 after the adjudication project showed their passage)" in (
        sentence
    )
    statement = review_mode(
        review_set=True,
        reviewer_projects=2,
        reviewers_per_task=2,
        shared=0,
        exposure=exposure,
        late=late,
    )["statement"]
    assert statement.count("p1 by r-a") == 1, statement
    # only the exposed change: no late-change sentence at all
    alone = late_changes(rows[:1], STARTED, said)
    assert alone is not None and alone["answers"] == 1
    assert late_sentence(alone, f"adjudication started at {STARTED}") == ""
    statement = review_mode(
        review_set=True,
        reviewer_projects=2,
        reviewers_per_task=2,
        shared=0,
        exposure=after_exposure(rows[:1], shown),
        late=alone,
    )["statement"]
    assert statement.count("p1 by r-a") == 1 and "late change" not in statement, statement
    # since a previous export before both: neither is said a third time
    both = {**dict.fromkeys(late_answer_keys(late, rows), "answers_changed_after_round"), **said}
    since = late_changes(rows, "2026-12-01T09:30:00Z", both)
    assert since is not None and since["answers"] == 2
    assert since["said_above"] == {"answers_changed_after_round": 1, "adjudication_exposure": 1}
    assert late_sentence(since, "the previous export into this folder") == ""


def test_the_report_says_changes_since_the_previous_export_said_above_once() -> None:
    """H10: report.md's "Late changes:" paragraph (since the previous export) names no
    change the statement above it names already; all of them said there: it says so."""
    from annotate.audit.report import _since_export_lines

    record = {
        "since": "2026-12-01T09:30:00Z",
        "answers": 1,
        "listed": [{"passage": "p1", "reviewer": "r-a", "what": "changed", "said_in": "x"}],
        "said_above": {"adjudication_exposure": 1},
    }
    said = " ".join(" ".join(_since_export_lines(record)).split())
    assert "p1 by r-a" not in said, said
    assert "the 1 answer made or changed since the previous export into this folder" in said
    assert "is among the late changes said above" in said


def test_a_second_reviewers_first_answer_to_a_task_open_at_the_export_is_new_work() -> None:
    """newuser63 #6: export said 5 passages had a task still open ("answer them and export
    again"); once answered, the next export called those answers "late changes that can
    reopen a vote taken as settled". A passage with fewer answers than K then had no vote."""
    since = "2026-12-01T10:00:00Z"
    rows = [
        # p1: 1 of K=2 at the export, the second reviewer's first answer after: new work
        _row(
            "p1",
            ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z"),
            ("r-b", "2026-12-01T11:00:00Z", "2026-12-01T11:00:00Z"),
        ),
        # p2: 2 of 2 at the export, r-b saved theirs again after: a late change
        _row(
            "p2",
            ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z"),
            ("r-b", "2026-12-01T09:10:00Z", "2026-12-01T11:20:00Z"),
        ),
        # p3: 2 of 2 at the export, a third reviewer answered after: a late change
        _row(
            "p3",
            ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z"),
            ("r-b", "2026-12-01T09:10:00Z", "2026-12-01T09:10:00Z"),
            ("r-c", "2026-12-01T11:30:00Z", "2026-12-01T11:30:00Z"),
        ),
        # p4: 1 of 2 at the export, and that answer changed after: a late change still
        _row("p4", ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T11:40:00Z")),
    ]
    late = late_changes(rows, since, reviewers_per_task=2)
    assert late is not None and late["reviewers_per_task"] == 2
    assert (late["answers"], late["made"], late["changed"]) == (3, 1, 2)
    assert late["passages"] == ["p2", "p3", "p4"]
    assert [(a["passage"], a["reviewer"], a["what"]) for a in late["listed"]] == [
        ("p2", "r-b", "changed"),
        ("p3", "r-c", "made"),
        ("p4", "r-a", "changed"),
    ]
    assert (late["new_answers"], late["new_passages"]) == (1, 1)
    assert late_answer_keys(late, rows) == {("p2", "r-b"), ("p3", "r-c"), ("p4", "r-a")}
    after = f"the previous export into this folder ({since})"
    assert "p1" not in late_sentence(late, after)
    assert new_work_sentence(late, after) == (
        f"1 new answer since {after}: first answers of their reviewers to 1 passage that had "
        "fewer than 2 answers then (a batch pushed since, passages not reached yet, or tasks "
        "still open then), new work with no vote to reopen"
    )
    # K not known (no record): the rule without it, p1's second answer is late as before
    old = late_changes(rows, since)
    assert old is not None and old["reviewers_per_task"] is None
    assert (old["answers"], old["made"], old["changed"]) == (4, 2, 2)
    assert old["passages"] == ["p1", "p2", "p3", "p4"]
    assert (old["new_answers"], old["new_passages"]) == (0, 0)
    assert ("p1", "r-b") in late_answer_keys(old, rows)
    # a record made before K was recorded reads back by the old rule too
    legacy = {k: v for k, v in late.items() if k != "reviewers_per_task"}
    assert ("p1", "r-b") in late_answer_keys(legacy, rows)


def test_answering_the_tasks_an_export_found_open_is_no_late_change(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """newuser63 #6, the whole workflow: the first export finds ben's task on doc-a-p1 open
    (1 of K=2 answers), ben answers it, the export again with --overwrite: his first answer
    is new work (a note), not "late changes that can reopen a vote taken as settled"."""
    import annotate.corpus.export as corpus_export

    class WithOpenTask(TwoQueues):
        def count_annotated_tasks(self, project_id: int) -> int:
            return sum(bool(t["annotations"]) for t in self.snapshots[project_id])

    studio = WithOpenTask()
    real = corpus_export.export
    monkeypatch.setattr(
        corpus_export,
        "export",
        lambda project, out, **kw: real(project, out, client=studio, salt=SALT, **kw),
    )
    ben_task = studio.snapshots[22][1]
    answer = ben_task["annotations"].pop()  # open: not answered yet
    out = tmp_path / "corpus"
    _export_cli(out)
    answer["created_at"] = answer["updated_at"] = "2099-01-01T00:00:00Z"
    ben_task["annotations"].append(answer)
    said = _export_cli(out, "--overwrite")
    late = json.loads((out / "manifest.json").read_text())["review"][
        "answers_changed_since_previous_export"
    ]
    assert (late["answers"], late["new_answers"], late["new_passages"]) == (0, 1, 1)
    assert late["reviewers_per_task"] == 2
    assert "late change" not in said and "made or changed after the previous" not in said
    assert "note: 1 new answer since the previous export into this folder" in said
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "**Late changes:**" not in md
    assert (
        "Late changes: no answer was changed, nor made on a passage that already had 2 answers, "
        "since the previous export"
    ) in md
