"""Reviewer accounts on a Label Studio Community server you administer.

Community has no API to create a user *with a password* (``POST /api/users/`` makes
an account nobody can log in to), so :func:`add_reviewer` signs the reviewer up the
way a person would: through the organization's invite link (``GET /api/invite``) and
the sign-up form, with a generated password. Every account joins the organization of
the admin token. :class:`ReviewerSession` logs in with email + password like a browser
(session cookie + CSRF token); the tests use it to answer tasks as each reviewer.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotate._util.http import httpx
from annotate._util.network_words import transport_reason
from annotate.errors import InputError, StudioError
from annotate.studio.client import StudioClient
from annotate.studio.retry import read_back, retry_lost

log = logging.getLogger(__name__)

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# the reviewer accounts `annotate demo` makes: a push names them or leaves them out
DEMO_REVIEWERS = (("ana@annotate.local", "Ana (demo)"), ("ben@annotate.local", "Ben (demo)"))
DEMO_EMAILS = frozenset(email for email, _ in DEMO_REVIEWERS)


@dataclass(frozen=True)
class ReviewerLogin:
    """How a reviewer logs in; ``password`` is None for an account that already existed."""

    url: str
    email: str
    user_id: int
    password: str | None
    created: bool


def list_users(client: StudioClient) -> list[dict[str, Any]]:
    """Every user of the admin's organization (``id``, ``email``, ``first_name`` ...), as
    :meth:`StudioClient.users` reads it: once per client until an account changes."""
    return client.users()


def list_reviewers(client: StudioClient) -> list[dict[str, Any]]:
    """The organization's users other than the admin whose token the client uses, by email.

    Members removed from the organization are left out: Label Studio keeps them in
    ``/api/users/`` with ``Deleted`` in place of their email (and names).
    """
    me = int(client.whoami()["id"])
    users = [
        u
        for u in list_users(client)
        if int(u["id"]) != me and EMAIL_RE.match(str(u.get("email") or ""))
    ]
    return sorted(users, key=lambda u: str(u["email"]).lower())


def removed_accounts(client: StudioClient) -> int:
    """How many users Label Studio lists as removed from the admin's organization (its
    API shows them with ``Deleted`` in place of their e-mail)."""
    return sum(1 for u in list_users(client) if not EMAIL_RE.match(str(u.get("email") or "")))


# the shortest local part whose letters in another order (beyond one adjacent swap) are
# read as a typo: shorter anagrams are mostly other names (ian / nia, mary / myra)
SCRAMBLED_MIN = 5


def did_you_mean(email: str, accounts: list[str]) -> str:
    """``"did you mean X? Otherwise "`` naming the account ``email`` is a likely typo of,
    or ``""`` when none is: the start of a fix, before the advice to add the account.

    The parts before and after @ are compared apart, by edit distance with adjacent
    transpositions (optimal string alignment): a typo is one edit in a local part of 3
    characters or more (``aan`` for ``ana``) or its letters in another order: one adjacent
    swap (``oj`` for ``jo``), or two edits in one of :data:`SCRAMBLED_MIN` characters or
    more (``alexnadar`` for ``alexandra``), with the domain the same; or the same local
    part with up to two edits in the domain (``ana@team.exmaple``). Another name of the
    same team (``dan`` / ``ana``, ``zed`` / ``ben``, ``alexander`` / ``alexandra``: two
    edits; ``jo`` / ``bo``; the anagrams ``ian`` / ``nia``, ``mary`` / ``myra``, ``noel``
    / ``leon``) is no typo: whole addresses of one domain all look alike, and a wrong
    guess copied into ``review reassign --from`` would move someone else's tasks."""
    local, _, domain = email.strip().lower().partition("@")
    best: tuple[int, str] | None = None
    for account in accounts:
        a_local, _, a_domain = account.lower().partition("@")
        d_local, d_domain = _edits(local, a_local), _edits(domain, a_domain)
        if d_local == 0:
            typo = d_domain <= 2
        else:
            scrambled = sorted(local) == sorted(a_local) and (
                d_local == 1 or (d_local == 2 and len(a_local) >= SCRAMBLED_MIN)
            )  # one adjacent swap (``oj`` for ``jo``), or two in a longer name
            typo = d_domain == 0 and ((d_local == 1 and len(a_local) >= 3) or scrambled)
        if typo and (best is None or d_local + d_domain < best[0]):
            best = (d_local + d_domain, account)
    return f"did you mean {best[1]}? Otherwise " if best else ""


def near_domain(email: str, accounts: list[str]) -> tuple[str, list[str]] | None:
    """The domain ``email``'s is a likely typo of, with the accounts that have it: no
    account has ``email``'s domain, and it is one edit (:func:`_edits`: a letter added,
    dropped or changed, or two swapped) from theirs, both of 7 characters or more
    (``exmaple.org`` for ``example.org``, ``gmial.com`` for ``gmail.com``; short domains
    such as ``x.org`` and ``ex.org`` are too alike to tell). None otherwise."""
    domain = email.strip().lower().rpartition("@")[2]
    by_domain: dict[str, list[str]] = {}
    for account in accounts:
        if EMAIL_RE.match(account):
            by_domain.setdefault(account.lower().rpartition("@")[2], []).append(account)
    if domain in by_domain or len(domain) < 7:
        return None
    near = [
        (len(emails), d, emails)
        for d, emails in by_domain.items()
        if len(d) >= 7 and _edits(domain, d) == 1
    ]
    if not near:
        return None
    _, meant, emails = max(near)
    return meant, sorted(emails)


def _refuse_near_domain(email: str, accounts: list[str]) -> None:
    """InputError when ``email``'s domain is a likely typo of an account's
    (:func:`near_domain`), naming the address meant and ``--new-domain``."""
    found = near_domain(email, accounts)
    if found is None:
        return
    meant, emails = found
    local, _, domain = email.rpartition("@")
    shown = ", ".join(emails[:3]) + (f" and {len(emails) - 3} more" if len(emails) > 3 else "")
    raise InputError(
        f"{email}: no account has the domain {domain!r}, one letter from {meant!r} of "
        f"{len(emails)} account(s) ({shown}): a typo? Nothing was created (Label Studio can "
        "neither delete an account nor sign its e-mail up again).",
        fix=f"annotate reviewers add {local}@{meant}; or, if {domain!r} is right, the same "
        "command with --new-domain.",
    )


def _edits(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two adjacent characters) from ``a`` to
    ``b``: the optimal string alignment distance (Damerau-Levenshtein without editing a
    substring twice)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def find_user(client: StudioClient, email: str) -> dict[str, Any] | None:
    """The organization's account of ``email`` (any case), or None (from
    :func:`list_users`: no request when the client has read the list since the last
    change of accounts)."""
    wanted = email.strip().lower()
    return next((u for u in list_users(client) if str(u.get("email")).lower() == wanted), None)


_ERROR_BLOCK = re.compile(r'class="[^"]*error[^"]*"[^>]*>(.*?)</(?:ul|div|p|span)>', re.S)


def form_errors(html: str) -> list[str]:
    """The messages of a Django form page's error blocks (``<ul class="field_errors">
    <li>...</li></ul>``, or an error element holding its text directly)."""
    found: list[str] = []
    for block in _ERROR_BLOCK.findall(html):
        for text in re.split(r"<[^>]+>", block):
            text = " ".join(text.split())
            if text and text not in found:
                found.append(text)
    return found


def add_reviewer(
    client: StudioClient,
    email: str,
    *,
    name: str | None = None,
    password: str | None = None,
    new_domain: bool = False,
    on_signup: Callable[[], None] | None = None,
) -> ReviewerLogin:
    """Create a reviewer account (idempotent: an existing email is left as it is).

    ``on_signup`` is called just before the sign-up is sent (the account may exist from
    then on, with ``password``): a caller stopped after it (Ctrl-C, the server gone) can
    still tell whoever runs it the password, which a re-run leaves unchanged.

    An e-mail whose domain no account has and that is one edit from the domain of an
    account (:func:`near_domain`: ``cai@exmaple.org`` beside ``ana@example.org``) is
    refused (InputError) unless ``new_domain``: Label Studio can neither delete the
    mistyped account nor sign its address up again, and every later push without
    ``--reviewer`` would give it passages.

    A sign-up whose answer is lost (a dropped connection, a timeout) is retried
    (:func:`annotate.studio.retry.retry_lost`) after looking for the account the lost
    try made (then it is returned, with this password). Raises InputError for a
    malformed email, StudioError when the server refuses the sign-up (the message names
    the form's complaint), StudioUnavailableError when the last try's answer is lost too.
    """
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise InputError(f"{email!r} is not an email address.", fix="pass e.g. ana@example.org.")
    odd = sorted({c for c in email.split("@", 1)[0] if not c.isascii()})
    if odd:  # Django's EmailValidator (Label Studio's sign-up form) takes ASCII only there
        raise InputError(
            f"{email!r} has characters Label Studio's sign-up refuses before the @ "
            f"({', '.join(repr(c) for c in odd)}; it takes ASCII letters, digits and "
            "!#$%&'*+-/=?^_`{|}~. there).",
            fix="pass the reviewer's address without them (e.g. zoe@example.org); --name "
            "takes any characters for the name shown.",
        )
    users = list_users(client)
    existing = next((u for u in users if str(u.get("email")).lower() == email), None)
    if existing is not None:
        log.info("reviewer %s already exists (user %s)", email, existing["id"])
        return ReviewerLogin(client.url, email, int(existing["id"]), None, created=False)
    if not new_domain:
        _refuse_near_domain(email, [str(u.get("email") or "") for u in users])
    password = password or secrets.token_urlsafe(12)
    action = f"signing up {email}"

    def send(attempt: int) -> httpx.Response | dict[str, Any]:
        if attempt > 1:  # the account a lost try made, with this password
            made = read_back(lambda: find_user(client, email), bool, action)
            if made is not None:
                return made
        if on_signup is not None:
            on_signup()
        try:
            return _post_signup(client, email, password)
        except httpx.TimeoutException:
            raise client._lost(action, "no answer in time", timeout=True) from None
        except httpx.HTTPError as exc:
            raise client._lost(action, transport_reason(exc)) from None

    # a lost answer: StudioUnavailableError once the tries are spent (a re-run finds an
    # account a lost try made, and leaves it)
    answer = retry_lost(send, action)
    if isinstance(answer, dict):  # made by a try whose answer was lost
        _name(client, answer, name)
        log.info("created reviewer %s (user %s)", email, answer["id"])
        return ReviewerLogin(client.url, email, int(answer["id"]), password, created=True)
    resp = answer
    if resp.status_code != 302:
        errors = form_errors(resp.text)
        detail = "; ".join(errors)[:300] or f"HTTP {resp.status_code}"
        if any("already exists" in e for e in errors):
            raise StudioError(
                f"Label Studio refused to sign up {email}: {detail}, but not as a member of "
                "the admin's organization (it was removed from it, or belongs to another).",
                fix="add the reviewer under another email: Label Studio does not sign up an "
                "email it already has.",
            )
        raise StudioError(
            f"Label Studio refused to sign up {email}: {detail.rstrip('.')}.",
            fix="pass an address the sign-up form takes"
            if "email" in detail.lower()
            else "use the admin token of the organization (`annotate studio env`).",
        )
    user = find_user(client, email)
    if user is None:
        raise StudioError(
            f"{email} was signed up but is not a member of the admin's organization.",
            fix="use the admin token of the organization the reviewers should join.",
        )
    _name(client, user, name)
    log.info("created reviewer %s (user %s)", email, user["id"])
    return ReviewerLogin(client.url, email, int(user["id"]), password, created=True)


def _name(client: StudioClient, user: dict[str, Any], name: str | None) -> None:
    """Set the account's first name (a PATCH: a lost answer is sent again)."""
    if name:
        client._send(
            f"api/users/{user['id']}/",
            method="PATCH",
            action="naming the reviewer",
            json={"first_name": name},
        )


def signed_up_elsewhere(client: StudioClient, email: str) -> bool:
    """Whether Label Studio has an account of ``email`` that is not a member of the admin's
    organization (removed from it, or of another): the sign-up form is sent with a
    one-character password, which it always refuses, so no account is made, and it says
    whether the e-mail is taken. False when the form cannot be read."""
    try:
        resp = _post_signup(client, email.strip().lower(), "x")
    except httpx.HTTPError:
        return False
    return resp.status_code != 302 and any("already exists" in e for e in form_errors(resp.text))


class ReviewerSession:
    """A logged-in browser session of one reviewer (cookie + CSRF), for the JSON API.

    ``get``/``post`` take paths relative to the server URL and return parsed JSON;
    raise StudioError when the login or a call fails.
    """

    def __init__(self, url: str, email: str, password: str) -> None:
        self.url = url.rstrip("/")
        self.email = email
        self.http = httpx.Client(base_url=self.url, follow_redirects=False, timeout=60)
        self.http.get("/user/login/")
        resp = self.http.post(
            "/user/login/",
            data={
                "csrfmiddlewaretoken": self.http.cookies.get("csrftoken") or "",
                "email": email,
                "password": password,
            },
            headers={"Referer": f"{self.url}/user/login/"},
        )
        if resp.status_code != 302:
            raise StudioError(f"{email} could not log in to {self.url}.", fix="check the password.")
        self.http.headers.update(
            {"X-CSRFToken": self.http.cookies.get("csrftoken") or "", "Referer": self.url}
        )
        self.user_id = int(self.get("/api/current-user/whoami")["id"])

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return self.http.request(method, path, **kw)

    def get(self, path: str, **params: Any) -> Any:
        resp = self.http.get(path, params=params)
        if resp.status_code != 200:
            raise StudioError(f"GET {path} as {self.email}: HTTP {resp.status_code}.")
        return resp.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        resp = self.http.post(path, json=body)
        if resp.status_code not in (200, 201):
            raise StudioError(f"POST {path} as {self.email}: HTTP {resp.status_code} {resp.text}")
        return resp.json()

    def close(self) -> None:
        self.http.close()


def _post_signup(client: StudioClient, email: str, password: str) -> httpx.Response:
    """The organization's sign-up form (its invite link) posted with ``email`` and
    ``password``: 302 when an account was made, else the form with its errors
    (:func:`form_errors`). Raises httpx.HTTPError when the server cannot be reached."""
    invite = client._get("api/invite", "reading the organization's invite link")
    signup = f"/user/signup/?token={invite.get('token') or ''}"
    try:
        with httpx.Client(base_url=client.conn.url, follow_redirects=False, timeout=60) as web:
            web.get(signup)
            return web.post(
                signup,
                data={
                    "csrfmiddlewaretoken": web.cookies.get("csrftoken") or "",
                    "email": email,
                    "password": password,
                },
                headers={"Referer": f"{client.url}/user/signup/"},
            )
    finally:  # the form may have made an account (even when its answer was lost)
        client.forget_users()
