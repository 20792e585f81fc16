"""push when an import's answer is lost (a dropped connection, a gateway's 502): the
batch is retried after reading back what the lost request created, so nothing is sent
twice and nothing is missing; a server that keeps failing is given up on after
LOST_ATTEMPTS tries. The real server path: tests/integration/test_push_lost_answers.py."""

from __future__ import annotations

import json

import pytest

from annotate.errors import StudioUnavailableError
from annotate.studio import push as push_mod
from annotate.studio.push import push
from annotate.studio.retry import LOST_ATTEMPTS
from tests.studio.test_push import PRELABELS, RefusingClient


class LosingClient(RefusingClient):
    """Import calls numbered from 1 in ``lost`` lose their answer: ``after`` (the tasks
    are created first, as when the server did the work) or not."""

    def __init__(self, lost: set[int], *, after: bool) -> None:
        super().__init__(set())
        self.lost, self.after, self.calls = lost, after, 0

    def import_tasks(self, project_id, batch):
        self.calls += 1
        if self.calls in self.lost:
            if self.after:
                super().import_tasks(project_id, batch)
            raise StudioUnavailableError("Label Studio at http://fake does not answer.")
        return super().import_tasks(project_id, batch)


def _passages() -> list[str]:
    return sorted(json.loads(x)["id"] for x in PRELABELS.read_text().splitlines() if x.strip())


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr("annotate.studio.retry.time.sleep", lambda s: None)


@pytest.mark.parametrize("after", [True, False], ids=["created-then-lost", "lost"])
def test_a_lost_answer_is_retried_without_sending_a_passage_twice(taxonomy, after):
    client = LosingClient({2, 3}, after=after)
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2)
    assert (result.created, result.failed, result.duplicates_removed) == (6, 0, 0)
    assert sorted(t["data"]["passage_id"] for t in client.tasks) == _passages()
    # each passage created once (the fake records a batch when it creates its tasks)
    assert sorted(pid for batch in client.batches for pid in batch) == _passages()
    if after:  # batches 2 and 3 landed on their first try: not sent again
        assert client.calls == 3
    else:  # batch 2 lost twice, then sent a third time
        assert client.calls == 5


def test_a_server_that_keeps_failing_is_given_up_on_after_a_bound(taxonomy):
    client = LosingClient(set(range(1, 100)), after=False)
    with pytest.raises(StudioUnavailableError, match=r"gave up on batch 1 after 4 tries"):
        push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2)
    assert client.calls == LOST_ATTEMPTS


def test_the_answer_counts_the_tasks_and_predictions_a_lost_request_made(taxonomy):
    """What a review set's push checks (check_import_answer): every task and prediction."""
    client = LosingClient({1}, after=True)
    rows = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()][:3]
    batch = [
        (r["id"], {"data": {"passage_id": r["id"]}, "predictions": [{"model_version": "m"}]})
        for r in rows
    ]
    answer = push_mod.import_retrying(client, 1, batch, "queue 'q'")
    assert (answer.task_count, answer.prediction_count) == (3, 3)
    assert sorted(answer.task_ids) == [1, 2, 3] and client.calls == 1


class _Seen:
    """A progress callable recording what a push says of the tasks in flight."""

    def __init__(self) -> None:
        self.done = 0
        self.flying: list[int] = []

    def __call__(self, n: int) -> None:
        self.done += n

    def in_flight(self, n: int) -> None:
        self.flying.append(n)


class GoneClient(LosingClient):
    """The server stops after making the tasks of import call ``at``: that call's answer,
    and every request after it, is lost (until ``gone`` is set False: started again)."""

    def __init__(self, at: int) -> None:
        super().__init__({at}, after=True)
        self.gone = False

    def import_tasks(self, project_id, batch):
        if self.gone:
            raise StudioUnavailableError("Label Studio at http://fake does not answer.")
        try:
            return super().import_tasks(project_id, batch)
        except StudioUnavailableError:
            self.gone = True
            raise

    def iter_task_versions(self, project_id, after=None, text_field=None):
        if self.gone:
            raise StudioUnavailableError("Label Studio at http://fake does not answer.")
        yield from super().iter_task_versions(project_id, after, text_field)


def test_a_server_gone_mid_push_is_not_said_to_have_done_nothing(taxonomy):
    """The server stopped while the push's one batch was in flight: the run said "0 tasks
    done", and the re-run found the whole batch there. The error (the client's progress,
    which a lost answer quotes) and the progress line say the batch was sent and whether
    it was made is unknown."""
    client = GoneClient(2)  # batch 2 made, its answer lost, the server gone
    seen = _Seen()
    with pytest.raises(StudioUnavailableError):
        push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=4, progress=seen)
    assert seen.done == 4 and seen.flying[-1] == 2  # batch 1 confirmed, batch 2 unknown
    assert client.progress == (
        "1 batch(es) imported (4 of 6 passages); batch 2 (2 passages) sent, its answer lost: "
        "how many of them the server created is unknown"
    )
    # the error's fix says a re-run resumes without duplicates (annotate.cli.app RESUMES;
    # the real server: tests/integration/test_review_lost_answers.py)


def test_a_push_whose_answers_came_leaves_nothing_in_flight(taxonomy):
    seen = _Seen()
    push(
        PRELABELS, "pro", taxonomy=taxonomy, client=LosingClient(set(), after=False), progress=seen
    )
    assert seen.flying and seen.flying[-1] == 0 and seen.done == 6
