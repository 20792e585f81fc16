"""A slow server still at work on a request when its answer is given up on, without a
server (fakes): the read-back is repeated after a timeout or a gateway's 502/504 (not
after a dropped connection) before anything is sent again; a copy a late request made
after the retry is deleted. The real server behind a fault proxy:
tests/integration/test_slow_server.py and test_lost_answers_calls.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from annotate.errors import StudioUnavailableError
from annotate.review.late_copies import extra_copies
from annotate.studio import retry as retry_mod
from annotate.studio.client import ImportAnswer, StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import import_retrying
from annotate.studio.retry import SETTLE_READS, late_loss, read_back, retry_lost


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod.time, "sleep", lambda s: None)


def lost(still_working: bool) -> StudioUnavailableError:
    return StudioUnavailableError("no answer.", fix="wait.", still_working=still_working)


@pytest.mark.parametrize(("still_working", "reads"), [(False, 1), (True, SETTLE_READS)])
def test_a_lost_request_is_read_back_again_only_when_the_server_may_be_at_it(
    still_working: bool, reads: int
) -> None:
    seen: list[int] = []

    def send(attempt: int) -> list[int]:
        if attempt == 1:
            raise lost(still_working)
        return read_back(lambda: seen.append(len(seen)) or seen, lambda s: False, "x")

    assert retry_lost(send, "x") == list(range(reads))


def test_the_read_back_stops_once_the_lost_request_landed() -> None:
    found = iter([None, None, {"id": 5}, {"id": 6}])

    def send(attempt: int) -> Any:
        if attempt == 1:
            raise lost(True)
        assert late_loss()
        return read_back(lambda: next(found), bool, "x")

    assert retry_lost(send, "x") == {"id": 5}
    assert not late_loss()  # outside the loop


def handler(answer: Any) -> StudioClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if answer == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if answer == "drop":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        return httpx.Response(answer, text="<html>gateway</html>")

    client = StudioClient(Connection(url="http://s.test", api_key="0" * 40, source="environment"))
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(handle))
    client.answered = 1
    return client


@pytest.mark.parametrize(
    ("answer", "still_working"),
    [("timeout", True), (504, True), (502, True), ("drop", False), (503, False)],
)
def test_which_lost_answers_may_still_be_carried_out(answer: Any, still_working: bool) -> None:
    client = handler(answer)
    with pytest.raises(StudioUnavailableError) as exc:
        client._send("api/x", method="POST", action="x", request_options={"max_retries": 0})
    assert exc.value.still_working is still_working


class _Studio:
    """A project whose first import answer is lost while the server is still at it: the
    tasks land after ``lands_after`` listings (never: None); a retry makes task 11."""

    def __init__(self, lands_after: int | None) -> None:
        self.lands_after = lands_after
        self.listings = 0
        self.imports = 0
        self.deleted: list[int] = []

    def import_tasks(self, project_id: int, tasks: list[Any]) -> ImportAnswer:
        self.imports += 1
        if self.imports == 1:
            raise lost(True)
        return ImportAnswer([11], 1, 1)

    def iter_task_versions(self, project_id: int, after: int | None = None) -> Iterator[Any]:
        self.listings += 1
        if self.lands_after is not None and self.listings > self.lands_after:
            yield (10, "p", frozenset({"m"}), None, False)

    def iter_tasks(
        self, project_id: int, include: str = "", **params: Any
    ) -> Iterator[dict[str, Any]]:
        if "query" in params:  # the tasks holding a draft: none
            return
        yield {"id": 10, "data": {"passage_id": "p"}, "total_annotations": 0}  # landed late
        yield {"id": 11, "data": {"passage_id": "p"}, "total_annotations": 0}

    def delete_tasks(self, ids: list[int], *, project_id: int | None = None) -> None:
        self.deleted += ids


def test_a_slow_import_found_by_a_later_read_back_is_not_sent_again() -> None:
    studio = _Studio(lands_after=2)
    answer = import_retrying(studio, 1, [("p", {"data": {}})], "batch", sole=True)  # type: ignore[arg-type]
    assert answer.task_ids == [10] and studio.imports == 1 and studio.listings == 3
    assert studio.deleted == []


def test_a_copy_landing_after_the_retry_is_deleted() -> None:
    studio = _Studio(lands_after=None)
    answer = import_retrying(studio, 1, [("p", {"data": {}})], "batch", sole=True)  # type: ignore[arg-type]
    assert answer.task_ids == [11] and studio.imports == 2 and studio.listings == SETTLE_READS
    assert studio.deleted == [10]  # the late one; the retry's is the one recorded


def test_extra_copies_keeps_the_oldest_and_every_answered_one() -> None:
    tasks = [
        {"id": 3, "k": "a"},
        {"id": 1, "k": "a"},
        {"id": 2, "k": "a", "total_annotations": 1},
        {"id": 4, "k": "a", "cancelled_annotations": 1},
        {"id": 5, "k": "b"},
        {"id": 6, "k": None},
        {"id": 7, "k": None},
    ]
    assert extra_copies(tasks, lambda t: t["k"]) == [3]


def test_a_project_a_slow_server_made_is_found_not_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posts: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        posts.append(request.method)
        raise httpx.ReadTimeout("timed out", request=request)

    client = StudioClient(Connection(url="http://s.test", api_key="0" * 40, source="environment"))
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(handle))
    found = iter([[], [], [{"id": 4, "title": "t"}]])
    monkeypatch.setattr(client, "find_projects", lambda title: next(found))
    monkeypatch.setattr(client, "get_project", lambda pid: {"id": pid})
    assert client.create_project("t", "<View/>") == {"id": 4}
    assert posts == ["POST"]
