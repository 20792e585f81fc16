"""The local server's database setting: URL parsing, the server's environment, the
remembered choice and the one-line errors (fast; the real PostgreSQL path is in
tests/integration/test_postgres.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from annotate.errors import InputError, StudioAuthError, StudioError, StudioUnavailableError
from annotate.studio import server
from annotate.studio.connection import Credentials, StudioPaths
from annotate.studio.database import Database, connect_error, parse

DB = Database(host="db.example.org", port=5433, name="ls", user="team", password="s3cr:t@x")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://team:pw@db.example.org:5433/ls",
            ("db.example.org", 5433, "ls", "team", "pw"),
        ),
        ("postgres://team@db/ls", ("db", 5432, "ls", "team", "")),
        (
            "postgresql://te%40m:p%40ss%3Aw%2Fd@127.0.0.1/my%20db",
            ("127.0.0.1", 5432, "my db", "te@m", "p@ss:w/d"),
        ),
        ("  POSTGRESQL://u:p@[::1]:6000/x  ", ("::1", 6000, "x", "u", "p")),
        # @ and : in a password may be typed as they are: the user part ends at the last
        # @, the user at the first : (what the README says)
        ("postgresql://team:p@ss:w@db/ls", ("db", 5432, "ls", "team", "p@ss:w")),
        ("postgresql://team:p%40ss%3Aw@db/ls", ("db", 5432, "ls", "team", "p@ss:w")),
        ("postgresql://te@m:p@ss@db/ls", ("db", 5432, "ls", "te@m", "p@ss")),
        # a % before two hex digits is read as the character: a % is typed %25
        ("postgresql://u:100%41@db/ls", ("db", 5432, "ls", "u", "100A")),
        ("postgresql://u:100%2541@db/ls", ("db", 5432, "ls", "u", "100%41")),
        ("postgresql://u:p%5Bs%5D%23%3F%2F@db/ls", ("db", 5432, "ls", "u", "p[s]#?/")),
    ],
)
def test_postgres_urls_parse(url: str, expected: tuple[object, ...]) -> None:
    db = parse(url)
    assert db is not None
    assert (db.host, db.port, db.name, db.user, db.password) == expected


@pytest.mark.parametrize("url", ["sqlite", "SQLite ", " sqlite"])
def test_sqlite_means_the_local_file(url: str) -> None:
    assert parse(url) is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://u:p@h/db", "found scheme 'mysql'"),
        ("db.example.org:5432/ls", "postgresql:// URL"),
        ("", "postgresql:// URL"),
        ("postgresql://u:secret@h:70000/db", "not a valid URL"),
        ("postgresql://u:secret@h:port/db", "not a valid URL"),
        ("postgresql://u:secret@/db", "names no host"),
        ("postgresql://h:5432/db", "names no user"),
        ("postgresql://u:secret@h:5432", "must name one database"),
        ("postgresql://u:secret@h:5432/a/b", "must name one database"),
        ("postgresql://u:secret@h/db?sslmode=require", "cannot pass on"),
        # a password with / # or ? unencoded: urlsplit reads its start as the port, and
        # the message quoted it ("Port could not be cast to integer value as 'secret'")
        ("postgresql://u:secret/x@h:5432/db", "must be percent-encoded: %2F"),
        ("postgresql://u:secret#x@h:5432/db", "must be percent-encoded"),
        ("postgresql://u:secret?x@h:5432/db", "must be percent-encoded"),
        ("postgresql://u:secret[x@h:5432/db", "[ ] and % must be percent-encoded: %2F %23"),
        ("postgresql://u:secret]x@h:5432/db", "%5B %5D"),
        # the part after the / # or ? holds the @: nothing of it is quoted (it said
        # "postgresql://x..." with the password's middle as the host, "found
        # '/secret@h:5432/db'" as the database)
        ("postgresql://u:1234#secret@h:5432/db", "has an @ after the host"),
        ("postgresql://u:1234/secret@h:5432/db", "has an @ after the host"),
        ("postgresql://u:secret@x/secret@h:5432/db", "a password (or user) holding / # or ?"),
        ("postgresql://u:secret@x/secret@h", "ends the host part early"),
    ],
)
def test_bad_urls_are_one_line_without_the_password(url: str, says: str) -> None:
    with pytest.raises(InputError) as exc:
        parse(url)
    text = str(exc.value)
    assert says in text and "Fix:" in text and "\n" not in text
    assert "secret" not in text


def test_redacted_and_env_never_mix_up_the_password() -> None:
    assert DB.redacted() == "postgresql://team@db.example.org:5433/ls"
    assert "s3cr" not in DB.redacted()
    env = DB.server_env()
    for prefix in ("", "LABEL_STUDIO_", "HEARTEX_"):  # Label Studio reads all three
        assert env[prefix + "DJANGO_DB"] == "default"
        assert env[prefix + "POSTGRE_PASSWORD"] == "s3cr:t@x"
        assert env[prefix + "POSTGRE_PORT"] == "5433"
        assert env[prefix + "POSTGRE_NAME"] == "ls"


def paths_in(tmp_path: Path) -> StudioPaths:
    return StudioPaths(root=tmp_path / "studio", venv=tmp_path / "venv")


def test_server_env_keeps_offline_settings_and_picks_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_DJANGO_DB", "mysql")  # the user's own setting loses
    creds = Credentials("admin@annotate.local", "pw", "t" * 40)
    on_pg = server.server_env(paths_in(tmp_path), creds, DB)
    on_sqlite = server.server_env(paths_in(tmp_path), creds)
    assert on_pg["LABEL_STUDIO_DJANGO_DB"] == on_pg["DJANGO_DB"] == "default"
    assert on_pg["POSTGRE_HOST"] == "db.example.org"
    assert on_sqlite["LABEL_STUDIO_DJANGO_DB"] == on_sqlite["DJANGO_DB"] == "sqlite"
    assert not any(k.endswith("POSTGRE_PASSWORD") for k in on_sqlite)
    for env in (on_pg, on_sqlite):
        assert env["SENTRY_DSN"] == env["FRONTEND_SENTRY_DSN"] == ""
        assert env["LABEL_STUDIO_USER_TOKEN"] == "t" * 40


def test_the_choice_is_remembered_privately_and_sqlite_forgets_it(tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    assert server.chosen_database(paths) is None
    server.remember_database(paths, DB)
    assert stat.S_IMODE(paths.database.stat().st_mode) == 0o600
    assert server.chosen_database(paths) == DB
    assert server.chosen_database(paths, "sqlite") is None  # given beats remembered
    server.remember_database(paths, None)
    assert not paths.database.exists() and server.chosen_database(paths) is None


def test_a_damaged_setting_is_one_line(tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    paths.root.mkdir(parents=True)
    paths.database.write_text("{not json", encoding="utf-8")
    with pytest.raises(StudioError, match=r"database\.json"):
        server.chosen_database(paths)


PRE = 'connection to server at "db.example.org" (10.0.0.5), port 5433 failed: '


@pytest.mark.parametrize(
    ("sqlstate", "message", "kind", "says"),
    [
        (
            None,
            PRE + 'FATAL:  password authentication failed for user "team"',
            StudioAuthError,
            "refused user 'team'",
        ),
        ("28000", PRE + 'FATAL:  role "team" does not exist', StudioAuthError, "refused user"),
        (None, PRE + 'FATAL:  database "ls" does not exist', StudioError, "has no database 'ls'"),
        (
            None,
            PRE + "Connection refused\n\tIs the server running on that host and accepting "
            "TCP/IP connections?",
            StudioUnavailableError,
            "no PostgreSQL answers",
        ),
        (
            None,
            'could not translate host name "db.example.org" to address: Name or service not known',
            StudioUnavailableError,
            "no PostgreSQL answers",
        ),
        (None, PRE + "timeout expired", StudioUnavailableError, "timeout expired"),
        (
            None,
            PRE + 'FATAL:  no pg_hba.conf entry for host "10.0.0.9"',
            StudioError,
            "pg_hba.conf",
        ),
    ],
)
def test_connection_failures_become_one_line(
    sqlstate: str | None, message: str, kind: type[StudioError], says: str
) -> None:
    err = connect_error(DB, sqlstate, message)
    assert type(err) is kind
    text = str(err)
    assert says in text and "Fix:" in text and "\n" not in text and "s3cr" not in text


def test_libpq_message_lines_stay_apart() -> None:
    """libpq words a refusal on two lines; joined with a bare space they read as one
    sentence without its full stop ("Connection refused Is the server running")."""
    err = connect_error(
        DB,
        None,
        'connection to server at "127.0.0.1", port 27613 failed: Connection refused\n'
        "\tIs the server running on that host and accepting TCP/IP connections?\n",
    )
    assert "Connection refused; Is the server running on that host" in str(err)


def test_a_remembered_database_is_named_as_remembered_in_the_fix(tmp_path: Path) -> None:
    """A server down behind the URL an earlier `studio start --database` stored said "fix
    host and port in --database ...", though the user typed no --database this time."""
    paths = paths_in(tmp_path)
    server.remember_database(paths, DB)
    remembered = server.chosen_database(paths)
    assert remembered is not None and remembered.remembered
    assert not server.chosen_database(paths, DB.url()).remembered
    down = "could not connect to server: Connection refused"
    typed = connect_error(DB, None, PRE + down)
    again = connect_error(remembered, None, PRE + down)
    assert "fix host and port in --database postgresql://" in typed.fix
    assert "remembered from an earlier `studio start --database`" in again.fix
    assert "pass --database with the corrected URL" in again.fix
    assert DB.password not in again.fix


@pytest.mark.parametrize(
    "db",
    [
        Database(host="db", port=5432, name="ls", user="u", password="p/ss#1?[2]%41 @:x"),
        Database(host="db", port=5432, name="my db", user="te:a@m", password="100%"),
        Database(host="::1", port=6000, name="ls", user="u", password="pw"),
    ],
)
def test_a_remembered_url_is_read_back_as_the_database_given(tmp_path: Path, db: Database) -> None:
    """The setting stored the password as typed once decoded: `p%2Fss` was kept as
    `p/ss` and the next `studio start` refused the remembered URL as not a URL (`%2541`
    came back as `A`, an IPv6 host without its brackets): it is stored encoded."""
    paths = paths_in(tmp_path)
    server.remember_database(paths, db)
    assert server.chosen_database(paths) == db
    assert parse(db.url()) == db


def test_a_refused_password_says_how_a_percent_is_typed() -> None:
    err = connect_error(DB, "28P01", 'FATAL:  password authentication failed for user "team"')
    assert "a % in the password must be typed %25: the URL reads %41 as A" in str(err)
    assert "@ : / # ?" not in str(err)  # @ and : need no encoding


def test_a_url_without_a_password_says_the_password_is_missing() -> None:
    """`--database postgresql://ls@host/db` against a server asking for a password said
    "refused the connection: fe_sendauth: no password supplied. Fix: check ... and the
    server's pg_hba.conf" (passA50 P9): the fix is the password, not the server's rules."""
    db = parse("postgresql://labelstudio@127.0.0.1:18749/labelstudio")
    assert db is not None
    failed = 'connection to server at "127.0.0.1", port 18749 failed: '
    message = failed + "fe_sendauth: no password supplied"
    err = connect_error(db, None, message)
    assert type(err) is StudioAuthError
    text = " ".join(str(err).split())
    assert "asks user 'labelstudio' for a password and none was given" in text, text
    assert "neither PGPASSWORD nor ~/.pgpass" in text
    assert "pass --database postgresql://labelstudio:PASSWORD@127.0.0.1:18749/labelstudio" in text
    assert "%2F %23 %3F %5B %5D %25" in text  # how a password's / # ? [ ] % are typed
    assert "pg_hba.conf" not in text and "\n" not in str(err)


def test_a_missing_database_is_created_owned_by_the_urls_user() -> None:
    """The fix said `createdb -U USER NAME`, which needs the URL's user to hold CREATEDB
    (passA50 P9); the README says `createdb -O USER NAME` on the database server."""
    err = connect_error(DB, "3D000", PRE + 'FATAL:  database "ls" does not exist')
    assert f"createdb -h {DB.host} -p {DB.port} -O {DB.user} {DB.name}" in err.fix
    assert "-U" not in err.fix and "allowed to create databases" in err.fix
