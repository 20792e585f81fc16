"""A server error (HTTP 500 with the API's JSON reason) answering a read, e.g. a push's
listing of the tasks a project holds (faults61 #1). The SDK sends the read 3 times in all
(0.5 s, then 1 s apart), then the command stops with one line; its fix said "from a row
it cannot store (a refused push batch is split to name such rows)", which a read has
none of, and not that the same command run again is safe (a push resumes). Now the
error says it comes from the server or its database, and the CLI adds the re-run's
words. The real server behind the fault proxy: a push whose every GET /api/tasks is
answered 500 gives this line, and the re-run pushed every passage once (faults61.md)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import annotate.studio.push as push_mod
from annotate.errors import StudioServerError
from annotate.studio.client import SDK_TRIES, StudioClient
from annotate.studio.connection import Connection
from tests.audit.cli_run import run_cli

URL = "http://studio.test:8080"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("label_studio_sdk.core.http_client.time.sleep", lambda s: None)
    monkeypatch.setattr("annotate.studio.retry.time.sleep", lambda s: None)


def failing_reads(seen: list[str]) -> StudioClient:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.url.path == "/api/current-user/whoami":
            return httpx.Response(200, json={"id": 1, "email": "a@b.c"})
        return httpx.Response(
            500, json={"status_code": 500, "detail": "Internal error: boom", "id": "x"}
        )

    client = StudioClient(Connection(url=URL, api_key="0" * 40, source="environment"))
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(handle))
    return client


def test_a_server_error_on_a_read_is_tried_three_times_and_says_a_rerun_is_safe() -> None:
    seen: list[str] = []
    client = failing_reads(seen)
    with pytest.raises(StudioServerError) as err:
        list(client.iter_tasks(7))
    assert seen == ["GET /api/tasks/"] * SDK_TRIES
    assert err.value.read and err.value.status == 500
    said = str(err.value)
    assert "listing tasks" in said and "Internal error: boom" in said and "3 tries" in said
    assert "row it cannot store" not in said and "split" not in said
    assert "not from the input" in said


def test_the_cli_says_the_push_resumes_when_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def listing_fails(*args: object, **kwargs: object) -> None:
        raise StudioServerError(
            "Label Studio at http://x failed while listing tasks (HTTP 500 ...): boom.",
            fix="see the server log ...; wait until it reads again",
            status=500,
            read=True,
        )

    monkeypatch.setattr(push_mod, "push", listing_fails)
    pre = tmp_path / "prelabels.jsonl"
    pre.write_text("")
    code, err = run_cli(["push", str(pre), "--project", "read fails"], capsys)
    assert code == 1, err
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].endswith(
        "wait until it reads again; then run the same command again (a push resumes "
        "where it stopped, without duplicates)."
    ), lines[0]
