"""A hand-over that leaves a reviewer away with gold alone deletes that gold (nobody would
answer it). A gold task answered, or given a draft by anyone, after the hand-over listed it
open and before its delete request reached the server stays, with the answer and the
draft: the server checks each task is still open in the delete request itself. Before, the
listing decided, and Label Studio deleted the answer with its task."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.review.handover import reassign
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient
from annotate.taxonomy import load_taxonomy

from .helpers import choices
from .review_team import push_set
from .test_handover import GOLD, held, run, team  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def test_gold_answered_or_drafted_just_before_its_delete_stays(
    client: StudioClient,
    name: str,
    team: dict[str, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ana, ben, cai = team
    push_set(name, (ana, ben), "-q", "--gold", str(GOLD), "--gold-rate", "0.25")
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    tasks = held(client, ana_q)
    gold = sorted(p for p, t in tasks.items() if "annotate_gold" in t["meta"])
    assert len(gold) == 2 and len(tasks) > 2, tasks
    ana_id = int((find_user(client, ana) or {})["id"])
    body = [choices("category", ["none"]), choices("severity", ["none"])]
    for passage in sorted(set(tasks) - set(gold)):  # her regular work is done: gold alone
        client.sdk.annotations.create(id=tasks[passage]["id"], result=body, completed_by=ana_id)

    answered, drafted = (int(tasks[p]["id"]) for p in gold)
    original = client._http.request
    sent: list[Any] = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        """Right before the delete request: she answers one gold task, and the lead
        starts a draft on the other (a draft by another user than the queue's reviewer)."""
        if kwargs.get("params", {}).get("id") == "delete_tasks" and not sent:
            sent.append(kwargs["json"])
            client.sdk.annotations.create(id=answered, result=body, completed_by=ana_id)
            client._send(
                f"api/tasks/{drafted}/drafts",
                method="POST",
                action="drafting",
                json={"result": [choices("category", ["none"])], "lead_time": 2.0},
            )
        return original(*args, **kwargs)

    monkeypatch.setattr(client._http, "request", meanwhile)
    result = reassign(client, name, ana, cai, load_taxonomy(), salt="test-salt")
    monkeypatch.setattr(client._http, "request", original)
    assert sent, "no delete request was sent"
    assert result.gold_removed == [], result
    by_id = {int(t["id"]): p for p, t in tasks.items()}
    assert result.answered_meanwhile == [by_id[answered]], result  # said so, as for a move
    assert result.with_draft == [by_id[drafted]] and result.gold_kept == [], result
    left = held(client, ana_q)
    assert sorted(left) == sorted(tasks), left  # both gold tasks stay
    anns = client._get(f"api/tasks/{answered}/annotations/", "reading answers")
    assert len(anns) == 1, anns  # her answer is kept
    drafts = client._get(f"api/tasks/{drafted}/drafts", "listing drafts")
    assert len(drafts) == 1, drafts  # the lead's unsaved answer is kept


def test_a_task_answered_just_before_the_move_deletes_it_stays_with_its_answer(
    client: StudioClient,
    name: str,
    team: dict[str, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A move copies the open tasks, lists the source queue again and deletes the copied
    ones there. One answered between that listing and the delete request lost its answer
    (deleted with the task); the server's check in the delete keeps it with its reviewer,
    and its copy goes."""
    ana, ben, cai = team
    push_set(name, (ana, ben))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    tasks = held(client, ana_q)
    first = sorted(tasks)[0]
    ana_id = int((find_user(client, ana) or {})["id"])
    body = [choices("category", ["none"]), choices("severity", ["none"])]
    original = client._http.request
    sent: list[Any] = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        params = kwargs.get("params", {})
        if params.get("id") == "delete_tasks" and params.get("project") == ana_q and not sent:
            sent.append(kwargs["json"])
            task_id = int(tasks[first]["id"])
            client.sdk.annotations.create(id=task_id, result=body, completed_by=ana_id)
        return original(*args, **kwargs)

    monkeypatch.setattr(client._http, "request", meanwhile)
    result = reassign(client, name, ana, cai, load_taxonomy(), salt="test-salt")
    monkeypatch.setattr(client._http, "request", original)
    assert sent, "no delete request was sent"
    assert first not in result.moved and result.answered_meanwhile == [first], result
    assert sorted(held(client, ana_q)) == [first]  # her answer stays with her
    anns = client._get(f"api/tasks/{tasks[first]['id']}/annotations/", "reading answers")
    assert len(anns) == 1, anns
    cai_q = int(reviewer_projects(client, name)[cai]["id"])
    assert sorted(held(client, cai_q)) == sorted(set(tasks) - {first})  # no K+1st holder
