"""`annotate train --data corpus/ --out models/default` replaced the default model (the one
every prelabel without --model uses, built by `make model` from the public data) with a
model of whatever --data held, without a word. It is refused before any work unless
--replace-default-model (which `make model` passes) says it is meant."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.cli import app
from annotate.cli.train import refuse_default_model_out
from annotate.errors import InputError


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def test_training_into_the_default_models_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "labeled.jsonl"
    data.write_text('{"text": "I will hurt you.", "labels": ["violent_threat"]}\n')
    before = _digest(DEFAULT_MODEL_DIR)
    relative = Path(os.path.relpath(DEFAULT_MODEL_DIR))  # as a user in the checkout types it
    result = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(relative)])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert f"--out {relative} is the default model's folder" in said
    assert "add --replace-default-model" in said
    assert _digest(DEFAULT_MODEL_DIR) == before


def test_replace_default_model_and_other_folders_pass(tmp_path: Path) -> None:
    refuse_default_model_out(DEFAULT_MODEL_DIR, replace=True)
    refuse_default_model_out(tmp_path / "models" / "batch-2026-12", replace=False)
    with pytest.raises(InputError):
        refuse_default_model_out(DEFAULT_MODEL_DIR / ".." / DEFAULT_MODEL_DIR.name, replace=False)


def test_make_model_passes_replace_default_model() -> None:
    makefile = Path(__file__).resolve().parents[1] / "Makefile"
    (line,) = [
        line for line in makefile.read_text().splitlines() if "--out models/default " in line
    ]
    assert "--replace-default-model" in line
