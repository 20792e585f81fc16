"""Deletions of tasks on a server whose stored answer counters are behind the answers
(annotate.studio.answer_guard), without a server (an in-memory HTTP transport). Label
Studio 1.23.2 after two project deletions at once keeps ``total_annotations`` at 0 for
every new answer: a late copy, a hand-over or a guarded deletion that decides
"unanswered" from those counters deleted answered tasks with their answers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from annotate.review import late_copies
from annotate.studio.answer_guard import DeletionRefusedError
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.guarded_delete import delete_open_tasks


class Server:
    """Tasks 1-3 of project 7, all counted 0 (lost signals); ``answers``: the answer ids
    each really holds. Records every bulk deletion sent."""

    def __init__(self, answers: dict[int, list[int]]) -> None:
        self.answers = answers
        self.deletions: list[dict[str, Any]] = []

    def task(self, tid: int, computed: bool = True) -> dict[str, Any]:
        # Label Studio fills the computed columns only for fields=all, else ""
        ids = ",".join(str(a) for a in self.answers.get(tid, [])) if computed else ""
        return {
            "id": tid,
            "data": {"passage_id": "p"},
            "total_annotations": 0,
            "cancelled_annotations": 0,
            "annotations_ids": ids,
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.rstrip("/")
        if path == "/api/tasks":
            query = json.loads(request.url.params.get("query") or "{}")
            chosen = (query.get("selectedItems") or {}).get("included")
            ids = sorted(chosen if chosen is not None else [1, 2, 3])
            after = [i for i in ids if i > _after(query)]
            computed = request.url.params.get("fields") == "all"
            tasks = [self.task(i, computed) for i in after]
            return httpx.Response(200, json={"total": len(after), "tasks": tasks})
        if path == "/api/dm/actions":
            self.deletions.append(json.loads(request.content))
            return httpx.Response(200, json={"processed_items": 0})
        if path == "/api/dm/views":
            return httpx.Response(200, json=[])
        return httpx.Response(404, json={})


def _after(query: dict[str, Any]) -> int:
    for item in (query.get("filters") or {}).get("items", []):
        if item.get("filter") == "filter:tasks:id" and item.get("operator") == "greater":
            return int(item["value"])
    return 0


def client_of(server: Server) -> StudioClient:
    client = StudioClient(
        Connection(url="http://studio.test:8080", api_key="0" * 40, source="environment")
    )
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(server))
    return client


def test_deleting_tasks_whose_counters_miss_their_answers_is_refused_and_deletes_nothing() -> None:
    server = Server({2: [40, 41]})
    with pytest.raises(DeletionRefusedError) as err:
        client_of(server).delete_tasks([1, 2, 3], project_id=7)
    assert server.deletions == []
    assert err.value.task_ids == [2]
    assert "ids 2" in str(err.value) and "calculate_stats_all_orgs" in err.value.fix


def test_an_open_tasks_deletion_leaves_out_only_the_stale_tasks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # reader57 #4: its annotations_ids filter keeps answered tasks anyway, so the whole
    # clean-up was refused for nothing; the stale task is now left out and named
    server = Server({1: [9]})
    delete_open_tasks(client_of(server), 7, [1, 2])
    (sent,) = server.deletions
    assert sent["selectedItems"] == {"all": False, "included": [2]}
    assert "(ids 1)" in caplog.text and "calculate_stats_all_orgs" in caplog.text
    every = Server({1: [9], 2: [10]})
    delete_open_tasks(client_of(every), 7, [1, 2])
    assert every.deletions == []  # nothing open: no request
    with pytest.raises(DeletionRefusedError):  # a filter that does not keep answered tasks
        client_of(server).delete_tasks([1, 2], project_id=7, filters={"items": []})


def test_a_guarded_deletion_asks_the_server_for_no_answers() -> None:
    clean = Server({})
    delete_open_tasks(client_of(clean), 7, [1, 2])
    items = clean.deletions[0]["filters"]["items"]
    assert {
        "filter": "filter:tasks:annotations_ids",
        "operator": "empty",
        "type": "Unknown",
        "value": True,
    } in items


def test_a_late_copy_answered_on_a_server_counting_nothing_is_not_deleted() -> None:
    server = Server({3: [77]})
    tasks = [server.task(t) for t in (1, 2, 3)]  # the listing: every task counted 0
    with pytest.raises(DeletionRefusedError):
        late_copies.drop_extra_copies(
            client_of(server), 7, tasks, key=lambda t: t["data"]["passage_id"], drafted=set
        )
    assert server.deletions == []


def test_tasks_whose_answers_are_counted_are_deleted() -> None:
    server = Server({})
    client_of(server).delete_tasks([1, 2], project_id=7)
    assert server.deletions[0]["selectedItems"] == {"all": False, "included": [1, 2]}
