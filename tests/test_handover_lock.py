"""A review hand-over holds the review set's push lock: two `review reassign` runs at once
(a script run twice, two leads) each found no queue of the reviewer handed to and each
made one, so that reviewer had two queues, which export, push and status then refused;
a hand-over beside a push into the set could do the same (measured on Label Studio
1.23.2: 'Big Rev · r-71bbf2a88c' twice, project ids 12 and 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import StudioError
from annotate.review.handover import reassign
from annotate.studio.lock import project_lock
from annotate.taxonomy import load_taxonomy


class NoServer:
    url = "http://ls.example"

    def __getattr__(self, name: str):
        raise AssertionError(f"the server was called ({name}) while another run held the lock")


def _hand_over_in_big_rev() -> None:
    reassign(
        NoServer(),  # type: ignore[arg-type]
        "Big Rev",
        "bob@example.org",
        "eve@example.org",
        load_taxonomy(),
        salt="s",
        lock_wait_s=0,
    )


def test_a_hand_over_waits_for_a_push_or_hand_over_in_the_same_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path))
    with project_lock(NoServer.url, "Big Rev", wait_s=0), pytest.raises(StudioError) as err:
        _hand_over_in_big_rev()
    text = str(err.value)
    assert "another `annotate push` or `annotate review reassign` in 'Big Rev'" in text, text
    assert "run this `annotate review reassign` again" in text, text


def test_another_sets_lock_does_not_hold_it_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path))
    called = pytest.raises(AssertionError, match="the server was called")
    with project_lock(NoServer.url, "Other set", wait_s=0), called:
        _hand_over_in_big_rev()
