"""A second batch pushed into a review set once the round was adjudicated, against a real
Label Studio (passI53): its first answers were reported as "late changes that can reopen a
vote" (I3), and push's import-order note counted a reviewer's skipped task as open and
named no queue (I8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient

from .helpers import PRELABELS, answer_of
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration
FIRST = ("doc-a-p0", "doc-a-p1", "doc-b-p0", "doc-b-p1")
SECOND = ("doc-c-p0", "doc-c-p1")


def _batches(tmp_path: Path) -> tuple[Path, Path]:
    lines = PRELABELS.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[4:]) + "\n", encoding="utf-8")
    return first, second


def _skip(client: StudioClient, email: str, project_id: int, passage: str) -> None:
    user = find_user(client, email)
    assert user is not None
    (task,) = [t for t in client.iter_tasks(project_id) if t["data"]["passage_id"] == passage]
    answer_of(client, int(task["id"]), int(user["id"]), [], was_cancelled=True)


def test_a_skipped_task_is_not_open_and_the_note_names_the_queue(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    first, second = _batches(tmp_path)
    ana, ben = add_team(("ana", "ben"), "order.test")
    push_set(name, (ana, ben), "-q", source=first)
    queues = reviewer_projects(client, name)
    ana_q, ben_q = int(queues[ana]["id"]), int(queues[ben]["id"])
    for passage in FIRST[:3]:
        answer_as(client, ana, ana_q, passage, ["none"])
        answer_as(client, ben, ben_q, passage, ["none"])
    _skip(client, ana, ana_q, FIRST[3])  # ana's queue: nothing open, one skip
    said = " ".join(push_set(name, (ana, ben), source=second).split())  # ben's: one open
    assert "note: 2 tasks added to queues that hold earlier pushes' open tasks" in said, said
    assert f"{ben} (" in said.split("open tasks", 1)[1].split("Label Studio")[0]
    note = said.split("note: 2 tasks added", 1)[1].split("(sorted by priority)")[0]
    assert "): 1 open" in note and ana not in note


def test_first_answers_to_a_batch_pushed_after_adjudication_are_no_late_changes(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    first, second = _batches(tmp_path)
    ana, ben = add_team(("ana", "ben"), "batch2.test")
    push_set(name, (ana, ben), "-q", source=first)
    queues = reviewer_projects(client, name)
    ana_q, ben_q = int(queues[ana]["id"]), int(queues[ben]["id"])
    for passage in FIRST:
        answer_as(client, ana, ana_q, passage, ["none"])
        theirs = ["news_reporting"] if passage == "doc-a-p1" else ["none"]
        answer_as(client, ben, ben_q, passage, theirs, "low" if passage == "doc-a-p1" else "none")
    done = run("adjudicate", "--project", name, "-q")
    assert "1 disputed passage(s), 1 added" in done, done
    push_set(name, (ana, ben), "-q", source=second)
    for passage in SECOND:
        answer_as(client, ana, ana_q, passage, ["none"])
        answer_as(client, ben, ben_q, passage, ["none"])

    out = tmp_path / "corpus"
    said = " ".join(run("export", "--project", name, "--out", str(out)).split())
    review = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["review"]
    late = review["answers_changed_after_round"]
    assert (late["answers"], late["new_answers"], late["new_passages"]) == (0, 4, 2)
    assert "late change" not in said and "made or changed after adjudication" not in said
    assert "note: 4 new answers since adjudication started at" in said, said
    statement = review["mode"]["statement"]
    assert statement.startswith("Blind review throughout: ") and "late change" not in statement
