"""What a password with URL characters does in `studio start --database URL`, against a
real PostgreSQL and Label Studio's own driver (the check `studio start` runs before the
server starts; the server then gets the parsed password as it is, POSTGRE_PASSWORD).

The README said `@ : / # ? %` must be percent-encoded; measured: `@` and `:` work typed
as they are, `/ # ? [ ]` unencoded are refused as not a URL (without echoing it), and a
`%` before two hex digits is decoded, so that password is refused by PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from annotate.errors import InputError, StudioAuthError
from annotate.studio.connection import VENV_ENV, studio_paths
from annotate.studio.database import Database, parse, probe

from .postgres import PostgresServer, find_bindir, postgres_server

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
USER = "team"
# every character the README named, the brackets, a space and a % before hex digits
PASSWORD = "p@ss:w/rd#1?x[y]%41 z"


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server installed (the Debian `postgresql` package)")
    with postgres_server(bindir) as server_:
        subprocess.run(
            [
                str(bindir / "psql"),
                *("-h", "127.0.0.1", "-p", str(server_.port), "-U", server_.user),
                *("-d", server_.database, "-v", "ON_ERROR_STOP=1", "-c"),
                f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'",
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PGPASSWORD": server_.password},
        )
        yield server_


@pytest.fixture(scope="module")
def python() -> Path:
    venv = studio_paths(ROOT / ".annotate" / "studio").venv  # as `annotate studio start`
    found = venv / "bin" / "python"
    if not found.exists():
        pytest.skip(f"no Label Studio venv at {venv} (set {VENV_ENV})")
    return found


def _url(pg: PostgresServer, password: str) -> str:
    return f"postgresql://{USER}:{password}@127.0.0.1:{pg.port}/{pg.database}"


def _probe(db: Database, python: Path) -> object:
    found = probe(db, python, "admin@annotate.local")
    if found is None:
        pytest.skip("psycopg is not installed in the Label Studio venv")
    return found


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(quote(PASSWORD, safe=""), id="all encoded"),
        # @ and : as they are, the rest encoded
        pytest.param(quote(PASSWORD, safe="@:"), id="@ and : unencoded"),
    ],
)
def test_the_password_is_accepted(pg: PostgresServer, python: Path, typed: str) -> None:
    assert "@" in typed or "%40" in typed
    db = parse(_url(pg, typed))
    assert db is not None and db.password == PASSWORD
    _probe(db, python)  # PostgreSQL accepts it: no error


@pytest.mark.parametrize("raw", ["/", "#", "?", "["])
def test_an_unencoded_slash_hash_question_mark_or_bracket_is_refused_as_no_url(
    pg: PostgresServer, raw: str
) -> None:
    typed = quote(PASSWORD, safe="@:" + raw)  # that one character as it is
    with pytest.raises(InputError) as err:
        parse(_url(pg, typed))
    text = str(err.value)
    assert "must be percent-encoded" in text and "%2F %23 %3F %5B %5D %25" in text
    assert not any(piece in text for piece in ("ss:w", "1%3Fx", "%2541"))  # none of it


def test_an_unencoded_percent_before_hex_digits_is_decoded_and_refused(
    pg: PostgresServer, python: Path
) -> None:
    typed = quote(PASSWORD, safe="%")  # %41 as it is: read as A
    db = parse(_url(pg, typed))
    assert db is not None and db.password == PASSWORD.replace("%41", "A")
    with pytest.raises(StudioAuthError) as err:
        _probe(db, python)
    assert "a % in the password must be typed %25: the URL reads %41 as A" in str(err.value)
    assert PASSWORD not in str(err.value)
