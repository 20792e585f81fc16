"""Task listings stay whole while reviewers work: StudioClient reads Data Manager pages by id
(each page: the tasks past the last id read), so tasks answered, re-answered or deleted
between two page reads neither repeat nor push another task out of the read.

Paged by number (page=2, 3 ...), as before, each of these changes shifted the pages: an
answer on a task before the read's position made the "answered" set one larger and the
next page repeated a task; a task leaving the filtered set (its ``updated_at`` moved past
the cut, or it was deleted) made the next page skip one. Small pages make it cheap."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timezone
from typing import Any

import pytest

from annotate.review.recent import touched_since
from annotate.studio import client as client_mod
from annotate.studio.client import StudioClient

pytestmark = pytest.mark.integration

CONFIG = (
    '<View><Text name="text" value="$text"/><Choices name="category" toName="text">'
    '<Choice value="none"/><Choice value="graphic_violence"/></Choices></View>'
)
RESULT = [
    {"from_name": "category", "to_name": "text", "type": "choices", "value": {"choices": ["none"]}}
]
PAGE = 4


def _project(client: StudioClient, name: str, answered: list[bool]) -> tuple[int, list[int], int]:
    pid = int(client.create_project(name, CONFIG)["id"])
    me = int(client.whoami()["id"])
    tasks = [
        {
            "data": {"text": f"text {i}", "passage_id": f"p{i}"},
            "annotations": [{"result": RESULT, "completed_by": me}] if done else [],
        }
        for i, done in enumerate(answered)
    ]
    ids = sorted(client.import_tasks(pid, tasks).task_ids)
    return pid, ids, me


def _answer(client: StudioClient, task_id: int, me: int) -> None:
    client.sdk.annotations.create(id=task_id, result=RESULT, completed_by=me)


def test_answers_between_pages_neither_repeat_nor_skip(
    client: StudioClient, project_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the answered tasks touched before a cut (what `review status` reads for the
    other answers of a passage) while a reviewer answers: tasks that stay in the set are
    read exactly once, however the set changes between pages."""
    monkeypatch.setattr(client_mod, "FULL_PAGE_SIZE", PAGE)
    # 20 tasks, every other one answered before the cut
    pid, ids, me = _project(client, project_name, [i % 2 == 0 for i in range(20)])
    time.sleep(1.1)
    cut = datetime.now(timezone.utc)
    time.sleep(1.1)
    before = [touched_since(cut, before=True)]
    answered = [ids[i] for i in range(0, 20, 2)]
    requests: list[str] = []
    original = client._get

    def counting(path: str, action: str, **params: Any) -> Any:
        if path == "api/tasks/":
            requests.append(str(params.get("query")))
        return original(path, action, **params)

    monkeypatch.setattr(client, "_get", counting)
    read: list[int] = []
    reader = client.iter_answered_tasks(pid, before)
    for task in reader:
        read.append(int(task["id"]))
        if len(read) == PAGE:  # between the first and second page
            # an earlier-answered task answered again: its updated_at moves past the cut,
            # so it leaves the set (by page number: the next page skipped a task)
            _answer(client, answered[0], me)
            # an earlier unanswered task: not in this set (touched after the cut) either
            _answer(client, ids[1], me)
        if len(read) == 2 * PAGE:  # between the second and third page
            client.delete_tasks([answered[1]], project_id=pid)  # gone: shifted pages too
    counts = Counter(read)
    assert [i for i, n in counts.items() if n > 1] == []  # no task read twice
    stayed = set(answered[2:])  # in the set from the first request to the last
    assert stayed <= set(read), sorted(stayed - set(read))
    assert set(read) <= set(answered)  # nothing from outside the filter
    assert read == sorted(read)  # in id order
    assert len(requests) >= 3  # the changes above did happen between page reads


def test_growing_answered_set_between_pages(
    client: StudioClient, project_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answered tasks of a project (no time filter) while reviewers answer tasks with
    smaller ids than the read has reached: by page number the set grew under the read
    and the next page repeated its predecessor's last tasks."""
    monkeypatch.setattr(client_mod, "FULL_PAGE_SIZE", PAGE)
    pid, ids, me = _project(client, project_name, [i >= 6 for i in range(18)])
    read: list[int] = []
    for task in client.iter_answered_tasks(pid, []):
        read.append(int(task["id"]))
        if len(read) == PAGE:
            for tid in ids[:3]:  # three unanswered tasks before the position are answered
                _answer(client, tid, me)
    assert Counter(read).most_common(1)[0][1] == 1, Counter(read).most_common(3)
    assert set(ids[6:]) <= set(read)  # every task answered throughout, once


def test_answered_tasks_read_with_only_the_answer_fields(
    client: StudioClient, project_name: str
) -> None:
    """break5 B6: `review status` reads every answered task for the open contradictions;
    Label Studio's sparse fields (``include``) leave out the predictions and the rest but
    keep each answer whole (its result, author and times) and the task's data."""
    from annotate.studio.client import ANSWER_FIELDS

    pid, ids, me = _project(client, project_name, [True, False, True])
    client.sdk.predictions.create(task=ids[0], result=RESULT, model_version="m1")
    full = {int(t["id"]): t for t in client.iter_answered_tasks(pid, [])}
    assert full[ids[0]]["predictions"]  # read in full without include
    read = list(client.iter_answered_tasks(pid, [], ANSWER_FIELDS))
    assert sorted(int(t["id"]) for t in read) == [ids[0], ids[2]]
    for task in read:
        assert set(task) <= {"id", "data", "annotations", "project"}, sorted(task)
        assert task["data"]["passage_id"] in ("p0", "p2")
        (answer,) = task["annotations"]
        assert answer["result"] == full[int(task["id"])]["annotations"][0]["result"]
        assert answer["completed_by"] == me and answer["updated_at"] and answer["created_at"]


def test_full_listing_outlives_deletes_between_pages(
    client: StudioClient, project_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """iter_tasks (status, hand-overs, pushes read every task with it): tasks deleted
    between two pages, as a hand-over on another machine deletes the moved ones, make no
    other task go unread."""
    monkeypatch.setattr(client_mod, "LIST_PAGE_SIZE", PAGE)
    pid, ids, _ = _project(client, project_name, [False] * 14)
    read: list[int] = []
    for task in client.iter_tasks(pid, include="id"):
        read.append(int(task["id"]))
        if len(read) == PAGE:
            client.delete_tasks(ids[:3], project_id=pid)
    assert read == ids  # every task once, in order (the deleted ones read before)
