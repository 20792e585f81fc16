"""A new user's mistakes with stop 31's features: ``push -k K --max-graphic-per-reviewer 0``
told the lead to push again "once reviewers have answered some", which never queues a
graphic passage under a cap of 0."""

from __future__ import annotations

from annotate.cli.review import held_graphic_note


def test_a_cap_of_zero_does_not_promise_room_after_answers() -> None:
    note = held_graphic_note({"p1": 2, "p2": 2}, 0)
    assert note.startswith("note: 2 graphic passage(s) held back (4 reviewer task(s) not made)")
    assert "once reviewers have answered" not in note
    assert "cap above 0" in note


def test_a_cap_above_zero_waits_for_answers() -> None:
    note = held_graphic_note({"p1": 1}, 3)
    assert "at most 3 open graphic passage(s)" in note
    assert "once reviewers have answered some" in note
