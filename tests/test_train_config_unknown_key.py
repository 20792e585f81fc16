"""A training config's unknown key gets a "did you mean", also when the key it is close
to lives in another section (``epocs`` at the top level or under ``frozen:``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.training.config import load_train_config


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("finetune:\n  epocs: 3\n", "did you mean 'epochs'?"),
        ("epocs: 3\n", "did you mean 'finetune.epochs' or 'head.epochs'?"),
        ("frozen:\n  epocs: 3\n", "did you mean 'finetune.epochs' or 'head.epochs'?"),
    ],
)
def test_unknown_key_suggests_the_close_key(tmp_path: Path, body: str, expected: str) -> None:
    cfg = tmp_path / "c.train.yaml"
    cfg.write_text("name: x\n" + body, encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        load_train_config(cfg)
    assert "unknown key" in str(err.value)
    assert err.value.fix.startswith(expected), err.value.fix


def test_unknown_key_far_from_every_key_gets_no_guess(tmp_path: Path) -> None:
    cfg = tmp_path / "c.train.yaml"
    cfg.write_text("name: x\nzzzz: 1\n", encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        load_train_config(cfg)
    assert "did you mean" not in err.value.fix
