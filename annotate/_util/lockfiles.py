"""Exclusive file locks (``filelock``) whose lock files do not pile up: one lock file per
key exists only while the key is held or awaited, and leftovers (a killed holder's, an
older annotate's) are removed by the next release in their folder.

Removing a lock file is safe only when no other process holds it or has it open to wait
on it: a waiter that opened the file before it was unlinked would lock the removed file
while a newcomer locks a new one at the same path, and both would run. So every take and
every removal happens under the folder's *gate*, a second file lock (``.gate``, one per
folder, never removed) held only for the few system calls of one step, never while
waiting. A lock whose file no sweep touches may name a gate of its own instead
(``gate=``): a lock kept beside what it guards, in a folder that is not annotate's (the
Label Studio install's, :func:`annotate.studio.lock.install_lock`; an export's pseudonym
map, :func:`annotate.audit.passage_pseudonyms.map_gate_path`), then leaves a file named
after it there (``.<name>.gate``), not a bare ``.gate``. The steps:

- :func:`acquire`: under the gate, one non-blocking try of the key's lock; outside it,
  a short sleep between tries (a waiter holds no open file of the key meanwhile);
- :func:`release`: under the gate, the lock file is unlinked while still locked, then
  unlocked; then, still under the gate, the folder's other lock files matching the
  caller's pattern that no process holds (a non-blocking try succeeds) are removed the
  same way, :data:`SWEEP_MAX` at most per release.

A holder's lock file is therefore never removed (its try fails), and no process of this
module waits on a file it opened before the gate. On Windows a file that is open cannot be
unlinked (the attempt fails and is ignored; filelock removes its lock files there after
release itself). An annotate older than this module takes the same lock files without the
gate; running both at once on one machine, an old waiter could in a narrow window lock a
file just removed (filelock 4.3.2, which this project's environment holds, checks for that
after each lock and takes the new file; older filelocks may not), so upgrade every process
of a machine together."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

GATE_NAME = ".gate"
# seconds between two tries of a held lock
POLL_S = 0.05
# seconds a step waits for the gate (held for microseconds by each step)
GATE_WAIT_S = 60.0
# leftover lock files one release removes at most
SWEEP_MAX = 64

_HELD: set[Path] = set()  # the lock files this process holds: a sweep never tries them


def _gate(path: Path, gate: Path | None) -> FileLock:
    """The gate of lock file ``path``: ``gate`` when given, else its folder's ``.gate``."""
    return FileLock(str(gate if gate is not None else path.parent / GATE_NAME))


def acquire(path: Path, timeout: float, *, gate: Path | None = None) -> FileLock:
    """Take the exclusive lock of the lock file ``path`` (made with its folder when
    missing), trying every :data:`POLL_S` s for up to ``timeout`` s (0: one try).
    ``gate``: the lock's own gate file (see the module; the same for every take and
    release of ``path``), else the folder's ``.gate``. Returns the held lock, for
    :func:`release`. Raises ``filelock.Timeout`` when another process still holds it,
    and OSError when the folder cannot be written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + max(0.0, timeout)
    while True:
        lock = FileLock(str(path))
        with _gate(path, gate).acquire(timeout=GATE_WAIT_S):
            try:
                lock.acquire(timeout=0)
            except Timeout:
                pass
            else:
                _HELD.add(path.resolve())
                return lock
        left = deadline - time.monotonic()
        if left <= 0:
            raise Timeout(str(path))
        time.sleep(min(POLL_S, left))


def release(
    path: Path, lock: FileLock, *, sweep: str | None = None, gate: Path | None = None
) -> None:
    """Release ``lock`` (taken by :func:`acquire` on ``path``) and remove its lock file;
    ``sweep``: a glob of the folder's lock files (e.g. ``"push-*.lock"``) whose leftovers
    no process holds are removed too (see the module); ``gate``: as given to
    :func:`acquire` (a lock with a gate of its own sweeps nothing: ValueError). A gate
    that cannot be taken within :data:`GATE_WAIT_S` leaves the file for a later release
    (logged); the lock is released whatever happens."""
    if sweep and gate is not None:
        lock.release()
        raise ValueError("a lock with a gate of its own cannot sweep its folder")
    path = Path(path)
    _HELD.discard(path.resolve())
    try:
        with _gate(path, gate).acquire(timeout=GATE_WAIT_S):
            try:
                with suppress(OSError):  # Windows: an open file cannot be unlinked
                    path.unlink()
            finally:
                lock.release()
            if sweep:
                _sweep(path.parent, sweep)
    except Timeout:
        log.info("lock folder %s busy: %s left for a later release", path.parent, path.name)
    finally:
        if lock.is_locked:
            lock.release()


def _sweep(folder: Path, pattern: str) -> None:
    """Under the gate of ``folder``: remove its lock files matching ``pattern`` that no
    process holds (:data:`SWEEP_MAX` at most)."""
    removed = 0
    for other in sorted(folder.glob(pattern))[: SWEEP_MAX * 4]:
        if removed >= SWEEP_MAX:
            break
        if other.name == GATE_NAME or other.resolve() in _HELD:
            continue
        lock = FileLock(str(other))
        try:
            lock.acquire(timeout=0)
        except (Timeout, OSError):
            continue  # held by another process (or unreadable): not ours to remove
        try:
            other.unlink()
            removed += 1
        except OSError:
            pass
        finally:
            lock.release()
    if removed:
        log.info("removed %d unused lock file(s) in %s", removed, folder)


@contextmanager
def held(
    path: Path, timeout: float, *, sweep: str | None = None, gate: Path | None = None
) -> Iterator[None]:
    """Hold the lock of ``path`` for the ``with`` block (:func:`acquire`, then
    :func:`release` with ``sweep``; ``gate`` as there). Raises ``filelock.Timeout`` as
    :func:`acquire`."""
    lock = acquire(path, timeout, gate=gate)
    try:
        yield
    finally:
        release(path, lock, sweep=sweep, gate=gate)
