"""The git revision annotate runs from, for the tool version manifests record
(``annotate 0.1.0 (git 1a2b3c4)``): two checkouts at the same package version can differ.

The revision is read from ``.git`` without running git (a worktree's ``.git`` file, a
branch ref loose or in ``packed-refs``, a detached HEAD); "dirty" (tracked files changed
since that commit) asks ``git status`` with a short timeout and is left out when git is
not there or too slow. Nothing here raises: an installed wheel, or a checkout that cannot
be read, has the package version alone.
"""

from __future__ import annotations

import logging
import re
import subprocess
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

SHORT = 7
STATUS_TIMEOUT_S = 3.0
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


def _git_dir(root: Path) -> Path | None:
    dot = root / ".git"
    if dot.is_dir():
        return dot
    if dot.is_file():  # a worktree or submodule: "gitdir: PATH"
        text = dot.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            path = Path(text[len("gitdir:") :].strip())
            return path if path.is_absolute() else (root / path).resolve()
    return None


def _common_dir(git_dir: Path) -> Path:
    """Where a worktree's refs live (its ``commondir``), else ``git_dir`` itself."""
    common = git_dir / "commondir"
    if common.is_file():
        path = Path(common.read_text(encoding="utf-8").strip())
        return path if path.is_absolute() else (git_dir / path).resolve()
    return git_dir


def _ref(git_dir: Path, ref: str) -> str | None:
    for base in dict.fromkeys((git_dir, _common_dir(git_dir))):
        loose = base / ref
        if loose.is_file():
            return loose.read_text(encoding="utf-8").strip()
        packed = base / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                sha, _, name = line.partition(" ")
                if name.strip() == ref:
                    return sha
    return None


def git_revision(root: Path) -> str | None:
    """The full commit id checked out at ``root``, or None (no checkout, unreadable)."""
    try:
        git_dir = _git_dir(root)
        if git_dir is None:
            return None
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        sha = _ref(git_dir, head[4:].strip()) if head.startswith("ref:") else head
    except (OSError, UnicodeDecodeError) as exc:
        log.debug("no git revision for %s: %s", root, exc)
        return None
    return sha if sha is not None and _SHA.match(sha) else None


def git_dirty(root: Path) -> bool | None:
    """Whether tracked files at ``root`` differ from the commit; None: unknown."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=STATUS_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("git status in %s: %s", root, exc)
        return None
    return bool(done.stdout.strip()) if done.returncode == 0 else None


def describe(version: str, root: Path | None) -> str:
    """``version``, with ``(git SHORT)`` or ``(git SHORT, dirty)`` when ``root`` is a
    readable git checkout."""
    sha = git_revision(root) if root is not None else None
    if sha is None:
        return version
    dirty = git_dirty(root) if root is not None else None
    return f"{version} (git {sha[:SHORT]}{', dirty' if dirty else ''})"


@lru_cache(maxsize=1)
def tool_version() -> str:
    """annotate's version as manifests record it: the package version, and the git
    revision when annotate runs from a source checkout."""
    import annotate
    from annotate.settings import PROJECT_ROOT, in_checkout

    return describe(annotate.__version__, PROJECT_ROOT if in_checkout() else None)


@lru_cache(maxsize=1)
def checkout_revision() -> str | None:
    """The git revision annotate runs from, as records keep it apart from the package
    version: ``git SHA`` (the full commit id) or ``git SHA, dirty``; None when annotate
    does not run from a readable checkout (an installed wheel)."""
    from annotate.settings import PROJECT_ROOT, in_checkout

    if not in_checkout():
        return None
    sha = git_revision(PROJECT_ROOT)
    if sha is None:
        return None
    return f"git {sha}{', dirty' if git_dirty(PROJECT_ROOT) else ''}"
