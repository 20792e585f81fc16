"""A push into a review set reads every task its queues hold before it imports anything
(a new user's re-run of 3,000 passages in 3 queues: 13 s showing nothing, then "push: 0
tasks done in 13 s"; minutes for large queues). The reading now has its own progress,
`read` (tasks read from the queues), beside `push` (tasks imported); `-q` hides both.
Against the session's real Label Studio."""

from __future__ import annotations

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import passage_ids
from .review_team import add_team, push_set

pytestmark = pytest.mark.integration


def test_a_review_push_shows_its_progress_over_the_tasks_it_reads(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben = add_team(("ana", "ben"), "read-progress.test")
    push_set(name, (ana, ben), "-q")
    queues = reviewer_projects(client, name).values()
    held = sum(len(passage_ids(client, int(p["id"]))) for p in queues)
    monkeypatch.setenv("ANNOTATE_PROGRESS_INTERVAL", "1e-9")  # a line however quick
    again = push_set(name, (ana, ben))
    assert f"read: {held} tasks done in " in again, again
    assert "read:" not in push_set(name, (ana, ben), "-q")
