"""A document edited after it was pushed, ingested and pushed again: its edited passage
gets a new id (a hash of document id and text), so the push adds it and leaves the old
one's task in place. Nothing said so: reviewers got both versions and the export held both.
The push now names those tasks (it still deletes nothing: they may hold answers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import push

from .helpers import PRELABELS, tasks_by_passage

pytestmark = pytest.mark.integration


def _edited(tmp_path: Path) -> Path:
    """The fixture's pre-labels with doc-a's second passage edited (new text, new id)."""
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["id"] == "doc-a-p1":
            row["id"] = "doc-a-p1-edited"
            row["text"] = row["text"].replace("tonight", "tomorrow")
    path = tmp_path / "prelabels_edited.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _edited_alone(tmp_path: Path) -> Path:
    """doc-a's edited passage as ``ingest --previous`` writes it: alone, its unchanged
    neighbour (pushed before, same id) left out and carried as context."""
    rows = {r["id"]: r for r in (json.loads(x) for x in _edited(tmp_path).read_text().splitlines())}
    row = {**rows["doc-a-p1-edited"], "context_before": rows["doc-a-p0"]["text"]}
    path = tmp_path / "prelabels_edited_alone.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_a_push_names_the_tasks_of_an_earlier_version_of_its_documents(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    first = push(PRELABELS, project_name, client=client)
    assert first.other_version_tasks == 0
    old_task = int(tasks_by_passage(client, first.project_id)["doc-a-p1"]["id"])

    again = push(_edited(tmp_path), project_name, client=client)
    assert (again.created, again.skipped) == (1, first.total - 1)
    assert (again.other_version_tasks, again.other_version_documents) == (1, 1)
    assert again.other_version_examples == [("doc-a", old_task)]
    # nothing is deleted: the earlier version's task (it may hold answers) stays
    assert "doc-a-p1" in tasks_by_passage(client, again.project_id)

    # a re-run of the same push says it again; the original file holds every passage there
    # but the edited one, which is of the same document: named too
    assert push(_edited(tmp_path), project_name, client=client).other_version_tasks == 1
    assert push(PRELABELS, project_name, client=client).other_version_examples[0][0] == "doc-a"
    # a partial batch of doc-a (ingest --previous): its unchanged passage's task (doc-a-p0,
    # left out of the file, same id) is not an earlier version, only position 1's is
    alone = push(_edited_alone(tmp_path), project_name, client=client)
    assert (alone.other_version_tasks, alone.other_version_examples) == (1, [("doc-a", old_task)])


def test_a_batch_that_ends_the_document_counts_the_passages_it_removed(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    """doc-a pushed with three passages, then shortened: its p1 edited and its last
    passage p2 removed. The batch of ``ingest --previous`` holds the edited p1 alone,
    carrying p0 and nothing after it (the document ends there): p2's task, past the end, is
    of the earlier version too. Before, only position 1's task was counted."""
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    p0 = next(r for r in rows if r["id"] == "doc-a-p0")
    p2 = {**p0, "id": "doc-a-p2", "passage_index": 2, "text": p0["text"] + " Roads closed."}
    longer = tmp_path / "prelabels_longer.jsonl"
    longer.write_text("".join(json.dumps(r) + "\n" for r in [*rows, p2]), encoding="utf-8")
    first = push(longer, project_name, client=client)
    held = tasks_by_passage(client, first.project_id)
    old = sorted(int(held[pid]["id"]) for pid in ("doc-a-p1", "doc-a-p2"))

    shorter = push(_edited_alone(tmp_path), project_name, client=client)
    assert (shorter.other_version_tasks, shorter.other_version_documents) == (2, 1)
    assert shorter.other_version_examples == [("doc-a", old[0])]


def test_the_cli_warns_with_the_fix(
    studio: Connection,
    client: StudioClient,
    project_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", studio.api_key)
    push(PRELABELS, project_name, client=client)
    with pytest.raises(SystemExit) as exc:
        main(["push", str(_edited(tmp_path)), "--project", project_name, "-q"])
        raise SystemExit(0)
    err = capsys.readouterr().err
    assert exc.value.code in (0, None), err
    assert "warning: " + repr(project_name) + " already holds 1 task(s) of 1 document(s)" in err
    assert "'doc-a': task" in err
    assert "Fix: if the earlier text should not be reviewed" in err


def test_a_push_of_other_documents_names_nothing(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    doc_a = tmp_path / "doc_a.jsonl"
    rest = tmp_path / "rest.jsonl"
    doc_a.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doc_id"] == "doc-a"))
    rest.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doc_id"] != "doc-a"))
    push(doc_a, project_name, client=client)
    assert push(rest, project_name, client=client).other_version_tasks == 0
