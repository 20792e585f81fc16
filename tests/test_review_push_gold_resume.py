"""A review push with --gold killed part-way (kill -9) and run again left one reviewer
with 32 gold tasks and the others with 31: the re-run gives what the stopped run did
not send to the reviewers with the least load, so the queues end unequal, and the gold
share was reckoned per queue. Every reviewer must get the same gold passages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.fanout import push_review
from annotate.review.gold import GOLD_META_KEY
from tests.conftest import FIXTURES
from tests.test_review_fanout import PRELABELS, ReviewStudio

USERS = ("ana@x.org", "ben@x.org", "cai@x.org")


class Killed(Exception):
    """The push stopped between two import requests."""


def _write(rows: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def tables(tmp_path: Path) -> tuple[Path, Path]:
    """120 passages (copies of the fixture's, each its own document) and 30 gold ones."""
    base = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]
    gold = [json.loads(x) for x in (FIXTURES / "gold.jsonl").read_text().splitlines() if x]
    rows = [
        {**base[i % len(base)], "id": f"doc-x{i}-p0", "doc_id": f"doc-x{i}", "passage_index": 0}
        | {"text": f"{base[i % len(base)]['text']} ({i})"}
        for i in range(120)
    ]
    golds = [
        {**gold[i % len(gold)], "id": f"doc-g{i}-p0", "doc_id": f"doc-g{i}"}
        | {"text": f"{gold[i % len(gold)]['text']} (g{i})"}
        for i in range(30)
    ]
    return _write(rows, tmp_path / "pre.jsonl"), _write(golds, tmp_path / "gold.jsonl")


def _gold_of(client: ReviewStudio) -> list[list[str]]:
    return [
        sorted(t["data"]["passage_id"] for t in tasks if GOLD_META_KEY in (t.get("meta") or {}))
        for tasks in client.tasks.values()
    ]


def _stopped_and_run_again(tables: tuple[Path, Path], stop_at: int) -> ReviewStudio:
    """A review-set push of 120 passages to K = 2 of the reviewers, with gold at 0.1 in
    batches of 10, stopped at its ``stop_at``-th import and run again; the server after."""
    pre, gold = tables
    client = ReviewStudio(USERS)
    real = client.import_tasks
    calls = 0

    def killed_at(project_id: int, batch: list[dict]):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == stop_at:
            raise Killed
        return real(project_id, batch)

    client.import_tasks = killed_at  # type: ignore[method-assign]
    kw = {"client": client, "salt": "s", "gold": gold, "gold_rate": 0.1, "batch_size": 10}
    with pytest.raises(Killed):
        push_review(pre, "Batch", 2, **kw)  # type: ignore[arg-type]
    client.import_tasks = real  # type: ignore[method-assign]
    push_review(pre, "Batch", 2, **kw)  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize("stop_at", range(2, 10))
def test_a_stopped_gold_push_run_again_gives_every_reviewer_the_same_gold(
    tables: tuple[Path, Path], stop_at: int
) -> None:
    client = _stopped_and_run_again(tables, stop_at)
    held = _gold_of(client)
    assert len(held) == len(USERS) and all(held)
    assert all(g == held[0] for g in held), [len(g) for g in held]
    # each passage still goes to K = 2 reviewers, once each
    regular = [
        t["data"]["passage_id"]
        for tasks in client.tasks.values()
        for t in tasks
        if GOLD_META_KEY not in (t.get("meta") or {})
    ]
    assert len(regular) == 240 and len(set(regular)) == 120


def test_queues_one_task_apart_get_the_same_gold(tables: tuple[Path, Path]) -> None:
    """100 passages to K = 2 of 3 reviewers: queues of 67, 67 and 66; at a gold rate of
    0.25, 22.3 and 22.0 gold tasks, which per queue were 23 and 22."""
    pre, gold = tables
    rows = pre.read_text().splitlines()[:100]
    pre.write_text("\n".join(rows) + "\n")
    client = ReviewStudio(USERS)
    push_review(pre, "Batch", 2, client=client, salt="s", gold=gold, gold_rate=0.25)  # type: ignore[arg-type]
    held = _gold_of(client)
    assert all(g == held[0] for g in held) and len(held[0]) == 23, [len(g) for g in held]


@pytest.mark.parametrize("stop_at", range(2, 10))
def test_a_stopped_gold_push_run_again_splits_the_regular_tasks_evenly(
    tables: tuple[Path, Path], stop_at: int
) -> None:
    """The re-run gave the passages the stopped run did not send to the reviewers with the
    least load, and counted the gold tasks in it: a queue the stopped run had filled
    partly (its gold tasks sorted among its first batches) took fewer regular passages,
    the others more (e.g. 76, 82, 82 of 240). Without a kill: 80 each."""
    client = _stopped_and_run_again(tables, stop_at)
    regular = [
        sum(1 for t in tasks if GOLD_META_KEY not in (t.get("meta") or {}))
        for tasks in client.tasks.values()
    ]
    assert sum(regular) == 240 and max(regular) - min(regular) <= 1, regular
