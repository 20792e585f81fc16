"""A training config copied from models/default.train.yaml keeps `name: default`, so the
retrained model was versioned `default@<hash>` like the shipped one (Label Studio's model
version and the exports' credit told them apart only by the hash), while `--help` said the
name defaults to the --out folder. `train` now warns before training and names the fix."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.cli.train import shipped_name_clash
from tests.test_cli import run


def test_the_shipped_name_on_another_folder_is_a_warning(tmp_path: Path):
    out = tmp_path / "models" / "v2"
    assert "--name v2" in shipped_name_clash(DEFAULT_MODEL_DIR.name, out)
    assert shipped_name_clash(DEFAULT_MODEL_DIR.name, DEFAULT_MODEL_DIR) == ""  # make model
    assert shipped_name_clash("v2", out) == ""


def test_a_config_named_default_trained_elsewhere_is_named_after_out(tmp_path: Path, monkeypatch):
    """The README's retrain recipe (`--config models/default.train.yaml --data corpus
    --out models/passj-1`) trained a model named `default` with a warning (passJ M5):
    it is named after --out now, with a note, unless --name says otherwise."""
    cfg = tmp_path / "my.train.yaml"
    cfg.write_text("name: default\n", encoding="utf-8")
    seen: list[str] = []

    def fake_train(cfg, out, tax, progress=None, replace=True, scoring=None, **_):
        seen.append(cfg.name)
        return SimpleNamespace(metrics={}, version=f"{cfg.name}@0", seconds=0.0, kept=[])

    monkeypatch.setattr("annotate.training.train", fake_train)
    ran = run("train", "--config", str(cfg), "--out", str(tmp_path / "v2"))
    assert ran.returncode == 0, ran.stderr
    assert "note: the model is named 'v2' after its --out folder" in ran.stderr
    assert "`name: default` is the shipped model's" in ran.stderr
    assert "warning: the model is named" not in ran.stderr
    # -q keeps the result, which names the model, and drops the note (a note asks nothing)
    ran = run("train", "--config", str(cfg), "--out", str(tmp_path / "v2"), "-q")
    assert ran.returncode == 0, ran.stderr
    assert "trained v2@0 -> " in ran.stderr and "note:" not in ran.stderr, ran.stderr
    ran = run("train", "--config", str(cfg), "--out", str(tmp_path / "v2"), "--name", "v3", "-q")
    assert "the model is named" not in ran.stderr
    # a folder named like the shipped one (make model-check's TMP/default) keeps the
    # config's name, with the warning
    ran = run("train", "--config", str(cfg), "--out", str(tmp_path / "default"), "-q")
    assert "warning: the model is named 'default' by the config's `name:`" in ran.stderr
    assert seen == ["v2", "v2", "v3", "default"]


def test_an_out_folder_named_default_elsewhere_is_a_warning(tmp_path: Path, monkeypatch):
    """`annotate train --data corpus --out models/default` in a folder of one's own (a
    user who meant to replace the default model) named the model `default@<hash>` like
    the shipped one, which prelabel without --model still used, without a word."""
    seen: list[str] = []

    def fake_train(cfg, out, tax, progress=None, replace=True, scoring=None, **_):
        seen.append(cfg.name)
        return SimpleNamespace(metrics={}, version=f"{cfg.name}@0", seconds=0.0, kept=[])

    monkeypatch.setattr("annotate.training.train", fake_train)
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "a", "labels": ["none"]}\n', encoding="utf-8")
    out = tmp_path / "models" / DEFAULT_MODEL_DIR.name
    ran = run("train", "--data", str(data), "--out", str(out), "-q")
    assert ran.returncode == 0, ran.stderr
    assert f"warning: the model is named {DEFAULT_MODEL_DIR.name!r} after its --out" in ran.stderr
    assert "this run does not replace it" in ran.stderr and "--name NAME" in ran.stderr
    ran = run("train", "--data", str(data), "--out", str(out), "--name", "b1", "-q")
    assert "warning: the model is named" not in ran.stderr and seen == ["default", "b1"]


def test_a_config_named_default_into_a_folder_named_default_names_another_name(
    tmp_path: Path,
) -> None:
    """`make model-check` trains models/default.train.yaml into a temporary `default`
    folder; the warning's fix read "pass --name default (or edit `name:`) to tell them
    apart": the name it warns of."""
    out = tmp_path / DEFAULT_MODEL_DIR.name
    said = shipped_name_clash(DEFAULT_MODEL_DIR.name, out)
    assert f"--name {DEFAULT_MODEL_DIR.name} " not in said, said
    assert "pass --name NAME (e.g. --name batch-2026-12)" in said, said
