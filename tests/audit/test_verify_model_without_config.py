"""`annotate verify` on a model folder that lost its annotate_model.json (copied in part,
the file removed or renamed): it said "MODEL/manifest.json not found: MODEL is not an
exported corpus. Fix: pass the --out directory of `annotate export`", as if a corpus had
been meant (faults61). Now it names the model files it found and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.taxonomy import PROJECT_ROOT
from tests.audit.cli_run import run_cli


def test_a_model_folder_without_its_config_is_named_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "m"
    shutil.copytree(PROJECT_ROOT / "models" / "default", model)
    (model / "annotate_model.json").unlink()
    code, err = run_cli(["verify", str(model)], capsys)
    assert code == 1 and "Traceback" not in err, err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert "holds a model's files (model_card.md, linear.safetensors)" in line, line
    assert "no annotate_model.json" in line and "not an exported corpus" not in line
    assert "copy the whole model folder again" in line
