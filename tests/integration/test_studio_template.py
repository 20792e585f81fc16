"""The integration tests' Label Studio servers start from a copy of one migrated database
(studio_template.py): the session's server ran no migrations of its own, its database is
its own copy of a template that holds the schema and no account, and it works (a push, an
answer, an export)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection, studio_paths
from annotate.studio.push import push

from . import studio_template
from .helpers import PRELABELS, SALT, answer_of, answer_result, tasks_by_passage

pytestmark = pytest.mark.integration


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


def test_the_session_server_starts_from_a_copy_of_the_migrated_template(
    studio: Connection,
    client: StudioClient,
    project_name: str,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if os.environ.get("ANNOTATE_TEST_STUDIO_HOME"):
        pytest.skip("a reused server (ANNOTATE_TEST_STUDIO_HOME) was not started by the tests")
    paths = studio_paths()
    own = paths.data / studio_template.DATABASE
    # the template, made for this run: the schema, no account, organization or token
    template = studio_template.template(studio_template.template_root(tmp_path_factory), paths.venv)
    assert template.is_file() and template.stat().st_ino != own.stat().st_ino
    for table in ("htx_user", "organization", "authtoken_token"):
        assert rows(template, f"SELECT count(*) FROM {table}") == [(0,)], table
    migrations = "SELECT app, name FROM django_migrations ORDER BY app, name"
    applied = rows(template, migrations)
    assert len(applied) > 100
    # the server ran none of its own (Label Studio says so when it migrates), and found
    # every one the template has applied; its admin (with this run's token) is its own
    log = paths.log.read_text(encoding="utf-8", errors="replace")
    assert studio_template.MIGRATING not in log, log[-2000:]
    assert rows(own, migrations) == applied
    assert rows(own, "SELECT email FROM htx_user ORDER BY id LIMIT 1") == [(studio.username,)]
    assert client.whoami()["email"] == studio.username

    pushed = push(PRELABELS, project_name, client=client)
    assert (pushed.created, pushed.failed) == (6, 0)
    admin = int(client.whoami()["id"])
    for task in tasks_by_passage(client, pushed.project_id).values():
        answer_of(client, int(task["id"]), admin, answer_result(["none"], "none"))
    result = export(project_name, tmp_path / "out", client=client, salt=SALT)
    assert result.rows == 6, result
    # the server's writes went to its own copy, not to the template
    assert rows(template, "SELECT count(*) FROM project") == [(0,)]
    assert rows(own, "SELECT count(*) FROM project") >= [(1,)]
