"""`annotate review reassign --not-away`: a lead rebalancing the work of a reviewer who is
still at it. Without it the hand-over marks the reviewer away in the review set, so the
next push that names no --reviewer skips them; with it they are not marked (an earlier
mark is cleared), and the summary says which it was. Against the session's real Label
Studio and its accounts."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.queues import away_of
from annotate.studio.client import StudioClient

from .helpers import PRELABELS, passage_ids
from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration


def away(client: StudioClient, name: str, email: str) -> str | None:
    """The away mark of ``email``'s queue in review set ``name`` (None: not away)."""
    return away_of(reviewer_projects(client, name)[email])


def test_a_rebalance_leaves_the_reviewer_available_and_says_so(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben, cai, dan = add_team(("ana", "ben", "cai", "dan"), "not-away.test")
    reassign = ["review", "reassign", "--project", name]
    push_set(name, (ana, ben, cai))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    assert passage_ids(client, ana_q)  # she has open tasks; the lead moves them, she works on

    out = run(*reassign, "--from", ana, "--to", dan, "--not-away")
    assert "open task(s) (0 gold) moved from" in out and passage_ids(client, ana_q) == [], out
    assert f"{ana} (r-" in out and "is not marked away (--not-away)" in out, out
    assert "marked away in" not in out, out
    assert away(client, name, ana) is None
    assert "[away since " not in run("review", "status", "--project", name)

    # the default still marks away, and says so; a second hand-over keeps the first mark
    out = run(*reassign, "--from", ben, "--to", dan)
    assert "is now marked away in" in out and "--not-away" in out, out
    since = away(client, name, ben)
    assert since is not None
    out = run(*reassign, "--from", ben, "--to", dan)
    assert f"stays marked away in '{name}' (since {since})" in out, out
    assert away(client, name, ben) == since
    # the lead finds ben at work after all: --not-away clears the mark
    out = run(*reassign, "--from", ben, "--to", dan, "--not-away")
    assert "is no longer marked away in" in out, out
    assert away(client, name, ben) is None

    # a push without --reviewer leaves out only whom a hand-over left away: nobody now
    run(*reassign, "--from", cai, "--to", dan)
    row = json.loads(PRELABELS.read_text().splitlines()[0])
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({**row, "id": f"na-{uuid.uuid4().hex[:6]}"}) + "\n")
    out = push_set(name, (), source=more)
    left_out = re.search(r"note: (.*) left out: away since", out)
    assert left_out is not None and cai in left_out.group(1), out
    assert ana not in left_out.group(1) and ben not in left_out.group(1), out
