"""Who a removed reviewer's pseudonym was: a record kept on the lead's machine.

Exports name each reviewer ``r-`` and a salted hash of their Label Studio account id
(:func:`annotate.corpus.resolve.pseudonym`); `annotate review status` pairs the pseudonym
with the account's e-mail from the server's live account list. Once `annotate reviewers
remove` takes the account out of the organization, Label Studio blanks its e-mail in every
listing, so nothing could say any more who ``r-…`` was: the question an auditor asks about
a reviewer flagged for gold accuracy, often months later (passM55 finding 2).

So a removal records, before the server is asked, the e-mail, the account id, the
pseudonym under this machine's salt, the server and the time: ``removed_reviewers.json``
under :func:`annotate.settings.state_dir` (0700 folder, 0600 file, like the record of the
projects pushes made). It pairs pseudonyms with people: keep it in-house with the salt
(docs/export-and-audit.md, "An audit package"). `annotate reviewers list --removed` prints it and
`annotate pseudonym r-…` looks a pseudonym up in it; neither needs the server.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_write_text
from annotate.corpus.resolve import pseudonym
from annotate.settings import state_dir

log = logging.getLogger(__name__)

FILE = "removed_reviewers.json"


@dataclass(frozen=True)
class RemovedReviewer:
    """One removed account as the record keeps it."""

    email: str
    user_id: int
    pseudonym: str  # under the salt of the machine that removed it
    server: str
    removed_at: str  # UTC, ISO 8601 (when the removal was asked for)
    # False while the server has not yet confirmed the removal (recorded before it is
    # asked: afterwards the e-mail is blanked); records written before Dec 2026 lack it
    confirmed: bool = True


class RemovedRecordError(ValueError):
    """A record of removed reviewers that is not the one :func:`remember_removal` writes."""


def record_path() -> Path:
    """The record of removed reviewers on this machine."""
    return state_dir() / FILE


def _read(path: Path) -> list[RemovedReviewer]:
    """The entries of the record ``path`` ([] when there is none); RemovedRecordError when
    it cannot be read or is not ``{"removed": [ENTRY, ...]}``."""
    if not path.is_file():
        return []
    # what is wrong in plain words, not the exception's class name (s56 left #7)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise RemovedRecordError("it is not UTF-8 text") from err
    except OSError as err:
        raise RemovedRecordError(f"it cannot be read: {err.strerror or err}") from err
    try:
        data = json.loads(text)
    except ValueError as err:
        raise RemovedRecordError(f"it is not JSON: {err}") from err
    try:
        return [RemovedReviewer(**{**e, "user_id": int(e["user_id"])}) for e in data["removed"]]
    except (ValueError, KeyError, TypeError) as err:
        raise RemovedRecordError(
            'expected {"removed": [ENTRY, ...]}, each entry with its email, user_id, pseudonym, '
            "server and removed_at, found another shape"
        ) from err


def removed_reviewers() -> list[RemovedReviewer]:
    """Every removal recorded on this machine, oldest first ([] when none, or the record
    cannot be read: logged)."""
    path = record_path()
    try:
        return _read(path)
    except RemovedRecordError as err:
        log.warning("the record of removed reviewers %s cannot be read (%s)", path, err)
        return []


def _write(path: Path, entries: list[RemovedReviewer]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        if path.parent.stat().st_mode & 0o077:
            path.parent.chmod(0o700)
    body: dict[str, Any] = {
        "about": "reviewer pseudonyms (r-...) of accounts removed from the organization, "
        "with their e-mail: keep in-house, like the pseudonym salt",
        "removed": [asdict(e) for e in entries],
    }
    atomic_write_text(path, json.dumps(body, indent=1, ensure_ascii=False) + "\n", private=True)


def remember_removal(
    server: str, email: str, user_id: int, alias: str, *, confirmed: bool = True
) -> Path:
    """Add the removal of ``email`` (account ``user_id``, pseudonym ``alias``) on
    ``server`` to the record (once: a removal asked again replaces its entry) and return
    its path; ``confirmed`` False: asked, not yet done (:func:`confirm_removal`,
    :func:`forget_removal`). OSError when it cannot be written (the caller says so);
    RemovedRecordError when the record there cannot be read: it is never written over
    (it holds the only record of who earlier removed reviewers were: break14 finding 2)."""
    entry = RemovedReviewer(
        email.strip().lower(),
        int(user_id),
        alias,
        server,
        datetime.now(timezone.utc).isoformat(timespec="seconds"),
        confirmed,
    )
    path = record_path()
    kept = [
        e
        for e in _read(path)
        if (e.server, e.user_id, e.pseudonym) != (server, entry.user_id, alias)
    ]
    _write(path, [*kept, entry])
    return path


def _settle(server: str, user_id: int, alias: str, done: bool) -> None:
    path = record_path()
    entries = _read(path)
    key = (server, int(user_id), alias)
    settled = [
        (replace(e, confirmed=True) if done else None)
        if (e.server, e.user_id, e.pseudonym) == key and not e.confirmed
        else e
        for e in entries
    ]
    _write(path, [e for e in settled if e is not None])


def confirm_removal(server: str, user_id: int, alias: str) -> None:
    """Mark the pending removal of account ``user_id`` on ``server`` done (the server
    removed it). OSError / RemovedRecordError as :func:`remember_removal`."""
    _settle(server, user_id, alias, done=True)


def forget_removal(server: str, user_id: int, alias: str) -> None:
    """Drop the pending removal of account ``user_id`` on ``server`` (the server refused
    it, or it was never sent): the account was not removed. OSError / RemovedRecordError
    as :func:`remember_removal`."""
    _settle(server, user_id, alias, done=False)


def who_was(alias: str, salt: str | None = None) -> list[RemovedReviewer]:
    """The recorded removals whose pseudonym is ``alias``: the one recorded, or (``salt``
    given) the account id's pseudonym under ``salt`` (a review set pushed from another
    folder of this machine, with another salt)."""
    alias = alias.strip().lower()
    return [
        e
        for e in removed_reviewers()
        if e.pseudonym == alias or (salt is not None and pseudonym(e.user_id, salt) == alias)
    ]


def removed_emails(pseudonyms: Iterable[str], salt: str | None = None) -> dict[str, str]:
    """Pseudonym -> the e-mail this machine's record of removed reviewers keeps for it,
    for each of ``pseudonyms`` the record holds (as :func:`who_was` matches them: the
    recorded pseudonym, or the account id's under ``salt``; the latest removal when one
    is recorded twice). The record is read once; {} when it has none of them or cannot be
    read (logged)."""
    wanted = {p.strip().lower(): p for p in pseudonyms}
    out: dict[str, str] = {}
    for e in removed_reviewers():
        for alias in {e.pseudonym, *([pseudonym(e.user_id, salt)] if salt is not None else [])}:
            if alias in wanted:
                out[wanted[alias]] = e.email
    return out
