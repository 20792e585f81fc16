"""An output kept apart from the inputs a command reads (the same file however it is
typed: a relative path, a symlink, a hard link)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def same_path(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file or folder: equal once made absolute with
    symlinks followed, or (both existing) one file through a hard link or a
    case-insensitive file system."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): not the same
        return False


def require_out_apart(
    out: Path,
    inputs: Iterable[tuple[str, Path]],
    *,
    consequence: str,
    example: str,
    folder: bool = False,
) -> None:
    """InputError before any work when ``out`` is one of ``inputs`` (``(how the command
    line names it, path)``, e.g. ``("--data", Path("a.parquet"))``) or, for an output
    ``folder`` replaced whole, when an input lies inside it (it would be deleted) or it
    lies inside an input folder (it would change what that folder holds).

    ``consequence``: what writing the output there would do, for the message ("the
    pre-labels would replace the passages they are scored from"); ``example``: another
    ``--out`` to suggest."""
    from annotate.errors import InputError

    target = out.resolve()
    for named, path in inputs:
        if same_path(path, out):
            raise InputError(
                f"--out {out} is also {named} {path}; expected an output apart from the "
                f"inputs ({consequence}).",
                fix=f"pass another --out, e.g. --out {example}.",
            )
        if folder and path.is_dir() and path.resolve() in target.parents:
            raise InputError(
                f"--out {out} is inside {named} {path}; expected the output folder outside "
                "the folders the command reads (files written into an exported corpus "
                "fail its `annotate verify`; in a data folder they would be read as data "
                "the next time).",
                fix=f"pass an --out outside {path}, e.g. --out {example}.",
            )
        if folder and target in path.resolve().parents:
            raise InputError(
                f"{named} {path} is inside --out {out}; expected inputs outside the output "
                "folder (it is replaced whole, so the input would be deleted).",
                fix=f"move {path.name} out of {out}, or pass another --out, e.g. --out {example}.",
            )


def refuse_replacing(out: Path, *, what: str, example: str, kept: str = "") -> None:
    """InputError before any work when the output file ``out`` exists: ``ingest`` and
    ``prelabel`` replaced one without a word (a passages file a later ``--previous`` or
    ``verify --sources`` relies on too), while ``export`` refused without ``--overwrite``.
    The message names what is there (its rows, for Parquet, and when it was written);
    ``what``: what the command would write ("the passages of this run"); ``example``:
    another ``--out`` to suggest; ``kept``: a sentence on what ``--overwrite`` also does
    (a pre-label run resuming from the passages kept beside it)."""
    from datetime import datetime

    from annotate.errors import InputError
    from annotate.tables import row_count

    if not out.exists() and not out.is_symlink():
        return
    if out.is_dir():
        return  # no table to replace: what the writer says of a folder is said
    rows = row_count(out)
    held = f"{rows:,} row{'' if rows == 1 else 's'}, " if rows is not None else ""
    try:
        when = datetime.fromtimestamp(out.stat().st_mtime).astimezone()
        written = f"written {when:%Y-%m-%d %H:%M %Z}".rstrip()
    except OSError:  # a dangling symlink
        written = "a link to nothing"
    found = f"{held}{written}"
    raise InputError(
        f"--out {out} already exists ({found}); {what} would replace it.{kept}",
        fix=f"pass another --out, e.g. --out {example}, or add --overwrite to replace it.",
    )
