"""URL/token resolution, `studio env`, error mapping and export rows, without a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.corpus.export import _check_target
from annotate.corpus.resolve import pseudonym
from annotate.corpus.rows import task_to_row
from annotate.errors import ExportError, StudioAuthError, StudioError, StudioUnavailableError
from annotate.studio import server
from annotate.studio.client import StudioClient
from annotate.studio.connection import LABEL_STUDIO_VERSION as VERSION
from annotate.studio.connection import Connection, install_key, resolve_connection, studio_paths
from tests.conftest import project_taxonomy

KEY = install_key()

TAX = project_taxonomy()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    monkeypatch.delenv("ANNOTATE_STUDIO_VENV", raising=False)
    return tmp_path / "home"


def fake_local_server(home: Path, url: str = "http://127.0.0.1:18123") -> None:
    root = home / "studio"
    root.mkdir(parents=True)
    (root / "credentials.json").write_text(
        json.dumps({"username": "admin@x", "password": "pw", "token": "a" * 40})
    )
    (root / "server.json").write_text(json.dumps({"pid": 0, "port": 18123, "url": url}))


def test_paths_follow_annotate_home(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(isolated.parent / "cache"))
    paths = studio_paths()
    assert paths.root == isolated.resolve() / "studio" and paths.data == paths.root / "data"
    assert paths.venv == isolated.parent / "cache" / "annotate" / f"label-studio-{VERSION}-{KEY}"
    monkeypatch.setenv("ANNOTATE_STUDIO_VENV", "/opt/ls-venv")
    assert studio_paths().venv == Path("/opt/ls-venv")


def test_environment_wins_over_the_local_server(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_local_server(isolated)
    monkeypatch.setenv("LABEL_STUDIO_URL", "https://ls.example.org/")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "team-token")
    conn = resolve_connection()
    assert (conn.url, conn.api_key, conn.source) == (
        "https://ls.example.org",
        "team-token",
        "environment",
    )


def test_url_without_key_is_an_auth_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", "https://ls.example.org")
    with pytest.raises(StudioAuthError, match="LABEL_STUDIO_API_KEY is empty"):
        resolve_connection()


def test_local_server_is_used_when_nothing_is_set(isolated: Path) -> None:
    with pytest.raises(StudioUnavailableError, match="annotate studio start"):
        resolve_connection()
    fake_local_server(isolated)
    conn = resolve_connection()
    assert (conn.url, conn.api_key, conn.source) == ("http://127.0.0.1:18123", "a" * 40, "local")


def test_no_local_server_here_says_where_the_server_belongs(isolated: Path) -> None:
    """A lead who ran a command from another folder was told only to `annotate studio
    start`, which starts a second, empty server there; the fix names the folder rule."""
    with pytest.raises(StudioUnavailableError) as exc:
        resolve_connection()
    assert "ANNOTATE_HOME" in str(exc.value) and "where you ran `annotate studio start`" in str(
        exc.value
    )
    assert "new, empty server" in str(exc.value)


def test_a_stopped_local_server_is_named_as_stopped_not_as_never_started(isolated: Path) -> None:
    """After `annotate studio stop`, push said 'no local server was started under ...'."""
    fake_local_server(isolated)
    (isolated / "studio" / "server.json").unlink()  # what `studio stop` leaves
    with pytest.raises(StudioUnavailableError) as exc:
        resolve_connection()
    assert "is not running" in str(exc.value) and "was started" not in str(exc.value)
    assert "annotate studio start" in str(exc.value) and "are kept in" in str(exc.value)


def test_studio_env_prints_eval_lines(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake_local_server(isolated)
    with pytest.raises(SystemExit) as exc:
        main(["studio", "env"])
        raise SystemExit(0)
    assert exc.value.code == 0
    assert capsys.readouterr().out.splitlines() == [
        "export LABEL_STUDIO_URL=http://127.0.0.1:18123",
        f"export LABEL_STUDIO_API_KEY={'a' * 40}",
        f"export ANNOTATE_HOME={isolated}",
    ]


def test_studio_env_keeps_commands_run_from_another_folder_on_the_servers_salt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`annotate studio start && eval "$(annotate studio env)"` in the project, then `cd
    data && annotate push ... -k 2`: the push made a pseudonym salt of its own in
    data/.annotate, and back in the project `review reassign`, `review status` and
    export refused the review set ("pushed with another salt")."""
    import shlex

    from annotate.corpus.salt import reviewer_salt

    project, data = tmp_path / "project", tmp_path / "data"
    fake_local_server(project / ".annotate")
    data.mkdir()
    monkeypatch.delenv("ANNOTATE_HOME")
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    monkeypatch.chdir(project)
    salt = reviewer_salt()
    with pytest.raises(SystemExit) as exc:
        main(["studio", "env"])
        raise SystemExit(0)
    assert exc.value.code == 0
    for line in capsys.readouterr().out.splitlines():  # what `eval` does with them
        name, value = line.removeprefix("export ").split("=", 1)
        monkeypatch.setenv(name, shlex.split(value)[0])
    monkeypatch.chdir(data)
    assert reviewer_salt() == salt
    assert not (data / ".annotate").exists()


def test_status_of_a_stopped_server(isolated: Path) -> None:
    fake_local_server(isolated, url=f"http://127.0.0.1:{server.free_port(43000)}")
    st = server.status()
    assert not st.running and not st.answers and not st.authenticated


def test_a_closed_port_is_unavailable_not_a_traceback() -> None:
    port = server.free_port(42000)
    client = StudioClient(Connection(f"http://127.0.0.1:{port}", "x" * 40, "environment"))
    with pytest.raises(StudioUnavailableError, match="does not answer") as exc:
        client.whoami()
    assert "annotate studio start" in str(exc.value)


def test_credentials_are_kept_and_refused_for_an_unknown_database(isolated: Path) -> None:
    paths = studio_paths()
    first = server.ensure_credentials(paths)
    assert server.ensure_credentials(paths) == first and len(first.token) == 40
    assert oct(paths.credentials.stat().st_mode)[-3:] == "600"
    paths.credentials.unlink()
    paths.data.mkdir(parents=True)
    (paths.data / "label_studio.sqlite3").write_bytes(b"")
    with pytest.raises(Exception, match="token is unknown"):
        server.ensure_credentials(paths)


def test_export_refuses_to_replace_a_directory_that_is_not_an_export(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not a previous export"):
        _check_target(tmp_path / "mine", "p")
    _check_target(tmp_path / "new", "p")  # absent: fine
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    _check_target(tmp_path / "old", "p")  # a previous export: replaced


def test_export_refuses_to_replace_the_export_of_another_project(tmp_path: Path) -> None:
    """`export --project 'annotate demo' --out team/`, where team/ held the team project's
    export, replaced that corpus with the other project's."""
    import json

    (tmp_path / "team").mkdir()
    manifest = {"project": {"title": "demo · team", "id": 2}}
    (tmp_path / "team" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ExportError, match="holds the export of project 'demo · team'") as err:
        _check_target(tmp_path / "team", "annotate demo")
    assert "another --out for 'annotate demo'" in (err.value.fix or "")
    _check_target(tmp_path / "team", "demo · team")  # the same project's: replaced


def snapshot_task() -> dict:
    text = "We will come 🔥 for you, said the post."
    start = len(text[: text.index("for you")].encode("utf-16-le")) // 2
    span_value = {"start": start, "end": start + 7, "text": "for you", "labels": ["threat"]}
    return {
        "id": 17,
        "data": {
            "text": text,
            "passage_id": "p-1",
            "doc_id": "d-1",
            "passage_index": 0,
            "start": 0,
            "end": len(text),
            "title": "T",
            "source": "s",
            "date": "2026-01-01",
            "model_version": "m1",
            "model_labels": ["violent_threat"],
            "model_scores": dict.fromkeys(TAX.category_names, 0.1),
        },
        "predictions": [
            {
                "model_version": "m1",
                "result": [
                    {
                        "from_name": "category",
                        "to_name": "passage",
                        "type": "choices",
                        "value": {"choices": ["violent_threat"]},
                    },
                ],
            }
        ],
        "annotations": [
            {
                "id": 1,
                "completed_by": 5,
                "was_cancelled": False,
                "lead_time": 3.0,
                "created_at": "2026-01-02T00:00:00Z",
                "updated_at": "2026-01-02T00:00:01Z",
                "result": [
                    {
                        "from_name": "category",
                        "to_name": "passage",
                        "type": "choices",
                        "value": {"choices": ["violent_threat"]},
                    },
                    {
                        "from_name": "evidence",
                        "to_name": "passage",
                        "type": "labels",
                        "value": span_value,
                    },
                ],
            },
            {"id": 2, "completed_by": 6, "was_cancelled": True, "result": []},
            # an older annotation by the same reviewer is superseded by the newer one
            {
                "id": 3,
                "completed_by": 5,
                "was_cancelled": False,
                "lead_time": 1.0,
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
                "result": [
                    {
                        "from_name": "category",
                        "to_name": "passage",
                        "type": "choices",
                        "value": {"choices": ["none"]},
                    }
                ],
            },
        ],
    }


def test_task_to_row_converts_utf16_spans_back_and_resolves() -> None:
    row = task_to_row(snapshot_task(), TAX, salt="s")
    text = row["text"]
    cp = text.index("for you")
    assert row["spans"] == [{"start": cp, "end": cp + 7, "label": "threat", "text": "for you"}]
    assert row["n_reviewers"] == 1 and row["annotations"][0]["reviewer"] == pseudonym(5, "s")
    assert row["labels"] == ["violent_threat"] and not row["label_tie"]
    assert not row["model_agreed"]  # same category, but a span the model did not mark
    assert row["ls_task_id"] == 17 and row["id"] == "p-1" and row["model_version"] == "m1"


def test_task_to_row_rejects_labels_outside_the_taxonomy() -> None:
    task = snapshot_task()
    task["annotations"][0]["result"][0]["value"]["choices"] = ["made_up"]
    with pytest.raises(ExportError, match=r"'made_up' is not in labels\.yaml"):
        task_to_row(task, TAX, salt="s")


@pytest.mark.parametrize(
    ("url", "fix"),
    [
        ("127.0.0.1:8080", "export LABEL_STUDIO_URL=http://127.0.0.1:8080"),
        ("localhost", "export LABEL_STUDIO_URL=http://localhost"),
        ("htp://ls.example.org", "export LABEL_STUDIO_URL=http://ls.example.org"),
        ("http://", "export LABEL_STUDIO_URL=http://HOST:PORT"),
        ("https://", "export LABEL_STUDIO_URL=https://HOST:PORT"),
        # a mistyped scheme is mended, not doubled (new-user faults49 F3: the fix offered
        # was http://http//127.0.0.1:18649, itself refused)
        ("http//127.0.0.1:18649", "export LABEL_STUDIO_URL=http://127.0.0.1:18649"),
        ("http:/127.0.0.1:18649", "export LABEL_STUDIO_URL=http://127.0.0.1:18649"),
        ("https//studio.example.org", "export LABEL_STUDIO_URL=https://studio.example.org"),
        ("http:///studio.example.org/", "export LABEL_STUDIO_URL=http://studio.example.org/"),
        ("HTTP//studio.example.org", "export LABEL_STUDIO_URL=http://studio.example.org"),
    ],
)
def test_a_url_without_http_scheme_is_one_line_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, url: str, fix: str
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "team-token")
    with pytest.raises(StudioError, match="expected a URL such as http://") as exc:
        resolve_connection()
    assert exc.value.fix == fix


@pytest.mark.parametrize(
    ("url", "found", "fix"),
    [
        # a port one digit too long, a letter, a second colon, as pasted (new-user
        # faults49 F2: each raised httpx.InvalidURL or ValueError with a traceback)
        ("http://127.0.0.1:186490", "port '186490' is out of range", "http://127.0.0.1:PORT"),
        ("http://127.0.0.1:abc", "port 'abc' is not a number", "http://127.0.0.1:PORT"),
        ("http://127.0.0.1:18649:1", "port '18649:1' is not a number", "http://127.0.0.1:PORT"),
        ("https://[::1]:0", "port '0' is out of range", "https://[::1]:PORT"),
        ("http://[::1", "brackets do not pair up", "http://[ADDRESS]:PORT"),
        ("http://::1]:8080", "brackets do not pair up", "http://[ADDRESS]:PORT"),
        ("http://[::1]x:8080", "the HTTP client refuses it", "http://HOST:PORT"),
        # a space or a character no host holds passed the check (new-user pass, s51):
        # the client then failed on a name lookup of "my host", far from the cause
        ("http://my host:8080", "its host ('my host') holds a space", "http://HOST:PORT"),
        ("http://studio.example.org :8080", "holds a space", "http://HOST:PORT"),
        ("http://ho<st:8080", "its host ('ho<st') holds '<'", "http://HOST:PORT"),
        ("http://my\thost:8080", "holds '\\t'", "http://HOST:PORT"),
        # break5 B7: a space in the path was blamed on the host, and the fix dropped the
        # path; in the password, the same (and the fix never prints the credentials)
        (
            "http://localhost:8080/label studio",
            "its path holds a space: expected it written %20",
            "http://localhost:8080/label%20studio",
        ),
        (
            "http://ann:pa ss@localhost:8080",
            "its user name or password holds a space",
            "http://***@localhost:8080",
        ),
        # invisible characters pasted with the URL, named by code point
        ("\ufeffhttp://localhost:8080", "U+FEFF (a byte-order mark)", "http://localhost:8080"),
        ("http://localhost:8080/\u200b", "U+200B (zero width space)", "http://localhost:8080/"),
    ],
)
def test_a_url_whose_port_or_brackets_are_wrong_is_one_line_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str,
    found: str,
    fix: str,
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "team-token")
    with pytest.raises(StudioError, match="expected") as exc:
        resolve_connection()
    assert found in exc.value.what
    assert "pa ss" not in str(exc.value)  # a password is never printed back
    assert exc.value.fix is not None and exc.value.fix.startswith(f"export LABEL_STUDIO_URL={fix}")
    # `studio env` says so too, rather than printing the URL for `eval` without a word
    with pytest.raises(SystemExit) as done:
        main(["studio", "env"])
    assert done.value.code == 1
    out, err = capsys.readouterr()
    assert out == "" and found in err and "Traceback" not in err


def test_good_urls_pass_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "team-token")
    for url in [
        "http://127.0.0.1:18649/",
        "https://[::1]:8080",
        "https://ann:p%40ss@studio.example.org:65535/ls",
        "http://localhost",
        "http://bücher.example:8080",
        "http://studio_1.internal:8080",
        # an IPv6 zone id (RFC 6874; the client takes it) was refused, its host shown with
        # the port: "its host ('[fe80::1%25eth0]:8080') holds '%'" (break5 B7)
        "http://[fe80::1%25eth0]:8080",
    ]:
        monkeypatch.setenv("LABEL_STUDIO_URL", url)
        assert resolve_connection().url == url.rstrip("/")


def test_the_hint_for_a_dead_url_takes_a_port_that_is_no_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(server, "last_port", lambda paths: 18649)  # a stopped local server
    assert server.local_url_hint("http://127.0.0.1:186490") == ""
    assert "last ran" in server.local_url_hint("http://127.0.0.1:18649")


def test_an_unreachable_team_url_asks_to_check_it() -> None:
    port = server.free_port(42100)
    client = StudioClient(Connection(f"https://127.0.0.1:{port}", "x" * 40, "environment"))
    with pytest.raises(StudioUnavailableError, match="does not answer") as exc:
        client.whoami()
    assert f"check LABEL_STUDIO_URL (https://127.0.0.1:{port})" in str(exc.value.fix)
    local = StudioClient(Connection(f"http://127.0.0.1:{port}", "x" * 40, "local"))
    with pytest.raises(StudioUnavailableError) as exc:
        local.whoami()
    assert exc.value.fix is not None and exc.value.fix.startswith("run `annotate studio start`")


@pytest.mark.parametrize("name", ["corpus.parquet", "corpus.JSONL", "out.csv", "c.json"])
def test_export_refuses_an_out_named_like_a_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(ExportError, match="export writes a folder") as err:
        _check_target(tmp_path / name, "p")
    assert f"--out {tmp_path / name.rsplit('.', 1)[0]}/" in str(err.value)
    _check_target(tmp_path / "corpus.v2", "p")  # a dot that is no file type: fine
    (tmp_path / name).mkdir()  # an export written there before this check: still replaced
    (tmp_path / name / "manifest.json").write_text("{}")
    _check_target(tmp_path / name, "p")


def test_start_of_a_running_server_says_so_and_that_port_is_not_used(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`studio start --port 18931` with the server up on 18930 printed 'starting Label
    Studio ... a first start runs migrations' and left --port unused without a word."""
    paths = studio_paths()
    up = server.ServerStatus("http://127.0.0.1:18930", 42, True, True, True, paths)
    monkeypatch.setattr(server, "is_installed", lambda p: True)
    monkeypatch.setattr(server, "status", lambda p=None: up)
    monkeypatch.setattr(server, "start", lambda p=None, **kw: up)
    with pytest.raises(SystemExit) as exc:
        main(["studio", "start", "--port", "18931"])
        raise SystemExit(0)
    err = capsys.readouterr().err
    assert exc.value.code == 0 and "starting Label Studio" not in err
    assert "already running at http://127.0.0.1:18930" in err
    assert "--port 18931 is not used" in err


def test_a_start_that_finds_the_server_running_says_no_install(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A home whose venv is not installed, while its server runs (started from
    $ANNOTATE_STUDIO_VENV in another shell): `studio start` said 'installing Label Studio
    into ... (first use, about a minute)', then found it running and installed nothing."""
    paths = studio_paths()
    up = server.ServerStatus("http://127.0.0.1:18930", 42, True, True, True, paths)
    monkeypatch.setattr(server, "is_installed", lambda p: False)
    monkeypatch.setattr(server, "status", lambda p=None: up)
    monkeypatch.setattr(server, "start", lambda p=None, **kw: up)
    with pytest.raises(SystemExit) as exc:
        main(["studio", "start"])
        raise SystemExit(0)
    err = capsys.readouterr().err
    assert exc.value.code == 0 and "already running at http://127.0.0.1:18930" in err
    assert "installing Label Studio" not in err


def test_only_a_start_that_may_migrate_warns_it_takes_a_minute(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every `studio start` said 'a first start runs migrations, a minute or more', warm
    seven-second restarts included: on SQLite it is said only while the database file
    does not exist yet; on PostgreSQL always (telling would mean connecting)."""
    from annotate.studio.database import parse

    paths = studio_paths()
    down = server.ServerStatus(None, None, False, False, False, paths)
    up = server.ServerStatus("http://127.0.0.1:18930", 42, True, True, True, paths)
    monkeypatch.setattr(server, "is_installed", lambda p: True)
    monkeypatch.setattr(server, "status", lambda p=None: down)

    def start(p: object = None, **kw: object) -> server.ServerStatus:
        kw["on_launch"]()  # type: ignore[operator]
        return up

    monkeypatch.setattr(server, "start", start)

    def said() -> str:
        with pytest.raises(SystemExit):
            main(["studio", "start"])
            raise SystemExit(0)
        return capsys.readouterr().err

    assert "first start runs migrations" in said()
    paths.data.mkdir(parents=True, exist_ok=True)
    _label_studio_sqlite(paths.data / "label_studio.sqlite3", users=1)
    assert "first start runs migrations" not in said()
    assert server.may_migrate(paths, parse("postgresql://u:p@127.0.0.1:5432/ls"))


def _label_studio_sqlite(path: Path, users: int | None) -> None:
    """A Label Studio SQLite file: its user table with ``users`` rows (None: no table yet,
    the migrations that make it not run)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
        if users is not None:
            conn.execute("CREATE TABLE htx_user (id INTEGER PRIMARY KEY, email TEXT)")
            for n in range(users):
                conn.execute("INSERT INTO htx_user (email) VALUES (?)", (f"u{n}@x",))
        conn.commit()


def test_a_start_after_one_killed_while_migrating_still_says_it_takes_a_minute(
    isolated: Path,
) -> None:
    """faults59: the SQLite file of a first start killed during its migrations is there,
    but the next start migrates (a minute or more) all the same: it is said until Label
    Studio made its admin (after the migrations)."""
    paths = studio_paths()
    paths.data.mkdir(parents=True, exist_ok=True)
    db = paths.data / "label_studio.sqlite3"
    _label_studio_sqlite(db, users=None)
    assert server.may_migrate(paths, None)
    db.unlink()
    _label_studio_sqlite(db, users=0)  # migrated, killed before the admin was made
    assert server.may_migrate(paths, None)
    db.unlink()
    _label_studio_sqlite(db, users=1)
    assert not server.may_migrate(paths, None)
    db.write_bytes(b"not a database, but a file of this size" * 200)  # unreadable: quiet
    assert not server.may_migrate(paths, None)


def test_a_start_whose_database_check_fails_does_not_say_starting(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`studio start --database postgresql://...` printed 'starting Label Studio on ...
    (a first start runs migrations, a minute or more) ...' before the database check that
    then failed (passA50 P9): only the error is said; a check that passes says it before
    the server is launched."""
    from annotate.studio.database import ProbeResult

    paths = studio_paths()
    down = server.ServerStatus(None, None, False, False, False, paths)
    monkeypatch.setattr(server, "is_installed", lambda p: True)
    monkeypatch.setattr(server, "install", lambda p: None)
    monkeypatch.setattr(server, "status", lambda p=None: down)

    def refused(p: object, db: object, token: object = None) -> ProbeResult:
        raise StudioAuthError("PostgreSQL at 127.0.0.1:1 refused the password.", fix="fix it.")

    monkeypatch.setattr(server, "check_database", refused)
    url = "postgresql://ls:wrong@127.0.0.1:1/ls"
    with pytest.raises(SystemExit) as exc:
        main(["studio", "start", "--database", url])
    err = capsys.readouterr().err
    assert exc.value.code != 0 and "refused the password" in err
    assert "starting Label Studio" not in err

    launched: list[str] = []
    monkeypatch.setattr(
        server, "check_database", lambda p, db, token=None: ProbeResult(False, False, None)
    )
    monkeypatch.setattr(
        server, "free_port", lambda port: launched.append(capsys.readouterr().err) or 1
    )
    monkeypatch.setattr(server, "_private", lambda p: None)

    class Stop(Exception):
        pass

    def popen(*a: object, **kw: object) -> None:
        raise Stop

    monkeypatch.setattr(server.subprocess, "Popen", popen)
    with pytest.raises(Stop):
        main(["studio", "start", "--database", url])
    assert len(launched) == 1 and "starting Label Studio on postgresql://" in launched[0]


def test_status_of_a_stopped_server_in_its_own_home_skips_the_folder_hint(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a deliberate `studio stop`, `studio status` told the user the server belongs
    to the nearest .annotate folder (a hint for someone in the wrong folder). A home that
    holds a server's data gets a plain 'not running'; an empty one keeps the hint."""
    paths = studio_paths()
    down = server.ServerStatus(None, None, False, False, False, paths)
    monkeypatch.setattr(server, "status", lambda p=None: down)

    def said() -> str:
        with pytest.raises(SystemExit) as exc:
            main(["studio", "status"])
        assert exc.value.code == 1
        return capsys.readouterr().out

    assert "nearest .annotate folder" in said()
    paths.data.mkdir(parents=True)
    out = said()
    assert "is not running" in out and "nearest .annotate folder" not in out


def test_status_and_start_say_an_invalid_label_studio_url_is_invalid(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`studio status` (and `studio start`) printed an invalid $LABEL_STUDIO_URL as the
    server "commands use", without a word that every command would stop on it. It is a
    warning now (-q too), with what is wrong and the fix; a valid URL of another server
    keeps its note, its password masked."""
    paths = studio_paths()
    up = server.ServerStatus("http://127.0.0.1:18930", 42, True, True, True, paths)
    monkeypatch.setattr(server, "status", lambda p=None: up)
    monkeypatch.setattr(server, "start", lambda p=None, **kw: up)

    def said(*args: str) -> str:
        with pytest.raises(SystemExit) as exc:
            main(["studio", *args])
            raise SystemExit(0)
        assert exc.value.code == 0
        return capsys.readouterr().err

    monkeypatch.setenv("LABEL_STUDIO_URL", "http//127.0.0.1:8080")
    for args in (("status",), ("status", "-q"), ("start", "-q")):
        err = said(*args)
        assert "warning: LABEL_STUDIO_URL is 'http//127.0.0.1:8080'; expected a URL" in err, err
        assert "stop on it. Fix: export LABEL_STUDIO_URL=http://127.0.0.1:8080, or `unset" in err
        assert "commands use" not in err, err
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:186490")
    assert "its port '186490' is out of range" in said("status")
    # break4 B3: an unpaired IPv6 bracket made urlsplit raise ValueError, a traceback
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://[::1")
    assert "warning: LABEL_STUDIO_URL is 'http://[::1'; its brackets do not pair up" in said(
        "status"
    )
    monkeypatch.setenv("LABEL_STUDIO_URL", "https://me:secret@ls.example.org")
    err = said("status")
    assert "note: LABEL_STUDIO_URL is set; commands use https://***@ls.example.org, not" in err
    assert "secret" not in err and "warning" not in err


def test_studio_env_variables_naming_the_local_server_keep_its_data_folder(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `eval "$(annotate studio env)"` (README's workflow) the local server came from
    the environment with no data folder, so the export snapshots' files it keeps in
    media/export (full, unredacted project copies) were never deleted. Its own URL and
    token (what `studio env` printed) now name its data folder; another port, host or
    token, or a stopped server, do not."""
    fake_local_server(isolated)
    data = studio_paths().data
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:18123")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    conn = resolve_connection()
    assert (conn.source, conn.data_dir) == ("environment", data)
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://localhost:18123/")
    assert resolve_connection().data_dir == data
    for url, key in (
        ("http://127.0.0.1:18124", "a" * 40),  # another port
        ("https://ls.example.org", "a" * 40),  # another host
        ("http://127.0.0.1:18123/ls", "a" * 40),  # a path: a proxy in front of something
        ("http://127.0.0.1:18123", "team-token"),  # another server's token
    ):
        monkeypatch.setenv("LABEL_STUDIO_URL", url)
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", key)
        assert resolve_connection().data_dir is None, (url, key)
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:18123")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    (isolated / "studio" / "server.json").unlink()  # stopped: whatever answers is not it
    assert resolve_connection().data_dir is None


def test_https_to_the_local_http_server_is_said_to_be_the_scheme(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """https:// for the local server (plain http on the same port): the hint spoke of an
    old port and login links naming it, neither true (stop 49 break3 B4)."""
    running = server.ServerStatus(
        url="http://127.0.0.1:18850",
        pid=None,
        running=True,
        answers=True,
        authenticated=True,
        paths=None,  # type: ignore[arg-type]
    )
    monkeypatch.setattr(server, "status", lambda paths=None: running)
    monkeypatch.setattr(server, "last_port", lambda paths: 18850)
    monkeypatch.setattr(server, "studio_paths", lambda: None)
    said = server.local_url_hint("https://127.0.0.1:18850")
    assert (
        "speaks http, not https" in said
        and "export LABEL_STUDIO_URL=http://127.0.0.1:18850" in said
    )
    assert "old port" not in said


def test_a_start_after_one_killed_inside_a_migration_says_it_takes_a_minute(
    isolated: Path, tmp_path: Path
) -> None:
    """reader60 #5: a kill inside a migration's transaction leaves a hot rollback journal
    beside the file (Label Studio's SQLite uses one); read only, the file could not be
    read past it, which counted as 'holds a user', and the note was not said."""
    import subprocess
    import sys

    paths = studio_paths()
    paths.data.mkdir(parents=True, exist_ok=True)
    db = paths.data / "label_studio.sqlite3"
    _label_studio_sqlite(db, users=None)
    killed = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA cache_size=1')\n"
        "c.execute('BEGIN')\n"
        "for i in range(20000):\n"
        "    c.execute('INSERT INTO django_migrations (app) VALUES (?)', (str(i),))\n"
        "c.execute('CREATE TABLE htx_user (id INTEGER PRIMARY KEY, email TEXT)')\n"
        "c.execute(\"INSERT INTO htx_user (email) VALUES ('a@x')\")\n"
        "os._exit(0)\n"  # killed before the commit: the journal stays
    )
    subprocess.run([sys.executable, "-c", killed, str(db)], check=True)
    assert (paths.data / "label_studio.sqlite3-journal").stat().st_size > 0
    assert server.may_migrate(paths, None)
