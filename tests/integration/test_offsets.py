"""Span offsets against the real Label Studio (issue 12, item 1): pre-annotations are
stored and reviewer regions come back in code points, and export maps them back exactly,
with emoji, a span on an emoji, combining marks and CRLF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.studio.test_offsets import CASES, prelabel_row

from .helpers import choices, span, tasks_by_passage

pytestmark = pytest.mark.integration


def write_cases(path: Path) -> list[tuple[str, str, str]]:
    """One prelabel row per case; returns (passage id, text, part)."""
    out = []
    with path.open("w", encoding="utf-8") as fh:
        for number, (text, part) in enumerate(CASES):
            pid = f"offsets-{number}"
            fh.write(json.dumps({**prelabel_row(text, part), "id": pid}, ensure_ascii=False) + "\n")
            out.append((pid, text, part))
    return out


def test_offsets_are_code_points_on_the_server_and_export_maps_them_back(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    cases = write_cases(tmp_path / "p.jsonl")
    pushed = push(tmp_path / "p.jsonl", project_name, client=client)
    assert pushed.failed == 0
    tasks = tasks_by_passage(client, pushed.project_id)
    admin = int(client.whoami()["id"])
    for pid, text, part in cases:
        full = client.sdk.tasks.get(str(tasks[pid]["id"]))
        assert full.data["text"] == text  # the server keeps CRLF, combining marks, emoji
        value = next(r["value"] for r in full.predictions[0].result if r["from_name"] == "evidence")
        assert text[value["start"] : value["end"]] == part
        # the reviewer marks the same part, as the front end stores it (code points)
        client.sdk.annotations.create(
            id=tasks[pid]["id"],
            result=[choices("category", ["violent_threat"]), span(text, part, "threat")],
            completed_by=admin,
        )
        stored = client.sdk.tasks.get(str(tasks[pid]["id"])).annotations[0]["result"]
        region = next(r["value"] for r in stored if r["from_name"] == "evidence")
        assert text[region["start"] : region["end"]] == part

    export(project_name, tmp_path / "out", client=client, salt="s")
    rows = {
        r["id"]: r
        for split in ("train", "validation", "test")
        for line in (tmp_path / "out" / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        for r in [json.loads(line)]
    }
    assert len(rows) == len(cases)
    for pid, text, part in cases:
        start = text.index(part)
        assert rows[pid]["text"] == text
        assert rows[pid]["spans"] == [
            {"start": start, "end": start + len(part), "label": "threat", "text": part}
        ]
