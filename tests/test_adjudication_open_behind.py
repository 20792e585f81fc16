"""passI53 I11: a re-run of `annotate adjudicate` added new disputes (one a reviewer rated
critical) behind a task the lead had not answered yet; "Label All Tasks" serves by task id
(import order), so the lead got the least severe dispute first, and adjudicate, unlike
push, said nothing of it."""

from __future__ import annotations

from annotate.cli.review.agreement import adjudication_order_note
from annotate.review.adjudication import adjudicate
from tests.conftest import project_taxonomy
from tests.test_adjudication_hiding import HeldStudio, tasks


def test_disputes_added_behind_open_lead_tasks_get_the_import_order_note() -> None:
    tax = project_taxonomy()
    gory, calm = tasks()
    studio = HeldStudio([calm])
    first = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert first.added == 1 and adjudication_order_note(first) is None  # nothing before
    studio.held[0].update(total_annotations=0, cancelled_annotations=0)  # the lead's open
    studio.tasks.append(gory)  # a dispute of the next batch, rated critical
    again = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert (again.added, again.open_before) == (1, 1)
    note = adjudication_order_note(again)
    assert note is not None
    assert note.startswith(
        "note: 1 disputed passage added behind 1 open task of earlier runs in 'p · adjudication'"
    )
    assert '"Label Tasks As Displayed"' in note and "import order" in note


def test_no_note_when_the_leads_earlier_tasks_are_answered_or_skipped() -> None:
    tax = project_taxonomy()
    gory, calm = tasks()
    studio = HeldStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    studio.held[0].update(total_annotations=0, cancelled_annotations=1)  # the lead skipped
    studio.tasks.append(gory)
    again = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert (again.added, again.open_before) == (1, 0)
    assert adjudication_order_note(again) is None
