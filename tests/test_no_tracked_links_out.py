"""No symbolic link the repository tracks points outside it.

A helper's worktree links ``.venv`` to the main checkout's virtual environment; stop 60
committed that link (``.gitignore``'s ``.venv/`` matched only a folder, not a link), and
merging it replaced the main checkout's venv with a link to itself (git treats ignored
files as expendable). A fresh clone would get a dangling ``.venv`` and ``make setup``
would try to build the venv through it. ``.gitignore`` now names ``.venv`` without the
slash; this test fails on any tracked link that is absolute or climbs out of the tree.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import PurePosixPath

import pytest

from tests.conftest import ROOT


def _tracked_links() -> list[tuple[str, str]]:
    """(path, target) of every tracked symbolic link (mode 120000), targets from the index."""
    out = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    links = []
    for line in out.splitlines():
        meta, path = line.split("\t", 1)
        mode, blob, _stage = meta.split()
        if mode == "120000":
            target = subprocess.run(
                ["git", "cat-file", "blob", blob],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            links.append((path, target))
    return links


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
def test_no_tracked_link_points_outside_the_repository():
    outside = []
    for path, target in _tracked_links():
        joined = PurePosixPath(path).parent / target
        depth = 0
        for part in joined.parts:
            depth += -1 if part == ".." else (0 if part == "." else 1)
            if depth < 0:
                break
        if PurePosixPath(target).is_absolute() or depth < 0:
            outside.append(f"{path} -> {target}")
    assert not outside, f"tracked links out of the repository: {outside}"
