"""A review push's line per reviewer said "6 added (1 gold), 1 already there" for a batch
of new passages: the one already there was a gold task the queue held from the first
batch, which the line did not say, so a lead looked for a passage pushed twice."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.fanout import push_review
from tests.test_review_fanout import PRELABELS, ReviewStudio

GOLD = Path(__file__).parent / "fixtures" / "gold.jsonl"


def test_gold_tasks_already_in_a_queue_are_counted_apart(monkeypatch) -> None:
    client = ReviewStudio()
    first = push_review(PRELABELS, "Batch", 2, client=client, salt="s", gold=GOLD, gold_rate=0.1)  # type: ignore[arg-type]
    assert all(s.gold >= 1 and s.already_gold == 0 for s in first.reviewers)
    import annotate.review.fanout as fanout

    real = fanout.push_review
    monkeypatch.setattr(
        fanout, "push_review", lambda *a, **kw: real(*a, **kw, client=client, salt="s")
    )
    args = ["push", str(PRELABELS), "--project", "Batch", "-k", "2", "--gold", str(GOLD)]
    result = CliRunner().invoke(app, [*args, "--gold-rate", "0.1"])
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if " added (" in x]
    assert len(lines) == len(first.reviewers)
    for share, line in zip(first.reviewers, lines, strict=True):
        already = share.created  # the re-run finds every task of the first push
        assert f"0 added (0 gold), {already} already there ({share.gold} gold)" in line, line
