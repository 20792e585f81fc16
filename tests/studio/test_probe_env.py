"""The PostgreSQL probe run before the local Label Studio starts gets the same explicit
environment as the server on PostgreSQL: the basics and libpq's ``PG*`` variables of the
caller, nothing else (it used to inherit everything, PYTHONPATH and API keys included)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from annotate.studio import database, server
from annotate.studio.connection import Credentials, studio_paths
from annotate.studio.database import parse, probe

CALLER = {
    "AWS_SECRET_ACCESS_KEY": "caller-secret",
    "HF_TOKEN": "hf_caller",
    "PYTHONPATH": "/somewhere/else",  # would change which psycopg the probe imports
    "DJANGO_SETTINGS_MODULE": "evil.settings",
    "ANNOTATE_PROBE_TOKEN": "caller-token",
    "PGSSLMODE": "require",
    "PGSSLROOTCERT": "/etc/team-ca.pem",
    "PGPASSWORD": "caller-password",
    "LANG": "C.UTF-8",
}
ANSWER = {"ok": True, "tables": True, "admin": True, "token_ok": True}


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    for key, value in CALLER.items():
        monkeypatch.setenv(key, value)
    envs: list[dict[str, str]] = []

    def run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
        envs.append(kw["env"])
        return subprocess.CompletedProcess(cmd, 0, stdout=json.dumps(ANSWER) + "\n", stderr="")

    monkeypatch.setattr(database.subprocess, "run", run)
    return envs


def test_the_probe_gets_the_servers_environment_not_the_callers(
    seen: list[dict[str, str]], tmp_path: Path
) -> None:
    db = parse("postgresql://ls:url-pw@db.example.org:5432/ls")
    assert db is not None
    found = probe(db, tmp_path / "python", "admin@annotate.local", token="t" * 40)
    assert found is not None and found.has_admin
    (env,) = seen
    for key in ("AWS_SECRET_ACCESS_KEY", "HF_TOKEN", "PYTHONPATH", "DJANGO_SETTINGS_MODULE"):
        assert key not in env
    assert env["PGSSLMODE"] == "require" and env["PGSSLROOTCERT"] == "/etc/team-ca.pem"
    assert env["PGPASSWORD"] == "url-pw"  # the URL's password wins over the caller's
    assert env["ANNOTATE_PROBE_TOKEN"] == "t" * 40
    assert env["LANG"] == "C.UTF-8" and env["PATH"]
    # what the server keeps of the caller on this database, and the probe's own three
    on_pg = server.server_env(
        studio_paths(tmp_path), Credentials("admin@annotate.local", "pw", "t" * 40), db
    )
    kept = {k for k in on_pg if k in server.INHERITED_ENV or k.startswith("PG")}
    assert set(env) == kept | {"PGPASSWORD", "PGCONNECT_TIMEOUT", "ANNOTATE_PROBE_TOKEN"}


def test_without_a_password_in_the_url_the_callers_libpq_password_applies(
    seen: list[dict[str, str]], tmp_path: Path
) -> None:
    """As for the server (its driver passes no password then: libpq reads PGPASSWORD)."""
    db = parse("postgresql://ls@db.example.org:5432/ls")
    assert db is not None
    probe(db, tmp_path / "python", "admin@annotate.local")
    (env,) = seen
    assert env["PGPASSWORD"] == "caller-password"
    assert "ANNOTATE_PROBE_TOKEN" not in env  # the caller's is not the one to look for
