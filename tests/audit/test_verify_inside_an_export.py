"""`annotate verify corpus/jsonl` (or a split file, or `corpus/hf/train`) said "is not an
exported corpus. Fix: pass the --out directory of `annotate export`" although that folder
was right above (a compliance officer's run); `annotate train` names it. Now the error
names the export it lies in, and verify of that export passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.cli import main
from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0), capsys.readouterr().err.strip()


@pytest.mark.parametrize("command", ["verify", "report"])
def test_a_folder_or_file_inside_an_export_names_the_export(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    quiet = ["-q"] if command == "report" else []
    inside = [corpus / "jsonl", corpus / "hf" / "train", corpus / "parquet" / "train.parquet"]
    for path in inside:
        code, err = _run([command, str(path), *quiet], capsys)
        assert code == 1 and err.startswith("error: ") and len(err.splitlines()) == 1, err
        assert "Traceback" not in err
        assert f"Fix: pass {corpus}" in err, err
        if path.is_dir():  # the fix names the command run (report's named verify: H9)
            assert f"`annotate {command} {corpus}`" in err, err
    # a folder that is no export nor inside one keeps the general fix
    other = tmp_path / "notes"
    other.mkdir()
    code, err = _run([command, str(other), *quiet], capsys)
    assert code == 1 and "pass the --out directory of `annotate export`" in err, err
    # and the export it named verifies
    code, err = _run(["verify", str(corpus)], capsys)
    assert code == 0, err
