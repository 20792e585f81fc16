"""A weekly batch pushed into a review set that holds last week's: the push line counts
this batch's passages already in each queue, not the whole queue (before, week 2's 3 new
passages read "3 added (0 gold), 3 already there", as if they were all there twice)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import add_team, push_set

pytestmark = pytest.mark.integration


def test_second_batch_counts_its_own_passages_already_there(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "batches.test")
    lines = PRELABELS.read_text().splitlines(keepends=True)
    week1, week2 = tmp_path / "week1.jsonl", tmp_path / "week2.jsonl"
    week1.write_text("".join(lines[:3]))
    week2.write_text("".join(lines[3:]))
    push_set(name, (ana, ben), source=week1)
    out = push_set(name, (ana, ben), source=week2)
    new = len(lines) - 3
    assert (
        out.count(f" {new} added (0 gold), 0 already there (queue now {len(lines)} tasks") == 2
    ), out
    # a re-push of week 2: all of its passages are there, nothing added
    out = push_set(name, (ana, ben), source=week2)
    assert (
        out.count(f" 0 added (0 gold), {new} already there (queue now {len(lines)} tasks") == 2
    ), out
    # the whole set again: every passage there, the queue holds nothing else
    out = push_set(name, (ana, ben))
    assert out.count(f" 0 added (0 gold), {len(lines)} already there ->") == 2, out
