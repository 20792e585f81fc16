"""A push cut short and run again, with reply threads, on a real Label Studio (passS57):
the first run sent a reply and the first passage of the comment it answers; its other
passages were in the batches it never sent. The second run's wellbeing refresh of the
tasks already there rebuilt the reply's thread from the tasks it found, so the reply
lost two of its parent's three passages ("applied to 3 open task(s) ... with a
neighbour's context hidden or shown", labels.yaml unchanged), and the next push put them
back. The refresh now reads the passages the push is about to send as well."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.test_graphic_backstop import _row

pytestmark = pytest.mark.integration


class Cut(Exception):
    """The push stopped after its first batches (a kill, a lost server)."""


class Cutting:
    """The real client, whose import requests end after ``batches`` of them."""

    def __init__(self, client: StudioClient, batches: int) -> None:
        self._client, self.left = client, batches

    def import_tasks(self, *args, **kw):
        if self.left <= 0:
            raise Cut()
        self.left -= 1
        return self._client.import_tasks(*args, **kw)

    def __getattr__(self, name: str):
        return getattr(self._client, name)


def _rows() -> list[dict]:
    """A comment of three passages, its riskiest first, and a reply riskier still: with
    batches of 2, the reply and the comment's first passage go in the first batch."""
    rows = []
    for i, harm in enumerate((0.6, 0.2, 0.1)):
        text = f"The council will close the park on Elm Street, part {i}, from next month."
        row = {**_row(text, 0.02, ["news_reporting"]), "id": f"c1-{i}", "doc_id": "c1"}
        row["scores"]["violent_threat"] = harm
        rows.append(row | {"passage_index": i})
    reply = _row("Thanks, I called them this morning and they listened.", 0.02, ["none"])
    reply["scores"]["violent_threat"] = 0.9
    rows.append(reply | {"id": "r1-0", "doc_id": "r1", "meta": json.dumps({"parent_id": "c1"})})
    return rows


def _thread(client: StudioClient, name: str) -> str:
    pid = int(client.require_project(name)["id"])
    (reply,) = [t for t in client.iter_tasks(pid) if t["data"]["passage_id"] == "r1-0"]
    return str(reply["data"]["context_parent"])


def test_a_resumed_push_keeps_a_reply_s_whole_parent_comment(
    client: StudioClient, name: str, tmp_path: Path, taxonomy
) -> None:
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()), encoding="utf-8")
    with pytest.raises(Cut):
        push(path, name, taxonomy=taxonomy, client=Cutting(client, 1), batch_size=2)
    first = _thread(client, name)
    assert all(f"part {i}," in first for i in range(3)), first  # built from the file

    result = push(path, name, taxonomy=taxonomy, client=client, batch_size=2)
    assert (result.created, result.skipped, result.failed) == (2, 2, 0)
    assert not result.hiding, result.hiding  # labels.yaml unchanged: nothing to change
    assert _thread(client, name) == first
