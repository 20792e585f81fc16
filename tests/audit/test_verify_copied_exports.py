"""An export as an auditor receives it from someone else: copied through Windows (a zip
tool's text mode, git's core.autocrlf gives its JSONL and JSON files CRLF line ends: verify
said only "N bytes, the manifest records M", which reads as edited rows; it now says when a
file holds the exported bytes but for its line ends, and how to convert them back), or sent
as an archive (told to unpack it first)."""

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


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("sent.zip", "unzip {d}/sent.zip -d {d}/sent"),
        ("sent.tar.gz", "mkdir {d}/sent && tar -xzf {d}/sent.tar.gz -C {d}/sent"),
    ],
)
def test_an_export_sent_as_an_archive_is_told_to_be_unpacked(
    tmp_path: Path, name: str, command: str
) -> None:
    """An auditor given the export as an archive passed it as it came: the error said
    only to pass the --out directory of `annotate export`."""
    archive = tmp_path / name
    archive.write_bytes(b"PK\x03\x04")
    with pytest.raises(VerifyError, match="is an archive") as err:
        verify(archive)
    assert f"`{command.format(d=tmp_path)}`" in (err.value.fix or "")
    (tmp_path / "sent").mkdir()  # a folder of that name is never written over
    with pytest.raises(VerifyError) as err:
        verify(archive)
    assert f"{tmp_path}/sent-unpacked" in (err.value.fix or "")
