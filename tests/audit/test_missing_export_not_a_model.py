"""A path that does not exist given where only an export is taken (`annotate report`,
`verify --same-as`) was answered with verify's hint for model folders ("or a model folder
(`annotate verify default` checks the shipped model)"), which those commands do not take;
`annotate verify` itself, which takes both, keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.cli import main


def _error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as failed:
        main(args)
    assert failed.value.code == 1
    return capsys.readouterr().err.strip()


def test_report_of_a_missing_folder_names_an_export_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "corpus"
    err = _error(["report", str(missing), "--out", str(tmp_path / "rep")], capsys)
    assert err == (
        f"error: {missing}: no such folder (an exported corpus is the folder that holds "
        "manifest.json). Fix: check the path; pass the --out directory of `annotate export`."
    )


def test_verify_of_a_missing_folder_still_names_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "corpus"
    err = _error(["verify", str(missing)], capsys)
    assert "a model, the folder that holds annotate_model.json" in err
    assert "`annotate verify default` checks the shipped model" in err
