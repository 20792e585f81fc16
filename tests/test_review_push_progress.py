"""A review-set push (`annotate push --reviewers-per-task K`) imports K times the passages,
and gold tasks into every queue, and showed no progress at all while it did, where a plain
push shows a bar (or plain lines off a terminal). The library reports each batch imported
to ``progress`` (after the total, every queue's tasks, regular and gold); the CLI draws it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.cli.progress_lines import INTERVAL_ENV
from annotate.review.fanout import push_review
from tests.conftest import FIXTURES
from tests.test_review_fanout import PRELABELS, ReviewStudio


class _Seen:
    """A progress callable that records its calls, the total and what was in flight."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.calls: list[int] = []
        self.flying: list[int] = []

    def __call__(self, n: int) -> None:
        assert self.total is not None, "progress before its total"
        self.calls.append(n)

    def set_total(self, total: int) -> None:
        self.total = total

    def in_flight(self, n: int) -> None:
        self.flying.append(n)


def test_a_review_push_reports_every_queues_tasks_to_progress() -> None:
    seen = _Seen()
    client = ReviewStudio()
    result = push_review(  # type: ignore[arg-type]
        PRELABELS,
        "Batch",
        2,
        gold=FIXTURES / "gold.jsonl",
        gold_rate=0.25,
        client=client,
        salt="s",
        batch_size=2,
        progress=seen,
    )
    made = sum(s.created for s in result.reviewers)
    assert made and sum(s.gold for s in result.reviewers)  # regular and gold tasks
    assert seen.total == sum(seen.calls) == made
    assert max(seen.calls) <= 2 and len(seen.calls) > len(result.reviewers)  # per batch
    assert seen.flying and seen.flying[-1] == 0  # nothing left in flight

    again = _Seen()
    push_review(PRELABELS, "Batch", 2, client=client, salt="s", progress=again)  # type: ignore[arg-type]
    assert again.total == 0 and again.calls == []  # a re-run: nothing to import


@pytest.mark.parametrize("quiet", [False, True])
def test_the_cli_shows_a_review_push_progress_as_a_plain_push_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    """Off a terminal (the runner's output): plain progress lines, as a plain push writes
    them; none with -q."""
    import annotate.review.fanout as fanout
    from annotate.review.fanout import ReviewerShare, ReviewPushResult

    given: list[Any] = []

    def push(*args: Any, progress: Any = None, **kwargs: Any) -> ReviewPushResult:
        given.append(progress)
        if progress is not None:
            progress.set_total(6)
            for _ in range(3):
                time.sleep(0.05)
                progress(2)
        share = ReviewerShare("ana@x.org", "r-0123456789", 3, "http://h/projects/3/data", 6)
        return ReviewPushResult("Batch", 2, 3, "m@1", reviewers=[share])

    monkeypatch.setattr(fanout, "push_review", push)
    monkeypatch.setenv(INTERVAL_ENV, "0.01")
    pre = tmp_path / "pre.jsonl"
    pre.write_text("{}\n")
    args = ["push", str(pre), "--project", "Batch", "-k", "2"] + (["-q"] if quiet else [])
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 0, ran.output
    lines = [ln for ln in ran.output.splitlines() if ln.startswith("push: ")]
    if quiet:
        assert given == [None] and lines == []
    else:
        assert given[0] is not None
        assert any(" / 6 tasks" in ln for ln in lines), ran.output
        assert lines[-1].startswith("push: 6 tasks done in "), ran.output


def test_a_review_push_times_its_read_stage_from_the_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """passK54 K4 (the plain push's case in tests/studio/test_push.py): the `read` stage's
    clock started when the CLI made it, so the file's loading and checks before the reading
    were counted as reading ("read: 0 tasks done in 34 s")."""
    import io

    from annotate.cli.progress_lines import ProgressLines
    from annotate.review import fanout

    now = [1000.0]
    out = io.StringIO()
    read = ProgressLines(
        "read", unit="task", total=None, out=out, interval=1e-9, clock=lambda: now[0]
    )
    listed = fanout.counted_listing

    def after_slow_checks(*args: Any, **kw: Any) -> Any:
        now[0] += 34  # what a large file's loading and checks take before the reading
        return listed(*args, **kw)

    monkeypatch.setattr(fanout, "counted_listing", after_slow_checks)
    push_review(  # type: ignore[arg-type]
        PRELABELS, "Batch", 2, client=ReviewStudio(), salt="s", reading=read
    )
    read.close()
    assert "34 s" not in out.getvalue(), out.getvalue()
