"""Give a reviewer of the local Label Studio a new password.

Label Studio Community cannot set another user's password through its API, and
`annotate reviewers add` prints a new account's password once; a re-run for an existing
account leaves it alone ("password unchanged"). A reviewer who lost theirs (or a printout
piped away) had no way back through annotate (newuser61 finding 9). Label Studio's own
``label-studio reset_password --username EMAIL --password NEW`` sets it on the server's
database; this runs it for the local server, with the data folder and database the
server runs on (the server may keep running: measured on 1.23.2 with SQLite).
"""

from __future__ import annotations

import logging
import subprocess

from annotate.errors import StudioError
from annotate.studio import server
from annotate.studio.connection import StudioPaths, read_credentials, studio_paths

log = logging.getLogger(__name__)

RESET_TIMEOUT_S = 300.0  # seconds for Label Studio to start its command and set the password


def team_server_fix(email: str) -> str:
    """What to do on a server annotate did not start: its admin runs Label Studio's
    command there."""
    return (
        f"an admin of that server runs `label-studio reset_password --username {email} "
        "--password NEW` there (or the reviewer uses its password-reset page where it "
        "sends e-mail), then sends the password privately."
    )


def reset_password(
    email: str,
    password: str,
    paths: StudioPaths | None = None,
    *,
    timeout: float = RESET_TIMEOUT_S,
) -> None:
    """Set the password of account ``email`` on the local Label Studio of ``paths``
    (default: this work folder's) to ``password``, with ``label-studio reset_password``
    (its output goes to the server log).

    Raises StudioError when this work folder has no local server (no credentials or no
    install), when ``email`` is the admin account annotate works with (its password is
    in credentials.json; changing it there would lock annotate out), and when the command
    fails or takes over ``timeout`` seconds (the password is then unchanged)."""
    paths = paths or studio_paths()
    creds = read_credentials(paths)
    if creds is None or not server.is_installed(paths):
        raise StudioError(
            f"no local Label Studio in {paths.root} to set a password on.",
            fix="run it where `annotate studio start` ran (or set ANNOTATE_HOME to its "
            f".annotate folder); on a team server, {team_server_fix(email)}",
        )
    if email.strip().lower() == creds.username.strip().lower():
        raise StudioError(
            f"{email} is the admin account annotate works with; its password is in "
            f"{paths.credentials}.",
            fix="give a reviewer or a lead their own account (`annotate reviewers add EMAIL`).",
        )
    cmd = [
        str(paths.executable),
        "reset_password",
        "--username",
        email.strip().lower(),
        "--password",
        password,
        "--data-dir",
        str(paths.data),
    ]
    log.info("setting a new password for %s on the local Label Studio", email)
    with paths.log.open("ab") as logfh:
        try:
            done = subprocess.run(
                cmd,
                stdout=logfh,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=server.server_env(paths, creds, server.chosen_database(paths)),
                cwd=str(paths.data),
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise StudioError(
                f"setting {email}'s password took over {timeout:.0f} s; it is unchanged.",
                fix=f"see {paths.log}, then run the command again.",
            ) from None
    if done.returncode != 0:
        raise StudioError(
            f"`label-studio reset_password` failed for {email} (exit code "
            f"{done.returncode}); the password is unchanged.",
            fix=f"see the end of {paths.log} (an e-mail with no account there is one "
            "cause: `annotate reviewers list`), then run the command again.",
        )
