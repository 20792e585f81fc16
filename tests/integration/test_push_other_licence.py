"""Against a real Label Studio: a file pushed again after ingest recorded licences (its
first push had none) leaves the tasks already there as they are, and push counts and
names the passages whose task records another licence than the file (read from each
task's data in the project's listing, as export reads it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, tasks_by_passage

pytestmark = pytest.mark.integration


def test_a_licence_given_after_the_first_push_is_warned_of(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    licensed = tmp_path / "licensed.jsonl"
    licensed.write_text(
        "".join(
            json.dumps({**r, "license": "CC-BY-4.0" if r["doc_id"] == "doc-a" else None}) + "\n"
            for r in rows
        ),
        encoding="utf-8",
    )
    first = push(PRELABELS, project_name, client=client)
    assert first.other_licence == 0
    again = push(licensed, project_name, client=client)
    doc_a = sorted(r["id"] for r in rows if r["doc_id"] == "doc-a")
    assert again.created == 0 and again.other_licence == len(doc_a)
    assert {e[0] for e in again.other_licence_examples} <= set(doc_a)
    assert all(e[2:] == (None, "CC-BY-4.0") for e in again.other_licence_examples)
    tasks = tasks_by_passage(client, again.project_id)
    assert all("license" not in tasks[pid]["data"] for pid in doc_a)  # left as they were
