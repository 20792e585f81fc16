"""A real Label Studio for the integration tests (no mock of the server).

One server per test session, started with the project's own studio code: its own
temporary data dir (ANNOTATE_HOME) and a free port on 127.0.0.1. Label Studio itself is
installed once into the project's ``.annotate/studio/venv`` (shared with `annotate
studio start`) the first time. Created projects get uuid names.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.settings import HOME_ENV
from annotate.studio import server
from annotate.studio.client import StudioClient
from annotate.studio.connection import (
    KEY_ENV,
    URL_ENV,
    VENV_ENV,
    Connection,
    read_credentials,
    studio_paths,
)

ROOT = Path(__file__).resolve().parents[2]


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
    home = tmp_path_factory.mktemp("annotate-home")
    mp = pytest.MonkeyPatch()
    mp.setenv(HOME_ENV, str(home))
    mp.setenv(VENV_ENV, os.environ.get(VENV_ENV, str(ROOT / ".annotate" / "studio" / "venv")))
    mp.delenv(URL_ENV, raising=False)
    mp.delenv(KEY_ENV, raising=False)
    mp.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    paths = studio_paths()
    # below Linux's ephemeral range (32768-60999), where an outgoing connection can take
    # the port between the check and the server's bind
    port = server.free_port(random.randint(20000, 32000))
    try:
        st = server.start(paths, port=port, timeout=900)  # first start migrates; slow under load
        creds = read_credentials(paths)
        assert creds is not None and st.url
        yield Connection(
            url=st.url,
            api_key=creds.token,
            source="local",
            username=creds.username,
            password=creds.password,
        )
    finally:
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
        yield Connection(
            url=st.url,
            api_key=creds.token,
            source="local",
            username=creds.username,
            password=creds.password,
        )
    finally:
        mp.undo()


@pytest.fixture()
def client(studio: Connection) -> StudioClient:
    return StudioClient(studio)


@pytest.fixture()
def project_name(client: StudioClient) -> Iterator[str]:
    """A fresh uuid project title; the project is deleted afterwards."""
    name = f"test-{uuid.uuid4()}"
    yield name
    project = client.find_project(name)
    if project is not None:
        client.sdk.projects.delete(int(project["id"]))
