"""Against a real Label Studio: a prelabels file whose licences were written by hand (or
by an ingest before licences were normalised) is pushed with each licence as ingest
records it (`mit` -> `MIT`), a licence that is no SPDX expression is pushed as given with
a warning (not a failure), and the export records exactly what was pushed; a second push
of the same file under the old spelling does not count `mit` as another licence."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, choices, tasks_by_passage

pytestmark = pytest.mark.integration
FREE = "licensed by Reuters, internal use"


def test_push_records_licences_as_ingest_does_and_export_keeps_them(
    client: StudioClient, project_name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    given = {"doc-a": "mit", "doc-b": FREE}
    typed = tmp_path / "typed.jsonl"
    typed.write_text(
        "".join(json.dumps({**r, "license": given.get(r["doc_id"])}) + "\n" for r in rows),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        pushed = push(typed, project_name, client=client)
    assert any("not an SPDX licence expression" in r.getMessage() for r in caplog.records)
    tasks = tasks_by_passage(client, pushed.project_id)
    want = {"doc-a": "MIT", "doc-b": FREE}
    for r in rows:
        assert tasks[r["id"]]["data"].get("license") == want.get(r["doc_id"]), r["id"]
    admin = int(client.whoami()["id"])
    for r in rows:
        client.sdk.annotations.create(
            id=tasks[r["id"]]["id"], result=[choices("category", ["none"])], completed_by=admin
        )
    out = tmp_path / "corpus"
    export(project_name, out, client=client, salt="test-salt")
    exported = [
        json.loads(x) for p in (out / "jsonl").glob("*.jsonl") for x in p.read_text().splitlines()
    ]
    assert {r["id"]: r["license"] for r in exported} == {
        r["id"]: tasks[r["id"]]["data"].get("license") for r in rows
    }
    again = push(typed, project_name, client=client)
    assert again.created == 0 and again.other_licence == 0
