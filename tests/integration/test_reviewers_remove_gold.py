"""`annotate reviewers remove` of a reviewer whose open tasks are gold only: the removal
deletes that gold, as a hand-over from a leaving reviewer does (`review reassign`); it
stayed in her queue, unanswered for good, and `annotate adjudicate` refused the round
for good. Against the session's real Label Studio."""

from __future__ import annotations

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio import server_version
from annotate.studio.client import StudioClient

from .helpers import GOLD
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration


def test_removing_a_reviewer_with_open_gold_only_deletes_that_gold(
    client: StudioClient, name: str
) -> None:
    found = server_version.parse(client.server_version())
    if found is not None and found < server_version.parse(  # type: ignore[operator]
        server_version.REVIEWER_REMOVAL_MINIMUM
    ):
        pytest.skip(f"Label Studio {client.server_version()}: `reviewers remove` is refused")
    ana, ben = add_team(("ana", "ben"), "remove-gold.test")
    push_set(name, (ana, ben), "-q", "--gold", str(GOLD), "--gold-rate", "0.25")
    queues = reviewer_projects(client, name)
    ana_q = int(queues[ana]["id"])
    tasks = {t["data"]["passage_id"]: t for t in client.iter_tasks(ana_q, include="id,data,meta")}
    gold = {p for p, t in tasks.items() if "annotate_gold" in (t.get("meta") or {})}
    assert gold and len(tasks) > len(gold), tasks
    for passage in sorted(set(tasks) - gold):  # every regular task of hers answered
        answer_as(client, ana, ana_q, passage, ["none"])

    out = run("reviewers", "remove", ana)
    assert f"{len(gold)} open gold task(s) removed from their queue(s)" in out, out
    left = {t["data"]["passage_id"] for t in client.iter_tasks(ana_q)}
    assert left == set(tasks) - gold  # her answers stay, her open gold is gone
    status = run("review", "status", "--project", name)
    assert f"{len(tasks) - len(gold)} answered, 0 skipped, 0 open" in status, status
