"""A throwaway PostgreSQL server for the integration tests, started from the server
binaries of the Debian ``postgresql`` package (``/usr/lib/postgresql/*/bin``; elsewhere
``initdb`` on PATH) in a temporary directory, on a free port of 127.0.0.1, with password
(SCRAM) authentication so a wrong password is really refused.

PostgreSQL refuses to run as root: when the tests run as root (CI, containers) the
server runs as the ``postgres`` system user the package creates (else ``nobody``), and
the temporary directory is handed to that user. ``make test`` installs the package with
apt where it is missing.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotate.studio.server import free_port

SUPERUSER = "annotate"
DATABASE = "labelstudio"
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class PostgresServer:
    bindir: Path
    root: Path  # the temporary directory (data dir, socket, log)
    port: int
    user: str
    password: str
    database: str

    def url(self, *, user: str | None = None, password: str | None = None, db: str = "") -> str:
        return (
            f"postgresql://{user or self.user}:{password or self.password}@127.0.0.1:"
            f"{self.port}/{db or self.database}"
        )


def find_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` holding ``initdb``, else ``initdb``'s
    folder on PATH; None when no PostgreSQL server is installed."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _run_as() -> str | None:
    """The unprivileged user to run the server as when we are root, else None."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


def _popen_kwargs(user: str | None) -> dict[str, object]:
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _pg_ctl(server: PostgresServer, *args: str) -> None:
    """Run ``pg_ctl`` on the server's data dir as the user it runs as."""
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    data = server.root / "data"
    subprocess.run(
        [str(server.bindir / "pg_ctl"), "-D", str(data), *args],
        check=True,
        capture_output=True,
        env=env,
        cwd=server.root,
        **_popen_kwargs(_run_as()),  # type: ignore[arg-type]
    )


def start(server: PostgresServer) -> None:
    """Start (or restart after :func:`stop`) the server; waits until it accepts."""
    _pg_ctl(
        server,
        "-l",
        str(server.root / "server.log"),
        "-w",
        "-t",
        str(int(START_TIMEOUT_S)),
        "-o",
        f"-p {server.port} -k {server.root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off",
        "start",
    )


def stop(server: PostgresServer) -> None:
    """Stop the server at once (its data stays for :func:`start`)."""
    _pg_ctl(server, "-m", "fast", "-w", "stop")


def create(bindir: Path) -> PostgresServer:
    """Start PostgreSQL in a fresh temporary directory (initdb, start, createdb); the
    caller stops it with :func:`destroy`. Raises RuntimeError (with the server's log)
    when it does not start, after cleaning up what it made."""
    user = _run_as()
    root = Path(tempfile.mkdtemp(prefix="annotate-pg-"))
    kw = _popen_kwargs(user)
    password = secrets.token_urlsafe(12)
    data = root / "data"
    log = root / "server.log"
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        pwfile = root / "pw"
        pwfile.write_text(password + "\n", encoding="utf-8")
        if user is not None:
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=root,
            **kw,  # type: ignore[arg-type]
        )
        pwfile.unlink()
        server = PostgresServer(bindir, root, free_port(25432), SUPERUSER, password, DATABASE)
        start(server)
        createdb = [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(server.port)]
        subprocess.run(
            [*createdb, "-U", SUPERUSER, DATABASE],
            check=True,
            capture_output=True,
            env={**env, "PGPASSWORD": password},
        )
        return server
    except BaseException as exc:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        destroy(bindir, root)
        if isinstance(exc, subprocess.CalledProcessError):
            raise RuntimeError(
                f"{' '.join(map(str, exc.cmd[:2]))} failed ({exc.returncode}): "
                f"{exc.stderr.decode(errors='replace')[-2000:]} {tail}"
            ) from None
        raise


def destroy(bindir: Path, root: Path) -> None:
    """Stop the server whose temporary directory is ``root`` (if it runs) and delete the
    directory."""
    data = root / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
            cwd="/",
            **_popen_kwargs(_run_as()),  # type: ignore[arg-type]
        )
        deadline = time.monotonic() + 20
        while (data / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def postgres_server(bindir: Path) -> Iterator[PostgresServer]:
    """Start PostgreSQL in a fresh temporary directory; stop it and delete the directory
    afterwards. Raises RuntimeError (with the server's log) when it does not start."""
    server = create(bindir)
    try:
        yield server
    finally:
        destroy(bindir, server.root)
