"""Export while reviewers annotate (issue 12, item 11): a snapshot that disagrees with the
server's count is taken again; one that never agrees fails with nothing written. Real
server: tests/integration/test_export.py."""

from __future__ import annotations

import pytest

from annotate.errors import ExportError
from annotate.studio import pull as export_module


class Busy:
    """Counts and snapshots as a server where reviewers add one answer per snapshot."""

    def __init__(self, settle_after: int | None) -> None:
        self.settle_after = settle_after
        self.snapshots = 0
        self.annotated = 600

    def count_annotated_tasks(self, project_id: int) -> int:
        return self.annotated

    def export_snapshot(self, project_id: int) -> list[dict]:
        self.snapshots += 1
        tasks = [{"id": i, "annotations": [{"completed_by": 1}]} for i in range(self.annotated)]
        if self.settle_after is None or self.snapshots <= self.settle_after:
            self.annotated += 1  # a reviewer submitted while the snapshot was built
        return tasks


@pytest.fixture(autouse=True)
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module.time, "sleep", lambda s: None)


@pytest.mark.parametrize("settle_after", [0, 1, 3])
def test_a_changing_project_is_snapshotted_again(settle_after: int) -> None:
    client = Busy(settle_after)
    tasks, annotated = export_module.consistent_snapshot(client, 1, "p")
    assert len(tasks) == annotated == 600 + settle_after
    assert client.snapshots == settle_after + 1


def test_a_project_that_never_settles_fails_whole() -> None:
    client = Busy(None)
    with pytest.raises(ExportError, match="4 times; nothing was written"):
        export_module.consistent_snapshot(client, 1, "p")
    assert client.snapshots == export_module.SNAPSHOT_ATTEMPTS
