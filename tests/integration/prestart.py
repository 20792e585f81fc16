"""The integration tests' servers, started while the unit tests before them run.

A cold start of Label Studio (its migrations) keeps one core busy for 1.5-2 minutes on
the 2-core CI machine, and PostgreSQL with Label Studio on it about one more; pytest runs
every test in one process, so the second core idled through both. When the selected
tests use them, ``pytest_collection_finish`` (tests/integration/conftest.py) starts each
in a process of its own, ``python -m tests.integration.prestart KIND HOME PORT``, which
does exactly what the fixtures did (``server.start`` for the session's server, `annotate
studio start --database URL` for the one on PostgreSQL; Label Studio's install, which a
fresh clone lacks, first and under a lock, one starter at a time) and exits with its code;
the fixtures wait for it and fail as they did when it failed. Whatever a fixture never took
is stopped at the end of the session. ``ANNOTATE_TEST_NO_PRESTART=1``: the fixtures start
them when they are first used, as before (to compare, or to debug a start).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotate.studio.connection import StudioPaths

    from .postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
SQLITE_TIMEOUT_S = 900  # the first start migrates; slow under load
SALT = "test-salt"
OFF_ENV = "ANNOTATE_TEST_NO_PRESTART"
# Label Studio starts at the lowest priority, so its migrations take the core the tests
# leave idle and do not slow the tests that use both (ONNX Runtime, torch: measured 94 s
# slower at priority 0); a fixture that takes it sets it back (see renice)
NICE = 19


@dataclass
class Prestart:
    """A server being started by its own process (``proc``)."""

    kind: str  # "sqlite" (the session's server) or "pg" (Label Studio on PostgreSQL)
    home: Path  # its ANNOTATE_HOME
    port: int
    venv: Path
    proc: subprocess.Popen[bytes]
    log: Path  # the starter's own output
    taken: bool = field(default=False)  # a fixture uses it (and stops it)

    @property
    def info(self) -> Path:
        """Where a ``pg`` starter writes the PostgreSQL server it made (JSON)."""
        return self.home / "postgres.json"

    def wait(self, timeout: float) -> int:
        """The starter's exit code, once it is done."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            return self.proc.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def stop(self) -> None:
        """End the starter (it stops the server it launched, see :func:`_on_term`), then
        stop whatever is left: the server, and for ``pg`` the PostgreSQL server."""
        deadline = time.monotonic() + 60
        while self.proc.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=0.5)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        from annotate.studio import server
        from annotate.studio.connection import StudioPaths

        server.stop(StudioPaths(root=self.home / "studio", venv=self.venv))
        pg = read_postgres(self.info)
        if pg is not None:
            from . import postgres

            postgres.destroy(pg.bindir, pg.root)
            self.info.unlink()


STARTED: dict[str, Prestart] = {}


def take(kind: str) -> Prestart | None:
    """The server of ``kind`` being started for this session, if any; the caller stops it."""
    pre = STARTED.get(kind)
    if pre is not None:
        pre.taken = True
    return pre


def stop_untaken() -> None:
    """Stop every server no fixture took (the session ended first, or it was not needed)."""
    for pre in STARTED.values():
        if not pre.taken:
            pre.stop()
    STARTED.clear()


def renice(pid: int) -> None:
    """Every thread of the process group ``pid`` (a server started with its own session)
    back to this process's priority, as a server the fixture started itself had, where
    allowed (root; elsewhere it keeps running at NICE)."""
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    for proc in Path("/proc").iterdir():
        try:
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if not proc.name.isdigit() or int(stat[2]) != pid:  # field 5: the group
                continue
            for task in (proc / "task").iterdir():
                os.setpriority(os.PRIO_PROCESS, int(task.name), mine)
        except (OSError, ValueError, IndexError):
            continue


def launch(kind: str, home: Path, port: int, venv: Path) -> Prestart:
    """Start ``python -m tests.integration.prestart KIND HOME PORT`` in the background."""
    home.mkdir(parents=True, exist_ok=True)
    log = home / f"prestart-{kind}.log"
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    env.update(_server_env(home, venv))
    for key in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):
        env.pop(key, None)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.prestart", kind, str(home), str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        )
    STARTED[kind] = Prestart(kind, home, port, venv, proc, log)
    return STARTED[kind]


def _server_env(home: Path, venv: Path) -> dict[str, str]:
    from annotate.settings import HOME_ENV
    from annotate.studio.connection import VENV_ENV

    return {HOME_ENV: str(home), VENV_ENV: str(venv), "ANNOTATE_PSEUDONYM_SALT": SALT}


def read_postgres(path: Path) -> PostgresServer | None:
    if not path.is_file():
        return None
    from .postgres import PostgresServer

    raw = json.loads(path.read_text(encoding="utf-8"))
    return PostgresServer(**{**raw, "bindir": Path(raw["bindir"]), "root": Path(raw["root"])})


# ---- the starter process --------------------------------------------------------------
_PATHS: StudioPaths | None = None
_LAUNCHING = False  # from here on a server (PostgreSQL, Label Studio) may run


def _on_term(signum: int, frame: FrameType | None) -> None:
    """Asked to end (the session ended before a fixture took the server): at once while
    nothing runs yet; once Label Studio has a state file, after stopping it by that; in
    between, carry on (the session asks again, then stops what is left)."""
    from annotate.studio import server

    if _PATHS is not None and _PATHS.state.exists():
        server.stop(_PATHS)
        os._exit(143)
    if not _LAUNCHING:
        os._exit(143)


def _main(kind: str, home: Path, port: int) -> int:
    global _PATHS, _LAUNCHING
    from filelock import FileLock

    from annotate.studio import server
    from annotate.studio.connection import studio_paths

    from .studio_env import with_test_settings

    _PATHS = studio_paths()
    assert _PATHS.root == home / "studio", (_PATHS.root, home)
    # this process only starts the server: Label Studio with the tests' settings
    server.server_env = with_test_settings(server.server_env)  # type: ignore[method-assign]
    signal.signal(signal.SIGTERM, _on_term)
    # a fresh clone has no Label Studio yet: one starter installs it, the other waits
    with FileLock(str(home.parent / "studio-install.lock")):
        server.install(_PATHS)
    if kind == "sqlite":
        os.nice(NICE)  # Label Studio inherits it
        from . import studio_template

        # its database: a copy of the run's migrated one, made here first (the run's
        # other servers wait for it rather than migrate their own)
        studio_template.seed(_PATHS, studio_template.template(home.parent, _PATHS.venv))
    _LAUNCHING = True
    if kind == "sqlite":
        server.start(_PATHS, port=port, timeout=SQLITE_TIMEOUT_S)
        return 0
    from annotate.cli import main

    from . import postgres

    bindir = postgres.find_bindir()
    assert bindir is not None, "no PostgreSQL server installed"
    pg = postgres.create(bindir)
    info = {**asdict(pg), "bindir": str(pg.bindir), "root": str(pg.root)}
    part = home / "postgres.json.part"
    part.write_text(json.dumps(info), encoding="utf-8")
    part.replace(home / "postgres.json")  # whole or absent, for Prestart.stop
    os.nice(NICE)  # Label Studio inherits it (PostgreSQL, started above, does not)
    try:
        main(["studio", "start", "--database", pg.url(), "--port", str(port)])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(_main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])))
    except Exception:
        traceback.print_exc()
        sys.exit(1)
