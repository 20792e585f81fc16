"""A push into a review set leaves out re-posts (a passage whose exact text a task of the
set holds under another passage id, a gold task's included) without breaking what the set
repeats on purpose: a passage goes to K queues, a push cut short tops it up, every queue
gets its gold tasks (a fake server; the plain push on a real one:
tests/integration/test_push_reposts.py)."""

from __future__ import annotations

import json
from pathlib import Path

from annotate._util.passage_ids import passage_id
from annotate.review.fanout import push_review
from tests.conftest import FIXTURES
from tests.test_review_fanout import ReviewStudio

PRELABELS = FIXTURES / "prelabels.jsonl"
GOLD = FIXTURES / "gold.jsonl"
ROWS = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]
GOLD_ROWS = [json.loads(x) for x in GOLD.read_text().splitlines() if x.strip()]


def _reposted(row: dict, doc: str) -> dict:
    return {**row, "id": passage_id(doc, row["text"]), "doc_id": doc, "passage_index": 0}


class MetaStudio(ReviewStudio):
    """ReviewStudio that reads and writes a task's meta."""

    def _task(self, task_id: int) -> dict:
        return next(t for ts in self.tasks.values() for t in ts if t["id"] == task_id)

    def get_task_meta(self, task_id: int) -> dict:
        return dict(self._task(task_id).get("meta") or {})

    def update_task_meta(self, task_id: int, meta: dict) -> None:
        self._task(task_id)["meta"] = meta


def _queued(client: ReviewStudio) -> list[str]:
    return sorted(t["data"]["passage_id"] for ts in client.tasks.values() for t in ts)


def test_reposts_of_a_regular_or_gold_text_are_left_out_of_every_queue(tmp_path: Path) -> None:
    client = MetaStudio()
    opts = {"gold": GOLD, "gold_rate": 0.25, "client": client, "salt": "s"}
    push_review(PRELABELS, "Batch", 2, **opts)  # type: ignore[arg-type]
    before = _queued(client)
    fresh = {**_reposted(ROWS[2], "thread-9"), "text": "A new statement, never seen."}
    fresh["id"] = passage_id("thread-9", fresh["text"])
    later = [_reposted(ROWS[1], "thread-9"), _reposted(GOLD_ROWS[0], "thread-9"), fresh]
    for row in later[1:2]:  # a gold passage's text, as a plain prelabel row
        row.pop("gold_labels"), row.pop("gold_severity")
    path = tmp_path / "later.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in later))

    result = push_review(path, "Batch", 2, **opts)  # type: ignore[arg-type]
    assert result.reposts == 2
    assert {pid for pid, *_ in result.repost_examples} == {later[0]["id"], later[1]["id"]}
    # named as a plain push names it: passage id, document and line in the file
    where = {pid: where for pid, where, *_ in result.repost_examples}
    assert where == {
        row["id"]: f"document thread-9; line {n} of {path}" for n, row in enumerate(later[:2], 1)
    }
    assert _queued(client) == sorted([*before, fresh["id"], fresh["id"]])  # K = 2 queues
    # the oldest task of each text records the re-post; a gold task keeps its gold key
    for pid, _, _, task_id in result.repost_examples:
        meta = client.get_task_meta(task_id)
        assert meta["annotate_reposts"] == [{"passage_id": pid, "doc_id": "thread-9"}]
        assert ("gold" in json.dumps(meta)) is (pid == later[1]["id"])
    # keep_reposts: pushed, each to K reviewers; a re-run then finds them by passage id
    kept = push_review(path, "Batch", 2, keep_reposts=True, **opts)  # type: ignore[arg-type]
    assert kept.reposts == 0 and sum(s.created for s in kept.reviewers) == 4
    # they have tasks of their own now: the holders no longer list them (a gold key stays)
    for pid, _, _, task_id in result.repost_examples:
        meta = client.get_task_meta(task_id)
        assert "annotate_reposts" not in meta
        assert ("gold" in json.dumps(meta)) is (pid == later[1]["id"])
    again = push_review(path, "Batch", 2, **opts)  # type: ignore[arg-type]
    assert again.reposts == 0 and sum(s.created for s in again.reviewers) == 0


def test_a_passage_in_fewer_than_k_queues_is_topped_up(tmp_path: Path) -> None:
    """A push cut short left a passage in one queue of two: its text is held, but under its
    own id, so the next push gives it its second reviewer; gold stays in every queue."""
    client = MetaStudio()
    opts = {"gold": GOLD, "gold_rate": 0.25, "client": client, "salt": "s"}
    push_review(PRELABELS, "Batch", 2, **opts)  # type: ignore[arg-type]
    queue = next(iter(client.tasks))
    client.tasks[queue] = [t for t in client.tasks[queue] if t["data"]["passage_id"] != "doc-a-p1"]
    result = push_review(PRELABELS, "Batch", 2, **opts)  # type: ignore[arg-type]
    assert result.reposts == 0
    assert [s.created for s in result.reviewers if s.project_id == queue] == [1]
    assert _queued(client).count("doc-a-p1") == 2
    for tasks in client.tasks.values():
        assert {"doc-g-p0", "doc-h-p0"} & {t["data"]["passage_id"] for t in tasks}
