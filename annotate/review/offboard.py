"""Removing a reviewer from the organization (`annotate reviewers remove EMAIL`).

What Label Studio 1.23 Community offers (read from its source, ``organizations/api.py``,
``organizations/models.py`` and ``users/api.py`` of the installed version):

- ``DELETE /api/organizations/{org}/memberships/{user}/`` marks the membership deleted
  (``OrganizationMember.deleted_at``; "soft delete"). The account and everything it made
  stay: its answers keep ``completed_by``, so exports keep them under the reviewer's
  pseudonym. The API then lists the user with ``Deleted`` in place of e-mail and names,
  and every project refuses them (``Project.has_permission`` rejects a deleted membership).
  Measured on 1.23.2: the account can still log in and list the projects' titles, but a
  project, its tasks and its labeling stream answer 403. Removing the admin (itself) is
  refused (405); removing twice answers 404.
- A removed member stays in the organization's user list (``/api/users/`` lists every
  user with a membership, deleted or not) and in its member list, but every API blanks
  their e-mail (``Deleted`` for e-mail, username and first name: ``BaseUserSerializer``
  when the membership has ``deleted_at``), so nothing maps an e-mail to a removed
  account. What still knows the e-mail is the sign-up form, which refuses an e-mail it
  has ("already exists"; :func:`annotate.review.reviewers.signed_up_elsewhere`), and
  Community signs every account up into its first organization
  (``users/functions/common.py``), the one annotate's admin works in. So an e-mail the
  sign-up form knows, that is no member, in an organization that lists removed accounts,
  is one removed already: removing it again is a no-op (:attr:`Removal.already_removed`).
  An e-mail the form knows while the organization lists no removed account belongs to
  another organization (made there by a superuser or an Enterprise import): an error.
- ``DELETE /api/users/{id}/`` deletes the user: their answers stay but lose their author
  (``Annotation.completed_by`` is ``SET_NULL``), so nobody could tell whose they were, and
  their drafts go with them. annotate never does that.
- Community has no way to deactivate an account (``is_active`` is not writable through
  its API) and none to take a removal back: the sign-up form refuses the e-mail again.

So :func:`remove_reviewer` removes the membership (and the open gold of a queue that
holds no other open work, as a hand-over from a leaving reviewer does), after refusing
while the reviewer still has open tasks in a review set (they would stay unanswered:
each such passage one answer short of K) unless forced. Their queues stay as they are:
answered and skipped tasks are their record; open ones wait for `annotate review
reassign` (by pseudonym from then on).
Open tasks are counted as `annotate review status` counts them
(:func:`annotate.review.unfinished.open_counts`): a passage a stopped hand-over left in
two queues counts once. A hand-over from or to the reviewer that stopped midway is named
with the command that finishes it (`review reassign` refuses to hand those passages to
anyone else; and once its target is removed, no hand-over can finish it): removal is
refused while one is unfinished, unless forced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotate._util.http import httpx
from annotate.corpus.resolve import pseudonym
from annotate.errors import InputError, StudioError
from annotate.review.handover import QueueStatus, drop_idle_gold, queue_status
from annotate.review.queues import Queue
from annotate.review.reviewers import (
    EMAIL_RE,
    did_you_mean,
    list_reviewers,
    removed_accounts,
    signed_up_elsewhere,
)
from annotate.review.unfinished import UnfinishedHandover, open_counts, unfinished_handovers
from annotate.studio import server_version
from annotate.studio.client import StudioClient
from annotate.studio.lock import DEFAULT_WAIT_S, project_lock
from annotate.studio.projects import LIST_FIELDS, review_marker_prefix, review_set_of
from annotate.studio.retry import retry_lost

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SetWork:
    """A removed reviewer's queue in one review set."""

    review_set: str
    queue: Queue
    tasks: int
    answered: int
    skipped: int
    # open regular tasks: passages short of this reviewer's answer (gold not counted), each
    # passage a stopped hand-over left in two queues counted once (as `review status` does)
    open: int
    # open tasks left out of ``open``: their passage counts in another queue (a stopped
    # hand-over copied it)
    held_twice: int = 0
    # hand-overs from or to this queue that stopped midway (their passages sit in both)
    unfinished: tuple[UnfinishedHandover, ...] = ()
    # open gold tasks (not in ``open``), and the passages of those the removal deleted (a
    # queue of open gold alone: nobody would answer it, and it kept the round open)
    open_gold: int = 0
    gold_removed: tuple[str, ...] = ()
    # tasks of the queue answered only by another account (not in ``answered``, as `review
    # status` counts them: break14 finding 14)
    answered_by_others: int = 0

    @property
    def gold_left(self) -> int:
        """Open gold tasks left in the queue (held by a draft, or by open regular work)."""
        return self.open_gold - len(self.gold_removed)

    def handing_on(self, removed: bool = False) -> str:
        """The command that hands this queue's open tasks on: the one that finishes a
        hand-over from this reviewer that stopped midway (`review reassign` accepts no
        other target until it is finished), else ``--to EMAIL``. ``removed``: as `review
        status` prints it once the account is removed (``--from`` the pseudonym).
        Empty when a stopped hand-over's target was removed (nothing can finish it). The
        reviewer is leaving: whether a re-run marks them away does not matter, so the
        command carries no ``--not-away`` (a hand-over's own re-run keeps a reviewer who
        is not away so: :meth:`UnfinishedHandover.command`)."""
        src = self.queue.email if self.queue.email and not removed else self.queue.alias
        for stop in self.unfinished:
            if stop.source.project["id"] == self.queue.project["id"]:
                shown = replace(stop, source=replace(stop.source, email=None)) if removed else stop
                return shown.command(self.review_set, source_leaving=True) or ""
        return f"annotate review reassign --project {self.review_set!r} --from {src} --to EMAIL"

    @property
    def finishing(self) -> list[UnfinishedHandover]:
        """Stopped hand-overs whose target is this reviewer: removing them leaves those
        passages in two queues, no hand-over able to finish it."""
        return [s for s in self.unfinished if s.target.project["id"] == self.queue.project["id"]]


@dataclass
class Removal:
    """What :func:`remove_reviewer` did (or, refused, would leave)."""

    email: str
    user_id: int | None  # None: ``already_removed`` (Label Studio blanks their e-mail)
    alias: str | None  # the pseudonym their queues, `review status` and exports show
    url: str
    queues: list[SetWork] = field(default_factory=list)
    # the e-mail is an account removed from the organization before: nothing was done
    already_removed: bool = False
    # the record on this machine that keeps who ``alias`` was (removed_record.py)
    recorded: Path | None = None

    @property
    def open(self) -> int:
        return sum(w.open for w in self.queues)

    @property
    def unfinished(self) -> int:
        """Hand-overs from or to the reviewer that stopped midway, in all review sets."""
        return sum(len(w.unfinished) for w in self.queues)


def review_sets_of(client: StudioClient, email: str, alias: str) -> list[str]:
    """The review sets holding a queue of the reviewer (pseudonym ``alias``, or a queue
    made before pseudonyms marked with ``email``)."""
    sets: list[str] = []
    for proj in client.list_projects(include=LIST_FIELDS):
        name = review_set_of(proj)
        if name is None or name in sets:
            continue
        prefix = review_marker_prefix(name)
        for line in str(proj.get("description") or "").splitlines():
            if line.startswith(prefix) and line[len(prefix) :].strip().lower() in {
                alias,
                email,
            }:
                sets.append(name)
                break
    return sorted(sets)


def set_work(name: str, found: list[QueueStatus], user_id: int) -> SetWork | None:
    """The queue of reviewer ``user_id`` among ``found`` (review set ``name``'s
    :func:`annotate.review.handover.queue_status`) with its counts, open tasks counted as
    `review status` counts them; None: no queue of theirs."""
    st = next((st for st in found if st.queue.user_id == user_id), None)
    if st is None:
        return None
    pid = int(st.queue.project["id"])
    c = open_counts(found)[pid]
    stopped = tuple(
        stop
        for stop in unfinished_handovers(found)
        if pid in (int(stop.source.project["id"]), int(stop.target.project["id"]))
    )
    return SetWork(
        name,
        st.queue,
        st.tasks,
        st.answered - st.answered_by_others,
        st.skipped,
        c.open - c.gold,
        c.held_twice,
        stopped,
        open_gold=c.gold,
        answered_by_others=st.answered_by_others,
    )


def reviewer_work(client: StudioClient, email: str, user_id: int, salt: str) -> list[SetWork]:
    """The reviewer's queue in every review set of the server, with its counts."""
    alias = pseudonym(user_id, salt)
    out: list[SetWork] = []
    for name in review_sets_of(client, email, alias):
        work = set_work(name, queue_status(client, name, salt), user_id)
        if work is not None:
            out.append(work)
    return out


def _not_a_member(client: StudioClient, email: str) -> InputError | None:
    """Why ``email`` names no reviewer of the organization: the admin, an account of
    another organization, or no account at all (an InputError); None: an account removed
    from this organization already (see the module docstring)."""
    me = client.whoami()
    if str(me.get("email") or "").lower() == email:
        return InputError(
            f"{email} is the admin account annotate works with, not a reviewer account; "
            "Label Studio does not let an account remove itself.",
            fix="pass a reviewer's e-mail (`annotate reviewers list` lists them).",
        )
    if signed_up_elsewhere(client, email):
        if removed_accounts(client):
            return None
        return InputError(
            f"{email} has an account on {client.url} but is no member of the admin's "
            "organization, which lists no removed account: it belongs to another "
            "organization.",
            fix="remove it with the admin token of that organization (LABEL_STUDIO_API_KEY), "
            "or on its Organization page.",
        )
    members = sorted(str(u["email"]).lower() for u in list_reviewers(client))
    return InputError(
        f"expected the e-mail of a reviewer of the organization on {client.url}; found no "
        f"account {email} there ({len(members)} reviewer account(s)).",
        fix=f"{did_you_mean(email, members)}`annotate reviewers list` lists the accounts.",
    )


def _open_work_error(removal: Removal) -> InputError:
    with_open = [w for w in removal.queues if w.open or w.unfinished]
    where = ", ".join(f"{w.review_set!r}: {w.open}" for w in with_open)
    stopped = [w.review_set for w in with_open if w.unfinished]
    also = (
        f"; a hand-over from or to them stopped midway in {', '.join(map(repr, stopped))} "
        "(its passages sit in two queues)"
        if stopped
        else ""
    )
    first = with_open[0]
    more = (
        " (once per review set: `annotate review status --project NAME` names each)"
        if len(with_open) > 1
        else ""
    )
    return InputError(
        f"{removal.email} still has {removal.open} open task(s) (gold not counted; a passage "
        f"a stopped hand-over left in two queues counted once) in {len(with_open)} review "
        f"set(s) ({where}){also}; removed, nobody answers them (each of those passages stays "
        "one answer short) until they are handed on.",
        fix=f"{_first_step(first, removal.email)}{more}; or pass --force to remove now and "
        f"hand them on later (--from {removal.alias}).",
    )


def _first_step(work: SetWork, email: str) -> str:
    """What to run first in ``work``'s review set before removing the reviewer."""
    name = work.review_set
    if work.finishing:
        stop = work.finishing[0]
        return (
            f"finish the hand-over from {stop.source.name} to them that stopped midway (once "
            f"they are removed nothing can finish it): {stop.command(name)}; then hand their "
            f"open tasks on: annotate review reassign --project {name!r} --from {email} "
            "--to EMAIL"
        )
    command = work.handing_on()
    if not command:
        return (
            f"a hand-over of their open tasks in {name!r} stopped midway and its target was "
            f"removed: `annotate review status --project {name!r}` says what to do"
        )
    if work.unfinished:
        return (
            f"finish the hand-over of their open tasks that stopped midway (`annotate review "
            f"reassign` hands those passages to no one else until then): {command}"
        )
    return f"hand them on first: {command}"


def _without_idle_gold(client: StudioClient, work: SetWork) -> SetWork:
    """Delete the open gold of a queue that holds no other open work, as a hand-over from
    a leaving reviewer does (:func:`annotate.review.handover.drop_idle_gold`; gold holding
    a draft stays): left there, nobody answers it and ``annotate adjudicate`` refuses for
    good. Done before the membership goes, so a re-run after a failure finds it still."""
    if not work.open_gold or work.open or work.unfinished:
        return work
    with project_lock(
        client.url, work.review_set, what="annotate reviewers remove", wait_s=DEFAULT_WAIT_S
    ):
        removed = drop_idle_gold(client, work.queue).removed
    return replace(work, gold_removed=tuple(removed))


def _record(removal: Removal) -> Path:
    """Keep who ``removal.alias`` is on this machine before the server blanks the
    e-mail (:mod:`annotate.review.removed_record`); InputError when it cannot be written
    (a removal cannot be taken back, and afterwards nothing says who the pseudonym was),
    or when the record there cannot be read (never written over: it keeps who earlier
    removed reviewers were). The entry is pending until :func:`_settle_record`."""
    from annotate.review.removed_record import RemovedRecordError, record_path, remember_removal

    assert removal.user_id is not None and removal.alias is not None
    try:
        return remember_removal(
            removal.url, removal.email, removal.user_id, removal.alias, confirmed=False
        )
    except RemovedRecordError as exc:
        raise InputError(
            f"cannot read the record of removed reviewers {record_path()} ({exc}); it was "
            "left as it is (it may be the only record of who earlier removed reviewers' "
            "pseudonyms were), and nothing was removed.",
            fix='repair it to {"removed": [ENTRY, ...]} (as `annotate reviewers list '
            "--removed` reads it), or move it aside (keep the copy: it pairs pseudonyms "
            "with e-mails), then remove again.",
        ) from exc
    except OSError as exc:
        raise InputError(
            f"could not record who {removal.alias} is ({removal.email}) in {record_path()} "
            f"({exc}); once removed, Label Studio blanks the account's e-mail and nothing "
            "else says who the pseudonym in exports was: nothing was removed.",
            fix="make that folder writable (or set ANNOTATE_HOME to a writable work folder), "
            "then remove again.",
        ) from exc


def _settle_record(removal: Removal, done: bool) -> None:
    """Confirm the pending entry :func:`_record` wrote (``done``: the server removed the
    account) or drop it (the server refused, or the removal was never sent). A failure
    is logged: a pending entry still says who the pseudonym was."""
    from annotate.review.removed_record import RemovedRecordError, confirm_removal, forget_removal

    assert removal.user_id is not None and removal.alias is not None
    settle = confirm_removal if done else forget_removal
    try:
        settle(removal.url, removal.user_id, removal.alias)
    except (OSError, RemovedRecordError) as exc:
        log.warning(
            "could not mark the removal of %s (%s) %s in the record of removed reviewers (%s)",
            removal.email,
            removal.alias,
            "done" if done else "refused",
            exc,
        )


def remove_reviewer(
    client: StudioClient,
    email: str,
    *,
    salt: str,
    force: bool = False,
    before_write: Callable[[], None] | None = None,
) -> Removal:
    """Remove reviewer ``email`` from the admin's organization (the membership, never the
    account: their answers stay, and exports keep them under their pseudonym).

    An account removed already is a no-op: :attr:`Removal.already_removed`, nothing
    changed on the server. Before the removal is sent, the e-mail, account id and
    pseudonym are recorded on this machine (:attr:`Removal.recorded`): afterwards Label
    Studio lists the account without e-mail.

    Raises InputError for a malformed e-mail, the admin, an e-mail of no account (with the
    account meant, when one is close) or of another organization's, and a reviewer with
    open tasks in a review set, or a hand-over from or to them that stopped midway, unless
    ``force`` (the error names the command to run first). A queue holding open gold
    tasks and no other open work loses those tasks (:attr:`SetWork.gold_removed`; one
    holding a draft stays: :attr:`SetWork.gold_left`). StudioError when the server refuses the
    removal, or runs a Label Studio release where a removed member keeps reading the
    projects' tasks (older than
    :data:`annotate.studio.server_version.REVIEWER_REMOVAL_MINIMUM`), before anything else.
    ``before_write``: called once every check passed, before the removal is recorded (the
    CLI stores the pseudonym salt there: a refused run leaves none behind).
    """
    server_version.require(
        client.server_version(),
        client.url,
        server_version.REVIEWER_REMOVAL_MINIMUM,
        "`annotate reviewers remove`",
        "a reviewer removed from the organization can still read the projects' tasks",
    )
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise InputError(
            f"{email!r} is not an e-mail address.",
            fix="pass the reviewer's e-mail (`annotate reviewers list` lists them).",
        )
    user = next((u for u in list_reviewers(client) if str(u.get("email")).lower() == email), None)
    if user is None:
        error = _not_a_member(client, email)
        if error is not None:
            raise error
        log.info("%s was removed from the organization already: nothing to do", email)
        return Removal(email, None, None, client.url, already_removed=True)
    uid = int(user["id"])
    removal = Removal(email, uid, pseudonym(uid, salt), client.url)
    removal.queues = reviewer_work(client, email, uid, salt)
    if (removal.open or removal.unfinished) and not force:
        raise _open_work_error(removal)
    if before_write is not None:
        before_write()
    # recorded (pending) before anything changes on the server: a record that cannot be
    # read or written refuses here, before the idle gold goes (break14 finding 2)
    removal.recorded = _record(removal)
    sent = False
    try:
        removal.queues = [_without_idle_gold(client, w) for w in removal.queues]
        org = client.whoami().get("active_organization")
        if org is None:
            org = client._get("api/organizations/", "reading the organization")[0]["id"]
    except BaseException:
        _settle_record(removal, done=False)
        raise
    action = "removing the reviewer from the organization"

    def send(attempt: int) -> httpx.Response:
        nonlocal sent
        sent = True
        resp = client._send(
            f"api/organizations/{int(org)}/memberships/{uid}/",
            method="DELETE",
            action=action,
            request_options={"max_retries": 0},
        )
        if resp.status_code == 404 and attempt > 1:  # a lost try removed them
            return httpx.Response(204)
        return resp

    # a lost answer is sent again (removing a removed member removes nothing); an error
    # after the request went out leaves the entry pending (the account may be removed)
    try:
        resp = retry_lost(send, action)
    except BaseException:
        if not sent:
            _settle_record(removal, done=False)
        raise
    _settle_record(removal, done=resp.status_code == 204)
    if resp.status_code != 204:
        raise StudioError(
            f"Label Studio refused to remove {email} from organization {org} "
            f"(HTTP {resp.status_code}: {resp.text[:200]}).",
            fix="use the admin token of the organization (`annotate studio env`), or remove "
            "them on the Organization page.",
        )
    log.info("removed %s (user %s, %s) from organization %s", email, uid, removal.alias, org)
    return removal
