"""A review push stopped midway (Ctrl-C after its first reviewer queue was made) and run
again, as its error line says: a new user's run. The re-run ends with every passage in
exactly K queues, and its warning that reviewers "joined" the set (the queues the first
run had not made yet) says that a resumed push is such a case, rather than only that an
account may have been included by mistake. Against the session's real Label Studio."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import annotate.review.fanout as fanout
from annotate.studio.client import StudioClient

from .helpers import PRELABELS, fresh_title
from .review_team import add_team, run
from .test_reviewer_away import holders_of

pytestmark = pytest.mark.integration


@pytest.fixture()
def name(client: StudioClient) -> Iterator[str]:
    yield from fresh_title(client, "resume")


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
    joined = [line for line in out.splitlines() if " joined " in line]
    assert len(joined) == 1, out
    assert "A re-run of a push that stopped midway" in joined[0], out
    assert "then nothing is wrong" in joined[0], out
    held = holders_of(client, name)
    assert {len(who) for who in held.values()} == {2}, held  # K each, none twice
    assert len(held) == len(PRELABELS.read_text().splitlines()), held
    again = run("push", str(PRELABELS), "--project", name, "-k", "2", "-q")
    assert " joined " not in again and holders_of(client, name) == held, again
