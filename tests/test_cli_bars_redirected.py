"""Progress bars are drawn on a terminal only. Redirected (``annotate ingest ... > log
2>&1``) a bar left its redraws in the log: ``\\ringest: 0doc [00:00, ?doc/s]\\ringest:
260doc ...``; there the command's own lines are the whole output, each on its line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest


def _docs(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    rows = (
        {"id": f"d{n}", "text": f"Document {n}: a paragraph long enough to be a passage."}
        for n in range(50)
    )
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": root, "HF_HUB_OFFLINE": "1"}


def test_ingest_redirected_to_a_file_leaves_no_bar(tmp_path: Path) -> None:
    out = tmp_path / "passages.parquet"
    with (tmp_path / "log").open("wb") as log:
        proc = subprocess.run(
            [sys.executable, "-m", "annotate", "ingest", str(_docs(tmp_path)), "--out", str(out)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_env(),
            cwd=tmp_path,
            timeout=300,
        )
    text = (tmp_path / "log").read_bytes().decode("utf-8")
    assert proc.returncode == 0, text
    assert "\r" not in text, repr(text)
    assert "doc/s" not in text, text  # no bar at all, not a bar without its returns
    assert "ingested" in text or "passage" in text, text  # the summary is still there


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal (pty) is POSIX")
def test_ingest_on_a_terminal_still_draws_its_bar(tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    out = tmp_path / "passages.parquet"
    leader, follower = pty.openpty()
    # a new pty is 0 columns wide, where a bar is cut to nothing: 80 as a terminal's
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "annotate", "ingest", str(_docs(tmp_path)), "--out", str(out)],
            stdout=follower,
            stderr=follower,
            env=_env(),
            cwd=tmp_path,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=300) == 0, b"".join(chunks)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    text = b"".join(chunks).decode("utf-8", "replace")
    # a pty ends lines with \r\n: the bar is told by its text
    assert re.search(r"ingest: \d+doc", text), repr(text)


def test_no_bar_is_drawn_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Off a terminal a stage gets plain progress lines (tests/test_cli_progress_lines.py),
    not a tqdm bar; with -q, nothing."""
    import io

    from annotate.cli.app import Bars, bars_shown
    from annotate.cli.progress_lines import ProgressLines

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not bars_shown()
    with Bars() as bars:
        assert isinstance(bars("ingest", unit="doc"), ProgressLines)
    assert "tqdm.std" not in sys.modules or not list(sys.modules["tqdm.std"].tqdm._instances)
    with Bars(quiet=True) as bars:
        assert bars("ingest", unit="doc") is None
