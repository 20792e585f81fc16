"""A lead whose account also reviewed (a push without --reviewer gives every account a
queue, the lead's included) settles a dispute their own answer is one side of: the
export said nothing, and the audit read such a passage as decided by a third person.
The manifest now counts and names these passages (review.adjudicated_by_own_reviewer)
and the export warns; a passage a lead decided who did not review it is not counted.
Against the session's Label Studio: two reviewers (the admin one of them) disagree on two
passages; the admin decides one as the lead, another account the other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import adjudicate
from annotate.review.collect import collect
from annotate.review.report import review_reports
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from annotate.taxonomy import load_taxonomy

from .helpers import PRELABELS, choices, new_reviewer, tasks_by_passage

pytestmark = pytest.mark.integration
TAX = load_taxonomy()
SALT = "test-salt"
OWN, OTHER = "doc-b-p0", "doc-a-p0"


def _answer(categories: list[str], severity: str) -> list[dict[str, Any]]:
    return [choices("category", categories), choices("severity", [severity])]


@pytest.fixture()
def project_name(client: StudioClient) -> Iterator[str]:
    name = f"own-{uuid.uuid4().hex[:8]}"
    yield name
    for title in (name, f"{name} · adjudication"):
        proj = client.find_project(title)
        if proj is not None:
            client.delete_project(int(proj["id"]))


def test_a_lead_deciding_a_dispute_they_answered_in_is_counted(
    client: StudioClient, project_name: str
) -> None:
    admin, second, third = int(client.whoami()["id"]), new_reviewer(client), new_reviewer(client)
    pushed = push(PRELABELS, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    for passage in (OWN, OTHER):
        answers = ((admin, _answer(["none"], "none")), (second, _answer(["news_reporting"], "low")))
        for user, answer in answers:
            client.sdk.annotations.create(id=tasks[passage]["id"], result=answer, completed_by=user)
    adj = adjudicate(client, project_name, TAX, salt=SALT)
    assert adj.project_id is not None and sorted(adj.passages) == sorted([OWN, OTHER])
    lead_tasks = tasks_by_passage(client, adj.project_id)
    client.sdk.annotations.create(  # the admin, a reviewer of it, decides OWN
        id=lead_tasks[OWN]["id"], result=_answer(["none"], "none"), completed_by=admin
    )
    client.sdk.annotations.create(  # a lead who did not review it decides OTHER
        id=lead_tasks[OTHER]["id"], result=_answer(["none"], "none"), completed_by=third
    )
    got = collect(client, project_name, TAX, salt=SALT, exported_at="")
    resolved = {r["id"]: r["resolution"] for r in got.rows}
    assert resolved[OWN] == resolved[OTHER] == "adjudicated"
    manifest = review_reports(got.rows, got.gold_rows, TAX)["manifest"]
    own = manifest["adjudicated_by_own_reviewer"]
    assert (own["passages"], own["ids"]) == (1, [OWN]), own
    assert own["by"] == {pseudonym(admin, SALT): 1}
