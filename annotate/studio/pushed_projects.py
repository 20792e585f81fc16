"""The Label Studio projects pushes from this machine made or filled, kept so that a push
notices when one of them is gone.

A project deleted in Label Studio (its web interface, its API) takes its tasks and every
answer in them with it, and leaves nothing on the server to say it was there: the next
``annotate push`` of the same name made it again, empty, and said only "6 created" (a
review set's queue: "10 added"), so a lead who deleted a reviewer's queue by mistake was
told nothing, and its passages went to review again. So every push records, per server
and name, the ids and titles of the projects it wrote to (a plain push's project and its
numbered ones, a review set's queues; ``annotate review reassign``'s new queues too), in
``$ANNOTATE_HOME/pushed-projects/<digest of the server's URL and the name>.json``; before
it sends anything, a push compares the record with the projects the server holds under
the name and refuses (:func:`deleted_error`) while a recorded one is gone, unless told to
make them again (``--recreate-deleted``: :func:`forget` drops them from the record).

Pushes from another machine are not recorded here (that machine's record notices what
they made). A record that cannot be read or written is logged and the push goes on as
without one: it guards against a silent loss, it is no lock.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from annotate._util.atomic import atomic_write_text
from annotate._util.urls import masked
from annotate.errors import StudioError
from annotate.settings import annotate_home

log = logging.getLogger(__name__)

FOLDER = "pushed-projects"
RECREATE_OPTION = "--recreate-deleted"


def records_folder() -> Path:
    """``$ANNOTATE_HOME/pushed-projects`` (:func:`annotate.settings.annotate_home`)."""
    return annotate_home() / FOLDER


def record_path(server: str, name: str) -> Path:
    """The record of the projects of ``name`` (a project, numbered projects or a review
    set) on ``server`` (keyed as the push lock is: without a user:password@ the URL
    carries)."""
    key = f"{masked(server).rstrip('/')}\n{name}"
    return records_folder() / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def recorded(server: str, name: str) -> dict[int, str]:
    """Project id -> title of every project of ``name`` on ``server`` a push recorded
    ({} when none, or when the record cannot be read: logged)."""
    path = record_path(server, name)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {int(pid): str(title) for pid, title in dict(data["projects"]).items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("could not read the record of the projects pushed to %s: %s", path, exc)
        return {}


def _write(server: str, name: str, projects: Mapping[int, str]) -> None:
    path = record_path(server, name)
    body = {
        "server": masked(server),
        "name": name,
        "projects": {str(pid): projects[pid] for pid in sorted(projects)},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(body, indent=1, ensure_ascii=False) + "\n")
    except OSError as exc:
        log.warning("could not record the projects pushed in %s: %s", path, exc)


def remember(server: str, name: str, projects: Mapping[int, str]) -> None:
    """Add ``projects`` (id -> title) to the record of ``name`` on ``server``."""
    known = recorded(server, name)
    if all(known.get(pid) == title for pid, title in projects.items()):
        return
    _write(server, name, {**known, **projects})


def forget(server: str, name: str, ids: Iterable[int]) -> None:
    """Drop the projects ``ids`` from the record of ``name`` on ``server``."""
    known = recorded(server, name)
    left = {pid: title for pid, title in known.items() if pid not in set(ids)}
    if left != known:
        _write(server, name, left)


def missing(server: str, name: str, present: Iterable[int]) -> dict[int, str]:
    """The recorded projects of ``name`` (id -> title) that are not among ``present`` (the
    ids of the projects the server holds under the name)."""
    here = {int(pid) for pid in present}
    return {pid: title for pid, title in recorded(server, name).items() if pid not in here}


def check_deleted(
    server: str, name: str, present: Iterable[int], *, recreate: bool, what: str
) -> dict[int, str]:
    """Before a push of ``name`` (``what``: "project" or "review set") sends anything: the
    recorded projects that are gone from ``server`` (not in ``present``). With
    ``recreate`` they are dropped from the record (logged) and returned, and the push may
    make them again; without it, raises :func:`deleted_error` when there are any."""
    gone = missing(server, name, present)
    if gone and not recreate:
        raise deleted_error(server, name, gone, what)
    if gone:
        log.warning(
            "%s %r: %d project(s) an earlier push made are gone from %s (%s); made again "
            "as needed (%s)",
            what,
            name,
            len(gone),
            masked(server),
            ", ".join(f"{t!r} id {pid}" for pid, t in sorted(gone.items())),
            RECREATE_OPTION,
        )
        forget(server, name, gone)
    return gone


def deleted_error(server: str, name: str, gone: Mapping[int, str], what: str) -> StudioError:
    """The error of a push of ``name`` whose recorded projects ``gone`` (id -> title) are
    no longer on ``server``: what was expected, what was found, the fix."""
    shown = ", ".join(f"{title!r} (id {pid})" for pid, title in sorted(gone.items()))
    queue = "queue" if what == "review set" else "project"
    whose = (
        f"reviewer queue(s) of the review set {name!r}"
        if queue == "queue"
        else (f"Label Studio project(s) of {name!r}")
    )
    return StudioError(
        f"{len(gone)} {whose} that an earlier push "
        f"from this machine made or filled {'is' if len(gone) == 1 else 'are'} no longer "
        f"on {masked(server)}: {shown} (deleted in Label Studio, renamed, or the server's "
        "data was reset). A deleted project takes its tasks and every answer in it along; "
        "this push would make it again, empty, and send its passages to review again. "
        "Nothing was sent.",
        fix="if it was deleted by mistake, restore Label Studio's data from a backup (the "
        "local server's .annotate/studio/data, a team server's database) before pushing "
        "again: a push cannot bring answers back. If it was deleted on purpose, run the same "
        f"push with {RECREATE_OPTION} (it forgets the old {queue} and makes it again as "
        "needed; answers exported before stay in that export: `annotate export` refuses "
        "to replace an export holding answers Label Studio no longer has).",
    )


__all__ = [
    "RECREATE_OPTION",
    "check_deleted",
    "deleted_error",
    "forget",
    "missing",
    "record_path",
    "recorded",
    "remember",
]
