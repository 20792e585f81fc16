"""Training into a previous model's folder replaced it whole and kept no copy, saying so
only afterwards in a note (stop 45): an ML engineer who retrained into models/batch-1 to
compare lost batch-1@e2ba0f6e4db0 (the version prelabels and exports credited). A folder
that holds a trained model is now refused before any work unless --overwrite says so (as
Hugging Face's run scripts refuse a non-empty output_dir without --overwrite_output_dir);
with it, the model is replaced and the command names the version it replaced."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from tests.test_cli import _error_line, run


def _fake(monkeypatch, version: str) -> list[Path]:
    trained: list[Path] = []

    def fake_train(cfg, out, tax, progress=None, replace=True, scoring=None, **_):
        trained.append(out)
        return SimpleNamespace(metrics={}, version=version, seconds=0.0, kept=[])

    monkeypatch.setattr("annotate.training.train", fake_train)
    return trained


def _model(tmp_path: Path, version: str = "batch-1@aaa") -> tuple[Path, Path]:
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "a", "labels": ["none"]}\n', encoding="utf-8")
    out = tmp_path / "models" / "batch-1"
    out.mkdir(parents=True)
    (out / "annotate_model.json").write_text("{}", encoding="utf-8")
    (out / "model_card.md").write_text(f"# Model card\n\n- version: `{version}`\n", "utf-8")
    return data, out


def test_a_trained_model_is_not_replaced_without_overwrite(tmp_path: Path, monkeypatch):
    data, out = _model(tmp_path)
    trained = _fake(monkeypatch, "batch-1@bbb")
    line = " ".join(_error_line(run("train", "--data", str(data), "--out", str(out))).split())
    assert not trained  # refused before any work
    assert f"--out {out} holds the trained model batch-1@aaa" in line
    assert "expected a new or empty folder" in line
    assert f"--out {out.parent / 'batch-1-2'}" in line and "--overwrite" in line
    assert (out / "model_card.md").read_text(encoding="utf-8").endswith("`batch-1@aaa`\n")


def test_overwrite_replaces_it_and_names_the_version_it_replaced(tmp_path: Path, monkeypatch):
    data, out = _model(tmp_path)
    _fake(monkeypatch, "batch-1@bbb")
    ran = run("train", "--data", str(data), "--out", str(out), "--overwrite", "-q")
    assert ran.returncode == 0, ran.stderr
    assert (
        f"note: {out} held batch-1@aaa, which this model replaced (--overwrite); no copy"
        in ran.stderr
    )
    _fake(monkeypatch, "batch-1@aaa")
    ran = run("train", "--data", str(data), "--out", str(out), "--overwrite", "-q")
    assert "the same version: nothing changed" in ran.stderr


def test_a_new_or_empty_folder_needs_no_overwrite(tmp_path: Path, monkeypatch):
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "a", "labels": ["none"]}\n', encoding="utf-8")
    _fake(monkeypatch, "new@1")
    ran = run("train", "--data", str(data), "--out", str(tmp_path / "new"), "-q")
    assert ran.returncode == 0, ran.stderr
    assert "note:" not in ran.stderr
    (tmp_path / "empty").mkdir()
    ran = run("train", "--data", str(data), "--out", str(tmp_path / "empty"), "-q")
    assert ran.returncode == 0, ran.stderr


def test_make_models_flag_replaces_the_default_model_only(tmp_path: Path, monkeypatch):
    """`make model` passes --replace-default-model (no --overwrite): that is the ask to
    replace models/default; it lets no other model folder be replaced."""
    from annotate.classifier import DEFAULT_MODEL_DIR

    data, out = _model(tmp_path)
    trained = _fake(monkeypatch, "default@new")
    line = _error_line(
        run("train", "--data", str(data), "--out", str(out), "--replace-default-model")
    )
    assert "--overwrite" in line and not trained
    ran = run("train", "--data", str(data), "--out", str(DEFAULT_MODEL_DIR), "-q")
    assert ran.returncode == 1 and "--replace-default-model" in ran.stderr
    ran = run(
        "train", "--data", str(data), "--out", str(DEFAULT_MODEL_DIR), "--replace-default-model"
    )
    assert ran.returncode == 0, ran.stderr
    assert trained == [DEFAULT_MODEL_DIR]  # the fake wrote nothing: the folder is as shipped


def test_a_model_without_a_version_line_is_named_so(tmp_path: Path, monkeypatch):
    data, out = _model(tmp_path)
    (out / "model_card.md").write_text("# Model card\n", encoding="utf-8")
    _fake(monkeypatch, "batch-1@bbb")
    line = _error_line(run("train", "--data", str(data), "--out", str(out)))
    assert f"--out {out} holds a trained model of unknown version; training would" in line
