"""A table with its own passage ids pushed again with a passage's text changed (corrected,
or masked by hand): the push counted it as skipped (already there) without a word, and
reviewers labelled the old text (F18). It now warns, naming the passages and tasks, never
the texts; the tasks are compared by their texts' digests as the project is read page by
page (staging, real DuckDB)."""

from __future__ import annotations

from pathlib import Path

from annotate.studio.push import PushResult, push
from tests.studio.test_staging_reposts import ROWS, TextListingClient, _write
from tests.test_cli import run


def test_a_passage_there_with_another_text_is_counted_and_named(taxonomy, tmp_path: Path) -> None:
    client = TextListingClient(set())
    first = _write(tmp_path / "first.jsonl", ROWS[:3])
    push(first, "pro", taxonomy=taxonomy, client=client)
    edited = [dict(r) for r in ROWS[:3]]
    edited[1]["text"] = edited[1]["text"].replace("tonight", "tomorrow")
    assert edited[1]["text"] != ROWS[1]["text"]
    later = _write(tmp_path / "later.jsonl", edited)
    result = push(later, "pro", taxonomy=taxonomy, client=client)
    assert (result.created, result.skipped) == (0, 3)
    held = next(t["id"] for t in client.tasks if t["data"]["passage_id"] == ROWS[1]["id"])
    assert (result.other_text, result.other_text_examples) == (1, [(ROWS[1]["id"], held, "line 2")])
    # the same file again: nothing to say
    assert push(first, "pro", taxonomy=taxonomy, client=client).other_text == 0


def test_the_cli_warns_without_the_texts(monkeypatch, tmp_path: Path) -> None:
    done = PushResult(1, "pro", "http://fake/projects/1/data", "m", total=3, skipped=3)
    done.other_text, done.other_text_examples = 2, [("p_1", 11, "row 2 (line 3)")]
    monkeypatch.setattr("annotate.studio.push.push", lambda *a, **k: done)
    path = _write(tmp_path / "b.jsonl", [])
    out = run("push", str(path), "--project", "pro", "-q")
    assert out.returncode == 0, out.stderr
    said = " ".join((out.stdout + out.stderr).split())
    assert (
        f"warning: 2 passages already in 'pro' hold other text than {path} under the same id "
        "(e.g. 'p_1' (row 2 (line 3)): task 11): push leaves tasks already there as they are "
        "(counted as skipped), so reviewers label the old text. Fix: delete those tasks in "
        "Label Studio"
    ) in said
    assert "or give each changed passage a new id" in said


def test_a_review_set_push_counts_and_names_them_too(tmp_path: Path) -> None:
    from annotate.review.fanout import push_review
    from tests.test_review_push_reposts import MetaStudio

    client = MetaStudio()
    first = _write(tmp_path / "first.jsonl", ROWS[:3])
    push_review(first, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    edited = [dict(r) for r in ROWS[:3]]
    edited[1]["text"] = edited[1]["text"].replace("tonight", "tomorrow")
    later = _write(tmp_path / "later.jsonl", edited)
    result = push_review(later, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert sum(s.created for s in result.reviewers) == 0
    held = min(
        t["id"]
        for ts in client.tasks.values()
        for t in ts
        if t["data"]["passage_id"] == ROWS[1]["id"]
    )
    assert (result.other_text, result.other_text_examples) == (1, [(ROWS[1]["id"], held, "line 2")])
    again = push_review(first, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert again.other_text == 0
