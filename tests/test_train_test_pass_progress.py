"""`annotate train`'s last long pass, the model card's test tables (the model saved
predicts the test split as `annotate evaluate` does: every test passage embedded again),
showed no progress: the "texts encoded" stage had ended, and the run sat silent for as
long as an evaluate of the test split takes. The row trainers (``frozen``, ``finetune``)
now give that pass a stage of its own, ``train (test passages scored)``, with its total;
``-q`` shows none."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import annotate.classifier.encoder as encoder_module
import annotate.training
from annotate._util.progress import stage
from annotate.cli import app
from annotate.cli.progress_lines import INTERVAL_ENV
from annotate.errors import TrainingError
from tests.test_train_progress_total import _Encoder
from tests.test_train_test_pass_once import _config


class _Stage:
    """A progress callable that records what it is told."""

    def __init__(self, desc: str, unit: str, total: int | None) -> None:
        self.desc, self.unit, self.total = desc, unit, total
        self.n = 0
        self.closed = False

    def __call__(self, n: int) -> None:
        assert not self.closed, "counted after its stage was closed"
        self.n += n

    def close(self) -> None:
        self.closed = True


def test_the_card_test_pass_has_a_stage_with_its_total(
    tmp_path: Path, taxonomy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.training import train

    monkeypatch.setattr(encoder_module, "Encoder", _Encoder)
    stages: list[_Stage] = []

    def scoring(desc: str, *, unit: str, total: int | None = None) -> _Stage:
        stages.append(_Stage(desc, unit, total))
        return stages[-1]

    cfg, _ = _config(tmp_path)
    result = train(
        cfg,
        tmp_path / "model",
        taxonomy,
        cache_dir=tmp_path / "cache",
        scoring=scoring,
        allow_no_harmful=True,  # news, counter-speech and none only
    )
    test_n = result.metrics["test"]["n"]
    assert [(s.desc, s.unit, s.total) for s in stages] == [
        ("train (test passages scored)", "passage", test_n)
    ]
    assert stages[0].n == test_n and stages[0].closed


def _fake_train(cfg: Any, out: Any, tax: Any, *, scoring: Any = None, **_: Any) -> None:
    """A train whose test pass scores 3 passages, then stops."""
    progress = stage(scoring, "train (test passages scored)", unit="passage", total=3)
    for _ in range(3):
        time.sleep(0.02)
        if progress is not None:
            progress(1)
    raise TrainingError("stopped here by the test.", fix="none.")


@pytest.mark.parametrize("quiet", [False, True])
def test_the_cli_shows_the_test_pass(
    quiet: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(annotate.training, "train", _fake_train)
    monkeypatch.setenv(INTERVAL_ENV, "0.01")
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "x", "labels": []}\n')
    args = ["train", "--data", str(data), "--out", str(tmp_path / "m"), *(["-q"] * quiet)]
    result = CliRunner().invoke(app, args)
    assert "stopped here by the test" in result.output, result.output
    lines = [x for x in result.output.splitlines() if x.startswith("train (test passages")]
    if quiet:
        assert lines == [], result.output
    else:
        assert lines, result.output
        assert lines[-1].startswith("train (test passages scored): 3 passages done in "), lines
