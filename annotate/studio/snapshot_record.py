"""The export snapshots annotate asked a Label Studio for and has not yet deleted, kept on
disk so that one an interrupted export left is deleted at the next export (passH53 H2).

An export asks the server for a snapshot of a project (every task, its text and answers),
reads it and deletes it, with the file a local server keeps of it
(:mod:`annotate.studio.snapshot_files`). A Ctrl-C can come while the server is still
building it: the request that makes it runs to its end on the server whatever the client
does, and writes the file after annotate let go. So before the snapshot is asked for,
its title (unique to the call) is written here, one small file per snapshot; the entry
is removed once the snapshot and its file are deleted. The next export on the same server
(:meth:`annotate.studio.client.StudioClient._sweep_recorded_snapshots`) finds the entries
of annotate runs that have ended (their process is gone) and deletes what they left.

The record is the user's: ``$XDG_STATE_HOME/annotate/export-snapshots/<server>/``
(:func:`annotate.settings.state_dir`), one folder per server URL; with ``$ANNOTATE_HOME``
set, ``$ANNOTATE_HOME/state/export-snapshots/<server>/`` (the user's is still swept, for
entries written before). An entry that cannot be
written is logged and the export goes on (as before: its own ``finally`` still deletes
what it can).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from annotate._util.atomic import atomic_write_text
from annotate._util.urls import masked
from annotate.settings import state_dir, user_state_dir

log = logging.getLogger(__name__)

FOLDER = "export-snapshots"


@dataclass(frozen=True)
class Entry:
    """One snapshot asked for: its project, its title (unique), its id once known, the
    process that asked (``pid`` on ``host``) and when (seconds since the epoch)."""

    project_id: int
    title: str
    pid: int
    host: str
    started: float
    export_pk: int | None = None
    # the snapshot's file in the local server's data folder, once known (written before
    # the snapshot is deleted: a Ctrl-C after the server deleted it and before annotate
    # deleted the file leaves a file nothing else names)
    file: str | None = None

    def running(self) -> bool:
        """Whether the process that asked for it may still be at it (on this host: alive;
        on another host sharing the state folder: assumed so)."""
        if self.host != socket.gethostname():
            return True
        if self.pid == os.getpid():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # another user's process of that id: alive
        return True


def folder(url: str) -> Path:
    """The folder of a server's entries (keyed by its URL without credentials)."""
    key = masked(url).rstrip("/")
    return state_dir() / FOLDER / hashlib.sha256(key.encode()).hexdigest()[:16]


def _path(url: str, title: str) -> Path:
    return folder(url) / f"{hashlib.sha256(title.encode()).hexdigest()[:16]}.json"


def _folders(url: str) -> list[Path]:
    """:func:`folder`, and the user's own where ``$ANNOTATE_HOME`` moved it (entries an
    export wrote there before are still swept)."""
    mine = folder(url)
    theirs = user_state_dir() / FOLDER / mine.name
    return [mine] if theirs == mine else [mine, theirs]


def remember(url: str, entry: Entry) -> bool:
    """Write ``entry`` (whether it was written; a failure is logged)."""
    path = _path(url, entry.title)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(path, json.dumps(asdict(entry)), private=True)
    except OSError as exc:
        log.warning(
            "could not record export snapshot %r in %s (%s): if this export is stopped "
            "before it deletes the snapshot, a later one will not know to",
            entry.title,
            path,
            exc,
        )
        return False
    return True


def note_file(url: str, title: str, file: Path) -> None:
    """Add the snapshot's file to the entry of the snapshot titled ``title`` (none: none
    is written)."""
    path = _path(url, title)
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["file"] = str(file)
        atomic_write_text(path, json.dumps(entry), private=True)
    except (OSError, ValueError, TypeError) as exc:
        log.debug("export snapshot record %s not updated: %s", path, exc)


def forget(url: str, title: str) -> None:
    """Remove the entry of the snapshot titled ``title`` (none: nothing to do)."""
    name = _path(url, title).name
    for where in _folders(url):
        try:
            (where / name).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("could not remove the record of export snapshot %r: %s", title, exc)


def left(url: str) -> list[Entry]:
    """The entries on ``url`` of annotate runs that have ended (oldest first): snapshots
    they asked for and did not see deleted. Unreadable entries are skipped."""
    out = []
    paths = [p for w in _folders(url) if w.is_dir() for p in sorted(w.glob("*.json"))]
    for path in paths:
        try:
            entry = Entry(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            log.debug("export snapshot record %s not read: %s", path, exc)
            continue
        if not entry.running():
            out.append(entry)
    return sorted(out, key=lambda e: e.started)


def new_entry(project_id: int, title: str) -> Entry:
    """An entry of a snapshot this process is about to ask for."""
    return Entry(int(project_id), title, os.getpid(), socket.gethostname(), time.time())
