"""A reviewer on leave: after `annotate review reassign` handed their open tasks on, a push
into the review set that names no --reviewer gave them new passages again (the team
lead's report). The hand-over now marks them away in the review set; such a push leaves
them out and says so, and naming them with --reviewer brings them back. Against the
session's real Label Studio and its accounts."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from annotate.review.assignment import assign
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import DEMO_EMAILS, list_reviewers
from annotate.studio.client import StudioClient

from .helpers import PRELABELS, passage_ids
from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration


def one_passage(tmp_path: Path, pid: str) -> Path:
    """A pre-label table of one new passage (the fixture's first row, another id and its
    text with the id appended: the same text under another id is a re-post, which push
    leaves out)."""
    row = json.loads(PRELABELS.read_text().splitlines()[0])
    out = tmp_path / f"{pid}.jsonl"
    out.write_text(json.dumps({**row, "id": pid, "text": f"{row['text']} ({pid})"}) + "\n")
    return out


def holders_of(client: StudioClient, name: str) -> dict[str, set[str]]:
    """Passage -> the reviewers (e-mails) whose queue in review set ``name`` holds it."""
    out: dict[str, set[str]] = {}
    for email, proj in reviewer_projects(client, name).items():
        for pid in passage_ids(client, int(proj["id"])):
            out.setdefault(pid, set()).add(email)
    return out


def a_passage_for(client: StudioClient, wanted: str, held: dict[str, set[str]]) -> str:
    """A new passage id that a push without --reviewer (K = 2, every member but the demo
    accounts) would give to ``wanted`` were they not left out: the least loaded, ties
    broken by a hash of passage and e-mail. ``held``: the review set's passage ->
    holders."""
    members = [str(u["email"]).lower() for u in list_reviewers(client)]
    candidates = [e for e in members if e not in DEMO_EMAILS]
    tag = uuid.uuid4().hex[:6]
    for i in range(20_000):
        pid = f"away-{tag}-{i}"
        if wanted in assign([pid], candidates, 2, held)[pid]:
            return pid
    raise AssertionError(f"no passage id goes to {wanted} among {len(candidates)} accounts")


def test_a_reviewer_whose_tasks_were_handed_on_gets_no_new_passages_until_named(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben, cai, dan = add_team(("ana", "ben", "cai", "dan"), "away-team.test")
    push_set(name, (ana, ben, cai))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    assert passage_ids(client, ana_q)  # she has open tasks, and goes on leave

    out = run("review", "reassign", "--project", name, "--from", ana, "--to", dan)
    assert "open task(s) (0 gold) moved from" in out and "marked away" in out, out
    assert passage_ids(client, ana_q) == []
    status = run("review", "status", "--project", name)
    assert f"{ana} (r-" in status and "[away since " in status, status
    assert status.count("[away since ") == 1, status  # dan took work: not away

    # a new passage that goes to ana were she counted (her queue is empty: least loaded)
    pid = a_passage_for(client, ana, holders_of(client, name))
    out = push_set(name, (), source=one_passage(tmp_path, pid))
    assert f"note: {ana} left out: away" in out, out
    assert passage_ids(client, ana_q) == []  # nothing new for her
    holders = holders_of(client, name)[pid]
    assert len(holders) == 2 and ana not in holders, holders

    # named with --reviewer she is back: she gets passages, and is no longer away
    pid2 = f"back-{uuid.uuid4().hex[:6]}"
    out = push_set(name, (ana, ben), source=one_passage(tmp_path, pid2))
    assert f"note: {ana} named with --reviewer: no longer away" in out, out
    assert passage_ids(client, ana_q) == [pid2]
    status = run("review", "status", "--project", name)
    assert "[away since " not in status, status
