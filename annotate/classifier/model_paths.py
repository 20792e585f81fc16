"""Model directories near a ``--model`` path that does not exist: the one a typo meant."""

from __future__ import annotations

import difflib
from pathlib import Path

MODEL_FILES = ("annotate_model.json", "config.json")  # what makes a folder a model directory


def model_dirs_in(folder: Path) -> list[str]:
    """Names of the model directories directly in ``folder`` (a folder holding one of
    :data:`MODEL_FILES`), sorted; empty when it does not exist or is not readable."""
    try:
        return sorted(
            p.name
            for p in folder.iterdir()
            if p.is_dir() and any((p / f).is_file() for f in MODEL_FILES)
        )
    except OSError:  # no such folder, or not readable
        return []


def is_local_path(ref: str) -> bool:
    """Whether ``ref`` (a --model value that names no existing folder) is meant as a local
    path, not a Hugging Face hub id: it starts with ``./``, ``../``, ``/`` or ``~``, or its
    first part exists here (``runs/nomodel`` beside a ``runs`` folder)."""
    if ref.startswith(("./", "../", "/", "~")) or ref in (".", ".."):
        return True
    first = ref.split("/", 1)[0]
    return "/" in ref and bool(first) and Path(first).exists()


def missing_dir_fix(ref: str, *, limit: int = 8) -> str:
    """The fix of an error for ``ref``, a local model path that does not exist: the model
    directories close by name (:func:`did_you_mean`), else those in its parent folder
    (at most ``limit``, spelled as ``ref`` spells its folder), else that it holds none.
    Ends without a full stop; no hub download: a local path is no hub id."""
    close = did_you_mean(ref)
    if close:
        return f"{close}check the path, or train one with `annotate train --out DIR`"
    given = ref.rstrip("/")
    parent = Path(given).expanduser().parent
    folder = given.rsplit("/", 1)[0] + "/" if "/" in given else ""
    shown = folder or "the current folder"
    if not parent.is_dir():
        return f"{shown} does not exist either: check the path"
    names = model_dirs_in(parent)
    if not names:
        return (
            f"{shown} holds no model directory (a folder with {' or '.join(MODEL_FILES)}): "
            "check the path, or train one with `annotate train --out DIR`"
        )
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    listed = ", ".join(f"{folder}{n}" for n in names[:limit])
    return f"pass one of the model directories in {shown}: {listed}{more}"


def close_model_dirs(ref: str, *, limit: int = 3) -> list[str]:
    """Model directories whose names are close to the last part of ``ref`` (a path that
    names no folder), among the folders where it points (``models/defualt``: those in
    ``models/``), spelled with ``ref``'s own folder part; best first, at most ``limit``.
    Empty when that folder does not exist or holds no model directory close by name
    (difflib ratio 0.6 or more)."""
    given = ref.rstrip("/")
    path = Path(given).expanduser()
    names = model_dirs_in(path.parent)
    close = difflib.get_close_matches(path.name, names, n=limit, cutoff=0.6)
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
