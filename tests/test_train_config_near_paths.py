"""A mistyped path in a training config, or a mistyped `--config`, gets the "did you
mean" that `--data ../corpus_1` gets (`training data ../corpus_1 not found. Fix: did you
mean '../corpus1/'?`): a config's `path: ../corpus_1` and `--config mine.yml` (the file is
mine.yaml) only said the path was not there."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.training import load_train_config


def test_a_mistyped_data_path_in_a_config_names_the_close_one(tmp_path: Path) -> None:
    (tmp_path / "corpus1").mkdir()
    (tmp_path / "ml").mkdir()
    config = tmp_path / "ml" / "mine.yaml"
    config.write_text("data:\n  - path: ../corpus_1\n", encoding="utf-8")
    with pytest.raises(TrainingError, match=re.escape("data[0].path '../corpus_1'")) as err:
        load_train_config(config)
    # spelled as the config writes its paths: relative to the config's folder
    assert err.value.fix.startswith("did you mean '../corpus1/'?"), err.value.fix
    assert "relative to the config file" in err.value.fix


def test_from_the_config_folder_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "labels.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "mine.yaml").write_text("data:\n  - path: lables.jsonl\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TrainingError) as err:
        load_train_config("mine.yaml")
    assert err.value.fix.startswith("did you mean 'labels.jsonl'?"), err.value.fix


def test_a_far_name_gets_the_plain_fix(tmp_path: Path) -> None:
    (tmp_path / "corpus1").mkdir()
    config = tmp_path / "mine.yaml"
    config.write_text("data:\n  - path: exports/november\n", encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        load_train_config(config)
    assert "did you mean" not in err.value.fix
    assert err.value.fix.startswith("paths in a config are relative to the config file")


def test_a_mistyped_config_file_names_the_close_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mine.yaml").write_text("seed: 3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TrainingError, match=re.escape("config mine.yml: No such")) as err:
        load_train_config("mine.yml")
    assert err.value.fix.startswith("did you mean 'mine.yaml'?"), err.value.fix
    assert os.path.exists("mine.yaml")


@pytest.mark.parametrize("typed", ["models/default.train.yaml", "default.train.yaml"])
def test_the_shipped_recipe_named_from_a_work_folder_names_where_it_is(
    typed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New-user pass 62: README, docs/retrain.md and train's "no harmful passage" error
    say `--config models/default.train.yaml`; typed in a work folder outside the checkout
    it said only "No such file or directory. Fix: check the path." The fix now names the
    shipped recipe's own path."""
    from annotate.settings import default_model_dir

    shipped = default_model_dir().parent / "default.train.yaml"
    if not shipped.is_file():
        pytest.skip("an installed annotate ships no training recipe")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TrainingError, match="No such file") as err:
        load_train_config(typed)
    assert err.value.fix.startswith(f"did you mean '{shipped}' (the default model's recipe"), (
        err.value.fix
    )
