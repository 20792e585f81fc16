"""Another Label Studio release than the one `annotate studio start` installs, for real: a
server started from ``$ANNOTATE_STUDIO_COMPAT_VENV`` (a team's server may run an older
release), its version read on connect and warned about as the tested range says, a push into it,
and `reviewers remove` refused where a removed member keeps reading the tasks.

Skipped unless that venv exists (a cold start costs a minute, so CI does not run it).
To run it against, e.g., 1.20.0::

    uv venv /tmp/ls-1.20.0 && uv pip install --python /tmp/ls-1.20.0/bin/python \\
        label-studio==1.20.0
    ANNOTATE_STUDIO_COMPAT_VENV=/tmp/ls-1.20.0 pytest -q tests/integration/test_studio_compat.py

The whole push -> review -> adjudicate -> export path against such a release: run
tests/integration/test_push.py, test_review.py, test_adjudication_update.py,
test_export.py and test_review_k.py with ``ANNOTATE_STUDIO_VENV`` pointing at its venv
(README, "Label Studio versions").
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.errors import AnnotateError
from annotate.review.offboard import remove_reviewer
from annotate.settings import HOME_ENV
from annotate.studio import client as client_mod
from annotate.studio import server, server_version
from annotate.studio.client import StudioClient, connect
from annotate.studio.connection import (
    KEY_ENV,
    URL_ENV,
    VENV_ENV,
    Connection,
    read_credentials,
    studio_paths,
)
from annotate.studio.push import push

from .helpers import PRELABELS, passage_ids

pytestmark = pytest.mark.integration
COMPAT_ENV = "ANNOTATE_STUDIO_COMPAT_VENV"
COMPAT_VENV = Path(os.environ.get(COMPAT_ENV) or "/nonexistent")
HOW = (
    f"{COMPAT_ENV} is not set to a venv with Label Studio: create one with `uv venv "
    "/tmp/ls-1.20.0 && uv pip install --python /tmp/ls-1.20.0/bin/python "
    f"label-studio==1.20.0` and export {COMPAT_ENV}=/tmp/ls-1.20.0"
)


def installed_release(venv: Path) -> str:
    """The label-studio release installed in ``venv`` (its dist-info folder's name)."""
    found = sorted(venv.glob("lib/python*/site-packages/label_studio-*.dist-info"))
    assert found, f"no label-studio installed in {venv}"
    return found[0].name.removeprefix("label_studio-").removesuffix(".dist-info")


@pytest.fixture(scope="module")
def compat_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    if not (COMPAT_VENV / "bin" / "label-studio").is_file():
        pytest.skip(HOW)
    mp = pytest.MonkeyPatch()
    mp.setenv(HOME_ENV, str(tmp_path_factory.mktemp("annotate-home-compat")))
    mp.setenv(VENV_ENV, str(COMPAT_VENV))
    mp.delenv(URL_ENV, raising=False)
    mp.delenv(KEY_ENV, raising=False)
    mp.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    paths = studio_paths()
    try:
        st = server.start(paths, port=server.free_port(26000), timeout=900)
        creds = read_credentials(paths)
        assert creds is not None and st.url
        # as a team server: the URL and token from the environment
        yield Connection(url=st.url, api_key=creds.token, source="environment")
    finally:
        server.stop(paths)
        mp.undo()


def test_an_other_release_is_read_on_connect_warned_about_and_pushed_into(
    compat_studio: Connection, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_mod, "_VERSION_CHECKED", set())
    release = installed_release(COMPAT_VENV)
    expected = server_version.check(release, compat_studio.url)
    with caplog.at_level(logging.WARNING, logger="annotate.studio.client"):
        client = connect(compat_studio)
        connect(compat_studio)  # once per run
    assert client.server_version() == release
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == ([expected] if expected else [])

    title = f"compat-{uuid.uuid4().hex[:8]}"
    pushed = push(PRELABELS, title, client=client)
    try:
        assert pushed.created > 0
        assert len(passage_ids(client, pushed.project_id)) == pushed.created
    finally:
        client.delete_project(pushed.project_id)


def test_reviewers_remove_is_refused_where_a_removed_member_keeps_reading_tasks(
    compat_studio: Connection,
) -> None:
    """Refused before anything is read on a release older than
    REVIEWER_REMOVAL_MINIMUM (1.20.0 to 1.23.0: tests/integration/test_reviewers_remove.py
    fails there, a removed member still reads the tasks); on a newer one it goes on (here
    to "no account", as the e-mail is nobody's)."""
    client = StudioClient(compat_studio)
    release = installed_release(COMPAT_VENV)
    old = server_version.parse(release) < server_version.parse(  # type: ignore[operator]
        server_version.REVIEWER_REMOVAL_MINIMUM
    )
    with pytest.raises(AnnotateError) as err:
        remove_reviewer(client, f"nobody-{uuid.uuid4().hex[:6]}@x.test", salt="test-salt")
    if old:
        assert f"is version {release}, where a reviewer removed" in str(err.value)
    else:
        assert "found no account" in str(err.value)
