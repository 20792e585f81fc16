"""The "did you mean" of a path that does not exist: files and folders beside it whose
names are close (``corpuss/`` for ``corpus/``, ``passages.parquett``)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

CUTOFF = 0.75  # difflib ratio: "corpuss" ~ "corpus" 0.92, "data" ~ "docs" 0.5


def near_paths(path: Path, *, limit: int = 3) -> list[str]:
    """Names of files and folders in ``path``'s folder (which exists) close to its last
    part (case aside; hidden ones left out), spelled with ``path``'s own folder part, a
    folder's with a trailing ``/``; best first, at most ``limit``. Empty when the folder
    does not exist or cannot be listed, or holds no name close enough."""
    parent = path.parent
    try:
        names = [n for n in os.listdir(parent or ".") if not n.startswith(".")]
    except OSError:
        return []
    by_lower = {n.lower(): n for n in sorted(names)}
    close = difflib.get_close_matches(path.name.lower(), list(by_lower), n=limit, cutoff=CUTOFF)
    folder = "" if str(parent) == "." else f"{parent}/"
    out = []
    for low in close:
        name = by_lower[low]
        out.append(f"{folder}{name}{'/' if (parent / name).is_dir() else ''}")
    return out


def missing_path_fix(path: Path, fix: str = "check the path.") -> str:
    """The fix of a "no such file" error: ``did you mean 'corpus/'? Otherwise check the
    path.`` when :func:`near_paths` finds a name close to ``path``'s, else ``fix``."""
    near = near_paths(path)
    if not near:
        return fix
    return f"did you mean {' or '.join(map(repr, near))}? Otherwise {fix}"
