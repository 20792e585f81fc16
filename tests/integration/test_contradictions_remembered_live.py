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
from annotate.studio.push import push
from annotate.taxonomy import load_taxonomy

from .helpers import PRELABELS, answer_result, give_answer, pushed_tasks

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


def test_a_re_push_with_another_labels_yaml_reads_the_project_whole_again(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """A push of labels.yaml 1.1.0 into the project changes its labeling config (and the
    version its answers are read under): the next run reads every answered task again
    rather than the remembered findings; a run after it reads only what changed. The
    config Label Studio gives back is the same at every read (no full read without a push)."""
    tax, memory = load_taxonomy(), tmp_path / "record.json"
    _, tasks = pushed_tasks(client, name)
    first, second = (int(t["id"]) for t in list(tasks.values())[:2])
    admin = int(client.whoami()["id"])
    give_answer(client, first, admin, ["none"], "none")
    give_answer(client, second, admin, ["none"], "high")  # a contradiction
    found = open_contradictions(client, name, tax, salt="s", memory=memory)
    assert found.tasks == 2 and found.full_read and found.config_changed == []
    again = open_contradictions(client, name, tax, salt="s", memory=memory)
    assert not again.full_read and again.config_changed == []
    text = (Path(__file__).resolve().parents[2] / "labels.yaml").read_text(encoding="utf-8")
    newer = tmp_path / "labels.yaml"
    newer.write_text(text.replace("version: 1.0.0", "version: 1.1.0"), encoding="utf-8")
    push(PRELABELS, name, client=client, taxonomy=newer)  # nothing new: the config moves
    moved = open_contradictions(client, name, tax, salt="s", memory=memory)
    assert moved.full_read and moved.tasks == 2 and moved.config_changed == [name]
    assert moved.severity_without_harm.total == 1  # made under 1.0.0: read as before
    after = open_contradictions(client, name, tax, salt="s", memory=memory)
    assert not after.full_read and after.config_changed == []
