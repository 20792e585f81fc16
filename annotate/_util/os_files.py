"""Files an operating system leaves in a folder it shows or copies (macOS Finder's
``.DS_Store`` and ``._*`` AppleDouble files, the ``__MACOSX/`` folder of a zip made on a Mac,
Windows Explorer's ``Thumbs.db``, ``ehthumbs.db`` and ``desktop.ini``): never part of what
annotate writes, so readers of an export folder pass over them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePath

# compared without case: Windows writes Thumbs.db and desktop.ini in either case
OS_FILE_NAMES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini"})
OS_FOLDERS = frozenset({"__MACOSX"})
APPLEDOUBLE_PREFIX = "._"  # macOS's resource fork of FILE, written as ._FILE off HFS/APFS


def is_os_file(rel: str | PurePath) -> bool:
    """Whether ``rel`` (a path relative to the folder read) is OS litter (see above)."""
    path = PurePath(rel)
    return (
        path.name.lower() in OS_FILE_NAMES
        or path.name.startswith(APPLEDOUBLE_PREFIX)
        or any(part in OS_FOLDERS for part in path.parts[:-1])
    )


def without_os_files(paths: Iterable[Path]) -> list[Path]:
    """``paths`` (e.g. a folder's ``glob``) in order, OS litter left out."""
    return [p for p in paths if not is_os_file(p.name)]
