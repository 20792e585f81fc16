"""Two ingest runs pushed into one project, a near-copy in each: export keeps them in one
split (its own near-duplicate search), on a real Label Studio. The two document ids
hash to different splits (train, test) at seed 0, so the test fails without the search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.corpus.splits import split_of
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.conftest import project_taxonomy

from .helpers import choices, tasks_by_passage

pytestmark = pytest.mark.integration
TAX = project_taxonomy()
STATEMENT = (
    "The council confirmed on Tuesday that the footbridge over the river will stay closed "
    "for repairs until the end of the month while engineers replace the rusted railings."
)
BATCHES = {  # doc id -> text, one ingest run each (no near_dup_group links them)
    "march-statement": STATEMENT,
    "may-repost": STATEMENT.replace("railings", "handrails"),
}


def _prelabel_file(path: Path, doc: str, text: str) -> Path:
    scores = {name: 0.02 for name in TAX.category_names}
    scores[TAX.none_label] = 0.9
    row = {
        "id": f"{doc}-p0",
        "text": text,
        "scores": scores,
        "labels": [TAX.none_label],
        "spans": [],
        "model_version": "fixture-model-1",
        "doc_id": doc,
        "passage_index": 0,
        "start": 0,
        "end": len(text),
        "title": doc,
        "source": f"https://example.org/{doc}",
        "date": "2026-05-01",
        "meta": "{}",
    }
    path.write_text(json.dumps(row) + "\n")
    return path


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    return {
        r["id"]: r
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for r in map(json.loads, f.read_text().splitlines())
    }


def test_near_copies_from_two_ingest_runs_share_a_split(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    assert split_of("march-statement") != split_of("may-repost")  # else the test proves nothing
    for doc, text in BATCHES.items():
        push(_prelabel_file(tmp_path / f"{doc}.jsonl", doc, text), project_name, client=client)
    project_id = int(client.find_project(project_name)["id"])
    admin = int(client.whoami()["id"])
    for task in tasks_by_passage(client, project_id).values():
        client.sdk.annotations.create(
            id=int(task["id"]),
            result=[
                choices(TAX.interface.categories, [TAX.none_label]),
                choices(TAX.interface.severity, [TAX.severity_names[0]]),
            ],
            completed_by=admin,
        )

    out = tmp_path / "corpus"
    export(project_name, out, client=client, salt="s", taxonomy=TAX)
    rows = _rows(out)
    assert rows["march-statement-p0"]["split"] == rows["may-repost-p0"]["split"]
    search = json.loads((out / "manifest.json").read_text())["near_duplicates"]["export_search"]
    assert search["documents_linked_beyond_ingest"] == 1 and search["passages"] == 2

    plain = tmp_path / "plain"  # without the search: each document's own split (as before)
    export(project_name, plain, client=client, salt="s", taxonomy=TAX, near_dup_threshold=None)
    rows = _rows(plain)
    assert rows["march-statement-p0"]["split"] != rows["may-repost-p0"]["split"]
    assert (
        json.loads((plain / "manifest.json").read_text())["near_duplicates"]["export_search"]
        is None
    )
