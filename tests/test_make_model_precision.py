"""`make model` and `make model-check` embed at the precision the committed default model
records (fp32), whatever the CPU: with `auto`, a CPU with native bf16 built another model
(AVX-512 EPYC, 4 Dec 2026: `default@0b61231a6f48`, coefficients up to 0.53 apart, against
`default@84e5e5b3b231`), and model-check reported that as the code's difference."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", ["model", "model-check"])
def test_make_model_embeds_at_the_committed_models_precision(target: str) -> None:
    recorded = json.loads((ROOT / "models" / "default" / "annotate_model.json").read_text())
    precision = recorded["training"]["precision"]
    # -n: print the commands only; -o setup: not the venv's install
    out = subprocess.run(
        ["make", "-n", "-o", "setup", "-o", ".venv/.installed", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (train,) = [line for line in out.splitlines() if "annotate train" in line]
    assert f"ANNOTATE_PRECISION={precision} " in train, train
