"""`annotate evaluate --model HUB_ID` without --data said the hub could not be reached
(offline) before the usage mistake, and a TrainConfig built in code (no file) with an
encoder hub id the machine cannot get was told to "pass a local model directory" by the
encoder loader, after the data was read: usage is checked first, and the library's train
names TrainConfig's field before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import constants
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import TrainingError
from annotate.taxonomy import load_taxonomy
from annotate.training import TrainConfig, train


@pytest.fixture()
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))


def test_evaluate_without_data_says_so_before_the_hub(offline: None, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["evaluate", "--model", "nobody/x", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code != 0
    assert "needs --data" in result.output, result.output
    assert "hub cannot be reached" not in result.output, result.output


def test_a_train_config_built_in_code_names_its_field(
    offline: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = TrainConfig(name="small", encoder="someorg/enc")
    with pytest.raises(TrainingError) as err:
        train(cfg, tmp_path / "m", load_taxonomy(None))
    what, fix = str(err.value), str(err.value.fix)
    assert "TrainConfig encoder 'someorg/enc' is a Hugging Face hub id" in what, what
    assert "offline: HF_HUB_OFFLINE is set" in what, what
    assert "set TrainConfig's `encoder`" in fix and "pass a local model directory" not in fix
    assert f"--local-dir {tmp_path}/encoders/enc" in fix, fix
    assert not (tmp_path / "m").exists()
