"""`studio start --database URL` while the server runs on that database with another
password: the branch where PostgreSQL accepts the new password too (a rotated password),
which the real-server test (tests/integration/test_postgres.py, wrong password) cannot
reach without changing the running server's role. The server and the database probe are
stand-ins here; the wrong-password branch runs against a real PostgreSQL there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import StudioError
from annotate.studio import server
from annotate.studio.connection import studio_paths
from annotate.studio.database import ProbeResult, parse

URL = "postgresql://ls:{pw}@db.example.org:5432/labelstudio"


@pytest.fixture()
def running(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """A server that runs on URL with password "old" (remembered, as a start leaves it);
    the passwords the probe was asked about."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    paths = studio_paths()
    server.remember_database(paths, parse(URL.format(pw="old-s3cret")))
    paths.state.write_text(
        json.dumps(
            {
                "pid": 1,
                "url": "http://127.0.0.1:18140",
                "database": parse(URL.format(pw="x")).redacted(),
            }
        )  # type: ignore[union-attr]
    )
    up = server.ServerStatus("http://127.0.0.1:18140", 1, True, True, True, paths)
    monkeypatch.setattr(server, "status", lambda p=None: up)
    asked: list[str] = []

    def probe(paths: object, db: object, token: object = None) -> ProbeResult:
        asked.append(db.password)  # type: ignore[attr-defined]
        return ProbeResult(True, True, None)

    monkeypatch.setattr(server, "check_database", probe)
    return asked


def test_a_new_password_the_database_accepts_is_not_taken_for_the_running_ones(
    running: list[str],
) -> None:
    with pytest.raises(StudioError) as err:
        server.start(database=URL.format(pw="new-s3cret"))
    assert "with the password it was started with, not the one --database gives" in str(err.value)
    assert "annotate studio stop" in str(err.value) and "s3cret" not in str(err.value)
    assert running == ["new-s3cret"]


def test_the_password_it_runs_with_is_already_running_without_a_probe(
    running: list[str],
) -> None:
    assert server.start(database=URL.format(pw="old-s3cret")).running
    assert running == []  # nothing to check: it is the remembered URL
