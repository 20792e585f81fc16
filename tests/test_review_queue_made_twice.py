"""A reviewer queue whose creation the server carried out several times: Label Studio on
SQLite re-runs a request that found its database locked (``DatabaseIsLockedRetryMiddleware``,
up to 15 times), and a project creation stores its project before the write that fails,
so one request makes a queue each run and the answer names the last. create_queue
deleted only its own (the last) when it was not the oldest, so a creation run three
times left two queues of the reviewer, and every later command on the set refused it
(two queues of one reviewer). Now every empty copy goes, whichever run made it, and the
oldest, kept, gets its Data Manager tab (the server's first copy has none); a copy
holding tasks is never deleted."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from annotate.review.fanout import push_review
from annotate.review.queue_tasks import create_queue
from annotate.review.view import QUEUE_TAB
from annotate.taxonomy import load_taxonomy
from tests.test_review_fanout import PRELABELS
from tests.test_review_queue_race import RacingStudio, _queues

ALIAS = "r-0123456789"


class RepeatingStudio(RacingStudio):
    """A Label Studio that runs each queue creation ``runs`` times in all (a queue each,
    the answer naming the last); ``filled``: the ids of copies another push fills with a
    task at once (a copy it took for its queue: never deleted)."""

    def __init__(self, runs: int, filled: tuple[int, ...] = ()) -> None:
        super().__init__("none")
        self.runs = runs
        self.filled = filled

    def create_project(self, title: str, label_config: str, **kw: Any) -> dict:
        for _ in range(self.runs - 1):
            made = super().create_project(title, label_config, **kw)
            if made["id"] in self.filled:
                task = {"id": 1000 + made["id"], "data": {}, "predictions": []}
                self.tasks[made["id"]].append(task)
        return super().create_project(title, label_config, **kw)


def _deleted_said(text: str) -> list[int]:
    return [int(i) for i in re.findall(r"deleting project '[^']*' \(id (\d+)\)", text)]


@pytest.mark.parametrize("runs", [2, 3, 5])
def test_a_queue_the_server_made_several_times_ends_as_its_oldest_with_its_tab(
    runs: int, caplog: Any
) -> None:
    client = RepeatingStudio(runs)
    with caplog.at_level(logging.WARNING):
        got = create_queue(client, "Batch", ALIAS, "<View/>", "m", load_taxonomy(), set(), 2)  # type: ignore[arg-type]
    assert got["id"] == 1 and list(client.projects) == [1], client.projects
    assert sorted(client.deleted) == list(range(2, runs + 1))
    assert set(_queues(client).values()) == {1}
    assert [v["data"]["title"] for v in client.views.get(1, [])] == [QUEUE_TAB]
    assert sorted(_deleted_said(caplog.text)) == list(range(2, runs)), caplog.text
    assert f"the queue this push made ({runs}) was deleted, 1 is used" in caplog.text


def test_a_copy_holding_tasks_is_left_and_said_so(caplog: Any) -> None:
    client = RepeatingStudio(3, filled=(2,))
    with caplog.at_level(logging.WARNING):
        got = create_queue(client, "Batch", ALIAS, "<View/>", "m", load_taxonomy(), set(), 2)  # type: ignore[arg-type]
    assert got["id"] == 1 and client.deleted == [3] and list(client.projects) == [1, 2]
    assert "(id 2), made at the same time as the one kept (id 1), holds 1 task(s)" in caplog.text


@pytest.mark.parametrize("runs", [3, 5])
def test_a_review_push_whose_creations_the_server_repeated_ends_one_queue_per_reviewer(
    runs: int,
) -> None:
    client = RepeatingStudio(runs)
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    made = _queues(client)
    assert len(made) == len(result.reviewers) and set(made.values()) == {1}, made
    for share in result.reviewers:
        assert client.tasks[share.project_id]
        assert [v["data"]["title"] for v in client.views[share.project_id]] == [QUEUE_TAB]
