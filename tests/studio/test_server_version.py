"""The server's version, read on connect: a tested one is silent, another is warned about
once per process and server, one the tool does not work with is refused in one line.
Against a fake server (a real HTTP server in a thread answering the two requests)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from annotate.errors import StudioError
from annotate.studio import client as client_mod
from annotate.studio import server_version
from annotate.studio.client import connect
from annotate.studio.connection import LABEL_STUDIO_VERSION, Connection


def test_parse() -> None:
    assert server_version.parse("1.23.2") == (1, 23, 2)
    assert server_version.parse("1.20") == (1, 20, 0)
    assert server_version.parse("1.24.0rc1") == (1, 24, 0)
    assert server_version.parse("1.22.0.dev0+g090298d") == (1, 22, 0)
    assert server_version.parse("") is None
    assert server_version.parse(None) is None
    assert server_version.parse("develop") is None


def test_release_of_the_api_version_answer() -> None:
    assert server_version.release({"release": "1.22.0"}) == "1.22.0"
    assert server_version.release({"label-studio-os-package": {"version": "1.21.0"}}) == "1.21.0"
    assert server_version.release({}) is None
    assert server_version.release("not a dict") is None


def test_the_installed_version_is_a_tested_one() -> None:
    assert LABEL_STUDIO_VERSION in server_version.TESTED_VERSIONS
    assert server_version.check(LABEL_STUDIO_VERSION, "http://x") is None


def test_a_newer_version_is_warned_about_naming_the_tested_ones() -> None:
    warning = server_version.check("1.99.0", "http://team:8080")
    assert warning is not None
    assert "http://team:8080 is version 1.99.0, newer than" in warning
    assert all(v in warning for v in server_version.TESTED_VERSIONS)


def test_a_version_within_the_tested_range_is_silent() -> None:
    oldest = server_version.parse(server_version.TESTED_VERSIONS[0])
    assert oldest is not None
    patch = f"{oldest[0]}.{oldest[1]}.{oldest[2] + 1}"  # a patch release of the oldest
    assert server_version.check(patch, "http://team:8080") is None


def test_a_version_below_the_tested_range_is_warned_about() -> None:
    oldest = server_version.parse(server_version.TESTED_VERSIONS[0])
    assert oldest is not None
    older = f"{oldest[0]}.{oldest[1] - 1}.0"
    warning = server_version.check(older, "http://team:8080")
    assert warning is not None and f"is version {older}, older than" in warning


def test_an_unreadable_version_is_warned_about() -> None:
    warning = server_version.check(None, "http://team:8080")
    assert warning is not None and "could not read the Label Studio version" in warning


def test_require_refuses_an_older_release_in_one_line() -> None:
    with pytest.raises(StudioError) as err:
        server_version.require("1.21.0", "http://team:8080", "1.22.0", "`step`", "it lacks X")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(
        "Label Studio at http://team:8080 is version 1.21.0, where it lacks X; `step` needs "
        "Label Studio 1.22.0 or newer. Fix: upgrade that server to Label Studio "
        f"{LABEL_STUDIO_VERSION}"
    )
    assert "annotate studio start" in message


@pytest.mark.parametrize("version", ["1.22.0", "1.23.2", "2.0", None, "develop"])
def test_require_passes_the_minimum_newer_and_unreadable_releases(version: str | None) -> None:
    server_version.require(version, "http://team:8080", "1.22.0", "`step`", "it lacks X")


class _Fake(BaseHTTPRequestHandler):
    version_answer: ClassVar[dict[str, object]] = {}
    version_requests: ClassVar[int] = 0

    def do_GET(self) -> None:
        if self.path.startswith("/api/current-user/whoami"):
            body = {"id": 1, "email": "admin@x"}
        elif self.path.startswith("/api/version"):
            type(self).version_requests += 1
            body = self.version_answer
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def fake_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_Fake]]]:
    handler = type("Handler", (_Fake,), {"version_answer": {}, "version_requests": 0})
    httpd = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(client_mod, "_VERSION_CHECKED", set())
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def _connect(url: str) -> None:
    connect(Connection(url=url, api_key="a" * 40, source="environment"))


def test_connect_warns_once_about_an_untested_server(
    fake_server: tuple[str, type[_Fake]], caplog: pytest.LogCaptureFixture
) -> None:
    url, handler = fake_server
    handler.version_answer = {"release": "1.99.0", "label-studio-os-package": {}}
    with caplog.at_level(logging.WARNING, logger="annotate.studio.client"):
        _connect(url)
        _connect(url)  # a second command step of the same run: no second warning
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "is version 1.99.0, newer than" in warnings[0]
    assert handler.version_requests == 1


def test_connect_is_silent_for_a_tested_server(
    fake_server: tuple[str, type[_Fake]], caplog: pytest.LogCaptureFixture
) -> None:
    url, handler = fake_server
    handler.version_answer = {"release": LABEL_STUDIO_VERSION}
    with caplog.at_level(logging.WARNING, logger="annotate.studio.client"):
        _connect(url)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
