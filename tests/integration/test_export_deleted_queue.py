"""A reviewer's queue deleted in Label Studio's web interface after the round was
exported (a new user's run: the lead deleted it by mistake, the next push made it again,
empty, saying only "10 added"): the next export into the same folder replaced the corpus
that held that reviewer's answers with one without them, silently, and they were gone for
good. Export now refuses to replace an export holding answers Label Studio no longer has,
naming them, and writes nothing; a changed answer is no lost answer. Against the session's
real Label Studio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient

from .helpers import change_answer, choices
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration


def answer_all(client: StudioClient, email: str, queue: int) -> list[int]:
    return [
        answer_as(client, email, queue, t["data"]["passage_id"], ["none"])
        for t in client.iter_tasks(queue)
    ]


def test_an_export_refuses_to_replace_answers_deleted_in_label_studio(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "gone-team.test")
    push_set(name, (ana, ben), "-q")
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    answer_all(client, ana, queues[ana])
    (first, *_) = answer_all(client, ben, queues[ben])
    out = tmp_path / "corpus"
    run("export", "--project", name, "--out", str(out), "-q")
    manifest = (out / "manifest.json").read_bytes()

    # a changed answer still is an answer: the export replaces the previous one
    changed = [choices("category", ["violent_threat"]), choices("severity", ["high"])]
    ben_id = int((find_user(client, ben) or {})["id"])
    change_answer(client, first, ben_id, changed)  # ben, from his own login
    run("export", "--project", name, "--out", str(out), "--overwrite", "-q")
    manifest = (out / "manifest.json").read_bytes()

    # Ben's queue deleted in the UI; a push told to makes it again, empty (without
    # --recreate-deleted it is refused: tests/integration/test_push_deleted_queue.py)
    client.sdk.projects.delete(queues[ben])
    push_set(name, (ana, ben), "-q", "--recreate-deleted")
    text = run("export", "--project", name, "--out", str(out), "--overwrite", code=1)
    n = len(list(client.iter_tasks(queues[ana])))
    assert f"holds {n} answer(s) on {n} passage(s) that Label Studio no longer has" in text
    assert "Fix: export into a new --out" in text and "Traceback" not in text, text
    assert (out / "manifest.json").read_bytes() == manifest  # nothing written
    rows = [json.loads(x) for f in (out / "jsonl").glob("*.jsonl") for x in f.open()]
    assert sum(len(r["annotations"]) for r in rows) == 2 * n  # both reviewers' answers kept

    run("export", "--project", name, "--out", str(tmp_path / "new"), "-q")  # the fix
