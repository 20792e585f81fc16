"""Whether a path is an ``annotate export`` folder, or lies inside one: file checks only,
so `annotate verify` and `annotate report` tell "not an exported corpus" at once (they
imported the training package for it, torch with it: 12 s at load ~10 before the one-line
error, newuser63 #14)."""

from __future__ import annotations

from os.path import relpath
from pathlib import Path


def is_export_dir(path: Path) -> bool:
    """An ``annotate export`` output: ``manifest.json`` + ``hf/`` (or ``jsonl/``)."""
    return path.is_dir() and (
        (path / "hf" / "dataset_dict.json").is_file()
        or (path / "dataset_dict.json").is_file()
        or (path / "manifest.json").is_file()
    )


def export_holding(path: Path) -> Path | None:
    """The ``annotate export`` folder ``path`` lies inside (one of its split files, or
    its ``jsonl/``, ``parquet/`` or ``hf/`` folder), or None."""
    for depth, up in enumerate(path.resolve().parents[:2]):
        if (up / "manifest.json").is_file() and is_export_dir(up):
            # named as given (corpus/parquet/x.parquet -> corpus) where the path has it
            return path.parents[depth] if len(path.parts) > depth + 1 else Path(relpath(up))
    return None
