"""`annotate review status` of a review set of many reviewers: the counts over every queue,
the oldest open task and the queues with the most open work, in a screen; --all lists
every queue, --json gives it all to scripts. No server: queue statuses built here (the
real Label Studio: tests/integration/test_review_status_summary.py)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review import handover
from annotate.review.handover import QueueStatus
from annotate.review.queues import Queue, description
from annotate.review.status_summary import age, queue_rows, summarise
from annotate.review.unfinished import open_counts

URL = "http://studio.test"
SET = "Batch 12"
QUEUES = 30


def status(
    i: int, *, email: str | None = None, away: str | None = None, pid: int | None = None
) -> QueueStatus:
    """Queue ``i``: 100 tasks, ``i`` of them open, the oldest made on day ``30 - i`` of
    November (more open work waits longer here, except where a test says otherwise)."""
    alias = f"r-{i:010d}"
    pid = 100 + i if pid is None else pid
    q = Queue(alias, email, i, {"id": pid, "description": description(SET, alias, 2, away)})
    return QueueStatus(
        queue=q,
        url=f"http://ls/projects/{pid}/data",
        tasks=100,
        answered=100 - i - 1,
        skipped=1,
        open=i,
        open_gold=1 if i else 0,
        open_ids=frozenset(range(1000 * i, 1000 * i + i)),
        oldest_open=f"2026-11-{30 - i:02d}T09:00:00.000000Z" if i else None,
    )


def many() -> list[QueueStatus]:
    found = [status(i, email=f"rev{i:02d}@x.org") for i in range(QUEUES - 2)]
    found.append(status(QUEUES - 2, email=None))  # removed, 28 open
    found.append(status(1, email="late@x.org", away="2026-12-01T08:00:00+00:00", pid=999))
    return found


def run(monkeypatch: pytest.MonkeyPatch, found: list[QueueStatus], *args: str) -> str:
    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "queue_status", lambda client, project, salt, **_: found)
    monkeypatch.setattr("annotate.cli.review.status._lead_status", lambda client, project: None)
    monkeypatch.setattr("annotate.review.project_status.lead_status", lambda c, p: None)
    monkeypatch.setattr("annotate.cli.review.status.print_exposure", lambda *a: None)
    monkeypatch.setattr("annotate.cli.review.exposure._read_exposure", lambda *a: [])
    monkeypatch.setattr("annotate.cli.review.exposure.read_contradictions", lambda *a: {})
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    result = CliRunner().invoke(
        app, ["review", "status", "--project", SET, *args], terminal_width=400
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_many_queues_show_the_counts_the_oldest_and_the_busiest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = run(monkeypatch, many())
    queue_lines = [line for line in out.splitlines() if "-> http://ls/" in line]
    # the ten with most open tasks, and the away reviewer's queue with open work besides
    assert len(queue_lines) == 11, out
    # the heading counts them as listed: ten busiest, and one besides
    assert (
        "  the 10 queue(s) with the most open tasks, and 1 more of a removed or away reviewer, "
        "holding open tasks (of 30; --all lists every one):"
    ) in out
    assert queue_lines[0].startswith("  r-0000000028 [account removed]: 100 tasks")
    assert "late@x.org (r-0000000001) [away since" in out
    assert "rev27@x.org" in out and "rev19@x.org" in out and "rev18@x.org" not in out
    opened = sum(range(QUEUES - 1)) + 1
    assert f"  in all: 3,000 tasks, {3000 - 30 - opened:,}" in out
    assert f" 30 skipped, {opened} open (29 gold)" in out
    # the removed account's queue holds the oldest open task (2026-11-02)
    assert "oldest open task: made " in out
    assert "(2026-11-02T09:00:00.000000Z), in r-0000000028's queue" in out
    hidden = sum(range(19))  # rev00..rev18
    assert "  19 more queue(s): 1,900 tasks, " in out
    assert f", {hidden} open (--all lists them, --json for scripts)" in out


def test_all_lists_every_queue_in_the_usual_order(monkeypatch: pytest.MonkeyPatch) -> None:
    out = run(monkeypatch, many(), "--all")
    queue_lines = [line for line in out.splitlines() if "-> http://ls/" in line]
    assert len(queue_lines) == QUEUES
    assert queue_lines[0].startswith("  rev00@x.org (r-0000000000): 100 tasks, 99 answered")
    assert "more queue(s)" not in out
    assert len([line for line in out.splitlines() if "-> http://ls/" in line]) == QUEUES


def test_top_sets_how_many_and_a_small_set_lists_every_queue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = run(monkeypatch, many(), "--top", "3")
    assert len([line for line in out.splitlines() if "-> http://ls/" in line]) == 4  # + away
    small = run(monkeypatch, many()[:4])
    lines = [line for line in small.splitlines() if "-> http://ls/" in line]
    assert [line.split(":")[0] for line in lines] == [
        f"  rev0{i}@x.org (r-000000000{i})" for i in range(4)
    ]
    assert "more queue(s)" not in small and "  in all: 400 tasks" in small


def test_json_holds_every_queue_and_the_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(run(monkeypatch, many(), "--json"))
    assert doc["kind"] == "review_set" and doc["project"] == SET
    assert len(doc["queues"]) == QUEUES
    assert doc["totals"]["queues"] == QUEUES
    assert doc["totals"]["open"] == sum(q["open"] for q in doc["queues"])
    assert doc["oldest_open"] == {
        "queue": "r-0000000028",
        "project_id": 128,
        "url": "http://ls/projects/128/data",
        "created_at": "2026-11-02T09:00:00.000000Z",
    }
    removed = [q for q in doc["queues"] if not q["member"]]
    assert [q["alias"] for q in removed] == ["r-0000000028"]
    assert doc["lead"] is None and doc["exposure"]["reviewers"] == []
    assert doc["short_of_k"]["k"] == 2


def test_summary_ranks_by_open_work_then_age() -> None:
    a, c = status(3, email="a@x.org"), status(1, email="c@x.org")
    b = QueueStatus(
        **{**status(3, email="b@x.org", pid=7).__dict__, "oldest_open": "2026-10-01T00:00:00Z"}
    )  # as much open work as a, waiting longer
    rows = queue_rows([a, b, c], open_counts([a, b, c]))
    assert [r.name for r in summarise(rows, top=None).shown] == [r.name for r in rows]
    one = summarise(rows, top=1)
    assert [r.name for r in one.shown] == [b.queue.name]
    assert [r.name for r in one.hidden] == [a.queue.name, c.queue.name]
    assert one.totals.open == 7 and one.oldest is not None
    assert one.oldest.oldest_open == "2026-10-01T00:00:00Z"


def test_age_is_coarse() -> None:
    now = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
    assert age("2026-12-03T11:15:00Z", now) == "45 min"
    assert age("2026-12-03T01:59:59.5Z", now) == "10 h"
    assert age("2026-11-30T12:00:00", now) == "3 days"
    assert age("not a time", now) == "not a time"


def test_exposure_of_many_reviewers_keeps_those_over_the_limit_and_the_most_graphic() -> None:
    from annotate.cli.review.exposure import exposure_lines
    from annotate.review.live_exposure import ReviewerExposure

    found = [ReviewerExposure(f"r-{i:03d}", 10, i, 1, 0, {}) for i in range(12)]
    found.append(ReviewerExposure("r-over", 2, 2, 0, 0, {"2026-12-03": 30}))  # few, over
    since = datetime(2026, 12, 3, tzinfo=timezone.utc)
    now = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)
    lines = exposure_lines(found, {}, {}, since, 25, now, top=3)
    listed = [x.split(":")[0].strip() for x in lines if x.startswith("  r-")]
    assert listed == ["r-009", "r-010", "r-011", "r-over"]  # the usual order
    assert "  9 more reviewer(s), none above the limit: 90 answered, 36 graphic, 9 high " in (
        "\n".join(lines)
    )
    assert "(r-over)" in lines[-1]  # the warning still names every one above the limit
    assert len(exposure_lines(found, {}, {}, since, 25, now)) == len(found) + 2  # --all


def test_the_oldest_open_task_is_the_earliest_time_whatever_its_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Label Studio leaves the fraction of a second out when it is zero, and a server in
    another time zone writes an offset: the text '...09:00:00.500000Z' sorted before
    '...09:00:00Z', and '...10:30:00+01:00' (09:30 UTC) after both."""
    from dataclasses import replace

    found = [status(i, email=f"rev{i:02d}@x.org") for i in (1, 2, 3)]
    stamps = {1: "2026-11-20T09:00:00.500000Z", 2: "2026-11-20T09:00:00Z"}
    stamps[3] = "2026-11-20T09:59:00+01:00"  # 08:59 UTC: the oldest
    found = [replace(s, oldest_open=stamps[s.queue.user_id]) for s in found]
    out = run(monkeypatch, found)
    assert f"({stamps[3]}), in rev03@x.org (r-0000000003)'s queue" in out, out
    document = json.loads(run(monkeypatch, found, "--json"))
    assert document["oldest_open"]["created_at"] == stamps[3]
    found[2] = replace(found[2], oldest_open=None)
    out = run(monkeypatch, found)
    assert f"({stamps[2]}), in rev02@x.org (r-0000000002)'s queue" in out, out


def test_top_with_nothing_open_lists_no_queue_of_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop 46's review helper: `review status --top 1` with every task answered listed one
    queue "with the most open tasks", holding none."""
    from dataclasses import replace

    found = [replace(status(0, email=f"rev{i}@x.org", pid=200 + i), open_gold=0) for i in range(3)]
    out = run(monkeypatch, found, "--top", "1")
    assert not [line for line in out.splitlines() if "-> http://ls/" in line], out
    assert "with the most open tasks" not in out, out
    assert "  no queue holds an open task: 3 queue(s), 300 tasks, 297 answered, 3 skipped" in out
    rows = queue_rows(found, open_counts(found))
    assert summarise(rows, top=1).shown == []
