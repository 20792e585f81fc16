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
from annotate.review.blindness import after_exposure, late_changes, round_closed_at
from annotate.review.mode import review_mode
from tests.test_export_one_queue_of_review_set import NAME, SALT, TwoQueues

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
        f"1 answer was made or changed after adjudication started at {STARTED} (p2 by r-b "
        "(changed)): late change that can reopen a vote taken as settled."
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
