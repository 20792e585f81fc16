"""The server's version, read on connect: a tested one is silent, another is warned about
once per process and server, one the tool does not work with is refused in one line.
Against a fake server (a real HTTP server in a thread answering the two requests)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from packaging.version import Version

from annotate.errors import StudioError
from annotate.studio import client as client_mod
from annotate.studio import server_version
from annotate.studio.client import connect
from annotate.studio.connection import LABEL_STUDIO_VERSION, Connection


def test_parse() -> None:
    parse = server_version.parse
    assert parse("1.23.2") == Version("1.23.2") == parse("v1.23.2 ")
    assert parse("1.20") == Version("1.20.0")
    assert parse("1.22.0.dev0+g090298d") == Version("1.22.0.dev0")  # the local label dropped
    assert parse("1.23.2+g1a2b3c") == parse("1.23.2")  # a local build of 1.23.2 is 1.23.2
    # PEP 440 order: a pre-release or dev build comes before its release
    assert parse("1.23.1.dev0") < parse("1.23.1rc1") < parse("1.23.1") < parse("1.23.1.post1")  # type: ignore[operator]
    assert parse("") is None
    assert parse(None) is None
    assert parse("develop") is None
    assert parse("1.23.2-enterprise") is None  # not PEP 440: "cannot read", warned about


def test_packaging_is_a_declared_dependency() -> None:
    """server_version imports packaging: an install of annotate alone must bring it."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    dependencies = text[
        text.index("\ndependencies = [") : text.index("\n]", text.index("\ndependencies"))
    ]
    assert re.search(r'^\s*"packaging[<>=!~ ]', dependencies, re.M), (
        dependencies
    )  # py3.10: no tomllib


@pytest.mark.parametrize("version", ["1.23.2rc1", "1.23.2.dev0", "1.22.1rc1", "1.23.2+local"])
def test_a_pre_release_or_local_build_within_the_tested_range_is_silent(version: str) -> None:
    assert server_version.check(version, "http://team:8080") is None


@pytest.mark.parametrize("version", ["1.20.0rc1", "1.20.0.dev0"])
def test_a_pre_release_of_the_oldest_tested_release_is_warned_about_as_older(
    version: str,
) -> None:
    """It was built before the oldest release the path was run against."""
    assert server_version.TESTED_VERSIONS[0] == "1.20.0"
    warning = server_version.check(version, "http://team:8080")
    assert warning is not None and f"is version {version}, older than" in warning


@pytest.mark.parametrize("version", ["1.23.3rc1", "1.24.0.dev0", "1.23.2.post1"])
def test_a_pre_release_past_the_newest_tested_release_is_warned_about_as_newer(
    version: str,
) -> None:
    warning = server_version.check(version, "http://team:8080")
    assert warning is not None and f"is version {version}, newer than" in warning


@pytest.mark.parametrize("version", ["1.23.1rc1", "1.23.1.dev0", "1.23.1rc2+g1a2b3c"])
def test_require_refuses_a_pre_release_of_the_minimum_saying_why(version: str) -> None:
    """A dev or rc build of 1.23.1 may be from before the change 1.23.1 carries (here:
    a removed member no longer reads the tasks); offboarding on it could leave access
    open, so it is refused, saying it is a pre-release, not that 1.23.1 lacks it."""
    with pytest.raises(StudioError) as err:
        server_version.require(
            version, "http://team:8080", "1.23.1", "`step`", "a removed member reads tasks"
        )
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(
        f"Label Studio at http://team:8080 is version {version}, a pre-release of 1.23.1 "
        "that may not have the change it brings (before Label Studio 1.23.1, a removed "
        "member reads tasks); `step` needs Label Studio 1.23.1 or newer. Fix: upgrade"
    ), message


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
    patch = f"{oldest.major}.{oldest.minor}.{oldest.micro + 1}"  # a patch release of the oldest
    assert server_version.check(patch, "http://team:8080") is None


def test_a_version_below_the_tested_range_is_warned_about() -> None:
    oldest = server_version.parse(server_version.TESTED_VERSIONS[0])
    assert oldest is not None
    older = f"{oldest.major}.{oldest.minor - 1}.0"
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


@pytest.mark.parametrize(
    "version", ["1.22.0", "1.23.2", "2.0", "1.22.0+local", "1.22.0.post1", None, "develop"]
)
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
