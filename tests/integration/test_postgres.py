"""Label Studio on PostgreSQL (issue 11 item 4, issue 12 item 4), against a real server.

The module starts a PostgreSQL server in a temporary directory (see ``postgres.py``),
then one Label Studio on it through the CLI (`annotate studio start --database ...`),
shared by every test here: its first start runs Label Studio's migrations on an empty
database, which takes minutes on two cores. Skipped, with the reason, only where no
PostgreSQL server is installed (``make test`` installs the Debian package with apt).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotate.cli import main
from annotate.corpus.export import export
from annotate.errors import PredictionError, StudioError
from annotate.ingestion import ingest
from annotate.settings import HOME_ENV
from annotate.studio import server
from annotate.studio import tasks as task_rows
from annotate.studio.client import StudioClient
from annotate.studio.connection import (
    KEY_ENV,
    URL_ENV,
    VENV_ENV,
    Connection,
    StudioPaths,
    read_credentials,
    read_state,
    studio_paths,
)
from annotate.studio.database import parse
from annotate.studio.label_config import parse_label_config
from annotate.studio.push import push
from tests.conftest import project_taxonomy

from . import postgres, prestart
from .helpers import PRELABELS, SALT, check_queue_order, choices, tasks_by_passage
from .postgres import PostgresServer, find_bindir, postgres_server
from .recent_filters import check_recent_filters
from .studio_env import with_test_settings

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def run_cli(argv: list[str], home: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the CLI with ``home`` as ANNOTATE_HOME; (exit code, stdout + stderr)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(HOME_ENV, str(home))
        mp.setenv(VENV_ENV, str(studio_venv()))  # never install a second Label Studio
        mp.delenv(URL_ENV, raising=False)
        mp.delenv(KEY_ENV, raising=False)
        with pytest.raises(SystemExit) as exc:
            main(argv)
            raise SystemExit(0)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out + err


def studio_venv() -> Path:
    """The venv `annotate studio start` in the checkout uses (conftest's)."""
    return studio_paths(ROOT / ".annotate" / "studio").venv


@pytest.fixture(scope="module", autouse=True)
def _test_settings() -> Iterator[None]:
    """Every Label Studio this module starts (pg_studio's, the restarts of the tests)
    runs with the tests' settings, as the prestart's (studio_env.py): a user made by one
    start logs in after the next."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(server, "server_env", with_test_settings(server.server_env))
        yield


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    pre = prestart.take("pg")
    if pre is not None:  # started at collection (conftest.py) with pg_studio's server
        try:
            pre.wait(timeout=server.PG_START_TIMEOUT_S + 120)
            made = prestart.read_postgres(pre.info)
            if made is None:
                raise RuntimeError(f"PostgreSQL did not start: {pre.output()}")
            yield made
        finally:
            pre.stop()  # its Label Studio (if still running) and PostgreSQL
        return
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL server installed (initdb not found in /usr/lib/postgresql/*/bin "
            "or on PATH): install the Debian `postgresql` package (`make test` does it)"
        )
    with postgres_server(bindir) as server_:
        yield server_


@pytest.fixture(scope="module")
def pg_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pre = prestart.take("pg")
    return pre.home if pre is not None else tmp_path_factory.mktemp("annotate-home-pg")


@pytest.fixture(scope="module")
def pg_studio(pg: PostgresServer, pg_home: Path) -> Iterator[Connection]:
    """Label Studio on ``pg``, started by `annotate studio start --database URL`."""
    paths = StudioPaths(root=pg_home / "studio", venv=studio_venv())
    pre = prestart.take("pg")
    if pre is not None:  # the same command, run at collection (conftest.py): its exit code
        code: int | str | None = pre.wait(timeout=server.PG_START_TIMEOUT_S + 120)
    else:
        # below Linux's ephemeral range (32768-60999): a port in it can be taken by any
        # outgoing connection (e.g. the server's own to PostgreSQL) between the check and
        # the server's bind ("That port is already in use", seen once in CI)
        port = server.free_port(31000)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(HOME_ENV, str(pg_home))
            mp.setenv(VENV_ENV, str(paths.venv))
            mp.delenv(URL_ENV, raising=False)
            mp.delenv(KEY_ENV, raising=False)
            with pytest.raises(SystemExit) as exc:
                main(["studio", "start", "--database", pg.url(), "--port", str(port)])
                raise SystemExit(0)
        code = exc.value.code
    try:
        output = pre.output() if pre is not None else ""
        assert code in (0, None), f"studio start failed; see {paths.log} {output}"
        creds = read_credentials(paths)
        state = read_state(paths)
        assert creds is not None and state is not None
        if pre is not None:
            prestart.renice(int(state["pid"]))  # type: ignore[arg-type]
        yield Connection(
            url=str(state["url"]),
            api_key=creds.token,
            source="local",
            username=creds.username,
            password=creds.password,
        )
    finally:
        server.stop(paths)


@pytest.fixture()
def pg_client(pg_studio: Connection) -> StudioClient:
    return StudioClient(pg_studio, keep_users=False)  # outlives the commands it checks


@pytest.fixture()
def pg_project(pg_client: StudioClient) -> Iterator[str]:
    name = f"pg-{uuid.uuid4()}"
    yield name
    for project in pg_client.find_projects(name):
        pg_client.delete_project(int(project["id"]))


def process_env(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/environ", "rb") as fh:
        pairs = [item.split(b"=", 1) for item in fh.read().split(b"\0") if b"=" in item]
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def prelabel_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# ---- the server ---------------------------------------------------------------------
def test_the_server_runs_on_postgresql_and_stays_offline(
    pg: PostgresServer, pg_studio: Connection, pg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = StudioPaths(root=pg_home / "studio", venv=studio_venv())
    state = read_state(paths) or {}
    db = parse(pg.url())
    assert db is not None
    assert state["database"] == db.redacted() and pg.password not in json.dumps(state)
    env = process_env(int(state["pid"]))  # type: ignore[arg-type]
    assert env["DJANGO_DB"] == env["LABEL_STUDIO_DJANGO_DB"] == "default"
    assert (env["POSTGRE_HOST"], env["POSTGRE_PORT"]) == ("127.0.0.1", str(pg.port))
    assert (env["POSTGRE_NAME"], env["POSTGRE_USER"]) == (pg.database, pg.user)
    assert env["SENTRY_DSN"] == env["FRONTEND_SENTRY_DSN"] == ""  # still nothing leaves
    assert env["COLLECT_ANALYTICS"] == "false"
    assert not (paths.data / "label_studio.sqlite3").exists()
    # Label Studio's tables and our admin with the preset token are in PostgreSQL
    found = server.check_database(paths, db, pg_studio.api_key)
    assert found.has_tables and found.has_admin and found.token_matches is True
    # the remembered URL file is private (it holds the password)
    assert paths.database.stat().st_mode & 0o077 == 0

    code, out = run_cli(["studio", "status"], pg_home, capsys)
    assert code == 0 and f"on {db.redacted()}" in out and "token accepted" in out
    # asking for SQLite while it runs on PostgreSQL: one line, nothing restarted
    code, out = run_cli(["studio", "start", "--database", "sqlite"], pg_home, capsys)
    assert code == 1 and "already runs" in out and "annotate studio stop" in out
    assert (read_state(paths) or {})["pid"] == state["pid"]


def test_start_with_a_wrong_password_while_it_runs_says_so(
    pg: PostgresServer, pg_studio: Connection, pg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`studio start --database URL` with a wrong password while the server runs on that
    database said "already running", as if the password were right: the URL is checked,
    the refusal is one line saying the server runs on with its own password, and nothing
    changes (the server, the remembered URL)."""
    paths = StudioPaths(root=pg_home / "studio", venv=studio_venv())
    state = read_state(paths) or {}
    remembered = paths.database.read_text()
    wrong = pg.url(password="not-the-password")
    code, out = run_cli(["studio", "start", "--database", wrong], pg_home, capsys)
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert code == 1 and len(errors) == 1 and "already running" not in out, out
    assert "refused user 'annotate'" in errors[0] and "password authentication failed" in out
    assert f"--database was not used: Label Studio at {state['url']} runs on" in errors[0]
    assert "not-the-password" not in out and pg.password not in out
    assert (read_state(paths) or {})["pid"] == state["pid"]
    assert paths.database.read_text() == remembered
    # the right URL: running already, as before
    code, out = run_cli(["studio", "start", "--database", pg.url()], pg_home, capsys)
    assert code == 0 and "already running" in out, out


@pytest.mark.parametrize(
    ("make_url", "expected"),
    [
        (lambda pg: pg.url(password="not-the-password"), "refused user 'annotate'"),
        (lambda pg: pg.url(user="nobody_here"), "refused user 'nobody_here'"),
        (lambda pg: pg.url(db="no_such_db"), "has no database 'no_such_db'"),
        (
            lambda pg: pg.url().replace(f":{pg.password}@", "@"),
            "for a password and none was given",
        ),
        (
            lambda pg: pg.url().replace(f":{pg.port}/", f":{server.free_port(47000)}/"),
            "no PostgreSQL answers at 127.0.0.1:",
        ),
        (lambda pg: "postgresql://127.0.0.1:5432/db", "names no user"),
        (lambda pg: "postgresql://u:p@127.0.0.1:5432", "must name one database"),
        (lambda pg: "postgresql://u:p@127.0.0.1:99999/db", "not a valid URL"),
        (lambda pg: "mysql://u:p@127.0.0.1/db", "found scheme 'mysql'"),
        (lambda pg: pg.url() + "?sslmode=require", "cannot pass on"),
    ],
    ids=[
        "wrong-password",
        "unknown-user",
        "missing-db",
        "no-password",
        "unreachable",
        "no-user",
        "no-db",
        "bad-port",
        "not-postgres",
        "options",
    ],
)
def test_a_bad_database_is_one_line_before_anything_starts(
    pg: PostgresServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_url: Any,
    expected: str,
) -> None:
    url = make_url(pg)
    code, out = run_cli(["studio", "start", "--database", url], tmp_path, capsys)
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert code == 1 and len(errors) == 1 and "Fix:" in errors[0], out
    assert expected in errors[0]
    assert "Traceback" not in out
    assert pg.password not in out and "not-the-password" not in out
    paths = StudioPaths(root=tmp_path / "studio", venv=studio_venv())
    assert not paths.state.exists() and not paths.database.exists()


# ---- push -> review -> export -------------------------------------------------------
def test_push_review_export_on_postgresql(
    pg_client: StudioClient, pg_project: str, tmp_path: Path
) -> None:
    pushed = push(PRELABELS, pg_project, client=pg_client, batch_size=4)
    assert (pushed.created, pushed.failed, pushed.total) == (6, 0, 6)
    again = push(PRELABELS, pg_project, client=pg_client, batch_size=4)
    assert (again.created, again.skipped, again.failed) == (0, 6, 0)
    tasks = tasks_by_passage(pg_client, pushed.project_id)  # asserts: no passage twice
    assert set(tasks) == {r["id"] for r in prelabel_rows()}

    admin = int(pg_client.whoami()["id"])
    reviewed = {}
    for row in prelabel_rows():
        labels = ["none"] if "none" in row["labels"] else row["labels"][:1]
        severity = [choices("severity", ["low"])] if labels != ["none"] else []
        pg_client.sdk.annotations.create(
            id=tasks[row["id"]]["id"],
            result=[choices("category", labels), *severity],
            completed_by=admin,
            lead_time=3.0,
        )
        reviewed[row["id"]] = labels

    out = tmp_path / "corpus"
    result = export(pg_project, out, client=pg_client, salt=SALT)
    assert result.rows == 6 and result.annotations == 6
    rows = [
        json.loads(line)
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    ids = [r["id"] for r in rows]
    assert sorted(ids) == sorted(reviewed)  # every passage exactly once
    for r in rows:
        assert r["labels"] == reviewed[r["id"]]
        assert r["model_version"] == "fixture-model-1"
        original = next(p for p in prelabel_rows() if p["id"] == r["id"])
        assert r["text"] == original["text"]  # emoji and all, unchanged by PostgreSQL


# ---- the queue order on PostgreSQL ------------------------------------------------
def test_the_queue_serves_riskiest_first_on_postgresql_also_where_it_sorts_as_text(
    pg_client: StudioClient, pg_project: str, tmp_path: Path
) -> None:
    """PostgreSQL sorts ``data.priority`` as text where a request carries no column type
    (the next_task action of "Label Tasks As Displayed"); see
    :func:`tests.integration.helpers.check_queue_order`."""
    check_queue_order(pg_client, pg_project, tmp_path)


# ---- characters a PostgreSQL-backed server refuses (issue 12, item 4) --------------
CONTROL = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
OTHER = ["\ud800", "\udfff", "\u2028", "\ufeff", "\u200d", "é", "😡"]


def test_review_status_filters_on_postgresql(pg_client: StudioClient) -> None:
    """The Data Manager filters `review status` reads exposure with (updated since a
    time, passage-id patterns) select the same tasks on PostgreSQL as on SQLite."""
    check_recent_filters(pg_client)


def test_push_validation_flags_every_character_the_server_refuses(
    pg_client: StudioClient, pg_project: str
) -> None:
    """Each character sent straight to the server (no validation): every one it refuses
    is one the push validation flags. NUL must be among them, or this server would not
    be the PostgreSQL-backed one the test is about."""
    tax = project_taxonomy()
    config = tax.render_label_config()
    project = pg_client.sdk.projects.create(title=pg_project, label_config=config)
    template = prelabel_rows()[2]
    task = task_rows.row_to_task(template, tax, parse_label_config(config), where="fixture")
    refused: list[str] = []
    for n, char in enumerate(CONTROL + OTHER):
        data = {**task["data"], "text": f"before{char}after", "passage_id": f"char-{n}"}
        try:
            pg_client.import_tasks(int(project.id), [{"data": data}])  # type: ignore[arg-type]
        except StudioError as exc:  # the server's refusal (an unreachable server raises)
            assert "HTTP 5" in str(exc) or "HTTP 4" in str(exc), exc
            refused.append(char)
        except UnicodeEncodeError:  # a lone surrogate cannot even be sent as UTF-8 JSON
            refused.append(char)
    assert "\x00" in refused
    assert not {"\t", "\n", "é", "😡"} & set(refused)  # the task itself was acceptable
    missed = [f"U+{ord(c):04X}" for c in refused if not task_rows.bad_characters(f"a{c}b")]
    assert missed == [], f"the server refuses {missed} but push validation lets them through"
    # and the validation does not refuse what is harmless
    for char in ["\t", "\n", "\r", *OTHER[2:]]:
        assert task_rows.bad_characters(f"a{char}b") == [], repr(char)


def test_ingest_removes_control_characters_and_the_server_takes_the_rest(
    pg_client: StudioClient, pg_project: str, tmp_path: Path
) -> None:
    doc = tmp_path / "chat.txt"
    doc.write_text(
        "They said\x00 meet at the depot\x01 at nine.\n\n"
        "Bring the\x1b[0m flyers\x7f and the banner.\n",
        encoding="utf-8",
    )
    passages = tmp_path / "passages.jsonl"
    stats = ingest([doc], passages)
    assert stats.control_characters == 4
    rows = [json.loads(line) for line in passages.read_text(encoding="utf-8").splitlines()]
    assert rows and not any(task_rows.bad_characters(r["text"]) for r in rows)
    template = prelabel_rows()[2]  # scores of a harmless passage
    prelabels = [
        {**template, **{k: v for k, v in r.items() if v is not None}, "spans": []} for r in rows
    ]
    pushed = push(write_jsonl(tmp_path / "pre.jsonl", prelabels), pg_project, client=pg_client)
    assert (pushed.created, pushed.failed) == (len(rows), 0)
    tasks = tasks_by_passage(pg_client, pushed.project_id)
    assert {t["data"]["text"] for t in tasks.values()} == {r["text"] for r in rows}


def test_push_validation_refuses_a_nul_before_sending_anything(
    pg_client: StudioClient, pg_project: str, tmp_path: Path
) -> None:
    rows = prelabel_rows()
    rows[3] = {**rows[3], "text": rows[3]["text"].replace(" ", "\x00", 1)}
    with pytest.raises(PredictionError) as exc:
        push(write_jsonl(tmp_path / "pre.jsonl", rows), pg_project, client=pg_client)
    assert f"id {rows[3]['id']!r}" in str(exc.value) and "U+0000" in str(exc.value)
    assert pg_client.find_project(pg_project) is None  # nothing was sent


def test_a_refused_batch_is_split_so_only_the_bad_rows_fail(
    pg_client: StudioClient, pg_project: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows the validation misses (here: validation switched off) and PostgreSQL refuses
    (HTTP 500 for the whole batch) fail alone, each named; the rest of the batch is
    imported, each passage once.

    A bad row's text also travels in its neighbours' tasks as reading context: doc-c-p1
    shows doc-c-p0's text as ``context_before``, so its task is refused too (and named),
    while doc-a-p0 shows a "hidden neighbour" note in place of doc-a-p1 (a threat) and
    is imported."""
    monkeypatch.setattr(task_rows, "bad_characters", lambda text: [])
    rows = prelabel_rows()
    nul = {"doc-a-p1", "doc-c-p0"}
    rows = [
        {**r, "text": r["text"].replace(" ", "\x00", 1), "spans": []} if r["id"] in nul else r
        for r in rows
    ]
    refused = nul | {"doc-c-p1"}
    pushed = push(
        write_jsonl(tmp_path / "pre.jsonl", rows), pg_project, client=pg_client, batch_size=6
    )
    assert (pushed.created, pushed.failed, pushed.total) == (3, 3, 6)
    named = {pid for pid in refused for line in pushed.errors if repr(pid) in line}
    assert named == refused and len(pushed.errors) == 3, pushed.errors
    assert all("HTTP 500" in line for line in pushed.errors)
    tasks = tasks_by_passage(pg_client, pushed.project_id)  # asserts: no passage twice
    assert set(tasks) == {r["id"] for r in rows} - refused
    # once the rows are fixed (ingest would have removed the NUL), a re-run completes
    monkeypatch.undo()
    fixed = write_jsonl(tmp_path / "fixed.jsonl", prelabel_rows())
    again = push(fixed, pg_project, client=pg_client, batch_size=6)
    assert (again.created, again.skipped, again.failed) == (3, 3, 0)
    assert set(tasks_by_passage(pg_client, pushed.project_id)) == {r["id"] for r in rows}


def test_a_push_outlives_a_database_restart(
    pg: PostgresServer,
    pg_client: StudioClient,
    pg_project: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PostgreSQL restarted under a push (stopped as the second batch is sent, back 2 s
    later): Label Studio answers HTTP 500 ("the database system is shutting down", then
    its HTML error page) while its database is away. That is no refused batch, to be
    split row by row and named as failed: the push reads back and sends again, as for a
    lost answer, and ends with every passage once. (It stopped at once, or named every
    row of the batch as refused, before.)"""
    real = StudioClient.import_tasks
    sent: list[int] = []
    restart: list[threading.Timer] = []

    def import_tasks(self: StudioClient, project_id: int, tasks: Any) -> Any:
        sent.append(len(tasks))
        if len(sent) == 2:
            postgres.stop(pg)
            restart.append(threading.Timer(2.0, postgres.start, args=(pg,)))
            restart[0].start()
        return real(self, project_id, tasks)

    monkeypatch.setattr(StudioClient, "import_tasks", import_tasks)
    rows = prelabel_rows()
    try:
        pushed = push(
            write_jsonl(tmp_path / "pre.jsonl", rows), pg_project, client=pg_client, batch_size=2
        )
    finally:
        for timer in restart:
            timer.join()
    assert restart, "the database was not stopped"
    assert len(sent) > 3, sent  # the second batch was sent again
    assert (pushed.created, pushed.failed, pushed.total) == (len(rows), 0, len(rows))
    assert pushed.errors == []
    tasks = tasks_by_passage(pg_client, pushed.project_id)  # asserts: no passage twice
    assert set(tasks) == {r["id"] for r in rows}


# ---- last: the database goes away (stops and restarts the shared server) -----------
def test_a_database_that_goes_away_is_one_line_and_the_server_comes_back(
    pg: PostgresServer,
    pg_studio: Connection,
    pg_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = StudioPaths(root=pg_home / "studio", venv=studio_venv())
    db = parse(pg.url())
    assert db is not None
    postgres.stop(pg)
    try:
        # Label Studio still runs, but /health/ and its API fail without the database
        code, out = run_cli(["studio", "status"], pg_home, capsys)
        assert code == 1 and "answers HTTP 5" in out and f"is {db.redacted()} up?" in out, out
        # `studio start` says so at once, whether the server still runs or not (then
        # before Label Studio starts), naming the database
        for running in (True, False):
            if not running:
                server.stop(paths)
            code, out = run_cli(["studio", "start", "--port", "33100"], pg_home, capsys)
            errors = [line for line in out.splitlines() if line.startswith("error:")]
            assert code == 1 and len(errors) == 1, out
            assert f"no PostgreSQL answers at 127.0.0.1:{pg.port}" in errors[0]
            assert pg.password not in out
            assert paths.state.exists() is running
    finally:
        postgres.start(pg)
    # the remembered database is used again, with the same admin and token
    port = str(server.free_port(31100))
    code, out = run_cli(["studio", "start", "--port", port], pg_home, capsys)
    assert code == 0, out
    assert f"on {db.redacted()}" in out
    code, out = run_cli(["studio", "status"], pg_home, capsys)
    assert code == 0 and "token accepted" in out, out
    assert StudioClient(_reconnected(paths)).whoami()["email"] == pg_studio.username


def _reconnected(paths: StudioPaths) -> Connection:
    creds = read_credentials(paths)
    state = read_state(paths)
    assert creds is not None and state is not None
    return Connection(url=str(state["url"]), api_key=creds.token, source="local")
