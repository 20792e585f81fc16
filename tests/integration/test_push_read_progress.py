"""A plain push reads the passage ids its project holds before it sends anything (a
re-run reads them all: seconds to minutes showing nothing, then "push: 0 tasks done in
13 s", the reading in the push's time). The reading now has its own progress, `read`
(tasks read from the project), beside `push` (tasks imported, timed from the sending);
`-q` hides both. Against the session's real Label Studio."""

from __future__ import annotations

import pytest

from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import run

pytestmark = pytest.mark.integration


def test_a_plain_push_shows_its_progress_over_the_tasks_it_reads(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    push = ["push", str(PRELABELS), "--project", name]
    run(*push, "-q")
    held = len(PRELABELS.read_text(encoding="utf-8").splitlines())
    monkeypatch.setenv("ANNOTATE_PROGRESS_INTERVAL", "1e-9")  # a line however quick
    again = run(*push)
    assert f"read: {held} tasks done in " in again, again
    assert "read:" not in run(*push, "-q")
