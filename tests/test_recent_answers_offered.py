"""`annotate review status` reads the answers since ``--since`` as export resolves them
(:func:`annotate.review.recent.recent_answers`: rows "as an export makes them"), but it
resolved them without the record of which categories each answer's labeling config
offered: an answer made under labels.yaml 1.0.0, before ``harassment`` was added, voted
"no" on it (s59 votes). It now reads that record from the projects' configs, which it
reads anyway (no request more)."""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import cycle

from annotate.review.recent import SNAPSHOT_FROM, recent_answers
from tests.integration.helpers import choices
from tests.test_taxonomy_label_added import _changed_project, with_harassment


def test_recent_rows_leave_out_answers_not_offered_a_category() -> None:
    studio = _changed_project()  # the config moved from 1.0.0 to 1.1.0 at 10:04:30
    (task,) = [t for t in studio.tasks if t["data"].get("passage_id") == "doc-a-p1"]
    _, second, third = task["annotations"]
    second["result"] = [choices("category", ["violent_threat"])]
    third["result"] = [choices("category", ["violent_threat", "harassment"])]
    third["created_at"] = third["updated_at"] = "2026-06-01T10:05:00Z"  # under 1.1.0
    answered = cycle([SNAPSHOT_FROM, 0])  # (recent, older) per project: one snapshot
    studio.count_answered_tasks = lambda pid, filters: next(answered)
    since = datetime(2026, 1, 1, tzinfo=timezone.utc)
    got = recent_answers(studio, "p", with_harassment("1.1.0"), salt="s", since=since)
    (row,) = [r for r in got.rows if r["id"] == "doc-a-p1"]
    assert [a["taxonomy_version"] for a in row["annotations"]] == ["1.0.0", "1.0.0", "1.1.0"]
    # the one reviewer asked chose harassment: the vote among those asked, as export's
    assert row["labels"] == ["violent_threat", "harassment"] and not row["label_tie"]
