"""The local Label Studio starts with a minimal, explicit environment: nothing of the
caller's is inherited but PATH, HOME, the locale and the temp dir (and libpq's ``PG*`` on
PostgreSQL), and SSRF protection is on."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.studio import server
from annotate.studio.connection import Credentials, studio_paths
from annotate.studio.database import parse
from annotate.studio.offline import offline_env
from annotate.studio.server_patches import PATCHES_DIR

CALLER = {
    "AWS_SECRET_ACCESS_KEY": "caller-secret",
    "HF_TOKEN": "hf_caller",
    "LABEL_STUDIO_API_KEY": "caller-key",
    "GOOGLE_LOGGING_ENABLED": "true",
    "LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED": "true",
    "SSRF_PROTECTION_ENABLED": "false",
    "LABEL_STUDIO_ML_BLOCK_LOCAL_IP": "false",
    "DJANGO_SETTINGS_MODULE": "evil.settings",
    "PGSSLMODE": "require",
    "LANG": "C.UTF-8",
}
CREDS = Credentials("admin@annotate.local", "pw", "t" * 40)


@pytest.fixture
def caller_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in CALLER.items():
        monkeypatch.setenv(key, value)


@pytest.mark.usefixtures("caller_env")
def test_nothing_of_the_callers_environment_reaches_the_server_but_the_basics(
    tmp_path: Path,
) -> None:
    env = server.server_env(studio_paths(tmp_path), CREDS)
    assert "caller-secret" not in env.values() and "hf_caller" not in env.values()
    for key in ("AWS_SECRET_ACCESS_KEY", "HF_TOKEN", "LABEL_STUDIO_API_KEY", "PGSSLMODE"):
        assert key not in env
    assert "GOOGLE_LOGGING_ENABLED" not in env
    # the caller's settings module never; the project's own (server_patches) always
    assert env["DJANGO_SETTINGS_MODULE"] == "annotate_studio_settings"
    assert Path(env["PYTHONPATH"]) == PATCHES_DIR
    assert env["LANG"] == "C.UTF-8" and env["PATH"]
    ours = {k for k in env if k.startswith(("LABEL_STUDIO_", "XDG_", "DJANGO_DB"))}
    inherited = set(env) - ours - set(offline_env()) - set(server.INHERITED_ENV)
    assert inherited <= {
        "SSRF_PROTECTION_ENABLED",
        "ML_BLOCK_LOCAL_IP",
        "LOCAL_FILES_SERVING_ENABLED",
        "PYTHONUNBUFFERED",
        "HEARTEX_DJANGO_DB",
        "DJANGO_SETTINGS_MODULE",
        "PYTHONPATH",
    }


@pytest.mark.usefixtures("caller_env")
def test_ssrf_protection_is_on_whatever_the_caller_set(tmp_path: Path) -> None:
    env = server.server_env(studio_paths(tmp_path), CREDS)
    # Label Studio reads LABEL_STUDIO_X, then HEARTEX_X, then X: no spelling may say off
    for name, value in (
        ("SSRF_PROTECTION_ENABLED", "true"),
        ("ML_BLOCK_LOCAL_IP", "true"),
        ("LOCAL_FILES_SERVING_ENABLED", "false"),
    ):
        spelled = [env.get(p + name) for p in ("LABEL_STUDIO_", "HEARTEX_", "")]
        assert next(v for v in spelled if v is not None) == value


@pytest.mark.usefixtures("caller_env")
def test_libpq_settings_pass_only_on_postgresql(tmp_path: Path) -> None:
    db = parse("postgresql://ls:pw@db.example.org:5432/ls")
    on_pg = server.server_env(studio_paths(tmp_path), CREDS, db)
    assert on_pg["PGSSLMODE"] == "require"
    assert "PGSSLMODE" not in server.server_env(studio_paths(tmp_path), CREDS)
