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

Beside it, the holder records itself (``push-<hash>.holder``: pid, host, command, since;
removed on release), so a push that waits for the lock, or gives up, names the process
holding it and how to get it back (a suspended push holds it until resumed or ended).

:func:`install_lock` is the same lock for a Label Studio venv, kept beside the venv
(``.<venv name>.install.lock`` in its parent folder), not in the lock folder: every process
that could install into or remove that venv sees it, whatever its ``$ANNOTATE_LOCK_DIR``
and from whichever host shares the folder (an NFS home's cache), so one install into it
at a time, whichever work folder or test worker starts it (reader59 #1). Its gate is
``.<venv name>.install.gate`` there too (empty, kept), named after the venv rather than a
bare ``.gate`` in a folder that is the user's (``~/.cache/annotate``, a named venv's). An
install killed with SIGKILL leaves its lock file and holder record
(``.<venv name>.install.holder``) there, harmless: the next start removes them
(:func:`clear_install_leftovers`), installed or not.

:func:`output_lock` is the same lock for an output folder (``export-<hash>.lock``, keyed
by the folder's absolute path): `annotate export` holds it while it writes, so a second
export into the same ``--out`` is refused at once instead of replacing the first's folder
when it finishes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import Timeout

from annotate import defaults
from annotate._util.atomic import atomic_write_text
from annotate._util.lockfiles import acquire, release
from annotate._util.urls import masked
from annotate.errors import AnnotateError, StudioError

log = logging.getLogger(__name__)

LOCK_DIR_ENV = "ANNOTATE_LOCK_DIR"
DEFAULT_WAIT_S = defaults.DEFAULT_WAIT_S
LOCK_PREFIX = "push-"
OUTPUT_LOCK_PREFIX = "export-"
# the longest an install waits for another into the same venv (one took 3 min 56 s on a
# loaded 2-core machine with uv; pip is slower)
INSTALL_WAIT_S = 1800.0


def lock_dir() -> Path:
    """``$ANNOTATE_LOCK_DIR``, else ``annotate-locks-<uid>`` in the system temp folder.

    Independent of the current folder, of ``$ANNOTATE_HOME`` and (where ``/tmp`` can be
    written) of ``$TMPDIR``, so two runs started from different folders, or one told to
    put its scratch files elsewhere (``TMPDIR=/path/with/room``, as the full-disk error
    advises), still exclude each other (faults58 #5: with TMPDIR set, a second push into
    the same project did not wait and both imported).

    The default folder is made private (mode 0700). Raises :class:`AnnotateError` when
    it exists owned by another user, not as a folder, or writable by others (another
    user could then delete or replace its lock files).
    """
    env = os.environ.get(LOCK_DIR_ENV)
    uid = os.getuid() if hasattr(os, "getuid") else 0
    if env:
        path = Path(env)
        path.mkdir(parents=True, exist_ok=True)
        return path
    path = system_temp() / f"annotate-locks-{uid}"
    with contextlib.suppress(FileExistsError):  # a file there: refused below
        path.mkdir(mode=0o700, exist_ok=True)
    if hasattr(os, "getuid"):
        _check_private(path, uid)
    return path


def _check_private(path: Path, uid: int) -> None:
    """Refuse the shared temp folder's lock folder ``path`` unless it is a folder (no
    link) that user ``uid`` owns and no other user can write in (reader58b F8)."""
    found = path.lstat()
    if not stat.S_ISDIR(found.st_mode):
        problem = "is not a folder (a link or a file)"
    elif found.st_uid != uid:
        problem = f"is owned by user id {found.st_uid}, not by you ({uid})"
    elif found.st_mode & 0o022:
        mode = stat.S_IMODE(found.st_mode)
        problem = f"can be written by other users (mode {mode:o}, owner user id {uid})"
    else:
        return
    raise AnnotateError(
        f"lock folder {path} {problem}: another user could delete or replace the lock "
        "files that keep two pushes or exports from writing at once",
        fix=f"set {LOCK_DIR_ENV} to a folder of your own (e.g. "
        f"{LOCK_DIR_ENV}=~/.annotate-locks), or remove {path} (or `chmod 700` it if it "
        "is yours) and run again",
    )


def system_temp() -> Path:
    """The machine's temporary folder whatever ``$TMPDIR``/``$TEMP`` say: ``/tmp`` on
    POSIX where it is a folder this user can write in, else :func:`tempfile.gettempdir`
    (Windows, where it is per user anyway; a system without a writable ``/tmp``)."""
    fixed = Path("/tmp")
    if os.name == "posix" and fixed.is_dir() and os.access(fixed, os.W_OK | os.X_OK):
        return fixed
    return Path(tempfile.gettempdir())


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

    def waiting(holder: Holder | None) -> None:
        log.warning(
            "another push or hand-over in project %r is running%s; waiting up to %.0f s for it "
            "to finish%s",
            project,
            f" ({holder})" if holder else "",
            wait_s,
            f"; {proceed(holder)}" if holder else "",
        )

    lock = _take(
        path,
        wait_s,
        waiting=waiting,
        busy=lambda holder: _busy(url, project, wait_s, what, holder),
    )
    with _holding(path, lock, what, LOCK_PREFIX):
        yield


def _take(
    path: Path,
    wait_s: float,
    *,
    busy: Callable[[Holder | None], Exception],
    waiting: Callable[[Holder | None], None] | None = None,
    gate: Path | None = None,
) -> Any:
    """Take lock file ``path`` (:func:`~annotate._util.lockfiles.acquire`, ``gate`` as
    there): one try; when another process holds it and ``wait_s`` > 0, ``waiting`` is told
    its holder (it warns once) and the lock is awaited up to ``wait_s`` seconds. Returns
    the held lock. Raises ``busy(holder)`` (the holder then, None when unrecorded) when it
    is still held."""
    try:
        return acquire(path, 0, gate=gate)
    except Timeout:
        pass
    if wait_s > 0:
        if waiting is not None:
            waiting(holder_of(path))
        try:
            return acquire(path, wait_s, gate=gate)
        except Timeout:
            pass
    raise busy(holder_of(path)) from None


DELETION_LOCK_PREFIX = "delete-"
DELETION_WAIT_S = 120.0  # the longest a project deletion waits for another on one server


@contextmanager
def deletion_lock(url: str) -> Iterator[None]:
    """One project deletion at a time per server from this machine. Label Studio 1.23.2
    deletes a project with every Django signal of its server process disconnected,
    stashed and put back by a context manager that is not thread-safe
    (``core/utils/common.py``, ``temporary_disconnect_all_signals``): two deletions at the
    same moment (two pushes each deleting a copy of a title they made) leave every signal
    disconnected until the server restarts, so answers no longer count on their tasks
    (:mod:`annotate.studio.answer_counters` then stops the commands that count them; seen
    on the local server and in CI 56a). Past :data:`DELETION_WAIT_S` s, or with no lock folder
    to write, the deletion goes on (logged): the lock lowers the odds, it cannot cover
    deletions from other machines or Label Studio's web interface."""
    key = hashlib.sha256(masked(url).rstrip("/").encode()).hexdigest()[:24]
    path = lock_dir() / f"{DELETION_LOCK_PREFIX}{key}.lock"
    try:
        lock = acquire(path, DELETION_WAIT_S)
    except (Timeout, OSError) as exc:
        log.warning("deleting a project without waiting for another deletion (%s)", exc)
        yield
        return
    try:
        yield
    finally:
        release(path, lock)


def output_lock_path(out: Path) -> Path:
    """The lock file of output folder ``out`` (its absolute path, links resolved: two runs
    from different folders, or naming it through a link, take the same lock)."""
    key = hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:24]
    return lock_dir() / f"{OUTPUT_LOCK_PREFIX}{key}.lock"


@contextmanager
def output_lock(out: Path, *, what: str = "annotate export") -> Iterator[None]:
    """Hold the lock of output folder ``out`` while ``what`` writes it (see the module).

    Raises :class:`InputError` at once when another process holds it (naming it, as
    :func:`project_lock` does), without waiting: the other run would replace this one's
    output, or this one the other's, when it finishes.
    """
    from annotate.errors import InputError

    path = output_lock_path(out)

    def busy(holder: Holder | None) -> InputError:
        held = f" ({holder})" if holder else ""
        unstick = (
            f"; if process {holder.pid} is suspended (Ctrl-Z), resume it (`fg` in its "
            f"terminal, or `kill -CONT {holder.pid}`)"
            if holder
            else ""
        )
        return InputError(
            f"another `{what}` is writing {out}{held}; two at once into one folder would "
            "leave only the one that finishes last.",
            fix=f"wait for it to finish (its folder is then a previous export: add "
            f"--overwrite to replace it), or pass another --out{unstick}.",
        )

    lock = _take(path, 0, busy=busy)
    with _holding(path, lock, what, OUTPUT_LOCK_PREFIX):
        yield


def install_lock_path(venv: Path) -> Path:
    """The lock file of Label Studio venv ``venv``: ``.<name>.install.lock`` beside it
    (links resolved), independent of ``$ANNOTATE_LOCK_DIR`` and of the host; it exists
    only while an install holds or awaits it."""
    venv = Path(venv).resolve()
    return venv.parent / f".{venv.name}.install.lock"


def install_gate_path(venv: Path) -> Path:
    """The gate of :func:`install_lock_path` (:mod:`annotate._util.lockfiles`):
    ``.<name>.install.gate`` beside the venv, empty and kept for good (removing it while
    an install starts could let two in), named after the venv it guards rather than a
    bare ``.gate`` in a folder that is the user's."""
    venv = Path(venv).resolve()
    return venv.parent / f".{venv.name}.install.gate"


def check_install_lock(venv: Path) -> None:
    """Refuse (StudioError: what was found and the fix) to lock an install of ``venv``
    when its lock or gate is a link or no file, or its folder can be written by every
    user without the sticky bit: the checks :func:`install_lock` makes before it takes the
    lock, for a caller that says where it installs first (reader61 #3). Writes nothing."""
    _check_install_lock(install_lock_path(venv), install_gate_path(venv))


def _check_install_lock(path: Path, gate: Path) -> None:
    """Refuse lock file ``path`` or its ``gate`` when it is a link or no file (someone
    else's, or a mistake: the lock would open what it names), or when their folder can be
    written by other users without the sticky bit (they could delete the lock while an
    install runs, or replace the venv itself)."""
    folder = path.parent
    problem = None
    odd = [p for p in (path, gate) if p.is_symlink() or (p.exists() and not p.is_file())]
    if odd:
        path = odd[0]
        problem = f"{path} is not a plain file (a link or a folder)"
    else:
        with contextlib.suppress(OSError):
            mode = folder.stat().st_mode
            if mode & 0o002 and not mode & stat.S_ISVTX:
                problem = (
                    f"{folder} can be written by every user (mode {stat.S_IMODE(mode):o}, "
                    "no sticky bit)"
                )
    if problem:
        raise StudioError(
            f"cannot lock the Label Studio install beside it: {problem}; another user could "
            "delete the lock while Label Studio is installed, or replace the install.",
            fix=f"remove {path} if it is a link or folder, or `chmod o-w {folder}`; or set "
            "ANNOTATE_STUDIO_VENV to a venv path in a folder of your own.",
        )


@contextmanager
def install_lock(venv: Path, *, wait_s: float = INSTALL_WAIT_S) -> Iterator[None]:
    """Hold the install lock of ``venv`` while Label Studio is installed into it; wait up
    to ``wait_s`` seconds for another install (two `annotate studio start` in two work
    folders, two test workers), warning once that it waits and for whom.

    Raises :class:`StudioError` when the other install still runs after ``wait_s``.
    """
    path = install_lock_path(venv)
    gate = install_gate_path(venv)
    _check_install_lock(path, gate)

    def waiting(holder: Holder | None) -> None:
        log.warning(
            "another process is installing Label Studio into %s%s; waiting up to %.0f s for it",
            venv,
            f" ({holder})" if holder else "",
            wait_s,
        )

    def busy(holder: Holder | None) -> StudioError:
        return StudioError(
            f"another process is still installing Label Studio into {venv}"
            f"{f' ({holder})' if holder else ''} (waited {wait_s:.0f} s).",
            fix="let it finish, then run `annotate studio start` again"
            f"{f'; {proceed(holder)}' if holder else ''}.",
        )

    lock = _take(path, wait_s, waiting=waiting, busy=busy, gate=gate)
    # no sweep: the folder is the user's (or a named venv's parent), its other files not ours
    with _holding(path, lock, "annotate studio start (installing Label Studio)", None, gate):
        yield


def clear_install_leftovers(venv: Path) -> bool:
    """Remove the install lock file of ``venv`` and its holder record
    (``.<name>.install.lock``, ``.<name>.install.holder``) when an install killed with
    SIGKILL (or a power cut) left them and no process holds the lock now: a start that
    finds the venv installed takes no lock, so they stayed for good (note60). Harmless
    meanwhile: the kernel dropped the dead holder's ``flock``, and a record whose process
    is gone is not named as a holder (:func:`holder_of`). One ``stat`` when there is none;
    nothing is removed while another process holds or awaits the lock, or when the folder
    cannot be written. Returns whether anything was removed."""
    path = install_lock_path(venv)
    record = holder_path(path)
    if not (path.exists() or record.exists()):
        return False
    gate = install_gate_path(venv)
    try:
        _check_install_lock(path, gate)
        lock = acquire(path, 0, gate=gate)  # under the gate, as every take of it
    except (StudioError, Timeout, OSError):
        return False  # an install under way (or a folder not ours to write): left alone
    with contextlib.suppress(OSError):
        record.unlink()  # this process holds the lock: the record is no holder's
    release(path, lock, gate=gate)
    log.info("removed the install lock of %s left by an install that was killed", venv)
    return True


@contextmanager
def _holding(
    path: Path, lock: Any, what: str, prefix: str | None, gate: Path | None = None
) -> Iterator[None]:
    """While the block runs, this process is recorded as the holder of the acquired
    ``lock`` at ``path`` (``what`` it runs); then the record is removed and the lock
    released (under ``gate``, as it was taken), sweeping stale lock files and holder
    records of ``prefix`` (None: none)."""
    mine = holder_path(path)
    try:
        _record_holder(mine, what)
        yield
    finally:
        with contextlib.suppress(OSError):
            mine.unlink()
        release(path, lock, sweep=f"{prefix}*.lock" if prefix else None, gate=gate)
        if prefix:
            _sweep_holders(path.parent, prefix)


@dataclass(frozen=True)
class Holder:
    """The process that holds a push lock, as it recorded itself: ``pid`` on ``host``,
    running ``command`` since ``since`` (UTC, ISO 8601)."""

    pid: int
    host: str
    command: str
    since: str

    def here(self) -> bool:
        """Whether the holder runs on this machine."""
        return self.host == socket.gethostname()

    def __str__(self) -> str:
        where = "" if self.here() else f" on host {self.host}"
        return f"held by `{self.command}`, pid {self.pid}{where}, since {self.since}"


def holder_path(path: Path) -> Path:
    """The file beside lock file ``path`` where its holder records itself (``.holder``)."""
    return path.with_suffix(".holder")


def _record_holder(path: Path, what: str) -> None:
    """Record this process as the holder (a lock folder that cannot be written: logged)."""
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": what,
        "since": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    try:
        atomic_write_text(path, json.dumps(record) + "\n")
    except OSError as exc:
        log.info("could not record the holder of %s: %s", path.name, exc)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine runs (True where that cannot be asked)."""
    if os.name == "nt":  # os.kill(pid, 0) there sends CTRL_C_EVENT: never probe
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (PermissionError): there
        return True
    return True


def holder_of(path: Path) -> Holder | None:
    """The holder lock file ``path``'s holder recorded; None when none is recorded (an
    older annotate, a holder that has not written it yet) or the record is stale (its
    process on this machine is gone)."""
    try:
        record = json.loads(holder_path(path).read_text(encoding="utf-8"))
        holder = Holder(
            int(record["pid"]), str(record["host"]), str(record["command"]), str(record["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if holder.here() and not _alive(holder.pid):
        return None
    return holder


def running_holders() -> list[Holder]:
    """The live holders of this machine's push and export locks (:func:`project_lock`,
    :func:`output_lock`: pushes, hand-overs, exports), as they recorded themselves; [] when
    none runs. Read without taking any lock (``annotate studio recount`` refuses to stop
    the server under one)."""
    found: list[Holder] = []
    for prefix in (LOCK_PREFIX, OUTPUT_LOCK_PREFIX):
        for lock in sorted(lock_dir().glob(f"{prefix}*.lock")):
            holder = holder_of(lock)
            if holder is not None and _held(lock):
                found.append(holder)
    return found


def _held(path: Path) -> bool:
    """Whether a process holds lock file ``path`` now: one try at the lock itself (a
    record left by a process of another host, or a reused pid, is not a holder;
    reader57b #6). A lock this try got is released at once (its file removed)."""
    try:
        lock = acquire(path, 0)
    except Timeout:
        return True
    except OSError:
        return True  # the folder cannot be written: trust the record
    release(path, lock)
    return False


def proceed(holder: Holder) -> str:
    """How to get a held lock back: let the holder finish, resume it if it is suspended,
    or end it (a re-run of its command resumes without duplicates)."""
    on = "" if holder.here() else f" on host {holder.host}"
    return (
        f"if process {holder.pid}{on} is suspended (Ctrl-Z; `ps -o stat= -p {holder.pid}` "
        f"shows T), resume it (`fg` in its terminal, or `kill -CONT {holder.pid}`), or end it "
        f"(`kill {holder.pid}; kill -CONT {holder.pid}`: a suspended process acts on the signal "
        "once resumed; run its command again later: it resumes without duplicates)"
    )


def _sweep_holders(folder: Path, prefix: str = LOCK_PREFIX) -> None:
    """Remove holder records whose lock file is gone (a holder killed with SIGKILL left
    them; its lock file was removed by a later release)."""
    for record in folder.glob(f"{prefix}*.holder"):
        if not record.with_suffix(".lock").exists():
            with contextlib.suppress(OSError):
                record.unlink()


def _busy(
    url: str,
    project: str,
    wait_s: float,
    what: str = "annotate push",
    holder: Holder | None = None,
) -> StudioError:
    held = f" ({holder})" if holder else ""
    unstick = f"; {proceed(holder)}" if holder else ""
    if what == "annotate push":
        return StudioError(
            f"another `annotate push` into project {project!r} at {url} is still running"
            f"{held} (waited {wait_s:.0f} s).",
            fix="wait for it to finish, then run this push again (it resumes without "
            f"duplicates){unstick}.",
        )
    return StudioError(
        f"another `annotate push` or `annotate review reassign` in {project!r} at {url} is "
        f"still running{held} (waited {wait_s:.0f} s).",
        fix=f"wait for it to finish, then run this `{what}` again{unstick}.",
    )
