"""A path as a message shows it: relative to the working directory when under it, else
absolute. A path relative to the checkout (``../../../tmp/x/corpus``, as a model records
its data) means nothing to a user running annotate from elsewhere."""

from __future__ import annotations

import os
from pathlib import Path


def shown(path: str | os.PathLike[str]) -> str:
    """``path`` (absolute, or relative to the working directory) normalised: relative to
    the working directory when it lies under it (``corpus``, ``data/x.csv``), else
    absolute (``/tmp/x/corpus``); never with ``..``."""
    full = Path(os.path.normpath(Path(path).absolute()))
    here = Path.cwd()
    if full == here:
        return "."
    if full.is_relative_to(here):
        return full.relative_to(here).as_posix()
    return str(full)
