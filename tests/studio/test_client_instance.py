"""Which Label Studio answers at a URL (StudioClient.instance): the organization the token
works in, its id and creation time, so the record of pushed projects
(annotate.studio.pushed_projects) tells a local server started afresh on the same port
from the one a push recorded. The real server's answer: tests/integration/
test_push_deleted_queue.py."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from annotate.errors import StudioAuthError, StudioUnavailableError
from annotate.studio.client import StudioClient

ORGS = [
    {"id": 1, "title": "Label Studio", "created_at": "2026-11-02T10:00:00.1Z"},
    {"id": 2, "title": "Team", "created_at": "2026-12-05T09:00:00.2Z"},
]


def _client(answers: dict[str, Any]) -> StudioClient:
    client = StudioClient.__new__(StudioClient)  # no server: the reads are faked
    client.url = "http://127.0.0.1:1"
    client._me = None

    def get(path: str, action: str, **params: Any) -> Any:
        answer = answers[path]
        if isinstance(answer, Exception):
            raise answer
        return answer

    client._get = get  # type: ignore[method-assign]
    return client


def test_the_tokens_organization_names_the_server() -> None:
    client = _client(
        {"api/current-user/whoami": {"active_organization": 2}, "api/organizations/": ORGS}
    )
    assert client.instance() == "2@2026-12-05T09:00:00.2Z"
    paged = {
        "api/current-user/whoami": {"active_organization": 1},
        "api/organizations/": {"results": ORGS},
    }
    assert _client(paged).instance() == "1@2026-11-02T10:00:00.1Z"


def test_a_server_that_does_not_say_is_none_but_one_that_does_not_answer_raises(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="annotate.studio.client")
    refused = StudioAuthError("HTTP 403", fix="-")
    client = _client(
        {"api/current-user/whoami": {"active_organization": 2}, "api/organizations/": refused}
    )
    assert client.instance() is None and "did not say" in caplog.text
    unlisted = {"api/current-user/whoami": {"active_organization": 3}, "api/organizations/": ORGS}
    assert _client(unlisted).instance() is None
    down = StudioUnavailableError("does not answer", fix="-")
    with pytest.raises(StudioUnavailableError):
        _client(
            {"api/current-user/whoami": {"active_organization": 2}, "api/organizations/": down}
        ).instance()
