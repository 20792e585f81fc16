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
    assert lines[0].startswith("failed: doc-7-p2 (r-abc): ConnectError"), said
    assert "delivered 0 to" in said
    # the run ends with what went wrong and what to do, as every failing command does
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: 1 of 1 escalation could not be delivered to"), said
    assert "Fix: check that the receiver is up" in last
    assert "run the same command again" in last
