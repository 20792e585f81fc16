"""The one boundary to Label Studio: SDK and HTTP failures become the project's errors.

Callers never see ``httpx`` or ``ApiError``: a server that does not answer becomes
:class:`StudioUnavailableError`, a rejected token :class:`StudioAuthError`, a missing
project :class:`ProjectNotFoundError`, anything else :class:`StudioError` with the
server's message.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# httpx first, without its command-line client (the SDK imports httpx too)
from annotate._util.http import httpx

# isort: split
from label_studio_sdk.core.api_error import ApiError
from label_studio_sdk.core.client_wrapper import SyncClientWrapper

from annotate._util.network_words import transport_reason
from annotate._util.passage_ids import text_key
from annotate._util.urls import masked, ui_page_root
from annotate.errors import (
    InputError,
    ProjectNotFoundError,
    StudioAuthError,
    StudioError,
    StudioNotFoundError,
    StudioServerError,
    StudioUnavailableError,
)
from annotate.settings import STUDIO_TIMEOUT_ENV
from annotate.studio import server_version, snapshot_files, snapshot_record
from annotate.studio.answer_counters import checked_count
from annotate.studio.answer_guard import keeps_answered, refuse_stale_counters, without_stale
from annotate.studio.connection import (
    KEY_ENV,
    URL_ENV,
    Connection,
    resolve_connection,
    unreachable_fix,
)
from annotate.studio.lock import deletion_lock
from annotate.studio.project_pages import read_projects
from annotate.studio.retry import late_loss, read_back, retry_lost
from annotate.studio.shown_text import passage_text
from annotate.studio.stopped import LocalServerStopped, StoppedAwareTransport
from annotate.studio.versions import task_index

log = logging.getLogger(__name__)

LIST_PAGE_SIZE = 1000
# tasks a page of :meth:`StudioClient.iter_answered_tasks` carries (each with its answers
# and predictions)
FULL_PAGE_SIZE = 200
# task ids a request of :meth:`StudioClient.iter_tasks_by_id` names (~2 KB of address)
BY_ID_PAGE = 200
# seconds a request waits for the server's answer (ANNOTATE_STUDIO_TIMEOUT); an answer
# that does not come in time is a lost answer: read back and retried like a dropped one
DEFAULT_TIMEOUT_S = 300.0
TIMEOUT_ENV = STUDIO_TIMEOUT_ENV
# requests that do the same when sent twice: a lost answer is simply sent again
IDEMPOTENT = frozenset({"GET", "PATCH", "PUT", "DELETE"})
EXPORT_TIMEOUT_S = 1800.0
# an export snapshot of annotate's (titled as :meth:`StudioClient._snapshot` titles them)
# made this long ago is stale: the export that made it was stopped before it could delete
# it (killed, or an annotate before it deleted snapshots in every case), so the next export
# of the project deletes it; an export running now reads its own within EXPORT_TIMEOUT_S
STALE_SNAPSHOT_S = 2 * EXPORT_TIMEOUT_S
# seconds an export stopped while the server still builds its snapshot waits for it, to
# delete it with its file at once (longer: the snapshot and its record are left for the
# next export, :meth:`StudioClient._sweep_recorded_snapshots`)
SNAPSHOT_END_WAIT_S = 10.0
SNAPSHOT_TITLE = re.compile(r"annotate export \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d [0-9a-f]{8}")
DELETE_CHUNK = 500  # task ids per bulk delete request
# paths under which a write can create, change or remove the organization's accounts
# (:meth:`StudioClient.users` forgets its list before sending one)
ACCOUNT_PATHS = ("api/users", "api/organizations")
# answers of a proxy or gateway in front of the server: whether the request was carried
# out is unknown (import_tasks raises StudioUnavailableError; push checks and retries)
GATEWAY_CODES = (502, 503, 504)
# tries in all of a request the SDK sends again on a server error (HTTP 5xx, 408, 409,
# 429), 0.5 s, then 1 s apart: its retries, before annotate's own (retry_lost)
SDK_TRIES = 3
# of those, the ones a gateway gives when the server took the request and did not answer
# in time or broke off: it may still be carrying the request out (503: it never got it)
STILL_WORKING_CODES = (502, 504)
GATEWAY_FIX = (
    "the server behind it is down, restarting or overloaded: wait until it answers "
    "(`annotate studio status` for the local server; its admin for a team server)"
)
# a server error whose reason is the server's database connection (PostgreSQL stopped,
# restarting or failed over: psycopg's and Django's wording): the server is there, its
# database is not, for now. Like a lost answer, the request may or may not have been
# carried out (a commit whose answer the database did not send), so it is read back and
# retried (:func:`annotate.studio.retry.retry_lost`) rather than reported as a refusal.
DATABASE_GONE = re.compile(
    r"connection failed|connection to server|could not connect to server|"
    r"server closed the connection|terminating connection|connection (is|already) closed|"
    r"the database system is (starting up|shutting down|in recovery mode|not yet accepting)|"
    r"SSL connection has been closed|connection refused",
    re.IGNORECASE,
)
# a server error whose reason is its database busy with other writes (SQLite locks the
# whole file while one request writes): it passes, so the request is retried like a lost
# answer, as for DATABASE_GONE
DATABASE_BUSY = re.compile(r"database (table )?is locked", re.IGNORECASE)
# server errors whose reason is where the server keeps its data, never the request: its
# disk full, read-only or failing (SQLite's, PostgreSQL's and the OS's wording). Every
# write fails the same way until someone mends it, so the request is neither split to
# find bad rows nor retried: the command stops at once with the reason and this fix
STORAGE_FAILING: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"database or disk is full|no space left on device|could not extend file|"
            r"disk quota exceeded",
            re.IGNORECASE,
        ),
        "free disk space where the server keeps its database",
    ),
    (
        re.compile(r"readonly database|read-only file system|read-only transaction", re.IGNORECASE),
        "make the server's database writable again (a read-only disk or file, or a "
        "database replica that takes no writes)",
    ),
    (
        re.compile(
            r"disk i/o error|unable to open database file|database disk image is malformed|"
            r"could not (write|read|open) (to )?(file|block)",
            re.IGNORECASE,
        ),
        "check the disk that holds the server's database, and see the server's log",
    ),
)


def _answers_a_read(resp: httpx.Response) -> bool:
    """True when ``resp`` answers a GET. A response built without its request (by hand:
    a test's or a transport's) counts as no read: httpx raises ``RuntimeError`` for its
    ``request`` (CI c61: a refused create read as a crash)."""
    try:
        return resp.request.method == "GET"
    except RuntimeError:
        return False


@dataclass(frozen=True)
class ImportAnswer:
    """What Label Studio said it created for one imported batch."""

    task_ids: list[int]
    task_count: int | None  # None: the server did not say
    prediction_count: int | None
    # passage id -> its task, when known for every passage of the batch
    # (:func:`annotate.studio.push.import_retrying`); {}: pair ``task_ids`` by position
    by_passage: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskListing:
    """One task as a push reads it: id, passage id ("" for a task annotate did not make),
    model versions of its predictions, its ``meta`` and ``data``."""

    id: int
    passage: str
    versions: frozenset[str]
    meta: dict[str, Any]
    data: dict[str, Any]
    # neither answered nor skipped (None: the listing did not say)
    open: bool | None = None


def task_open(task: dict[str, Any]) -> bool | None:
    """Whether a listed task has neither an answer nor a skip (its ``total_annotations``
    and ``cancelled_annotations``); None when the listing holds neither count."""
    if "total_annotations" not in task and "cancelled_annotations" not in task:
        return None
    return not int(task.get("total_annotations") or 0) and not int(
        task.get("cancelled_annotations") or 0
    )


def _account_path(path: str, base_url: str) -> bool:
    """Whether a request path (``/api/users/3/``, or under the server's own path prefix)
    is one of :data:`ACCOUNT_PATHS`."""
    prefix = httpx.URL(base_url).path.rstrip("/")
    rest = path[len(prefix) :] if prefix and path.startswith(prefix) else path
    return rest.lstrip("/").startswith(ACCOUNT_PATHS)


def request_timeout() -> float:
    """Seconds a request to Label Studio waits for its answer: ``$ANNOTATE_STUDIO_TIMEOUT``
    when set, else :data:`DEFAULT_TIMEOUT_S`. Raises InputError for a value that is not
    a number of seconds above zero."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise InputError(
            f"{TIMEOUT_ENV} is {raw!r}; expected the seconds a request to Label Studio may "
            "wait for its answer, a number above 0.",
            fix=f"export {TIMEOUT_ENV}={DEFAULT_TIMEOUT_S:g} (the default), or unset it.",
        )
    return value


def task_hidden(data: dict[str, Any]) -> bool | None:
    """Whether a task's passage carries a content warning (its ``warning`` field, which
    every task a push makes has: "" when it does not); None: a task without the field."""
    warning = data.get("warning")
    return None if warning is None else bool(warning)


def several_titled_error(
    url: str,
    title: str,
    found: list[dict[str, Any]],
    read: Callable[[int], dict[str, Any]] | None = None,
) -> StudioError:
    """The error for a title of several projects (``found``) of the server at ``url``:
    their ids and, where some hold no task and others do, the empty ones, most likely a
    copy made when the project was created (Label Studio on SQLite repeats a creation
    that found its database locked; an annotate from before 6 Dec 2026 left such copies),
    to delete. A project's task count is its listing's ``task_number``, else ``read(id)``'s
    (None: not read)."""
    found = sorted(found, key=lambda p: int(p["id"]))
    ids = ", ".join(str(p["id"]) for p in found)
    tasks: dict[int, int | None] = {}
    for proj in found:
        count = proj.get("task_number")
        if count is None and read is not None:
            try:
                count = read(int(proj["id"])).get("task_number")
            except StudioError:  # the counts only help: the error stands without them
                count = None
        tasks[int(proj["id"])] = None if count is None else int(count)
    empty = [pid for pid, n in tasks.items() if n == 0]
    fix = "rename or delete all but one of them in Label Studio, then run again."
    said = ""
    if empty and len(empty) < len(found):
        one = len(empty) == 1
        which = ("id " if one else "ids ") + ", ".join(str(i) for i in empty)
        said = (
            f"; {which} {'holds' if one else 'hold'} no task, most likely a copy made when "
            "the project was created (Label Studio on SQLite repeats a creation that "
            "found its database locked)"
        )
        fix = (
            f"delete the empty project{'' if one else 's'} ({which}) in Label Studio, then "
            "run again; a project you mean to keep: rename it instead."
        )
    return StudioError(
        f"{len(found)} projects in Label Studio at {url} are titled {title!r} (ids {ids}){said}.",
        fix=fix,
    )


class StudioClient:
    """A connected, authenticated Label Studio (see :func:`connect`)."""

    # requests the server answered (any status): a connection lost after the first is
    # the server going away during the run, not a wrong URL
    answered: int = 0
    # how far the running command got, for the error when the server goes away (set by
    # the command: e.g. "12 of 40 open task(s) copied"); "" when it did not say
    progress: str = ""

    def __init__(
        self, conn: Connection, *, timeout: float | None = None, keep_users: bool = True
    ) -> None:
        self.conn = conn
        # False for a client that outlives a command (a test's, a notebook's): other
        # clients change accounts it would not see, so :meth:`users` reads every time
        self._keep_users = keep_users
        # the URL as shown and logged: without the user:password@ it may carry
        self.url = masked(conn.url)
        self._timeout = request_timeout() if timeout is None else timeout
        timeout = self._timeout
        self._sdk: Any = None
        self._version: str | None = None
        self._version_read = False
        self._me: dict[str, Any] | None = None  # the token's account, as whoami() last read it
        # export snapshot id: its file's name as its download gave it (or None)
        self._downloaded_files: dict[int, str | None] = {}
        # whether the snapshots earlier (interrupted) runs left were looked for
        self._swept_snapshots = False
        # the organization's accounts as ``GET /api/users/`` last listed them (None: not
        # read since the last write that can change them); see :meth:`users`
        self._users: list[dict[str, Any]] | None = None
        # The SDK's authenticated HTTP client (legacy token or personal access token) without
        # the SDK's client classes: importing ``label_studio_sdk.LabelStudio`` loads pandas,
        # scipy and faker (about 3 s); the calls a push makes are plain requests.
        try:  # the SDK checks a personal access token's expiry while it is built
            wrapper = SyncClientWrapper(
                base_url=conn.url,
                api_key=conn.api_key,
                timeout=timeout,
                max_retries=SDK_TRIES - 1,
                httpx_client=self._http_client(timeout),
            )
        except ApiError as exc:
            raise self._api_error(exc, "reading the API token") from None
        self._http = wrapper.httpx_client

    @property
    def sdk(self) -> Any:
        """The full ``label_studio_sdk.LabelStudio`` client, built on first use (deletions,
        prediction imports)."""
        if self._sdk is None:
            from label_studio_sdk import LabelStudio

            try:
                self._sdk = LabelStudio(
                    base_url=self.conn.url,
                    api_key=self.conn.api_key,
                    timeout=self._timeout,
                    httpx_client=self._http_client(self._timeout),
                )
            except ApiError as exc:
                raise self._api_error(exc, "reading the API token") from None
        return self._sdk

    def _http_client(self, timeout: float) -> httpx.Client:
        """An HTTP client (redirects followed) whose writes to account paths, however they
        are sent (:meth:`_send`, the SDK, ``_http.request``), make :meth:`users` read the
        list again."""

        def on_request(request: httpx.Request) -> None:
            if request.method != "GET" and _account_path(request.url.path, self.conn.url):
                self.forget_users()

        return httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            event_hooks={"request": [on_request]},
            # a refused connection to the stopped local server: reported at once
            transport=StoppedAwareTransport(self.conn.url),
        )

    # ---- error mapping ----------------------------------------------------------
    @contextlib.contextmanager
    def guard(self, action: str) -> Iterator[None]:
        """Turn transport and API errors raised inside into domain errors."""
        try:
            yield
        except httpx.TimeoutException:  # before NetworkError: ConnectTimeout is not one
            raise self._lost(
                action, f"no answer within {self._timeout:g} s", timeout=True
            ) from None
        except LocalServerStopped:  # no retry can reach it: said at once
            raise self._lost(action, "connection refused", gone=True) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise self._lost(action, transport_reason(exc)) from None
        except ApiError as exc:
            self.answered += 1
            raise self._api_error(exc, action) from None
        self.answered += 1

    def _lost(
        self, action: str, why: str, *, timeout: bool = False, gone: bool = False
    ) -> StudioUnavailableError:
        """The error for a request whose answer did not come (``why``: the transport's
        reason): a server that answered this client before stopped answering during the
        run (how far the command got, from :attr:`progress`); one that never answered is
        not there, or not at this URL. After a ``timeout`` the server may still be
        carrying the request out (``still_working``); ``gone``: the stopped local server
        refused it (:mod:`annotate.studio.stopped`), so the error is not retried."""
        more = (
            f"; if it is busy with large requests, give them more time: export "
            f"{TIMEOUT_ENV}=SECONDS (now {self._timeout:g})"
            if timeout
            else ""
        )
        if self.answered:
            from annotate.studio.server import stopped_local_hint

            done = f"; done so far: {self.progress}" if self.progress else ""
            wait = stopped_local_hint(self.conn.url) or (
                "wait until it answers again (`annotate studio status` for the local "
                "server; its admin for a team server)"
            )
            return StudioUnavailableError(
                f"Label Studio at {self.url} stopped answering during the run ({action}: "
                f"{why}), after answering {self.answered} request(s){done}.",
                fix=f"{wait}{more}.",
                still_working=timeout,
                gone=gone,
            )
        return StudioUnavailableError(
            f"Label Studio at {self.url} does not answer ({action}: {why}).",
            fix=f"{unreachable_fix(self.conn).rstrip('.')}{more}.",
            still_working=timeout,
            gone=gone,
        )

    def _send(self, path: str, *, method: str, action: str, **kwargs: Any) -> httpx.Response:
        """One request (``self._http.request``'s keywords); a lost answer (no connection, a
        dropped one, a gateway's 502/503/504, a timeout: StudioUnavailableError) of a
        request in :data:`IDEMPOTENT` is sent again by
        :func:`annotate.studio.retry.retry_lost`, once the server has answered this client
        (a server down from the start is reported at once). Other requests are sent once:
        their callers read back what a lost one made before they send it again."""

        def send(attempt: int) -> httpx.Response:
            with self.guard(action):
                resp = self._http.request(path, method=method, **kwargs)
            if resp.status_code in GATEWAY_CODES:
                unknown = "" if idempotent else "; the request may or may not have been carried out"
                raise StudioUnavailableError(
                    f"{self.url} answered HTTP {resp.status_code} while {action} (a proxy or "
                    f"gateway in front of Label Studio got no answer from it{unknown}).",
                    fix=GATEWAY_FIX,
                    still_working=resp.status_code in STILL_WORKING_CODES,
                )
            if resp.status_code >= 500:
                gone = self._database_gone(resp.status_code, _body(resp), action)
                if gone is not None:  # retried like a lost answer, its read-back first
                    raise gone
            return resp

        idempotent = method.upper() in IDEMPOTENT
        if method.upper() != "GET" and _account_path(path, ""):
            try:  # accounts may change, even when the answer is lost
                return send(1) if not idempotent or not self.answered else retry_lost(send, action)
            finally:
                self.forget_users()
        if not idempotent or not self.answered:
            return send(1)
        return retry_lost(send, action)

    def _api_error(self, exc: ApiError, action: str, *, read: bool = False) -> StudioError:
        """The domain error of the API's ``exc`` while ``action``; ``read``: the request
        only read (a GET), so a server error cannot come from the input and the same command
        run again is safe (the SDK already sent it :data:`SDK_TRIES` times)."""
        code = exc.status_code
        if code in (401, 403):
            if self.url != self.conn.url:  # user:password@ in the URL (masked when shown)
                fix = (
                    f"remove the user:password@ from {URL_ENV} ({self.url}): the HTTP client "
                    "sends it as basic auth in place of the API token, which Label Studio "
                    f"then rejects; authenticate with {KEY_ENV} only."
                )
            elif self.conn.source == "environment":
                fix = (
                    f"set {KEY_ENV} to a valid access token of {self.url} (Account & Settings), "
                    f"or unset {URL_ENV} to use the local server."
                )
            else:
                fix = (
                    "the local server's token was not accepted: run `annotate studio stop`, "
                    "then `annotate studio start` (delete .annotate/studio/data to start afresh)."
                )
            return StudioAuthError(
                f"Label Studio at {self.url} rejected the API token (HTTP {code}) while {action}.",
                fix=fix,
            )
        detail = _detail(exc.body).rstrip(".")  # each message below ends with its own
        if code == 404:
            root = ui_page_root(self.url)
            return StudioNotFoundError(
                f"Label Studio at {self.url} answered 404 Not Found while {action}: {detail}.",
                fix=f"export {URL_ENV}={root} (the server's root URL: {self.url} is a page "
                "of its web interface, copied from the browser)"
                if root is not None
                else f"check that {URL_ENV} points at a Label Studio server: its root URL "
                "(e.g. http://127.0.0.1:8080), with a path only when the server is served "
                "under one.",
            )
        if code in (502, 504):  # never Label Studio's own: a proxy in front of it
            return StudioUnavailableError(
                f"{self.url} answered HTTP {code} while {action} (a proxy or gateway in front "
                f"of Label Studio got no answer from it): {detail}.",
                fix=GATEWAY_FIX,
                still_working=True,
            )
        if code is not None and code >= 500:
            gone = self._database_gone(code, exc.body, action)
            if gone is not None:
                return gone
            if read:
                return StudioServerError(
                    f"Label Studio at {self.url} failed while {action} (HTTP {code}, a "
                    f"server error, {SDK_TRIES} tries): {detail}.",
                    fix="see the server log (`annotate studio status` names it for the local "
                    "server): a server error while reading comes from the server or its "
                    "database, not from the input; wait until it reads again",
                    status=code,
                    reason=detail,
                    read=True,
                )
            return StudioServerError(
                f"Label Studio at {self.url} failed while {action} (HTTP {code}, a server "
                f"error): {detail}.",
                fix="see the server log (`annotate studio status` names it for the local "
                "server); a server error comes from the server or its database, or from a "
                "row it cannot store (a refused push batch is split to name such rows).",
                status=code,
                reason=detail,
            )
        return StudioError(
            f"Label Studio at {self.url} refused the request while {action} (HTTP {code}): "
            f"{detail}.",
            fix="check the input; see the server log for details.",
        )

    def _database_gone(self, code: int, body: Any, action: str) -> StudioUnavailableError | None:
        """The error for a server error (``code`` >= 500) that says the server, not the
        request, is failing: a reason naming its database connection
        (:data:`DATABASE_GONE`: PostgreSQL stopped or restarting) or a busy SQLite
        (:data:`DATABASE_BUSY`), or Label Studio's HTML error page in place of the API's
        JSON (it failed before the API read the request: its middleware lost the
        database; a request the server refuses, a row PostgreSQL cannot store included,
        gets a JSON reason; a bare fragment such as ``<h1>Server Error (500)</h1>`` is
        such a page too). A lost answer then: retried after reading back what the request
        made (:func:`annotate.studio.retry.retry_lost`), never split to find bad rows.
        A reason naming where the server keeps its data (:data:`STORAGE_FAILING`: a full
        or read-only disk, SQLite's "database or disk is full") is that too, but ``gone``:
        no retry mends it, so the command stops at once with the fix. None for any other
        server error."""
        detail = _detail(body).rstrip(".")
        for pattern, fix in STORAGE_FAILING:
            if pattern.search(detail):
                return StudioUnavailableError(
                    f"Label Studio at {self.url} cannot store anything: it failed while "
                    f"{action} (HTTP {code}: {detail}), a fault of the disk or database it "
                    "keeps its data in, not of the request.",
                    fix=fix + storage_said(self),
                    gone=True,
                )
        if DATABASE_GONE.search(detail):
            why = f"could not reach its database while {action} (HTTP {code}: {detail})"
        elif DATABASE_BUSY.search(detail):
            why = (
                f"found its database busy with other writes while {action} (HTTP {code}: {detail})"
            )
        elif code == 500 and detail.startswith("an HTML page"):
            why = (
                f"failed before its API read the request while {action} (HTTP {code}, "
                f"{detail}: most often its database is down or restarting)"
            )
        else:
            return None
        return StudioUnavailableError(
            f"Label Studio at {self.url} {why}.",
            fix="wait until the server and its database answer again (`annotate studio "
            "status` names the database of the local server; its admin for a team "
            f"server); if it keeps failing, see the server's log{storage_said(self)}",
        )

    def _get(self, path: str, action: str, **params: Any) -> Any:
        resp = self._send(path, method="GET", action=action, params=params)
        return self._json(resp, action)

    def _json(self, resp: httpx.Response, action: str) -> Any:
        if not 200 <= resp.status_code < 300:
            raise self._api_error(
                ApiError(
                    status_code=resp.status_code, headers=dict(resp.headers), body=_body(resp)
                ),
                action,
                read=_answers_a_read(resp),
            )
        try:
            return resp.json()
        except ValueError:
            raise StudioUnavailableError(
                f"{self.url} answered {action} with something that is not JSON "
                f"({resp.headers.get('content-type', '?')}): is it a Label Studio server?",
                fix=f"check {URL_ENV} or run `annotate studio start`.",
            ) from None

    # ---- calls ---------------------------------------------------------------------
    def users(self) -> list[dict[str, Any]]:
        """Every account of the admin's organization (``GET /api/users/``: ``id``,
        ``email``, ``first_name`` ...; a member removed from it stays, with ``Deleted`` for
        its e-mail), read once per client and kept until a write that can change accounts.

        The server has no filter on this list (Label Studio 1.23's ``UserAPI`` reads every
        member and serializes each, about 4 ms per account), so a command that looks up
        several accounts reads it once. Kept for this client only, never on disk: a
        command is one client, and the next command reads afresh. A write by this client
        (:meth:`_send`, :attr:`sdk`, ``_http``) to ``api/users`` or ``api/organizations``
        (account made by API, rename, delete, membership change) forgets it; code that
        changes accounts another way (the sign-up form) calls :meth:`forget_users`. A client
        built with ``keep_users=False`` (one that outlives a command while other clients
        change accounts: a test's, a notebook's) reads the list on every call. Each call
        returns new dicts (callers may change them). Raises what :meth:`_get` raises."""
        if self._users is None or not self._keep_users:
            data = self._get("api/users/", "listing users")
            self._users = list(data.get("results", data) if isinstance(data, dict) else data)
        return [dict(u) for u in self._users]

    def forget_users(self) -> None:
        """Drop the account list :meth:`users` keeps: the next call reads it again."""
        self._users = None

    def whoami(self) -> dict[str, Any]:
        self._me = self._get("api/current-user/whoami", "checking the API token")
        return self._me

    def instance(self) -> str | None:
        """Which Label Studio answers at this URL: ``"<organization id>@<its created_at>"``
        of the organization the token works in (``/api/organizations/``), so that two
        servers at one address (a local server started afresh in another folder on the
        same port, a team server whose database was replaced) are told apart. None when
        the server does not say (logged); raises what :meth:`_get` raises for a server
        that does not answer."""
        try:
            me = self._me if self._me is not None else self.whoami()  # connect() read it
            org = me.get("active_organization")
            data = self._get("api/organizations/", "reading the organization")
        except StudioUnavailableError:
            raise
        except StudioError as exc:
            log.info("%s did not say which organization the token works in: %s", self.url, exc)
            return None
        rows = data.get("results", []) if isinstance(data, dict) else data
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and row.get("id") == org and row.get("created_at"):
                return f"{org}@{row['created_at']}"
        log.info("%s did not list the organization %r of the token", self.url, org)
        return None

    def server_version(self) -> str | None:
        """The server's release (``"1.23.2"``) from ``/api/version``, read once per client;
        None when the server does not say."""
        if not self._version_read:
            try:
                self._version = server_version.release(
                    self._get("api/version", "reading the server version")
                )
            except StudioError:
                self._version = None
            self._version_read = True
        return self._version

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        """Every project of the organization, each once, in ascending id: all its fields,
        or only those named in ``include`` (e.g. ``"id,title,description"``: the server then
        skips the per-project task and annotation counts, about 4x faster on a dozen
        projects). Read page by page in id order and checked whole after the last page
        (:func:`annotate.studio.project_pages.read_projects`): raises StudioError when
        projects keep being deleted between page reads. ``id`` is always included (the
        pages are read and checked by it)."""
        if include is not None and "id" not in include.split(","):
            include = f"id,{include}"
        extra = {} if include is None else {"include": include}
        return read_projects(self._get, "listing projects", self.url, **extra)

    def find_projects(self, title: str) -> list[dict[str, Any]]:
        """Every project with exactly this title, oldest (lowest id) first (read as
        :meth:`list_projects` reads, with the server's title filter)."""
        found = read_projects(self._get, "listing projects", self.url, title=title)
        return [p for p in found if p.get("title") == title]

    def find_project(self, title: str) -> dict[str, Any] | None:
        """The project with exactly this title, or None.

        Raises :class:`StudioError` naming them when several projects have the title:
        choosing one silently could push into, or export, the wrong one.
        """
        found = self.find_projects(title)
        if not found:
            return None
        if len(found) > 1:
            raise several_titled_error(self.url, title, found, self.get_project)
        return found[0]

    def require_project(self, title: str) -> dict[str, Any]:
        project = self.find_project(title)
        if project is None:
            near = self._names_like(title)
            raise ProjectNotFoundError(
                f"no project titled {title!r} in Label Studio at {self.url}.",
                fix=(
                    f"did you mean {' or '.join(repr(n) for n in near)}? Otherwise " if near else ""
                )
                + "check the name (it is case-sensitive) or create it with `annotate push`.",
            )
        return project

    def _names_like(self, title: str) -> list[str]:
        """The project names (a review set's, a numbered push's base name, plain titles)
        closest to ``title``, ignoring case, for a not-found message; [] when the projects
        cannot be listed."""
        import difflib

        from annotate.studio.projects import LIST_FIELDS, review_set_of

        try:
            projects = self.list_projects(include=LIST_FIELDS)
        except StudioError:
            return []
        names: set[str] = set()
        for proj in projects:
            name = review_set_of(proj)
            plain = str(proj.get("title") or "").removesuffix(" · adjudication")
            names.add(name if name is not None else re.sub(r" #\d+$", "", plain))
        folded = {n.casefold(): n for n in sorted(names)}
        near = difflib.get_close_matches(title.casefold(), list(folded), n=3, cutoff=0.75)
        return [folded[n] for n in near]

    def get_project(self, project_id: int) -> dict[str, Any]:
        return self._get(f"api/projects/{project_id}/", "reading the project")

    def create_project(self, title: str, label_config: str, **settings: Any) -> dict[str, Any]:
        """Create the project ``title`` and return it (the server's project dict).

        A lost answer (a dropped connection, a gateway's 502/503/504, a timeout) or a
        server error (HTTP 5xx; seen on SQLite: two pushes creating projects at once, one
        got "database is locked" as an HTML 500 page) is retried
        (:func:`annotate.studio.retry.retry_lost`) after reading back whether a project of
        that title was made meanwhile (then that project, the oldest where the server made
        several, is returned, so a retry never makes another). A project gone by the time
        it is read (another run that made the title at the same time deleted it as a copy)
        is returned as the creation answered: the caller's check
        (:func:`annotate.studio.push.ensure_project`) takes the other. Raises
        StudioUnavailableError or StudioServerError as the last try failed (naming the
        tries); other refusals (StudioError) at once.

        One request can still make several projects: Label Studio on SQLite carries a
        request that found its database locked out again, up to 15 times
        (``DatabaseIsLockedRetryMiddleware``), a creation that failed after storing its
        project included (a project each run; CI 53b: three); the answer names the last.
        ``ensure_project`` keeps the oldest and deletes the others."""
        action = "creating the project"
        body = {"title": title, "label_config": label_config, **settings}

        def send(attempt: int) -> dict[str, Any]:
            if attempt > 1:
                # the server may have run the failed try several times (a project each):
                # the oldest is taken, the copies are ensure_project's to delete
                made = read_back(lambda: self.find_projects(title), bool, action)
                if made:
                    ids = ", ".join(str(p["id"]) for p in made)
                    log.info(
                        "%s: project %r was made by the failed try (ids %s)", action, title, ids
                    )
                    return self.get_project(int(made[0]["id"]))
            resp = self._send(
                "api/projects/",
                method="POST",
                action=action,
                json=body,
                request_options={"max_retries": 0},
            )
            made = self._json(resp, action)
            try:
                return self.get_project(int(made["id"]))
            except StudioNotFoundError:  # deleted as a copy by a run making it too
                return dict(made)

        return retry_lost(send, f"{action} {title!r}", also=(StudioServerError,))

    def update_project(self, project_id: int, **fields: Any) -> None:
        action = "updating the project"
        resp = self._send(f"api/projects/{project_id}/", method="PATCH", action=action, json=fields)
        self._json(resp, action)

    def get_task_meta(self, task_id: int) -> dict[str, Any]:
        """A task's ``meta`` ({} when it has none)."""
        task = self._get(f"api/tasks/{task_id}/", f"reading task {task_id}")
        return dict(task.get("meta") or {})

    def update_task_meta(self, task_id: int, meta: dict[str, Any]) -> None:
        """Replace a task's ``meta`` (not shown to reviewers)."""
        action = f"updating task {task_id}"
        resp = self._send(
            f"api/tasks/{task_id}/", method="PATCH", action=action, json={"meta": meta}
        )
        self._json(resp, action)

    def get_task_data(self, task_id: int) -> dict[str, Any]:
        """A task's ``data``."""
        task = self._get(f"api/tasks/{task_id}/", f"reading task {task_id}")
        return dict(task.get("data") or {})

    def update_task_data(self, task_id: int, data: dict[str, Any]) -> None:
        """Replace a task's ``data`` (its annotations and predictions stay)."""
        action = f"updating task {task_id}"
        resp = self._send(
            f"api/tasks/{task_id}/", method="PATCH", action=action, json={"data": data}
        )
        self._json(resp, action)

    def set_task_overlap(self, task_id: int, overlap: int, *, labeled: bool) -> None:
        """Set a task's ``overlap`` (the distinct answers that complete it) and its
        ``is_labeled`` flag, which Label Studio recomputes (answers >= overlap) only when an
        answer is saved. A task with overlap 0 is complete whatever it holds: the label
        stream ("Label All Tasks", its skipped and postponed-draft queues, "Label Tasks As
        Displayed") no longer serves it; the Data Manager still lists it and anyone can
        still open and answer it there. Nothing of the task is deleted."""
        action = f"updating task {task_id}"
        body = {"overlap": int(overlap), "is_labeled": bool(labeled)}
        resp = self._send(f"api/tasks/{task_id}/", method="PATCH", action=action, json=body)
        self._json(resp, action)

    def list_predictions(self, project_id: int) -> list[dict[str, Any]]:
        """Every prediction of a project (id, task, model_version, result ...)."""
        found = self._get("api/predictions/", "listing predictions", project=project_id)
        return [p for p in found if isinstance(p, dict)] if isinstance(found, list) else []

    def list_task_predictions(self, task_id: int) -> list[dict[str, Any]]:
        """The predictions of one task (id, task, model_version, result ...): one request,
        whatever the size of its project."""
        found = self._get("api/predictions/", "reading predictions", task=task_id)
        return [
            p
            for p in (found if isinstance(found, list) else [])
            if isinstance(p, dict) and int(p.get("task") or -1) == int(task_id)
        ]

    def create_prediction(self, task_id: int, model_version: str, result: list[Any]) -> None:
        """Add a prediction of ``model_version`` to a task that holds none of that version.
        A lost answer is retried (:func:`annotate.studio.retry.retry_lost`) unless the
        task holds a prediction of that version by then (the lost request made it; read
        a few times when the server may still be at work on it). Sent again past such a
        loss, a second prediction of that version the late request made is deleted."""
        action = f"adding a prediction to task {task_id}"
        body = {"task": int(task_id), "model_version": model_version, "result": result}
        resent = False

        def mine() -> list[int]:
            return sorted(
                int(p["id"])
                for p in self._get("api/predictions/", "reading predictions", task=task_id)
                if isinstance(p, dict)
                and int(p.get("task") or -1) == int(task_id)
                and str(p.get("model_version") or "") == model_version
            )

        def send(attempt: int) -> None:
            nonlocal resent
            if attempt > 1 and read_back(mine, bool, action):
                return
            resent = resent or late_loss()
            resp = self._send(
                "api/predictions/",
                method="POST",
                action=action,
                json=body,
                request_options={"max_retries": 0},
            )
            self._json(resp, action)

        retry_lost(send, action)
        if resent:
            for extra in mine()[1:]:
                log.warning("task %s: deleting prediction %s, made twice", task_id, extra)
                self.delete_prediction(extra)

    def update_prediction(self, prediction_id: int, result: list[Any]) -> None:
        action = f"updating prediction {prediction_id}"
        resp = self._send(
            f"api/predictions/{prediction_id}/",
            method="PATCH",
            action=action,
            json={"result": result},
        )
        self._json(resp, action)

    def delete_prediction(self, prediction_id: int) -> None:
        self._delete(f"api/predictions/{prediction_id}/", f"deleting prediction {prediction_id}")

    def create_view(self, project_id: int, data: dict[str, Any]) -> None:
        """Add a Data Manager tab (``data``: title, hiddenColumns, filters ...). A lost
        answer is retried unless the project holds one tab more of that title by then
        (the lost request made it; read a few times when the server may still be at it:
        :func:`annotate.studio.retry.read_back`)."""
        action = "creating a Data Manager tab"
        title = data.get("title")

        def titled() -> int:
            return sum(
                (v.get("data") or {}).get("title") == title for v in self.list_views(project_id)
            )

        before = titled() if self.answered else 0

        def send(attempt: int) -> None:
            if attempt > 1 and read_back(titled, lambda n: n > before, action) > before:
                return
            self._send(
                "api/dm/views/",
                method="POST",
                action=action,
                json={"project": project_id, "data": data},
                request_options={"max_retries": 0},
            )

        retry_lost(send, action)

    def list_views(self, project_id: int) -> list[dict[str, Any]]:
        """The Data Manager tabs of a project (``id``, ``data``: title, ordering ...)."""
        found = self._get("api/dm/views/", "listing Data Manager tabs", project=project_id)
        return [v for v in found if int(v.get("project") or project_id) == project_id]

    def update_view(self, view_id: int, project_id: int, data: dict[str, Any]) -> None:
        """Replace a Data Manager tab's ``data`` (title, hiddenColumns, ordering ...)."""
        action = f"updating Data Manager tab {view_id}"
        resp = self._send(
            f"api/dm/views/{view_id}/",
            method="PATCH",
            action=action,
            json={"project": project_id, "data": data},
        )
        self._json(resp, action)

    def iter_tasks(
        self, project_id: int, include: str = "id,data", **params: Any
    ) -> Iterator[dict[str, Any]]:
        """All tasks of a project, only the fields in ``include`` (fast: no annotations)."""
        yield from self._task_pages(
            "listing tasks",
            project=project_id,
            page_size=LIST_PAGE_SIZE,
            fields="task_only",
            include=include,
            **params,
        )

    def iter_tasks_by_id(
        self,
        project_id: int,
        task_ids: Sequence[int],
        include: str = "id,data",
        *,
        fields: str = "task_only",
    ) -> Iterator[dict[str, Any]]:
        """The tasks of ``project_id`` among ``task_ids`` (those that still exist), in
        ascending id, only the fields in ``include``: the Data Manager's selected items,
        :data:`BY_ID_PAGE` ids a request (the ids travel in the request's address).
        ``fields="all"``: the Data Manager's computed columns in ``include``
        (``annotations_ids``, ``annotators``) are filled (with ``task_only`` they are
        empty)."""
        ids = sorted({int(t) for t in task_ids})
        for start in range(0, len(ids), BY_ID_PAGE):
            chunk = ids[start : start + BY_ID_PAGE]
            query = json.dumps({"selectedItems": {"all": False, "included": chunk}})
            yield from self._task_pages(
                "reading tasks by id",
                project=project_id,
                page_size=LIST_PAGE_SIZE,
                fields=fields,
                include=include,
                query=query,
            )

    def _task_pages(self, action: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every task ``api/tasks/`` lists for ``params`` (its ``query``, a Data Manager
        query whose filters are joined by ``and``, or none), each once, in ascending id.

        Read by id, not by page number: each request asks for the first page of the tasks
        with an id above the last one read, ordered by id (:func:`after_id_query`). Paging
        by number shifted whenever the filtered set changed between two pages (a reviewer
        answering, a task deleted or an answer's ``updated_at`` moving while the list was
        read): a task entering the set before the page read repeated the last task of the
        previous page, one leaving it made the next page skip a task. By id, every task
        matching the filters from the first request to the last is read exactly once; one
        that matches only for part of the read is read at most once (a task it passed
        before it came into the set is not read). Ends when a page holds every task left
        (its ``total``). Raises StudioError when the server ignores the id filter (a page
        brings no task past the last one read), rather than looping, or the ordering (a
        page, not the last, out of id order), rather than skip the tasks between ids."""
        base = params.pop("query", None)
        last: int | None = None
        while True:
            data = self._get(
                "api/tasks/", action, page=1, query=after_id_query(base, last), **params
            )
            tasks = data.get("tasks", [])
            fresh = [t for t in tasks if last is None or int(t["id"]) > last]
            if tasks and not fresh:
                raise StudioError(
                    f"{action}: the server listed tasks already read (ids up to {last}) for "
                    "a filter of larger ids: it does not apply Data Manager filters by id.",
                    fix="use a Label Studio the project supports (see `annotate studio status`).",
                )
            done = not tasks or len(tasks) >= int(data.get("total", 0))
            ids = [int(t["id"]) for t in tasks]
            if not done and ids != sorted(ids):
                # the next page starts past this page's largest id: on a page not ordered
                # by id, the tasks between ids it skipped over would never be read
                raise StudioError(
                    f"{action}: the server listed a page of tasks out of id order (ids "
                    f"{ids[:5]}...) for a query ordered by id: it does not apply the Data "
                    "Manager's ordering, so reading page by page would miss tasks.",
                    fix="use a Label Studio the project supports (see `annotate studio status`).",
                )
            fresh.sort(key=lambda t: int(t["id"]))
            yield from fresh
            if done:
                return
            last = int(fresh[-1]["id"])

    def iter_answered_tasks(
        self,
        project_id: int,
        filters: Sequence[dict[str, Any]],
        include: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The tasks of a project with at least one answer that match every Data Manager
        filter of ``filters`` (``{"filter": "filter:tasks:...", "operator", "type",
        "value"}``), each in full: data, meta, annotations (``completed_by`` an id, times,
        result) and predictions, as the snapshot export gives them but without building
        one; ``include`` (e.g. :data:`ANSWER_FIELDS`): only those task fields (Label
        Studio's sparse fields), the annotations still whole (expanded). Page by page, so memory
        holds one page whatever the project's size; `review status` reads every answered
        task of a project with it (:mod:`annotate.review.contradictions`)."""
        # sparse fields alone give each annotation as {id, project} (Label Studio 1.23's
        # flex fields: a nested field listed in include is not expanded); expanded whole
        extra = {"include": include, "expand": "annotations"} if include else {}
        yield from self._task_pages(
            "reading answered tasks",
            project=project_id,
            page_size=FULL_PAGE_SIZE,
            fields="all",
            query=_answered_query(filters),
            **extra,
        )

    def iter_answered_ids(
        self, project_id: int, filters: Sequence[dict[str, Any]]
    ) -> Iterator[int]:
        """The ids of the tasks :meth:`iter_answered_tasks` would give, ascending, read
        without their data or answers (pages of :data:`LIST_PAGE_SIZE` ids)."""
        for task in self._task_pages(
            "listing answered task ids",
            project=project_id,
            page_size=LIST_PAGE_SIZE,
            fields="task_only",
            include="id",
            query=_answered_query(filters),
        ):
            yield int(task["id"])

    def count_answered_tasks(self, project_id: int, filters: Sequence[dict[str, Any]]) -> int:
        """How many tasks :meth:`iter_answered_tasks` would give (one small request)."""
        data = self._get(
            "api/tasks/",
            "counting answered tasks",
            project=project_id,
            page_size=1,
            fields="task_only",
            include="id",
            query=_answered_query(filters),
        )
        return int(data.get("total", 0))

    def iter_task_versions(
        self, project_id: int, after: int | None = None, *, text_field: str | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """(task id, passage id, model versions of its predictions, document id, whether
        it carries a content warning: :func:`task_hidden`) of every task, page by page
        (``after``: only tasks with a larger id, i.e. created since that task). With
        ``text_field``, two more: the :func:`annotate._util.passage_ids.text_key` of its
        ``data[text_field]`` (None: no such text), its ``meta`` ({}: none), its
        ``data["passage_index"]`` (:func:`annotate.studio.versions.task_index`; None: none),
        the licence its data records (:func:`annotate.corpus.licenses.task_license`, as
        export reads it; None: none) and its ``data["input_file"]`` (None: none).

        The versions come from the Data Manager's ``predictions_model_versions`` column
        (comma-joined by the server), so a model version holding a comma is not
        supported here; :func:`annotate.studio.push.push` checks that before relying on it.
        """
        from annotate.corpus.licenses import task_license  # a light module
        from annotate.studio.input_sources import input_file_of

        include = "id,data,predictions_model_versions" + (",meta" if text_field else "")
        for task in self._listing(project_id, after, include):
            doc = task.data.get("doc_id")
            row = (task.id, task.passage, task.versions, None if doc is None else str(doc))
            if not text_field:
                yield (*row, task_hidden(task.data))
                continue
            text = passage_text(task.data, text_field)  # a subtitle cue's: as ingested
            key = text_key(text) if isinstance(text, str) else None
            licence = task_license(task.data)
            source = input_file_of(task.data)  # the file ingest read it from
            yield (
                *row,
                task_hidden(task.data),
                key,
                task.meta,
                task_index(task.data),
                licence,
                source,
            )

    def iter_task_listing(self, project_id: int, after: int | None = None) -> Iterator[TaskListing]:
        """:meth:`iter_task_versions` with each task's ``meta`` too (gold tasks are known by
        it), from the same single listing; the same comma caveat applies."""
        yield from self._listing(
            project_id,
            after,
            "id,data,meta,predictions_model_versions,total_annotations,cancelled_annotations",
        )

    def _listing(self, project_id: int, after: int | None, include: str) -> Iterator[TaskListing]:
        from annotate.studio.tasks import PASSAGE_ID_FIELD  # tasks imports the review view

        # the server computes the column only when a filter or ordering names it: this
        # filter is true of every task (no model version holds U+0001)
        items: list[dict[str, Any]] = [
            {
                "filter": "filter:tasks:predictions_model_versions",
                "operator": "not_contains",
                "type": "List",
                "value": ["\u0001"],
            }
        ]
        if after is not None:
            items.append(
                {
                    "filter": "filter:tasks:id",
                    "operator": "greater",
                    "type": "Number",
                    "value": after,
                }
            )
        query = json.dumps({"filters": {"conjunction": "and", "items": items}})
        for task in self.iter_tasks(project_id, include=include, query=query):
            raw = task.get("predictions_model_versions") or ""
            if isinstance(raw, list):
                versions = frozenset(str(v) for v in raw if v)
            else:
                versions = frozenset(v.strip() for v in str(raw).split(",") if v.strip())
            pid = (task.get("data") or {}).get(PASSAGE_ID_FIELD)
            yield TaskListing(
                int(task["id"]),
                "" if pid is None else str(pid),
                versions,
                dict(task.get("meta") or {}),
                dict(task.get("data") or {}),
                task_open(task),
            )

    def count_annotated_tasks(self, project_id: int) -> int:
        """Tasks with at least one non-cancelled annotation (ground truth included).

        The project's ``num_tasks_with_annotations`` leaves out ground-truth annotations
        (e.g. imported ones), so the Data Manager is asked instead; that count reads the
        tasks' stored answer counters, so it is checked against the project's (never
        above it while the counters are kept): raises
        :class:`annotate.studio.answer_counters.StaleCountersError` when the counters
        stay behind the answers (:func:`annotate.studio.answer_counters.checked_count`),
        StudioError as every read does.
        """
        return checked_count(self, project_id, lambda: self._count_counted_answered(project_id))

    def _count_counted_answered(self, project_id: int) -> int:
        """The Data Manager's count of the project's tasks with ``total_annotations`` > 0."""
        query = json.dumps(
            {
                "filters": {
                    "conjunction": "and",
                    "items": [
                        {
                            "filter": "filter:tasks:total_annotations",
                            "operator": "greater",
                            "type": "Number",
                            "value": 0,
                        }
                    ],
                }
            }
        )
        data = self._get(
            "api/tasks/",
            "counting annotated tasks",
            project=project_id,
            page_size=1,
            fields="task_only",
            include="id",
            query=query,
        )
        return int(data.get("total", 0))

    def prediction_versions(self, project_id: int) -> dict[int, set[str]]:
        """Task id -> the model versions it has predictions from."""
        out: dict[int, set[str]] = {}
        for pred in self._get("api/predictions/", "listing predictions", project=project_id):
            out.setdefault(int(pred["task"]), set()).add(str(pred.get("model_version") or ""))
        return out

    def import_predictions(self, project_id: int, predictions: Sequence[dict[str, Any]]) -> int:
        """Add predictions (each with ``task`` and ``model_version``) to existing tasks
        that hold none of that version; returns how many were created. A lost answer is
        retried (:func:`annotate.studio.retry.retry_lost`) after reading back the
        project's predictions: those a lost try made count as created and are not sent
        again. Sent again past a timeout or a 502/504 (the lost request may land later),
        a task's predictions of a version beyond those sent are deleted afterwards."""
        action = f"importing {len(predictions)} predictions"

        def key(pred: dict[str, Any]) -> tuple[int, str]:
            return int(pred.get("task") or -1), str(pred.get("model_version") or "")

        wanted = Counter(key(p) for p in predictions)
        landed: set[tuple[int, str]] = set()
        resent = False

        def have() -> dict[tuple[int, str], list[int]]:
            found: dict[tuple[int, str], list[int]] = {}
            for pred in self.list_predictions(project_id):
                if key(pred) in wanted:
                    found.setdefault(key(pred), []).append(int(pred["id"]))
            return found

        def send(attempt: int) -> int:
            nonlocal resent
            if attempt > 1:
                landed.update(
                    read_back(lambda: set(have()), lambda got: got >= wanted.keys(), action)
                )
            rest = [p for p in predictions if key(p) not in landed]
            if not rest:
                return 0
            resent = resent or late_loss()
            resp = self._send(
                f"api/projects/{project_id}/import/predictions",
                method="POST",
                action=action,
                json=rest,
                request_options={"max_retries": 0},
            )
            answer = self._json(resp, action)
            return int(answer.get("created") or 0) if isinstance(answer, dict) else 0

        created = retry_lost(send, action) + sum(n for k, n in wanted.items() if k in landed)
        if resent:
            extra = [i for k, ids in have().items() for i in sorted(ids)[wanted[k] :]]
            if extra:
                log.warning(
                    "project %s: deleting %d prediction(s) a lost request made after it was "
                    "sent again",
                    project_id,
                    len(extra),
                )
            for pred_id in extra:
                self.delete_prediction(pred_id)
        return created

    def import_tasks(self, project_id: int, tasks: Sequence[dict[str, Any] | str]) -> ImportAnswer:
        """Import one batch (tasks as dicts, or already as JSON text); never retried (a
        retried POST can duplicate tasks). Raises StudioUnavailableError when the answer
        is lost (no connection, a dropped one, a gateway's 502/503/504: the tasks may have
        been created; push reads what landed before it sends again).

        The body is sent as it is, not through the SDK's request encoder, which walks
        every value of every task in Python (about 1.3 s per 1,000 tasks here).
        """
        body = "[" + ",".join(t if isinstance(t, str) else json.dumps(t) for t in tasks) + "]"
        data = body.encode("utf-8")
        del body
        action = f"importing {len(tasks)} tasks"
        # sent once (a POST): a gateway's 502/503/504 is StudioUnavailableError, and the
        # caller (push.import_retrying) reads back what a lost request created
        resp = self._send(
            f"api/projects/{project_id}/import",
            method="POST",
            action=action,
            params={"return_task_ids": "true"},
            # an iterator, not the bytes: httpx keeps each request in a reference cycle
            # with its response until a full garbage collection, which a long push
            # seldom triggers; holding the body there grew a 200,000-task push to
            # 1 GB. The list iterator lets go of the body once it is sent.
            content=iter([data]),
            headers={"Content-Type": "application/json", "Content-Length": str(len(data))},
            request_options={"max_retries": 0},
        )
        del data
        raw = self._json(resp, action)
        if not isinstance(raw, dict):
            raw = {}
        predictions = raw.get("prediction_count", raw.get("predictions_count"))
        count = raw.get("task_count")
        return ImportAnswer(
            task_ids=[int(i) for i in raw.get("task_ids") or []],
            task_count=None if count is None else int(count),
            prediction_count=None if predictions is None else int(predictions),
        )

    def delete_tasks(
        self,
        task_ids: Sequence[int],
        *,
        project_id: int | None = None,
        filters: dict[str, Any] | None = None,
    ) -> None:
        """Delete these tasks (with their annotations, drafts and predictions).

        ``filters`` (Data Manager filters, with ``project_id`` only) deletes only those of
        them the server finds matching when it deletes (checked in the same request: see
        :func:`annotate.studio.guarded_delete.delete_open_tasks`); a server without the bulk
        action gets one listing filtered so, then one request per task it lists.

        With ``project_id`` (every task must be of that project), the Data Manager's
        ``delete_tasks`` action deletes them :data:`DELETE_CHUNK` at a time, one request
        per chunk (one request per task took ~0.4 s on the local SQLite server): an
        interrupted call has deleted whole chunks, and a re-run deletes the rest. A server
        without that action (older, or one that refuses it) gets one request per task, as
        does a call without ``project_id``.

        With ``project_id``, the tasks' answers are read first (their ``annotations_ids``,
        :data:`BY_ID_PAGE` a request): when any holds answers or skips its stored counters
        do not count (a server whose signals were lost), nothing is deleted and
        :class:`annotate.studio.answer_guard.DeletionRefusedError` is raised
        (:func:`annotate.studio.answer_guard.refuse_stale_counters`). With ``filters``
        that keep answered tasks (``annotations_ids`` empty:
        :func:`annotate.studio.answer_guard.keeps_answered`), only those tasks are left
        out (logged) and the others deleted as above
        (:func:`annotate.studio.answer_guard.without_stale`).
        """
        ids = [int(t) for t in task_ids]
        if filters is not None and project_id is None:
            raise ValueError("delete_tasks: filters need project_id")
        if project_id is not None and ids and not keeps_answered(filters):
            refuse_stale_counters(self, int(project_id), ids)
        elif project_id is not None and ids:
            # the filters (annotations_ids empty) keep answered tasks whatever the counters
            # say: drop only the stale ones (logged), not the whole clean-up (reader57 #4)
            ids = without_stale(self, int(project_id), ids)
            if not ids:
                return
        if project_id is not None and ids and self._bulk_delete(project_id, ids, filters):
            return
        if filters is not None and ids:
            query = json.dumps({"filters": filters})
            listed = self.iter_tasks(int(project_id), include="id", query=query)  # type: ignore[arg-type]
            matching = {int(t["id"]) for t in listed}
            ids = [t for t in ids if t in matching]
        for task_id in ids:
            self._delete(f"api/tasks/{task_id}/", f"deleting task {task_id}")

    def _delete(self, path: str, action: str) -> None:
        """DELETE ``path``: a lost answer is sent again
        (:func:`annotate.studio.retry.retry_lost`), and a 404 then means the lost try
        deleted it. Raises StudioError for any other refusal."""

        def send(attempt: int) -> None:
            # sent once here (no re-send by the SDK: a 404 then would hide that it was
            # this call's own lost try that deleted it)
            resp = self._send(
                path, method="DELETE", action=action, request_options={"max_retries": 0}
            )
            if resp.status_code == 404 and attempt > 1:
                return  # a lost try deleted it
            if not 200 <= resp.status_code < 300:
                self._json(resp, action)  # raises, naming the server's answer

        retry_lost(send, action)

    def _bulk_delete(
        self, project_id: int, ids: list[int], filters: dict[str, Any] | None = None
    ) -> bool:
        """Delete ``ids`` of ``project_id`` (those matching ``filters``, when given) chunk by
        chunk with the Data Manager action; False (nothing deleted) when the server has no
        such action."""
        # the action removes a project's tabs when it leaves it empty: put them back
        views = self.list_views(project_id)
        lost_whole = False
        for start in range(0, len(ids), DELETE_CHUNK):
            chunk = ids[start : start + DELETE_CHUNK]
            action = f"deleting {len(chunk)} tasks of project {project_id}"

            sent = [chunk]  # what the last try sent (a re-send: those still there)

            def send(
                attempt: int, chunk: list[int] = chunk, action: str = action, sent: list = sent
            ) -> Any:
                if attempt > 1:
                    # a lost try may have deleted them: sent again for those still there
                    # only (Label Studio 1.23.2 answers HTTP 500 "Field 'id' expected a
                    # number but got ''" to the annotations_ids filter over none left)
                    chunk = [
                        int(t["id"]) for t in self.iter_tasks_by_id(project_id, chunk, include="id")
                    ]
                    sent[0] = chunk
                    if not chunk:
                        return None
                return self._send(
                    "api/dm/actions/",
                    method="POST",
                    action=action,
                    params={"id": "delete_tasks", "project": project_id},
                    json={
                        "selectedItems": {"all": False, "included": chunk},
                        **({"filters": filters} if filters is not None else {}),
                    },
                    request_options={"max_retries": 0},
                )

            resp = retry_lost(send, action)
            if resp is None:
                lost_whole = True  # a lost try deleted the whole chunk
                continue
            if start == 0 and (
                resp.status_code in (404, 405) or "registered actions" in resp.text[:2000]
            ):
                log.info(
                    "Label Studio at %s has no bulk delete_tasks action (HTTP %s); deleting "
                    "%d task(s) one request each",
                    self.url,
                    resp.status_code,
                    len(ids),
                )
                return False
            answer = self._json(resp, action)
            done = answer.get("processed_items") if isinstance(answer, dict) else None
            if done is not None and int(done) != len(sent[0]) and filters is None:
                log.warning(
                    "Label Studio deleted %s of %d tasks of project %s (the others were "
                    "already gone or are not of that project)",
                    done,
                    len(sent[0]),
                    project_id,
                )
            if isinstance(answer, dict) and answer.get("reload"):
                for view in views:
                    self.create_view(project_id, dict(view.get("data") or {}))
        # a lost try that emptied the project removed its tabs unseen (reader57b #5)
        if lost_whole and views and not self.list_views(project_id):
            for view in views:
                self.create_view(project_id, dict(view.get("data") or {}))
        return True

    def delete_project(self, project_id: int) -> None:
        """Delete a project with its tasks; a lost answer is sent again (a 404 then: the
        lost try deleted it). One deletion at a time per server from this machine
        (:func:`annotate.studio.lock.deletion_lock`: two at once leave Label Studio's
        signals disconnected until it restarts)."""
        with deletion_lock(self.url):
            self._delete(f"api/projects/{int(project_id)}/", f"deleting project {project_id}")

    def skipped_snapshot(
        self, project_id: int, *, timeout: float = EXPORT_TIMEOUT_S
    ) -> list[dict[str, Any]]:
        """The tasks a reviewer skipped, each with its skips only (Label Studio's cancelled
        annotations: ``was_cancelled``, ``completed_by`` as an id, times), which
        :meth:`export_snapshot` leaves out: the same snapshot export, filtered by the
        server to skipped tasks and skipped annotations. Raises StudioError as it does."""
        return self._snapshot(
            project_id,
            timeout=timeout,
            task_filter={"skipped": "only"},
            annotation_filter={"usual": False, "ground_truth": False, "skipped": True},
        )

    def export_snapshot(
        self, project_id: int, *, timeout: float = EXPORT_TIMEOUT_S
    ) -> list[dict[str, Any]]:
        """Every task with its (non-cancelled) annotations and full predictions.

        Label Studio's snapshot export (``api/projects/ID/exports/``: create, wait until
        it is built, download as JSON, delete), called with plain requests: the SDK's
        client classes (``self.sdk``) take seconds to import, longer than the whole
        snapshot of a small project. Raises StudioError (the server failed to build
        it, or not within ``timeout`` seconds, or gave something else than a list).
        """
        return self._snapshot(
            project_id,
            timeout=timeout,
            task_filter={"only_with_annotations": True},
            annotation_filter={"usual": True, "ground_truth": True, "skipped": False},
        )

    def _snapshot(
        self,
        project_id: int,
        *,
        timeout: float,
        task_filter: dict[str, Any],
        annotation_filter: dict[str, bool],
    ) -> list[dict[str, Any]]:
        """A snapshot export of ``project_id`` with these task and annotation filters
        (Label Studio's ``task_filter_options``, ``annotation_filter_options``)."""
        base = f"api/projects/{project_id}/exports"
        title = f"annotate export {time.strftime('%Y-%m-%dT%H:%M:%S')} {uuid.uuid4().hex[:8]}"
        body = {
            "title": title,
            "serialization_options": {
                "predictions": {"only_id": False},
                "annotations__completed_by": {"only_id": True},
                "drafts": {"only_id": True},
            },
            "task_filter_options": task_filter,
            "annotation_filter_options": annotation_filter,
        }
        self._sweep_recorded_snapshots()
        self._delete_stale_snapshots(base, project_id)
        # recorded before it is asked for: a Ctrl-C from here on (while the server builds
        # it, which it finishes whatever the client does) leaves the record, and the next
        # export deletes what this one could not (passH53 H2)
        recorded = snapshot_record.remember(
            self.conn.url, snapshot_record.new_entry(project_id, title)
        )
        export_pk: int | None = None
        try:
            export_pk = self._create_snapshot(base, title, body)
            tasks = self._snapshot_tasks(base, export_pk, project_id, timeout)
        finally:
            # in every case: a snapshot left on the server (an export stopped by Ctrl-C,
            # or one that failed) holds every answer of the project, listed under the
            # project's exports to every member; so does its file in a local server's
            # data folder, which the API leaves
            ended = self._end_snapshot(base, project_id, title, export_pk, wait=SNAPSHOT_END_WAIT_S)
            if ended and recorded:
                snapshot_record.forget(self.conn.url, title)
        if not isinstance(tasks, list):
            raise StudioError(
                f"export snapshot {export_pk} is not a JSON list of tasks.",
                fix="retry the export; check the Label Studio version (1.23 is tested).",
            )
        return tasks

    def _end_snapshot(
        self, base: str, project_id: int, title: str, export_pk: int | None, *, wait: float = 0.0
    ) -> bool:
        """Delete the snapshot titled ``title`` (id ``export_pk``; None: its creation was
        stopped before its id came back, so it is looked for by title) with its file;
        whether nothing of it is left (then its record may go). A snapshot the server is
        still building is waited for up to ``wait`` seconds (:data:`SNAPSHOT_END_WAIT_S`
        for this run's own), then left with its record: deleting it then would leave the
        file the server writes afterwards with nothing naming it. Never raises an
        Exception (a Ctrl-C while it runs leaves the record for the next export)."""
        try:
            return self._end_snapshot_or_raise(base, project_id, title, export_pk, wait)
        except Exception as exc:
            log.debug("export snapshot %r not deleted: %s", title, exc)
            return False

    def _end_snapshot_or_raise(
        self,
        base: str,
        project_id: int,
        title: str,
        export_pk: int | None,
        wait: float,
        known_file: str | None = None,
    ) -> bool:
        name = self._downloaded_files.get(export_pk) if export_pk is not None else None
        if name is None:  # not downloaded: read its record (its state, md5 and times)
            record = self._snapshot_record(base, title, export_pk)
            if record is None:
                if known_file is not None:
                    # deleted on the server by a run stopped before it deleted the file
                    # (only a snapshot file of this server's data folder, by its name)
                    path, data_dir = Path(known_file), self.conn.data_dir
                    if (
                        data_dir is not None
                        and path.parent == snapshot_files.export_folder(data_dir, project_id)
                        and snapshot_files.name_pattern(project_id).fullmatch(path.name)
                    ):
                        snapshot_files.delete_file(path)
                    return True
                # none of that title: its creation never reached the server, or is not
                # recorded there yet (the record is kept until it is old)
                return False
            export_pk = int(record["id"])
            deadline = time.monotonic() + wait
            while not _snapshot_done(record) and time.monotonic() < deadline:
                time.sleep(0.5)
                record = self._get(f"{base}/{export_pk}", "reading the export snapshot")
            if not _snapshot_done(record):
                log.warning(
                    "export snapshot %d of project %d is still being built by Label Studio; "
                    "it holds every answer of the project: the next export deletes it "
                    "(with its file on the local server)",
                    export_pk,
                    project_id,
                )
                return False
        file = self._snapshot_file(base, export_pk, project_id)
        if file is not None:  # a Ctrl-C between the two deletes leaves it named
            snapshot_record.note_file(self.conn.url, title, file)
        if not self._delete_snapshot(base, export_pk, "deleting the export snapshot"):
            return False  # a snapshot the server kept keeps its file
        snapshot_files.delete_file(file)
        return True

    def _snapshot_record(
        self, base: str, title: str, export_pk: int | None
    ) -> dict[str, Any] | None:
        """The server's record of the snapshot ``export_pk`` (None: the one titled
        ``title``); None when there is none."""
        if export_pk is not None:
            record = self._get(f"{base}/{export_pk}", "reading the export snapshot")
            return record if isinstance(record, dict) else None
        listed = self._get(f"{base}/", "listing export snapshots") or []
        return next((e for e in listed if isinstance(e, dict) and e.get("title") == title), None)

    def _sweep_recorded_snapshots(self) -> int:
        """Delete the snapshots (and their files) that annotate runs on this server asked
        for and had not deleted when they ended (stopped while the server built one:
        :mod:`annotate.studio.snapshot_record`); how many. Once per client; never
        raises. A record whose snapshot is not on the server is dropped once it is older
        than :data:`EXPORT_TIMEOUT_S` (its creation never reached the server), one that
        cannot be read (its project gone, the server down) once older than
        :data:`STALE_SNAPSHOT_S`."""
        if self._swept_snapshots:
            return 0
        self._swept_snapshots = True
        deleted = 0
        for entry in snapshot_record.left(self.conn.url):
            base = f"api/projects/{entry.project_id}/exports"
            try:
                gone = self._end_snapshot_or_raise(
                    base, entry.project_id, entry.title, None, 0.0, known_file=entry.file
                )
            except Exception as exc:  # the server down, the project gone: tried again later
                log.debug("export snapshot %r left by an earlier run: %s", entry.title, exc)
                if time.time() - entry.started > STALE_SNAPSHOT_S:
                    snapshot_record.forget(self.conn.url, entry.title)
                continue
            if gone:
                deleted += 1
            elif time.time() - entry.started <= EXPORT_TIMEOUT_S:
                continue
            snapshot_record.forget(self.conn.url, entry.title)
        if deleted:
            log.info("deleted %d export snapshot(s) an interrupted export left", deleted)
        return deleted

    def _delete_stale_snapshots(self, base: str, project_id: int) -> int:
        """Delete the export snapshots of annotate's on ``project_id`` made more than
        :data:`STALE_SNAPSHOT_S` seconds ago (each holds every answer of the project); how
        many. Snapshots of other titles (a person's export from the UI) stay; a listing or
        a delete that fails is left for the next export."""
        try:
            listed = self._get(f"{base}/", "listing export snapshots") or []
        except StudioError:
            return 0
        now = time.time()
        stale = []
        for snap in listed if isinstance(listed, list) else []:
            if not isinstance(snap, dict) or not SNAPSHOT_TITLE.fullmatch(str(snap.get("title"))):
                continue
            made = _epoch(snap.get("created_at"))
            if made is not None and now - made > STALE_SNAPSHOT_S:
                stale.append(snap)
        deleted = 0
        data_dir = self.conn.data_dir
        for snap in stale:
            pk = int(snap["id"])
            file = None
            if data_dir is not None:
                file = snapshot_files.recorded_file(data_dir, project_id, snap)
            if self._delete_snapshot(base, pk, "deleting a stale export snapshot"):
                deleted += 1
                snapshot_files.delete_file(file)
        if deleted:
            log.info(
                "deleted %d export snapshot(s) an earlier export left on project %d",
                deleted,
                project_id,
            )
        return deleted

    def _delete_snapshot(self, base: str, export_pk: int, action: str) -> bool:
        """Delete export snapshot ``export_pk``; whether it is gone (the server answered
        2xx, or 404: an earlier try deleted it). Never raises: a failure is logged, and the
        snapshot (with its file, which is deleted only with it, so that the next export
        finds the two together: :meth:`_delete_stale_snapshots`) is left."""
        try:
            with self.guard(action):
                resp = self._http.request(f"{base}/{export_pk}", method="DELETE")
        except Exception as exc:
            why = str(exc)
        else:
            if resp.is_success or resp.status_code == 404:
                return True
            why = f"HTTP {resp.status_code}"
        log.warning(
            "%s %d failed (%s): it holds every answer of the project and stays among the "
            "project's exports (Label Studio: the project's Export page; delete it there), and "
            "the project's exports once it is an hour old try again",
            action,
            export_pk,
            why,
        )
        return False

    def _snapshot_tasks(self, base: str, export_pk: int, project_id: int, timeout: float) -> Any:
        """The JSON of export snapshot ``export_pk`` once the server has built it (waited
        for up to ``timeout`` seconds). Raises StudioError: it failed, or was not ready."""
        deadline = time.monotonic() + timeout
        while True:
            status = str(
                self._get(f"{base}/{export_pk}", "waiting for the export snapshot")["status"]
            )
            if status.endswith("completed"):
                break
            if status.endswith("failed"):
                raise StudioError(
                    f"Label Studio failed to build export snapshot {export_pk} of project "
                    f"{project_id}.",
                    fix="see the server log; retry the export.",
                )
            if time.monotonic() > deadline:
                raise StudioError(
                    f"export snapshot {export_pk} not ready after {timeout:.0f} s.",
                    fix="retry later; large projects take minutes.",
                )
            time.sleep(0.5)
        action = "downloading the export snapshot"
        resp = self._send(
            f"{base}/{export_pk}/download",
            method="GET",
            action=action,
            params={"exportType": "JSON"},
        )
        name = snapshot_files.downloaded_name(resp.headers.get("content-disposition"), project_id)
        self._downloaded_files[export_pk] = name
        return self._json(resp, action)

    def _snapshot_file(self, base: str, export_pk: int, project_id: int) -> Path | None:
        """The file of export snapshot ``export_pk`` in the local server's data folder
        (:mod:`annotate.studio.snapshot_files`): the one its download named, else the one
        its record (md5, times) matches; None for a server from the environment, or when
        none is found (never raises)."""
        data_dir = self.conn.data_dir
        name = self._downloaded_files.pop(export_pk, None)
        if data_dir is None:
            return None
        if name is not None:
            return snapshot_files.export_folder(data_dir, project_id) / name
        try:
            record = self._get(f"{base}/{export_pk}", "reading the export snapshot")
        except Exception:
            return None
        if not isinstance(record, dict):
            return None
        return snapshot_files.recorded_file(data_dir, project_id, record)

    def _create_snapshot(self, base: str, title: str, body: dict[str, Any]) -> int:
        """The id of a new export snapshot titled ``title`` (unique to this call). A lost
        answer (a dropped connection, a gateway's 502/503/504, a timeout) is retried
        (:func:`annotate.studio.retry.retry_lost`) after looking for a snapshot of that
        title the lost request made (then it is used, so none is made twice; read a few
        times when the server may still be at it: :func:`annotate.studio.retry.read_back`). Raises
        StudioUnavailableError as the last try did; other errors at once."""
        action = "creating an export snapshot"

        def made() -> list[dict[str, Any]]:
            return [
                e
                for e in self._get(f"{base}/", "listing export snapshots") or []
                if isinstance(e, dict) and e.get("title") == title
            ]

        def send(attempt: int) -> int:
            if attempt > 1 and (found := read_back(made, bool, action)):
                return int(found[0]["id"])
            resp = self._send(
                f"{base}/",
                method="POST",
                action=action,
                json=body,
                request_options={"max_retries": 0},
            )
            return int(self._json(resp, action)["id"])

        return retry_lost(send, action)


def _snapshot_done(record: Any) -> bool:
    """Whether an export snapshot's record says the server is done with it (completed or
    failed: its file, if any, is written)."""
    if not isinstance(record, dict):
        return False
    return str(record.get("status")).endswith(("completed", "failed"))


def _epoch(value: Any) -> float | None:
    """Seconds since the epoch of an ISO time Label Studio gives (``...Z``), or None."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()


# what reading an answer needs of its task (the text its spans are read on, the answers,
# the project): not the predictions, drafts or meta, the bulk of a full task
ANSWER_FIELDS = "id,data,annotations,project"


def _answered_query(filters: Sequence[dict[str, Any]]) -> str:
    """A Data Manager query of the tasks with an answer that match every filter."""
    items = [
        {
            "filter": "filter:tasks:total_annotations",
            "operator": "greater",
            "type": "Number",
            "value": 0,
        },
        *filters,
    ]
    return json.dumps({"filters": {"conjunction": "and", "items": items}})


def after_id_query(query: str | None, after: int | None) -> str:
    """``query`` (a Data Manager query as JSON text, its filters joined by ``and``; None:
    every task) limited to the tasks with an id above ``after`` (None: no limit) and
    ordered by id, ascending: the query of one page of :meth:`StudioClient._task_pages`.
    Raises ValueError for a query whose filters are joined by ``or`` (an id limit cannot
    be added to it)."""
    data: dict[str, Any] = json.loads(query) if query else {}
    filters = dict(data.get("filters") or {"conjunction": "and", "items": []})
    items = list(filters.get("items") or [])
    if items and filters.get("conjunction", "and") != "and":
        raise ValueError("after_id_query: only filters joined by 'and' can be read by id")
    if after is not None:
        items.append(
            {"filter": "filter:tasks:id", "operator": "greater", "type": "Number", "value": after}
        )
    return json.dumps(
        {
            **data,
            "filters": {"conjunction": "and", "items": items},
            "ordering": ["tasks:id"],
        }
    )


def storage_said(client: Any) -> str:
    """The end of a fix about a server's storage or log: for the local server, its data
    folder and its log; for another server (or a client without a connection, as tests
    make for the error mapping), who can mend it."""
    conn = getattr(client, "conn", None)
    data = conn.data_dir if isinstance(conn, Connection) else None
    if data is None:
        return " (for a team server, its admin: annotate cannot reach its files)"
    return f" (the local server's data: {data}; its log: {data.parent / 'server.log'})"


def _body(resp: httpx.Response) -> Any:
    """A response's body as an API error carries it: its JSON, else its text (the first
    4,000 characters)."""
    try:
        return resp.json()
    except ValueError:
        return resp.text[:4000]


def _detail(body: Any) -> str:
    """The server's reason, one line: its message and, for a refused request, which field
    was wrong and why (``validation_errors``: ``{"title": ["Ensure this field has at
    least 3 characters."]}`` -> ``title: Ensure this field ...``)."""
    if isinstance(body, dict):
        parts = [
            body[key] if isinstance(body[key], str) else json.dumps(body[key])
            for key in ("detail", "message", "error")
            if body.get(key)
        ][:1]
        errors = body.get("validation_errors")
        if isinstance(errors, dict):
            parts += [
                f"{field}: {' '.join(map(str, why)) if isinstance(why, list) else why}"
                for field, why in errors.items()
            ]
        elif errors:
            parts.append(json.dumps(errors))
        text = "; ".join(parts) if parts else json.dumps(body)
        return " ".join(text.split())[:400]
    text = " ".join(str(body).split())
    if HTML_PAGE.match(text):
        title = re.search(r"<(title|h1)\b[^>]*>(.*?)</\1>", text, re.IGNORECASE | re.DOTALL)
        said = re.sub(r"<[^>]*>", "", title.group(2)).strip() if title else ""
        page = f" titled {said!r}" if said else ""
        return f"an HTML page{page}, not an API answer"
    return text[:400]


# a body that is an HTML page (a whole one, or a bare fragment such as Django's
# "<h1>Server Error (500)</h1>"), not the API's JSON
HTML_PAGE = re.compile(r"\s*<(!doctype html|html|head|body|title|h[1-6]|p|div)\b", re.IGNORECASE)


# the servers whose version was checked in this process: each is warned about once
_VERSION_CHECKED: set[str] = set()


def connect(conn: Connection | None = None, *, check: bool = True) -> StudioClient:
    """A client for ``$LABEL_STUDIO_URL`` or the local server; checks the token first,
    then the server's version (:func:`check_version`)."""
    client = StudioClient(conn or resolve_connection())
    if check:
        client.whoami()
        check_version(client)
    return client


def check_version(client: StudioClient) -> None:
    """Read the server's version once per process and server; log a warning (the CLI
    shows it) when it is outside the tested range or unreadable
    (:func:`annotate.studio.server_version.check`). Raises nothing of its own."""
    if client.url in _VERSION_CHECKED:
        return
    warning = server_version.check(client.server_version(), client.url)
    _VERSION_CHECKED.add(client.url)
    if warning:
        log.warning("%s", warning)
