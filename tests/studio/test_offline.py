"""The local Label Studio is started with every outbound call off (issue 12, item 8).
Fast checks of the environment and of the page scanner; the running server's environment
and pages are checked in tests/integration/test_offline_server.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.studio.connection import Credentials, studio_paths
from annotate.studio.offline import CLOSED_PROXY, loaded_hosts, offline_env
from annotate.studio.server import server_env

VENDOR_DSN = "https://68b045ab408a4d32a910d339be8591a4@o227124.ingest.sentry.io/5820521"


@pytest.mark.parametrize(
    "user_env",
    [
        {},
        {"SENTRY_DSN": VENDOR_DSN, "FRONTEND_SENTRY_DSN": VENDOR_DSN},
        {"LABEL_STUDIO_SENTRY_DSN": VENDOR_DSN, "HEARTEX_COLLECT_ANALYTICS": "true"},
        {"LABEL_STUDIO_LATEST_VERSION_CHECK": "true", "HTTPS_PROXY": "http://proxy.corp:3128"},
    ],
)
def test_the_server_environment_names_no_outside_host(
    user_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in user_env.items():
        monkeypatch.setenv(key, value)
    env = server_env(studio_paths(tmp_path), Credentials("u", "p", "t" * 40))
    for prefix in ("", "LABEL_STUDIO_", "HEARTEX_"):
        assert env[prefix + "SENTRY_DSN"] == env[prefix + "FRONTEND_SENTRY_DSN"] == ""
        assert env[prefix + "COLLECT_ANALYTICS"] == env[prefix + "LATEST_VERSION_CHECK"] == "false"
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        assert env[var] == CLOSED_PROXY
    outbound = [k for k in env if any(w in k.upper() for w in ("SENTRY", "ANALYTICS", "PROXY"))]
    hosts = {h for k in outbound for h in loaded_hosts(f'src="{env[k]}"')}
    assert hosts == set()
    assert set(offline_env()) <= set(env)


@pytest.mark.parametrize(
    ("html", "hosts"),
    [
        (
            '<script src="https://browser.sentry-cdn.com/5.17.0/bundle.min.js">',
            {"browser.sentry-cdn.com"},
        ),
        (
            "<script async src='https://www.googletagmanager.com/gtag/js?id=UA-1'>",
            {"www.googletagmanager.com"},
        ),
        ('<link rel="stylesheet" href="//fonts.googleapis.com/css">', {"fonts.googleapis.com"}),
        ('sentry_dsn: "https://k@o227124.ingest.sentry.io/5838868",', {"o227124.ingest.sentry.io"}),
        ("iframe.src = `https://labelstud.io/track/?event=${e}`", {"labelstud.io"}),
        ('<script src="/static/js/main.js"></script><a href="https://labelstud.io/guide">', set()),
        ('<img src="http://127.0.0.1:8080/logo.png">sentry_dsn: null,', set()),
    ],
)
def test_loaded_hosts_finds_what_a_page_loads(html: str, hosts: set[str]) -> None:
    assert loaded_hosts(html) == hosts
