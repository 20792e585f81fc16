"""File digests."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks (:func:`hashlib.file_digest`).

    Raises :class:`OSError` when the file cannot be read."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
