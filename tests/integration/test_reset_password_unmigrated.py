"""`reviewers add --new-password` (:func:`annotate.studio.password.reset_password`) on a
database Label Studio never migrated (its server never started on it): the Django script
failed with "no such table: htx_user" and annotate said the setting "failed ... the
password is unchanged. Fix: see the end of server.log" (note61). Now it says the server
has never been started on it and that `annotate studio start` comes first. Runs Label
Studio's own Python (the install the integration tests use); starts no server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import StudioError
from annotate.studio.connection import StudioPaths
from annotate.studio.password import reset_password

from .conftest import studio_venv


def test_a_database_never_migrated_says_start_the_server_first(tmp_path: Path) -> None:
    venv = studio_venv()
    if not (venv / "bin" / "python").is_file():
        pytest.skip(f"no Label Studio install at {venv}")
    paths = StudioPaths(root=tmp_path / "studio", venv=venv)
    paths.data.mkdir(parents=True)
    creds = {"username": "admin@annotate.local", "password": "x", "token": "t"}
    paths.credentials.write_text(json.dumps(creds), encoding="utf-8")
    with pytest.raises(StudioError) as err:
        reset_password("pat@newsroom.example", "a-new-Pw-123", paths)
    said = str(err.value)
    assert "has never been started (or migrated) on it" in said, said
    assert "no password was set" in said
    assert "`annotate studio start` first" in said
    assert "the password is unchanged" not in said
