"""A new user's mistakes with stop 31's features: ``push -k K --max-graphic-per-reviewer 0``
told the lead to push again "once reviewers have answered some", which never queues a
graphic passage under a cap of 0."""

from __future__ import annotations

import pytest

from annotate.cli.review import held_graphic_note
from annotate.errors import InputError
from annotate.review.reviewers import add_reviewer


def test_a_cap_of_zero_does_not_promise_room_after_answers() -> None:
    note = held_graphic_note({"p1": 2, "p2": 2}, 0)
    assert note.startswith("note: 2 graphic passage(s) held back (4 reviewer task(s) not made)")
    assert "once reviewers have answered" not in note
    assert "cap above 0" in note


def test_a_cap_above_zero_waits_for_answers() -> None:
    note = held_graphic_note({"p1": 1}, 3)
    assert "at most 3 open graphic passage(s)" in note
    assert "once reviewers have answered some" in note


@pytest.mark.parametrize("email", ["zoë@ex.org", "zoe😀@ex.org"])
def test_a_non_ascii_local_part_is_refused_before_the_server(email: str) -> None:
    """Label Studio refused it with 'Enter a valid email address..' and the fix 'use the
    admin token of the organization', which had nothing to do with it."""
    with pytest.raises(InputError, match="sign-up refuses before the @") as caught:
        add_reviewer(None, email)  # type: ignore[arg-type]  # no server is asked
    assert "--name" in (caught.value.fix or "")
