"""The running local Label Studio calls nothing outside the machine (issue 12, item 8):
its process environment turns every outbound setting off and its pages load nothing from
another host."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from annotate.studio.connection import Connection, read_state, studio_paths
from annotate.studio.offline import CLOSED_PROXY, loaded_hosts

pytestmark = pytest.mark.integration


def process_env(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/environ", "rb") as fh:
        pairs = [item.split(b"=", 1) for item in fh.read().split(b"\0") if b"=" in item]
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def test_the_server_process_runs_with_outbound_calls_off(studio: Connection) -> None:
    state = read_state(studio_paths()) or {}
    pid = state.get("pid")
    assert isinstance(pid, int)
    env = process_env(pid)
    for name in ("SENTRY_DSN", "FRONTEND_SENTRY_DSN"):
        assert env[name] == env["LABEL_STUDIO_" + name] == ""
    assert env["COLLECT_ANALYTICS"] == env["LATEST_VERSION_CHECK"] == "false"
    assert env["HTTPS_PROXY"] == env["HTTP_PROXY"] == CLOSED_PROXY
    related = [k for k in env if re.search("SENTRY|ANALYTICS|PROXY|VERSION_CHECK", k)]
    assert {h for k in related for h in loaded_hosts(f'src="{env[k]}"')} == set()


def test_the_server_data_is_readable_by_its_owner_only(studio: Connection) -> None:
    """The SQLite database holds every account's API token in plain text (the admin's, the
    one credentials.json keeps 0600) and every passage and answer: it was world-readable."""
    paths = studio_paths()
    assert paths.data.stat().st_mode & 0o777 == 0o700
    assert paths.log.stat().st_mode & 0o777 == 0o600


def logged_in(studio: Connection) -> httpx.Client:
    http = httpx.Client(base_url=studio.url, follow_redirects=True, timeout=30)
    page = http.get("/user/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    http.post(
        "/user/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "email": studio.username,
            "password": studio.password,
        },
        headers={"Referer": f"{studio.url}/user/login/"},
    )
    return http


@pytest.mark.parametrize("path", ["/user/login/", "/projects/", "/user/account/"])
def test_served_pages_load_nothing_from_another_host(studio: Connection, path: str) -> None:
    http = logged_in(studio)
    try:
        page = http.get(path)
        assert page.status_code == 200
        if path != "/user/login/":
            assert "/user/login" not in str(page.url), "not logged in"
            assert re.search(r"sentry_dsn:\s*null", page.text)
        assert loaded_hosts(page.text) == set()
        assert "sentry-cdn" not in page.text and "googletagmanager" not in page.text
    finally:
        http.close()


def test_the_tips_proxy_cannot_reach_github(studio: Connection) -> None:
    """/heidi-tips/ has no off switch: the closed proxy makes it fail at once, locally."""
    http = logged_in(studio)
    try:
        began = time.monotonic()
        answer = http.get("/heidi-tips/")
        assert answer.status_code != 200
        assert time.monotonic() - began < 4.0  # refused by the closed port, not a timeout
    finally:
        http.close()


def test_the_server_inherits_only_the_basics_and_guards_local_addresses(
    studio: Connection,
) -> None:
    """Started with an explicit environment (the test run's ANNOTATE_* settings do not
    reach it) and SSRF protection on: a webhook to this machine is refused."""
    from annotate.studio.server import INHERITED_ENV

    state = read_state(studio_paths()) or {}
    pid = state.get("pid")
    assert isinstance(pid, int)
    env = process_env(pid)
    assert not [k for k in env if k.startswith("ANNOTATE_")]
    assert env["SSRF_PROTECTION_ENABLED"] == env["ML_BLOCK_LOCAL_IP"] == "true"
    assert set(INHERITED_ENV) & set(env) <= set(INHERITED_ENV)
    http = httpx.Client(
        base_url=studio.url, headers={"Authorization": f"Token {studio.api_key}"}, timeout=30
    )
    try:
        answer = http.post(
            "/api/webhooks/", json={"url": "http://127.0.0.1:9/hook", "send_payload": True}
        )
        assert answer.status_code in (400, 403), answer.text[:300]
    finally:
        http.close()
