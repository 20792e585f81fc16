"""Who listens on a TCP port, read from Linux's ``/proc``: whether the server a ``studio
start`` launched is the one answering on its port, or another program that took the port
while it was still migrating its database (newuser63 #1: two work folders started at
once both found 8080 free; the second bound it first, and the first start was told to
delete its data folder because "its" server rejected its token)."""

from __future__ import annotations

import os
from pathlib import Path

from annotate._util.proc_stat import stat_fields

PROC = Path("/proc")
_LISTEN = "0A"  # the TCP state LISTEN in /proc/net/tcp{,6}


def listening_inodes(port: int, proc: Path = PROC) -> set[str] | None:
    """Socket inodes of every TCP socket (IPv4 and IPv6) listening on ``port``, from
    ``proc/net/tcp`` and ``tcp6``. None where neither can be read (not Linux)."""
    found: set[str] = set()
    read_any = False
    for name in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / name).read_text(encoding="ascii").splitlines()[1:]
        except (OSError, UnicodeDecodeError):
            continue
        read_any = True
        for line in lines:
            fields = line.split()
            if len(fields) < 10 or fields[3] != _LISTEN:
                continue
            try:
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
            except (IndexError, ValueError):
                continue
            if local_port == port:
                found.add(fields[9])
    return found if read_any else None


def _socket_inodes(pid: int, proc: Path) -> set[str] | None:
    """Inodes of the sockets process ``pid`` holds open, None when its fds cannot be
    read (gone, or another user's)."""
    try:
        names = os.listdir(proc / str(pid) / "fd")
    except OSError:
        return None
    inodes = set()
    for name in names:
        try:
            target = os.readlink(proc / str(pid) / "fd" / name)
        except OSError:
            continue
        if target.startswith("socket:[") and target.endswith("]"):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _session(pid: int, proc: Path) -> int | None:
    """Process ``pid``'s session id (``/proc/PID/stat`` field 6), None when unreadable."""
    fields = stat_fields(pid, proc)
    try:
        return int(fields[3]) if fields is not None else None
    except (IndexError, ValueError):
        return None


def _pids(proc: Path) -> list[int]:
    """The ids of the processes ``proc`` lists ([] when it cannot be read)."""
    try:
        return [int(n) for n in os.listdir(proc) if n.isdigit()]
    except OSError:
        return []


def session_listens(session: int, port: int, proc: Path = PROC) -> bool | None:
    """Whether a process of session ``session`` (a server launched with
    ``start_new_session=True`` leads the session of its own pid, and its workers stay in
    it) listens on ``port``. None when ``/proc`` cannot tell (not Linux, nobody listens, or
    no fd of the session could be read)."""
    wanted = listening_inodes(port, proc)
    if not wanted:
        return None
    readable = False
    for pid in _pids(proc):
        if pid != session and _session(pid, proc) != session:
            continue
        inodes = _socket_inodes(pid, proc)
        if inodes is None:
            continue
        readable = True
        if inodes & wanted:
            return True
    return False if readable else None


def listener_of(port: int, proc: Path = PROC) -> str:
    """ "pid N: COMMAND" of a process listening on ``port`` (its command line cut to 120
    characters), "" when none can be named (another user's process, not Linux)."""
    wanted = listening_inodes(port, proc)
    if not wanted:
        return ""
    for pid in _pids(proc):
        inodes = _socket_inodes(pid, proc)
        if inodes and inodes & wanted:
            try:
                raw = (proc / str(pid) / "cmdline").read_bytes()
            except OSError:
                return f"pid {pid}"
            command = raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()
            return f"pid {pid}: {command[:120]}" if command else f"pid {pid}"
    return ""


def taken_from(url: str | None, session: int | None) -> tuple[int, str] | None:
    """``(port, holder)`` when the server answering at ``url`` is not one of session
    ``session`` (a server ``studio start`` launched: another program took its port while
    it migrated, newuser63 #1), ``holder`` as :func:`listener_of` names it ("" when it
    cannot); None when it is that session's, or ``/proc`` cannot tell, or ``url`` names
    no port."""
    from urllib.parse import urlsplit

    try:
        port = urlsplit(url or "").port
    except ValueError:
        return None
    if port is None or session is None or session_listens(session, port) is not False:
        return None
    return port, listener_of(port)
