"""The shipped config without `../shared/data`: the error named only the first missing
data entry, with a fix (absolute paths, keep the config beside its data) that does not fit
it (passF52 F7). Every missing entry is named, and the folder they all lie under."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.taxonomy import PROJECT_ROOT
from annotate.training.config import load_train_config


def test_the_shipped_config_without_its_public_data_names_them_all(tmp_path: Path) -> None:
    models = tmp_path / "checkout" / "models"
    models.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "models" / "default.train.yaml", models)
    shutil.copytree(PROJECT_ROOT / "models" / "mappings", models / "mappings")
    shutil.copytree(PROJECT_ROOT / "data" / "project", tmp_path / "checkout" / "data" / "project")
    with pytest.raises(TrainingError) as err:
        load_train_config(models / "default.train.yaml")
    said = str(err.value)
    shared = tmp_path / "shared"
    assert f"7 data entries are not there, all under {shared}, which does not exist" in said
    for name in ("data[0] implicit-hate", "data[2] gab-hate-corpus", "crisislex-t26"):
        assert name in said, said
    assert err.value.fix.startswith(f"put the data sets in {shared} (public ones: each mapping")
    assert 'docs/model.md, "Public data sets"' in err.value.fix


def test_entries_missing_apart_are_named(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    cfg = tmp_path / "c.train.yaml"
    cfg.write_text("name: x\ndata:\n  - path: a.jsonl\n  - path: here/b.jsonl\n")
    with pytest.raises(TrainingError) as err:
        load_train_config(cfg)
    assert "2 data entries are not there (paths in a config are read relative to" in str(err.value)
    assert "data[0] a.jsonl, data[1] b.jsonl." in str(err.value)


def test_one_missing_entry_is_said_as_before(tmp_path: Path) -> None:
    cfg = tmp_path / "c.train.yaml"
    cfg.write_text("name: x\ndata:\n  - path: a.jsonl\n")
    with pytest.raises(TrainingError, match=r"data\[0\].path 'a.jsonl' is read relative"):
        load_train_config(cfg)


def _bracketed(tmp_path: Path) -> Path:
    """A folder named like a copy (``data [v2]``): read as a glob pattern, ``[v2]`` is one
    of the letters v, 2, and matched nothing (break7 L12)."""
    folder = tmp_path / "data [v2]"
    folder.mkdir()
    for name in ("a.jsonl", "b.jsonl"):
        (folder / name).write_text('{"text": "hello", "labels": ["none"]}\n')
    return folder


def test_existing_paths_with_brackets_are_there(tmp_path: Path) -> None:
    folder = _bracketed(tmp_path)
    cfg = tmp_path / "t.train.yaml"
    cfg.write_text('name: x\ndata:\n  - path: "data [v2]/a.jsonl"\n  - path: "data [v2]/b.jsonl"\n')
    assert [d.path for d in load_train_config(cfg).data] == [
        str(folder / "a.jsonl"),
        str(folder / "b.jsonl"),
    ]
    one = tmp_path / "one.train.yaml"
    one.write_text(f'name: x\ndata:\n  - path: "{folder / "a.jsonl"}"\n')
    assert load_train_config(one).data[0].path == str(folder / "a.jsonl")  # was: "did you
    # mean '.../data [v2]/a.jsonl'", the very path given


def test_data_root_finds_the_public_sets_elsewhere(tmp_path: Path) -> None:
    """retrain56 finding 7: the sets in /work/shared/data, not ``../shared/data`` beside
    the checkout: `train --data-root DIR` finds them, as `verify MODEL --data-root` does."""
    models = tmp_path / "checkout" / "models"
    models.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "models" / "default.train.yaml", models)
    shutil.copytree(PROJECT_ROOT / "models" / "mappings", models / "mappings")
    shutil.copytree(PROJECT_ROOT / "data" / "project", tmp_path / "checkout" / "data" / "project")
    root = tmp_path / "elsewhere" / "sets"
    for name in (
        "implicit-hate/implicit_hate_v1_stg1_posts.tsv",
        "gab-hate-corpus/ghc_train.tsv",
        "gab-hate-corpus/ghc_test.tsv",
        "hatemoji-build/a.csv",
        "crowdcounter/T1.json",
        "crisislex-t26/e1/e1-tweets_labeled.csv",
        "stormfront-vicomtech/stormfront_sentences.csv",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n")
    with pytest.raises(TrainingError) as err:
        load_train_config(models / "default.train.yaml")
    assert "`annotate train --data-root DIR`" in err.value.fix
    cfg = load_train_config(models / "default.train.yaml", data_root=root)
    paths = [d.path for d in cfg.data]
    assert str(root / "implicit-hate" / "implicit_hate_v1_stg1_posts.tsv") in paths
    assert str(root / "crisislex-t26" / "*" / "*-tweets_labeled.csv") in paths
    # the mappings and the project tables beside the config are read there, as before
    assert str(models / "mappings" / "implicit-hate.yaml") in [d.mapping for d in cfg.data]
    assert str(tmp_path / "checkout" / "data" / "project" / "harmful.jsonl") in paths
    # the config's own path is kept as it was written (the training record's `given`)
    assert cfg.data[0].given == "../../shared/data/implicit-hate/implicit_hate_v1_stg1_posts.tsv"
