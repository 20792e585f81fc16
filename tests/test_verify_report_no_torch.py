"""newuser63 #14: `annotate verify` and `annotate report` on a folder that is no export
took 12-16 s (load ~10) to print a one-line error, and every `annotate verify` of an
export paid the same: verify imported the model checks (annotate.audit.model_verify),
and both looked for the export a folder lies inside through annotate.training.sources;
each imports the training package, torch with it. Neither needs torch for an export."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path) -> str:
    """``annotate ARGS`` in a fresh interpreter: its output, then whether torch was
    imported and the exit code."""
    code = (
        "import sys\n"
        "from annotate.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as e:\n"
        "    rc = e.code\n"
        "print('torch', 'torch' in sys.modules, 'rc', rc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("command", ["verify", "report"])
def test_a_folder_that_is_no_export_is_refused_without_torch(tmp_path: Path, command: str) -> None:
    docs = tmp_path / "corpus"
    docs.mkdir()
    (docs / "news.txt").write_text("A council received a threatening letter.\n")
    said = _run([command, str(docs)], tmp_path)
    assert "is not an exported corpus" in said, said
    assert "torch False rc 1" in said, said


def test_a_folder_inside_an_export_is_refused_without_torch(tmp_path: Path) -> None:
    export = tmp_path / "audit"
    (export / "parquet").mkdir(parents=True)
    (export / "manifest.json").write_text("{}\n")
    said = _run(["verify", str(export / "parquet")], tmp_path)
    assert "is a folder inside the exported corpus" in said, said
    assert "torch False rc 1" in said, said
