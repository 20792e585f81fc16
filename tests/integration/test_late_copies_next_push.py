"""Late copies a slow server made after a `push` or a review set's push ended, against the
real Label Studio behind a fault proxy (fault_proxy.py) that holds the first import
request back past the client's timeout and carries it out once the command has ended:
the next push into the same project or queues deletes the extra, untouched task of each
passage (the oldest stays), says so in its summary, and leaves a copy that a reviewer
answered, skipped or started a draft on. Before, they stayed for good (export pooled a
passage's two tasks and warned)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from annotate.review.gold import GOLD_META_KEY
from annotate.review.queue_tasks import reviewer_projects
from annotate.studio import retry as retry_mod
from annotate.studio.client import StudioClient

from .fault_proxy import Faults
from .helpers import PRELABELS, CliRun, choices, passage_ids
from .review_team import add_team, reviewer_flags

pytestmark = pytest.mark.integration

TIMEOUT_S = 3  # the client's: the held request is given up on, then sent again


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod, "LOST_RETRY_S", 0.1)
    monkeypatch.setattr(retry_mod, "SETTLE_S", 0.2, raising=False)


def held_push(argv: list[str], monkeypatch: pytest.MonkeyPatch, cli_run: CliRun) -> None:
    """``argv`` run through a proxy holding its first import back until the run ended;
    then the server carries it out (late copies), and the proxy is gone."""
    faults = Faults("/import", 1, "held", method="POST", times=1)
    monkeypatch.setenv("ANNOTATE_STUDIO_TIMEOUT", str(TIMEOUT_S))
    code, err = cli_run(argv, faults)
    assert code == 0, err
    assert faults.landed.is_set()
    assert faults.faulted, "no import request was held back"
    monkeypatch.delenv("ANNOTATE_STUDIO_TIMEOUT")


def tasks_of(client: StudioClient, project_id: int) -> list[dict]:
    return sorted(client.iter_tasks(project_id, include="id,data"), key=lambda t: int(t["id"]))


def test_a_push_deletes_the_late_copies_an_earlier_push_left(
    client: StudioClient, project_name: str, monkeypatch: pytest.MonkeyPatch, cli_run: CliRun
) -> None:
    argv = ["push", str(PRELABELS), "--project", project_name, "-q"]
    held_push(argv, monkeypatch, cli_run)
    pid = int(client.require_project(project_name)["id"])
    tasks = tasks_of(client, pid)
    passages = sorted(set(passage_ids(client, pid)))
    assert len(tasks) == 2 * len(passages)  # every passage twice: the late request's
    late = tasks[len(passages) :]  # the newer task of each passage
    answered, skipped, drafted = late[0], late[1], late[2]
    client.sdk.annotations.create(
        id=answered["id"], result=[choices("category", ["none"]), choices("severity", ["none"])]
    )
    client.sdk.annotations.create(id=skipped["id"], result=[], was_cancelled=True)
    with client.guard("saving a draft"):
        client._http.request(
            f"api/tasks/{drafted['id']}/drafts",
            method="POST",
            json={"result": [choices("category", ["none"])], "lead_time": 3.0},
        ).raise_for_status()
    code, err = cli_run(argv)
    assert code == 0, err
    untouched = len(passages) - 3
    assert f"removed {untouched} late copies" in err, err
    kept = {int(t["id"]) for t in tasks_of(client, pid)}
    assert kept == {int(t["id"]) for t in tasks[: len(passages)]} | {
        int(answered["id"]),
        int(skipped["id"]),
        int(drafted["id"]),
    }
    code, err = cli_run(argv)  # nothing more to delete
    assert code == 0 and "late cop" not in err, err


@pytest.mark.parametrize("gold", [False, True], ids=["regular", "gold"])
def test_a_review_sets_push_deletes_the_late_copies_an_earlier_push_left(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch, gold: bool, cli_run: CliRun
) -> None:
    """With --gold, the late request made the queue's gold tasks twice too: those stayed
    (the reviewer got the same gold passage twice, both answers counted in their gold
    accuracy)."""
    ana, ben = add_team(("ana", "ben"), "late-copies.test")
    argv = ["push", str(PRELABELS), "--project", name, "-k", "2", "-q", *reviewer_flags((ana, ben))]
    if gold:
        argv += ["--gold", str(PRELABELS.parent / "gold.jsonl"), "--gold-rate", "0.25"]
    held_push(argv, monkeypatch, cli_run)
    queues = [int(p["id"]) for p in reviewer_projects(client, name).values()]
    extra = sum(len(passage_ids(client, q)) - len(set(passage_ids(client, q))) for q in queues)
    assert extra > 0  # the late request made a queue's tasks twice
    code, err = cli_run(argv)
    assert code == 0, err
    assert re.search(rf"removed {extra} late cop(y|ies)", err), err
    for q in queues:  # each passage once in each queue, none lost
        assert set(Counter(passage_ids(client, q)).values()) == {1}
        assert len(passage_ids(client, q)) == len(passage_ids(client, queues[0]))
    golds = [
        sorted(
            t["data"]["passage_id"]
            for t in client.iter_tasks(q, include="id,data,meta")
            if GOLD_META_KEY in (t.get("meta") or {})
        )
        for q in queues
    ]
    assert all(g == golds[0] for g in golds) and bool(golds[0]) == gold, golds
