"""`annotate verify CORPUS --sources /` on an export made with --redact passed (exit 0,
"9 not checked"): its documents cannot be compared (the text is masked, document_sha256
left out), so the folder was never looked in, and any folder, the wrong one included,
"verified" (stop 46 new-user #14). Each document's input file is now looked for: a folder
holding none of them fails, naming the paths looked for; found ones are counted as not
checked, saying their file is there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.audit.sources import MISSING, NOT_CHECKED, check_sources
from annotate.corpus.export import export
from annotate.ingestion import ingest
from tests.audit.cli_run import run_cli as _run
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import A, B, _tasks


@pytest.fixture
def redacted(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "in"
    (root / "notes").mkdir(parents=True)
    (root / "notes" / "a.txt").write_text(f"{A} Mail jane.doe@example.org.\n\n{B}\n")
    passages = tmp_path / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(["notes"], passages, min_chars=20, dedupe=False, near_dup_threshold=None)
    finally:
        os.chdir(cwd)
    out = tmp_path / "redx"
    tasks = _tasks(passages)
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    return root, out


def test_a_redacted_export_in_the_right_folder_is_counted_not_checked(redacted, capsys):
    root, corpus = redacted
    found = check_sources(corpus, root)
    assert found.documents and {d.status for d in found.documents} == {NOT_CHECKED}
    assert "its input file is there" in found.documents[0].what
    code, err = _run(["verify", str(corpus), "--sources", str(root), "-q"], capsys)
    assert code == 1, err  # nothing was checked: no pass (s54)
    code, err = _run(["verify", str(corpus), "--sources", str(root), "--strict", "-q"], capsys)
    assert code == 1, err


def test_a_redacted_export_against_a_folder_holding_none_of_it_fails(
    redacted, tmp_path, capsys
) -> None:
    _, corpus = redacted
    wrong = tmp_path / "elsewhere"
    wrong.mkdir()
    found = check_sources(corpus, wrong)
    assert {d.status for d in found.documents} == {MISSING}
    code, err = _run(["verify", str(corpus), "--sources", str(wrong), "-q"], capsys)
    said = " ".join(err.split())
    assert code == 1, err
    assert "missing: notes/a.txt, the input file of" in said, said
    assert f"looked for {wrong}/notes/a.txt" in said
    assert "nothing was verified" in said


def test_a_redacted_export_says_plainly_that_nothing_was_checked(redacted, capsys) -> None:
    """break9 N8: the audit recipe's `verify --sources` on an export made with --redact
    printed "0 unchanged, 0 changed, 0 missing, 1 not checked" and exited 0; with -q not
    even the reason was shown. It then warned, still exiting 0: a script reading $? saw a
    pass (s54). It now fails (exit 1, also without --strict) saying that nothing was
    checked, why, and what to run instead."""
    root, corpus = redacted
    code, err = _run(["verify", str(corpus), "--sources", str(root), "-q"], capsys)
    said = " ".join(err.split())
    assert code == 1, err
    assert "1 not checked: nothing was checked against the sources: the export's 1 document" in said
    assert "error: sources of" in said and "warning: nothing" not in said
    assert "exported with --redact" in said
    assert "made without --redact, kept in-house" in said
    assert "annotate verify audit/full --sources DIR" in said
    code, err = _run(["verify", str(corpus), "--sources", str(root), "--strict", "-q"], capsys)
    assert code == 1 and "nothing was checked" in " ".join(err.split()), err
