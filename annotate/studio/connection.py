"""Where Label Studio is and how to authenticate: a team server from the environment,
else the local one that `annotate studio start` runs under ``$ANNOTATE_HOME/studio``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from annotate._util.urls import masked
from annotate.errors import StudioAuthError, StudioError, StudioUnavailableError
from annotate.settings import (
    HOME_ENV,
    STUDIO_KEY_ENV,
    STUDIO_PORT_ENV,
    STUDIO_URL_ENV,
    STUDIO_VENV_ENV,
    annotate_home,
    user_cache_dir,
)

URL_ENV = STUDIO_URL_ENV
KEY_ENV = STUDIO_KEY_ENV
VENV_ENV = STUDIO_VENV_ENV
PORT_ENV = STUDIO_PORT_ENV

LABEL_STUDIO_VERSION = "1.23.2"
# what `annotate studio start` installs into the server's venv; the shared install's folder
# is keyed by it (:func:`shared_venv`), so a change here is a fresh install, not a reuse
INSTALL_REQUIREMENTS: tuple[str, ...] = (f"label-studio=={LABEL_STUDIO_VERSION}",)
DEFAULT_PORT = 8080
HOST = "127.0.0.1"

START_FIX = f"run `annotate studio start`, or set {URL_ENV} and {KEY_ENV} for a team server."


def unreachable_fix(conn: Connection) -> str:
    """The fix for a server that does not answer: the local one is started; a URL from
    the environment is checked (the user chose it), saying first when it is the local
    server's, stopped or moved to another port since ``annotate studio env`` printed it
    (:func:`annotate.studio.server.local_url_hint`)."""
    if conn.source != "environment":
        return START_FIX
    from annotate.studio.server import local_url_hint

    hint = local_url_hint(conn.url)
    return (
        f"{hint + '; otherwise ' if hint else ''}check {URL_ENV} ({masked(conn.url)}): the scheme "
        "(http or https), host and port of a running Label Studio; or unset "
        f"{URL_ENV} and {KEY_ENV} to use the local server (`annotate studio start`)."
    )


# a scheme mistyped or short of its "://" ("http//host", "http:/host", "https//host",
# "htp://host", "http:host"): the rest is the host, as meant
_SCHEME_TYPO = re.compile(r"(?i)^h+t+p+(?P<s>s?)(?::/{0,3}|/{1,3})(?P<rest>.*)$")
URL_EXAMPLE = "http://127.0.0.1:8080"


def check_url(url: str) -> str:
    """``url`` without a trailing slash; StudioError unless it is an http(s) URL with a
    host (``127.0.0.1:8080`` alone is read by HTTP clients as an unknown scheme) and, when
    it names one, a port from 1 to 65535 (``:186490``, ``:abc`` and ``:8080:1`` made
    the HTTP client, or the hint for a server that does not answer, raise a traceback),
    an IPv6 host in paired brackets. The error says what is wrong and the URL to export
    (a mistyped scheme mended: ``http//host`` -> ``http://host``)."""
    problem = _url_problem(url)
    if problem is None:
        return url.rstrip("/")
    what, meant, note = problem
    raise StudioError(
        f"{URL_ENV} is {_hide_userinfo(url)!r}; {what}",
        fix=f"export {URL_ENV}={_hide_userinfo(meant)}{note}",
    )


def _hide_userinfo(url: str) -> str:
    """:func:`masked` ``url``, also when its user name or password holds a space (which
    :func:`masked`, made for URLs in prose, reads as the URL's end: the password was
    printed in the error on it)."""
    scheme, sep, after = url.partition("://")
    netloc = re.split(r"[/?#]", after, maxsplit=1)[0]
    if sep and "@" in netloc:
        return f"{scheme}://***@{after.partition('@')[2]}"
    return masked(url)


def _url_problem(url: str) -> tuple[str, str, str] | None:
    """What is wrong with ``url`` as a server's URL, the URL to export instead (with a
    placeholder where it cannot be told) and a note on it; None when it will do."""
    hidden = [c for c in url if unicodedata.category(c) == "Cf"]
    if hidden:  # pasted from a chat or a document: the URL looks exactly like the example
        name = (
            "a byte-order mark"
            if hidden[0] == "\ufeff"
            else unicodedata.name(hidden[0], "").lower() or "a format character"
        )
        clean = "".join(c for c in url if unicodedata.category(c) != "Cf")
        return (
            f"it holds U+{ord(hidden[0]):04X} ({name}), an invisible character pasted with "
            f"it: expected only the URL, such as {URL_EXAMPLE}; retype the value.",
            clean if "@" not in clean and _url_problem(clean) is None else _mended(clean),
            "",
        )
    try:
        parts = urlsplit(url)
    except ValueError:  # "Invalid IPv6 URL": a "[" without its "]" or the other way round
        return (
            "its brackets do not pair up: expected an IPv6 host in brackets, then the port, "
            "such as http://[::1]:8080 (or a host such as 127.0.0.1).",
            f"{_scheme(url)}://[ADDRESS]:PORT",
            "",
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            f"expected a URL such as {URL_EXAMPLE} (http:// or https://, then the host).",
            _mended(url),
            "",
        )
    bad = _host_problem(url)
    if bad is not None:
        return bad
    port = _port_text(parts.netloc)
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        found = "out of range" if port.isascii() and port.isdigit() else "not a number"
        host = parts.netloc[: len(parts.netloc) - len(port) - 1]
        return (
            f"its port {port!r} is {found}: expected a port from 1 to 65535 after the host, "
            f"such as {URL_EXAMPLE}.",
            f"{parts.scheme}://{host}:PORT",
            ", PORT being the port Label Studio listens on (`annotate studio status` shows "
            "the local server's URL)",
        )
    from annotate._util.http import httpx

    try:
        httpx.URL(url)
    except httpx.InvalidURL as exc:  # what the HTTP client refuses beyond the above
        return (
            f"the HTTP client refuses it ({exc}): expected a URL such as {URL_EXAMPLE}.",
            f"{parts.scheme}://HOST:PORT",
            "",
        )
    return None


def _host_problem(url: str) -> tuple[str, str, str] | None:
    """:func:`_url_problem`'s for white space in ``url`` (``http://my host:8080``, which
    the URL parser and the HTTP client let through; the environment variable is read
    without the white space around it) or a character no host holds in its host (``<``,
    ``"``, ``%``...: a host is letters, digits, ``-``, ``.`` and ``_``, or an IPv6
    address in brackets); None when there is none. Read from the URL as given: the
    parser drops tabs and line breaks."""
    after = url.partition("://")[2]
    netloc = re.split(r"[/?#]", after, maxsplit=1)[0]
    rest = after[len(netloc) :]  # path, query, fragment
    userinfo, _, host = netloc.rpartition("@")
    if host.startswith("[") and "]" in host:
        host = host[: host.index("]") + 1]  # the port is not the host's
        # an IPv6 zone id (RFC 6874: fe80::1%25eth0) is written with '%': the client takes it
        allowed = "-._[]:%"
    else:
        host, allowed = host.partition(":")[0], "-._[]:"
    space = [c for c in url if c.isspace()]
    if space and not any(c.isspace() for c in host):
        # a space in the path or the user name / password: no host problem, and the fix
        # must keep the path the user needs (percent-encoded, as a browser sends it)
        part = "path" if any(c.isspace() for c in rest) else "user name or password"
        if space[0] == " " and (part == "path" or any(c.isspace() for c in userinfo)):
            scheme, at_host = _scheme(url), netloc.rpartition("@")[2]
            if part == "path":  # the credentials never printed back
                user = "USER:PASSWORD@" if userinfo else ""
                fix = f"{scheme}://{user}{at_host}{rest.replace(' ', '%20')}"
                example = f"{URL_EXAMPLE}/label%20studio"
            else:
                fix, example = f"{scheme}://USER:PASSWORD@{at_host}", "http://ann:p%20ss@HOST:PORT"
            return (
                f"its {part} holds a space: expected it written %20 in a URL, such as {example}.",
                fix,
                "",
            )
    odd = space or [c for c in host if not (c.isalnum() or c in allowed)]
    if not odd:
        return None
    named = "a space" if odd[0] == " " else repr(odd[0])
    where = "its host" if odd[0] in host else "it"
    shown = f" ({masked(host)!r})" if where == "its host" else ""
    return (
        f"{where}{shown} holds {named}: expected a host name (letters, digits, '-', '.'), "
        f"an IP address such as 127.0.0.1 or an IPv6 address in brackets, then the port, "
        f"such as {URL_EXAMPLE}, with no space in it.",
        f"{_scheme(url)}://HOST:PORT",
        ", HOST being the server's name or address",
    )


def _port_text(netloc: str) -> str | None:
    """What follows the host's ":" in ``netloc`` (None: no port; "" for a bare ":")."""
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        host = host.partition("]")[2]
        return host[1:] if host.startswith(":") else None
    _, colon, port = host.partition(":")
    return port if colon and port else None


def _scheme(url: str) -> str:
    return "https" if url.lower().startswith("https") else "http"


def _mended(url: str) -> str:
    """The URL meant by ``url``, which has no http(s) scheme or no host: its mistyped
    scheme mended (``http//host``, ``htp://host`` -> ``http://host``), ``http://`` put
    before a bare host; ``http://HOST:PORT`` where neither gives a URL that will do."""
    typo = _SCHEME_TYPO.match(url)
    if typo is not None:
        meant = f"http{typo['s'].lower()}://{typo['rest'].lstrip('/')}"
    elif "://" not in url and url:
        meant = f"http://{url}"
    else:
        meant = ""
    if meant and meant != url and _url_problem(meant) is None:
        return meant
    return f"{_scheme(url) if typo is not None else 'http'}://HOST:PORT"


@dataclass(frozen=True)
class StudioPaths:
    """Files of the local server: its venv (Label Studio's install, see
    :func:`studio_paths`), and under ``root`` (one work folder's) its data dir,
    credentials, state and logs."""

    root: Path
    venv: Path

    @property
    def shared(self) -> bool:
        """Whether ``venv`` is annotate's own per-user install (:func:`shared_venv`),
        which counts as installed only once its install finished (:attr:`complete`) and
        is made afresh when it did not."""
        return self.venv.resolve() == shared_venv().resolve()

    @property
    def complete(self) -> Path:
        """The file an install writes into the venv as its last step: a venv without it
        is an install that was interrupted (killed, full disk), never used as one."""
        return self.venv / COMPLETE_MARKER

    @property
    def started(self) -> Path:
        """The file annotate writes into the venv as an install's first step (the folder
        made when missing), recording whether annotate made the folder: with it and
        without :attr:`complete`, an install annotate started there did not finish (a
        venv without either is the user's own, taken as it is)."""
        return self.venv / STARTED_MARKER

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def credentials(self) -> Path:
        return self.root / "credentials.json"

    @property
    def state(self) -> Path:
        return self.root / "server.json"

    @property
    def database(self) -> Path:
        """The PostgreSQL URL chosen with ``studio start --database`` (absent: SQLite)."""
        return self.root / "database.json"

    @property
    def last_port(self) -> Path:
        """The port the server last ran on, the first a later start tries (kept by
        ``studio stop``: the team's bookmarks and reviewers' login links name it)."""
        return self.root / "port.json"

    @property
    def stopped_pid(self) -> Path:
        """The process ``studio stop`` last stopped (written before it signals it): a
        ``studio start`` still waiting for that process says it was stopped, not that it
        exited during start-up."""
        return self.root / "stopped.json"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    @property
    def install_log(self) -> Path:
        return self.root / "install.log"

    @property
    def executable(self) -> Path:
        return self.venv / "bin" / "label-studio"


COMPLETE_MARKER = ".annotate-install-complete"
STARTED_MARKER = ".annotate-install-started"


def install_key() -> str:
    """8 hex digits of the SHA-256 of :data:`INSTALL_REQUIREMENTS` (one a line): what
    the shared install holds, in its folder's name."""
    return hashlib.sha256("\n".join(INSTALL_REQUIREMENTS).encode()).hexdigest()[:8]


def shared_venv() -> Path:
    """The user's one install of the pinned Label Studio, shared by every work folder:
    ``$XDG_CACHE_HOME/annotate/label-studio-<version>-<key>`` (``~/.cache/annotate/...``,
    ``key``: :func:`install_key`), about 1 GB; another pinned version, or another set of
    requirements installed with it, gets a folder of its own (reader59 #2)."""
    return user_cache_dir() / f"label-studio-{LABEL_STUDIO_VERSION}-{install_key()}"


def holds_pinned(venv: Path) -> bool:
    """Whether ``venv`` has the ``label-studio`` program and the pinned release
    (:data:`LABEL_STUDIO_VERSION`) installed: a work folder's own venv from an earlier
    annotate, used rather than installing again."""
    if not (venv / "bin" / "label-studio").is_file():
        return False
    wanted = f"label_studio-{LABEL_STUDIO_VERSION}.dist-info"
    return any(venv.glob(f"lib/python*/site-packages/{wanted}"))


def studio_paths(root: Path | None = None) -> StudioPaths:
    """Paths under ``root`` (default ``$ANNOTATE_HOME/studio``), data per work folder.

    The venv: ``$ANNOTATE_STUDIO_VENV`` when set; else the work folder's own
    ``venv`` when an earlier annotate installed the pinned Label Studio there
    (:func:`holds_pinned`); else the user's shared install (:func:`shared_venv`).
    """
    base = root if root is not None else annotate_home() / "studio"
    venv_env = os.environ.get(VENV_ENV)
    if venv_env:
        venv = Path(venv_env).expanduser().resolve()
    elif holds_pinned(base / "venv"):
        venv = base / "venv"
    else:
        venv = shared_venv()
    return StudioPaths(root=base, venv=venv)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    token: str


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: str
    source: str  # "environment" or "local"
    username: str | None = None
    password: str | None = None
    # the local server's data folder: also set for a $LABEL_STUDIO_URL/$LABEL_STUDIO_API_KEY
    # that name it as `annotate studio env` printed them (:func:`local_data_dir`); None: a
    # server from the environment, whose files annotate cannot reach
    data_dir: Path | None = None


def read_credentials(paths: StudioPaths) -> Credentials | None:
    """The local server's admin login and token (None: no ``credentials.json`` yet).

    Raises StudioError when the file is there but is no credentials record (empty, cut
    short, edited): a JSONDecodeError traceback before (faults59 #3). The file is left:
    its token is the one Label Studio's admin holds."""
    if not paths.credentials.is_file():
        return None
    try:
        data = json.loads(paths.credentials.read_text(encoding="utf-8"))
        return Credentials(data["username"], data["password"], data["token"])
    except (ValueError, KeyError, TypeError, OSError) as exc:
        why = "it is empty" if not paths.credentials.stat().st_size else f"{exc!s:.80}"
        raise StudioError(
            f"{paths.credentials} is not a credentials record ({why}); it held the admin "
            f"login and API token of the local Label Studio (data in {paths.data}).",
            fix=f"restore it from a backup; or, if nothing in {paths.data} is needed (a first "
            f"start), run `annotate studio stop`, delete {paths.credentials} and {paths.data}, "
            "and start again.",
        ) from None


def read_state(paths: StudioPaths) -> dict[str, object] | None:
    if not paths.state.is_file():
        return None
    try:
        return json.loads(paths.state.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def resolve_connection(paths: StudioPaths | None = None) -> Connection:
    """``$LABEL_STUDIO_URL``/``$LABEL_STUDIO_API_KEY`` when set, else the local server.

    Raises StudioAuthError when only one of the two is set, StudioError when the URL is
    not an http(s) URL, StudioUnavailableError when neither is set and no local server
    was started.
    """
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        key = os.environ.get(KEY_ENV, "").strip()
        if not key:
            raise StudioAuthError(
                f"{URL_ENV} is set ({masked(url)}) but {KEY_ENV} is empty.",
                fix=f"export {KEY_ENV}=<your token from Account & Settings in Label Studio>.",
            )
        url = check_url(url)
        return Connection(
            url=url, api_key=key, source="environment", data_dir=local_data_dir(url, key, paths)
        )
    if os.environ.get(KEY_ENV, "").strip():
        raise StudioAuthError(
            f"{KEY_ENV} is set but {URL_ENV} is not: the key would be ignored and the local "
            "server used instead.",
            fix=f"export {URL_ENV}=<the server the key belongs to>, or unset {KEY_ENV} to use "
            "the local server.",
        )
    return local_connection(paths)


def local_data_dir(url: str, key: str, paths: StudioPaths | None = None) -> Path | None:
    """The local server's data folder when ``url`` and ``key`` (``$LABEL_STUDIO_URL``,
    ``$LABEL_STUDIO_API_KEY``) are what ``eval "$(annotate studio env)"`` set for it: its
    root URL on 127.0.0.1/localhost at the port its recorded state says it runs on
    (:func:`annotate.studio.server.names_local_server`), and its own token. Then annotate
    reaches its files as without the variables (the export snapshots' copies it deletes
    from ``media/export``). None for any other server, another token (perhaps another
    server that took the port), or a local server that is stopped or unreadable."""
    paths = paths or studio_paths()
    try:
        creds = read_credentials(paths)
        state = read_state(paths)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if creds is None or state is None or key != creds.token:
        return None
    running = state.get("url")
    if not isinstance(running, str):
        return None
    from annotate.studio.server import names_local_server

    return paths.data if names_local_server(url, paths, running) else None


def local_connection(paths: StudioPaths | None = None) -> Connection:
    """The local server's URL and token, whatever ``$LABEL_STUDIO_URL`` says.

    Raises StudioUnavailableError when it was stopped or never started under ``paths``.
    """
    paths = paths or studio_paths()
    creds = read_credentials(paths)
    state = read_state(paths)
    if creds is not None and state is None:  # `annotate studio stop`, or a reboot
        # `studio env` asks for it with $LABEL_STUDIO_URL naming it (an earlier env's)
        url_said = "names it" if os.environ.get(URL_ENV, "").strip() else "is not set"
        raise StudioUnavailableError(
            f"the local Label Studio under {paths.root} is not running ({URL_ENV} {url_said}).",
            fix="run `annotate studio start` (its projects and logins are kept in "
            f"{paths.data}), or set {URL_ENV} and {KEY_ENV} for a team server.",
        )
    if creds is None or state is None:
        raise StudioUnavailableError(
            f"no Label Studio configured: {URL_ENV} is not set and no local server was "
            f"started under {paths.root}.",
            fix="run this from the folder where you ran `annotate studio start` (or below it), "
            f"or set {HOME_ENV} to that folder's .annotate; to start a new, empty server "
            f"here: {START_FIX}",
        )
    return Connection(
        url=str(state["url"]),
        api_key=creds.token,
        source="local",
        username=creds.username,
        password=creds.password,
        data_dir=paths.data,
    )
