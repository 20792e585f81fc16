"""A push against a server that fails every import (new-user faults49 F4): it was split
row by row, 2N requests and 3N log lines before anything useful was said. A reason
naming the server's storage (SQLite's "database or disk is full", "disk I/O error", "attempt
to write a readonly database") now stops the push at its first import, and any other
server error stops it once SERVER_FAILING_ROWS passages in a row were refused alone with
the same reason; rows the server cannot store, and rows it refuses (HTTP 400), are still
split out and named one by one. The imports go through the real StudioClient over an
httpx.MockTransport, so its error mapping is what push sees. The real server:
tests/integration/test_push_lost_answers.py (the fault proxy's "500" modes)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from annotate.errors import StudioError, StudioUnavailableError
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import SERVER_FAILING_ROWS, push
from tests.studio.test_push import PRELABELS, RefusingClient

HTML_FRAGMENT = "<h1>Server Error (500)</h1>"  # Django's page without a 500.html template
NUL_ROW = "unsupported Unicode escape sequence DETAIL: \\u0000 cannot be converted to text."


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotate.studio.retry.time.sleep", lambda s: None)


def many_prelabels(tmp_path: Path, n: int) -> Path:
    """``n`` one-passage documents, each a copy of the fixture's first row."""
    first = json.loads(PRELABELS.read_text().splitlines()[0])
    rows = [
        {
            **first,
            "id": f"doc-{i:03d}-p0",
            "doc_id": f"doc-{i:03d}",
            "text": f"{first['text']} ({i})",
            "spans": [],
            "end": len(first["text"]) + 6,
            "source": f"https://example.org/doc-{i:03d}",
        }
        for i in range(n)
    ]
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


class FailingServer(RefusingClient):
    """RefusingClient whose imports are answered by ``answer(passage ids)``: None, the
    fake creates the tasks; else that HTTP answer, read by the real StudioClient."""

    def __init__(self, answer: Any) -> None:
        super().__init__(set())
        self.answer = answer
        self.posts = 0
        self.project: dict[str, Any] | None = None  # the one project, once made

    def create_project(self, title: str, label_config: str, **kw: Any) -> dict[str, Any]:
        self.project = super().create_project(title, label_config, **kw)
        return self.project

    def find_project(self, title: str) -> dict[str, Any] | None:
        return self.project

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return [self.project] if self.project else []

    def get_project(self, project_id: int) -> dict[str, Any]:
        return {**(self.project or {}), **super().get_project(project_id)}

    def import_tasks(self, project_id: int, batch: Any) -> Any:
        self.posts += 1
        pids = [(json.loads(t) if isinstance(t, str) else t)["data"]["passage_id"] for t in batch]
        response = self.answer(pids)
        if response is None:
            return super().import_tasks(project_id, batch)
        real = StudioClient(Connection(url=self.url, api_key="0" * 40, source="environment"))
        real._http.httpx_client = httpx.Client(
            transport=httpx.MockTransport(lambda request: response)
        )
        real.answered = 1  # it answered before (reading the projects)
        self.batches.append(pids)
        return real.import_tasks(project_id, batch)


def json500(detail: str) -> httpx.Response:
    """Label Studio's error shape for an exception of the server (its str as detail)."""
    return httpx.Response(500, json={"id": "x", "status_code": 500, "detail": detail})


@pytest.mark.parametrize(
    "reason",
    [
        "database or disk is full",
        "disk I/O error",
        "attempt to write a readonly database",
        'could not extend file "base/16384/2619": No space left on device',
    ],
)
def test_a_server_that_cannot_store_stops_the_push_at_its_first_import(
    tmp_path: Path, taxonomy: Any, caplog: pytest.LogCaptureFixture, reason: str
) -> None:
    client = FailingServer(lambda pids: json500(reason))
    with (
        caplog.at_level(logging.INFO),
        pytest.raises(StudioUnavailableError, match="cannot store anything") as err,
    ):
        push(many_prelabels(tmp_path, 40), "pro", taxonomy=taxonomy, client=client)
    assert reason in err.value.what and err.value.gone
    assert client.posts == 1 and client.tasks == []  # not split, not retried
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("answer", "size"),
    [
        # a reason annotate does not know: the server's own, every time
        (lambda pids: json500("Internal error: boom"), 64),
        (lambda pids: json500("Internal error: boom"), 1),  # --batch-size 1
        # Django's bare page (no doctype) is a lost answer, retried, then given up on
        (lambda pids: httpx.Response(500, text=HTML_FRAGMENT), 64),
    ],
    ids=["json-reason", "json-reason-batch-size-1", "html-fragment"],
)
def test_a_server_failing_every_import_is_not_split_row_by_row(
    tmp_path: Path,
    taxonomy: Any,
    caplog: pytest.LogCaptureFixture,
    answer: Any,
    size: int,
) -> None:
    client = FailingServer(answer)
    with caplog.at_level(logging.INFO), pytest.raises(StudioUnavailableError) as err:
        push(many_prelabels(tmp_path, 64), "pro", taxonomy=taxonomy, client=client, batch_size=size)
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert said == []  # no row named: the one error is the exception's
    assert client.tasks == []
    if "html" in str(err.value.what).lower():
        assert "Server Error (500)" in err.value.what and client.posts == 4  # tries
    else:
        assert "boom" in err.value.what and "the server is failing, not the rows" in err.value.what
        assert err.value.gone  # not retried: waiting does not mend it
        # before: 127 imports for 64 rows (every row alone); now the way down to the
        # first row and a few rows beside it
        assert client.posts <= 2 * SERVER_FAILING_ROWS + 7, client.posts
    warned = [r for r in caplog.records if "splitting it" in r.getMessage()]
    assert len(warned) <= 1


def test_rows_the_server_cannot_store_are_still_split_out_in_both_halves(
    tmp_path: Path, taxonomy: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL's refusal of a NUL is an HTTP 500 with one reason for every batch that
    holds such a row: bad rows in both halves of a split do not stop the push."""
    bad = {"doc-003-p0", "doc-004-p0", "doc-020-p0", "doc-041-p0", "doc-042-p0", "doc-063-p0"}
    client = FailingServer(lambda pids: json500(NUL_ROW) if bad & set(pids) else None)
    with caplog.at_level(logging.INFO):
        result = push(many_prelabels(tmp_path, 64), "pro", taxonomy=taxonomy, client=client)
    assert (result.created, result.failed) == (64 - len(bad), len(bad))
    assert {e.split("'")[1] for e in result.errors} == bad
    named = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(named) == len(bad) and all("cannot be converted" in m for m in named)


def test_rows_the_server_refuses_are_split_out_however_many(tmp_path: Path, taxonomy: Any) -> None:
    """A validation answer (HTTP 400) is about the row: every row refused is named, none
    stops the push, even when all are refused."""
    client = FailingServer(
        lambda pids: httpx.Response(
            400, json={"detail": "Validation error", "validation_errors": {"data": ["bad"]}}
        )
    )
    result = push(many_prelabels(tmp_path, 16), "pro", taxonomy=taxonomy, client=client)
    assert (result.created, result.failed) == (0, 16)
    assert all("HTTP 400" in e for e in result.errors)


def test_a_push_stopped_by_a_failing_server_resumes_without_duplicates(
    tmp_path: Path, taxonomy: Any
) -> None:
    """The disk filled up after the first batch: the re-run, once the server stores
    again, sends only the passages it does not hold."""
    prelabels = many_prelabels(tmp_path, 12)
    full = {"now": False}

    def answer(pids: list[str]) -> httpx.Response | None:
        if full["now"]:
            return json500("database or disk is full")
        full["now"] = True  # after this batch
        return None

    client = FailingServer(answer)
    with pytest.raises(StudioError, match="database or disk is full"):
        push(prelabels, "pro", taxonomy=taxonomy, client=client, batch_size=4)
    assert len(client.tasks) == 4
    client.answer = lambda pids: None  # space freed
    result = push(prelabels, "pro", taxonomy=taxonomy, client=client, batch_size=4)
    assert (result.created, result.skipped, result.failed) == (8, 4, 0)
    pids = [t["data"]["passage_id"] for t in client.tasks]
    assert len(pids) == len(set(pids)) == 12
