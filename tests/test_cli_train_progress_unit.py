"""`annotate train`'s progress counts texts the encoder reads (every split, span segments,
derived examples; a fine-tune's every epoch), not passages: its lines read "train: 32
passages" and then "115 passages done" for a data set of 32, which looked wrong. They
now say what they count."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import annotate.training
from annotate.cli import app
from annotate.cli.progress_lines import INTERVAL_ENV
from annotate.errors import TrainingError


def test_the_train_progress_lines_count_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_train(cfg: Any, out: Any, tax: Any, *, progress: Any = None, **_: Any) -> None:
        time.sleep(0.05)
        progress(32)
        time.sleep(0.05)
        progress(83)
        raise TrainingError("stopped here by the test.", fix="none.")

    monkeypatch.setattr(annotate.training, "train", fake_train)
    monkeypatch.setenv(INTERVAL_ENV, "0.01")
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "x", "labels": []}\n')
    result = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(tmp_path / "m")])
    lines = [x for x in result.output.splitlines() if x.startswith("train")]
    assert lines, result.output
    assert all("passage" not in x and " texts" in x for x in lines), lines
    assert lines[-1].startswith("train (texts encoded): stopped after"), lines
    assert lines[-1].endswith("(115 texts done)"), lines
