"""What a push says of the re-posts it left out, as a new user reads it: one re-post is
"1 re-posted passage ... pushes it" (it said "1 re-posted passages ... pushes them"), and a
review push's first line, which counts the file's passages, says that the re-posts among
them went to no queue (its queue lines summed to fewer than passages x K, unexplained)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotate.cli import app
from annotate.cli.push import reposts_note
from annotate.review.fanout import ReviewerShare, ReviewPushResult
from tests.conftest import FIXTURES


def test_one_repost_is_counted_in_the_singular(capsys) -> None:
    reposts_note(1, [("p_1", "line 4", 1, 17)])
    err = capsys.readouterr().err
    assert (
        "1 re-posted passage already in the project left out (same text as an existing "
        "task); --keep-reposts pushes it. E.g. 'p_1' (line 4): task 17 of project 1"
    ) in err
    reposts_note(2, [("p_1", "line 4", 1, 17)])
    assert "2 re-posted passages already in the project left out" in capsys.readouterr().err


def test_a_review_push_says_its_passage_count_includes_the_reposts_left_out(
    monkeypatch, tmp_path: Path
) -> None:
    share = ReviewerShare("a@x.org", "r-a", 2, "http://fake/projects/2/data", created=8)
    done = ReviewPushResult("Set", 2, 5, "m", reviewers=[share], reposts=1)
    done.repost_examples = [("p_1", "document d10", 2, 11)]
    monkeypatch.setattr("annotate.review.fanout.push_review", lambda *a, **k: done)
    out = CliRunner().invoke(
        app, ["push", str(FIXTURES / "prelabels.jsonl"), "--project", "Set", "-k", "2", "-q"]
    )
    assert out.exit_code == 0, out.output
    assert "5 passages (1 re-posted, left out: see below), 2 reviewer(s) each" in out.output
