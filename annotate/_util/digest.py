"""File digests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path


def sha256_file(
    path: Path, *, progress: Callable[[int], None] | None = None, unit: int = 1_000_000
) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks (:func:`hashlib.file_digest` where
    there is one: Python 3.11+).

    ``progress``: called with 1 per ``unit`` bytes read (the last, shorter chunk counts 1
    too), for a progress bar over large files (annotate._util.progress).

    Raises :class:`OSError` when the file cannot be read."""
    with path.open("rb") as fh:
        if progress is None and hasattr(hashlib, "file_digest"):  # Python 3.11+
            return hashlib.file_digest(fh, "sha256").hexdigest()
        h = hashlib.sha256()
        while chunk := fh.read(unit):
            h.update(chunk)
            if progress is not None:
                progress(1)
        return h.hexdigest()
