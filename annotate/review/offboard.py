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

So :func:`remove_reviewer` removes the membership, after refusing while the reviewer still
has open tasks in a review set (they would stay unanswered: each such passage one answer
short of K) unless forced. Their queues stay as they are: answered and skipped tasks are
their record; open ones wait for `annotate review reassign` (by pseudonym from then on).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from annotate.corpus.resolve import pseudonym
from annotate.errors import InputError, StudioError
from annotate.review.handover import QueueStatus, queue_status
from annotate.review.queues import Queue
from annotate.review.reviewers import (
    EMAIL_RE,
    did_you_mean,
    list_reviewers,
    removed_accounts,
    signed_up_elsewhere,
)
from annotate.studio.client import StudioClient
from annotate.studio.projects import LIST_FIELDS, review_marker_prefix, review_set_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SetWork:
    """A removed reviewer's queue in one review set."""

    review_set: str
    queue: Queue
    tasks: int
    answered: int
    skipped: int
    open: int  # open regular tasks: passages short of this reviewer's answer (gold not counted)


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

    @property
    def open(self) -> int:
        return sum(w.open for w in self.queues)


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


def _work(name: str, st: QueueStatus) -> SetWork:
    return SetWork(name, st.queue, st.tasks, st.answered, st.skipped, st.open - st.open_gold)


def reviewer_work(client: StudioClient, email: str, user_id: int, salt: str) -> list[SetWork]:
    """The reviewer's queue in every review set of the server, with its counts."""
    alias = pseudonym(user_id, salt)
    out: list[SetWork] = []
    for name in review_sets_of(client, email, alias):
        for st in queue_status(client, name, salt):
            if st.queue.user_id == user_id:
                out.append(_work(name, st))
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
    with_open = [w for w in removal.queues if w.open]
    where = ", ".join(f"{w.review_set!r}: {w.open}" for w in with_open)
    first = with_open[0].review_set
    more = " (once per review set)" if len(with_open) > 1 else ""
    return InputError(
        f"{removal.email} still has {removal.open} open task(s) (gold not counted) in "
        f"{len(with_open)} review set(s) ({where}); removed, nobody answers them (each of "
        "those passages stays one answer short) until they are handed on.",
        fix=f"hand them on first: annotate review reassign --project {first!r} --from "
        f"{removal.email} --to EMAIL{more}; or pass --force to remove now and hand them on "
        f"later (--from {removal.alias}).",
    )


def remove_reviewer(client: StudioClient, email: str, *, salt: str, force: bool = False) -> Removal:
    """Remove reviewer ``email`` from the admin's organization (the membership, never the
    account: their answers stay, and exports keep them under their pseudonym).

    An account removed already is a no-op: :attr:`Removal.already_removed`, nothing
    changed on the server.

    Raises InputError for a malformed e-mail, the admin, an e-mail of no account (with the
    account meant, when one is close) or of another organization's, and a reviewer with
    open tasks in a review set unless ``force``; StudioError when the server refuses the
    removal.
    """
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
    if removal.open and not force:
        raise _open_work_error(removal)
    org = client.whoami().get("active_organization")
    if org is None:
        org = client._get("api/organizations/", "reading the organization")[0]["id"]
    with client.guard("removing the reviewer from the organization"):
        resp = client._http.request(
            f"api/organizations/{int(org)}/memberships/{uid}/", method="DELETE"
        )
    if resp.status_code != 204:
        raise StudioError(
            f"Label Studio refused to remove {email} from organization {org} "
            f"(HTTP {resp.status_code}: {resp.text[:200]}).",
            fix="use the admin token of the organization (`annotate studio env`), or remove "
            "them on the Organization page.",
        )
    log.info("removed %s (user %s, %s) from organization %s", email, uid, removal.alias, org)
    return removal
