"""The local Label Studio: install into its own venv, start, stop, health.

The server runs on 127.0.0.1 with SQLite (or a team's PostgreSQL, ``start(database=...)``,
remembered in ``database.json``), its data under ``$ANNOTATE_HOME/studio/data``, a
preset admin login and a legacy API token (written to ``credentials.json`` before the
first start, because Label Studio only honours a preset token when it creates the user).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from annotate._util.atomic import atomic_write_text
from annotate._util.http import httpx
from annotate._util.proc_stat import stat_fields
from annotate.errors import StudioError, StudioUnavailableError
from annotate.studio.connection import (
    DEFAULT_PORT,
    HOST,
    INSTALL_REQUIREMENTS,
    LABEL_STUDIO_VERSION,
    PORT_ENV,
    STARTED_MARKER,
    VENV_ENV,
    Credentials,
    StudioPaths,
    read_credentials,
    read_state,
    studio_paths,
)
from annotate.studio.database import (
    INHERITED_ENV as INHERITED_ENV,  # what the server keeps of the caller's environment
)
from annotate.studio.database import (
    Database,
    ProbeResult,
    caller_env,
    parse,
    probe,
    sqlite_env,
)
from annotate.studio.lock import check_install_lock, clear_install_leftovers, install_lock
from annotate.studio.offline import offline_env
from annotate.studio.port_holder import taken_from
from annotate.studio.server_patches import patched_env

log = logging.getLogger(__name__)

ADMIN_USER = "admin@annotate.local"
START_TIMEOUT_S = 240.0
# A first start on an empty PostgreSQL database (Label Studio's migrations) took 145-290 s
# on 2 cores at load 8-15; in one run at load ~13, 203 s, while a SQLite first start did
# not finish within START_TIMEOUT_S.
PG_START_TIMEOUT_S = 600.0
# While the server process keeps using CPU (its first start runs migrations), a start
# waits past its timeout, up to this many seconds in all: at load ~10 on 2 cores a first
# SQLite start took more than 240 s (stop 63's `make demo` gave up at 240 s while the
# server was still migrating). A server that stops using CPU without answering still
# fails after the timeout.
START_HARD_CAP_S = 1200.0
WHEELS_DIR = Path("/opt/wheels")
# PostgreSQL driver: label-studio 1.23.2 itself requires psycopg[binary]>=3.2,<4; this pin
# is only installed into a server venv that somehow lacks it.
PSYCOPG_REQUIREMENT = "psycopg[binary]==3.3.9"


@dataclass(frozen=True)
class ServerStatus:
    url: str | None
    pid: int | None
    running: bool  # the process we started is alive
    answers: bool  # /health/ answers 200
    authenticated: bool  # the stored token is accepted
    paths: StudioPaths
    # HTTP status of the token check, or of /health/ when that is not 200 (5xx: e.g. the
    # server's database is down); None when it was not asked or nothing answered
    api_status: int | None = None


# ---- install ----------------------------------------------------------------------
def is_installed(paths: StudioPaths) -> bool:
    """Whether ``paths.venv`` can run Label Studio: its program is there and, for the
    user's shared install (``paths.shared``), the install finished (its
    :attr:`~StudioPaths.complete` marker, written last) and its Python still runs (the
    interpreter it was made from may have been removed since). Any other venv (named by
    ``$ANNOTATE_STUDIO_VENV``, a work folder's own) counts as installed when its program
    is there, unless annotate started an install into it (its
    :attr:`~StudioPaths.started` marker) that did not finish."""
    if not paths.executable.is_file():
        return False
    if not paths.shared:
        return not _unfinished(paths)
    return paths.complete.is_file() and (paths.venv / "bin" / "python").exists()


def _unfinished(paths: StudioPaths) -> bool:
    """Whether an install annotate started into ``paths.venv`` did not finish (its
    started marker without the complete one)."""
    return paths.started.exists() and not paths.complete.is_file()


def _made_by_annotate(paths: StudioPaths) -> bool:
    """Whether the unfinished install's started marker says annotate made the venv's
    folder (then it may be removed and made again); False when it says otherwise or
    cannot be read (kept: it may be a venv the user made)."""
    try:
        record = json.loads(paths.started.read_text(encoding="utf-8"))
        return record.get("made_by_annotate") is True
    except (OSError, ValueError, AttributeError):
        return False


def find_uv() -> str | None:
    """The ``uv`` installer beside this Python (``make setup`` puts it there), else on
    PATH; None when there is none (then pip installs)."""
    beside = Path(sys.executable).parent / "uv"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("uv")


def install_note() -> str:
    """What the first install costs, for the CLI to say before it starts (measured on a
    fresh venv: about a minute with uv, about three with pip)."""
    return "with uv, about a minute" if find_uv() else "with pip, a few minutes"


def install(paths: StudioPaths) -> None:
    """Create the server's venv and install Label Studio into it (~1 GB): with ``uv``
    when :func:`find_uv` finds it, else with pip. Output goes to ``paths.install_log``.

    One install per venv at a time (:func:`annotate.studio.lock.install_lock`: a second
    waits, then finds it installed). The venv is made in place (its scripts name its
    path, so it cannot be built elsewhere and renamed): marked started first (recording
    whether annotate made its folder: only when it was not there) and complete as the last
    step. An install that did not finish is never used: the user's shared venv
    (``paths.shared``) left unmarked is removed and made afresh, as is any venv whose
    started marker says annotate made it; a folder that was there before (named by
    ``$ANNOTATE_STUDIO_VENV``: the user's, empty or a venv) is never removed: an
    unfinished install into it is done again over it, every package reinstalled. Before
    the complete mark the install's files are flushed to disk (:func:`_flush_to_disk`).

    Raises StudioError, before anything is written, when ``paths.venv`` is a file or a
    folder that holds files but is no venv (:func:`_check_venv_folder`), or when the
    venv's folder cannot be made or written (naming the setting to change); and when an
    install step fails, leaves no ``label-studio`` program, or an unfinished install
    cannot be removed.
    """
    if is_installed(paths):
        # a holder killed after the install finished left its lock file and record: the
        # install below (which removes them) is never reached again
        clear_install_leftovers(paths.venv)
        return
    check_install_folder(paths)
    paths.root.mkdir(parents=True, exist_ok=True)
    with install_lock(paths.venv):
        if is_installed(paths):  # another command installed it while this one waited
            return
        exists = paths.venv.exists() or paths.venv.is_symlink()
        # an unfinished install into a folder annotate did not make: done again over it
        redo = not paths.shared and exists and _unfinished(paths) and not _made_by_annotate(paths)
        if exists and not redo and (paths.shared or _unfinished(paths)):
            log.warning(
                "removing %s: an earlier install of Label Studio there did not finish",
                paths.venv,
            )
            _remove(paths.venv)
            exists = False
        elif redo:
            log.warning(
                "an earlier install of Label Studio into %s did not finish; installing it "
                "again over it (the folder was there before annotate installed into it, so it "
                "is kept)",
                paths.venv,
            )
        # made by annotate: only a folder that was not there (a user's empty folder, a
        # mount point, a group folder with its own mode, is the user's: never removed)
        made = not exists
        if not redo:
            mark_started(paths, made_by_annotate=made)
        uv = find_uv()
        log.info(
            "installing label-studio==%s into %s with %s",
            LABEL_STUDIO_VERSION,
            paths.venv,
            "uv" if uv else "pip",
        )
        _pip_install_locked(paths, list(INSTALL_REQUIREMENTS), mode="w", reinstall=redo)
        if not paths.executable.is_file():
            raise StudioError(
                f"installing Label Studio did not produce {paths.executable}.",
                fix=f"see {paths.install_log}; delete {paths.venv} and run `annotate studio "
                "start`.",
            )
        _flush_to_disk()
        mark_complete(paths)


def check_install_folder(paths: StudioPaths) -> None:
    """The checks :func:`install` makes before it writes anything, for a caller that says
    where it installs before calling it (`studio start`, `demo`): so a refused folder is
    not announced first (reader60). Raises StudioError as :func:`install` does for
    ``paths.venv`` (a file, a folder of other files), for a folder that cannot be made
    or written, and for one its install lock refuses (every user may write it, no sticky
    bit; a lock or gate that is a link: :func:`annotate.studio.lock.check_install_lock`,
    reader61 #3); makes the venv's parent folder when missing."""
    _check_venv_folder(paths)
    _check_writable(paths)
    check_install_lock(paths.venv)


def _check_venv_folder(paths: StudioPaths) -> None:
    """Refuse to install into ``paths.venv`` when it is a file, or (for a venv other than
    the shared install, which is annotate's own) a folder that holds files but is no venv
    (no ``pyvenv.cfg``, no ``bin/python``) and no install annotate started (no started
    marker; annotate writes it only into a folder this check let through): the venv
    step would write into it (uv replaces a ``.gitignore`` with ``*`` and adds a
    ``CACHEDIR.TAG`` that backup tools skip; reader60 #1). Raises StudioError naming what
    was expected, what was found and the setting to change; writes nothing."""
    venv = paths.venv
    named = f"{VENV_ENV} names {venv}" if os.environ.get(VENV_ENV) else f"{venv}"
    fix = (
        f"set {VENV_ENV} to an existing venv's folder, or to a new folder's path (annotate "
        "makes it), or unset it to use the shared install; then run `annotate studio "
        "start` again."
    )
    if not os.environ.get(VENV_ENV):
        fix = f"move {venv} away (annotate installs Label Studio there), or {fix}"
    if venv.exists() and not venv.is_dir():
        raise StudioError(
            f"{named}, which is a file: expected a venv folder to run Label Studio from "
            "(an existing venv, or an empty or missing folder to install it into).",
            fix=fix,
        )
    if paths.shared or not venv.is_dir():
        return
    try:
        names = sorted(p.name for p in venv.iterdir())
    except OSError as exc:
        raise StudioError(f"cannot read {venv}: {_found(exc)}.", fix=fix) from None
    if not names or {"pyvenv.cfg", STARTED_MARKER} & set(names):
        return
    if (venv / "bin" / "python").exists():  # a Python environment without pyvenv.cfg (conda)
        return
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    raise StudioError(
        f"{named}, a folder that holds files but is no venv (no pyvenv.cfg, no "
        f"bin/python): {shown}. "
        "Label Studio is installed only into an existing venv or an empty or missing "
        "folder, never among other files.",
        fix=fix,
    )


def _check_writable(paths: StudioPaths, what: str = "Label Studio") -> None:
    """Make the venv's folder (``paths.venv.parent``) if missing and check that a file can
    be written there (the install lock and the venv go there). Raises StudioError naming
    the folder, what was found and the setting to change (``$ANNOTATE_STUDIO_VENV``,
    ``$XDG_CACHE_HOME``): a bare OSError from the lock's first file before. ``what``: what
    is installed, for the message."""
    folder = paths.venv.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudioError(
            f"cannot make {folder} to install {what} into: {_found(exc)}.",
            fix=_writable_fix(paths),
        ) from None
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".annotate-write-check-")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise StudioError(
            f"cannot install {what} into {paths.venv}: its folder {folder} must be one "
            f"you can write in (the install and its lock go there), and it is not: "
            f"{_found(exc)}.",
            fix=_writable_fix(paths),
        ) from None


def _found(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _writable_fix(paths: StudioPaths) -> str:
    """The setting that moves the venv of ``paths`` to a folder the user can write in."""
    if paths.shared:
        fix = (
            "set XDG_CACHE_HOME to a folder you can write in (Label Studio goes to its "
            f"annotate/ sub-folder), or {VENV_ENV} to a venv path in such a folder"
        )
    elif os.environ.get(VENV_ENV):
        fix = (
            f"set {VENV_ENV} to a venv path in a folder you can write in (or unset it to "
            "use the shared install under XDG_CACHE_HOME)"
        )
    else:
        fix = (
            f"make {paths.venv.parent} writable, or set {VENV_ENV} to a venv path in a "
            "folder you can write in"
        )
    return f"{fix}, then run `annotate studio start` again."


def _flush_to_disk() -> None:
    """Write the install's files to disk before it is marked complete: uv and pip do not
    fsync, and after a power cut a durable mark could stand over empty or short package
    files, trusted for good (reader59 #7). One ``sync(2)`` (seconds, once per install);
    where there is none (Windows), nothing."""
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()


def mark_started(paths: StudioPaths, *, made_by_annotate: bool) -> None:
    """Record that annotate starts an install into ``paths.venv``
    (:attr:`StudioPaths.started`; the folder made when missing), and whether annotate made
    the folder (then an unfinished install may be removed and made again). A complete
    marker of an earlier install there is removed: this one has not finished."""
    paths.venv.mkdir(parents=True, exist_ok=True)
    record = {
        "label_studio": LABEL_STUDIO_VERSION,
        "made_by_annotate": made_by_annotate,
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    atomic_write_text(paths.started, json.dumps(record) + "\n")
    paths.complete.unlink(missing_ok=True)


def mark_complete(paths: StudioPaths) -> None:
    """Record that the install into ``paths.venv`` finished (:attr:`StudioPaths.complete`)."""
    record = {
        "label_studio": LABEL_STUDIO_VERSION,
        "requirements": list(INSTALL_REQUIREMENTS),
        "installed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    atomic_write_text(paths.complete, json.dumps(record) + "\n")


def _remove(venv: Path) -> None:
    """Remove the interrupted install ``venv`` (a link: the link only). Raises StudioError
    when it cannot be removed (a busy or read-only folder)."""
    try:
        if venv.is_symlink() or venv.is_file():
            venv.unlink()
        else:
            shutil.rmtree(venv)
    except OSError as exc:
        raise StudioError(
            f"cannot remove {venv}, an earlier install of Label Studio that did not finish: "
            f"{_found(exc)}.",
            fix=f"remove {venv} yourself, then run `annotate studio start` again.",
        ) from None


def _pip_install(paths: StudioPaths, requirements: list[str], *, what: str) -> None:
    """Install ``requirements`` (``what``, named in errors) into the server venv (created
    if missing), logging to ``paths.install_log``; one install at a time
    (:func:`install_lock`). Raises what :func:`install` raises for its folder."""
    _check_venv_folder(paths)
    paths.root.mkdir(parents=True, exist_ok=True)
    _check_writable(paths, what)
    with install_lock(paths.venv):
        _pip_install_locked(paths, requirements, "a")


def _pip_install_locked(
    paths: StudioPaths, requirements: list[str], mode: str, *, reinstall: bool = False
) -> None:
    """Install ``requirements`` into ``paths.venv`` (made when it has no Python; a folder
    there already is kept); ``reinstall``: every package again, over what is there."""
    uv = find_uv()
    python = str(paths.venv / "bin" / "python")
    links = ["--find-links", str(WHEELS_DIR)] if WHEELS_DIR.is_dir() else []
    with paths.install_log.open(mode, encoding="utf-8") as out:
        if uv:
            if not Path(python).is_file():
                venv = [uv, "venv", "-q", "--allow-existing", "--python", sys.executable]
                _run([*venv, str(paths.venv)], out, paths)
            # --compile-bytecode as pip does: without .pyc files each server start compiles
            # Django and Label Studio from source (~9 s of CPU here) where
            # PYTHONDONTWRITEBYTECODE is set.
            cmd = [uv, "pip", "install", "-q", "--compile-bytecode", "--python", python, *links]
            if reinstall:
                cmd.append("--reinstall")
        else:
            if not Path(python).is_file():
                _run([sys.executable, "-m", "venv", str(paths.venv)], out, paths)
            cmd = [python, "-m", "pip", "install", "-q", *links]
            _run([*cmd, "--upgrade", "pip"], out, paths)
            if reinstall:
                cmd.append("--force-reinstall")
        _run([*cmd, *requirements], out, paths)


def check_database(paths: StudioPaths, db: Database, token: str | None = None) -> ProbeResult:
    """Connect to ``db`` with the server venv's driver (installing ``psycopg`` there if
    it is missing) and say what it holds. Raises what :func:`database.probe` raises."""
    python = paths.venv / "bin" / "python"
    found = probe(db, python, ADMIN_USER, token)
    if found is None:
        log.info("installing %s into %s", PSYCOPG_REQUIREMENT, paths.venv)
        _pip_install(paths, [PSYCOPG_REQUIREMENT], what="the PostgreSQL driver (psycopg)")
        found = probe(db, python, ADMIN_USER, token)
        if found is None:
            raise StudioError(
                f"the PostgreSQL driver (psycopg) is not importable in {paths.venv}.",
                fix=f"see {paths.install_log}; delete {paths.venv} and start again.",
            )
    return found


# ---- which database ---------------------------------------------------------------
def chosen_database(paths: StudioPaths, database: str | None = None) -> Database | None:
    """The database to run on: ``database`` when given (a postgresql:// URL, or
    ``sqlite``), else the one remembered in ``paths.database``, else SQLite (None).

    Raises InputError for a malformed URL (given or remembered).
    """
    if database is not None:
        return parse(database)
    if not paths.database.is_file():
        return None
    try:
        stored = json.loads(paths.database.read_text(encoding="utf-8"))["url"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise StudioError(
            f"{paths.database} is not a database setting this version wrote.",
            fix="run `annotate studio start --database postgresql://...` (or `sqlite`).",
        ) from None
    db = parse(str(stored))
    return dataclasses.replace(db, remembered=True) if db is not None else None


def remember_database(paths: StudioPaths, db: Database | None) -> None:
    """Keep the choice for later starts (private file: the URL holds the password)."""
    if db is None:
        paths.database.unlink(missing_ok=True)
        return
    paths.root.mkdir(parents=True, exist_ok=True)
    atomic_write_text(paths.database, json.dumps({"url": db.url()}) + "\n", private=True)


def database_label(db: Database | None) -> str:
    return db.redacted() if db is not None else "sqlite"


def may_migrate(paths: StudioPaths, db: Database | None) -> bool:
    """Whether this start may run Label Studio's database migrations (a minute or more):
    on SQLite while its file does not exist yet or holds no user (Label Studio makes the
    admin after its migrations: a first start killed while migrating leaves the file, and
    the next start resumes them; faults59), not when it cannot be read; on PostgreSQL
    always (telling would mean connecting first)."""
    return db is not None or not _sqlite_has_user(paths.data / "label_studio.sqlite3")


def _sqlite_has_user(path: Path) -> bool:
    """Whether Label Studio's SQLite file ``path`` holds a user (its ``htx_user`` table,
    read only); True when the file is there but cannot be read (locked, damaged). False
    beside a non-empty rollback journal (``-journal``): a write was cut off there, as a
    start killed during its migrations leaves it (the next start rolls it back and
    migrates; read only, the file cannot be read past it; reader60 #5)."""
    if not path.is_file():
        return False
    with contextlib.suppress(OSError):
        if path.with_name(f"{path.name}-journal").stat().st_size > 0:
            return False
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=1.0)) as conn:
            tables = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'htx_user'"
            ).fetchone()
            return tables is not None and (
                conn.execute("SELECT 1 FROM htx_user LIMIT 1").fetchone() is not None
            )
    except sqlite3.Error:
        return True


def _run(cmd: list[str], out: object, paths: StudioPaths) -> None:
    proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)  # type: ignore[arg-type]
    if proc.returncode != 0:
        raise StudioError(
            f"`{' '.join(cmd[:4])} ...` failed with exit code {proc.returncode} while "
            f"installing Label Studio.",
            fix=f"see {paths.install_log} (is the package index reachable?), then retry.",
        )


# ---- credentials --------------------------------------------------------------------
def ensure_credentials(paths: StudioPaths, db: Database | None = None) -> Credentials:
    """The preset admin login and token; created once, before the first start.

    On PostgreSQL (``db``) the database is checked first: it must be reachable, and a
    Label Studio admin already there must hold the stored token (Label Studio applies a
    preset token only when it creates the user). Raises StudioError (and subclasses)
    with the fix.
    """
    creds = read_credentials(paths)
    if db is not None:
        found = check_database(paths, db, creds.token if creds else None)
        if found.has_admin and (creds is None or found.token_matches is False):
            why = "is missing" if creds is None else "holds another token"
            raise StudioError(
                f"{db.redacted()} already holds Label Studio's admin {ADMIN_USER} but "
                f"{paths.credentials} {why}, so the API token would be refused.",
                fix=f"restore the {paths.credentials} of the home that first started this "
                "database, or give this home an empty database.",
            )
    if creds is not None:
        return creds
    if db is None and (paths.data / "label_studio.sqlite3").exists():
        raise StudioError(
            f"{paths.data} holds a Label Studio database but {paths.credentials} is missing, "
            "so its API token is unknown.",
            fix=f"restore {paths.credentials}, or delete {paths.data} to start afresh.",
        )
    creds = Credentials(
        username=ADMIN_USER, password=secrets.token_urlsafe(12), token=secrets.token_hex(20)
    )
    paths.root.mkdir(parents=True, exist_ok=True)
    atomic_write_text(paths.credentials, json.dumps(creds.__dict__, indent=2) + "\n", private=True)
    return creds


# ---- lifecycle ----------------------------------------------------------------------
def port_free(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(start: int = DEFAULT_PORT, tries: int = 50) -> int:
    for port in range(start, start + tries):
        if port_free(port):
            return port
    raise StudioError(
        f"no free TCP port on {HOST} in {start}..{start + tries - 1}.",
        fix="pass --port with a free port.",
    )


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of ours counts as dead
    fields = stat_fields(pid)
    return not fields or fields[0] != "Z"


def process_cpu_seconds(pid: int | None) -> float | None:
    """CPU seconds (user + system, its own and its waited-for children's) that process
    ``pid`` has used, from ``/proc/PID/stat`` (proc(5), fields 14-17, in clock ticks);
    None where it cannot be read (no such process, no /proc: not Linux)."""
    fields = stat_fields(pid) if pid else None
    if fields is None or len(fields) < 15:
        return None
    try:
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


def health(url: str, timeout: float = 2.0) -> bool:
    return health_status(url, timeout) == 200


def health_status(url: str, timeout: float = 2.0) -> int | None:
    """HTTP status of ``/health/`` (200: healthy), None when nothing answers."""
    try:
        return httpx.get(f"{url}/health/", timeout=timeout).status_code
    except httpx.HTTPError:
        return None


def token_status(url: str, token: str, timeout: float = 15.0) -> int | None:
    """HTTP status of an authenticated request, or None when the server did not answer.

    A server still warming up (a first request imports the API views, which takes
    seconds on a busy machine) gives None, not a rejection.
    """
    try:
        resp = httpx.get(
            f"{url}/api/current-user/whoami",
            headers={"Authorization": f"Token {token}"},
            timeout=timeout,
        )
    except httpx.HTTPError:
        return None
    return resp.status_code


def status(paths: StudioPaths | None = None) -> ServerStatus:
    paths = paths or studio_paths()
    state = read_state(paths) or {}
    url = state.get("url")
    pid = state.get("pid")
    running = pid_alive(pid if isinstance(pid, int) else None)
    health_code = health_status(str(url)) if url else None
    answers = health_code == 200
    creds = read_credentials(paths)
    code = token_status(str(url), creds.token, 5.0) if answers and creds is not None else None
    return ServerStatus(
        url=str(url) if url else None,
        pid=pid if isinstance(pid, int) else None,
        running=running,
        answers=answers,
        authenticated=code == 200,
        paths=paths,
        api_status=code if code is not None else (health_code if not answers else None),
    )


def server_env(
    paths: StudioPaths, creds: Credentials, db: Database | None = None
) -> dict[str, str]:
    """The server's whole environment, built explicitly: data dir, preset login, no
    outbound calls, SSRF protection on, and the database (``db``: PostgreSQL; None: SQLite
    in the data dir). From the caller only :data:`INHERITED_ENV` (and libpq's ``PG*``
    variables on PostgreSQL) is kept."""
    data = str(paths.data)
    env = caller_env(postgres=db is not None)
    env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": data,
            "XDG_CONFIG_HOME": str(paths.data / "xdg" / "config"),
            "XDG_DATA_HOME": str(paths.data / "xdg" / "data"),
            "XDG_CACHE_HOME": str(paths.data / "xdg" / "cache"),
            "LABEL_STUDIO_USERNAME": creds.username,
            "LABEL_STUDIO_PASSWORD": creds.password,
            "LABEL_STUDIO_USER_TOKEN": creds.token,
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
            # Label Studio's defaults, stated: the tool uses no Label Studio webhook, ML
            # backend, cloud storage or import from a URL (the only requests these guard),
            # so nothing it does needs a local or private address (docs/label-studio.md, security)
            "SSRF_PROTECTION_ENABLED": "true",
            "ML_BLOCK_LOCAL_IP": "true",
            "LOCAL_FILES_SERVING_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
            **offline_env(),  # no Sentry, analytics, version checks or other outbound calls
            **(db.server_env() if db is not None else sqlite_env()),
            # Label Studio's settings plus project deletions one at a time (server_patches)
            **patched_env(),
        }
    )
    return env


def _private(paths: StudioPaths) -> None:
    """The data folder readable by its owner only (the SQLite database holds every account's
    e-mail and API token in plain text, the admin's included, and every passage and
    answer; it was world-readable), and the server log (it names reviewers by e-mail)."""
    paths.data.mkdir(parents=True, exist_ok=True)
    paths.data.chmod(0o700)
    paths.log.touch(exist_ok=True)
    paths.log.chmod(0o600)


def start(
    paths: StudioPaths | None = None,
    *,
    port: int | None = None,
    timeout: float | None = None,
    database: str | None = None,
    on_launch: Callable[[], None] | None = None,
) -> ServerStatus:
    """Install if needed, start the server (or find it running) and wait until the token works.

    ``database``: ``postgresql://user:password@host:port/dbname`` runs the server on
    that PostgreSQL database, ``sqlite`` on the file in its data dir; the choice is
    remembered for later starts (None: the remembered one, else SQLite). ``timeout``
    (seconds to wait for the first authenticated answer) defaults to
    ``START_TIMEOUT_S`` on SQLite, ``PG_START_TIMEOUT_S`` on PostgreSQL. ``on_launch``
    is called once the install and the database check passed, just before a new server
    process is launched (not when one is found running): the CLI says "starting ..."
    there, not before a database check that then fails.

    Raises InputError (a malformed database URL), StudioUnavailableError (the server or
    its database does not answer), StudioAuthError (the database refuses the user or
    password), StudioError (the server already runs on another database, a missing
    database, a failed install or start).
    """
    paths = paths or studio_paths()
    db = chosen_database(paths, database)
    if timeout is None:
        timeout = START_TIMEOUT_S if db is None else PG_START_TIMEOUT_S
    current = status(paths)
    running_on = str((read_state(paths) or {}).get("database", "sqlite"))
    if current.running and database is not None and running_on != database_label(db):
        raise StudioError(
            f"Label Studio already runs at {current.url} on {running_on}, not on "
            f"{database_label(db)}.",
            fix="run `annotate studio stop` first, then start it with the database you want.",
        )
    if current.running and db is not None and database is not None:
        _check_credentials(paths, db, current)
    if current.running and current.authenticated:
        log.info("Label Studio already running at %s (pid %s)", current.url, current.pid)
        return current
    if current.running:
        # our process is alive but not (yet) answering: wait for it rather than start
        # another; a database that is down is one line now, not a wait until the timeout
        if db is not None:
            check_database(paths, db)
        return _wait_ready(paths, current.pid, str(current.url), timeout)
    install(paths)
    creds = ensure_credentials(paths, db)
    remember_database(paths, db)
    if on_launch is not None:
        on_launch()
    wanted = port or int(os.environ.get(PORT_ENV) or 0) or last_port(paths) or DEFAULT_PORT
    chosen = free_port(wanted)
    ran_on = ports_ran_on(paths)
    if chosen != wanted:
        log.warning(
            "port %d is busy; starting Label Studio on %d%s",
            wanted,
            chosen,
            port_moved_note(wanted, chosen, ran_on),
        )
    url = f"http://{HOST}:{chosen}"
    paths.root.mkdir(parents=True, exist_ok=True)
    earlier = sorted(set(ran_on) - {chosen})
    try:
        port_record: str | None = paths.last_port.read_text(encoding="utf-8")
    except OSError:
        port_record = None
    atomic_write_text(paths.last_port, json.dumps({"port": chosen, "earlier": earlier}) + "\n")
    _private(paths)
    cmd = [
        str(paths.executable),
        "start",
        "--no-browser",
        "--internal-host",
        HOST,
        "--port",
        str(chosen),
        "--data-dir",
        str(paths.data),
        "--log-level",
        "WARNING",
    ]
    log.info("starting Label Studio: %s", " ".join(cmd))
    # an earlier stop's record names a pid this new process may get again (reader61 #10)
    paths.stopped_pid.unlink(missing_ok=True)
    with paths.log.open("ab") as logfh:
        proc = subprocess.Popen(
            cmd,
            stdout=logfh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=server_env(paths, creds, db),
            cwd=str(paths.data),
            start_new_session=True,
        )
    state = {
        "pid": proc.pid,
        "port": chosen,
        "url": url,
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data_dir": str(paths.data),
        "database": database_label(db),
    }
    atomic_write_text(paths.state, json.dumps(state, indent=2) + "\n")
    try:
        return _wait_ready(paths, proc.pid, url, timeout, proc=proc)
    except StudioError as exc:
        taken = isinstance(exc, PortTakenError)
        if taken:
            # this start launched it: stopped here rather than left migrating toward a
            # port it cannot bind (reader63 #8)
            stop(paths)
        if taken or proc.poll() is not None:
            # it never ran on ``chosen`` (lost the port, or exited during start-up): the
            # next start must not warn that reviewers' links name it (newuser63 #2,
            # reader63 #3). A server still starting after a timeout keeps the record.
            if port_record is None:
                paths.last_port.unlink(missing_ok=True)
            else:
                atomic_write_text(paths.last_port, port_record)
        raise


def _check_credentials(paths: StudioPaths, db: Database, current: ServerStatus) -> None:
    """``--database`` naming the database the server already runs on, with a password
    other than the one it was started with (remembered in ``paths.database``): the URL is
    checked rather than "already running" said, which took a wrong password for a right
    one. Raises the database's refusal (StudioAuthError for a wrong password, ...), noting
    that the server runs on with its own password, or StudioError when the database
    accepts the new password too (the running server does not use it)."""
    try:
        started = chosen_database(paths)
    except StudioError:
        started = None
    if started is not None and started.password == db.password:
        return
    where = f"Label Studio at {current.url} runs on {db.redacted()}"
    try:
        check_database(paths, db)
    except StudioError as exc:
        raise type(exc)(
            f"{exc.what} (--database was not used: {where} with the password it was started "
            "with, unchanged.)",
            fix=exc.fix,
        ) from None
    if started is not None:
        raise StudioError(
            f"{where} with the password it was started with, not the one --database gives "
            "(PostgreSQL accepts both; the running server does not use the new one).",
            fix="run `annotate studio stop`, then `annotate studio start --database ...` to "
            "run on the new password.",
        )


def local_url_hint(url: str) -> str:
    """Why ``url`` (``$LABEL_STUDIO_URL``, which does not answer) may be the local server's
    as ``annotate studio env`` printed it, and the fix: the local server now runs at
    another URL (``studio start`` moved to a free port), or it is stopped and last ran on
    that port. "" when neither (another host, another port, or the state is unreadable)."""
    try:  # (a URL whose port is no port raised here: check_url refuses it first now)
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    if parts.hostname not in (HOST, "localhost"):
        return ""
    try:
        paths = studio_paths()
        now = status(paths)
        before = last_port(paths)
    except (OSError, ValueError):
        return ""
    if now.answers and now.url and urlsplit(now.url).port == port and parts.scheme == "https":
        # the port is right, only the scheme: the local server speaks plain http
        return (
            f"the local server runs at {now.url}: it speaks http, not https. Fix the URL: "
            f"export LABEL_STUDIO_URL={now.url.rstrip('/')}"
        )
    if now.answers and now.url and now.url.rstrip("/") != url.rstrip("/"):
        # links name the old port only where the server ran (a typed port it never ran on
        # is no old port: nobody was sent a link to it)
        links = (
            " (login links sent to reviewers name the old port too)"
            if port in ports_ran_on(paths)
            else ""
        )
        return (
            f"the local server runs at {now.url} now, not at {url}: point your shell at it "
            f'with `eval "$(annotate studio env)"`{links}'
        )
    if not now.answers and before is not None and before == port:
        return (
            f"{url} is where the local server ({paths.root}) last ran, and it is stopped: "
            "run `annotate studio start` (it starts on that port again)"
        )
    return ""


def stopped_local_hint(url: str) -> str:
    """For a server that stopped answering during a run: when ``url`` is the local
    server's (:func:`names_local_server`) and its process is gone (``annotate studio
    stop``, a kill, a crash), the fix: start it again, since waiting will not bring it
    back. "" for any other server, or while the local one's process still runs (busy or
    restarting: it may answer again)."""
    try:
        paths = studio_paths()
        state = read_state(paths) or {}
    except (OSError, ValueError):
        return ""
    running = state.get("url")
    if not names_local_server(url, paths, running if isinstance(running, str) else None):
        return ""
    pid = state.get("pid")
    if pid_alive(pid if isinstance(pid, int) else None):
        return ""
    return (
        f"the local server ({paths.root}) is no longer running (stopped, or its process "
        "ended), so it will not answer again by itself: start it with `annotate studio "
        "start` (same data, same port)"
    )


def names_local_server(url: str, paths: StudioPaths, running_url: str | None) -> bool:
    """Whether ``url`` (``$LABEL_STUDIO_URL``) is the local server's own root URL, as
    ``annotate studio env`` prints it: 127.0.0.1 or localhost, no path, and the port it
    runs on (``running_url``), or, stopped, the port it last ran on. Then commands that
    read the variable talk to the local server, and saying they do not is wrong."""
    try:  # an unpaired IPv6 bracket ('http://[::1') fails in urlsplit itself
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return False
    if parts.scheme != "http" or parts.hostname not in (HOST, "localhost") or port is None:
        return False
    if parts.path.strip("/") or parts.query:
        return False
    if running_url:
        return urlsplit(running_url).port == port
    return port == last_port(paths)


def was_local_server_url(url: str, paths: StudioPaths) -> bool:
    """Whether ``url`` (``$LABEL_STUDIO_URL``) is the local server's, as an earlier
    ``annotate studio env`` printed it: its root URL now (:func:`names_local_server`), or
    http on 127.0.0.1/localhost at a port it ran on before (:func:`ports_ran_on`: a
    shell left pointing where the server was before a restart moved it)."""
    running = (read_state(paths) or {}).get("url")
    if names_local_server(url, paths, running if isinstance(running, str) else None):
        return True
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return False
    local = parts.scheme == "http" and parts.hostname in (HOST, "localhost")
    return local and not parts.path.strip("/") and port in ports_ran_on(paths)


def port_moved_note(wanted: int, chosen: int, ran_on: Collection[int]) -> str:
    """What a start on ``chosen`` instead of the busy ``wanted`` breaks, when the server
    ran on ``wanted`` at some earlier start (``ran_on``, :func:`ports_ran_on`: not only the
    last one, so ``--port 8080`` back to the first port after a move to 8081 says it too):
    the links reviewers were sent (``reviewers add``'s login link, ``push``'s
    project URL) name the old URL, which no longer reaches it. "" when it never ran there."""
    if wanted not in ran_on:
        return ""
    old, new = f"http://{HOST}:{wanted}", f"http://{HOST}:{chosen}"
    return (
        f". Links already sent to reviewers (login links of `annotate reviewers add`, "
        f"project URLs of `annotate push`) name {old}, where this server no longer "
        f"answers. To keep them working: find what holds port {wanted} (`lsof -i :{wanted}`) "
        f"and stop it, then run `annotate studio stop` and `annotate studio start --port "
        f"{wanted}`. Or send reviewers the new URL, {new}/user/login/ (their accounts and "
        'passwords are unchanged), and run `eval "$(annotate studio env)"` in open shells'
    )


def ports_ran_on(paths: StudioPaths) -> list[int]:
    """Every port the server ran on (``paths.last_port``: the last, then the earlier ones
    it recorded), [] when unknown."""
    try:
        earlier = json.loads(paths.last_port.read_text(encoding="utf-8")).get("earlier")
    except (OSError, ValueError, AttributeError):
        earlier = None
    last = last_port(paths)
    ports = [p for p in (earlier if isinstance(earlier, list) else []) if _a_port(p)]
    return ([last] if last is not None else []) + [p for p in ports if p != last]


def _a_port(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536


def last_port(paths: StudioPaths) -> int | None:
    """The port the server last ran on (``paths.last_port``), None when unknown."""
    try:
        port = json.loads(paths.last_port.read_text(encoding="utf-8"))["port"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return port if _a_port(port) else None


def _wait_ready(
    paths: StudioPaths,
    pid: int | None,
    url: str,
    timeout: float,
    proc: subprocess.Popen[bytes] | None = None,
) -> ServerStatus:
    creds = read_credentials(paths)
    assert creds is not None
    began = time.monotonic()
    deadline = began + timeout
    cap = began + max(timeout, START_HARD_CAP_S)
    cpu_seen = process_cpu_seconds(pid)
    extended = False
    while time.monotonic() < deadline:
        exited = proc.poll() is not None if proc is not None else not pid_alive(pid)
        if exited and _stopped_by_stop(paths, pid):
            raise StudioError(
                f"Label Studio (pid {pid}) was stopped during start-up by `annotate studio "
                "stop` (run elsewhere, e.g. in another shell), so it is not running.",
                fix="run `annotate studio start` again when you want it running.",
            )
        if exited:
            paths.state.unlink(missing_ok=True)
            raise StudioUnavailableError(
                f"Label Studio exited during start-up: {_log_tail(paths)}",
                fix=f"see {paths.log}; fix the cause and run `annotate studio start` again.",
            )
        answer = token_status(url, creds.token) if health(url) else None
        if answer == 200:
            st = status(paths)
            log.info("Label Studio ready at %s (pid %s)", url, pid)
            return st
        if answer in (401, 403) and (taken := _port_taken(paths, url, pid)) is not None:
            raise taken
        if answer in (401, 403) and _serving_long(paths):
            raise StudioError(
                f"Label Studio at {url} answers but rejects the token stored in "
                f"{paths.credentials}.",
                fix=f"run `annotate studio stop`, delete {paths.data} and start again "
                "(the preset token is only applied to a fresh data dir).",
            )
        time.sleep(1.0)
        now = time.monotonic()
        if deadline - now < 1.0:
            cpu_now = process_cpu_seconds(pid)
            if cpu_now is not None and cpu_seen is not None and cpu_now > cpu_seen + 0.5:
                # still working (migrations on a loaded machine): give it another
                # timeout's worth, within the hard cap; said once, as a warning, so the
                # CLI shows it (reader63 #2: up to 20 minutes with no output)
                if deadline < cap and not extended:
                    log.warning(
                        "Label Studio (pid %s) is still starting after %.0f s (it used %.1f "
                        "CPU s since the last check: a busy machine); waiting up to %.0f s "
                        "in all. Ctrl-C stops the wait, not the server: `annotate studio "
                        "status` tells when it answers",
                        pid,
                        now - began,
                        cpu_now - cpu_seen,
                        cap - began,
                    )
                    extended = True
                deadline = min(now + timeout, cap)
            cpu_seen = cpu_now
    waited = time.monotonic() - began
    raise StudioUnavailableError(
        f"Label Studio did not answer at {url} within {waited:.0f} s.",
        fix=f"see {paths.log}; a first start runs database migrations (about a minute, "
        "several on a busy machine); run the same command again to keep waiting for it.",
    )


class PortTakenError(StudioError):
    """Another program answers on the port the server being started was launched on: it
    took the port while this server still migrated its database (it binds only then)."""


def _port_taken(paths: StudioPaths, url: str, pid: int | None) -> PortTakenError | None:
    """The error to raise when the server answering at ``url`` with a rejection is not
    the one launched as ``pid`` (no process of its session listens on the port, by
    ``/proc``); None when it is, or when that cannot be told (then the rejection is a
    stale data dir's, as before)."""
    taken = taken_from(url, pid)
    if taken is None:
        return None
    port, holder = taken
    return PortTakenError(
        f"Label Studio at {url} answers, but it is not the server this start launched "
        f"(pid {pid}, still starting): another program took port {port} while it migrated "
        f"its database{f' ({holder})' if holder else ''}, e.g. the Label Studio of another "
        "work folder started at the same time.",
        fix=f"this start stops pid {pid}; run `annotate studio start` again: it starts on the "
        f"next free port (`annotate studio stop` first if pid {pid} still runs). {paths.data} "
        "is not at fault: keep it.",
    )


def _stopped_by_stop(paths: StudioPaths, pid: int | None) -> bool:
    """Whether ``studio stop`` stopped process ``pid`` (:attr:`StudioPaths.stopped_pid`)."""
    try:
        said = json.loads(paths.stopped_pid.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(said, dict) and pid is not None and said.get("pid") == pid


def _serving_long(paths: StudioPaths) -> bool:
    """Health answers for a while but the token never works: a stale data dir."""
    state = read_state(paths) or {}
    started = state.get("started_at")
    if not isinstance(started, str):
        return False
    age = datetime.now(timezone.utc) - datetime.fromisoformat(started)
    return age.total_seconds() > 30


def _log_tail(paths: StudioPaths, lines: int = 3) -> str:
    try:
        text = paths.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(line.strip() for line in text[-lines:]) or "(empty log)"


def stop(paths: StudioPaths | None = None, timeout: float = 20.0) -> bool:
    """Stop the server we started (by its pid); True if one was running."""
    paths = paths or studio_paths()
    state = read_state(paths) or {}
    pid = state.get("pid")
    was_running = isinstance(pid, int) and pid_alive(pid)
    if was_running:
        assert isinstance(pid, int)
        # a start still waiting for it reads this: "stopped", not "exited during start-up"
        with contextlib.suppress(OSError):
            atomic_write_text(
                paths.stopped_pid,
                json.dumps({"pid": pid, "at": datetime.now(timezone.utc).isoformat()}) + "\n",
            )
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if pid_alive(pid):
            _signal_group(pid, signal.SIGKILL)
        _reap(pid)
    paths.state.unlink(missing_ok=True)
    return was_running


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # started with start_new_session: its group id is its pid
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
