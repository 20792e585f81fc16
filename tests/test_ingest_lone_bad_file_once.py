"""A lone file that is not UTF-8 was said twice: a `warning:` line and an `error:` line
with the same text (a new user's run: one cp1252 file in a folder of documents). The
error is that file's own, with its fix (and `--skip-bad-files` when other files would be
read), so it is said once; several bad files still get a warning each and one error
counting them, and a skipped one its warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GOOD = "The council condemned the attack on the market and promised a full inquiry.\n"
CP1252 = "Caf\u00e9 owner says the riot damaged his shop windows badly.\n"


def _ingest(*args: str) -> tuple[int, list[str]]:
    """`annotate ingest -q ARGS` in a process of its own, as a user runs it (the CLI's
    logging set up, which an in-process run does not show): exit code, output lines."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ran = subprocess.run(
        [sys.executable, "-m", "annotate", "ingest", "-q", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    out = ran.stdout + ran.stderr
    return ran.returncode, [line for line in out.splitlines() if line.strip()]


def test_a_lone_bad_file_is_one_error_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(GOOD)
    (docs / "latin1.txt").write_bytes(CP1252.encode("cp1252"))
    out = str(tmp_path / "p.jsonl")
    code, lines = _ingest(str(docs), "--out", out)
    assert code == 1, lines
    said = [line for line in lines if "latin1.txt" in line]
    assert len(said) == 1 and said[0].startswith("error: "), lines
    assert "iconv -f CP1252" in said[0] and "--skip-bad-files" in said[0], said
    # named alone: its error once too
    code, lines = _ingest(str(docs / "latin1.txt"), "--out", out)
    assert code == 1 and len([x for x in lines if "latin1.txt" in x]) == 1, lines
    # skipped: one warning that it was left out, and the run goes on
    code, lines = _ingest(str(docs), "--out", out, "--skip-bad-files")
    assert code == 0, lines
    left = [x for x in lines if "Left out (--skip-bad-files)" in x]
    assert len(left) == 1 and left[0].startswith("warning: "), lines


def test_two_bad_files_get_a_warning_each_and_one_error(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(GOOD)
    for name in ("b.txt", "c.txt"):
        (docs / name).write_bytes(CP1252.encode("cp1252"))
    code, lines = _ingest(str(docs), "--out", str(tmp_path / "p.jsonl"))
    assert code == 1
    assert len([x for x in lines if x.startswith("warning: ") and "iconv" in x]) == 2, lines
    assert len([x for x in lines if x.startswith("error: 2 input files")]) == 1, lines
