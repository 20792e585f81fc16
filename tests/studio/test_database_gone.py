"""A server error that is the server's database, not the request (PostgreSQL stopped or
restarting under Label Studio): its JSON reason names the database connection, or Label
Studio answers its HTML error page in place of the API's JSON. Such an answer is lost
like a dropped connection (read back, retried, then "run the same command again"), never
a refused batch split row by row; a row the database refuses (JSON reason) stays a
server error. The real server: tests/integration/test_postgres.py
(test_a_push_outlives_a_database_restart)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from annotate.errors import StudioServerError, StudioUnavailableError
from annotate.studio import retry as retry_mod
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

URL = "http://studio.test:8080"
GONE = (
    'connection failed: connection to server at "127.0.0.1", port 25432 failed: FATAL: '
    "the database system is shutting down"
)
PAGE = "<!doctype html><html><head><title>500 | Label Studio</title></head></html>"
FRAGMENT = "<h1>Server Error (500)</h1>"  # Django's own page, without a 500.html template
NUL_ROW = "unsupported Unicode escape sequence DETAIL: \\u0000 cannot be converted to text."


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod.time, "sleep", lambda s: None)


def studio(*answers: Any) -> tuple[StudioClient, list[str]]:
    """A client whose server answers ``answers`` in turn (the last one again): a str is a
    500 (JSON ``detail`` or an HTML page), a list a 200 JSON."""
    queue = list(answers)
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, str) and answer.startswith("<"):
            return httpx.Response(500, text=answer, headers={"content-type": "text/html"})
        if isinstance(answer, str):
            return httpx.Response(500, json={"status_code": 500, "detail": answer})
        return httpx.Response(200, json=answer)

    client = StudioClient(Connection(url=URL, api_key="0" * 40, source="environment"))
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(handle))
    client.answered = 1  # it answered before: a lost answer of a read is sent again
    return client, seen


@pytest.mark.parametrize("answer", [GONE, PAGE, FRAGMENT, "database is locked"])
def test_an_import_the_database_fails_is_a_lost_answer(answer: str) -> None:
    client, _ = studio(answer)
    with pytest.raises(StudioUnavailableError) as err:
        client.import_tasks(1, [{"data": {"text": "x"}}])
    assert "HTTP 500" in err.value.what and "database" in err.value.what
    assert "wait until the server and its database answer again" in (err.value.fix or "")
    assert not err.value.gone  # retried (push.import_retrying reads back first)


@pytest.mark.parametrize(
    ("reason", "fix"),
    [
        ("database or disk is full", "free disk space where the server keeps its database"),
        ("disk I/O error", "check the disk that holds the server's database"),
        ("attempt to write a readonly database", "writable again"),
        ("unable to open database file", "check the disk that holds the server's database"),
        ("could not extend file: No space left on device", "free disk space"),
        ("cannot execute INSERT in a read-only transaction", "writable again"),
    ],
)
def test_a_server_that_cannot_store_fails_at_once_with_the_fix(
    reason: str, fix: str, tmp_path: Any
) -> None:
    """SQLite's (the local server's default) and PostgreSQL's reasons about where the
    server keeps its data: no request can mend them, so neither retried nor split."""
    client, seen = studio(reason)
    with pytest.raises(StudioUnavailableError) as err:
        client.import_tasks(1, [{"data": {"text": "x"}}])
    assert err.value.gone and seen == ["POST"]
    assert reason in err.value.what and "cannot store anything" in err.value.what
    assert fix in (err.value.fix or "") and "a team server, its admin" in (err.value.fix or "")
    # a read fails at once too, for the local server naming its folder and log
    client, seen = studio(reason)
    object.__setattr__(client.conn, "data_dir", tmp_path / "studio" / "data")
    with pytest.raises(StudioUnavailableError) as err:
        client.whoami()
    assert seen == ["GET"] * 3  # the SDK's own two re-sends of a 5xx read, then none more
    assert str(tmp_path / "studio") in (err.value.fix or "")


def test_a_read_the_database_fails_is_sent_again_until_it_answers() -> None:
    # the SDK's HTTP client sends a read that failed with a 5xx twice more itself (3 in
    # all); past those, the read is a lost answer, sent again (it was a server error)
    client, seen = studio(GONE, PAGE, GONE, PAGE, {"id": 1, "email": "a@b.c"})
    assert client.whoami()["id"] == 1
    assert seen == ["GET"] * 5


def test_a_row_the_database_refuses_stays_a_server_error() -> None:
    client, seen = studio(NUL_ROW)
    with pytest.raises(StudioServerError) as err:
        client.import_tasks(1, [{"data": {"text": "x"}}])
    assert not isinstance(err.value, StudioUnavailableError)
    assert "cannot be converted to text" in err.value.what and seen == ["POST"]
