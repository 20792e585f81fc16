"""A table with its own passage ids pushed again with a passage's text changed: the push
leaves the task as it is and says so, naming passage and task, never the texts (real
Label Studio: the task listing's text digests; the fake one: tests/studio/
test_push_other_text.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS
from .review_team import run

pytestmark = pytest.mark.integration


def test_a_changed_text_under_the_same_id_is_warned_about(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    first = push(PRELABELS, project_name, client=client)
    rows = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]
    edited = [dict(r) for r in rows]
    threat = next(r for r in edited if r["id"] == "doc-a-p1")
    threat["text"] = threat["text"].replace("tonight", "tomorrow")
    path = tmp_path / "edited.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in edited))

    out = run("push", str(path), "--project", project_name, "-q")
    assert f"0 created, {len(rows)} skipped (already there)" in out
    said = " ".join(out.split())
    assert f"warning: 1 passage already in {project_name!r} holds other text than" in said
    assert "'doc-a-p1' (line 2): task" in said and "tomorrow" not in said
    tasks = client.iter_tasks(first.project_id)
    held = next(t for t in tasks if t["data"]["passage_id"] == "doc-a-p1")
    assert "tonight" in held["data"]["text"]  # left as it was
    assert push(PRELABELS, project_name, client=client).other_text == 0


def test_a_passage_there_from_another_input_file_is_warned_about(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    """Two platforms' rows with the same document id and text get one passage id: the
    second push skipped them without a word. The real listing gives each task's
    input_file; push names the passages and both files, with the --id-prefix fix."""
    rows = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]

    def batch(name: str) -> Path:
        path = tmp_path / f"{name}.jsonl"
        tagged = [
            {**r, "input_file": name, "input_row": f"line {i}"} for i, r in enumerate(rows, 1)
        ]
        path.write_text("".join(json.dumps(r) + "\n" for r in tagged))
        return path

    first = push(batch("forumA.jsonl"), project_name, client=client)
    out = run("push", str(batch("discord.jsonl")), "--project", project_name, "-q")
    said = " ".join(out.split())
    assert f"0 created, {len(rows)} skipped (already there)" in said
    assert (
        f"warning: {len(rows)} passages of this file are already in {project_name!r} under "
        "the same passage id from another input file (e.g. 'doc-a-p0': task"
    ) in said, said
    assert "from 'forumA.jsonl', this file's row from 'discord.jsonl'" in said
    assert "--id-prefix" in said
    held = {t["data"]["input_file"] for t in client.iter_tasks(first.project_id)}
    assert held == {"forumA.jsonl"}  # left as they were
    assert push(batch("forumA.jsonl"), project_name, client=client).other_source == 0
