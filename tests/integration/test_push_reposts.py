"""A later batch re-posts a statement under another document (a new URL, a new forum
thread) and is ingested without ``--previous``: a push into the project that holds the
earlier batch leaves it out, counts it and says so; ``--keep-reposts`` pushes it (real
Label Studio, the CLI's summary too). Export then maps the left-out passage to the
passage whose text it repeats: in the manifest, the report and its summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate._util.passage_ids import passage_id
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.conftest import project_taxonomy

from .helpers import PRELABELS, choices, passage_ids
from .review_team import run

pytestmark = pytest.mark.integration


def _later_batch(tmp_path: Path) -> tuple[Path, str, str]:
    """The threat of doc-a re-posted in a forum thread, and a new passage of the thread:
    (the file, the re-post's passage id, the new passage's)."""
    rows = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]
    threat = next(r for r in rows if r["id"] == "doc-a-p1")
    doc = "forum-thread-9"
    new_text = "Does anyone know when the depot opens again after the holidays?"
    repost = {**threat, "id": passage_id(doc, threat["text"]), "doc_id": doc}
    repost.update(passage_index=0, source="https://forum.example.org/t/9")
    fresh = {**rows[2], "id": passage_id(doc, new_text), "doc_id": doc, "text": new_text}
    fresh.update(passage_index=1, spans=[])
    path = tmp_path / "later.jsonl"
    path.write_text(json.dumps(repost) + "\n" + json.dumps(fresh) + "\n")
    return path, repost["id"], fresh["id"]


def test_a_reposted_passage_is_left_out_counted_and_pushed_on_request(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    first = push(PRELABELS, project_name, client=client)
    assert first.created == 6
    later, repost, fresh = _later_batch(tmp_path)

    out = run("push", str(later), "--project", project_name, "-q")
    assert (
        "1 re-posted passage already in the project left out (same text as an existing "
        "task); --keep-reposts pushes it"
    ) in out
    assert "1 created, 0 skipped (already there), 0 failed, of 2 passages" in out
    held = passage_ids(client, first.project_id)
    assert fresh in held and repost not in held and len(held) == 7

    again = push(later, project_name, client=client)  # a re-run: the same, nothing more
    assert (again.created, again.skipped, again.reposts, again.failed) == (0, 1, 1, 0)
    tasks = client.iter_tasks(first.project_id)
    threat_task = next(t["id"] for t in tasks if t["data"]["passage_id"] == "doc-a-p1")
    where = f"document forum-thread-9; line 1 of {later}"  # the file's line, not the document's
    assert again.repost_examples == [(repost, where, first.project_id, threat_task)]
    # the task holding the text records where it was re-posted (the audit's trail), once
    record = [{"passage_id": repost, "doc_id": "forum-thread-9"}]
    assert client.get_task_meta(threat_task) == {"annotate_reposts": record}
    assert again.reposts_recorded == 0  # the first push recorded it

    # the export shows it: the threat answered, the re-post mapped to it (no row of its own)
    tax = project_taxonomy()
    client.sdk.annotations.create(
        id=threat_task,
        result=[
            choices(tax.interface.categories, ["violent_threat"]),
            choices(tax.interface.severity, [tax.severity_names[-1]]),
        ],
        completed_by=int(client.whoami()["id"]),
    )
    corpus = tmp_path / "corpus"
    # no -q: it hides the note
    out = " ".join(run("export", "--project", project_name, "--out", str(corpus)).split())
    assert "note: 1 ingested passage(s) have no row: push left them out as re-posts" in out
    reposts = json.loads((corpus / "manifest.json").read_text())["reposts"]
    assert reposts["by_passage"] == {
        repost: {
            "repost_of": "doc-a-p1",
            "doc_id": "forum-thread-9",
            "ls_project_id": first.project_id,
            "ls_task_id": threat_task,
            "holder": "in_corpus",
        }
    }
    assert (reposts["passages"], reposts["tasks_at_cap"], reposts["pushed_later"]) == (1, [], 0)
    report = " ".join((corpus / "report" / "report.md").read_text().split())
    assert "Re-posts left out by push: 1 ingested passage(s) have no row" in report
    assert f"(e.g. `{repost}` of `doc-a-p1`)" in report

    out = run("push", str(later), "--project", project_name, "--keep-reposts", "-q")
    assert "1 created, 1 skipped (already there), 0 failed, of 2 passages" in out
    assert "re-posted" not in out
    held = passage_ids(client, first.project_id)
    assert repost in held and len(held) == len(set(held)) == 8
    # a task of its own now: the holder no longer records it as left out (it did, stale)
    assert "annotate_reposts" not in client.get_task_meta(threat_task)
