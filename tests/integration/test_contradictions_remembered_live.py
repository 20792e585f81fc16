"""`review status`'s remembered contradictions against a real Label Studio (stop 52): a
second run reads only the tasks touched since the first (Label Studio moves a task's
``updated_at`` when an answer on it is edited, and gives it with the answers), a corrected
answer's contradiction goes, and one whose answer was deleted goes too."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from annotate.review import contradictions
from annotate.review.contradictions import open_contradictions
from annotate.studio.client import StudioClient
from annotate.taxonomy import load_taxonomy

from .helpers import answer_result, give_answer, pushed_tasks

pytestmark = pytest.mark.integration


def test_a_second_run_reads_the_edited_task_only(
    client: StudioClient, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no minute's margin: a run re-reads only what was touched within its own duration
    # of the latest task it read, so the seconds below tell the tasks apart
    monkeypatch.setattr(contradictions, "MARGIN_S", 0.0)
    tax, memory = load_taxonomy(), tmp_path / "record.json"
    _, tasks = pushed_tasks(client, name)
    first, second, third = (int(t["id"]) for t in list(tasks.values())[:3])
    admin = int(client.whoami()["id"])
    give_answer(client, first, admin, ["none"], "none")
    time.sleep(8)  # past a run's duration on a loaded machine
    edited = give_answer(client, second, admin, ["none"], "high")  # a contradiction
    deleted = give_answer(client, third, admin, ["none"], "high")  # another
    found = open_contradictions(client, name, tax, salt="s", memory=memory)
    assert found.tasks == 3 and found.severity_without_harm.total == 2
    time.sleep(2.5)
    client.sdk.annotations.update(id=edited, result=answer_result(["none"], "none"))
    found = open_contradictions(client, name, tax, salt="s", memory=memory)
    # the edited task (and the deleted-to-be one, touched within the first run's read), not
    # the first task: its updated_at is older than the mark less the run's duration
    assert not found.full_read and found.tasks < 3, found.tasks
    assert [n.split(" (")[0] for n in found.severity_without_harm.named] == [f"task {third}"]
    client.sdk.annotations.delete(id=deleted)
    found = open_contradictions(client, name, tax, salt="s", memory=memory)
    assert found.severity_without_harm.total == 0 and found.harmful_severity_none.total == 0
    full = open_contradictions(client, name, tax, salt="s", memory=memory, full=True)
    assert full.tasks == 2 and full.severity_without_harm.total == 0
