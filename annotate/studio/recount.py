"""Recount the local Label Studio's per-task answer counters from the answers.

After two project deletions at the same moment, Label Studio 1.23.2 stops updating a
task's ``total_annotations``/``is_labeled`` when it is answered, until it restarts
(:mod:`annotate.studio.answer_counters`). Restarting alone brings the counting back;
the answers made meanwhile stay uncounted until Label Studio's own
``label-studio calculate_stats_all_orgs --from-scratch`` recounts every task, which it
does from the database with the server stopped.
"""

from __future__ import annotations

import logging
import subprocess

from annotate.errors import StudioError
from annotate.studio import server
from annotate.studio.command import local_credentials, run_in_studio
from annotate.studio.connection import StudioPaths, studio_paths
from annotate.studio.server import ServerStatus

log = logging.getLogger(__name__)

RECOUNT_TIMEOUT_S = 3600.0  # seconds for the recount itself (every task of every project)


def recount(
    paths: StudioPaths | None = None, *, timeout: float = RECOUNT_TIMEOUT_S
) -> ServerStatus:
    """Stop the local server (when it runs), recount every task's answer counters with
    ``label-studio calculate_stats_all_orgs --from-scratch`` (its output goes to the
    server log), and start it again on its database and port when it was running (a
    stopped server is left stopped: reader57 #5); the server's status then. Refused
    (StudioError, nothing stopped) while a push, hand-over or export of this machine holds
    its lock (:func:`annotate.studio.lock.running_holders`): stopping the server under it
    would fail it. Raises StudioError when this home has no local server, when the recount
    fails or takes over ``timeout`` seconds (the server is left stopped: its data is as
    before), and as :func:`annotate.studio.server.start` does."""
    from annotate.studio.lock import running_holders

    paths = paths or studio_paths()
    creds = local_credentials(
        paths,
        "to recount",
        "a team server's admin runs `label-studio calculate_stats_all_orgs --from-scratch` "
        "there with the server stopped.",
    )
    busy = running_holders()
    if busy:
        raise StudioError(
            f"{len(busy)} push(es) or export(s) of this machine may be using Label Studio "
            f"({'; '.join(str(h) for h in busy)}); recounting stops the server under them.",
            fix="wait for them to finish, then run `annotate studio recount` again (a "
            "stopped or ended push or export resumes without duplicates when run again).",
        )
    was_running = server.stop(paths)
    if was_running:
        log.info("stopped the local Label Studio to recount")
    cmd = [str(paths.executable), "calculate_stats_all_orgs", "--from-scratch"]
    try:
        done = run_in_studio(paths, creds, [*cmd, "--data-dir", str(paths.data)], timeout=timeout)
    except subprocess.TimeoutExpired:
        raise StudioError(
            f"recounting the answers took over {timeout:.0f} s; the server is stopped.",
            fix=f"see {paths.log}, then `annotate studio recount` again.",
        ) from None
    if done.returncode != 0:
        raise StudioError(
            f"`label-studio calculate_stats_all_orgs` failed (exit code {done.returncode}); "
            "the server is stopped, its data unchanged.",
            fix=f"see the end of {paths.log}, then `annotate studio recount` again.",
        )
    return server.start(paths) if was_running else server.status(paths)
