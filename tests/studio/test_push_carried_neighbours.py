"""push (against a fake server) of a batch whose rows carry neighbours not in the file
(``ingest --previous``): the neighbour's own task, pushed with the earlier batch, says
whether its text may be shown; without one the task shows a note, the result counts it
and the CLI says how to avoid it. The real server: tests/integration/
test_push_edited_document_context.py."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.review.view import UNKNOWN_NEIGHBOUR, hidden_neighbour
from annotate.studio.push import PushResult, push
from tests.studio.test_push import RefusingClient
from tests.studio.test_staging_carried_neighbours import CHANGED, _batch2, _rows, _write
from tests.test_cli import run


class ListingClient(RefusingClient):
    """Lists its project once it holds tasks, and them as the real client does: with
    their document and content warning."""

    def list_projects(self, include=None):
        return [{"id": 1, "title": "pro"}] if self.tasks else []

    def iter_task_versions(self, project_id, after=None, text_field=None):
        for task_id, pid, versions in super().iter_task_versions(project_id, after):
            data = self.tasks[task_id - 1]["data"]
            yield task_id, pid, versions, data.get("doc_id"), bool(data["warning"])


def test_a_later_batch_shows_the_earlier_batchs_neighbours(taxonomy, tmp_path: Path) -> None:
    rows = _rows()
    earlier = [r for name, r in rows.items() if name not in CHANGED]
    client = ListingClient(set())
    push(_write(tmp_path / "batch1.jsonl", earlier), "pro", taxonomy=taxonomy, client=client)
    result = push(_batch2(tmp_path, rows), "pro", taxonomy=taxonomy, client=client)
    assert (result.created, result.unknown_neighbours) == (3, 0)
    shown = {t["data"]["passage_id"]: t["data"] for t in client.tasks[len(earlier) :]}
    graphic = shown[rows["doc-c-p0"]["id"]]
    assert graphic["context_after"] == hidden_neighbour(rows["doc-c-p1"]["id"])
    assert shown[rows["doc-b-p1"]["id"]]["context_before"] == rows["doc-b-p0"]["text"]


def test_without_the_earlier_batch_the_notes_are_counted(taxonomy, tmp_path: Path) -> None:
    client = ListingClient(set())
    result = push(_batch2(tmp_path, _rows()), "pro", taxonomy=taxonomy, client=client)
    assert result.unknown_neighbours == 3
    assert json.dumps([t["data"] for t in client.tasks]).count(UNKNOWN_NEIGHBOUR[:30]) == 3


def test_the_cli_warns_with_the_fix(monkeypatch, tmp_path: Path) -> None:
    done = PushResult(1, "pro", "http://fake/projects/1/data", "m", total=3, created=3)
    done.unknown_neighbours = 2
    monkeypatch.setattr("annotate.studio.push.push", lambda *a, **k: done)
    out = run("push", str(_write(tmp_path / "b.jsonl", [])), "--project", "pro", "-q")
    assert out.returncode == 0, out.stderr
    said = out.stdout + out.stderr
    assert "warning: 2 task(s) show a note instead of a neighbouring passage" in said
    assert "Fix: push the earlier batch's pre-labels into this project before" in said
