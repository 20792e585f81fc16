"""Run one of Label Studio's own commands on the local server's data folder.

``annotate studio recount`` and ``annotate reviewers add --new-password`` each run a
command of the local install (``label-studio calculate_stats_all_orgs``, a short Django
script with the install's Python) with the data folder, database and environment the
server runs on, its output appended to the server log (reader61 #8: the two repeated
this code)."""

from __future__ import annotations

import logging
import subprocess
from typing import TextIO

from annotate.errors import StudioError
from annotate.studio import server
from annotate.studio.connection import Credentials, StudioPaths, read_credentials

log = logging.getLogger(__name__)


def local_credentials(paths: StudioPaths, doing: str, elsewhere: str) -> Credentials:
    """The admin credentials of the local server of ``paths``. Raises StudioError when
    this work folder has no local server (no credentials or no install): ``doing`` says
    what needed it ("to recount"), ``elsewhere`` what a team server's admin does."""
    creds = read_credentials(paths)
    if creds is None or not server.is_installed(paths):
        raise StudioError(
            f"no local Label Studio in {paths.root} {doing}.",
            fix="run it where `annotate studio start` ran (or set ANNOTATE_HOME to its "
            f".annotate folder); {elsewhere}",
        )
    return creds


def run_in_studio(
    paths: StudioPaths,
    creds: Credentials,
    args: list[str],
    *,
    timeout: float,
    extra_env: dict[str, str] | None = None,
    log_args: bool = True,
    capture: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` (a program of the install in ``paths.venv`` and its arguments) with
    the server's environment (:func:`annotate.studio.server.server_env`, plus
    ``extra_env``: how a secret is handed over, never the arguments, which every local
    user can read in ``ps``) in its data folder; its output (stdout and stderr together,
    text) is appended to the server log and returned in ``.stdout``. ``log_args``: False
    logs the program only. Raises subprocess.TimeoutExpired after ``timeout`` seconds
    (the child is killed: what it did by then is not known)."""
    env = server.server_env(paths, creds, server.chosen_database(paths))
    env.update(extra_env or {})
    log.info("running %s", " ".join(args) if log_args else args[0])
    with paths.log.open("a", encoding="utf-8") as logfh:
        try:
            done = subprocess.run(
                args,
                stdout=subprocess.PIPE if capture else logfh,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=str(paths.data),
                timeout=timeout,
                check=False,
                text=True,
                errors="replace",
            )
        except subprocess.TimeoutExpired as exc:
            _append(logfh, exc.output)
            raise
        _append(logfh, done.stdout)
    return done


def _append(logfh: TextIO, output: str | bytes | None) -> None:
    if output:
        logfh.write(output.decode(errors="replace") if isinstance(output, bytes) else output)
