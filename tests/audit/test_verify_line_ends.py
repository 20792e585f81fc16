"""An export copied through Windows (a zip tool's text mode, git's core.autocrlf) gets
CRLF line ends in its JSONL and JSON files: verify said only "N bytes, the manifest
records M" and "the corpus changed after export", which reads as edited rows. It now says
when a file holds the exported bytes but for its line ends, and how to convert them back;
a file edited otherwise is not called so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.audit.verify import VerifyError, verify
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _crlf(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def test_crlf_line_ends_are_named_with_the_fix(corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copied"
    shutil.copytree(corpus, copy)
    (jsonl,) = [p for p in (copy / "jsonl").glob("*.jsonl") if p.stat().st_size][:1]
    _crlf(jsonl)
    with pytest.raises(VerifyError) as err:
        verify(copy)
    assert "only its line ends differ" in err.value.what
    assert f"sed -i 's/\\r$//' {jsonl}" in err.value.what
    jsonl.write_bytes(jsonl.read_bytes().replace(b"\r\n", b"\n"))  # as the fix says
    verify(copy)


def test_an_edit_with_crlf_is_not_called_line_ends(corpus: Path) -> None:
    (jsonl,) = [p for p in (corpus / "jsonl").glob("*.jsonl") if p.stat().st_size][:1]
    jsonl.write_bytes(jsonl.read_bytes().replace(b"\n", b"\r\n").replace(b'"', b"'", 1))
    with pytest.raises(VerifyError) as err:
        verify(corpus)
    assert "line ends" not in err.value.what
