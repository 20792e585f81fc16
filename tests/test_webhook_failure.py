"""`annotate escalations --webhook`: an escalation that cannot be delivered is reported
once. It was printed twice: the library's error log line and the CLI's ``failed:`` line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
import annotate.review.escalations as esc
import annotate.studio.client as client

found = [esc.Escalation("doc-7-p2", "doc-7", "s", "r-abc", "critical", ["violent_threat"],
                        "2026-12-01T10:00:00Z", "text")]
esc.pending = lambda *a, **k: found
client.connect = lambda *a, **k: None
import annotate.review.queues as queues
queues.accounts = lambda *a, **k: {}  # the e-mails beside pseudonyms: no server here
from annotate.cli import main
main(sys.argv[1:])
"""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_undelivered_escalation_is_printed_once(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/hook"
    env = {**os.environ, "ANNOTATE_HOME": str(tmp_path / "home")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, "escalations", "--project", "P", "--webhook", url],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    said = proc.stdout + proc.stderr
    lines = [ln for ln in said.splitlines() if "doc-7-p2" in ln and "critical" not in ln]
    assert len(lines) == 1, said
    # in words, not httpx's class name (s56 left #7)
    assert lines[0].startswith("failed: doc-7-p2 (r-abc): could not connect (the connection"), said
    assert "ConnectError" not in said, said
    assert "delivered 0 to" in said
    # the run ends with what went wrong and what to do, as every failing command does
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: 1 of 1 escalation could not be delivered to"), said
    assert "Fix: check that the receiver is up" in last
    assert "run the same command again" in last


def _escalations(n: int) -> list:
    import annotate.review.escalations as esc

    return [
        esc.Escalation(f"doc-{i}-p0", f"doc-{i}", "s", "r-abc", "critical", ["violent_threat"],
                       "2026-12-01T10:00:00Z", "text")
        for i in range(n)
    ]  # fmt: skip


def test_a_receiver_that_never_answers_costs_one_timeout_not_one_per_escalation(
    tmp_path: Path, monkeypatch
) -> None:
    """A host that accepts the connection but never answers (or drops packets) made each
    escalation wait the whole timeout: 6 escalations, 6 x 30 s. After the first timeout
    the rest are not attempted and stay for the next run."""
    import time

    import annotate.review.escalations as esc

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    with socket.socket() as silent:  # listens, never accepts: requests time out
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
        start = time.monotonic()
        delivered, errors = esc.deliver("P", _escalations(4), url, timeout=0.5)
        took = time.monotonic() - start
    assert delivered == 0 and len(errors) == 4
    assert "no answer in time" in errors[0]
    assert all("not attempted (the receiver could not be reached" in e for e in errors[1:])
    assert took < 4 * 0.5, took  # one timeout, not four
    assert not (tmp_path / "home" / "escalations").exists() or all(
        p.read_text().strip() == "{}" for p in (tmp_path / "home" / "escalations").iterdir()
    )  # nothing recorded as sent: the next run posts them all


def test_a_receiver_answering_with_an_error_is_tried_for_each_escalation(
    tmp_path: Path, monkeypatch
) -> None:
    import httpx

    import annotate.review.escalations as esc

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(500)

    real = httpx.Client
    monkeypatch.setattr(
        esc.httpx, "Client", lambda **kw: real(**{**kw, "transport": httpx.MockTransport(handler)})
    )
    delivered, errors = esc.deliver("P", _escalations(3), "http://hook.invalid/", timeout=1)
    assert delivered == 0 and len(calls) == 3 and len(errors) == 3
    assert not any("not attempted" in e for e in errors)


def test_a_receiver_answering_an_http_error_is_one_line_per_escalation(
    tmp_path: Path, monkeypatch
) -> None:
    """A receiver that answers 501 (no POST handler): each ``failed:`` line was followed by
    httpx's "For more information check: https://developer.mozilla.org/..." on a line of
    its own."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    import annotate.review.escalations as esc

    class NoPost(BaseHTTPRequestHandler):  # GET only: a POST is answered 501
        def log_message(self, *args: object) -> None:
            pass

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    server = HTTPServer(("127.0.0.1", 0), NoPost)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        delivered, errors = esc.deliver("P", _escalations(2), url, timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    assert delivered == 0 and len(errors) == 2
    for line in errors:
        assert "\n" not in line, line
        assert line.startswith("doc-") and "the receiver answered HTTP 501" in line, line
