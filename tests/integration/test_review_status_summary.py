"""`annotate review status` at a glance against a real Label Studio: a review set of more
queues than --top shows the counts over all of them, the oldest open task (the server's
``created_at``, read with the queues' task listing) and the busiest queues; --all lists
every queue; --json gives every queue and the counts to scripts, on stdout alone."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration


def test_status_summarises_many_queues_and_lists_them_on_request(
    client: StudioClient, name: str
) -> None:
    team = add_team(("ana", "ben", "cai"), "summary.test")
    ana, ben, cai = team
    push_set(name, team)
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    # ana answers everything she holds: no open work; ben one passage
    for task in client.iter_tasks(queues[ana]):
        answer_as(client, ana, queues[ana], task["data"]["passage_id"], ["none"])
    first = next(iter(client.iter_tasks(queues[ben])))
    answer_as(client, ben, queues[ben], first["data"]["passage_id"], ["none"])

    out = run("review", "status", "--project", name, "--top", "1")
    queue_lines = [line for line in out.splitlines() if "/projects/" in line and "->" in line]
    assert len(queue_lines) == 1, out
    # ben answered one of the passages, ana all of hers: cai's queue has the most open
    sizes = {e: sum(1 for _ in client.iter_tasks(q)) for e, q in queues.items()}
    assert sizes[ben] == sizes[cai], sizes  # K=2 over 3 reviewers: even queues
    assert cai in queue_lines[0], out
    assert "  2 more queue(s): " in out and "(--all lists them, --json for scripts)" in out
    assert "  in all: " in out and "oldest open task: made " in out, out

    every = run("review", "status", "--project", name, "--all")
    assert sum(1 for e in team if f"{e} (r-" in every) == 3, every
    assert "more queue(s)" not in every

    result = CliRunner().invoke(app, ["review", "status", "--project", name, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # stdout holds the document alone
    assert {q["email"] for q in doc["queues"]} == set(team)
    by_mail = {q["email"]: q for q in doc["queues"]}
    assert by_mail[ana]["open"] == 0 and by_mail[ana]["oldest_open"] is None
    assert by_mail[ben]["answered"] == 1
    assert doc["totals"]["open"] == sum(q["open"] for q in doc["queues"]) > 0
    assert doc["totals"]["tasks"] == sum(q["tasks"] for q in doc["queues"])
    assert doc["oldest_open"]["created_at"]  # the server's time of the oldest open task
    assert doc["oldest_open"]["queue"] in {by_mail[ben]["name"], by_mail[cai]["name"]}
    assert doc["reviewers_per_task"] == 2 and doc["short_of_k"]["k"] == 2
    answered = {r["name"]: r["answers"] for r in doc["exposure"]["reviewers"]}
    assert answered[by_mail[ben]["name"]] == 1, doc["exposure"]
