"""Project creation on a server error (CI: two pushes creating projects at once on SQLite,
one got "database is locked" as an HTML 500 page): retried (retry_lost), after checking
that the failed request made no project of that title, so a retry never makes two; where
it made several, the oldest is taken."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from annotate.errors import StudioError, StudioNotFoundError
from annotate.studio import client as client_mod
from annotate.studio.client import StudioClient
from annotate.studio.retry import LOST_ATTEMPTS


class _Http:
    """The POSTs answer ``codes`` in turn (201: a project with id 7)."""

    def __init__(self, codes: list[int]) -> None:
        self.codes = codes
        self.posts = 0

    def request(self, path: str, method: str, **kwargs: Any) -> httpx.Response:
        code = self.codes[self.posts]
        self.posts += 1
        if code == 201:
            return httpx.Response(201, json={"id": 7})
        return httpx.Response(code, text="<html><title>500 | Label Studio</title></html>")


def _client(codes: list[int], made: dict[str, Any] | None, monkeypatch) -> StudioClient:
    client = StudioClient.__new__(StudioClient)  # no server: the HTTP layer is faked
    client.url = "http://127.0.0.1:1"
    client._http = _Http(codes)
    monkeypatch.setattr(client, "find_projects", lambda title: [made] if made else [])
    monkeypatch.setattr(client, "get_project", lambda pid: {"id": pid, "title": "t"})
    monkeypatch.setattr(client_mod.time, "sleep", lambda s: None)
    return client


def test_a_server_error_is_retried(monkeypatch) -> None:
    client = _client([500, 201], None, monkeypatch)
    assert client.create_project("t", "<View/>")["id"] == 7
    assert client._http.posts == 2


def test_a_project_made_by_the_failed_request_is_returned_not_made_again(monkeypatch) -> None:
    client = _client([500, 201], {"id": 5, "title": "t"}, monkeypatch)
    assert client.create_project("t", "<View/>")["id"] == 5
    assert client._http.posts == 1


@pytest.mark.parametrize("runs", [2, 3])
def test_a_failed_request_the_server_ran_several_times_is_read_back_as_its_oldest(
    runs: int, monkeypatch
) -> None:
    """Label Studio on SQLite re-runs a request that found its database locked
    (``DatabaseIsLockedRetryMiddleware``, up to 15 times), a project stored by each run:
    the read-back finds several projects of the title. The oldest is returned and nothing
    sent again (ensure_project deletes the copies); it used to stop on find_project's
    "N projects in Label Studio ... are titled" error."""
    client = _client([500, 201], None, monkeypatch)
    made = [{"id": 5 + k, "title": "t"} for k in range(runs)]
    monkeypatch.setattr(client, "find_projects", lambda title: made)
    assert client.create_project("t", "<View/>")["id"] == 5
    assert client._http.posts == 1


def test_the_last_server_error_is_raised(monkeypatch) -> None:
    client = _client([500] * LOST_ATTEMPTS, None, monkeypatch)
    with pytest.raises(StudioError, match="HTTP 500"):
        client.create_project("t", "<View/>")
    assert client._http.posts == LOST_ATTEMPTS


def test_a_refusal_is_not_retried(monkeypatch) -> None:
    client = _client([400], None, monkeypatch)
    with pytest.raises(StudioError):
        client.create_project("t", "<View/>")
    assert client._http.posts == 1


class _Dropping(_Http):
    """The first POST's connection drops without an answer (a proxy, a restart)."""

    def request(self, path: str, method: str, **kwargs: Any) -> httpx.Response:
        if self.posts == 0:
            self.posts += 1
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return super().request(path, method, **kwargs)


@pytest.mark.parametrize(("made", "posts"), [(None, 2), ({"id": 5, "title": "t"}, 1)])
def test_a_dropped_connection_is_retried_unless_the_project_was_made(
    made: dict[str, Any] | None, posts: int, monkeypatch
) -> None:
    client = _client([0, 201], made, monkeypatch)
    client._http = _Dropping([0, 201])
    client.conn = None  # type: ignore[assignment]
    monkeypatch.setattr(client_mod, "unreachable_fix", lambda conn: "start it")
    assert client.create_project("t", "<View/>")["id"] == (5 if made else 7)
    assert client._http.posts == posts


@pytest.mark.parametrize(("listed", "posts", "pk"), [([], 2, 7), ([{"id": 9, "title": "x"}], 1, 9)])
def test_a_lost_snapshot_answer_is_retried_unless_the_snapshot_was_made(
    listed: list[dict[str, Any]], posts: int, pk: int, monkeypatch
) -> None:
    client = _client([0, 201], None, monkeypatch)
    client._http = _Dropping([0, 201])
    client.conn = None  # type: ignore[assignment]
    monkeypatch.setattr(client_mod, "unreachable_fix", lambda conn: "start it")
    monkeypatch.setattr(client, "_get", lambda path, action, **kw: listed)
    assert client._create_snapshot("api/projects/1/exports", "x", {"title": "x"}) == pk
    assert client._http.posts == posts


def test_a_project_deleted_before_it_is_read_is_returned_as_the_creation_answered(
    monkeypatch,
) -> None:
    """Another push making the title at the same time deleted it as a copy: the caller's
    check (push.ensure_project) takes that push's project."""
    client = _client([201], None, monkeypatch)

    def gone(pid: int) -> dict[str, Any]:
        raise StudioNotFoundError(f"no project {pid}.")

    monkeypatch.setattr(client, "get_project", gone)
    assert client.create_project("t", "<View/>") == {"id": 7}
    assert client._http.posts == 1
