"""StudioClient._task_pages reads by id (the real server: tests/integration/
test_stable_task_pages.py); here the query it sends and a server that ignores it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotate.errors import StudioError
from annotate.studio.client import StudioClient, after_id_query
from annotate.studio.connection import Connection


def _client() -> StudioClient:
    return StudioClient(
        Connection(url="http://studio.invalid:8080", api_key="x", source="environment")
    )


def test_after_id_query_keeps_the_filters_and_orders_by_id() -> None:
    first = json.loads(after_id_query(None, None))
    assert first == {"filters": {"conjunction": "and", "items": []}, "ordering": ["tasks:id"]}
    base = {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:x"}]}}
    later = json.loads(after_id_query(json.dumps(base), 41))
    assert later["filters"]["items"] == [
        {"filter": "filter:tasks:x"},
        {"filter": "filter:tasks:id", "operator": "greater", "type": "Number", "value": 41},
    ]
    assert later["ordering"] == ["tasks:id"]
    either = {"filters": {"conjunction": "or", "items": [{"filter": "a"}, {"filter": "b"}]}}
    with pytest.raises(ValueError, match="'and'"):
        after_id_query(json.dumps(either), 3)


def test_pages_follow_the_last_id_and_stop_at_the_total(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's rows as it would list them: each request past the last id read."""
    rows = list(range(1, 8))
    asked: list[int | None] = []

    def get(path: str, action: str, **params: Any) -> Any:
        items = json.loads(params["query"])["filters"]["items"]
        after = next((f["value"] for f in items if f["filter"] == "filter:tasks:id"), None)
        asked.append(after)
        left = [r for r in rows if after is None or r > after]
        if after == 3:
            rows.remove(2)  # deleted after its page was read: nothing shifts
        return {"tasks": [{"id": r} for r in left[:3]], "total": len(left)}

    client = _client()
    monkeypatch.setattr(client, "_get", get)
    assert [t["id"] for t in client._task_pages("listing", page_size=3)] == list(range(1, 8))
    assert asked == [None, 3, 6]  # the last page held every task left: no empty request


def test_a_server_ignoring_the_id_filter_is_an_error_not_a_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = _client()
    monkeypatch.setattr(
        client, "_get", lambda *a, **k: {"tasks": [{"id": 1}, {"id": 2}], "total": 5}
    )
    with pytest.raises(StudioError, match="filters by id"):
        list(client._task_pages("listing", page_size=2))


def test_a_server_ignoring_the_ordering_is_an_error_not_a_silent_skip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server applying the id filter but not the ordering lists some tasks past the last
    id, not the first ones: reading on from the largest would skip those between."""
    rows = [9, 2, 7, 4, 5, 1, 8, 3, 6]  # the server's own order, not by id

    def get(path: str, action: str, **params: Any) -> Any:
        items = json.loads(params["query"])["filters"]["items"]
        after = next((f["value"] for f in items if f["filter"] == "filter:tasks:id"), None)
        left = [r for r in rows if after is None or r > after]
        return {"tasks": [{"id": r} for r in left[:3]], "total": len(left)}

    client = _client()
    monkeypatch.setattr(client, "_get", get)
    with pytest.raises(StudioError, match="ordering"):
        list(client._task_pages("listing", page_size=3))
    # the last page may come in any order: it holds every task left
    rows[:] = [3, 1, 2]
    assert [t["id"] for t in client._task_pages("listing", page_size=3)] == [1, 2, 3]
