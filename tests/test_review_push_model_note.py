"""A review-set push that changes the model version its queues show reviewers (a newer
model's pre-labels, or an older model's pushed after a newer one's) said nothing, where a
plain push prints a note naming the version it replaced."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.fanout import push_review
from tests.test_review_fanout import PRELABELS, ReviewStudio


def _as_model(tmp_path: Path, version: str) -> Path:
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    out = tmp_path / f"{version}.jsonl"
    out.write_text("".join(json.dumps({**r, "model_version": version}) + "\n" for r in rows))
    return out


def test_each_queue_names_the_version_it_showed_before(tmp_path: Path) -> None:
    client = ReviewStudio()
    first = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert [s.model_version_replaced for s in first.reviewers] == [None, None]
    newer = push_review(_as_model(tmp_path, "m2"), "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert [s.model_version_replaced for s in newer.reviewers] == ["fixture-model-1"] * 2
    again = push_review(_as_model(tmp_path, "m2"), "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert [s.model_version_replaced for s in again.reviewers] == [None, None]
    older = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert [s.model_version_replaced for s in older.reviewers] == ["m2", "m2"]


def test_the_cli_prints_the_note(tmp_path: Path, monkeypatch) -> None:
    client = ReviewStudio()
    push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    import annotate.review.fanout as fanout

    real = fanout.push_review
    monkeypatch.setattr(
        fanout, "push_review", lambda *a, **kw: real(*a, **kw, client=client, salt="s")
    )
    result = CliRunner().invoke(
        app, ["push", str(_as_model(tmp_path, "m2")), "--project", "Batch", "-k", "2"]
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "now show reviewers the pre-annotations of m2 instead of fixture-model-1" in said
