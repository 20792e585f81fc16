"""A library warning reads like the CLI's own lines: the CLI echoes ``warning: ...``, but
log records came out as ``WARNING annotate.training.sources: ...`` (logging.basicConfig's
format). annotate's records of level WARNING and above are now ``warning: ...``; at -vv
they keep their level and logger name, and other libraries' records keep theirs."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.cli.console_log import ConsoleFormatter
from annotate.settings import PROJECT_ROOT


def _record(name: str, level: int, msg: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, None, None)


@pytest.mark.parametrize(
    ("name", "level", "named", "shown"),
    [
        ("annotate.training.sources", logging.WARNING, False, "warning: x is odd"),
        ("annotate", logging.ERROR, False, "error: x is odd"),
        ("annotate.studio.push", logging.INFO, False, "INFO annotate.studio.push: x is odd"),
        ("annotated_elsewhere", logging.WARNING, False, "WARNING annotated_elsewhere: x is odd"),
        ("py.warnings", logging.WARNING, False, "WARNING py.warnings: x is odd"),
        # -vv: every record names its logger
        (
            "annotate.training.sources",
            logging.WARNING,
            True,
            "WARNING annotate.training.sources: x is odd",
        ),
    ],
)
def test_the_console_format(name: str, level: int, named: bool, shown: str) -> None:
    assert ConsoleFormatter(named=named).format(_record(name, level, "x is odd")) == shown


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`annotate ARGS` in a new process: the CLI sets up the console's logging itself
    (in-process, pytest's own log capture is the root logger's handler already)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "annotate", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_a_library_warning_prints_in_the_cli_style(tmp_path: Path) -> None:
    """A real command: `verify` of a model whose training.data holds a hand-edited entry
    (annotate.training.data_files logs a warning and skips it)."""
    model = tmp_path / "model"
    shutil.copytree(PROJECT_ROOT / "models" / "default", model)
    config = json.loads((model / "annotate_model.json").read_text(encoding="utf-8"))
    config["training"]["data"] = [{"kind": "native"}]  # no path: not a record
    (model / "annotate_model.json").write_text(json.dumps(config), encoding="utf-8")
    ran = _cli("verify", str(model))
    assert ran.returncode == 1, ran.stderr  # a mismatch too: its files cannot be checked
    assert "warning: training.data[0] is not a data source record" in ran.stderr, ran.stderr
    assert "WARNING annotate" not in ran.stderr
    debug = _cli("-vv", "verify", str(model))
    assert "WARNING annotate.training.data_files: training.data[0]" in debug.stderr, debug.stderr
