"""The reviewer queues of a review set: one Label Studio project per reviewer.

Every member of a Label Studio organization sees every project's title and description,
so a queue names its reviewer only by their pseudonym (``r-`` + 10 hex digits, the one
exports give them: a salted hash of their Label Studio user id, see
:func:`annotate.corpus.resolve.pseudonym`): titled ``NAME · r-…``, its description ends
with the marker line ``[annotate-review] project="NAME" reviewer=r-…``. The mapping back
to an e-mail stays on the lead's machine: it is computed from the pseudonym salt
(``$ANNOTATE_HOME/pseudonym_salt`` or ``$ANNOTATE_PSEUDONYM_SALT``) and the user list.

Queues made before (titled ``NAME · LOCALPART``, marker ``reviewer=EMAIL``) are still
found; :func:`migrate` renames them (a review push does it).

The review set's number of reviewers per passage (K, ``push --reviewers-per-task``) is
recorded in every queue's description too, on a line of its own
``[annotate-review] reviewers_per_task=K`` (:func:`k_of`): status and export compare a
passage's answers with K, and a push with another K is refused
(:func:`k_mismatch_error`). Review sets pushed before K was recorded get it from their
next push (:func:`record_k`).

A reviewer whose open tasks `annotate review reassign` handed on is away (on leave, or
gone): their queue's description records it on a line ``[annotate-review] away=SINCE``
(:func:`set_away`), and a push that names no ``--reviewer`` leaves them out; a push that
names them gives them passages again and clears the line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from annotate.corpus.resolve import pseudonym
from annotate.errors import InputError
from annotate.review.reviewers import EMAIL_RE, list_users
from annotate.settings import SALT_ENV, annotate_home
from annotate.studio.client import StudioClient
from annotate.studio.projects import (
    LIST_FIELDS,
    MAX_TITLE,
    REVIEW_MARKER,
    review_marker_prefix,
    review_set_of,
)

log = logging.getLogger(__name__)

K_PREFIX = f"{REVIEW_MARKER} reviewers_per_task="
AWAY_PREFIX = f"{REVIEW_MARKER} away="


@dataclass(frozen=True)
class Queue:
    """One reviewer's project of a review set."""

    alias: str  # the reviewer's pseudonym; a legacy queue of a removed account: its e-mail
    email: str | None  # the account's e-mail; None: removed from the organization, or unknown
    user_id: int | None  # None: no account of the organization has this pseudonym
    project: dict[str, Any]
    legacy: bool = False  # titled and marked with the e-mail (made before pseudonyms)

    @property
    def k(self) -> int | None:
        """The review set's reviewers per passage recorded in this queue (None: made
        before K was recorded)."""
        return k_of(self.project)

    @property
    def away(self) -> str | None:
        """When a hand-over marked the reviewer away in this review set (an ISO time);
        None: not away."""
        return away_of(self.project)

    @property
    def name(self) -> str:
        """How the lead's terminal names the reviewer: e-mail and pseudonym."""
        return f"{self.email} ({self.alias})" if self.email else self.alias


def marker(project: str, alias: str) -> str:
    return f"{REVIEW_MARKER} project={json.dumps(project)} reviewer={alias}"


def description(project: str, alias: str, k: int | None = None, away: str | None = None) -> str:
    """A queue's description: what it is, its marker line, K's line (when known) and the
    away line (when the reviewer is away)."""
    text = (
        f"Review queue of reviewer {alias} for {project!r}: only their tasks, blind to other "
        f"reviewers. Created by annotate push.\n{marker(project, alias)}"
    )
    if k is not None:
        text += f"\n{K_PREFIX}{k}"
    return text if away is None else f"{text}\n{AWAY_PREFIX}{away}"


def away_of(project: dict[str, Any]) -> str | None:
    """The time a queue's away line records (see :func:`set_away`); None: no such line."""
    for line in str(project.get("description") or "").splitlines():
        if line.startswith(AWAY_PREFIX):
            return line[len(AWAY_PREFIX) :].strip() or None
    return None


def set_away(client: StudioClient, queue: Queue, project: str, since: str | None) -> Queue:
    """Mark the queue's reviewer away in review set ``project`` from ``since`` (an ISO
    time), or back (``since`` None): the away line of its description. A queue marked
    with an e-mail (made before pseudonyms) is left as it is; so is one already so."""
    if queue.legacy or (queue.away is None) == (since is None):
        return queue
    text = description(project, queue.alias, queue.k, since)
    client.update_project(int(queue.project["id"]), description=text)
    log.info("reviewer queue %s: away %s", queue.project["id"], since or "no more")
    return Queue(queue.alias, queue.email, queue.user_id, {**queue.project, "description": text})


@dataclass(frozen=True)
class AwayMark:
    """A reviewer marked away in one review set (:func:`set_away`)."""

    review_set: str
    since: str


def away_marks(client: StudioClient, salt: str | None) -> tuple[dict[int, list[AwayMark]], int]:
    """User id -> the review sets of the server where a hand-over marked them away (by
    review set name), and how many away marks name a pseudonym of no account under
    ``salt`` (queues pushed with another salt; every one when ``salt`` is None: this
    machine has none). One listing of the projects and one of the users."""
    users = accounts(client, salt) if salt is not None else {}
    out: dict[int, list[AwayMark]] = {}
    strangers = 0
    for proj in client.list_projects(include=LIST_FIELDS):
        since = away_of(proj)
        name = review_set_of(proj)
        if since is None or name is None:
            continue
        prefix = review_marker_prefix(name)
        alias = next(
            (
                line[len(prefix) :].strip()
                for line in str(proj.get("description") or "").splitlines()
                if line.startswith(prefix)
            ),
            "",
        )
        if alias not in users:
            strangers += 1
            continue
        out.setdefault(users[alias][0], []).append(AwayMark(name, since))
    for marks in out.values():
        marks.sort(key=lambda m: m.review_set)
    return out, strangers


def k_of(project: dict[str, Any]) -> int | None:
    """The reviewers per passage (K) a queue's description records; None when it records
    none (a queue made before K was recorded) or an unreadable value."""
    for line in str(project.get("description") or "").splitlines():
        if line.startswith(K_PREFIX):
            value = line[len(K_PREFIX) :].strip()
            return int(value) if value.isdigit() and int(value) > 0 else None
    return None


def recorded_k(projects: Collection[dict[str, Any]]) -> int | None:
    """The K a review set's queues record (the largest, should they differ); None when
    none records one."""
    found = [k for p in projects if (k := k_of(p)) is not None]
    return max(found) if found else None


def k_mismatch_error(
    project: str, recorded: int, asked: int, *, legacy: bool = False
) -> InputError:
    """The error of a push asking for another K than review set ``project`` holds."""
    what = (
        f"holds passages with {recorded} reviewers each"
        if legacy
        else f"was pushed with --reviewers-per-task {recorded} (recorded in its queues)"
    )
    return InputError(
        f"review set {project!r} {what}; this push asks for {asked}. One review set has one "
        "number of reviewers per passage: its agreement, its open work and its export's "
        "'short of a reviewer' count are measured against it.",
        fix=f"push with --reviewers-per-task {recorded} (new batches join the review set with "
        f"its K), or push under another --project name to review with {asked} per passage.",
    )


def record_k(client: StudioClient, queue: Queue, project: str, k: int) -> Queue:
    """Write K into a queue's description (queues made before K was recorded); the queue as
    it is when it records K already. Only a queue marked with a pseudonym is rewritten
    (a legacy one gets K when :func:`migrate` renames it)."""
    if queue.k == k or queue.legacy:
        return queue
    text = description(project, queue.alias, k, queue.away)
    client.update_project(int(queue.project["id"]), description=text)
    log.info("reviewer queue %s: reviewers per passage %d recorded", queue.project["id"], k)
    return Queue(queue.alias, queue.email, queue.user_id, {**queue.project, "description": text})


def queue_title(project: str, alias: str, taken: Collection[str] = ()) -> str:
    """``NAME · r-…`` (``NAME · q-…``, another hash, when a project already has that
    title). ``taken``: the titles of the server's projects."""
    title = f"{project} · {alias}"
    if title in taken:
        title = f"{project} · q-{hashlib.sha256(alias.encode()).hexdigest()[:10]}"
    if len(title) > MAX_TITLE:
        raise InputError(
            f"project name {project!r} is too long for a review set: Label Studio titles hold "
            f"{MAX_TITLE} characters and reviewer projects add 15.",
            fix=f"use a --project name of at most {MAX_TITLE - 15} characters.",
        )
    return title


def accounts(client: StudioClient, salt: str) -> dict[str, tuple[int, str | None]]:
    """Pseudonym -> (user id, e-mail; None for a member removed from the organization)
    of every user Label Studio lists."""
    out: dict[str, tuple[int, str | None]] = {}
    for user in list_users(client):
        email = str(user.get("email") or "").lower()
        out[pseudonym(int(user["id"]), salt)] = (
            int(user["id"]),
            email if EMAIL_RE.match(email) else None,
        )
    return out


def queue_owners(client: StudioClient, project: str, salt: str) -> dict[str, str]:
    """The title a queue of review set ``project`` has (:func:`queue_title`, either form)
    -> the e-mail of the reviewer whose queue it is, for every account Label Studio lists
    under ``salt``: names a queue that is gone, of which only its title is known."""
    out: dict[str, str] = {}
    for alias, (_, email) in accounts(client, salt).items():
        if email:
            out[f"{project} · {alias}"] = email
            out[f"{project} · q-{hashlib.sha256(alias.encode()).hexdigest()[:10]}"] = email
    return out


def marked_pseudonym(queue: dict[str, Any], project: str) -> str | None:
    """The reviewer's pseudonym a queue of review set ``project`` records in the marker
    line of its description (the one its title shows); None: no marker, or a queue made
    before pseudonyms (marked with the reviewer's e-mail)."""
    prefix = review_marker_prefix(project)
    for line in str(queue.get("description") or "").splitlines():
        if line.startswith(prefix):
            value = line[len(prefix) :].strip()
            return value if value and "@" not in value else None
    return None


def find_queues(client: StudioClient, project: str, salt: str) -> list[Queue]:
    """The reviewer queues of review set ``project``, oldest first (empty: not a review
    set), by the marker line of their descriptions."""
    prefix = review_marker_prefix(project)
    users = accounts(client, salt)
    by_email = {email: (uid, alias) for alias, (uid, email) in users.items() if email}
    found: list[Queue] = []
    for proj in sorted(client.list_projects(include=LIST_FIELDS), key=lambda p: int(p["id"])):
        for line in str(proj.get("description") or "").splitlines():
            if not line.startswith(prefix):
                continue
            value = line[len(prefix) :].strip()
            if "@" in value:  # a queue made before pseudonyms
                email = value.lower()
                uid, alias = by_email.get(email, (None, email))
                found.append(Queue(alias, email if uid else None, uid, proj, legacy=True))
            else:
                uid, email = users.get(value, (None, None))
                found.append(Queue(value, email, uid, proj))
    return found


def unknown_salt_error(queues: list[Queue], project: str) -> InputError | None:
    """The error to raise when queues carry pseudonyms of no account under this salt (the
    review set was pushed from a machine with another salt): a push would otherwise give
    the same reviewers second queues."""
    strangers = [q.alias for q in queues if q.user_id is None and not q.legacy]
    if not strangers:
        return None
    return InputError(
        f"review set {project!r} has {len(strangers)} reviewer queue(s) whose pseudonym "
        f"(e.g. {strangers[0]}) matches no account under this pseudonym salt "
        f"({salt_source()}): it was pushed with another salt (on another machine, or from "
        "a folder with a .annotate of its own).",
        fix="run the command from the folder it was pushed from (or set ANNOTATE_HOME to "
        "that folder's .annotate), or set ANNOTATE_PSEUDONYM_SALT to the salt that pushed it "
        "(its .annotate/pseudonym_salt), the same one exports of the project need.",
    )


def salt_source() -> str:
    """Where this command's pseudonym salt comes from, as errors name it."""
    if os.environ.get(SALT_ENV):
        return f"${SALT_ENV}"
    return str(annotate_home() / "pseudonym_salt")


def answered_salt_error(
    project: str,
    answerers: list[tuple[str, Collection[int]]],
    salt: str,
    known: Callable[[], Collection[str]] | None = None,
) -> InputError | None:
    """The error to raise when no reviewer queue of review set ``project`` is titled with
    the pseudonym, under ``salt``, of who answered in it: the set was pushed with another
    salt, and reading it with this one would give every reviewer another pseudonym than
    earlier exports and the queue titles (an export, agreement or adjudication run from a
    folder with a fresh ``.annotate/pseudonym_salt``). ``answerers``: (queue title, the
    Label Studio user ids who answered there) per queue; queues without answers, and
    titles without a pseudonym (``q-…``, made before pseudonyms), are not evidence.
    ``known()``: the pseudonyms under ``salt`` of the accounts the server lists (read only
    when the answers alone would refuse): a queue titled with one of them shows the salt
    is the pushing one, so answers only by accounts that are none of the queues' reviewers
    (the admin, a lead) are astray (:func:`answers_astray`), no sign of another salt."""
    prefix = f"{project} · "
    checked = [
        (title[len(prefix) :], users)
        for title, users in answerers
        if users and title.startswith(f"{prefix}r-")
    ]
    if not checked or any(alias in {pseudonym(u, salt) for u in users} for alias, users in checked):
        return None
    everyone = {pseudonym(u, salt) for _, users in checked for u in users}
    if any(alias in everyone for alias, _ in checked):
        # the salt names these reviewers: each answered, but in another's queue (Community
        # lets every member open every project): their answers, not the salt, are astray
        return None
    if known is not None:
        titled = {t[len(prefix) :] for t, _ in answerers if t.startswith(f"{prefix}r-")}
        if titled & set(known()):
            # a queue is titled with an account's pseudonym under this salt: the salt is
            # the pushing one, and every answer is by someone who is no queue's reviewer
            # (the admin answering in reviewer queues): astray, said by answers_astray
            return None
    return InputError(
        f"review set {project!r}: the answers in its {len(checked)} answered reviewer "
        f"queue(s) (e.g. {checked[0][0]}) are by nobody of that pseudonym under this "
        "machine's pseudonym salt: it was pushed with another salt (a command run from "
        "another folder makes a new .annotate/pseudonym_salt), and its reviewers would get "
        "other pseudonyms than in the queue titles and earlier exports.",
        fix="run from the folder that pushed it (or set ANNOTATE_HOME to its .annotate), or "
        "set ANNOTATE_PSEUDONYM_SALT to the salt of the machine that pushed it (its "
        ".annotate/pseudonym_salt).",
    )


def answers_astray(
    project: str, answerers: list[tuple[str, Collection[int]]], salt: str
) -> list[tuple[str, list[str]]]:
    """(queue pseudonym, the pseudonyms of other accounts that answered in it) of each
    reviewer queue of review set ``project`` holding answers by someone other than its
    reviewer: a reviewer who opened a colleague's queue (Community lets every member open
    every project), or a lead who answered there. ``answerers`` as for
    :func:`answered_salt_error`; queues titled without a pseudonym are left out."""
    prefix = f"{project} · r-"
    out = []
    for title, users in answerers:
        if not title.startswith(prefix):
            continue
        alias = title[len(prefix) - 2 :]
        others = sorted({pseudonym(u, salt) for u in users} - {alias})
        if others:
            out.append((alias, others))
    return out


def migrate(
    client: StudioClient, queue: Queue, project: str, taken: set[str], k: int | None = None
) -> Queue:
    """Rename a queue made before pseudonyms (title ``NAME · LOCALPART``, the e-mail in its
    description) to its pseudonym, recording ``k`` (the review set's K) when given; other
    queues are returned as they are."""
    if not queue.legacy or queue.user_id is None:
        return queue
    title = queue_title(project, queue.alias, taken - {str(queue.project.get("title"))})
    taken.discard(str(queue.project.get("title")))
    taken.add(title)
    text = description(project, queue.alias, k if k is not None else queue.k, queue.away)
    client.update_project(int(queue.project["id"]), title=title, description=text)
    log.info("reviewer queue %s renamed to %r (pseudonym)", queue.project["id"], title)
    proj = {**queue.project, "title": title, "description": text}
    return Queue(queue.alias, queue.email, queue.user_id, proj)
