"""A review push stopped midway (Ctrl-C after its first reviewer queue was made) and run
again, as its error line says: a new user's run. The re-run ends with every passage in
exactly K queues, and it no longer warns that the reviewers whose queues the first run had
not made yet "joined" the set (nobody did: the stopped run meant them, and its local record
says so); an account added between the two runs is still named. The record serves only
a re-run of the same files: the set's next push of another file discards it, and a push
that ends leaves none. Against the session's real Label Studio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import annotate.review.fanout as fanout
from annotate.review import push_intent
from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import add_team, run
from .test_reviewer_away import a_passage_for, holders_of, one_passage

pytestmark = pytest.mark.integration


def test_a_push_stopped_after_its_first_queue_resumes_and_says_why_reviewers_joined(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_team(("ana", "ben", "cai"), "resume.test")
    made: list[Any] = []
    real = fanout.create_queue

    def stopped_after_one(*args: Any, **kwargs: Any) -> Any:
        if made:
            raise KeyboardInterrupt  # Ctrl-C while the push makes its second queue
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(fanout, "create_queue", stopped_after_one)
    stopped = run("push", str(PRELABELS), "--project", name, "-k", "2", "-q", code=130)
    assert "interrupted (Ctrl-C)" in stopped and "run the same command again" in stopped
    first = holders_of(client, name)
    assert first and all(len(who) == 1 for who in first.values()), first  # one queue
    monkeypatch.setattr(fanout, "create_queue", real)

    out = run("push", str(PRELABELS), "--project", name, "-k", "2", "-q")
    assert " joined " not in out, out  # the stopped run meant every one of them
    held = holders_of(client, name)
    assert {len(who) for who in held.values()} == {2}, held  # K each, none twice
    assert len(held) == len(PRELABELS.read_text().splitlines()), held
    assert not list(push_intent.records_folder().iterdir())  # a push that ended: no record
    again = run("push", str(PRELABELS), "--project", name, "-k", "2", "-q")
    assert " joined " not in again and holders_of(client, name) == held, again


def test_an_account_added_while_a_push_was_stopped_is_still_named(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    add_team(("ana", "ben"), "resume-late.test")
    real = fanout.create_queue
    made: list[Any] = []

    def stopped_after_one(*args: Any, **kwargs: Any) -> Any:
        if made:
            raise KeyboardInterrupt
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(fanout, "create_queue", stopped_after_one)
    run("push", str(PRELABELS), "--project", name, "-k", "2", "-q", code=130)
    assert len(list(push_intent.records_folder().iterdir())) == 1  # the stopped run's
    monkeypatch.setattr(fanout, "create_queue", real)
    (late,) = add_team(("dan",), "resume-late.test")  # not meant by the stopped run
    # a passage the push gives him (the server's other accounts may leave him none of
    # the fixture's few): the set's next push, still under the stopped run's record
    pid = a_passage_for(client, late, holders_of(client, name))
    before = set(reviewer_projects(client, name))
    out = run("push", str(one_passage(tmp_path, pid)), "--project", name, "-k", "2", "-q")
    after = set(reviewer_projects(client, name))
    assert late in after, out
    joined = [line for line in out.splitlines() if " joined " in line]
    assert len(joined) == 1 and late in joined[0], out
    # not a re-run of the stopped push (another file): judged without its record, so
    # every first queue of this push is named, and the queues there before are not
    assert all(e in joined[0] for e in after - before), out
    assert all(e not in joined[0] for e in before), out
    assert not list(push_intent.records_folder().iterdir())  # discarded, and none of its own
