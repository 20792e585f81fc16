"""The calls that were sent once, their answer lost behind a fault proxy
(fault_proxy.py) in front of the real Label Studio: a project's deletion, a single task's
deletion, a prediction import, the creation of a project whose server is slow, a
reviewer's sign-up and removal from the organization. Each stopped the command at the
first lost answer; each is now retried (:func:`annotate.studio.retry.retry_lost`), a
request that makes something only after reading back what the lost one made, so nothing
is made twice."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest

from annotate.review.reviewers import ReviewerSession, find_user, list_reviewers
from annotate.studio import retry as retry_mod
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

from .fault_proxy import Faults, fault_proxy
from .helpers import through
from .review_team import run

pytestmark = pytest.mark.integration

CONFIG = '<View><Text name="text" value="$text"/><Choices name="c" toName="text">' + (
    '<Choice value="a"/><Choice value="b"/></Choices></View>'
)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod, "LOST_RETRY_S", 0.1)
    monkeypatch.setattr(retry_mod, "SETTLE_S", 1.0, raising=False)


def proxied(studio: Connection, url: str, timeout: float | None = None) -> StudioClient:
    client = StudioClient(
        Connection(url=url, api_key=studio.api_key, source="environment"), timeout=timeout
    )
    client.whoami()  # it answered once: a lost answer later is the server going away
    return client


def test_a_project_deletion_whose_answer_is_lost_deletes_it(
    studio: Connection, client: StudioClient, name: str
) -> None:
    pid = int(client.create_project(name, CONFIG)["id"])
    faults = Faults(f"/api/projects/{pid}/", 1, "drop-after", method="DELETE", times=1)
    with fault_proxy(studio.url, faults) as url:
        proxied(studio, url).delete_project(pid)
    assert faults.faulted
    assert client.find_project(name) is None


def test_single_task_deletions_whose_answers_are_lost_delete_each(
    studio: Connection, client: StudioClient, name: str
) -> None:
    pid = int(client.create_project(name, CONFIG)["id"])
    ids = client.import_tasks(pid, [{"data": {"text": f"t{i}"}} for i in range(3)]).task_ids
    faults = Faults("/api/tasks/", 2, "drop-after", method="DELETE")  # every second
    with fault_proxy(studio.url, faults) as url:
        proxied(studio, url).delete_tasks(ids[:2])  # without a project: one request each
    assert faults.faulted
    assert [int(t["id"]) for t in client.iter_tasks(pid, include="id")] == ids[2:]


@pytest.mark.parametrize("fault", ["drop-after", "drop", "late"])
def test_a_prediction_import_whose_answer_is_lost_adds_each_once(
    fault: str, studio: Connection, client: StudioClient, name: str
) -> None:
    pid = int(client.create_project(name, CONFIG)["id"])
    ids = client.import_tasks(pid, [{"data": {"text": f"t{i}"}} for i in range(4)]).task_ids
    result = [{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": ["a"]}}]
    preds = [{"task": t, "model_version": "m1", "result": result} for t in ids]
    faults = Faults("/import/predictions", 1, fault, method="POST", times=1)
    with fault_proxy(studio.url, faults) as url:
        made = proxied(studio, url, timeout=3.0).import_predictions(pid, preds)
    assert faults.faulted
    assert made == len(ids)
    per_task = Counter(int(p["task"]) for p in client.list_predictions(pid))
    assert per_task == Counter(ids), per_task  # each once


def test_a_project_a_slow_server_makes_after_the_timeout_is_made_once(
    studio: Connection, client: StudioClient, name: str
) -> None:
    """The server takes 5 s, the client waits 3: the read-backs after the timeout find
    the project the slow request made (read once, a second later, it was made twice)."""
    faults = Faults("/api/projects/", 1, "slow-before", method="POST", times=1, delay=5.0)
    with fault_proxy(studio.url, faults) as url:
        made = proxied(studio, url, timeout=3.0).create_project(name, CONFIG)
        assert faults.landed.wait(30)
    assert faults.faulted
    assert [int(p["id"]) for p in client.find_projects(name)] == [int(made["id"])]


def test_a_sign_up_whose_answer_is_lost_makes_the_reviewer_once(
    studio: Connection, client: StudioClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    email = f"lost-{uuid.uuid4().hex[:6]}@signup.test"
    faults = Faults("/user/signup/", 1, "drop-after", method="POST", times=1)
    with fault_proxy(studio.url, faults) as url:
        through(studio, url, monkeypatch, tmp_path)
        out = run("reviewers", "add", email)
    assert faults.faulted
    password = out.split("password: ")[1].split()[0]
    assert [u["email"] for u in list_reviewers(client)].count(email) == 1
    ReviewerSession(studio.url, email, password).get("api/current-user/whoami")  # logs in


def test_a_removal_whose_answer_is_lost_removes_the_reviewer(
    studio: Connection, client: StudioClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    email = f"gone-{uuid.uuid4().hex[:6]}@remove.test"
    through(studio, studio.url, monkeypatch, tmp_path)
    run("reviewers", "add", email)
    assert find_user(client, email) is not None
    faults = Faults("/memberships/", 1, "drop-after", method="DELETE", times=1)
    with fault_proxy(studio.url, faults) as url:
        through(studio, url, monkeypatch, tmp_path)
        out = run("reviewers", "remove", email)
    assert faults.faulted, out
    assert email not in [str(u["email"]) for u in list_reviewers(client)]
