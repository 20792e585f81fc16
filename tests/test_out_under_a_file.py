"""An output path one of whose folders is a file (`--out notes.txt/corpus`), or a corpus
given as its `manifest.json`, ended in a traceback (NotADirectoryError, FileExistsError)
in report, ingest, prelabel, export, train and evaluate. Now: one line naming the file in
the way, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate._util.atomic import atomic_output
from annotate.cli import main
from annotate.corpus.export import export
from annotate.errors import AnnotateError, InputError
from annotate.tables import TableWriter
from tests.audit.fakes import FakeStudio, reviewed_tasks


@pytest.fixture()
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("an auditor's notes\n")
    return path


def _one_line_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)
    err = capsys.readouterr().err.strip()
    assert done.value.code == 1, err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    return err


def test_writers_name_the_file_in_the_way(a_file: Path) -> None:
    in_the_way = pytest.raises(InputError, match=f"{a_file} is a file, not a folder")
    with in_the_way, TableWriter(a_file / "sub" / "out.jsonl") as writer:
        writer.write([{"id": "x"}])
    with (
        pytest.raises(InputError, match="is a file, not a folder"),
        atomic_output(a_file / "out") as tmp,
    ):
        tmp.mkdir()
    with pytest.raises(InputError, match=f"{a_file} is a file, not a folder"):
        export("p", a_file / "corpus", client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert a_file.read_text() == "an auditor's notes\n"


def test_ingest_and_report_out_under_a_file(
    a_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("The council met on Tuesday to discuss the new bus routes for the town.\n")
    err = _one_line_error(
        ["ingest", str(doc.parent), "--out", str(a_file / "p.jsonl"), "-q"], capsys
    )
    assert f"{a_file} is a file, not a folder" in err
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    err = _one_line_error(["report", str(corpus), "--out", str(a_file / "rep"), "-q"], capsys)
    assert f"{a_file} is a file, not a folder" in err


@pytest.mark.parametrize("command", ["verify", "report"])
def test_a_corpus_given_as_its_manifest_names_the_folder(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    quiet = ["-q"] if command == "report" else []
    err = _one_line_error([command, str(corpus / "manifest.json"), *quiet], capsys)
    assert "is a file; an exported corpus is the folder that holds manifest.json" in err
    assert f"Fix: pass {corpus}." in err


def test_the_library_error_is_an_annotate_error(a_file: Path) -> None:
    from annotate.audit.verify import read_manifest

    with pytest.raises(AnnotateError, match="is a file"):
        read_manifest(a_file)
