"""Against a real Label Studio: who skipped a passage is exported per row (``skipped_by``,
pseudonyms salted like the answers'), a passage only skipped is counted in the manifest
(``passages_skipped_without_answer``), and ``document_sha256``, ``license``,
``input_file`` and ``input_row`` travel from the pushed pre-labels through the task's
data (not the labeling view) to the row (null, counted, for pre-labels without them)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from datasets import load_from_disk

from annotate.audit.verify import verify
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, SALT, answer_of, choices, new_reviewer, tasks_by_passage

pytestmark = pytest.mark.integration


def _answer(client: StudioClient, task_id: int, user: int, labels: list[str]) -> None:
    answer_of(client, task_id, user, [choices("category", labels)])


def _skip(client: StudioClient, task_id: int, user: int) -> None:
    """A skip as Label Studio stores it: a cancelled annotation with no result."""
    answer_of(client, task_id, user, [], was_cancelled=True)


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    return {
        r["id"]: r
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for r in (json.loads(line) for line in f.read_text(encoding="utf-8").splitlines())
    }


def _with_hashes(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The fixture pre-labels, doc-a's passages carrying a document_sha256 as a new ingest
    writes it, and the licence ingest --license records (the other documents' rows as an
    ingest from before them)."""
    hashes = {"doc-a": hashlib.sha256(b"the text of doc-a").hexdigest()}
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    for r in rows:
        if r["doc_id"] in hashes:
            r["document_sha256"] = hashes[r["doc_id"]]
            r["license"] = "CC-BY-4.0"
            # the input file and row ingest read the document from
            r["input_file"], r["input_row"] = "news/feed.jsonl", "line 7"
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path, hashes


def test_skips_per_passage_and_the_source_hash_are_exported(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    admin = int(client.whoami()["id"])
    ana, ben = new_reviewer(client, "ana"), new_reviewer(client, "ben")
    prelabels, hashes = _with_hashes(tmp_path)
    pushed = push(prelabels, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    assert tasks["doc-a-p0"]["data"]["document_sha256"] == hashes["doc-a"]
    assert "document_sha256" not in tasks["doc-b-p0"]["data"]  # an older ingest's rows
    assert tasks["doc-a-p0"]["data"]["license"] == "CC-BY-4.0"
    assert "license" not in tasks["doc-b-p0"]["data"]
    data = tasks["doc-a-p0"]["data"]
    assert (data["input_file"], data["input_row"]) == ("news/feed.jsonl", "line 7")
    assert "input_file" not in tasks["doc-b-p0"]["data"]
    config = client.get_project(pushed.project_id)["label_config"]  # the reviewer's view
    assert "input_file" not in config and "input_row" not in config

    # doc-a-p0: ana skips, ben and the admin answer; doc-a-p1: ana and ben skip, the admin
    # answers; doc-b-p0: answered, nobody skips; doc-b-p1: ana and ben skip, nobody answers
    _skip(client, tasks["doc-a-p0"]["id"], ana)
    _answer(client, tasks["doc-a-p0"]["id"], ben, ["news_reporting"])
    _answer(client, tasks["doc-a-p0"]["id"], admin, ["news_reporting"])
    _skip(client, tasks["doc-a-p1"]["id"], ben)
    _skip(client, tasks["doc-a-p1"]["id"], ana)
    _answer(client, tasks["doc-a-p1"]["id"], admin, ["violent_threat"])
    _answer(client, tasks["doc-b-p0"]["id"], admin, ["none"])
    _skip(client, tasks["doc-b-p1"]["id"], ana)
    _skip(client, tasks["doc-b-p1"]["id"], ben)

    out = tmp_path / "corpus"
    result = export(project_name, out, client=client, salt=SALT)
    assert result.rows == 3
    rows = _rows(out)
    assert rows["doc-a-p0"]["skipped_by"] == [pseudonym(ana, SALT)]
    assert rows["doc-a-p1"]["skipped_by"] == sorted([pseudonym(ana, SALT), pseudonym(ben, SALT)])
    assert rows["doc-b-p0"]["skipped_by"] == []
    # the skipper's pseudonym is the one their answers carry
    assert pseudonym(ben, SALT) in {a["reviewer"] for a in rows["doc-a-p0"]["annotations"]}

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["review"]["skipped_by_reviewers"] == {"tasks": 3, "skips": 5}
    assert manifest["passages_skipped_without_answer"] == 1  # doc-b-p1
    assert manifest["passages_unanswered_in_label_studio"] == 2  # doc-c-p0, doc-c-p1

    assert rows["doc-a-p0"]["document_sha256"] == rows["doc-a-p1"]["document_sha256"]
    assert rows["doc-a-p0"]["document_sha256"] == hashes["doc-a"]
    assert rows["doc-b-p0"]["document_sha256"] is None
    assert manifest["document_sha256"]["rows_without"] == 1
    assert rows["doc-a-p1"]["license"] == "CC-BY-4.0"
    assert rows["doc-b-p0"]["license"] is None  # unknown, never assumed
    assert manifest["licenses"]["by_license"] == {
        "CC-BY-4.0": {"documents": 1, "rows": 2, "spdx": "CC-BY-4.0"}
    }
    assert manifest["licenses"]["unknown"]["rows"] == 1
    assert (rows["doc-a-p1"]["input_file"], rows["doc-a-p1"]["input_row"]) == (
        "news/feed.jsonl",
        "line 7",
    )
    assert (rows["doc-b-p0"]["input_file"], rows["doc-b-p0"]["input_row"]) == (None, None)
    assert manifest["input_files"]["files"] == {"news/feed.jsonl": 2}
    assert manifest["input_files"]["rows_without"] == 1

    # the HF dataset and Parquet hold both columns too, and the export verifies
    dsd = load_from_disk(str(out / "hf"))
    hf = {r["id"]: r for split in dsd.values() for r in split}
    assert hf["doc-a-p1"]["skipped_by"] == rows["doc-a-p1"]["skipped_by"]
    assert hf["doc-a-p0"]["document_sha256"] == hashes["doc-a"]
    assert (hf["doc-a-p0"]["license"], hf["doc-b-p0"]["license"]) == ("CC-BY-4.0", None)
    assert (hf["doc-a-p0"]["input_row"], hf["doc-b-p0"]["input_file"]) == ("line 7", None)
    verify(out)
