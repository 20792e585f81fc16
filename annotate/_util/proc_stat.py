"""Fields of ``/proc/PID/stat`` (Linux; proc(5)), read once for the studio's process checks."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def stat_fields(pid: int, proc: Path = PROC) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (which may hold spaces and
    parentheses, so the line is split after its last ``)``): index 0 is proc(5)'s field 3
    (state), index i its field i + 3 (session: 3, utime..cstime: 11-14). None when it
    cannot be read (no such process, no ``/proc``: not Linux)."""
    try:
        text = (proc / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    _, sep, rest = text.rpartition(")")
    return rest.split() if sep else None
