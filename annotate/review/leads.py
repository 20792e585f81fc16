"""Lead accounts: reviewer accounts a push without ``--reviewer`` gives no queue.

A lead needs an account of her own to adjudicate under her name (docs/review.md, "Several
reviewers"), but a push that names no ``--reviewer`` gives passages to every account but
the admin, so the README's own example made the lead one of the reviewers, and her later
adjudications were flagged as by one of the passage's reviewers (passL54 finding 4).
``annotate reviewers add EMAIL --lead`` marks the account a lead; a review push without
``--reviewer`` leaves it out and says so, and one that names it with ``--reviewer`` gives
it a queue as before.

Label Studio Community keeps no role or free field per account that annotate could use
without showing it to every member (the display name shows beside every answer), so the
mark is kept on this machine, per server (:func:`annotate.studio.pushed_projects.server_of`,
its URL written one way for every spelling: ``same_server_url``), like the record of the
projects pushes made: ``leads/`` under
:func:`annotate.settings.state_dir` (0700 folder, 0600 file). A push from another machine
does not know it: name the reviewers there with ``--reviewer``, or mark the lead there
too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_write_text
from annotate.errors import InputError
from annotate.settings import state_dir
from annotate.studio.pushed_projects import Server, same_server_url, server_of

log = logging.getLogger(__name__)

FOLDER = "leads"


def _path(url: str, instance: str | None) -> Path:
    key = json.dumps([url, instance])
    return state_dir() / FOLDER / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def leads_path(server: Server) -> Path:
    """The file of ``server``'s lead accounts, keyed by its URL written one way for every
    spelling (:func:`annotate.studio.pushed_projects.same_server_url`, as the record of
    pushed projects is): a mark made through ``http://127.0.0.1:8080`` holds for a push
    to ``http://localhost:8080`` (break13 finding 7: the lead got a queue again there)."""
    return _path(same_server_url(server.url), server.instance)


def _legacy_path(server: Server) -> Path | None:
    """Where marks made before the URL was normalised are (keyed by the URL as typed),
    when that is another file than :func:`leads_path`; read beside it, and folded into it
    by the next :func:`mark_lead`."""
    path = _path(server.url, server.instance)
    return None if path == leads_path(server) else path


class LeadsRecordError(ValueError):
    """A leads file that is not the record :func:`mark_lead` writes."""


def _read(path: Path) -> set[str]:
    """The lower-cased e-mails of the leads file ``path`` (empty when there is none);
    LeadsRecordError when it cannot be read or is not ``{"leads": [EMAIL, ...]}``."""
    if not path.is_file():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise LeadsRecordError(str(err)) from err
    leads = data.get("leads") if isinstance(data, dict) else None
    if not isinstance(leads, list) or not all(isinstance(e, str) for e in leads):
        found = type(data).__name__ if not isinstance(data, dict) else "no list of e-mails"
        raise LeadsRecordError(f'expected {{"leads": [EMAIL, ...]}}, found {found}')
    return {e.strip().lower() for e in leads}


def _paths(server: Server) -> list[Path]:
    legacy = _legacy_path(server)
    return [leads_path(server)] + ([legacy] if legacy is not None else [])


def leads_of(client: Any) -> set[str]:
    """The lower-cased e-mails marked lead on the server ``client`` talks to (empty when
    none is, or the record cannot be read: logged, a push then takes every account)."""
    known: set[str] = set()
    for path in _paths(server_of(client)):
        try:
            known |= _read(path)
        except LeadsRecordError as err:
            log.warning("the record of lead accounts %s cannot be read (%s): none known", path, err)
    return known


def _marks(server: Server) -> set[str]:
    """:func:`leads_of` for a change of the marks: a record that cannot be read is an
    InputError naming the file and the fix, never read as none (and then written over)."""
    known: set[str] = set()
    for path in _paths(server):
        try:
            known |= _read(path)
        except LeadsRecordError as err:
            raise InputError(
                f"the record of lead accounts {path} cannot be read ({err}); it was left "
                "as it is, and no lead was marked or unmarked.",
                fix='repair it to {"leads": ["lea@example.org", ...]} (every lead\'s '
                "e-mail), or move it away and mark the leads again with `annotate "
                "reviewers add EMAIL --lead`.",
            ) from err
    return known


def mark_lead(client: Any, email: str, lead: bool) -> bool:
    """Mark ``email`` a lead (``lead``) or a reviewer again on ``client``'s server; whether
    that changed anything.

    A leads file that cannot be read is never written over (it may hold other leads'
    marks: break13 finding 14): InputError naming the file and the fix."""
    email = email.strip().lower()
    server = server_of(client)
    known = _marks(server)
    path, legacy = leads_path(server), _legacy_path(server)
    carried = legacy is not None and legacy.is_file()
    if (email in known) == lead and not carried:
        return False
    changed = (email in known) != lead
    known = known | {email} if lead else known - {email}
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.parent.chmod(0o700)
    url = same_server_url(server.url)
    text = json.dumps({"server": url, "leads": sorted(known)}, indent=1) + "\n"
    atomic_write_text(path, text, private=True)
    if carried and legacy is not None:  # its marks are in the new file now
        with contextlib.suppress(OSError):
            legacy.unlink()
    return changed


def check_lead_account(client: Any, email: str, lead: bool) -> bool:
    """Whether ``email`` has an account on ``client``'s server, for ``reviewers add EMAIL
    --lead`` / ``--not-lead``; InputError, before anything is created or marked, when the
    mark makes no sense there:

    - ``--lead`` on the admin account annotate works with (its token): a push never gives
      it a queue, and an adjudication under it is credited to the shared admin login
      (break13 finding 14);
    - ``--not-lead`` on an address with no account that is not marked either: a typo
      (``lee@`` for ``lea@``) would create an account that cannot be deleted and that the
      next push gives passages (break13 finding 8). A mark whose account is gone is
      removed without creating one (False is returned: no account);
    - ``--lead`` on an address with no account that is a likely typo of an existing one
      (:func:`annotate.review.reviewers.did_you_mean`): creating the new person's account
      first (``reviewers add EMAIL``) and then marking it is the explicit way.

    ``--lead`` on any other new address creates the lead's account (docs/review.md, "Several
    reviewers": ``annotate reviewers add lea@example.org --lead``)."""
    from annotate.review.reviewers import did_you_mean, list_users

    email = email.strip().lower()
    marked = _marks(server_of(client))  # a damaged record: refused before any sign-up
    users = list_users(client)
    me = client.whoami()
    account = next((u for u in users if str(u.get("email") or "").lower() == email), None)
    admin = account is not None and int(account["id"]) == int(me["id"])
    if lead and (admin or email == str(me.get("email") or "").lower()):
        raise InputError(
            f"{email} is the admin account annotate works with (its API token), not a "
            "reviewer: a push never gives it a queue, and an adjudication made under it is "
            "credited to the shared admin login (export flags it). Nothing was marked.",
            fix="create the lead's own account and mark that: `annotate reviewers add "
            "lea@example.org --lead`; she adjudicates logged in as herself.",
        )
    if account is not None:
        return True
    accounts = [
        str(u.get("email") or "")
        for u in users
        if "@" in str(u.get("email") or "") and int(u["id"]) != int(me["id"])
    ]
    url = getattr(client, "url", "the server")
    if not lead:
        if email in marked:
            return False  # a mark whose account is gone: removed, nothing created
        shown = ", ".join(sorted(marked)) if marked else "none"
        raise InputError(
            f"no account {email} on {url}, and it is not marked lead: nothing to undo. "
            "Nothing was created (--not-lead creates no account; Label Studio cannot "
            f"delete one). Marked leads on this server: {shown}.",
            fix=f"{did_you_mean(email, accounts)}pass the address as `annotate reviewers "
            "list` shows it.",
        )
    guess = did_you_mean(email, accounts)
    if guess:
        raise InputError(
            f"no account {email} on {url}, and it looks like a typo of an existing one. "
            "Nothing was created or marked (Label Studio cannot delete an account).",
            fix=f"{guess}if {email} is a new person, create the account first with "
            f"`annotate reviewers add {email}`, then mark it with `annotate reviewers add "
            f"{email} --lead`.",
        )
    return False
