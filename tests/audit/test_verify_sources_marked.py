"""`verify --sources` reads a UTF-16/32 file with its byte-order mark as ingest read it.

Ingest reads a text file or CSV/TSV table in UTF-16 or UTF-32 with its byte-order mark as
the mark says and lists it in the run record's ``decoded_files`` (``declared_by:
byte-order mark``; passG52 G6). ``verify --sources`` must decode the file so too, or it
would report the evidence received as changed."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotate.audit.sources import UNCHANGED, check_sources
from annotate.corpus.export import export
from annotate.ingestion import ingest
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import A, B, C, _tasks


@pytest.mark.parametrize(
    ("codec", "mark"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
def test_a_marked_file_is_read_again_as_ingest_read_it(
    tmp_path: Path, codec: str, mark: bytes
) -> None:
    root = tmp_path / "in"
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "u.txt").write_bytes(mark + f"{A}\r\n\r\n{B}\r\n".encode(codec))
    (docs / "t.csv").write_bytes(mark + f'id,text\r\n1,"{C}"\r\n'.encode(codec))
    (docs / "plain.txt").write_text(f"{B} Plain.\n", encoding="utf-8")
    passages = tmp_path / "passages.jsonl"
    ingest([str(docs)], passages, min_chars=20, dedupe=False, near_dup_threshold=None)
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, root)
    assert {d.input_file: d.status for d in found.documents} == {
        "docs/plain.txt": UNCHANGED,
        "docs/t.csv": UNCHANGED,
        "docs/u.txt": UNCHANGED,
    }, [(d.input_file, d.what) for d in found.documents]
    assert found.complete


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), None),
        (lambda text: text.encode("cp1252"), "cp1252"),  # ingest --encoding cp1252
    ],
    ids=["utf-16 by its mark", "cp1252 by --encoding"],
)
def test_a_decoded_file_of_a_masked_name_is_read_again_as_ingest_read_it(
    tmp_path: Path, raw, encoding: str | None
) -> None:
    """``ingest --redact`` masks the file's name where the record lists it (its
    ``input_file`` and its ``decoded_files`` entry alike): the codec was looked up by the
    file's own name, not found, and the file read as UTF-8 and reported changed."""
    import json
    import os

    from annotate.audit.redact import RedactionSettings

    root = tmp_path / "in"
    (root / "chats").mkdir(parents=True)
    name = "Chat with +44 7700 900123.txt"
    (root / "chats" / name).write_bytes(raw(f"+44 7700 900123: {A} Café.\r\nSam: {B}\r\n"))
    # a second file of that masked name, UTF-8: read as UTF-8 still
    (root / "chats" / "Chat with +44 7700 900456.txt").write_text(
        f"+44 7700 900456: {C}\n", encoding="utf-8"
    )
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
    assert {r["input_file"] for r in rows} == {"chats/Chat with [PHONE-1].txt"}
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    found = check_sources(out, root)
    assert len({d.doc_id for d in found.documents}) == 2
    assert {d.status for d in found.documents} == {UNCHANGED}, [d.what for d in found.documents]
