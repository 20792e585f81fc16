"""Label Studio's stored per-task answer counters, checked against the project's count of
answered tasks (annotate.studio.answer_counters), without a server (an in-memory HTTP
transport). CI 56a: after two project deletions at once left the server's signals
disconnected, answers no longer counted on their tasks, and 39 integration tests failed
with "Label Studio reports 0 annotated task(s) ... but the export snapshot gave N, 5
times" or "0 answered"; the error now says which counts disagree, with both numbers."""

from __future__ import annotations

import httpx
import pytest

from annotate.studio import answer_counters, pull
from annotate.studio.answer_counters import COUNTER_READINGS, StaleCountersError
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection


class Server:
    """Answers the Data Manager's count (``counted``: one value per reading, the last
    again) and the project (``answered``: its num_tasks_with_annotations, None: absent)."""

    def __init__(self, counted: list[int], answered: int | None) -> None:
        self.counted, self.answered = list(counted), answered
        self.readings = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.rstrip("/") == "/api/tasks":
            self.readings += 1
            value = self.counted.pop(0) if len(self.counted) > 1 else self.counted[0]
            return httpx.Response(200, json={"total": value, "tasks": []})
        if request.url.path.rstrip("/") == "/api/projects/7":
            project = {"id": 7, "title": "p"}
            if self.answered is not None:
                project["num_tasks_with_annotations"] = self.answered
            return httpx.Response(200, json=project)
        return httpx.Response(404, json={})


def client_of(server: Server) -> StudioClient:
    client = StudioClient(
        Connection(url="http://studio.test:8080", api_key="0" * 40, source="environment")
    )
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(server))
    return client


@pytest.fixture()
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(answer_counters.time, "sleep", slept.append)
    return slept


def test_counters_stuck_behind_the_answers_are_an_error_naming_both_counts(
    waits: list[float],
) -> None:
    server = Server(counted=[0], answered=3)
    with pytest.raises(StaleCountersError) as err:
        client_of(server).count_annotated_tasks(7)
    assert (err.value.counted, err.value.answered, err.value.project_id) == (0, 3, 7)
    text = str(err.value)
    assert "3 task(s) hold an answer" in text and "but 0 are counted answered" in text
    assert "num_tasks_with_annotations" in text and "total_annotations > 0" in text
    assert "annotate studio recount" in text and "calculate_stats_all_orgs --from-scratch" in text
    assert server.readings == COUNTER_READINGS
    assert waits == sorted(waits) and len(waits) == COUNTER_READINGS - 1


def test_counters_that_catch_up_give_their_count(waits: list[float]) -> None:
    server = Server(counted=[2, 3], answered=3)  # an answer saved between the two reads
    assert client_of(server).count_annotated_tasks(7) == 3
    assert server.readings == 2 and len(waits) == 1


@pytest.mark.parametrize(
    ("counted", "answered"),
    [(3, 3), (4, 3), (0, 0), (2, None)],  # ground truth counted too; no such field
)
def test_counters_not_behind_are_read_once(
    counted: int, answered: int | None, waits: list[float]
) -> None:
    server = Server(counted=[counted], answered=answered)
    assert client_of(server).count_annotated_tasks(7) == counted
    assert server.readings == 1 and waits == []


def test_an_export_on_stale_counters_says_so_not_that_the_snapshot_moved(
    waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, the export took its snapshot 5 times over ~15 s and blamed the snapshot
    ("reviewed work went missing ... answers deleted during the export?")."""
    client = client_of(Server(counted=[0], answered=3))
    monkeypatch.setattr(client, "export_snapshot", lambda pid: [])
    monkeypatch.setattr(pull.time, "sleep", waits.append)
    with pytest.raises(StaleCountersError, match="are behind its answers"):
        pull.consistent_snapshot(client, 7, "p")


class Answering:
    """A healthy server whose reviewers answer steadily: one new answered task after every
    request, its counter kept (both counts always agree at any moment)."""

    def __init__(self) -> None:
        self.answered = 5
        self.readings = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        now = self.answered
        self.answered += 1  # an answer saved before the next request
        if request.url.path.rstrip("/") == "/api/tasks":
            self.readings += 1
            return httpx.Response(200, json={"total": now, "tasks": []})
        if request.url.path.rstrip("/") == "/api/projects/7":
            return httpx.Response(200, json={"id": 7, "num_tasks_with_annotations": now})
        return httpx.Response(404, json={})


def test_answers_saved_between_the_two_reads_do_not_look_stale(waits: list[float]) -> None:
    # reader57 #2: the counted answers were read before the project's answered count, so
    # an answer saved in between made a healthy server look stale at every reading
    server = Answering()
    assert client_of(server).count_annotated_tasks(7) >= 5
    assert server.readings == 1 and waits == []
