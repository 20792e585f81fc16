"""Which exact version of its source document a passage came from: ingest records
``document_sha256`` (SHA-256 of the UTF-8 text the passage's offsets index into), prelabel
carries it, push puts it in the task and export keeps it per row, in the schema and in
the content digest. Passages ingested before it existed export with null, said once."""

from __future__ import annotations

import codecs
import copy
import hashlib
import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annotate.audit.verify import content_sha256, verify
from annotate.corpus.export import export
from annotate.corpus.schema import corpus_features
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import row_to_task
from annotate.tables import iter_rows
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.fakes import KeywordClassifier

PARAGRAPHS = (
    "The council met on Tuesday to discuss the new bus routes for the northern district.",
    "Residents asked for a later last bus on weekdays, and the council agreed to study it.",
)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rows(path: Path) -> list[dict]:
    return list(iter_rows(path))


def test_a_text_files_hash_is_its_sha256sum_and_offsets_index_the_hashed_text(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    plain = "\n\n".join(PARAGRAPHS).encode()
    crlf = "\r\n\r\n".join(PARAGRAPHS).encode()  # line ends are kept, not normalised
    (docs / "plain.txt").write_bytes(plain)
    (docs / "crlf.txt").write_bytes(crlf)
    (docs / "bom.txt").write_bytes(codecs.BOM_UTF8 + plain.replace(b"Tuesday", b"Monday"))
    out = tmp_path / "passages.parquet"
    ingest([docs], out, min_chars=20, dedupe=False)  # the files share paragraphs
    rows = [{**r, "doc_id": r["doc_id"].removeprefix("docs/")} for r in _rows(out)]
    by_doc: dict[str, set[str]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], set()).add(r["document_sha256"])
    assert {d: len(h) for d, h in by_doc.items()} == {"plain.txt": 1, "crlf.txt": 1, "bom.txt": 1}
    assert by_doc["plain.txt"] == {_sha(plain)}  # = `sha256sum plain.txt`
    assert by_doc["crlf.txt"] == {_sha(crlf)}
    # a BOM is not text: the hash is of the bytes after it
    bom = (docs / "bom.txt").read_bytes()
    assert by_doc["bom.txt"] == {_sha(bom[len(codecs.BOM_UTF8) :])} != {_sha(bom)}
    texts = {"plain.txt": plain, "crlf.txt": crlf, "bom.txt": bom[len(codecs.BOM_UTF8) :]}
    for r in rows:  # the hashed text is the one start/end index into
        assert texts[r["doc_id"]].decode()[r["start"] : r["end"]] == r["text"]
    assert pq.ParquetFile(out).schema_arrow.field("document_sha256").type == "string"


def test_a_table_rows_hash_is_of_its_text_cell_after_control_characters_go(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = tmp_path / "docs.jsonl"
    dirty = PARAGRAPHS[0] + "\x00 " + PARAGRAPHS[1]
    src.write_text(
        json.dumps({"doc_id": "a", "text": PARAGRAPHS[0]})
        + "\n"
        + json.dumps({"doc_id": "b", "text": dirty})
        + "\n"
    )
    out = tmp_path / "passages.jsonl"
    ingest([src], out, min_chars=20)
    got = {r["doc_id"]: r["document_sha256"] for r in _rows(out)}
    assert got["a"] == _sha(PARAGRAPHS[0].encode())
    # the NUL is removed (ingest warns) before the text is split and hashed
    assert got["b"] == _sha(dirty.replace("\x00", "").encode())


def _task_data(tmp_path: Path, rows_file: Path) -> dict:
    tax = load_taxonomy()
    out = tmp_path / "prelabels.jsonl"
    prelabel(rows_file, out, classifier=KeywordClassifier(tax.category_names), taxonomy=tax)
    row = _rows(out)[0]
    config = parse_label_config(render_label_config(tax))
    return row_to_task(row, tax, config, where="row 1")["data"]


def test_prelabel_and_push_carry_it_and_an_old_ingest_still_pushes(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"doc_id": "a", "text": PARAGRAPHS[0]}) + "\n")
    passages = tmp_path / "passages.jsonl"
    ingest([src], passages, min_chars=20)
    data = _task_data(tmp_path / "new", passages)
    assert data["document_sha256"] == _sha(PARAGRAPHS[0].encode())
    # a passages file from before the column: pushed as before, without the field
    old = tmp_path / "old.jsonl"
    rows = _rows(passages)
    for r in rows:
        del r["document_sha256"]
    old.write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "old-run").mkdir()
    assert "document_sha256" not in _task_data(tmp_path / "old-run", old)


def _exported(corpus: Path) -> dict[str, dict]:
    return {
        r["id"]: r
        for f in sorted((corpus / "jsonl").glob("*.jsonl"))
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }


def test_export_keeps_it_per_row_and_says_once_when_rows_have_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert "document_sha256" in corpus_features(load_taxonomy())
    tasks = reviewed_tasks()  # tasks pushed before the column: no document_sha256
    hashed = copy.deepcopy(tasks)
    for t in hashed[:3]:  # doc-a (2 passages) and doc-b pushed from a newer ingest
        t["data"]["document_sha256"] = _sha(t["data"]["doc_id"].encode())
    with caplog.at_level(logging.INFO, logger="annotate.corpus.export"):
        export("p", tmp_path / "c", client=FakeStudio(hashed), salt="s")  # type: ignore[arg-type]
    rows = _exported(tmp_path / "c")
    assert rows["doc-a-p1"]["document_sha256"] == _sha(b"doc-a")
    assert rows["doc-b-p0"]["document_sha256"] == _sha(b"doc-b")
    assert rows["doc-c-p0"]["document_sha256"] is None  # null, never a crash
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["document_sha256"]["rows_without"] == 2
    assert manifest["document_sha256"]["documents_with_several"] == 0
    said = [r.getMessage() for r in caplog.records if "document_sha256" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith("2 of 5 row(s) have no document_sha256"), said
    verify(tmp_path / "c")  # Parquet and HF hold the column like the JSONL

    # the content digest covers it: another version of a document is other content
    changed = copy.deepcopy(hashed)
    changed[2]["data"]["document_sha256"] = _sha(b"doc-b, edited")
    export("p", tmp_path / "d", client=FakeStudio(changed), salt="s")  # type: ignore[arg-type]
    assert content_sha256(tmp_path / "c") != content_sha256(tmp_path / "d")


def test_two_versions_of_one_document_are_counted_and_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = reviewed_tasks()
    for t in tasks:
        t["data"]["document_sha256"] = _sha(t["data"]["doc_id"].encode())
    tasks[1]["data"]["document_sha256"] = _sha(b"doc-a, a later version")
    with caplog.at_level(logging.WARNING, logger="annotate.corpus.export"):
        export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())["document_sha256"]
    assert manifest["rows_without"] == 0
    assert manifest["documents_with_several"] == 1
    assert manifest["documents_with_several_examples"] == ["doc-a"]
    assert any("more than one version" in r.getMessage() for r in caplog.records)


def test_an_earlier_versions_passage_beside_the_one_that_replaced_it_is_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A second round: a document edited and ingested again with --previous, its changed
    paragraph pushed beside the earlier text's task, both answered. The export warned
    only "1 document(s) have passages from more than one version of their text", which
    is also what every edited document gives (its unchanged passages keep the earlier
    hash), with no fix. It now names the passages of one position held in two versions,
    and what to do."""
    tasks = reviewed_tasks()
    for t in tasks:
        t["data"]["document_sha256"] = _sha(t["data"]["doc_id"].encode())
    edited = copy.deepcopy(tasks[1])  # doc-a's passage 1, edited: a new passage id
    edited["id"] = 99
    edited["data"]["passage_id"] = "doc-a-p1-edited"
    edited["data"]["text"] = tasks[1]["data"]["text"] + " Edited."
    edited["data"]["document_sha256"] = _sha(b"doc-a, a later version")
    with caplog.at_level(logging.WARNING, logger="annotate.corpus.export"):
        export("p", tmp_path / "c", client=FakeStudio([*tasks, edited]), salt="s")  # type: ignore[arg-type]
    (said,) = [r.getMessage() for r in caplog.records if "more than one version" in r.getMessage()]
    assert "1 passage(s) of an earlier version" in said, said
    assert "'doc-a' passage 1: 'doc-a-p1' and 'doc-a-p1-edited'" in said, said
    assert "delete its task(s)" in said and "export again" in said, said

    # only an added passage in the later version: nothing replaced, nothing to fix
    caplog.clear()
    edited["data"]["passage_index"] = 7
    with caplog.at_level(logging.WARNING, logger="annotate.corpus.export"):
        export("p", tmp_path / "d", client=FakeStudio([*tasks, edited]), salt="s")  # type: ignore[arg-type]
    (said,) = [r.getMessage() for r in caplog.records if "more than one version" in r.getMessage()]
    assert "earlier version's hash" in said and "delete" not in said, said


def test_with_redact_it_is_the_hash_of_the_masked_text(tmp_path: Path) -> None:
    from annotate.audit.redact import RedactionSettings

    src = tmp_path / "docs.jsonl"
    text = "Mail me at jane.roe@example.com about the bus routes of the northern district."
    src.write_text(json.dumps({"doc_id": "a", "text": text}) + "\n")
    out = tmp_path / "passages.jsonl"
    ingest([src], out, min_chars=20, redact=RedactionSettings())
    (row,) = _rows(out)
    assert (row["start"], row["end"]) == (0, len(row["text"])) and "[EMAIL-1]" in row["text"]
    # the whole (masked) document is this one passage: the hash never confirms the address
    assert row["document_sha256"] == _sha(row["text"].encode()) != _sha(text.encode())


def test_export_redact_leaves_it_out_and_says_so(tmp_path: Path) -> None:
    from annotate.audit.redact import RedactionSettings

    tasks = reviewed_tasks()
    for t in tasks:
        t["data"]["document_sha256"] = _sha(t["data"]["text"].encode())  # one-passage docs
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    rows = _exported(out)
    # doc-c-p0's text is masked: with the unmasked text's hash beside it, a guessed e-mail
    # address could be confirmed by hashing the text with the guess put back
    (masked,) = [r for r in rows.values() if r["doc_id"] == "doc-c" and r["passage_index"] == 0]
    assert "[EMAIL-1]" in masked["text"]  # (its id is a keyed pseudonym, for the same reason)
    assert all(r["document_sha256"] is None for r in rows.values())
    recorded = json.loads((out / "manifest.json").read_text())["document_sha256"]
    assert recorded["left_out_by_export_redact"] is True and recorded["rows_without"] == 0
    verify(out)
