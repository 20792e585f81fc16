"""Against a real Label Studio (stop 48 F22 left over): tasks that an earlier version's
plain push put straight into ``NAME · adjudication`` (refused now) hold passages no
reviewer task holds; the lead's answers there, even ``critical``, vanished from export
silently. Export now warns with the count, the reason and a few ids, and the manifest
lists them; the real dispute beside them is placed as before."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.review.adjudication import adjudicate
from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, SALT, TAX, answer_of, choices, new_reviewer, tasks_by_passage

pytestmark = pytest.mark.integration


def test_export_names_the_adjudication_tasks_it_cannot_place(
    client: StudioClient, name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pushed = push(PRELABELS, name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    admin, other = int(client.whoami()["id"]), new_reviewer(client)
    lead = new_reviewer(client, "lead")
    for user, cats in ((admin, ["violent_threat"]), (other, ["none"])):
        answer_of(
            client,
            tasks["doc-a-p1"]["id"],
            user,
            [choices("category", cats), choices("severity", ["low"])],
        )
    sent = adjudicate(client, name, TAX, salt=SALT)
    assert sent.passages == ["doc-a-p1"]
    # what a plain push into the adjudication project made before stop 48 (the fields the
    # project's labeling config reads, as a push gives them)
    (real,) = tasks_by_passage(client, sent.project_id).values()
    client.import_tasks(
        sent.project_id,
        [{"data": {**real["data"], "passage_id": pid}} for pid in ("stray-1", "stray-2")],
    )
    held = tasks_by_passage(client, sent.project_id)
    for passage, cats in (("doc-a-p1", ["none"]), ("stray-1", ["incitement"])):
        answer_of(
            client,
            held[passage]["id"],
            lead,
            [choices("category", cats), choices("severity", ["critical"])],
        )

    out = tmp_path / "corpus"
    with caplog.at_level(logging.WARNING):
        export(name, out, client=client, salt=SALT)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["adjudication_answers"] == 1  # the real dispute, placed
    unplaced = manifest["review"]["adjudication_tasks_unplaced"]
    assert (unplaced["tasks"], unplaced["answered"]) == (2, 1)
    entry = unplaced["reasons"]["passage_in_no_reviewer_task"]
    assert entry["passages"] == ["stray-1", "stray-2"]
    assert entry["task_ids"] == sorted([held["stray-1"]["id"], held["stray-2"]["id"]])
    said = " ".join(caplog.text.split())
    assert f"2 task(s) of '{name} · adjudication' could not be placed in the corpus" in said
    assert "(1 answered by the lead" in said and "e.g. stray-1, stray-2" in said
