"""`annotate review status --json` gives one shape for both kinds of name, against a real
Label Studio: a review set (reviewer queues, K) and numbered projects pushed without
--reviewers-per-task. Before, the plain kind's document lacked ``reviewers_per_task``,
``totals``, ``oldest_open``, ``queues``, ``short_of_k`` and the held-back keys, so a
script written against one kind failed with a KeyError on the other."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.status_json import KEYS, STATUS_FORMAT, TOTAL_KEYS
from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, choices, tasks_by_passage
from .review_team import add_team, answer_as, run

pytestmark = pytest.mark.integration


def _status(name: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["review", "status", "--project", name, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_both_kinds_give_the_same_keys(client: StudioClient, name: str) -> None:
    # two names starting with the conftest's fresh one, so both kinds' projects go with it
    plain, review = f"{name}-p", f"{name}-r"
    push(PRELABELS, plain, client=client, batch_size=3, max_tasks_per_project=4)
    admin = int(client.whoami()["id"])
    part1 = client.require_project(f"{plain} #1")
    first = next(iter(tasks_by_passage(client, int(part1["id"])).values()))
    answer = [choices("category", ["none"]), choices("severity", ["none"])]
    client.sdk.annotations.create(id=first["id"], result=answer, completed_by=admin)

    team = add_team(("ada", "bo"), "json.test")
    ada, _ = team
    run(
        "push",
        str(PRELABELS),
        "--project",
        review,
        "-k",
        "2",
        *[arg for email in team for arg in ("--reviewer", email)],
    )
    queue = int(reviewer_projects(client, review)[ada]["id"])
    task = next(iter(client.iter_tasks(queue)))
    answer_as(client, ada, queue, task["data"]["passage_id"], ["none"])

    flat, sets = _status(plain), _status(review)
    for doc, kind in ((flat, "projects"), (sets, "review_set")):
        assert sorted(doc) == sorted(KEYS), (kind, sorted(set(doc) ^ set(KEYS)))
        assert doc["format"] == STATUS_FORMAT and doc["kind"] == kind
        assert sorted(doc["totals"]) == sorted(TOTAL_KEYS), doc["totals"]
        assert sorted(doc["oldest_open"]) == ["created_at", "project_id", "queue", "url"]
        assert sorted(doc["exposure"]) == ["graphic_limit", "reviewers", "since"]
        # the open contradictions, read live (break5 B15): none here, every task readable
        said = doc["contradictions"]
        assert said["error"] is None and said["unreadable"]["total"] == 0, said
        assert said["severity_without_harm"]["total"] == 0, said
        assert isinstance(doc["queues"], list) and isinstance(doc["projects"], list)
        assert isinstance(doc["held_back"], list)

    # the plain kind: its numbered projects, no queues, no K
    assert [p["title"] for p in flat["projects"]] == [f"{plain} #1", f"{plain} #2"]
    assert flat["queues"] == [] and flat["reviewers_per_task"] is None
    assert flat["short_of_k"] is None and flat["held_back"] == []
    t = flat["totals"]
    assert (t["projects"], t["queues"], t["tasks"], t["answered"]) == (2, 0, 6, 1), t
    assert t["open"] == 5 == sum(p["open"] for p in flat["projects"])
    assert flat["oldest_open"]["queue"] is None
    assert flat["oldest_open"]["project_id"] in {p["project_id"] for p in flat["projects"]}
    assert flat["oldest_open"]["created_at"] == min(
        p["oldest_open"] for p in flat["projects"] if p["oldest_open"]
    )

    # the review kind: its queues, K, nothing in "projects"
    assert {q["email"] for q in sets["queues"]} == set(team) and sets["projects"] == []
    assert sets["reviewers_per_task"] == 2 and sets["short_of_k"]["k"] == 2
    t = sets["totals"]
    assert t["projects"] == t["queues"] == 2 and t["answered"] == 1, t
    assert sets["oldest_open"]["queue"] in {q["name"] for q in sets["queues"]}

    # exposure names each answerer as the text lines do: the plain kind's admin (no queue
    # line) by e-mail and pseudonym, the set's reviewer by its queue's name (it was null
    # for every answerer without a queue line: a plain project's, the lead's)
    admin_email = str(client.whoami()["email"])
    (flat_seen,) = flat["exposure"]["reviewers"]
    assert flat_seen["name"] == f"{admin_email} ({flat_seen['reviewer']})", flat_seen
    (set_seen,) = sets["exposure"]["reviewers"]
    assert set_seen["name"] == next(q["name"] for q in sets["queues"] if q["email"] == ada)
