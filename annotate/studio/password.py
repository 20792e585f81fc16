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
from annotate.studio.command import local_credentials, run_in_studio
from annotate.studio.connection import StudioPaths, studio_paths

log = logging.getLogger(__name__)

RESET_TIMEOUT_S = 300.0  # seconds for Label Studio to start its command and set the password
EMAIL_ENV = "ANNOTATE_RESET_EMAIL"
PASSWORD_ENV = "ANNOTATE_RESET_PASSWORD"  # the new password: in the environment, never argv
CHANGED = "annotate-reset-password: changed "  # + the account's e-mail as stored

UNMIGRATED = "annotate-reset-password: the database has no accounts table (never migrated)"

# Run with the install's Python: Label Studio's set-up (its ``_setup_env``, as
# `label-studio reset_password` does), then the account matched as Label Studio's own
# command cannot: any case (reader61 #1: it matched the e-mail exactly and exited 0 with
# "not found"). Exit 3: no account; 4: several accounts differ only in case; 5: the
# database was never migrated (the server never started on it: Django's "no such table").
SCRIPT = f"""
import os, sys
from label_studio.server import _setup_env
_setup_env()
from django.db import connection
from users.models import User
email = os.environ.pop({EMAIL_ENV!r})
password = os.environ.pop({PASSWORD_ENV!r})
if User._meta.db_table not in connection.introspection.table_names():
    print({UNMIGRATED!r})
    sys.exit(5)
found = list(User.objects.filter(email__iexact=email))
exact = [u for u in found if u.email == email]
found = exact or found
if not found:
    print("annotate-reset-password: no account with e-mail", email)
    sys.exit(3)
if len(found) > 1:
    print("annotate-reset-password: several accounts:", ", ".join(u.email for u in found))
    sys.exit(4)
user = found[0]
user.set_password(password)
user.save()
print({CHANGED!r} + user.email)
"""


def team_server_fix(email: str) -> str:
    """What to do on a server annotate did not start: its admin runs Label Studio's
    command there."""
    return (
        f"an admin of that server runs `label-studio reset_password --username {email}` "
        "there (it asks for the password; the e-mail must match the account's case) or "
        "the reviewer uses its password-reset page where it sends e-mail, then sends the "
        "password privately."
    )


def reset_password(
    email: str,
    password: str,
    paths: StudioPaths | None = None,
    *,
    timeout: float = RESET_TIMEOUT_S,
) -> str:
    """Set the password of account ``email`` (any case) on the local Label Studio of
    ``paths`` (default: this work folder's) to ``password``, with a short Django script
    run by the install's Python (the password handed over in its environment, never on
    its command line; its output goes to the server log); the account's e-mail as Label
    Studio stores it (its login, case included).

    Raises StudioError when this work folder has no local server (no credentials or no
    install), when the database was never migrated (the server never started on it),
    when ``email`` is the admin account annotate works with (its password is in
    credentials.json; changing it there would lock annotate out), when no account (or
    several differing only in case) has that e-mail, when the script fails (the password
    is then unchanged), and when it takes over ``timeout`` seconds (the password may or
    may not have changed then)."""
    paths = paths or studio_paths()
    creds = local_credentials(
        paths, "to set a password on", f"on a team server, {team_server_fix(email)}"
    )
    wanted = email.strip()
    if wanted.lower() == creds.username.strip().lower():
        raise StudioError(
            f"{email} is the admin account annotate works with; its password is in "
            f"{paths.credentials}.",
            fix="give a reviewer or a lead their own account (`annotate reviewers add EMAIL`).",
        )
    log.info("setting a new password for %s on the local Label Studio", wanted)
    try:
        done = run_in_studio(
            paths,
            creds,
            [str(paths.venv / "bin" / "python"), "-c", SCRIPT],
            timeout=timeout,
            extra_env={EMAIL_ENV: wanted, PASSWORD_ENV: password},
            capture=True,
            log_args=False,
        )
    except subprocess.TimeoutExpired:
        raise StudioError(
            f"setting {wanted}'s password took over {timeout:.0f} s and was stopped; it may "
            "or may not have changed (the old password tells: it works only if unchanged).",
            fix=f"see {paths.log}, then run the command again (it sets a new password "
            "either way and prints it).",
        ) from None
    output = done.stdout or ""
    stored = next(
        (line[len(CHANGED) :].strip() for line in output.splitlines() if line.startswith(CHANGED)),
        None,
    )
    if done.returncode == 3:
        raise StudioError(
            f"the local Label Studio has no account with the e-mail {wanted} (any case); "
            "no password was set.",
            fix="check the spelling (`annotate reviewers list`), or run `annotate reviewers "
            f"add {wanted}` without --new-password to create the account.",
        )
    if done.returncode == 5:
        raise StudioError(
            f"the database the local Label Studio of {paths.root} runs on has no accounts: "
            "the server has never been started (or migrated) on it, so no account "
            f"{wanted} can be there; no password was set.",
            fix="run `annotate studio start` first (its first start sets up the database), "
            f"then `annotate reviewers add {wanted}` to create the account; its password is "
            "printed then.",
        )
    if done.returncode != 0 or stored is None:
        last = output.strip().splitlines()[-1:] or ["no output"]
        raise StudioError(
            f"setting {wanted}'s password on the local Label Studio failed (exit code "
            f"{done.returncode}, expected 0 and a line saying it changed; last line: "
            f"{last[0][:200]}); the password is unchanged.",
            fix=f"see the end of {paths.log}, then run the command again.",
        )
    return stored
