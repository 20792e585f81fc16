"""The demo's review team against a real Label Studio: two logins that work, K=2."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.review.demo_team import demo_team
from annotate.review.queue_tasks import list_projects
from annotate.review.reviewers import ReviewerSession
from annotate.studio.client import StudioClient

from .helpers import PRELABELS

pytestmark = pytest.mark.integration


def test_demo_team_prints_working_logins_and_is_rerunnable(
    client: StudioClient, tmp_path: Path
) -> None:
    team, pushed = demo_team(client, PRELABELS, "demo-team", tmp_path)
    assert [m.email for m in team] == ["ana@annotate.local", "ben@annotate.local"]
    assert sum(s.created for s in pushed.reviewers) == 2 * 6  # every passage twice
    for member in team:
        assert member.password
        session = ReviewerSession(client.url, member.email, member.password)
        session.close()
    again, pushed2 = demo_team(client, PRELABELS, "demo-team", tmp_path)
    assert [m.password for m in again] == [m.password for m in team]  # same logins printed
    assert sum(s.created for s in pushed2.reviewers) == 0
    for proj in list_projects(client):
        if str(proj["title"]).startswith("demo-team"):
            client.sdk.projects.delete(int(proj["id"]))
    # queues deleted in Label Studio (a new user tidying up): the demo makes them again,
    # where a real push refuses until told --recreate-deleted
    _, pushed3 = demo_team(client, PRELABELS, "demo-team", tmp_path)
    assert sum(s.created for s in pushed3.reviewers) == 2 * 6
    for proj in list_projects(client):
        if str(proj["title"]).startswith("demo-team"):
            client.sdk.projects.delete(int(proj["id"]))
