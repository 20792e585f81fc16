"""The organization's account list (``GET /api/users/``, ~4 ms of server time per account)
is read once per client, and again after any write that can change accounts."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx
import pytest

from annotate.review import reviewers
from annotate.review.queues import accounts
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

_REAL_CLIENT = httpx.Client  # the fixture replaces httpx.Client for the sign-up form


class _Server:
    """Label Studio's account endpoints, counting each list read; the sign-up form adds
    an account."""

    def __init__(self) -> None:
        self.users: list[dict[str, Any]] = [
            {"id": 1, "email": "admin@x.org", "first_name": ""},
            {"id": 2, "email": "ana@x.org", "first_name": "Ana"},
        ]
        self.calls: Counter[str] = Counter()

    def handle(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        self.calls[f"{method} {path}"] += 1
        if path == "/api/users/" and method == "GET":
            return httpx.Response(200, json=self.users)
        if path == "/api/current-user/whoami":
            return httpx.Response(200, json=self.users[0])
        if path == "/api/invite":
            return httpx.Response(200, json={"token": "t0k"})
        if path.startswith("/api/users/") and method == "PATCH":
            uid = int(path.split("/")[3])
            user = next(u for u in self.users if u["id"] == uid)
            user["first_name"] = json.loads(request.content)["first_name"]
            return httpx.Response(200, json=user)
        if path.startswith("/api/organizations/") and method == "DELETE":
            uid = int(path.rstrip("/").split("/")[-1])
            for user in self.users:  # Label Studio keeps a removed member as "Deleted"
                if user["id"] == uid:
                    user["email"] = "Deleted"
            return httpx.Response(204)
        if path == "/user/signup/":
            if method == "POST":
                email = dict(httpx.QueryParams(request.content.decode()))["email"]
                self.users.append({"id": len(self.users) + 1, "email": email, "first_name": ""})
                return httpx.Response(302, headers={"location": "/projects/"})
            return httpx.Response(200, text="<form></form>")
        raise AssertionError(f"unexpected {method} {path}")

    @property
    def reads(self) -> int:
        return self.calls["GET /api/users/"]


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> _Server:
    fake = _Server()
    real = _REAL_CLIENT
    monkeypatch.setattr(  # the sign-up form's own client
        reviewers.httpx,
        "Client",
        lambda **kw: real(**{**kw, "transport": httpx.MockTransport(fake.handle)}),
    )
    return fake


def _client(server: _Server, **kw: bool) -> StudioClient:
    client = StudioClient(Connection("http://ls.test", "0" * 40, "environment"), **kw)
    hooks = client._http_client(5.0).event_hooks  # the real client's, on a fake transport
    client._http.httpx_client = _REAL_CLIENT(
        transport=httpx.MockTransport(server.handle), event_hooks=hooks
    )
    return client


def test_lookups_of_one_client_read_the_list_once(server: _Server) -> None:
    client = _client(server)
    assert reviewers.find_user(client, "ANA@x.org") == {
        "id": 2,
        "email": "ana@x.org",
        "first_name": "Ana",
    }
    assert reviewers.find_user(client, "zed@x.org") is None
    assert [u["email"] for u in reviewers.list_reviewers(client)] == ["ana@x.org"]
    assert reviewers.removed_accounts(client) == 0
    assert set(accounts(client, "salt").values()) == {(1, "admin@x.org"), (2, "ana@x.org")}
    assert server.reads == 1
    # a caller changing what it got does not change what the next one gets
    reviewers.list_users(client)[0]["email"] = "changed"
    assert reviewers.find_user(client, "admin@x.org") is not None
    # another client (another command) reads afresh
    reviewers.find_user(_client(server), "ana@x.org")
    assert server.reads == 2


def test_a_client_that_does_not_keep_the_list_reads_it_each_time(server: _Server) -> None:
    """A long-lived client (a test's, a notebook's) sees what other commands changed."""
    client = _client(server, keep_users=False)
    assert reviewers.find_user(client, "ana@x.org") is not None
    assert reviewers.find_user(client, "zed@x.org") is None
    assert server.reads == 2


def test_an_account_signed_up_by_the_same_client_is_seen(server: _Server) -> None:
    client = _client(server)
    assert reviewers.find_user(client, "cai@x.org") is None
    login = reviewers.add_reviewer(client, "cai@x.org")
    assert login.created and login.user_id == 3
    assert server.reads == 2  # the lookup before (kept for add_reviewer's), after sign-up
    assert "cai@x.org" in [u["email"] for u in reviewers.list_reviewers(client)]
    assert server.reads == 2  # the list read after the sign-up is kept
    again = reviewers.add_reviewer(client, "cai@x.org")
    assert not again.created and server.reads == 2


def test_a_rename_or_removal_through_the_client_is_seen(server: _Server) -> None:
    client = _client(server)
    reviewers.list_users(client)
    reviewers._name(client, {"id": 2}, "Ana B.")
    assert reviewers.find_user(client, "ana@x.org")["first_name"] == "Ana B."  # type: ignore[index]
    assert server.reads == 2
    client._send("api/organizations/1/memberships/2/", method="DELETE", action="removing")
    assert reviewers.list_reviewers(client) == [] and reviewers.removed_accounts(client) == 1
    assert server.reads == 3
    client.forget_users()
    reviewers.list_users(client)
    assert server.reads == 4


def test_a_removal_sent_past_send_is_seen(server: _Server) -> None:
    """Tests remove members with ``client._http.request`` directly; the SDK writes
    through its own HTTP client: both carry the hook that forgets the list."""
    client = _client(server)
    assert [u["email"] for u in reviewers.list_reviewers(client)] == ["ana@x.org"]
    client._http.request("api/organizations/1/memberships/2/", method="DELETE")
    assert reviewers.list_reviewers(client) == [] and server.reads == 2
    assert client.sdk._client_wrapper.httpx_client.httpx_client.event_hooks["request"]
