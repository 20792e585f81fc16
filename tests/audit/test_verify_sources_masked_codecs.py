"""`verify --sources` and files whose names `ingest --redact` masked alike, read with
different codecs (break8 M3): a UTF-16 file (by its byte-order mark) and a cp1252 one
(--encoding) both named `chats/Chat with [PHONE-1].txt` in the record, and a file literally
named so beside a UTF-16 one. Each file is read with its own ``decoded_files`` entry
(matched by its bytes' sha256): the untouched cp1252 file was reported missing, "the file
now holds document <the other file's>", with no fix. A document none of the fitting files
holds is said so, with the fix."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

from annotate.audit.redact import RedactionSettings
from annotate.audit.sources import MISSING, UNCHANGED, check_sources
from annotate.corpus.export import export
from annotate.ingestion import ingest
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import A, B, C, _tasks

MASKED = "chats/Chat with [PHONE-1].txt"


def _u16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def _export(tmp_path: Path, files: dict[str, bytes], encoding: str | None) -> Path:
    root = tmp_path / "in"
    (root / "chats").mkdir(parents=True)
    for name, raw in files.items():
        (root / "chats" / name).write_bytes(raw)
    passages = tmp_path / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(
            ["chats"],
            passages,
            min_chars=0,
            dedupe=False,
            near_dup_threshold=None,
            redact=RedactionSettings(),
            encoding=encoding,
        )
    finally:
        os.chdir(cwd)
    rows = [json.loads(line) for line in passages.read_text(encoding="utf-8").splitlines()]
    assert {r["input_file"] for r in rows} == {MASKED}
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    return out


def test_a_utf16_and_a_cp1252_file_of_one_masked_name_both_verify(tmp_path: Path) -> None:
    out = _export(
        tmp_path,
        {
            "Chat with +44 7700 900123.txt": _u16(f"+44 7700 900123: {A} Café.\r\nSam: {B}\r\n"),
            "Chat with +44 7700 900456.txt": f"+44 7700 900456: {C} Naïve.\n".encode("cp1252"),
        },
        "cp1252",
    )
    found = check_sources(out, tmp_path / "in")
    assert len({d.doc_id for d in found.documents}) == 2
    assert {d.status for d in found.documents} == {UNCHANGED}, [d.what for d in found.documents]
    assert found.complete


def test_a_file_literally_named_as_masked_beside_a_utf16_one(tmp_path: Path) -> None:
    out = _export(
        tmp_path,
        {
            "Chat with [PHONE-1].txt": f"Sam: {C} plain.\n".encode(),
            "Chat with +44 7700 900123.txt": _u16(f"+44 7700 900123: {A} Café.\r\nSam: {B}\r\n"),
        },
        None,
    )
    found = check_sources(out, tmp_path / "in")
    assert {d.status for d in found.documents} == {UNCHANGED}, [d.what for d in found.documents]


def test_a_document_no_fitting_file_holds_is_said_so_with_the_fix(tmp_path: Path) -> None:
    out = _export(
        tmp_path,
        {
            "Chat with +44 7700 900123.txt": _u16(f"+44 7700 900123: {A} Café.\r\nSam: {B}\r\n"),
            "Chat with +44 7700 900456.txt": f"+44 7700 900456: {C} Naïve.\n".encode("cp1252"),
        },
        "cp1252",
    )
    (tmp_path / "in" / "chats" / "Chat with +44 7700 900456.txt").unlink()
    (tmp_path / "in" / "chats" / "Chat with +44 7700 900789.txt").write_text("other\n")
    found = check_sources(out, tmp_path / "in")
    gone = [d for d in found.documents if d.doc_id.endswith("900456.txt")]
    assert [d.status for d in gone] == [MISSING]
    what = gone[0].what
    assert f"masked by ingest --redact ({MASKED}), which 2 files here fit" in what, what
    assert "now holds document" not in what and "Fix: if its file was edited" in what, what
    kept = [d for d in found.documents if d.doc_id.endswith("900123.txt")]
    assert [d.status for d in kept] == [UNCHANGED]
