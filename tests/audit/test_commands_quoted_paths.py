"""An auditor's export folder with a space (`out dir/corpus`): the commands export and
verify print for the next step (`annotate verify out dir/corpus --manifest-sha256 <it>`)
were not quoted, so pasting them ran `annotate verify out` with stray arguments. And
`annotate report out dir` (the folder above the export) said only "not an exported
corpus"; it now names the export inside it."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from annotate.corpus.export import export
from tests.audit.cli_run import run_cli as _run
from tests.audit.fakes import FakeStudio, reviewed_tasks


def test_printed_commands_quote_a_path_with_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "out dir" / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    code, err = _run(["verify", str(corpus)], capsys)
    assert code == 0, err
    # the command verify prints is in its fix for an edited report (since passM55 finding 5
    # verify writes the report again and compares; before, a note always named it)
    report_md = corpus / "report" / "report.md"
    report_md.write_text(report_md.read_text(encoding="utf-8") + "\nedited\n", "utf-8")
    code, err = _run(["verify", str(corpus)], capsys)
    assert code == 1, err
    command = err.split("the report `", 1)[1].split("`", 1)[0]
    assert shlex.split(command) == ["annotate", "report", str(corpus), "--out", "DIR"]


def test_report_on_the_folder_above_an_export_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "out dir" / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    for command in ("report", "verify"):
        code, err = _run(
            [command, str(corpus.parent), "-q"]
            if command == "report"
            else [command, str(corpus.parent)],
            capsys,
        )
        assert code == 1 and "Traceback" not in err, err
        assert "it holds exported corpora (corpus)" in err, err
        assert shlex.quote(str(corpus)) in err, err
