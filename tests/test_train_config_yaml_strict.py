"""A training config or mapping file with a key written twice, or with broken YAML: a
config holding `seed: 3` and, further down, `seed: 4` trained with seed 4 and said
nothing (PyYAML keeps the last), and a tab in the indentation gave PyYAML's multi-line
message squashed into one, with no fix. Both are read as labels.yaml is: a key written
twice is refused at its line, broken YAML names its line and column, with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import TrainingError
from annotate.training import load_train_config
from annotate.training.sources import load_mapping


def test_a_config_key_written_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nseed: 3\ntrainer: frozen\nseed: 4\n", encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        load_train_config(path)
    said = str(err.value)
    assert "duplicate key 'seed'" in said and "line 4" in said, said
    assert str(path) in said and err.value.fix, said


def test_a_nested_key_written_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("data:\n  - path: a.jsonl\n    weight: 2\n    weight: 3\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="duplicate key 'weight'"):
        load_train_config(path)


def test_broken_config_yaml_names_line_and_column_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("data:\n  - path: a.jsonl\n\tseed: 3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--config", str(path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = [s for s in result.output.splitlines() if s.startswith("error:")]
    assert "not valid YAML at line 3, column 1" in line, line
    assert "Fix: " in line and "<unicode string>" not in line, line


def test_a_mapping_key_written_twice_is_refused(tmp_path: Path, taxonomy) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "name: x\ntext: post\ntext: body\nrules:\n  - labels: [none]\n", encoding="utf-8"
    )
    with pytest.raises(TrainingError) as err:
        load_mapping(path, taxonomy)
    assert "duplicate key 'text'" in str(err.value) and "line 3" in str(err.value)
    assert err.value.fix


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("frozen:\n  members:\n    - {C: 1.0}\n", "'c'"),  # the C of scikit-learn's API
        ("Seed: 3\n", "'seed'"),
    ],
)
def test_a_key_in_another_case_is_named(tmp_path: Path, text: str, meant: str) -> None:
    """`frozen.members[0].C` (scikit-learn's name for it) was an unknown key with no
    suggestion: difflib finds no likeness between 'C' and 'c'."""
    path = tmp_path / "c.train.yaml"
    path.write_text("name: c\n" + text, encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        load_train_config(path)
    assert err.value.fix.startswith(f"did you mean {meant}? "), err.value.fix
