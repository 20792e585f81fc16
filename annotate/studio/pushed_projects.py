"""The Label Studio projects pushes from this machine made or filled, kept so that a push
notices when one of them is gone.

A project deleted in Label Studio (its web interface, its API) takes its tasks and every
answer in them with it, and leaves nothing on the server to say it was there: the next
``annotate push`` of the same name made it again, empty, and said only "6 created" (a
review set's queue: "10 added"), so a lead who deleted a reviewer's queue by mistake was
told nothing, and its passages went to review again. So every push records, per server
and name, the ids and titles of the projects it wrote to or found there (a plain push's
project and its numbered ones, a review set's queues; ``annotate review reassign``'s new
queues too); before it sends anything, a push compares the record with the projects the
server holds under the name and refuses (:func:`deleted_error`) while a recorded one is
gone, unless told to make them again (``--recreate-deleted``: :func:`forget` drops them
from the record).

A review set's record lists the pre-labels files pushed into it too (``prelabels``,
absolute paths, :func:`remember_file`), so that `annotate review status` names the push
that makes a deleted queue again with the real file, not a placeholder.

The record is the user's, not the work folder's: ``$XDG_STATE_HOME/annotate/pushed-projects``
(``~/.local/state/annotate/...``, :func:`annotate.settings.state_dir`), one file per
server and name; with ``$ANNOTATE_HOME`` set, ``$ANNOTATE_HOME/state/pushed-projects``
(a team or job kept apart by it keeps its records apart: they name projects and the
pre-labels files' paths; passK54 K8). The folder is made 0700 and each file 0600. A
team server's user pushes from wherever the file is (with ``LABEL_STUDIO_URL`` set); a
record kept in the work folder's ``.annotate`` (as before) missed a deletion whenever
the push ran from another folder, and left a ``.annotate`` there. A record an earlier
version kept in ``$ANNOTATE_HOME/pushed-projects`` is read and moved into the user's on
the next push of that name from that folder. With ``$ANNOTATE_HOME`` set, each record is
written in the user's folder too (:func:`shared_folder`), and both are read (their
projects joined): a push of the same name without it (from another shell, with
``LABEL_STUDIO_URL`` set: break45 #3) still notices a deletion, and a record kept there
before ``$ANNOTATE_HOME`` moved them still counts, so a push cut short before resumes.
Each record carries when it was written (``written``) and the projects dropped from it
(``forgotten``, by ``--recreate-deleted``): a project one record dropped is not brought
back by an older record that still lists it (the user's folder read-only, a container's
home: its copy could not be rewritten; break11 M7).

A server is its URL and the organization the token works in (its id and creation time,
:meth:`annotate.studio.client.StudioClient.instance`): a local server started afresh in
another folder on the same port, or a team server whose database was replaced, is
another server, with a record of its own (the first push to it says so: a wiped server
is not refused; one restored from an older backup is, as its organization is the same).

Pushes from another machine or user account are not recorded here (their own records
notice what they made or saw). A record that cannot be read or written is logged and the
push goes on as without one: it guards against a silent loss, it is no lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import logging
import os
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from annotate._util.atomic import atomic_write_text
from annotate._util.urls import masked
from annotate.errors import StudioError
from annotate.settings import annotate_home, state_dir, user_state_dir

log = logging.getLogger(__name__)

FOLDER = "pushed-projects"
RECREATE_OPTION = "--recreate-deleted"


class Server(NamedTuple):
    """A Label Studio as the record keys it: ``url`` (without the user:password@ it may
    carry) and ``instance`` (:meth:`annotate.studio.client.StudioClient.instance`; None:
    the server did not say, then the URL alone keys it)."""

    url: str
    instance: str | None = None


def server_of(client: Any) -> Server:
    """The :class:`Server` ``client`` talks to, read once per client (its ``instance()``;
    a client without one, a test's fake, is keyed by its URL alone)."""
    known = getattr(client, "_pushed_projects_server", None)
    if isinstance(known, Server):
        return known
    read: Callable[[], object] | None = getattr(client, "instance", None)
    instance = read() if callable(read) else None
    server = Server(masked(client.url).rstrip("/"), instance if isinstance(instance, str) else None)
    with contextlib.suppress(AttributeError):  # one that takes none: read again next time
        client._pushed_projects_server = server
    return server


def _server(server: str | Server) -> Server:
    if isinstance(server, Server):
        return Server(masked(server.url).rstrip("/"), server.instance)
    return Server(masked(server).rstrip("/"))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_server_url(url: str) -> str:
    """``url`` written one way for every spelling of one address (the record's key): scheme
    and host in lower case, a loopback host (``localhost``, ``127.0.0.0/8``, ``::1``) as
    ``127.0.0.1``, the scheme's default port left out, no trailing slash. A push to
    ``http://localhost:8080`` made the deleted project again that a push to
    ``http://127.0.0.1:8080`` recorded (stop 46's break helper). A host's name and its
    address elsewhere are not told alike (that needs DNS): push with one spelling."""
    try:
        parts = urllib.parse.urlsplit(url.strip().rstrip("/"))
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip().rstrip("/")
    if host == "localhost":
        host = "127.0.0.1"
    else:
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(host).is_loopback:
                host = "127.0.0.1"
    scheme = parts.scheme.lower()
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    elif ":" in host:
        host = f"[{host}]"
    return urllib.parse.urlunsplit((scheme, host, parts.path.rstrip("/"), "", ""))


def records_folder() -> Path:
    """``$XDG_STATE_HOME/annotate/pushed-projects`` (:func:`annotate.settings.state_dir`)."""
    return state_dir() / FOLDER


def shared_folder() -> Path | None:
    """``$XDG_STATE_HOME/annotate/pushed-projects`` (:func:`annotate.settings.
    user_state_dir`) when :func:`records_folder` is elsewhere (``$ANNOTATE_HOME`` set):
    where pushes without ``$ANNOTATE_HOME`` keep their records, read and written beside
    :func:`records_folder`'s; else None."""
    folder = user_state_dir() / FOLDER
    return None if folder == records_folder() else folder


def legacy_folder() -> Path:
    """``$ANNOTATE_HOME/pushed-projects``, where earlier versions kept the record (read and
    moved into :func:`records_folder` by the next push of a name)."""
    return annotate_home() / FOLDER


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def record_path(server: str | Server, name: str) -> Path:
    """The record of the projects of ``name`` (a project, numbered projects or a review
    set) on ``server`` (a URL, keyed as the push lock is: without a user:password@ it
    carries; or a :class:`Server`, its organization too)."""
    url, instance = _server(server)
    url = same_server_url(url)
    key = f"{url}\n{name}" if instance is None else f"{url}\n{instance}\n{name}"
    return records_folder() / f"{_digest(key)}.json"


def _shared_path(server: str | Server, name: str) -> Path | None:
    """The record of ``name`` in :func:`shared_folder` (None: no such folder)."""
    folder = shared_folder()
    return None if folder is None else folder / record_path(server, name).name


def _current_path(server: str | Server, name: str) -> Path:
    """The record file of ``name`` that names its pre-labels files and that messages name:
    :func:`record_path`, or where none is there, the one in :func:`shared_folder` that
    is (else :func:`record_path`)."""
    path = record_path(server, name)
    if path.is_file():
        return path
    shared = _shared_path(server, name)
    return shared if shared is not None and shared.is_file() else path


def _legacy_path(server: str | Server, name: str) -> Path:
    key = f"{_server(server).url}\n{name}"
    return legacy_folder() / f"{_digest(key)}.json"


class _Record(NamedTuple):
    """A record file: its projects (id -> title), the ids dropped from it
    (:func:`forget`) and when it was written (seconds since the epoch; 0: an earlier
    version's record, which says neither)."""

    projects: dict[int, str]
    forgotten: frozenset[int]
    written: float


def _read_record(path: Path | None) -> _Record | None:
    """The record file ``path``; None when there is none or it cannot be read (logged)."""
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        projects = {int(pid): str(title) for pid, title in dict(data["projects"]).items()}
        forgotten = frozenset(int(pid) for pid in data.get("forgotten") or [])
        return _Record(projects, forgotten, float(data.get("written") or 0))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("could not read the record of the projects pushed to %s: %s", path, exc)
        return None


def _records(server: str | Server, name: str) -> list[_Record]:
    """The record files of ``name`` that can be read: an earlier version's in the work
    folder, the user's folder's (with ``$ANNOTATE_HOME`` set), :func:`record_path`'s."""
    paths = (_legacy_path(server, name), _shared_path(server, name), record_path(server, name))
    return [r for p in paths if (r := _read_record(p)) is not None]


def _read_files(path: Path) -> list[str]:
    """The pre-labels files a record file lists (``prelabels``); [] when none or unreadable."""
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [str(f) for f in data.get("prelabels") or []]
    except (OSError, ValueError, TypeError, AttributeError):
        return []


def pushed_files(server: str | Server, name: str) -> list[str]:
    """The pre-labels files (absolute paths, the latest push's last) that pushes from this
    machine sent into ``name`` on ``server`` ([] when none is recorded: a push by an
    earlier version, or from another machine)."""
    return _read_files(_current_path(server, name))


def remember_file(server: str | Server, name: str, prelabels: str | os.PathLike[str]) -> None:
    """Add the pre-labels file ``prelabels`` (its absolute path) to the record of ``name``
    on ``server``, last (a file pushed again moves there): what `annotate review status`
    names in the push that makes a deleted queue again."""
    path = str(Path(prelabels).resolve())
    files = pushed_files(server, name)
    if files and files[-1] == path:
        return
    _write(server, name, recorded(server, name), [*(f for f in files if f != path), path])


def recorded(server: str | Server, name: str) -> dict[int, str]:
    """Project id -> title of every project of ``name`` on ``server`` a push recorded
    ({} when none, or when the record cannot be read: logged), a record an earlier
    version kept in the work folder (:func:`legacy_folder`) included."""
    records = _records(server, name)
    out: dict[int, str] = {}
    for r in records:  # a push without $ANNOTATE_HOME records in the user's folder only
        out.update(r.projects)
    # a project a record dropped (--recreate-deleted) stays dropped where another record
    # that still lists it is not newer: one whose folder could not be written then
    for pid in list(out):
        dropped = [r.written for r in records if pid in r.forgotten]
        if dropped and all(r.written <= max(dropped) for r in records if pid in r.projects):
            del out[pid]
    return out


def _write(
    server: str | Server,
    name: str,
    projects: Mapping[int, str],
    files: list[str] | None = None,
    dropped: Iterable[int] = (),
) -> None:
    """Write the record of ``name``: ``projects``, ``files`` (the pre-labels files
    pushed into it; None: those the record lists now), and as ``forgotten`` the ids
    ``dropped`` now and those the records dropped before, less ``projects``."""
    path = record_path(server, name)
    url, instance = _server(server)
    body: dict[str, Any] = {
        "server": same_server_url(url),
        "instance": instance,
        "name": name,
        "projects": {str(pid): projects[pid] for pid in sorted(projects)},
        "written": time.time(),
    }
    forgotten = set(dropped).union(*(r.forgotten for r in _records(server, name)))
    forgotten -= set(projects)
    if forgotten:
        body["forgotten"] = sorted(forgotten)
    files = pushed_files(server, name) if files is None else files
    if files:
        body["prelabels"] = files
    text = json.dumps(body, indent=1, ensure_ascii=False) + "\n"
    shared = _shared_path(server, name)
    for where in [path] if shared is None else [path, shared]:
        try:
            _private_folder(where.parent)
            atomic_write_text(where, text, private=True)
        except OSError as exc:
            log.warning("could not record the projects pushed in %s: %s", where, exc)
            if where == path:
                return
    legacy = _legacy_path(server, name)
    if legacy.is_file():  # moved into the user's record now
        try:
            legacy.unlink()
        except OSError as exc:
            log.warning("could not remove %s (moved to %s): %s", legacy, path, exc)
        else:
            log.info(
                "record of the projects of %r on %s moved from %s to %s", name, url, legacy, path
            )


def _private_folder(folder: Path) -> None:
    """Make ``folder`` (and its missing parents) and leave it 0700: the records name
    projects and files, for the user alone (they were 0644 in a folder every user could
    list). A folder of another owner is left as it is."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)


def _elsewhere(server: Server, name: str) -> list[tuple[str, int]]:
    """(instance, number of projects) of the records of ``name`` at ``server``'s URL kept
    for another server there (another organization); [] when none."""
    out: list[tuple[str, int]] = []
    files: dict[str, Path] = {}  # by file name: a record written in both folders once
    for folder in (shared_folder(), records_folder()):
        try:
            files.update({p.name: p for p in folder.glob("*.json")} if folder is not None else {})
        except OSError:
            continue
    for path in (files[n] for n in sorted(files)):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("server") != same_server_url(server.url) or data.get("name") != name:
                continue
            if data.get("instance") in (None, server.instance) or not data.get("projects"):
                continue
            out.append((str(data["instance"]), len(dict(data["projects"]))))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return out


def remember(server: str | Server, name: str, projects: Mapping[int, str]) -> None:
    """Add ``projects`` (id -> title) to the record of ``name`` on ``server`` (a record an
    earlier version kept in the work folder is moved into the user's then)."""
    known = recorded(server, name)
    moved = not _legacy_path(server, name).is_file()
    if moved and all(known.get(pid) == title for pid, title in projects.items()):
        return
    _write(server, name, {**known, **projects})


def forget(server: str | Server, name: str, ids: Iterable[int]) -> None:
    """Drop the projects ``ids`` from the record of ``name`` on ``server``."""
    known = recorded(server, name)
    drop = set(ids)
    left = {pid: title for pid, title in known.items() if pid not in drop}
    if left != known:
        _write(server, name, left, dropped=drop & set(known))


def missing(server: str | Server, name: str, present: Iterable[int]) -> dict[int, str]:
    """The recorded projects of ``name`` (id -> title) that are not among ``present`` (the
    ids of the projects the server holds under the name)."""
    here = {int(pid) for pid in present}
    return {pid: title for pid, title in recorded(server, name).items() if pid not in here}


def check_deleted(
    server: str | Server,
    name: str,
    present: Iterable[int],
    *,
    recreate: bool,
    what: str,
    owners: Mapping[str, str] | None = None,
    title_now: Callable[[int], str | None] | None = None,
) -> dict[int, str]:
    """Before a push of ``name`` (``what``: "project" or "review set") sends anything: the
    recorded projects that are gone from ``server`` (not in ``present``). With
    ``recreate`` they are dropped from the record (logged) and returned, and the push may
    make them again; without it, raises :func:`deleted_error` when there are any.
    ``owners``: title -> the reviewer (e-mail) whose queue it was, where known (named
    beside the title). ``title_now``: the title a project id has on the server now (None:
    no such project); a recorded project still there under another title raises
    :func:`renamed_error` (rename it back), whatever ``recreate``. A server at the URL of
    records kept for another one (another organization: a new server, or its database
    replaced) and none of its own is logged."""
    where = _server(server)
    if where.instance is not None and not recorded(where, name):
        others = _elsewhere(where, name)
        if others:
            log.warning(
                "%s is another Label Studio (organization %s) than the one pushes from this "
                "machine recorded %d project(s) of %r on (organization %s): a new server at "
                "that address, or its data was replaced. Those projects are not checked "
                "(records in %s)",
                where.url,
                where.instance,
                sum(n for _, n in others),
                name,
                ", ".join(instance for instance, _ in others),
                records_folder(),
            )
    gone = missing(where, name, present)
    if gone and title_now is not None:
        renamed = {pid: now for pid in gone if (now := title_now(pid)) is not None}
        if renamed:
            raise renamed_error(where, name, renamed)
    if gone and not recreate:
        raise deleted_error(where, name, gone, what, owners)
    if gone:
        log.warning(
            "%s %r: %d project(s) an earlier push made are gone from %s (%s); made again "
            "as needed (%s)",
            what,
            name,
            len(gone),
            where.url,
            shown(gone, owners),
            RECREATE_OPTION,
        )
        forget(where, name, gone)
    return gone


def shown(gone: Mapping[int, str], owners: Mapping[str, str] | None) -> str:
    """``'T' (id 4, the queue of a@b.org), ...``: each project, its reviewer where known."""
    parts = []
    for pid, title in sorted(gone.items()):
        owner = (owners or {}).get(title)
        parts.append(f"{title!r} (id {pid}{f', the queue of {owner}' if owner else ''})")
    return ", ".join(parts)


def renamed_error(server: str | Server, name: str, renamed: Mapping[int, str]) -> StudioError:
    """The error of a push of ``name`` whose recorded projects ``renamed`` (id -> the title
    each has now) are still on ``server`` under another title."""
    shown_now = ", ".join(f"id {pid} is now titled {title!r}" for pid, title in renamed.items())
    return StudioError(
        f"the Label Studio project(s) an earlier push of {name!r} from this machine made "
        f"{'is' if len(renamed) == 1 else 'are'} still on {_server(server).url}, renamed: "
        f"{shown_now}. A push under the old name would make a second project and send its "
        "passages to review again. Nothing was sent.",
        fix=f"rename it back to {name!r} in Label Studio (the project's Settings > General), "
        "or push with --project set to its new title.",
    )


def deleted_error(
    server: str | Server,
    name: str,
    gone: Mapping[int, str],
    what: str,
    owners: Mapping[str, str] | None = None,
) -> StudioError:
    """The error of a push of ``name`` whose recorded projects ``gone`` (id -> title) are
    no longer on ``server``: what was expected, what was found (with the reviewer whose
    queue it was, from ``owners``: title -> e-mail, where known), where the record is,
    the fix."""
    queue = "queue" if what == "review set" else "project"
    whose = (
        f"reviewer queue(s) of the review set {name!r}"
        if queue == "queue"
        else (f"Label Studio project(s) of {name!r}")
    )
    url = _server(server).url
    return StudioError(
        f"{len(gone)} {whose} that an earlier push "
        f"from this machine made or filled {'is' if len(gone) == 1 else 'are'} no longer "
        f"on {url}: {shown(gone, owners)} (deleted in Label Studio, renamed, or the "
        "server's data restored from an older backup; recorded in "
        f"{_current_path(server, name)}). A deleted project takes its tasks and every answer "
        "in it along; this push would make it again, empty, and send its passages to review "
        "again. Nothing was sent.",
        fix="if it was deleted by mistake, restore Label Studio's data from a backup (the "
        "local server's .annotate/studio/data, a team server's database) before pushing "
        "again: a push cannot bring answers back. If it was deleted on purpose, run the same "
        f"push with {RECREATE_OPTION} (it forgets the old {queue} and makes it again as "
        "needed; answers exported before stay in that export: `annotate export` refuses "
        "to replace an export holding answers Label Studio no longer has).",
    )


__all__ = [
    "RECREATE_OPTION",
    "Server",
    "check_deleted",
    "deleted_error",
    "forget",
    "legacy_folder",
    "missing",
    "pushed_files",
    "record_path",
    "recorded",
    "records_folder",
    "remember",
    "remember_file",
    "renamed_error",
    "server_of",
    "shared_folder",
    "shown",
]
