"""File digests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path


def sha256_file(
    path: Path, *, progress: Callable[[int], None] | None = None, unit: int = 1_000_000
) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks (:func:`hashlib.file_digest`).

    ``progress``: called with 1 per ``unit`` bytes read (the last, shorter chunk counts 1
    too), for a progress bar over large files (annotate._util.progress).

    Raises :class:`OSError` when the file cannot be read."""
    with path.open("rb") as fh:
        if progress is None:
            return hashlib.file_digest(fh, "sha256").hexdigest()
        h = hashlib.sha256()
        while chunk := fh.read(unit):
            h.update(chunk)
            progress(1)
        return h.hexdigest()
