"""`annotate train --config counter.txt`: a config that is not a YAML mapping is told as
such in one line (it showed pydantic's "<top level>: Input should be a valid dictionary or
instance of TrainConfig")."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import TrainingError
from annotate.training import load_train_config


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("counter: 1\n", None),
        ("just some words\n", "a string"),
        ("- a\n- b\n", "a list"),
        ("42\n", "a number"),
    ],
)
def test_a_config_must_be_a_mapping(tmp_path: Path, text: str, kind: str | None) -> None:
    path = tmp_path / "counter.txt"
    path.write_text(text)
    if kind is None:  # a mapping: the usual unknown-key error
        with pytest.raises(TrainingError, match="unknown key 'counter'"):
            load_train_config(path)
        return
    with pytest.raises(TrainingError) as err:
        load_train_config(path)
    said = str(err.value)
    assert "must be a YAML mapping of settings" in said and f"it holds {kind}." in said
    assert "valid dictionary" not in said and "<top level>" not in said
    assert "models/default.train.yaml" in str(err.value.fix)


def test_the_cli_says_it_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "counter.txt"
    path.write_text("12\n13\n")  # a plain string to YAML
    result = CliRunner().invoke(
        app, ["train", "--config", str(path), "--out", str(tmp_path / "m"), "-q"]
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "YAML mapping" in line]
    assert len(lines) == 1 and "it holds a string" in lines[0], result.output
    assert "models/default.train.yaml" in lines[0]
