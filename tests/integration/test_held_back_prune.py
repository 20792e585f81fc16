"""A held-back entry goes stale once another push queues its passage, against a real Label
Studio: a push of file A with --max-graphic-per-reviewer 0 records the graphic passage as
waiting in no queue; a push of file B (the same passages, no cap) queues it, and A's entry
stayed in the record for good. `review status` now prunes it and says so; an entry whose
passage no queue holds stays, however often status runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.review.held_back import _path
from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration
GRAPHIC = "doc-c-p1"  # the fixture's one passage the model flags graphic_violence


def test_status_prunes_an_entry_another_push_queued(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "heldback.test")
    push_set(name, (ana, ben), "--max-graphic-per-reviewer", "0")
    record = _path(client.url, name)
    assert GRAPHIC in record.read_text(encoding="utf-8")
    for _ in range(2):  # still waiting: kept, run after run
        held = run("review", "status", "--project", name)
        assert "1 graphic passage(s) in no queue" in held and "pruned" not in held, held
    assert record.is_file()

    other = tmp_path / "same-passages.jsonl"
    shutil.copy(PRELABELS, other)
    push_set(name, (ana, ben), source=other)  # no cap: it is queued
    status = run("review", "status", "--project", name)
    assert "in no queue" not in status, status
    assert (
        f"note: 1 held-back record entr(ies) pruned: passages a queue holds now (e.g. {GRAPHIC!r})"
        in status
    ), status
    assert not record.exists()  # A's only entry went, and the record with it
    assert "pruned" not in run("review", "status", "--project", name)
