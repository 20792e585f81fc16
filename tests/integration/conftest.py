"""A real Label Studio for the integration tests (no mock of the server).

One server per test session, started with the project's own studio code: its own
temporary data dir (ANNOTATE_HOME) and a free port on 127.0.0.1. Label Studio itself is
installed once, where `annotate studio start` in the checkout finds it (:func:`studio_venv`:
``$ANNOTATE_STUDIO_VENV``, else the checkout's ``.annotate/studio/venv`` an earlier annotate
installed, else the user's shared install in ``~/.cache/annotate``), the first time.
Created projects get uuid names. The server (and the one on PostgreSQL of
test_postgres.py) starts at the end of collection, in a process of its own, while the
tests before these run (``prestart.py``).
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.review.reviewers import list_users
from annotate.settings import HOME_ENV
from annotate.studio import server
from annotate.studio.client import StudioClient
from annotate.studio.connection import (
    KEY_ENV,
    URL_ENV,
    VENV_ENV,
    Connection,
    Credentials,
    StudioPaths,
    read_credentials,
    studio_paths,
)

from . import prestart, studio_template
from .helpers import CliRun, fresh_title
from .postgres import find_bindir
from .studio_env import with_test_settings

ROOT = Path(__file__).resolve().parents[2]


def studio_venv() -> Path:
    """The venv `annotate studio start` run in the checkout uses (``$ANNOTATE_STUDIO_VENV``
    first): a fresh clone installs Label Studio once, into the user's shared install."""
    return studio_paths(ROOT / ".annotate" / "studio").venv


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the servers the selected tests use, each in a process of its own, so that
    their first start (migrations: minutes of one core) overlaps the tests before them."""
    if session.config.option.collectonly or not session.items or os.environ.get(prestart.OFF_ENV):
        return
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # pytest -n: every worker collects every test, and which one gets the server's
        # tests is decided later; the fixtures start them on first use, while the other
        # worker keeps the second core busy (what the prestart was for)
        return
    factory = getattr(session.config, "_tmp_path_factory", None)
    if not isinstance(factory, pytest.TempPathFactory):
        return  # the fixtures start them as they are needed
    used = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    # ports: 20000-25000 here, PostgreSQL from 25432, Label Studio on it from 31000 (all
    # below the ephemeral range, see studio()), as none is bound before the servers start
    if "studio" in used and not os.environ.get("ANNOTATE_TEST_STUDIO_HOME"):
        port = server.free_port(random.randint(20000, 25000))
        prestart.launch("sqlite", factory.mktemp("annotate-home"), port, studio_venv())
    if "pg_studio" in used and find_bindir() is not None:
        port = server.free_port(31000)
        prestart.launch("pg", factory.mktemp("annotate-home-pg"), port, studio_venv())


def pytest_sessionfinish(session: pytest.Session) -> None:
    prestart.stop_untaken()


@pytest.fixture(scope="session")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    """A running local Label Studio; yields its connection (url, token).

    ``$ANNOTATE_TEST_STUDIO_HOME``: the ANNOTATE_HOME of a local server already started
    with `annotate studio start` is used instead (not stopped afterwards): a cold start
    takes minutes on a loaded machine.
    """
    reuse = os.environ.get("ANNOTATE_TEST_STUDIO_HOME")
    if reuse:
        yield from _reused(Path(reuse))
        return
    pre = prestart.take("sqlite")
    home = pre.home if pre is not None else tmp_path_factory.mktemp("annotate-home")
    mp = pytest.MonkeyPatch()
    mp.setenv(HOME_ENV, str(home))
    mp.setenv(VENV_ENV, str(pre.venv if pre is not None else studio_venv()))
    mp.delenv(URL_ENV, raising=False)
    mp.delenv(KEY_ENV, raising=False)
    mp.setenv("ANNOTATE_PSEUDONYM_SALT", prestart.SALT)
    paths = studio_paths()
    # below Linux's ephemeral range (32768-60999), where an outgoing connection can take
    # the port between the check and the server's bind
    port = pre.port if pre is not None else server.free_port(random.randint(20000, 32000))
    try:
        if pre is not None:  # started at collection: wait for it (server.start, as below)
            code = pre.wait(timeout=prestart.SQLITE_TIMEOUT_S + 60)
            assert code == 0, f"starting Label Studio failed ({code}): {pre.output()}"
        else:  # its database: a copy of the run's migrated one (studio_template.py)
            studio_template.seeded(paths, studio_template.template_root(tmp_path_factory))
        # the test settings (a fast password hasher, project deletions in turn), as the
        # prestart's (studio_env.py); a server started above is already running
        with pytest.MonkeyPatch.context() as env:
            env.setattr(server, "server_env", with_test_settings(server.server_env))
            st = server.start(paths, port=port, timeout=prestart.SQLITE_TIMEOUT_S)
        if pre is not None and st.pid:
            prestart.renice(st.pid)
        creds = read_credentials(paths)
        assert creds is not None and st.url
        yield _connection(st.url, creds, paths)
    finally:
        if pre is not None:
            pre.stop()  # its starter too, if it still runs (e.g. interrupted above)
        else:
            server.stop(paths)
        mp.undo()


def _reused(home: Path) -> Iterator[Connection]:
    mp = pytest.MonkeyPatch()
    mp.setenv(HOME_ENV, str(home))
    mp.delenv(URL_ENV, raising=False)
    mp.delenv(KEY_ENV, raising=False)
    mp.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    try:
        paths = studio_paths()
        st = server.status(paths)
        creds = read_credentials(paths)
        if not (st.url and st.authenticated and creds):
            pytest.fail(f"ANNOTATE_TEST_STUDIO_HOME={home}: no running local Label Studio there")
        yield _connection(st.url, creds, paths)
    finally:
        mp.undo()


def _connection(url: str, creds: Credentials, paths: StudioPaths) -> Connection:
    """The connection to the local server at ``url`` whose admin is ``creds``."""
    return Connection(
        url=url,
        api_key=creds.token,
        source="local",
        username=creds.username,
        password=creds.password,
        data_dir=paths.data,
    )


@pytest.fixture(scope="module", autouse=True)
def _users_deleted_after(request: pytest.FixtureRequest) -> Iterator[None]:
    """The user accounts a module's tests made are deleted after its last test, on the
    session's own server. Label Studio's ``/api/users/``, which the tool reads on most
    commands (``reviewers``, ``review status``, ``reassign``, ``push --reviewer``), lists
    every account of the organization and costs ~3.4 ms per account (measured: 0.24 s with
    24 accounts, 0.58 s with 124, at load 5): the ~200 reviewers the integration tests
    sign up made every later module's calls slower. Not on a reused server
    (``$ANNOTATE_TEST_STUDIO_HOME``), which another worker may be using."""
    module = request.module
    uses = any(
        "studio" in getattr(item, "fixturenames", ())
        for item in request.session.items
        if getattr(item, "module", None) is module
    )
    if not uses or os.environ.get("ANNOTATE_TEST_STUDIO_HOME"):
        yield
        return
    client = StudioClient(request.getfixturevalue("studio"), keep_users=False)
    before = {int(u["id"]) for u in list_users(client)}
    yield
    for user in list_users(client):
        if int(user["id"]) not in before:
            with client.guard("deleting a test's user"):
                resp = client._http.request(f"api/users/{int(user['id'])}/", method="DELETE")
            assert resp.status_code in (204, 404), (user, resp.status_code, resp.text[:300])


@pytest.fixture()
def client(studio: Connection) -> StudioClient:
    # lives through a test while its commands (other clients) add and remove accounts
    return StudioClient(studio, keep_users=False)


@pytest.fixture()
def project_name(client: StudioClient) -> Iterator[str]:
    """A fresh uuid project title; the project is deleted afterwards."""
    name = f"test-{uuid.uuid4()}"
    yield name
    project = client.find_project(name)
    if project is not None:
        client.sdk.projects.delete(int(project["id"]))


@pytest.fixture()
def name(client: StudioClient, request: pytest.FixtureRequest) -> Iterator[str]:
    """A short fresh project or review-set title, ``PREFIX-xxxxxxxx`` (a review set's
    queues and ``NAME · adjudication`` add to it, and titles hold 50 characters): PREFIX
    is the first 8 characters of the test module's name after ``test_``, to tell whose a
    leftover is. Every project whose title starts with it is deleted afterwards."""
    module = request.module.__name__.rpartition(".")[2].removeprefix("test_")
    yield from fresh_title(client, module[:8].rstrip("_"))


@pytest.fixture()
def cli_run(
    studio: Connection,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> CliRun:
    """``cli_run(argv)`` or ``cli_run(argv, faults)``: (exit code, stderr) of the CLI run in
    this process against the session's server, or through a fault proxy (:class:`CliRun`)."""
    return CliRun(studio, monkeypatch, tmp_path, capsys)
