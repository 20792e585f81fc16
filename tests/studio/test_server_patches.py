"""The local server's patch of Label Studio (annotate/studio/server_patches): project
deletions one at a time, and a warning, not a failed start, where Label Studio has no
``temporary_disconnect_all_signals`` class (another version). Run in the server's own
venv (it has Django), on stand-in modules of Label Studio's."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from annotate.studio.connection import studio_paths
from annotate.studio.server_patches import PATCHES_DIR

# the venv `annotate studio start` in the checkout uses: $ANNOTATE_STUDIO_VENV, the
# checkout's own older install, else the user's shared one (CI 59b skipped these tests
# when they looked only in the checkout's .annotate/studio/venv)
VENV_PY = (
    studio_paths(Path(__file__).resolve().parents[2] / ".annotate" / "studio").venv
    / "bin"
    / "python"
)

PRELUDE = """
import logging, sys, threading, time, types
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
core = types.ModuleType("core.utils.common")
sys.modules["core"] = types.ModuleType("core")
sys.modules["core.utils"] = types.ModuleType("core.utils")
sys.modules["core.utils.common"] = core
"""


def run(code: str) -> subprocess.CompletedProcess[str]:
    python = VENV_PY if VENV_PY.exists() else None
    if python is None:
        pytest.skip(f"no Label Studio venv at {VENV_PY.parent.parent}")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(PATCHES_DIR)}
    return subprocess.run(
        [str(python), "-c", PRELUDE + code], env=env, capture_output=True, text=True, timeout=120
    )


def test_deletions_inside_the_context_manager_take_turns() -> None:
    code = """
class temporary_disconnect_all_signals:
    inside = 0
    most = 0
    def __enter__(self):
        type(self).inside += 1
        type(self).most = max(type(self).most, type(self).inside)
        time.sleep(0.05)
    def __exit__(self, *exc):
        type(self).inside -= 1
core.temporary_disconnect_all_signals = temporary_disconnect_all_signals
import annotate_studio_signals
assert annotate_studio_signals.patch() == 1
def delete():
    with temporary_disconnect_all_signals():
        pass
threads = [threading.Thread(target=delete) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print("most", temporary_disconnect_all_signals.most)
"""
    done = run(code)
    assert done.returncode == 0, done.stderr
    assert "most 1" in done.stdout


def test_a_label_studio_without_the_class_gets_a_warning_and_runs_unpatched() -> None:
    done = run("import annotate_studio_signals\nprint('patched', annotate_studio_signals.patch())")
    assert done.returncode == 0, done.stderr
    assert "patched 0" in done.stdout
    assert "no temporary_disconnect_all_signals class to patch" in done.stderr
