"""`verify --sources` on a corpus ingested with ``--redact``: the ingest run records the
``phonenumbers`` version that found the numbers it masked (its ``redact`` record), and a
changed document checked with another version installed says the masks may differ, as the
HTML extractor's check does; a record made before the version was recorded reads
"unknown"."""

from __future__ import annotations

import importlib.metadata
import json
import os
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.audit.sources import CHANGED, UNCHANGED, check_sources
from annotate.corpus.export import export
from annotate.ingestion import ingest
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import A, B, _tasks


def _corpus(tmp_path: Path) -> tuple[Path, Path, list[dict]]:
    root = tmp_path / "in"
    root.mkdir()
    (root / "chat.txt").write_text(f"Sam: {A} Call +44 7700 900123.\nAlex: {B}\n")
    passages = tmp_path / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(
            ["chat.txt"],
            passages,
            min_chars=0,
            dedupe=False,
            near_dup_threshold=None,
            redact=RedactionSettings(),
        )
    finally:
        os.chdir(cwd)
    rows = [json.loads(line) for line in passages.read_text(encoding="utf-8").splitlines()]
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    return root, out, rows


def test_the_ingest_run_records_the_phonenumbers_version(tmp_path: Path) -> None:
    _, _, rows = _corpus(tmp_path)
    run = json.loads(rows[0]["ingest_run"])
    assert run["settings"]["redact"]["phonenumbers"] == importlib.metadata.version("phonenumbers")


def test_a_changed_document_names_another_phonenumbers_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out, _ = _corpus(tmp_path)
    assert {d.status for d in check_sources(out, root).documents} == {UNCHANGED}
    (root / "chat.txt").write_text(f"Sam: {A} Call +44 7700 900123.\nAlex: {B} Edited.\n")
    (doc,) = [d for d in check_sources(out, root).documents if d.status == CHANGED]
    assert "phonenumbers" not in doc.what  # the same version: nothing to say
    installed = importlib.metadata.version

    def other(name: str) -> str:
        return "99.0.0" if name == "phonenumbers" else installed(name)

    monkeypatch.setattr(importlib.metadata, "version", other)
    (doc,) = [d for d in check_sources(out, root).documents if d.status == CHANGED]
    recorded = installed("phonenumbers")
    assert f"phonenumbers {recorded} at ingest and by phonenumbers 99.0.0 here" in doc.what
    assert "masks may differ" in doc.what


def test_a_record_without_the_version_reads_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.ingestion as ingestion
    from annotate.ingestion.record import redact_record

    def older(redact):  # as an annotate before stop 54 recorded it
        out = redact_record(redact)
        return {k: v for k, v in out.items() if k != "phonenumbers"} if out else out

    monkeypatch.setattr(ingestion, "redact_record", older)
    root, out, rows = _corpus(tmp_path)
    assert "phonenumbers" not in json.loads(rows[0]["ingest_run"])["settings"]["redact"]
    (root / "chat.txt").write_text(f"Sam: {A} Call +44 7700 900123.\nAlex: {B} Edited.\n")
    (doc,) = [d for d in check_sources(out, root).documents if d.status == CHANGED]
    assert "phonenumbers unknown at ingest" in doc.what and "masks may differ" in doc.what
