"""`annotate review status` reads every task of every queue (about 1,000 tasks a second
from the local server: a new user's set of 6,000 tasks took 7 s, so a set of 3 queues of
50,000 minutes) and showed no progress while it did. It now has a stage `queues`
counting the tasks read, as export's `snapshot` and `rows`; `-q` hides it. Against the
session's real Label Studio."""

from __future__ import annotations

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import passage_ids
from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration


def test_review_status_shows_its_progress_over_the_tasks_it_reads(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben = add_team(("ana", "ben"), "status-progress.test")
    push_set(name, (ana, ben))
    tasks = sum(
        len(passage_ids(client, int(p["id"]))) for p in reviewer_projects(client, name).values()
    )
    monkeypatch.setenv("ANNOTATE_PROGRESS_INTERVAL", "1e-9")  # a line however quick
    out = run("review", "status", "--project", name)
    assert f"queues: {tasks} tasks done in " in out, out
    assert "queues:" not in run("review", "status", "--project", name, "-q")
