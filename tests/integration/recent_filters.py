"""The Data Manager filters `annotate review status` reads exposure with
(:mod:`annotate.review.recent`), checked on a server: tasks touched since a time, and
tasks by passage-id pattern (whole ids, punctuation literal). Shared by the SQLite test
(test_review_recent_filters.py) and the PostgreSQL one (test_postgres.py): the server
runs these filters in SQL, differently on each database."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

from annotate.review.recent import passage_filter, passage_patterns, touched_since
from annotate.studio.client import StudioClient

CONFIG = (
    '<View><Text name="text" value="$text"/><Choices name="category" toName="text">'
    '<Choice value="none"/><Choice value="graphic_violence"/></Choices></View>'
)
IDS = ["doc-a.p0", "doc-a-p0", "doc-aXp0", "x|y", "doc-a.p01", "статья-1.p0", "статья-1Xp0"]
IDS += ["later"]


def check_recent_filters(client: StudioClient) -> None:
    proj = client.create_project(f"recent-{uuid.uuid4().hex[:8]}", CONFIG)
    pid = int(proj["id"])
    try:
        me = int(client.whoami()["id"])
        result = [
            {
                "from_name": "category",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": ["none"]},
            }
        ]
        client.import_tasks(
            pid,
            [
                {
                    "data": {"text": f"text of {p}", "passage_id": p},
                    "annotations": [] if p == "later" else [{"result": result, "completed_by": me}],
                }
                for p in IDS
            ],
        )

        def passages(filters: list[dict[str, object]]) -> set[str]:
            return {t["data"]["passage_id"] for t in client.iter_answered_tasks(pid, filters)}

        wanted = {"doc-a.p0", "x|y", "статья-1.p0"}  # non-ASCII ids: patterns sized as sent
        assert set().union(*(passages([passage_filter(p)]) for p in passage_patterns(wanted))) == (
            wanted
        )
        time.sleep(1.1)
        cut = datetime.now(timezone.utc)
        time.sleep(1.1)
        (later,) = [t for t in client.iter_tasks(pid) if t["data"]["passage_id"] == "later"]
        client.sdk.annotations.create(id=later["id"], result=result, completed_by=me)
        assert passages([touched_since(cut)]) == {"later"}
        full = next(iter(client.iter_answered_tasks(pid, [touched_since(cut)])))
        assert [a["completed_by"] for a in full["annotations"]] == [me]  # answers in full
        assert passages([touched_since(cut, before=True)]) == set(IDS) - {"later"}
        assert client.count_answered_tasks(pid, [touched_since(cut, before=True)]) == len(IDS) - 1
    finally:
        client.delete_project(pid)
