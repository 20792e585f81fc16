"""`annotate train --out DIR --overwrite` replaced DIR whole: a user's NOTES.txt and
eval/r.md in the model folder were deleted, with only "no copy of it is kept" said (stop 46
new-user #5). As `export --overwrite` and `annotate report` do for a report folder, only the
files a model writes are replaced; the others stay and are named in a note. A previous
model's file the new one does not write (a weights file of another kind) still goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.training.model_folder import is_model_file, user_files
from tests.audit.cli_run import run_cli
from tests.audit.test_verify_model_reexported import _export
from tests.test_train_loop import _native_rows

# the data has no harmful passage (news, counter-speech, none): train anyway
NO_HARM = "--allow-no-harmful-passages"


def _train(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    return run_cli(["train", *args, NO_HARM], capsys)


def _notes(model: Path) -> None:
    (model / "NOTES.txt").write_text("checked by A. on 4 Dec\n")
    (model / "eval").mkdir()
    (model / "eval" / "r.md").write_text("# my evaluation\n")
    (model / "old.safetensors").write_bytes(b"stale weights of another kind")


def _kept(model: Path, err: str) -> None:
    said = " ".join(err.split())
    assert (model / "NOTES.txt").read_text() == "checked by A. on 4 Dec\n"
    assert (model / "eval" / "r.md").read_text() == "# my evaluation\n"
    assert not (model / "old.safetensors").exists()  # a model's name: replaced with it
    assert f"note: kept 2 file(s) in {model} that annotate did not write (NOTES.txt, " in said
    assert "eval/r.md); only the model's own files were replaced." in said, said


def test_model_names() -> None:
    for own in ("annotate_model.json", "model_card.md", "head.safetensors", "vocab.txt"):
        assert is_model_file(own), own
    for mine in ("NOTES.txt", "eval/r.md", "eval/model.safetensors", "README.md"):
        assert not is_model_file(mine), mine


def test_user_files_lists_what_no_model_wrote(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    _notes(tmp_path / "m")
    (tmp_path / "m" / "annotate_model.json").write_text("{}")
    (tmp_path / "m" / ".DS_Store").write_bytes(b"")
    assert user_files(tmp_path / "m") == ["NOTES.txt", "eval/r.md"]
    assert user_files(tmp_path / "absent") == []


@pytest.mark.slow  # trains a real (small) model twice
def test_overwrite_keeps_the_users_files_frozen(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "base.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    cfg = tmp_path / "small.train.yaml"
    cfg.write_text("name: small\ntrainer: frozen\ndata:\n  - path: data/base.jsonl\n")
    model = tmp_path / "models" / "m1"
    code, err = _train(["--config", str(cfg), "--out", str(model), "-q"], capsys)
    assert code == 0, err
    _notes(model)
    code, err = _train(["--config", str(cfg), "--out", str(model), "--overwrite"], capsys)
    assert code == 0, err
    _kept(model, err)
    assert (model / "annotate_model.json").is_file()


@pytest.mark.slow  # trains a real (small) model twice
def test_overwrite_keeps_the_users_files_encoder_head(tmp_path, taxonomy, monkeypatch, capsys):
    """The encoder-head trainer writes its folder apart (annotate.training.train)."""
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    _export(tmp_path / "corpus", taxonomy, "2026-12-01T10:00:00+00:00")
    cfg = tmp_path / "eh.train.yaml"
    cfg.write_text("name: eh\ntrainer: encoder-head\ndata:\n  - path: corpus\n")
    model = tmp_path / "models" / "m1"
    code, err = _train(["--config", str(cfg), "--out", str(model), "-q"], capsys)
    assert code == 0, err
    assert json.loads((model / "annotate_model.json").read_text())["kind"].endswith("head.v1")
    _notes(model)
    code, err = _train(["--config", str(cfg), "--out", str(model), "--overwrite"], capsys)
    assert code == 0, err
    _kept(model, err)
    assert (model / "head.safetensors").is_file()
