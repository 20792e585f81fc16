"""A bulk deletion whose answer was lost after the server carried it out (reader57b #5):
the re-send asks which tasks of the chunk are still there and sends only those (none:
nothing is sent: Label Studio 1.23.2 answers HTTP 500 to the ``annotations_ids`` filter
over no task), and a lost try that emptied the project, which removes the project's
Data Manager tabs, gets them put back. Without a server (an in-memory HTTP transport)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from annotate.studio import retry as retry_mod
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.guarded_delete import delete_open_tasks


class LosingServer:
    """Project 7 with open tasks 1-3 and one tab; the first bulk deletion deletes them all
    (and, as Label Studio does for an emptied project, its tabs), then its answer is lost."""

    def __init__(self) -> None:
        self.tasks = {1, 2, 3}
        self.views: list[dict[str, Any]] = [{"id": 1, "data": {"title": "Queue"}}]
        self.deletions: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.rstrip("/")
        if path == "/api/tasks":
            query = json.loads(request.url.params.get("query") or "{}")
            chosen = (query.get("selectedItems") or {}).get("included")
            ids = sorted(set(chosen) & self.tasks if chosen is not None else self.tasks)
            tasks = [
                {"id": i, "total_annotations": 0, "cancelled_annotations": 0,
                 "annotations_ids": ""}
                for i in ids
                if not any(
                    f.get("filter") == "filter:tasks:id" and f.get("operator") == "greater"
                    and i <= int(f["value"])
                    for f in (query.get("filters") or {}).get("items", [])
                )
            ]  # fmt: skip
            return httpx.Response(200, json={"total": len(tasks), "tasks": tasks})
        if path == "/api/dm/actions":
            body = json.loads(request.content)
            self.deletions.append(body)
            gone = set(body["selectedItems"]["included"]) & self.tasks
            self.tasks -= gone
            if not self.tasks:
                self.views = []
            if len(self.deletions) == 1:
                raise httpx.ReadError("the answer was lost", request=request)
            return httpx.Response(200, json={"processed_items": len(gone)})
        if path == "/api/dm/views" and request.method == "GET":
            return httpx.Response(200, json=self.views)
        if path == "/api/dm/views" and request.method == "POST":
            body = json.loads(request.content)
            self.views.append({"id": len(self.views) + 10, "data": body.get("data") or {}})
            return httpx.Response(201, json=self.views[-1])
        return httpx.Response(404, json={})


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod, "LOST_RETRY_S", 0.01)


def client_of(server: LosingServer) -> StudioClient:
    client = StudioClient(
        Connection(url="http://studio.test:8080", api_key="0" * 40, source="environment")
    )
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(server))
    return client


@pytest.mark.parametrize("guarded", [False, True], ids=["plain", "guarded"])
def test_a_lost_deletion_that_emptied_the_project_is_not_sent_again_and_its_tabs_return(
    guarded: bool,
) -> None:
    server = LosingServer()
    client = client_of(server)
    if guarded:
        delete_open_tasks(client, 7, [1, 2, 3])
    else:
        client.delete_tasks([1, 2, 3], project_id=7)
    assert server.tasks == set()
    assert len(server.deletions) == 1, server.deletions  # nothing left to send again
    assert [v["data"]["title"] for v in server.views] == ["Queue"]
