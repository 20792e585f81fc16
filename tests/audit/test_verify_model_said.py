"""`annotate verify MODEL_DIR` says what it found without training a model (the slow
tests/audit/test_verify_model.py trains one): an encoder-head model
(``annotate.encoder-head.v1``), whose version hashes its whole training record, so the
record is as good as the version check (a swapped record moved the version while the
summary still said "training record match"); a copy of models/default whose config no
longer validates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.settings import PROJECT_ROOT


def _model(out: Path) -> dict:
    import torch
    from safetensors.torch import save_file

    from annotate.classifier.encoder_head import files_version

    out.mkdir()
    save_file({"cat.w": torch.zeros(2, 2)}, str(out / "head.safetensors"))
    config = {
        "kind": "annotate.encoder-head.v1",
        "name": "eh",
        "encoder": "x",
        "labels": ["a"],
        "training": {"seed": 1, "data": []},
        "metrics": {},
        "created_at": "",
    }
    (out / "annotate_model.json").write_text(json.dumps(config, indent=2))
    (out / "model_card.md").write_text(f"# Model card: eh\n\n- version: `{files_version(out)}`\n")
    return config


def _verify(model: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    try:
        main(["verify", str(model)])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, " ".join(capsys.readouterr().err.split())


def test_a_swapped_record_of_an_encoder_head_model_is_not_said_to_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model"
    config = _model(model)
    code, said = _verify(model, capsys)
    assert code == 0 and "as its model card records; training record match;" in said, said

    config["training"]["seed"] = 2  # another run's record in its place
    (model / "annotate_model.json").write_text(json.dumps(config, indent=2))
    code, said = _verify(model, capsys)
    assert code == 1, said
    assert "version DIFFERS from its model card's" in said, said
    assert "training record match" not in said, said
    assert "training record not checked (hashed into the version, which does not match" in said


def test_an_edited_config_is_not_blamed_on_the_weights(tmp_path, capsys) -> None:
    """A model whose annotate_model.json no longer validates (here: its training_sha256
    edited to a number) has no version; the summary said a weights file was missing or
    unreadable (they are both there and fine) and counted "2 mismatchs"."""
    copy = tmp_path / "model"
    shutil.copytree(PROJECT_ROOT / "models" / "default", copy)
    config = json.loads((copy / "annotate_model.json").read_text(encoding="utf-8"))
    config["training_sha256"] = 5
    (copy / "annotate_model.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    code, said = _verify(copy, capsys)
    assert code == 1, said
    assert "training_sha256: Input should be a valid string" in said, said
    assert "version not computed (annotate_model.json is not a valid model config;" in said
    assert "weights file" not in said, said
    assert "(2 mismatches, listed above)" in said, said
