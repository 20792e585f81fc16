"""ingest --skip-bad-lines on a disk that fills while the rejects file is written
(faults58 #4): the passages file, already renamed into place and naming that rejects file
in its record, was kept, while the error said nothing was left and asked for a re-run,
which --out's existence then refused. Now the passages file goes with the failed run."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from annotate.ingestion import bad_lines
from tests.test_cli import _error_line, run


def test_a_full_disk_at_the_rejects_file_leaves_nothing_and_the_rerun_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in.jsonl"
    good = json.dumps({"id": "a", "text": "The council met on Tuesday to vote on the budget."})
    src.write_text(good + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    real_write = bad_lines.BadLines.write

    def full(self: bad_lines.BadLines, path: object, redactor: object = None) -> Path | None:
        raise OSError(errno.ENOSPC, "No space left on device", str(bad_lines.rejects_path(out)))

    monkeypatch.setattr(bad_lines.BadLines, "write", full)
    line = _error_line(run("ingest", str(src), "--out", str(out), "--skip-bad-lines", "-q"))
    assert "No space left on device" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]

    monkeypatch.setattr(bad_lines.BadLines, "write", real_write)
    again = run("ingest", str(src), "--out", str(out), "--skip-bad-lines", "-q")
    assert again.returncode == 0, again.stderr
    assert out.is_file() and bad_lines.rejects_path(out).is_file()
