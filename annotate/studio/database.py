"""The local Label Studio's database: SQLite in its data dir (the default) or a team's
PostgreSQL given as ``postgresql://user:password@host:port/dbname``.

Label Studio 1.23 picks its database from the environment (read from its source,
``core/settings/base.py`` and ``label_studio.py``): ``DJANGO_DB=default`` selects
PostgreSQL with ``POSTGRE_NAME``, ``POSTGRE_USER``, ``POSTGRE_PASSWORD``, ``POSTGRE_HOST``
and ``POSTGRE_PORT``; ``DJANGO_DB=sqlite`` (its default) the file in its data dir. It
reads each setting as ``LABEL_STUDIO_<NAME>``, ``HEARTEX_<NAME>`` or ``<NAME>``, the
first one set winning, so every spelling is set. Its driver is ``psycopg`` 3, which
``label-studio`` itself requires.

Before the server starts, :func:`probe` connects with that driver (in the server's
venv) so an unreachable server, a wrong password or a missing database is one clear
error, not a server that dies during start-up. A password never appears in a message,
a log line or the server's state file (:meth:`Database.redacted`).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from annotate.errors import InputError, StudioAuthError, StudioError, StudioUnavailableError

SQLITE = "sqlite"
SCHEMES = ("postgresql", "postgres")
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5
_PREFIXES = ("", "LABEL_STUDIO_", "HEARTEX_")
# What the server and the database probe inherit from the caller's environment; everything
# else is dropped (the caller's API keys, cloud credentials, proxies, PYTHONPATH,
# LABEL_STUDIO_* / DJANGO_* settings and the like never reach them). PATH for the programs
# they run, HOME (libpq's ~/.pgpass and ~/.postgresql/) and locale for Python itself.
INHERITED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")
# On PostgreSQL also libpq's own settings (PGSSLMODE, PGSSLROOTCERT, PGCONNECT_TIMEOUT, ...):
# a team database may require TLS. The connection itself is set by ``Database.server_env``.
LIBPQ_PREFIX = "PG"
EXAMPLE = "postgresql://labelstudio:PASSWORD@db.example.org:5432/labelstudio"
# What a password needs (measured, tests/studio/test_database.py and
# tests/integration/test_postgres_password.py): / # ? end the host part early and [ ]
# mark an IPv6 host, so they fail to parse; a % before two hex digits is read as the
# character they encode (%41 -> A); @ and : may be typed as they are (the user part
# ends at the last @, the user at the first :), or encoded (%40, %3A) alike.
_ENCODE = (
    "in the password / # ? [ ] and % must be percent-encoded: %2F %23 %3F %5B %5D %25; "
    "@ and : may stay"
)


@dataclass(frozen=True)
class Database:
    """A PostgreSQL database for Label Studio (``password`` may be empty)."""

    host: str
    port: int
    name: str
    user: str
    password: str
    # read from the setting an earlier `studio start --database` stored, not typed now
    remembered: bool = field(default=False, compare=False)

    def redacted(self) -> str:
        """The URL without its password, safe to print and store."""
        return f"postgresql://{self.user}@{self._netloc_host()}:{self.port}/{self.name}"

    def url(self) -> str:
        """The URL, user, password and database name percent-encoded: :func:`parse` reads
        it back as this Database (the remembered setting is stored so)."""
        user, password, name = (quote(v, safe="") for v in (self.user, self.password, self.name))
        return f"postgresql://{user}:{password}@{self._netloc_host()}:{self.port}/{name}"

    def _netloc_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host  # IPv6 in brackets

    def server_env(self) -> dict[str, str]:
        """Variables that put Label Studio on this database (they override the user's)."""
        values = {
            "DJANGO_DB": "default",
            "POSTGRE_NAME": self.name,
            "POSTGRE_USER": self.user,
            "POSTGRE_PASSWORD": self.password,
            "POSTGRE_HOST": self.host,
            "POSTGRE_PORT": str(self.port),
        }
        return {prefix + k: v for k, v in values.items() for prefix in _PREFIXES}


def caller_env(postgres: bool) -> dict[str, str]:
    """What the local Label Studio and the database probe keep of the caller's environment:
    :data:`INHERITED_ENV`, and libpq's ``PG*`` variables when ``postgres``; PATH is set
    (the default search path) when the caller has none."""
    env = {k: os.environ[k] for k in INHERITED_ENV if k in os.environ}
    env.setdefault("PATH", os.defpath)
    if postgres:
        env.update({k: v for k, v in os.environ.items() if k.startswith(LIBPQ_PREFIX)})
    return env


def sqlite_env() -> dict[str, str]:
    """Variables that keep Label Studio on SQLite whatever the user's environment says."""
    return {prefix + "DJANGO_DB": SQLITE for prefix in _PREFIXES}


def parse(url: str) -> Database | None:
    """``postgresql://user[:password]@host[:port]/dbname`` -> Database; ``sqlite`` -> None.

    User, password and database name may be percent-encoded (``%40`` for ``@``); in the
    password ``/ # ? [ ]`` and ``%`` must be (``%41`` is read as ``A``), ``@`` and ``:``
    may also be typed as they are (the user ends at the first ``:``, so a ``:`` in the
    user must be encoded). Raises InputError for anything else, naming what is wrong
    (never the password).
    """
    text = url.strip()
    if text.lower() == SQLITE:
        return None
    fix = f"pass --database {EXAMPLE} (or `sqlite` for the local file)."
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        # not the ValueError's text: it quotes the "port", which for a password holding
        # / # or ? unencoded is the start of the password (u:pa/ss@h -> port 'pa')
        raise InputError(
            "--database is not a valid URL: what follows the host (or the user) is not a "
            f"port from 1 to 65535, or the host is malformed ({_ENCODE}).",
            fix=fix,
        ) from None
    if parts.scheme.lower() not in SCHEMES:
        shown = parts.scheme or text.split(":", 1)[0][:20]
        raise InputError(
            f"--database must be a postgresql:// URL or `sqlite`, found scheme {shown!r}.",
            fix=fix,
        )
    if "@" in parts.path + parts.query + parts.fragment:
        # u:pa/ss@h/db: the host part ended at the / and the rest holds password and host;
        # nothing of it is quoted (the "host" and the "database" are pieces of the password)
        raise InputError(
            "--database has an @ after the host: a password (or user) holding / # or ? "
            f"ends the host part early ({_ENCODE}).",
            fix=fix,
        )
    where = f"--database {parts.scheme}://{parts.hostname or ''}"
    if not parts.hostname:
        raise InputError(f"{where}... names no host.", fix=fix)
    if not parts.username:
        raise InputError(f"{where}... names no user ({_ENCODE}).", fix=fix)
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise InputError(
            f"{where}... must name one database after the host (…:port/dbname), found "
            f"{parts.path or 'none'!r}.",
            fix=fix,
        )
    if parts.query or parts.fragment:
        raise InputError(
            f"{where}... has options ({parts.query or parts.fragment!r}), which Label Studio "
            "cannot pass on.",
            fix="drop them; libpq variables such as PGSSLMODE in the environment still apply.",
        )
    return Database(
        host=parts.hostname,
        port=port or DEFAULT_PORT,
        name=name,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
    )


# Run by the server venv's Python, so the check uses Label Studio's own driver.
_PROBE = r"""
import json, os, sys
try:
    import psycopg
except ImportError as exc:
    print(json.dumps({"driver": False, "message": str(exc)}))
    raise SystemExit(0)
args = json.loads(sys.argv[1])
try:
    with psycopg.connect(connect_timeout=args["timeout"], **args["conn"]) as conn:
        exists = conn.execute("select to_regclass('htx_user') is not null").fetchone()[0]
        admin = token_ok = None
        if exists:
            rows = conn.execute(
                "select t.key from htx_user u left join authtoken_token t on t.user_id = u.id "
                "where u.email = %s",
                (args["email"],),
            ).fetchall()
            admin = bool(rows)
            if rows and os.environ.get("ANNOTATE_PROBE_TOKEN"):
                token_ok = any(r[0] == os.environ["ANNOTATE_PROBE_TOKEN"] for r in rows)
        found = {"tables": bool(exists), "admin": bool(admin), "token_ok": token_ok}
        print(json.dumps({"ok": True, **found}))
except psycopg.Error as exc:
    state = getattr(exc, "sqlstate", None)
    print(json.dumps({"ok": False, "sqlstate": state, "message": str(exc)}))
"""


@dataclass(frozen=True)
class ProbeResult:
    """What the database held: Label Studio's tables, the preset admin user, and
    whether that user's API token is ``token`` (None: no admin, or no token given)."""

    has_tables: bool
    has_admin: bool
    token_matches: bool | None


def probe(
    db: Database, python: Path, admin_email: str, token: str | None = None
) -> ProbeResult | None:
    """Connect to ``db`` with Label Studio's driver (``python`` is the server venv's)
    and look for Label Studio's admin ``admin_email`` and its API token.

    Returns None when the driver is not installed there (the caller installs it).
    Raises StudioUnavailableError (no server answers: refused, timed out, unknown
    host), StudioAuthError (user or password refused), StudioError (the database does
    not exist, or another refusal), each one line naming the redacted URL.
    """
    args = {
        "timeout": CONNECT_TIMEOUT_S,
        "email": admin_email,
        "conn": {"host": db.host, "port": db.port, "dbname": db.name, "user": db.user},
    }
    proc = subprocess.run(
        [str(python), "-c", _PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        env=probe_env(db, token),
        timeout=CONNECT_TIMEOUT_S * 6,
        check=False,
    )
    try:
        answer = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise StudioError(
            f"could not check the database {db.redacted()}: the check exited with "
            f"{proc.returncode}: {_last_line(proc.stderr)}",
            fix="see the message; is the Label Studio venv complete?",
        ) from None
    if answer.get("driver") is False:
        return None
    if answer.get("ok"):
        return ProbeResult(bool(answer["tables"]), bool(answer["admin"]), answer["token_ok"])
    raise connect_error(db, answer.get("sqlstate"), str(answer.get("message", "")))


def _where(db: Database) -> str:
    """Where the URL the fix names came from: typed now, or the remembered setting."""
    shown = db.redacted()
    if db.remembered:
        return (
            f"the database remembered from an earlier `studio start --database` ({shown}; "
            "pass --database with the corrected URL, or `--database sqlite`)"
        )
    return f"--database {shown}"


def connect_error(db: Database, sqlstate: str | None, message: str) -> StudioError:
    """The one-line error for a refused connection (``message`` as libpq words it); the
    fix names ``--database`` or, for a remembered setting, says it was remembered."""
    where = _where(db)
    reason = _reason(message)
    low = message.lower()
    if (
        sqlstate in ("28P01", "28000")
        or "password authentication failed" in low
        or ("role" in low and "does not exist" in low)
    ):
        return StudioAuthError(
            f"PostgreSQL at {db.host}:{db.port} refused user {db.user!r}: {reason}",
            fix=f"check the user and password in {where} (a % in the password must be "
            "typed %25: the URL reads %41 as A).",
        )
    if "no password supplied" in low and not db.password:
        # libpq's "fe_sendauth: no password supplied": the server asks for one and neither
        # the URL nor PGPASSWORD nor ~/.pgpass gave it (not a pg_hba.conf matter)
        return StudioAuthError(
            f"PostgreSQL at {db.host}:{db.port} asks user {db.user!r} for a password and "
            "none was given: the URL has none, and neither PGPASSWORD nor ~/.pgpass "
            f"supplies one ({reason}).",
            fix=f"pass --database postgresql://{quote(db.user, safe='')}:PASSWORD@"
            f"{db._netloc_host()}:{db.port}/{quote(db.name, safe='')} with the password "
            f"({_ENCODE}), or set PGPASSWORD.",
        )
    if sqlstate == "3D000" or ("database" in low and "does not exist" in low):
        # -O, not -U: the database's owner can create Label Studio's tables in it, and
        # creating it needs a role allowed to (CREATEDB), which the URL's user may lack
        return StudioError(
            f"PostgreSQL at {db.host}:{db.port} has no database {db.name!r}.",
            fix=f"create it, as a role allowed to create databases (`createdb -h {db.host} "
            f"-p {db.port} -O {db.user} {db.name}`, e.g. as postgres on the database "
            f"server), or name an existing one in {where}.",
        )
    unreachable = (
        "connection refused",
        "timeout expired",
        "could not translate host name",
        "no route to host",
        "network is unreachable",
        "name or service not known",
        "could not connect",
    )
    if any(word in low for word in unreachable):
        return StudioUnavailableError(
            f"no PostgreSQL answers at {db.host}:{db.port} ({reason}).",
            fix=f"start the database server, or fix host and port in {where}.",
        )
    return StudioError(
        f"PostgreSQL at {db.host}:{db.port} refused the connection: {reason}",
        fix=f"check {where} and the server's pg_hba.conf.",
    )


def _reason(message: str) -> str:
    """libpq's message without the connection preamble, on one line (its lines joined
    by "; ": "Connection refused; Is the server running on that host ...")."""
    text = "; ".join(" ".join(line.split()) for line in message.splitlines() if line.strip())
    for marker in ("FATAL: ", "failed: "):
        if marker in text:
            text = text.rsplit(marker, 1)[-1]
    return text.strip() or "no reason given"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


def probe_env(db: Database, token: str | None = None) -> dict[str, str]:
    """The probe's whole environment, built like the server's on PostgreSQL
    (:func:`caller_env`): the basics and libpq's ``PG*`` variables of the caller, the
    URL's password (when it has one: without, libpq reads the caller's PGPASSWORD or
    ~/.pgpass, as the server's driver does), the connect timeout and the token to look
    for. Nothing else of the caller's (PYTHONPATH, API keys) reaches the server venv's
    Python."""
    env = caller_env(postgres=True)
    if db.password:
        env["PGPASSWORD"] = db.password
    env["PGCONNECT_TIMEOUT"] = str(CONNECT_TIMEOUT_S)
    if token:
        env["ANNOTATE_PROBE_TOKEN"] = token
    return env
