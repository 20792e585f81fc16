"""Under ``ingest --redact`` a document whose id holds personal data (a text file named by
an e-mail address: its id is its name) reaches Label Studio under a keyed pseudonym
(``doc_key``, ``pd_…``), but a reply naming it in its parent column kept the raw id as its
task's ``parent_doc_id``: push looked for the parent among the tasks' (keyed) ids, found
none, and told reviewers the parent was "not in this batch" (the raw e-mail address in
the heading, to the server). A parent id holding personal data is now keyed by the same
rule and key as the document it names (``redaction.parent_keys``), in one run and across
runs keyed alike, and push links and names the parent by it."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.audit.passage_pseudonyms import default_key_path, document_pseudonym, load_key
from annotate.audit.redact import RedactionSettings
from annotate.ingestion import ingest
from annotate.review.parents import PARENT_FIELD, PARENT_HEADER_FIELD, PARENT_ID_FIELD
from annotate.studio.tasks import pushed_doc_id
from tests.studio.test_parent_context import _in_memory, _prelabelled, _staged

POST = "I think the new park plan on Elm Street is great for the whole neighbourhood."
REPLY = "No, it is a waste of money and everybody on this street knows it."
PARENT = "in/alice@example.com.txt"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))


def _folder(root: Path, *, post: bool = True, reply: bool = True) -> Path:
    folder = root / "in"
    folder.mkdir(parents=True)
    if post:
        (folder / "alice@example.com.txt").write_text(POST + "\n", encoding="utf-8")
    if reply:
        (folder / "reply.md").write_text(
            f"---\nparent_id: {PARENT}\n---\n{REPLY}\n", encoding="utf-8"
        )
    return folder


def _ingest(folder: Path, out: Path) -> dict[str, dict]:
    ingest([folder], out, min_chars=10, redact=RedactionSettings())
    return {r["doc_id"]: r for r in pq.read_table(out).to_pylist()}


@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_a_reply_finds_its_keyed_parent(build, taxonomy, tmp_path: Path) -> None:
    passages = tmp_path / "p.parquet"
    rows = _ingest(_folder(tmp_path), passages)
    key = document_pseudonym(load_key(default_key_path()), PARENT)
    assert pushed_doc_id(rows[PARENT]) == key
    got = build(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    reply = next(d for d in got.values() if d["doc_id"] == "in/reply.md")
    assert reply[PARENT_ID_FIELD] == key
    assert reply[PARENT_FIELD] == POST
    assert "alice@example.com" not in reply[PARENT_HEADER_FIELD]
    assert json.loads(rows["in/reply.md"]["redaction"])["parent_keys"] == {"parent_id": key}


def test_runs_keyed_alike_name_the_parent_alike(tmp_path: Path) -> None:
    """The parent ingested in one run, its reply in another (same work folder key): the
    reply's parent key is the parent's doc_key."""
    parent = _ingest(_folder(tmp_path / "a", reply=False), tmp_path / "a.parquet")
    reply = _ingest(_folder(tmp_path / "b", post=False), tmp_path / "b.parquet")
    keyed = json.loads(reply["in/reply.md"]["redaction"])["parent_keys"]["parent_id"]
    assert keyed == pushed_doc_id(parent[PARENT])


def test_a_file_ingested_before_parent_keys_still_links_in_its_push(
    taxonomy, tmp_path: Path
) -> None:
    """A passages file whose reply records no ``parent_keys`` (ingested before them) but
    whose parent carries a doc_key: the staged push maps the raw parent id to the
    parent's task id, as it linked them before."""
    passages = tmp_path / "p.parquet"
    _ingest(_folder(tmp_path), passages)
    table = pq.read_table(passages).to_pylist()
    for row in table:
        record = json.loads(row["redaction"])
        record.pop("parent_keys", None)
        row["redaction"] = json.dumps(record)
    pq.write_table(pa.Table.from_pylist(table), passages)
    got = _staged(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    reply = next(d for d in got.values() if d["doc_id"] == "in/reply.md")
    assert reply[PARENT_FIELD] == POST


@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_the_task_meta_names_the_parent_by_its_key(build, taxonomy, tmp_path: Path) -> None:
    """The reply's task ``meta`` (a Data Manager column, returned by the API and Label
    Studio's export) carries the parent's keyed pseudonym, not the raw id holding the
    address (ingest keeps it in the passages file as it keeps doc_id)."""
    passages = tmp_path / "p.parquet"
    rows = _ingest(_folder(tmp_path), passages)
    key = document_pseudonym(load_key(default_key_path()), PARENT)
    assert json.loads(rows["in/reply.md"]["meta"])["parent_id"] == PARENT  # in-house file
    got = build(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    reply = next(d for d in got.values() if d["doc_id"] == "in/reply.md")
    assert "alice@example.com" not in json.dumps(reply)
    assert json.loads(reply["meta"])["parent_id"] == key


@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_an_id_column_holding_an_address_is_not_shown_to_reviewers(
    build, taxonomy, tmp_path: Path
) -> None:
    """A table's id column holding personal data: the task's provenance line names the
    document by its keyed pseudonym, as its ``doc_id`` does (reader57b #1)."""
    table = tmp_path / "posts.jsonl"
    table.write_text(json.dumps({"id": "anna.smith@example.org", "text": POST}) + "\n")
    passages = tmp_path / "p.parquet"
    ingest([table], passages, min_chars=10, redact=RedactionSettings())
    (row,) = pq.read_table(passages).to_pylist()
    key = pushed_doc_id(row)
    assert key.startswith("pd_"), key
    got = build(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    (task,) = got.values()
    assert "anna.smith" not in json.dumps(task)
    assert key in task["provenance"]
