"""On a real Label Studio: the passages of a table pushed when annotate wrote its float ids
as '7.0', ingested again ('7') and pushed into the same project, are left out (no second
task of any passage, nothing recorded as a re-post), --keep-reposts or not. The fake
server: tests/studio/test_push_float_doc_ids.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.studio.test_push_float_doc_ids import ROWS, _as, _write

from .helpers import tasks_by_passage

pytestmark = pytest.mark.integration


def test_passages_pushed_under_float_document_ids_are_not_pushed_again(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    first = push(_write(tmp_path / "first.jsonl", _as(ROWS, "{}.0")), project_name, client=client)
    assert first.created == len(ROWS)
    again = _write(tmp_path / "again.jsonl", _as(ROWS, "{}"))
    for keep in (False, True):
        result = push(again, project_name, client=client, keep_reposts=keep)
        assert (result.created, result.reposts, result.renamed) == (0, 0, len(ROWS))
    tasks = tasks_by_passage(client, first.project_id)  # asserts each passage once
    assert sorted(tasks) == sorted(r["id"] for r in _as(ROWS, "{}.0"))
    metas = client.iter_tasks(first.project_id, include="id,meta")
    assert not any((t.get("meta") or {}).get("annotate_reposts") for t in metas)
