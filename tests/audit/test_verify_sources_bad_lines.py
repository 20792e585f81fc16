"""`annotate verify --sources` reads a table as ingest read it when ingest skipped bad
lines (`--skip-bad-lines`): passL54 finding 1 saw every document of an untouched CSV
reported "changed" (the re-read stopped at the bad line ingest had skipped)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from annotate.audit.sources import CHANGED, UNCHANGED, check_sources
from annotate.corpus.export import export
from annotate.ingestion import ingest
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import A, B, _tasks


def _corpus(tmp_path: Path, body: str) -> tuple[Path, Path]:
    root = tmp_path / "in"
    root.mkdir()
    (root / "comments.csv").write_text(body, encoding="utf-8")
    passages = tmp_path / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(
            ["comments.csv"],
            passages,
            min_chars=0,
            dedupe=False,
            near_dup_threshold=None,
            skip_bad_lines=True,
        )
    finally:
        os.chdir(cwd)
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    return root, out


BODY = f'id,text\nc1,"{A}"\nc2,"{B}",an extra field\nc3,"A third comment, kept."\n'


def test_an_untouched_table_with_a_skipped_bad_line_verifies_unchanged(tmp_path: Path) -> None:
    root, out = _corpus(tmp_path, BODY)
    statuses = {d.doc_id: d.status for d in check_sources(out, root).documents}
    assert statuses and set(statuses.values()) == {UNCHANGED}, statuses


def test_a_changed_row_beside_the_skipped_line_is_still_found(tmp_path: Path) -> None:
    root, out = _corpus(tmp_path, BODY)
    (root / "comments.csv").write_text(BODY.replace("A third comment", "An edited comment"))
    changed = [d for d in check_sources(out, root).documents if d.status == CHANGED]
    assert len(changed) == 1, [(d.doc_id, d.status, d.what) for d in changed]


def test_a_skipped_row_whose_text_is_a_number_verifies_unchanged(tmp_path: Path) -> None:
    """newuser58 #2: ingest --skip-bad-lines sets aside a JSONL row whose text is a
    number; verify --sources reads the file as ingest did (before, ingest refused it)."""
    root = tmp_path / "in"
    root.mkdir()
    rows = [{"id": "c1", "text": A}, {"id": "c2", "text": 12345}, {"id": "c3", "text": B}]
    (root / "comments.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    passages = tmp_path / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(
            ["comments.jsonl"], passages, min_chars=0, near_dup_threshold=None, skip_bad_lines=True
        )
    finally:
        os.chdir(cwd)
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_tasks(passages)), salt="s")  # type: ignore[arg-type]
    statuses = {d.doc_id: d.status for d in check_sources(out, root).documents}
    assert statuses == {"c1": UNCHANGED, "c3": UNCHANGED}, statuses
