"""`annotate verify MODEL_DIR` on an encoder-head model (``annotate.encoder-head.v1``),
whose version hashes its whole training record: the training record is as good as the
version check. A swapped record moved the version (a mismatch) while the summary still
said "training record match". A tiny model of that kind: its head file and config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.cli import main


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
