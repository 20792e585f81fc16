"""Lead accounts: reviewer accounts a push without ``--reviewer`` gives no queue.

A lead needs an account of her own to adjudicate under her name (README, "Several
reviewers"), but a push that names no ``--reviewer`` gives passages to every account but
the admin, so the README's own example made the lead one of the reviewers, and her later
adjudications were flagged as by one of the passage's reviewers (passL54 finding 4).
``annotate reviewers add EMAIL --lead`` marks the account a lead; a review push without
``--reviewer`` leaves it out and says so, and one that names it with ``--reviewer`` gives
it a queue as before.

Label Studio Community keeps no role or free field per account that annotate could use
without showing it to every member (the display name shows beside every answer), so the
mark is kept on this machine, per server (:func:`annotate.studio.pushed_projects.server_of`),
like the record of the projects pushes made: ``leads/`` under
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
from annotate.settings import state_dir
from annotate.studio.pushed_projects import Server, server_of

log = logging.getLogger(__name__)

FOLDER = "leads"


def leads_path(server: Server) -> Path:
    """The file of ``server``'s lead accounts."""
    key = json.dumps([server.url, server.instance])
    return state_dir() / FOLDER / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def leads_of(client: Any) -> set[str]:
    """The lower-cased e-mails marked lead on the server ``client`` talks to (empty when
    none is, or the record cannot be read: logged, a push then takes every account)."""
    path = leads_path(server_of(client))
    if not path.is_file():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(e).lower() for e in data.get("leads") or []}
    except (OSError, ValueError, AttributeError) as err:
        log.warning("the record of lead accounts %s cannot be read (%s): none known", path, err)
        return set()


def mark_lead(client: Any, email: str, lead: bool) -> bool:
    """Mark ``email`` a lead (``lead``) or a reviewer again on ``client``'s server; whether
    that changed anything."""
    email = email.strip().lower()
    known = leads_of(client)
    if (email in known) == lead:
        return False
    known = known | {email} if lead else known - {email}
    server = server_of(client)
    path = leads_path(server)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.parent.chmod(0o700)
    text = json.dumps({"server": server.url, "leads": sorted(known)}, indent=1) + "\n"
    atomic_write_text(path, text, private=True)
    return True
