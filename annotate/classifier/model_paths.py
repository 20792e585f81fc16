"""Model directories near a ``--model`` path that does not exist: the one a typo meant."""

from __future__ import annotations

import difflib
from pathlib import Path

MODEL_FILES = ("annotate_model.json", "config.json")  # what makes a folder a model directory


def close_model_dirs(ref: str, *, limit: int = 3) -> list[str]:
    """Model directories whose names are close to the last part of ``ref`` (a path that
    names no folder), among the folders where it points (``models/defualt``: those in
    ``models/``), spelled with ``ref``'s own folder part; best first, at most ``limit``.
    Empty when that folder does not exist or holds no model directory close by name
    (difflib ratio 0.6 or more)."""
    given = ref.rstrip("/")
    path = Path(given).expanduser()
    try:
        names = [
            p.name
            for p in path.parent.iterdir()
            if p.is_dir() and any((p / f).is_file() for f in MODEL_FILES)
        ]
    except OSError:  # no such folder, or not readable
        return []
    close = difflib.get_close_matches(path.name, sorted(names), n=limit, cutoff=0.6)
    folder = given.rsplit("/", 1)[0] + "/" if "/" in given else ""
    return [f"{folder}{name}" for name in close]


def did_you_mean(ref: str) -> str:
    """``"did you mean 'models/default' (a model directory)? Otherwise "`` for
    :func:`close_model_dirs` of ``ref``, else ``""``: the start of an error's fix."""
    close = close_model_dirs(ref)
    if not close:
        return ""
    what = "a model directory" if len(close) == 1 else "model directories"
    return f"did you mean {' or '.join(map(repr, close))} ({what})? Otherwise "
