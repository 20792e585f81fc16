"""An export folder a Mac or Windows copy touched (``.DS_Store``, ``._*`` AppleDouble files,
``__MACOSX/``, ``Thumbs.db``, ``desktop.ini``) still verifies, with one note naming what
was ignored; any other file the manifest does not list still fails as before."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from annotate.audit.verify import VerifyError, check, compare, verify
from annotate.cli import main
from annotate.corpus.export import export
from annotate.taxonomy import load_taxonomy
from annotate.training.sources import read_export

from .fakes import FakeStudio, reviewed_tasks

# what the OS writes: Finder's folder settings, AppleDouble copies of real files (they match
# the export's own globs, *.jsonl and *.arrow), a Mac zip's folder, Explorer's files
LITTER = {
    ".DS_Store": b"\x00\x00\x00\x01Bud1",
    "jsonl/.DS_Store": b"\x00\x00\x00\x01Bud1",
    "jsonl/._train.jsonl": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
    "hf/train/._data-00000-of-00001.arrow": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
    "__MACOSX/jsonl/._test.jsonl": b"\x00\x05\x16\x07",
    "Thumbs.db": b"\xd0\xcf\x11\xe0",
    "parquet/desktop.ini": b"[.ShellClassInfo]\r\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("os-files") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _littered(corpus: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copied"
    shutil.copytree(corpus, dst)
    for rel, data in LITTER.items():
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        (dst / rel).write_bytes(data)
    return dst


def test_os_files_are_ignored_with_one_note(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copied = _littered(corpus, tmp_path)
    result = verify(copied)
    assert result.ok and sorted(result.os_files) == sorted(LITTER)
    # the rows are read without the AppleDouble copies: the same content, formats compared
    assert result.content_sha256 == verify(corpus).content_sha256
    assert "train" in result.formats_compared or not result.rows.get("train")
    assert compare(corpus, copied).same
    capsys.readouterr()
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(copied)])
    assert ok.value.code == 0
    out = capsys.readouterr().err  # the CLI talks on stderr
    notes = [line for line in out.splitlines() if "operating system" in line]
    assert notes == [
        f"note: ignored {len(LITTER)} file(s) an operating system left in the folder "
        f"({', '.join(sorted(LITTER)[:3])}, ...): not part of the export"
    ], out


def test_any_other_unlisted_file_still_fails(corpus: Path, tmp_path: Path) -> None:
    copied = _littered(corpus, tmp_path)
    for rel in ("notes.txt", "jsonl/extra.jsonl", "DS_Store", "hf/train/x._arrow"):
        (copied / rel).write_text("not the export's\n")
    result = check(copied)
    assert sorted(m.path for m in result.mismatches) == sorted(
        ["notes.txt", "jsonl/extra.jsonl", "DS_Store", "hf/train/x._arrow"]
    )
    assert all(m.what == "present but not listed in the manifest" for m in result.mismatches)
    with pytest.raises(VerifyError, match="not listed in the manifest"):
        verify(copied)


def test_a_changed_listed_file_still_fails_beside_litter(corpus: Path, tmp_path: Path) -> None:
    copied = _littered(corpus, tmp_path)
    path = copied / "jsonl" / "train.jsonl"
    path.write_bytes(path.read_bytes().replace(b"doc-", b"dox-", 1))
    with pytest.raises(VerifyError, match=r"jsonl/train\.jsonl"):
        verify(copied)


def test_train_and_a_new_export_pass_over_them_too(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    copied = _littered(corpus, tmp_path)
    shutil.rmtree(copied / "hf")  # train then reads jsonl/*.jsonl, where ._train.jsonl is
    with caplog.at_level(logging.WARNING):
        examples = read_export(copied, load_taxonomy())
    assert len(examples) == 5
    # the verify train runs first finds nothing but the removed hf/ (no litter named)
    altered = [r.getMessage() for r in caplog.records if "does not match" in r.getMessage()]
    assert len(altered) == 1 and "hf/" in altered[0] and "._" not in altered[0], altered
    # exporting over the copied folder is not refused for the OS's files (an auditor's
    # own file still is: tests/corpus/test_reexport_keeps_foreign_files.py)
    export("p", copied, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert verify(copied).ok
