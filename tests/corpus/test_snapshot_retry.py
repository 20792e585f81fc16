"""Export while reviewers annotate (issue 12, item 11): a snapshot taken while answers
arrive is one moment's view and is exported; one that misses reviewed work is taken
again with backoff, and fails whole (one line, nothing written) if it keeps missing it.
Real server: tests/integration/test_export_while_reviewing.py."""

from __future__ import annotations

import pytest

from annotate.errors import ExportError
from annotate.studio import pull


class Busy:
    """A server where reviewers add ``per_snapshot`` answers while each snapshot is built;
    the first ``lossy`` snapshots leave out ``lost`` reviewed tasks."""

    def __init__(self, per_snapshot: int = 1, lossy: int = 0, lost: int = 1) -> None:
        self.per_snapshot, self.lossy, self.lost = per_snapshot, lossy, lost
        self.snapshots = 0
        self.annotated = 600

    def count_annotated_tasks(self, project_id: int) -> int:
        return self.annotated

    def export_snapshot(self, project_id: int) -> list[dict]:
        self.snapshots += 1
        n = self.annotated - (self.lost if self.snapshots <= self.lossy else 0)
        self.annotated += self.per_snapshot  # reviewers submitted while it was built
        return [{"id": i, "annotations": [{"completed_by": 1}]} for i in range(n)]


@pytest.fixture()
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(pull.time, "sleep", slept.append)
    return slept


@pytest.mark.parametrize(
    ("found", "before", "after", "fits"),
    [
        (600, 600, 600, True),  # nobody annotating
        (600, 600, 602, True),  # answers arrived after the snapshot read the project
        (601, 600, 602, True),  # ... one of them during it
        (602, 600, 602, True),
        (599, 600, 600, False),  # reviewed work missing
        (599, 600, 602, False),
        (603, 600, 602, False),  # more than the server ever counted
        (600, 601, 600, False),  # an answer deleted meanwhile: take it again
        (601, 601, 600, True),
    ],
)
def test_snapshot_fits(found: int, before: int, after: int, fits: bool) -> None:
    assert pull.snapshot_fits(found, before, after) is fits


@pytest.mark.parametrize("per_snapshot", [0, 1, 5])
def test_a_snapshot_taken_while_reviewers_annotate_is_exported(
    per_snapshot: int, waits: list[float]
) -> None:
    client = Busy(per_snapshot)
    tasks, n = pull.consistent_snapshot(client, 1, "p")
    assert len(tasks) == n == 600 and client.snapshots == 1 and waits == []


@pytest.mark.parametrize("lossy", [1, 2, 4])
def test_a_snapshot_missing_reviewed_work_is_taken_again(lossy: int, waits: list[float]) -> None:
    client = Busy(per_snapshot=1, lossy=lossy)
    tasks, n = pull.consistent_snapshot(client, 1, "p")
    assert client.snapshots == lossy + 1 and len(tasks) == n == 600 + lossy
    assert waits == sorted(waits) and all(0 < w <= pull.SNAPSHOT_WAIT_MAX_S for w in waits)
    assert len(waits) == lossy  # backoff between attempts, none after the last


def test_a_snapshot_that_keeps_missing_work_fails_whole(waits: list[float]) -> None:
    client = Busy(per_snapshot=1, lossy=100)
    with pytest.raises(ExportError) as err:
        pull.consistent_snapshot(client, 1, "p")
    assert client.snapshots == pull.SNAPSHOT_ATTEMPTS
    assert len(waits) == pull.SNAPSHOT_ATTEMPTS - 1
    message = str(err.value)
    assert "\n" not in message and f"{pull.SNAPSHOT_ATTEMPTS} times; nothing was written" in message
