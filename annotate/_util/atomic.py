"""Atomic outputs: write beside the target, rename onto it only when complete.

A reader never sees a half-written file or directory; a failure leaves the old
output (if any) untouched and removes the partial one.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import secrets
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from annotate._util.scratch import process_running

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# the machine a partial output's process runs on: a folder shared with another machine
# may hold its partials, whose process ids mean nothing here
_HOST = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname()) or "host"


def temp_sibling(path: Path, tag: str = "partial") -> Path:
    """A fresh hidden name next to ``path`` (same filesystem, so the rename is atomic),
    naming this process and machine (``.NAME.partial-PID-HEX@HOST``).

    A ``partial`` also gets its lock file beside it (``...@HOST.lock``), locked
    (``flock``) by this process until :func:`commit` or :func:`discard` releases it, or
    the process ends: the proof, for :func:`discard_stale_partials`, that its writer
    is alive. A process id alone is not: a run in another PID namespace (a container
    with the host's name, sharing the folder) sees the writer's id as gone, and
    removed a live run's partial model folder (break7 L6)."""
    tmp = path.with_name(f".{path.name}.{tag}-{os.getpid()}-{secrets.token_hex(3)}@{_HOST}")
    if tag == "partial":
        _hold_lock(tmp)
    return tmp


# the lock files this process holds, by partial: their open descriptions keep the lock
_HELD: dict[Path, int] = {}


def lock_path(partial: Path) -> Path:
    """The lock file of the partial output ``partial`` (beside it, so a partial file can
    have one and a finished folder never holds it)."""
    return partial.with_name(partial.name + ".lock")


def _hold_lock(partial: Path) -> None:
    """Create ``partial``'s lock file and lock it for this process's lifetime (or until
    :func:`release_partial`). Where locks are not to be had (no ``fcntl``: Windows; a file
    system without ``flock``) there is no lock file, and the partial, if a kill leaves
    it, is left for the user (:func:`discard_stale_partials`)."""
    if fcntl is None:
        return
    lock = lock_path(partial)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:  # an unwritable folder: the write itself says so
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        lock.unlink(missing_ok=True)
        return
    _HELD[partial] = fd


def release_partial(partial: Path) -> None:
    """Remove and unlock ``partial``'s lock file, if this process holds it (after the
    partial was renamed into place or removed). Unlinked first, then unlocked, so no
    other run can take the lock while the name is still there."""
    fd = _HELD.pop(partial, None)
    if fd is None:
        return
    with suppress(OSError):
        lock_path(partial).unlink(missing_ok=True)
    os.close(fd)


def _take_lock(lock: Path) -> int | None:
    """An open, locked descriptor of another run's lock file ``lock`` when no process
    holds it (its writer is gone); None while one does, or where it cannot be told."""
    if fcntl is None:
        return None
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held (BlockingIOError), or no flock here: never remove then
        os.close(fd)
        return None
    return fd


def discard_stale_partials(path: Path) -> list[Path]:
    """Remove the partial outputs of ``path`` that a run killed outright (``kill -9``, an
    out-of-memory kill, a power cut) left beside it: no handler ran to remove them, and a
    re-run writes a new one, so they piled up (a whole export folder each). Only partials
    of this machine whose process id is gone and whose lock file no process holds are
    removed (a writer in another PID namespace holds its lock: :func:`temp_sibling`); a
    partial without a lock file (an earlier version's) is left and said; the ``.old``
    folder a replaced output is moved to is never touched (it may be the only copy).
    Returns what was removed."""
    pattern = re.compile(
        rf"\.{re.escape(path.name)}\.partial-(\d+)-[0-9a-f]{{6}}@{re.escape(_HOST)}(\.lock)?"
    )
    removed: list[Path] = []
    try:
        siblings = list(path.parent.iterdir())
    except OSError:  # a missing or unreadable folder: the write itself says so
        return removed
    names = {s.name for s in siblings}
    for sibling in siblings:
        match = pattern.fullmatch(sibling.name)
        if not match or process_running(int(match.group(1))):
            continue
        if match.group(2):  # a lock file: handled with its partial, or alone if that is gone
            partial = sibling.with_name(sibling.name[: -len(".lock")])
            if partial.name in names:
                continue
        else:
            partial = sibling
            if lock_path(partial).name not in names:
                if fcntl is None:  # no locks here: the process id is all there is
                    _discard_stale(partial, match.group(1), removed)
                else:
                    log.warning(
                        "%s looks like the partial output of an interrupted run (process "
                        "%s), but has no lock file (an earlier version wrote it), so whether "
                        "that run still writes it cannot be told; it is left. Remove it "
                        "yourself once no run writes %s.",
                        partial,
                        match.group(1),
                        path,
                    )
                continue
        fd = _take_lock(lock_path(partial))
        if fd is None:  # its writer holds it: alive, in another PID namespace
            continue
        try:
            if partial.exists() or partial.is_symlink():
                _discard_stale(partial, match.group(1), removed)
            lock_path(partial).unlink(missing_ok=True)
        finally:
            os.close(fd)
    return removed


def _discard_stale(partial: Path, pid: str, removed: list[Path]) -> None:
    discard(partial)
    removed.append(partial)
    log.warning(
        "removed %s, the partial output of an interrupted run (process %s, no longer running)",
        partial,
        pid,
    )


def discard(tmp: Path) -> None:
    """Remove a partial output (file or directory); missing is fine. This process's lock
    on it is released (:func:`release_partial`)."""
    if tmp.is_dir() and not tmp.is_symlink():
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.unlink(missing_ok=True)
    release_partial(tmp)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``):
    no moment where either name is missing. False (nothing done) where the system or the
    file system cannot; OSError for any other failure."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # a C library before glibc 2.28
        return False
    fd, name = ctypes.c_int, ctypes.c_char_p
    renameat2.argtypes = [fd, name, fd, name, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def commit(tmp: Path, path: Path, *, replace: bool = True) -> None:
    """Rename the finished ``tmp`` onto ``path``.

    A directory already at ``path`` is swapped with ``tmp`` in one step where Linux can
    (:func:`exchange`; the old one, now under the partial name, is then removed), so a
    run killed meanwhile leaves the old output or the new one at ``path``, never none.
    Elsewhere it is first renamed aside and removed afterwards (``os.replace`` cannot
    replace a non-empty directory).

    ``replace=False`` (a directory ``tmp``): only a missing or empty ``path`` is taken,
    in one rename that fails while anything is in it (FileExistsError; ``tmp`` is left
    for the caller to remove), so a folder another process wrote at ``path`` while this
    one ran is never replaced. A file ``tmp`` is hard-linked to a missing ``path`` only
    (FileExistsError when one is there; :func:`_link_new`), for the same reason (two
    ingests writing one --out at once: the later one replaced the other's file, both
    said they wrote it; faults58 #2).
    """
    if not replace and not tmp.is_dir():
        _link_new(tmp, path)
        release_partial(tmp)
        return
    if not replace:  # a directory (a file took the branch above)
        try:
            if os.name == "nt" and path.is_dir() and not any(path.iterdir()):
                path.rmdir()  # Windows renames onto no existing folder, even an empty one
            os.rename(tmp, path)  # POSIX: onto a missing or empty folder only
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) or isinstance(exc, FileExistsError):
                raise FileExistsError(errno.EEXIST, "not empty", str(path)) from exc
            raise
        release_partial(tmp)
        return
    old = None
    if tmp.is_dir() and path.is_dir():
        if exchange(tmp, path):
            shutil.rmtree(tmp, ignore_errors=True)  # the old output
            release_partial(tmp)
            return
        old = temp_sibling(path, "old")
        os.replace(path, old)
    os.replace(tmp, path)
    release_partial(tmp)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _link_new(tmp: Path, path: Path) -> None:
    """Give the file ``tmp`` the name ``path`` only where nothing is named so, in one step
    (a hard link, then ``tmp`` removed): FileExistsError (``tmp`` left for the caller)
    when ``path`` exists. Where the file system has no hard links, a check and then a
    rename (a small window, not none)."""
    try:
        os.link(tmp, path)
    except FileExistsError as exc:  # named by the target, as commit's folder case
        raise FileExistsError(errno.EEXIST, "exists", str(path)) from exc
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if path.exists() or path.is_symlink():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from exc
        os.replace(tmp, path)
        return
    tmp.unlink()


def fsync_path(path: Path) -> None:
    """Flush ``path`` to the disk (``os.fsync``): a file's bytes, or a folder's entries (a
    name renamed or created in it). A rename alone is atomic but not durable: after a power
    cut the new name may point at a file whose bytes never reached the disk (empty or
    short), or the rename itself may be lost. Folders are skipped where they cannot be
    opened (Windows; a write-only folder); a file or folder whose file system does not
    sync (EINVAL or ENOTSUP: some network and FUSE file systems) is skipped too, a file's logged (a
    warning the first time: writes there are not durable across a power cut, debug
    after). OSError for any other failure."""
    if path.is_dir():
        if os.name != "posix":
            return
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except PermissionError:  # a write-only folder (a drop box): its entry stays unflushed
            log.debug("%s: cannot be opened to flush its entries; not flushed", path)
            return
    else:  # Windows flushes only a handle open for writing (FlushFileBuffers)
        fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_SYNC:
            raise
        if not path.is_dir():
            log.log(
                logging.DEBUG if _UNSYNCED else logging.WARNING,
                "%s: its file system does not flush files to the disk (fsync: %s); what is "
                "written there may be lost or cut short by a power cut",
                path,
                exc.strerror,
            )
            _UNSYNCED[:] = [str(path)]
    finally:
        os.close(fd)


_NO_SYNC = (errno.EINVAL, errno.ENOTSUP)  # a file system that has no fsync
_UNSYNCED: list[str] = []  # the first file fsync_path could not flush (warned once)


def fsync_tree(path: Path) -> None:
    """:func:`fsync_path` on ``path`` and, for a folder, on every file and folder in it."""
    if path.is_dir() and not path.is_symlink():
        for entry in path.rglob("*"):
            if not entry.is_symlink():
                fsync_path(entry)
    fsync_path(path)


def commit_durably(tmp: Path, path: Path, *, replace: bool = True) -> None:
    """:func:`commit`, made durable: ``tmp``'s bytes are flushed to the disk before the
    rename, and the folder's entry after it, so after a power cut ``path`` is the old
    output or the whole new one (never a renamed, empty or short file)."""
    fsync_tree(tmp)
    commit(tmp, path, replace=replace)
    fsync_path(path.parent)


@contextmanager
def atomic_output(
    path: str | os.PathLike[str], *, durable: bool = True, replace: bool = True
) -> Iterator[Path]:
    """Yield a temporary path to write (a file, or a directory the block creates);
    on success it replaces ``path``, on any exception it is removed. ``durable`` (the
    default): flushed to the disk before and after the rename (:func:`commit_durably`;
    one fsync per file and one of the folder, a few ms on a disk that honours it), so a
    power cut leaves the old output or the whole new one, never an empty file under the
    name (an empty key, salt or token file a later run then misreads; faults59 #1);
    ``False`` only for files nothing trusts later. ``replace=False``: a
    directory is renamed onto a missing or empty ``path`` only, a file onto a missing one
    only (:func:`commit`; FileExistsError otherwise, the partial removed).

    Raises whatever the block raises; ``OSError`` if the rename (or a flush) fails.
    """
    target = Path(path)
    require_no_file_in_the_way(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    discard_stale_partials(target)
    tmp = temp_sibling(target)
    try:
        yield tmp
        (commit_durably if durable else commit)(tmp, target, replace=replace)
    except BaseException as exc:
        named = disk_full_named(exc, tmp, target)
        discard(tmp)
        if named is not None:
            raise named from exc
        raise


# free space below which a disk counts as the full one (a few blocks stay free when a
# large write is refused: the write asked for more than was left)
_NEARLY_FULL = 1 << 20
# what a quota probe writes (a few blocks: a quota past its limit refuses the first)
_PROBE_BYTES = 1 << 16
# the disk errors named by the output: a full disk and a user's (or group's) quota used up
_OUT_OF_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


def disk_full_named(exc: BaseException, partial: Path, target: Path) -> OSError | None:
    """``exc`` named by ``target`` when it is a full disk (ENOSPC) or a used-up disk
    quota (EDQUOT) that names no file (pyarrow's, datasets' and Pillow's writes, and
    Python's close of a buffered file, raise it bare, so the error could not say which
    disk to free) and the disk of ``partial``, still there, is the one out of space (a
    full disk: less than 1 MiB free; a quota: a small probe write there is refused for
    it, :func:`_over_quota`, as free space does not show a quota), or one that names a
    file inside ``partial`` (removed with it: the output it was for is what a person
    knows); None otherwise (another error, another file named, or room on this disk: the
    full one is elsewhere, e.g. the temporary folder)."""
    if not isinstance(exc, OSError) or exc.errno not in _OUT_OF_SPACE:
        return None
    if exc.filename:  # a file of the partial output (a nested one's) is named as it
        named = Path(os.fsdecode(exc.filename))
        if named == target or not (named == partial or named.is_relative_to(partial)):
            return None
        return OSError(exc.errno, os.strerror(exc.errno), str(target))
    where = partial if partial.is_dir() else partial.parent if partial.exists() else target.parent
    if exc.errno == errno.EDQUOT:
        return (
            OSError(exc.errno, os.strerror(exc.errno), str(target)) if _over_quota(where) else None
        )
    try:
        vfs = os.statvfs(where)
    except (OSError, AttributeError):  # gone, or no statvfs (Windows)
        return None
    if vfs.f_bavail * vfs.f_frsize >= _NEARLY_FULL:
        return None
    return OSError(exc.errno, os.strerror(exc.errno), str(target))


def _over_quota(folder: Path) -> bool:
    """Whether the disk quota of ``folder``'s file system is used up for this process's
    user or group: a probe file of :data:`_PROBE_BYTES` written there (and synced: a
    network file system may only refuse it then) is refused with EDQUOT. The probe is
    removed either way; any other failure is False (not known to be this disk)."""
    try:
        fd, name = tempfile.mkstemp(prefix=".annotate-quota-probe-", dir=folder)
    except OSError as exc:  # no inode left within the quota refuses the file itself
        return exc.errno == errno.EDQUOT
    try:
        os.write(fd, bytes(_PROBE_BYTES))
        os.fsync(fd)
    except OSError as exc:
        return exc.errno == errno.EDQUOT
    finally:
        os.close(fd)
        with suppress(OSError):
            os.unlink(name)
    return False


def atomic_write_text(
    path: str | os.PathLike[str], text: str, *, private: bool = False, durable: bool = True
) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; ``private`` makes it mode 0600
    before it appears under its name (for secrets: tokens, salts); ``durable``: see
    :func:`atomic_output`."""
    with atomic_output(path, durable=durable) as tmp:
        tmp.write_text(text, encoding="utf-8")
        if private:
            tmp.chmod(0o600)


def require_replaceable(
    out: Path,
    markers: tuple[str, ...],
    what: str,
    example: str,
    *,
    consequence: str = "the output replaces its folder whole, so they would be deleted.",
    reuse: str = "replace it",
) -> None:
    """Refuse an output folder that a successful run would replace whole (or write into:
    say so in ``consequence``) and that is not new, empty, or a previous output of the
    same kind (holding one of ``markers``).

    ``what`` names the kind ("a model folder"), ``example`` a fresh ``--out`` to suggest,
    ``reuse`` what passing a previous one does. Raises InputError before any work, so
    nothing of the user's is deleted or mixed in.
    """
    from annotate.errors import InputError

    require_writable_parent(out)
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(
            f"--out {out} is a file; expected {what} (new, empty or a previous one).",
            fix=f"pass a folder name, e.g. --out {example}.",
        )
    names = sorted(p.name for p in out.iterdir())
    if not names or any((out / m).is_file() for m in markers):
        return
    shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    raise InputError(
        f"--out {out} holds other files ({shown}) and is not {what} (no "
        f"{' or '.join(markers)}): {consequence}",
        fix=f"pass a new folder, e.g. --out {example} (or a previous one to {reuse}).",
    )


def require_no_file_in_the_way(out: Path) -> Path:
    """The nearest existing folder above ``out`` (where its missing folders are made).
    InputError when that is a file (``--out notes.txt/corpus``): making the folders
    failed with a traceback (NotADirectoryError, FileExistsError)."""
    from annotate.errors import InputError

    parent = Path(os.path.abspath(out)).parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(
            f"--out {out} cannot be made: {parent} is a file, not a folder.",
            fix="pass an --out whose folders are folders (or move that file away).",
        )
    return parent


def require_writable_parent(out: Path) -> None:
    """InputError before any work when the folder ``out`` is to be written in (its nearest
    existing ancestor: missing folders are made) refuses new files: a read-only folder or
    file system. Outputs are written beside ``out`` first, so this is where they would
    fail, after the work (a training run) was done. Checked by writing a probe file."""
    import errno
    import tempfile

    from annotate.errors import InputError

    parent = require_no_file_in_the_way(out)
    try:
        fd, probe = tempfile.mkstemp(prefix=".annotate-probe-", dir=parent)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        raise InputError(
            f"cannot write in {parent} ({os.strerror(exc.errno).lower()}), where --out "
            f"{out} is written.",
            fix="pass an --out in a folder you can write to (or make this one writable).",
        ) from None
    os.close(fd)
    os.unlink(probe)
