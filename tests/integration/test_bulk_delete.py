"""StudioClient.delete_tasks deletes in chunks with the Data Manager action: an interrupted
call has deleted whole chunks and a second call deletes the rest; emptying a project keeps
its tabs; a server without the action gets one request per task."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from annotate.studio import client as client_mod
from annotate.studio.client import StudioClient

CONFIG = '<View><Text name="text" value="$text"/></View>'


def _ids(client: StudioClient, project_id: int) -> list[int]:
    return sorted(int(t["id"]) for t in client.iter_tasks(project_id, include="id"))


def _project(client: StudioClient, name: str, n: int) -> tuple[int, list[int]]:
    pid = int(client.create_project(name, CONFIG)["id"])
    answer = client.import_tasks(pid, [{"data": {"text": f"t{i}"}} for i in range(n)])
    return pid, sorted(answer.task_ids)


def test_chunks_resume_and_tabs(
    client: StudioClient, project_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, ids = _project(client, project_name, 7)
    client.create_view(pid, {"title": "Queue"})
    monkeypatch.setattr(client_mod, "DELETE_CHUNK", 3)
    original = client._http.request
    calls: list[Any] = []

    def second_chunk_fails(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("params", {}).get("id") == "delete_tasks":
            calls.append(kwargs["json"]["selectedItems"]["included"])
            if len(calls) == 2:
                raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(client._http, "request", second_chunk_fails)
    with pytest.raises(KeyboardInterrupt):
        client.delete_tasks(ids[1:], project_id=pid)
    assert calls == [ids[1:4], ids[4:7]]
    assert _ids(client, pid) == [ids[0], *ids[4:]]  # the first chunk went, nothing else

    calls.clear()
    monkeypatch.setattr(client._http, "request", original)
    client.delete_tasks(ids, project_id=pid)  # the re-run: gone ids are no error
    assert _ids(client, pid) == []
    titles = [(v.get("data") or {}).get("title") for v in client.list_views(pid)]
    assert "Queue" in titles  # the action drops an emptied project's tabs; they come back


def test_fallback_without_the_action(
    client: StudioClient,
    project_name: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    pid, ids = _project(client, project_name, 3)
    original = client._http.request

    def no_action(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("params", {}).get("id") == "delete_tasks":
            from annotate._util.http import httpx

            return httpx.Response(404, json={"detail": "Not found."})
        return original(*args, **kwargs)

    monkeypatch.setattr(client._http, "request", no_action)
    with caplog.at_level(logging.INFO, logger="annotate.studio.client"):
        client.delete_tasks(ids[:2], project_id=pid)
    assert _ids(client, pid) == [ids[2]]
    assert "no bulk delete_tasks action" in caplog.text


@pytest.mark.parametrize("bulk", [True, False])
def test_delete_open_tasks_keeps_answered_skipped_and_drafted(
    client: StudioClient, project_name: str, monkeypatch: pytest.MonkeyPatch, bulk: bool
) -> None:
    """delete_open_tasks deletes only the tasks still open when the server deletes them:
    an answer, a skip or a draft keeps its task (with --discard-drafts, keep_drafted=False,
    a draft does not); a server without the bulk action is asked by one filtered listing."""
    from annotate.studio.guarded_delete import delete_open_tasks

    pid, ids = _project(client, project_name, 5)
    result = [{"from_name": "x", "to_name": "text", "type": "choices", "value": {"choices": []}}]
    client.sdk.annotations.create(id=ids[0], result=result)
    client.sdk.annotations.create(id=ids[1], result=[], was_cancelled=True)
    client._send(f"api/tasks/{ids[2]}/drafts", method="POST", action="draft", json={"result": []})
    if not bulk:
        original = client._http.request

        def no_action(*args: Any, **kwargs: Any) -> Any:
            if kwargs.get("params", {}).get("id") == "delete_tasks":
                from annotate._util.http import httpx

                return httpx.Response(404, json={"detail": "Not found."})
            return original(*args, **kwargs)

        monkeypatch.setattr(client._http, "request", no_action)
    delete_open_tasks(client, pid, ids)
    assert _ids(client, pid) == ids[:3]  # the open ones went
    delete_open_tasks(client, pid, ids, keep_drafted=False)
    assert _ids(client, pid) == ids[:2]  # the drafted one too; answers and skips stay
