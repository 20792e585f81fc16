"""`annotate studio start --database` that moves a folder's server to another database
warns that the projects of the one it ran on stay there (newuser60 F14: a folder moved
from SQLite to PostgreSQL found its review set gone, "'Old SQLite' is neither a review set
nor a project", and no line had said annotate copies nothing between databases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.cli import main
from annotate.studio import server
from annotate.studio.connection import VENV_ENV, studio_paths

PG = "postgresql://ls:secret@db.example.org:5432/labelstudio"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY", VENV_ENV):
        monkeypatch.delenv(name, raising=False)
    paths = studio_paths()
    down = server.ServerStatus(None, None, False, False, False, paths)
    up = server.ServerStatus("http://127.0.0.1:18931", 42, True, True, True, paths)
    monkeypatch.setattr(server, "is_installed", lambda p: True)
    monkeypatch.setattr(server, "status", lambda p=None: down)

    def start(p: object = None, **kw: object) -> server.ServerStatus:
        kw["on_launch"]()  # type: ignore[operator]
        server.remember_database(paths, server.chosen_database(paths, kw.get("database")))  # type: ignore[arg-type]
        return up

    monkeypatch.setattr(server, "start", start)


def _start(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(["studio", "start", *args])
        raise SystemExit(0)
    assert exc.value.code == 0
    return " ".join(capsys.readouterr().err.split())


def test_moving_from_sqlite_to_postgresql_says_the_projects_stay(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = studio_paths()
    paths.data.mkdir(parents=True)
    (paths.data / "label_studio.sqlite3").write_bytes(b"SQLite format 3\x00")
    said = _start(["--database", PG], capsys)
    assert "warning: this folder's Label Studio ran on the SQLite database" in said, said
    assert "are not copied to postgresql://ls@db.example.org:5432/labelstudio" in said, said
    assert "secret" not in said and "--database sqlite" in said
    # a later start on the same database (remembered, or given again) says nothing
    assert "warning" not in _start([], capsys)
    assert "warning" not in _start(["--database", PG], capsys)
    # and back to SQLite: the PostgreSQL projects stay there
    said = _start(["--database", "sqlite"], capsys)
    assert "ran on postgresql://ls@db.example.org:5432/labelstudio" in said, said


def test_a_first_start_on_postgresql_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert "warning" not in _start(["--database", PG], capsys)
