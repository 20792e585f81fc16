"""The graphic passages a review push held back (``--max-graphic-per-reviewer``), kept
so that `annotate review status` can show them: a passage held back from *every* queue
(a cap of 0, or every queue full) has no task anywhere, so nothing on the server tells
that it waits.

Each push into a review set records, per pre-labels file, the passages it held back from
every queue (one held back from some queues only is in a queue, short of K: status counts
it so) and the cap, K and file it ran with, in ``$ANNOTATE_HOME/review-held/<digest of the server's
URL and the set's name>.json`` (one name on two servers, a trial one and the team's, is two
review sets), with the cap of the set's latest push (``CAP_KEY``; written even when it held
nothing back; read by `annotate review reassign`). A later push of the same file replaces
that file's record (one that holds nothing back removes it). Status counts a recorded
passage as waiting only while no queue holds it (a push from another file or machine may
have queued it since). Pushes on another machine are not seen here.

An entry (a file's passage) is stale once a queue of the set holds its passage: it is no
longer held back from every queue (a push of another file, or from another machine, queued
it; answered or deleted since, it stays out of the record: what a person did to a queued
passage is no push's hold). :func:`prune_held` drops those, and records left empty, under
the record's own file lock (a push writing it at the same time waits), and reports them. An
entry whose passage no queue holds is never stale, whatever became of its pre-labels file:
the passage still waits for a push. A record whose set has no queue is kept too (a push
that held back every passage makes no queue).

The queues are read before the prune takes the lock, so a file's entries that a push wrote
after that read are not pruned by it: the push may have held back a passage that was queued
when the queues were read (its task deleted since). Each file's entries carry a stamp,
``written``, new at each write of them (:func:`written_stamps`, read before the queues;
:func:`prune_held` leaves a file whose stamp changed since for the next status).

Readers take the record's lock too (:func:`written_stamps`, :func:`held_back`,
:func:`export_record`), for the milliseconds of one read: on Windows a writer's
``os.replace`` over a file that a reader holds open fails, and a reader opening the file
while it is replaced can fail too ("sharing violation", a PermissionError). filelock's
lock is exclusive (its reader/writer lock, filelock 3.21+, is an SQLite database per
lock), and a read is short, so readers and writers simply take turns. A reader that cannot
take the lock within :data:`READ_WAIT_S` reads without it, and every open, replace and
unlink of the record is tried again on a PermissionError, :data:`SHARING_TRIES` times in
all (0.05 s doubling: 1.5 s), for what takes no lock (an older annotate, a virus scanner or
indexer opening the file). A record that still cannot be read is an error for writers
(they never write over entries they could not read) and a warning for readers. The lock
file (``<digest>.lock`` beside the record) exists while the record is locked and is
removed on release (:mod:`annotate._util.lockfiles`), with the folder's other unused
ones."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from filelock import Timeout

from annotate._util.atomic import fsync_path
from annotate._util.lockfiles import acquire, held, release
from annotate._util.urls import masked
from annotate.settings import annotate_home

log = logging.getLogger(__name__)

# seconds a prune waits for the record's lock (held by a push writing it) before it leaves
# the record as it is: status must not wait on a push
PRUNE_WAIT_S = 5.0
# seconds a reader waits for the lock before it reads without it
READ_WAIT_S = 5.0
# seconds a push or a merge waits for the lock (held for a read or a write: milliseconds)
WRITE_WAIT_S = 60.0
# tries of an open, replace or unlink of the record that fails with a PermissionError
# (Windows: another process has the file open), 0.05 s doubling between them
SHARING_TRIES = 6
SHARING_FIRST_S = 0.05
T = TypeVar("T")
# the record's key for the cap of the set's latest push (null: none; absent: a record
# written before it was recorded); every other key but "project" is a pre-labels file's entry
CAP_KEY = "max_graphic_per_reviewer"


@dataclass(frozen=True)
class HeldBack:
    """The passages one pre-labels file's latest push held back from every queue."""

    prelabels: str  # the file as pushed (absolute path)
    max_graphic: int  # the cap it was pushed with (:func:`entry_cap`)
    k: int
    passages: tuple[str, ...]  # sorted
    # reviewer e-mail -> their own cap (labels.yaml) in force at that push; {}: none
    own_caps: dict[str, int] = field(default_factory=dict)
    # the push's --max-graphic-per-reviewer (None: none, only own caps held them back)
    set_cap: int | None = None


def _path(server: str, project: str) -> Path:
    # the server as the push lock keys it: whoever's user:password@ its URL carries
    key = f"{masked(server).rstrip('/')}\n{project}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return annotate_home() / "review-held" / f"{digest}.json"


def _lock(path: Path, timeout: float) -> AbstractContextManager[None]:
    """Hold the lock of the record at ``path`` (every writer while it reads and writes,
    every reader while it reads), waiting up to ``timeout`` s; raises ``filelock.Timeout``
    (an OSError) after that."""
    return held(path.with_suffix(".lock"), timeout, sweep="*.lock")


def _shared(action: Callable[[], T], what: str, path: Path) -> T:
    """``action()``, tried again on a PermissionError (:data:`SHARING_TRIES` in all, 0.05 s
    doubling between them); the last one's error is raised."""
    pause = SHARING_FIRST_S
    for attempt in range(1, SHARING_TRIES + 1):
        try:
            return action()
        except PermissionError as err:
            if attempt == SHARING_TRIES:
                raise
            log.info("%s %s: %s; trying again in %.2f s", what, path, err, pause)
            time.sleep(pause)
            pause *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def _read(path: Path) -> dict[str, Any]:
    """The record at ``path`` read under its lock ({} when there is none). When the lock
    stays held (or cannot be taken) for :data:`READ_WAIT_S`, read without it (:func:`_load`
    retries a sharing violation); a record that cannot be read is a warning and {}
    (readers show what they can)."""
    if not path.is_file():
        return {}
    lockfile = path.with_suffix(".lock")
    try:
        lock = acquire(lockfile, READ_WAIT_S)
    except OSError as err:  # filelock.Timeout is one
        log.info("held-back record %s: read without its lock (%s)", path, err)
        lock = None
    try:
        return _load(path)
    except OSError as err:
        log.warning("could not read the held-back record %s: %s", path, err)
        return {}
    finally:
        if lock is not None:
            release(lockfile, lock, sweep="*.lock")


@dataclass(frozen=True)
class Pruned:
    """What :func:`prune_held` removed from a record."""

    path: Path
    entries: int  # (file, passage) entries removed
    files: tuple[str, ...]  # pre-labels files whose record went (nothing left in it)
    passages: tuple[str, ...]  # the passages removed, sorted (each once)


def _load(path: Path) -> dict[str, Any]:
    """The record at ``path`` as it is ({} when there is none or it is no JSON object),
    without its lock. Raises PermissionError when it stays unreadable through
    :data:`SHARING_TRIES` tries, and OSError when it cannot be read at all."""
    try:
        text = _shared(lambda: path.read_text(encoding="utf-8"), "reading", path)
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def record_held(
    server: str,
    project: str,
    prelabels: str | os.PathLike[str],
    held: Mapping[str, int],
    *,
    max_graphic: int | None,
    k: int,
    own_caps: Mapping[str, int] | None = None,
) -> None:
    """Record what a push of ``prelabels`` into review set ``project`` on the Label
    Studio at ``server`` (its URL) held back
    (``held``: passage id -> reviewer tasks not made), replacing that file's earlier
    record; none held back removes it. ``max_graphic``: the push's set-wide cap (None:
    none); ``own_caps``: reviewer e-mail -> their own cap in force (labels.yaml
    ``wellbeing.reviewers``), which alone can hold passages back from every queue (reader
    62 finding 5: such passages went unrecorded); an entry then records them
    (``own_caps``) and, without a set cap, the largest of them as its ``max_graphic``
    (the most any queue takes). Best effort: a folder that cannot be written is logged,
    not raised (the push itself succeeded)."""
    path = _path(server, project)
    key = str(Path(prelabels).resolve())
    if max_graphic is None and not own_caps and not path.is_file():
        return  # nothing to record, nothing to remove: no folder or lock made for it
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock(path, WRITE_WAIT_S):
            data = _load(path)
            before = dict(data)
            data[CAP_KEY] = max_graphic  # the latest push's cap (null: none)
            if held and (max_graphic is not None or own_caps):
                data[key] = {
                    "max_graphic": entry_cap(max_graphic, own_caps),
                    "k": k,
                    "passages": sorted(held),
                    "written": _stamp(),
                    **(
                        {"own_caps": dict(sorted(own_caps.items())), "set_cap": max_graphic}
                        if own_caps
                        else {}
                    ),
                }
            else:
                data.pop(key, None)
            if data == before:
                return
            _write(path, project, data)
    except OSError as err:
        log.warning("could not record the passages held back in %s: %s", path, err)


def entry_cap(max_graphic: int | None, own_caps: Mapping[str, int] | None) -> int:
    """An entry's ``max_graphic``: the set-wide cap, else the largest own cap in force
    (an int either way, as records and their exports have always held)."""
    if max_graphic is not None:
        return max_graphic
    return max((own_caps or {}).values(), default=0)


def _write(path: Path, project: str, data: dict[str, Any]) -> None:
    """Replace the record at ``path`` with ``data`` (the files' entries; none: the record
    goes), atomically and durably (a reader sees the old record or the new one, also
    after a power cut). Raises OSError."""
    records: dict[str, Any] = {k: v for k, v in data.items() if isinstance(v, dict)}
    cap = data.get(CAP_KEY)
    if isinstance(cap, int) or (cap is None and CAP_KEY in data and records):
        records[CAP_KEY] = cap  # null kept beside entries: their caps are not the latest
    if not records:
        _shared(lambda: path.unlink(missing_ok=True), "removing", path)
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"project": project, **records}, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    fsync_path(tmp)  # on the disk before the rename, the folder's entry after (faults59 #1)
    _shared(lambda: os.replace(tmp, path), "replacing", path)
    fsync_path(path.parent)


def recorded_cap(server: str, project: str) -> int | None:
    """The ``--max-graphic-per-reviewer`` cap of the latest push into review set
    ``project`` on the Label Studio at ``server`` made on this machine (None: pushed
    without one, or nothing recorded). A record written before the cap was recorded has
    only its files' caps (pushes that held passages back): the largest of those."""
    data = _read(_path(server, project))
    if CAP_KEY in data:
        cap = data[CAP_KEY]
        return cap if isinstance(cap, int) and not isinstance(cap, bool) else None
    caps = [
        rec["max_graphic"]
        for rec in data.values()
        if isinstance(rec, dict) and isinstance(rec.get("max_graphic"), int)
    ]
    return max(caps) if caps else None


def _stamp() -> str:
    """A new ``written`` stamp of a file's entries (see the module)."""
    return uuid.uuid4().hex


def written_stamps(server: str, project: str) -> dict[str, str | None]:
    """Pre-labels file -> the ``written`` stamp of its entries in review set ``project``'s
    record on the Label Studio at ``server`` (None: written by an annotate that did not
    stamp them); {} when there is no record. Read it before the queues that
    :func:`prune_held` is given."""
    return {
        key: rec.get("written")
        for key, rec in _read(_path(server, project)).items()
        if isinstance(rec, dict)
    }


def prune_held(
    server: str,
    project: str,
    queued: Collection[str],
    *,
    stamps: Mapping[str, str | None],
) -> Pruned | None:
    """Drop the stale entries of review set ``project``'s record on the Label Studio at
    ``server`` (see the module): the passages a queue holds now (``queued``: every
    passage the set's queues hold, read from the server just before), and the files left
    with none; only of the files whose entries are as ``stamps`` (:func:`written_stamps`,
    read before ``queued``) found them: a file a push recorded since is left for the
    next prune. None when nothing was stale, or when the record could not be locked within
    :data:`PRUNE_WAIT_S` or written (logged; the record is left as it was)."""
    path = _path(server, project)
    if not path.is_file():
        return None
    queued = frozenset(queued)
    try:
        with _lock(path, PRUNE_WAIT_S):
            data = _load(path)  # read again under the lock: a push may have written since
            gone: list[str] = []
            emptied: list[str] = []
            for key, rec in list(data.items()):
                if not isinstance(rec, dict):
                    continue
                if key not in stamps or stamps[key] != rec.get("written"):
                    log.info("held-back record of %s written since the queues were read", key)
                    continue  # a push since: what it held back may have been queued then
                passages = list(rec.get("passages") or [])
                stale = [p for p in passages if p in queued]
                if not stale:
                    continue
                gone += stale
                left = [p for p in passages if p not in queued]
                if left:
                    data[key] = {**rec, "passages": left}
                else:
                    del data[key]
                    emptied.append(key)
            if not gone:
                return None
            _write(path, project, data)
    except Timeout:
        log.info("held-back record %s is being written (a push): not pruned this time", path)
        return None
    except OSError as err:
        log.warning("could not prune the held-back record %s: %s", path, err)
        return None
    log.info("held-back record %s: %d stale entr(ies) pruned", path, len(gone))
    return Pruned(path, len(gone), tuple(sorted(emptied)), tuple(sorted(set(gone))))


def held_back(server: str, project: str, queued: Collection[str]) -> list[HeldBack]:
    """The records of review set ``project`` on the Label Studio at ``server`` (its URL;
    see the module), each with only its
    passages that no queue holds (``queued``: the passages the queues hold now); records
    with none left out. Sorted by file."""
    out = []
    for key, rec in sorted(_read(_path(server, project)).items()):
        if not isinstance(rec, dict):
            continue  # the "project" entry
        waiting = tuple(p for p in rec.get("passages") or [] if p not in queued)
        if waiting:
            own = rec.get("own_caps") if isinstance(rec.get("own_caps"), dict) else {}
            cap = int(rec["max_graphic"])
            set_cap = rec.get("set_cap", cap) if own else cap
            out.append(HeldBack(key, cap, int(rec["k"]), waiting, dict(own), set_cap))
    return out


# the export's format marker; an import refuses any other
EXPORT_FORMAT = "annotate-held-back/1"


def export_record(server: str, project: str) -> dict[str, Any]:
    """The record of review set ``project`` on the Label Studio at ``server`` as a JSON
    document another machine imports (:func:`import_record`): ``format``, ``server`` (its
    URL without credentials), ``project`` and ``records`` (pre-labels file as pushed ->
    ``max_graphic``, ``k``, ``passages``); empty ``records`` when nothing is recorded."""
    records = {
        k: {f: v[f] for f in ("max_graphic", "k", "passages", "own_caps", "set_cap") if f in v}
        for k, v in _read(_path(server, project)).items()
        if isinstance(v, dict)
    }
    return {
        "format": EXPORT_FORMAT,
        "server": masked(server).rstrip("/"),
        "project": project,
        "records": records,
    }


@dataclass(frozen=True)
class Imported:
    """What :func:`import_record` added to this machine's record."""

    path: Path
    files: int  # files of the export with a passage new here
    passages: int  # (file, passage) entries new here


def import_record(server: str, project: str, doc: Any) -> Imported:
    """Merge an :func:`export_record` document into this machine's record of review set
    ``project`` on the Label Studio at ``server``: per file, the union of the passages
    recorded here and there (an entry is never dropped here: the next `review status`
    prunes those a queue holds), with the export's cap and K for a file new here. Importing
    the same export twice adds nothing. Raises InputError for a document that is no
    export, and OSError when the record cannot be written."""
    from annotate.errors import InputError

    fix = "pass a file written by `annotate review held-back --project NAME --out FILE`."
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(
            f"not a held-back export: expected format {EXPORT_FORMAT!r}, found {found!r}.",
            fix=fix,
        )
    records = doc.get("records")
    if not isinstance(records, dict) or not all(
        isinstance(r, dict)
        and isinstance(r.get("passages"), list)
        and isinstance(r.get("max_graphic"), int)
        and isinstance(r.get("k"), int)
        for r in records.values()
    ):
        raise InputError(
            "the held-back export's records are not {file: {max_graphic, k, passages}}.",
            fix=fix,
        )
    path = _path(server, project)
    path.parent.mkdir(parents=True, exist_ok=True)
    files = added = 0
    with _lock(path, WRITE_WAIT_S):
        data = _load(path)
        for key, rec in sorted(records.items()):
            mine = data.get(key) if isinstance(data.get(key), dict) else None
            have = set(mine["passages"]) if mine else set()
            new = sorted({str(p) for p in rec["passages"]} - have)
            if not new:
                continue
            files += 1
            added += len(new)
            base = mine or {
                "max_graphic": rec["max_graphic"],
                "k": rec["k"],
                # held back by reviewers' own caps alone (see record_held)
                **(
                    {"own_caps": rec["own_caps"], "set_cap": rec.get("set_cap")}
                    if isinstance(rec.get("own_caps"), dict) and rec["own_caps"]
                    else {}
                ),
            }
            data[key] = {**base, "passages": sorted(have | set(new)), "written": _stamp()}
        if added:
            _write(path, project, data)
    return Imported(path, files, added)
