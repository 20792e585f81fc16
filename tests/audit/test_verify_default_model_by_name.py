"""An auditor handed "the default model" ran `annotate verify models/default` from their
own folder: "no such folder (an exported corpus is the folder that holds manifest.json).
Fix: ... the --out directory of `annotate export`", as if verify took exports only.
`prelabel --model default` names the shipped model from such a folder; verify now does
too, and the error for a missing path names model folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.cli_run import run_cli as _run


def test_default_names_the_shipped_model_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("default", "models/default"):
        code, err = _run(["verify", name, "-q"], capsys)
        assert code == 0, err
        assert "version default@" in err and "as its model card records" in err, err


def test_a_missing_path_names_model_folders_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = _run(["verify", "models/mine"], capsys)
    assert code == 1 and "Traceback" not in err
    assert "annotate_model.json" in err and "`annotate verify default`" in err, err
