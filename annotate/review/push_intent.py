"""What an unfinished review push meant to do, kept so that its re-run knows it.

A push without ``--reviewer`` gives every reviewer account a queue, and names those it
gives a first queue in a review set that had queues already (they "joined" it: a lead's
account may have been included by mistake). A push stopped midway (Ctrl-C, the server
gone) after its first queue leaves a set that has queues; its re-run, as the error line
tells, made the other queues and named those reviewers as joining, though nobody did.

So before a push makes a queue it records, per server and review set, in
``$ANNOTATE_HOME/review-pushing/<digest of the server's URL and the set's name>.json``:
whether the set had queues when that push began (``set_existed``), whose
(``queued_before``), and the reviewers the push meant to give passages (``intended``).
A push that ends removes the record; a re-run finds it and compares against what the
stopped run intended (:func:`joined`), keeping the first record while re-runs stop too.
A record is used only by a re-run of the same push: same server, set and input files
(``inputs``: :func:`inputs_digest` of the pre-labels and gold table). Any other push of
the set (other pre-labels, a stopped push never re-run) discards it with a log line, so
a stale record cannot hide the accounts a later push gives a first queue.
Every push of a set holds its push lock (:func:`annotate.studio.lock.project_lock`)
while it reads and writes the record, so no two write it at once. Pushes on another
machine are not seen here (their re-run there has its own record).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from annotate._util.atomic import atomic_write_text
from annotate._util.digest import sha256_file
from annotate._util.urls import masked
from annotate.settings import annotate_home

log = logging.getLogger(__name__)

FOLDER = "review-pushing"


@dataclass(frozen=True)
class PushIntent:
    """A push's reviewers as it began (emails, lower case)."""

    set_existed: bool  # the review set had queues when the push began
    queued_before: frozenset[str]  # reviewers with a queue then
    intended: frozenset[str]  # reviewers the push meant to give passages
    inputs: str = ""  # :func:`inputs_digest` of the push's files ("": not known)


def inputs_digest(*paths: str | os.PathLike[str] | None) -> str:
    """Hex SHA-256 over the SHA-256 of each file of ``paths`` (None skipped; a folder:
    its files, sorted by relative path), in order: what a re-run of the same push reads.
    Raises OSError when a file cannot be read."""
    h = hashlib.sha256()
    for given in paths:
        if given is None:
            h.update(b"-\n")
            continue
        path = Path(given)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            h.update(f"{f.relative_to(path) if f != path else ''}:{sha256_file(f)}\n".encode())
        h.update(b"\n")
    return h.hexdigest()


def records_folder() -> Path:
    """``$ANNOTATE_HOME/review-pushing`` (:func:`annotate.settings.annotate_home`)."""
    return annotate_home() / FOLDER


def record_path(server: str, project: str) -> Path:
    """The record of a push of ``project`` on ``server`` (keyed as the push lock is:
    whoever's user:password@ the URL carries)."""
    key = f"{masked(server).rstrip('/')}\n{project}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return records_folder() / f"{digest}.json"


def unfinished(server: str, project: str, inputs: str) -> PushIntent | None:
    """The record an unfinished push of ``project`` with input files ``inputs``
    (:func:`inputs_digest`) left, or None: none, one that cannot be read (logged, and
    the push then judges as without a record), or one of another push (other input
    files, or a record without them): not this push's re-run, so it is removed (logged)."""
    path = record_path(server, project)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kept = PushIntent(
            set_existed=bool(data["set_existed"]),
            queued_before=frozenset(map(str, data["queued_before"])),
            intended=frozenset(map(str, data["intended"])),
            inputs=str(data.get("inputs") or ""),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("could not read the record of an unfinished push %s: %s", path, exc)
        return None
    if kept.inputs != inputs:
        log.info(
            "discarded the record of an unfinished push of %r begun %s (%s): this push "
            "reads other files, so it is no re-run of that one",
            project,
            data.get("started") or "at an unknown time",
            path,
        )
        finish(server, project)
        return None
    return kept


def begin(server: str, project: str, intent: PushIntent) -> PushIntent:
    """Record ``intent`` for the push about to make queues, unless a stopped push of the
    set with the same input files (``intent.inputs``) left a record (that one stays: the
    re-run finishes that push; another push's is discarded); the record in force. A
    record that cannot be written is logged (the push goes on)."""
    kept = unfinished(server, project, intent.inputs)
    if kept is not None:
        return kept
    path = record_path(server, project)
    body = {
        "project": project,
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "set_existed": intent.set_existed,
        "queued_before": sorted(intent.queued_before),
        "intended": sorted(intent.intended),
        "inputs": intent.inputs,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(body, indent=1) + "\n")
    except OSError as exc:
        log.warning("could not record the push's reviewers in %s: %s", path, exc)
    return intent


def finish(server: str, project: str) -> None:
    """Remove the record of a push of ``project`` that ended (a failure is logged)."""
    try:
        record_path(server, project).unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove the record of a finished push: %s", exc)


def joined(intent: PushIntent, made: Collection[str], queued_now: Collection[str]) -> list[str]:
    """The reviewers who joined the set in this push (its stopped runs included), sorted:
    given a first queue (``made`` by this run, or, in a set that had queues, by a stopped
    run: in ``queued_now`` but not ``queued_before``) where the push began with queues, or
    not meant by the push that began the set (an account added since it stopped). A
    reviewer in ``queued_before`` (a queue deleted in Label Studio, made again by `push
    --recreate-deleted`) never joins."""
    if intent.set_existed:
        earlier = set(queued_now) - intent.queued_before
        # made again for one queued before (deleted in Label Studio, `push
        # --recreate-deleted`): no joining, also where a re-run of a stopped push makes it
        return sorted((earlier | set(made)) - intent.queued_before)
    return sorted(set(made) - intent.intended)


__all__ = [
    "PushIntent",
    "begin",
    "finish",
    "inputs_digest",
    "joined",
    "record_path",
    "unfinished",
]
