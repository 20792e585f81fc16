"""The client when an answer is lost, without a server (an in-memory HTTP transport): a
read timeout is a lost answer like a dropped connection (read back, then retried), not a
failure; the timeout is ANNOTATE_STUDIO_TIMEOUT's; a server that answered before and then
stops says so (how far the run got, no "check the URL"); a URL's user:password@ is never
shown or logged. The real server behind a fault proxy:
tests/integration/test_review_lost_answers.py."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from annotate._util.urls import MaskedUrls, masked
from annotate.errors import InputError, StudioError, StudioUnavailableError
from annotate.studio import retry as retry_mod
from annotate.studio.client import DEFAULT_TIMEOUT_S, StudioClient, request_timeout
from annotate.studio.connection import Connection
from annotate.studio.push import import_retrying
from annotate.studio.retry import LOST_ATTEMPTS, retry_lost

SECRET = "s3cret-pw"
URL = f"http://ann:{SECRET}@studio.test:8080"
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod.time, "sleep", lambda s: None)
    monkeypatch.delenv("ANNOTATE_STUDIO_TIMEOUT", raising=False)


def studio(handler: Handler, url: str = URL) -> StudioClient:
    client = StudioClient(Connection(url=url, api_key="0" * 40, source="environment"))
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(handler))
    return client


def timing_out(*answers: Any) -> Handler:
    """Answers in turn, the last one again and again: an int status (JSON ``{}``), a
    dict/list (200 JSON), ``"timeout"`` (the answer does not come in time) or ``"drop"``
    (the connection is closed; the SDK itself re-sends such a request twice)."""
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if answer == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if answer == "drop":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        if isinstance(answer, int):
            return httpx.Response(answer, json={})
        return httpx.Response(200, json=answer)

    return handle


# ---- retry_lost ----------------------------------------------------------------------
def test_retry_lost_tries_again_then_gives_up_after_a_bound() -> None:
    calls: list[int] = []

    def send(attempt: int) -> str:
        calls.append(attempt)
        if attempt < 3:
            raise StudioUnavailableError("no answer.", fix="wait.")
        return "done"

    assert retry_lost(send, "x") == "done" and calls == [1, 2, 3]

    def never(attempt: int) -> None:
        raise StudioUnavailableError("no answer.", fix="wait.")

    with pytest.raises(StudioUnavailableError, match=f"gave up on y after {LOST_ATTEMPTS} tries"):
        retry_lost(never, "y")


def test_a_retry_inside_a_retry_is_tried_once() -> None:
    inner: list[int] = []

    def read_back(attempt: int) -> None:
        inner.append(attempt)
        raise StudioUnavailableError("no answer.")

    with pytest.raises(StudioUnavailableError):
        retry_lost(lambda attempt: retry_lost(read_back, "inner"), "outer")
    assert inner == [1] * LOST_ATTEMPTS  # not LOST_ATTEMPTS ** 2


def test_other_errors_are_not_retried() -> None:
    calls: list[int] = []

    def refused(attempt: int) -> None:
        calls.append(attempt)
        raise StudioError("refused.")

    with pytest.raises(StudioError, match="refused"):
        retry_lost(refused, "x")
    assert calls == [1]


# ---- timeouts ------------------------------------------------------------------------
def test_the_timeout_is_ANNOTATE_STUDIO_TIMEOUT(monkeypatch: pytest.MonkeyPatch) -> None:
    assert request_timeout() == DEFAULT_TIMEOUT_S
    monkeypatch.setenv("ANNOTATE_STUDIO_TIMEOUT", "2.5")
    assert request_timeout() == 2.5
    client = studio(timing_out({}))
    assert client._http.httpx_client is not None and client._timeout == 2.5
    assert client._http.base_timeout() == 2.5  # what each request is sent with
    for bad in ("0", "-1", "soon", "inf"):
        monkeypatch.setenv("ANNOTATE_STUDIO_TIMEOUT", bad)
        with pytest.raises(InputError, match="ANNOTATE_STUDIO_TIMEOUT"):
            request_timeout()


def test_a_read_timeout_is_a_lost_answer_and_a_read_is_sent_again() -> None:
    client = studio(timing_out({"id": 1}, "timeout", {"id": 3, "title": "t"}))
    client.whoami()
    assert client.get_project(3)["title"] == "t"  # the timed-out read, sent again


def test_a_read_timeout_before_any_answer_is_reported_at_once() -> None:
    client = studio(timing_out("timeout", {"id": 1}))
    with pytest.raises(StudioUnavailableError) as exc:
        client.whoami()
    assert "no answer within 300 s" in exc.value.what
    assert "ANNOTATE_STUDIO_TIMEOUT" in str(exc.value.fix)


def test_a_prediction_whose_answer_timed_out_is_not_made_twice() -> None:
    made: list[dict[str, Any]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            made.append(json.loads(request.content))
            raise httpx.ReadTimeout("timed out", request=request)  # made, answer late
        if request.url.path.endswith("/predictions/"):
            return httpx.Response(200, json=[{"id": 1, **p} for p in made])
        return httpx.Response(200, json={"id": 1})

    client = studio(handle)
    client.whoami()
    client.create_prediction(7, "r-ann", [])
    assert [p["model_version"] for p in made] == ["r-ann"]


# ---- the server going away during a run ----------------------------------------------
def test_a_server_gone_during_the_run_says_so_and_how_far_the_run_got() -> None:
    client = studio(timing_out({"id": 1}, "drop"))
    client.whoami()
    client.progress = "3 of 40 open task(s) copied to r-bob"
    with pytest.raises(StudioUnavailableError) as exc:
        client.update_project(5, description="x")
    what, fix = exc.value.what, str(exc.value.fix)
    assert (
        "stopped answering during the run (updating the project: the server closed the "
        "connection without a complete answer)" in what
    ), what
    assert "RemoteProtocolError" not in what  # in words, not httpx's class (s56 left #7)
    assert "done so far: 3 of 40 open task(s) copied to r-bob" in what
    assert f"gave up on updating the project after {LOST_ATTEMPTS} tries" in what
    assert "LABEL_STUDIO_URL" not in fix and "wait until it answers again" in fix


def test_a_server_that_never_answered_is_still_a_url_to_check() -> None:
    client = studio(timing_out("drop"))
    with pytest.raises(StudioUnavailableError) as exc:
        client.whoami()
    assert "does not answer" in exc.value.what and "LABEL_STUDIO_URL" in str(exc.value.fix)


# ---- credentials in the URL ----------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (URL, "http://***@studio.test:8080"),
        ("https://a:b@c@host/ls", "https://***@host/ls"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("see http://u:p@h:1/x and ann@example.org", "see http://***@h:1/x and ann@example.org"),
    ],
)
def test_masked(url: str, shown: str) -> None:
    assert masked(url) == shown


def test_a_url_with_credentials_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    client = studio(timing_out({"id": 1}, 401, "drop"))
    assert client.url == "http://***@studio.test:8080"
    client.whoami()
    errors: list[str] = []
    for call in (lambda: client.get_project(1), lambda: client.get_project(2)):
        with caplog.at_level(logging.WARNING), pytest.raises(StudioError) as exc:
            call()
        errors.append(str(exc.value))
    assert all("http://***@studio.test:8080" in e and SECRET not in e for e in errors), errors
    assert caplog.records and SECRET not in caplog.text  # the retries' warnings
    fresh = studio(timing_out("drop"))
    with pytest.raises(StudioUnavailableError) as exc:
        fresh.whoami()
    assert SECRET not in str(exc.value) and "***@studio.test" in str(exc.value)


def test_a_token_refused_under_a_url_with_credentials_says_why() -> None:
    """The HTTP client turns a URL's user:password@ into basic auth, which replaces the
    token (measured on the real server: 401 "rejected the API token")."""
    client = studio(timing_out(401))
    with pytest.raises(StudioError) as exc:
        client.whoami()
    fix = str(exc.value.fix)
    assert "remove the user:password@ from LABEL_STUDIO_URL (http://***@studio.test:8080)" in fix
    assert SECRET not in str(exc.value)


def test_logged_urls_are_masked_by_the_cli_filter() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", ("GET", f"{URL}/api/"), None
    )
    assert MaskedUrls().filter(record)
    assert record.getMessage() == "HTTP Request: GET http://***@studio.test:8080/api/"


# ---- import_retrying: the ids in the order sent ----------------------------------------
class Losing:
    """Creates each import's tasks, then loses the answer of the first; lists tasks
    newest first (a listing's order is the server's)."""

    def __init__(self) -> None:
        self.tasks: list[tuple[int, str]] = [(1, "old")]
        self.calls = 0

    def import_tasks(self, project_id: int, batch: list[dict[str, Any]]) -> Any:
        from annotate.studio.client import ImportAnswer

        self.calls += 1
        ids = []
        for t in batch:
            self.tasks.append((len(self.tasks) + 1, t["data"]["passage_id"]))
            ids.append(len(self.tasks))
        if self.calls == 1:
            raise StudioUnavailableError("no answer.")
        return ImportAnswer(ids, len(ids), 0)

    def iter_task_versions(self, project_id: int, after: int | None = None) -> Any:
        for tid, pid in sorted(self.tasks, reverse=True):
            if after is None or tid > after:
                yield tid, pid, frozenset()


def test_a_retried_import_answers_the_ids_in_the_order_sent() -> None:
    """reassign pairs each source task with its copy by this order."""
    fake = Losing()
    batch = [(p, {"data": {"passage_id": p}}) for p in ("c", "a", "b")]
    answer = import_retrying(fake, 1, batch, "queue", floor=1)  # type: ignore[arg-type]
    assert fake.calls == 1  # made by the lost call: not sent again
    assert answer.task_ids == [2, 3, 4] and answer.task_count == 3
    assert [dict(fake.tasks)[t] for t in answer.task_ids] == ["c", "a", "b"]
