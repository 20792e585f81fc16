"""One push at a time per Label Studio project, across processes of this machine.

Label Studio has no per-project lock, so two `annotate push` runs of the same file could
both find a passage missing and both import it. :func:`project_lock` serialises them with
a file lock (``filelock``) keyed by server URL and project title; a second run waits for
the first and then finds everything already there. Runs on *other* machines are not
covered by a local lock: push re-checks the server after importing (see
:mod:`annotate.studio.push`).

The lock file (``push-<hash>.lock``, empty) exists while a push holds it and is
removed when it is released, as are the folder's other push lock files no process holds
(left by a push killed with SIGKILL, or by an older annotate, which kept every one): see
:mod:`annotate._util.lockfiles` for why that is safe. On Linux and macOS ``FileLock`` is
an advisory ``flock(2)`` on the open file: the kernel drops it when the holder's
descriptor closes, however the process ends, and the next push takes it at once
(``tests/studio/test_lock.py`` kills a holder to check). Deleting a lock file by hand
while a push runs would let a second push in.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import Timeout

from annotate import defaults
from annotate._util.lockfiles import acquire, release
from annotate._util.urls import masked
from annotate.errors import StudioError

log = logging.getLogger(__name__)

LOCK_DIR_ENV = "ANNOTATE_LOCK_DIR"
DEFAULT_WAIT_S = defaults.DEFAULT_WAIT_S
LOCK_PREFIX = "push-"


def lock_dir() -> Path:
    """``$ANNOTATE_LOCK_DIR``, else ``annotate-locks-<uid>`` in the system temp folder.

    Independent of the current folder and of ``$ANNOTATE_HOME``, so two runs started
    from different folders still exclude each other.
    """
    env = os.environ.get(LOCK_DIR_ENV)
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = Path(env) if env else Path(tempfile.gettempdir()) / f"annotate-locks-{uid}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def lock_path(url: str, project: str) -> Path:
    key = hashlib.sha256(f"{url.rstrip('/')}\n{project}".encode()).hexdigest()[:24]
    return lock_dir() / f"{LOCK_PREFIX}{key}.lock"


@contextmanager
def project_lock(
    url: str, project: str, *, wait_s: float = DEFAULT_WAIT_S, what: str = "annotate push"
) -> Iterator[None]:
    """Hold the push lock of ``project`` on ``url``; wait up to ``wait_s`` seconds for it.
    ``what``: the command taking it, as its messages name it (a review hand-over takes
    it too: two at once into one review set made the new reviewer two queues).

    Raises :class:`StudioError` when another push still holds it after ``wait_s``
    (``wait_s=0``: fail at once).
    """
    url = masked(url)  # the same lock whoever's user:password@ the URL carries; never shown
    path = lock_path(url, project)
    try:
        lock = acquire(path, 0)
    except Timeout:
        if wait_s <= 0:
            raise _busy(url, project, wait_s, what) from None
        log.warning(
            "another push or hand-over in project %r is running; waiting for it to finish",
            project,
        )
        try:
            lock = acquire(path, wait_s)
        except Timeout:
            raise _busy(url, project, wait_s, what) from None
    try:
        yield
    finally:
        release(path, lock, sweep=f"{LOCK_PREFIX}*.lock")


def _busy(url: str, project: str, wait_s: float, what: str = "annotate push") -> StudioError:
    if what == "annotate push":
        return StudioError(
            f"another `annotate push` into project {project!r} at {url} is still running "
            f"(waited {wait_s:.0f} s).",
            fix="wait for it to finish, then run this push again (it resumes without duplicates).",
        )
    return StudioError(
        f"another `annotate push` or `annotate review reassign` in {project!r} at {url} is "
        f"still running (waited {wait_s:.0f} s).",
        fix=f"wait for it to finish, then run this `{what}` again.",
    )
