"""Private temporary folders of a run (a push's spool of task text, ingest's databases).

A run killed outright (``kill -9``, an out-of-memory kill) cannot remove its folder, and
it holds the passages' text: each such run left one in the temporary directory for good.
Each folder names its process (``annotate-KIND-PID-XXXXXXXX``), and the next run of the
same kind removes the folders of processes that are gone.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

# the environment variable that sets DuckDB's memory for ingest's and push's scratch
# databases instead of their own caps (16 MB / 64 MB): the fix the CLI names when DuckDB
# runs out of memory
MEMORY_ENV = "ANNOTATE_DUCKDB_MEMORY"
_SIZE = re.compile(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*", re.IGNORECASE)


def memory_limit(default: str) -> str:
    """DuckDB's memory limit: ``$ANNOTATE_DUCKDB_MEMORY`` when set (e.g. ``1GB``), else
    ``default``. Raises InputError for a value DuckDB would not read as a size."""
    given = os.environ.get(MEMORY_ENV, "").strip()
    if not given:
        return default
    if not _SIZE.fullmatch(given):
        from annotate.errors import InputError

        raise InputError(
            f"{MEMORY_ENV}={given!r} is not a size; expected a number and a unit, e.g. 1GB.",
            fix=f"set it like `{MEMORY_ENV}=1GB`, or unset it.",
        )
    return given


def process_running(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def discard_stale(kind: str, base: Path | None = None) -> list[Path]:
    """Remove this user's ``annotate-KIND-PID-*`` folders whose process is gone; returns
    them. Folders of running processes, of other users and without a process id (made by
    an earlier version) stay."""
    base = Path(base or tempfile.gettempdir())
    pattern = re.compile(rf"annotate-{re.escape(kind)}-(\d+)-[A-Za-z0-9_]+")
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or process_running(int(match.group(1))):
            continue
        try:
            if not entry.is_dir() or entry.is_symlink() or entry.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
        log.warning(  # as a partial output's removal is said (annotate._util.atomic)
            "removed %s, the temporary folder of an interrupted %s run (process %s, no "
            "longer running)",
            entry,
            kind,
            match.group(1),
        )
    return removed


@contextmanager
def scratch_dir(kind: str) -> Iterator[str]:
    """A fresh private folder ``annotate-KIND-PID-*`` in the temporary directory, removed
    afterwards; the folders killed runs of this kind left are removed first."""
    discard_stale(kind)
    with tempfile.TemporaryDirectory(prefix=f"annotate-{kind}-{os.getpid()}-") as tmp:
        yield tmp
