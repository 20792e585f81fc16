"""Readers of the held-back record take its lock, and every open, replace and unlink of it
survives a passing PermissionError (Windows: ``os.replace`` over a file another process
holds open fails; so does opening a file being replaced). Here on Linux: a reader waits
for a writer holding the lock (another process) and reads what it wrote; a reader whose
lock stays held reads without it; sharing violations are emulated. No server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotate.review import held_back
from annotate.review.held_back import (
    _path,
    export_record,
    prune_held,
    record_held,
    written_stamps,
)

URL = "http://studio.example:8080"
SET = "Set"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(held_back, "SHARING_FIRST_S", 0.001)
    return tmp_path


WRITER = """
import sys, time
from annotate.review import held_back
path = held_back._path({url!r}, {set!r})
with held_back._lock(path, 10):
    print('held', flush=True)
    time.sleep(float(sys.argv[1]))
    data = held_back._load(path)
    data['/late.parquet'] = {{'max_graphic': 0, 'k': 2, 'passages': ['z'], 'written': 'w2'}}
    held_back._write(path, {set!r}, data)
"""


def _writer(home: Path, hold_s: float) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ANNOTATE_HOME": str(home / "home"), "PYTHONPATH": str(ROOT)}
    code = WRITER.format(url=URL, set=SET)
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(hold_s)], stdout=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_reader_waits_for_the_writer_and_reads_what_it_wrote(home: Path) -> None:
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    proc = _writer(home, 0.6)
    try:
        started = time.monotonic()
        stamps = written_stamps(URL, SET)  # status's first read
        waited = time.monotonic() - started
    finally:
        proc.wait(30)
    assert proc.returncode == 0
    assert waited > 0.3, waited  # it waited for the lock rather than read mid-write
    assert stamps["/late.parquet"] == "w2"  # written while the reader waited
    assert str((home / "a.parquet").resolve()) in stamps


def test_a_reader_whose_lock_stays_held_reads_without_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    monkeypatch.setattr(held_back, "READ_WAIT_S", 0.2)
    proc = _writer(home, 3)
    try:
        doc = export_record(URL, SET)  # the lock is held for 3 s: read as it is now
    finally:
        proc.wait(30)
    assert list(doc["records"]) == [str((home / "a.parquet").resolve())]


def _failing(monkeypatch: pytest.MonkeyPatch, name: str, times: int) -> list[int]:
    """Make ``Path.read_text`` (``name="read"``) or ``os.replace`` (``"replace"``) of the
    record raise PermissionError ``times`` times (a sharing violation); returns a list
    counting the failures."""
    failures: list[int] = []
    if name == "read":
        original = Path.read_text

        def read_text(self: Path, *a: object, **k: object) -> str:
            if self.suffix == ".json" and len(failures) < times:
                failures.append(1)
                raise PermissionError(13, "sharing violation", str(self))
            return original(self, *a, **k)  # type: ignore[arg-type]

        monkeypatch.setattr(Path, "read_text", read_text)
    else:
        real = os.replace

        def replace(src: object, dst: object) -> None:
            if str(dst).endswith(".json") and len(failures) < times:
                failures.append(1)
                raise PermissionError(13, "sharing violation", str(dst))
            real(src, dst)  # type: ignore[arg-type]

        monkeypatch.setattr(held_back.os, "replace", replace)
    return failures


@pytest.mark.parametrize("name", ["read", "replace"])
def test_a_passing_sharing_violation_is_tried_again(
    home: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    failures = _failing(monkeypatch, name, held_back.SHARING_TRIES - 1)
    record_held(URL, SET, home / "b.parquet", {"q1": 1}, max_graphic=0, k=2)
    assert len(failures) == held_back.SHARING_TRIES - 1
    record = json.loads(_path(URL, SET).read_text(encoding="utf-8"))
    files = {Path(k).name for k in record if k not in ("project", held_back.CAP_KEY)}
    assert files == {"a.parquet", "b.parquet"} and record[held_back.CAP_KEY] == 0


def test_a_lasting_sharing_violation_never_drops_other_files_entries(
    home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Before, a record that could not be read was taken for an empty one, and the push
    wrote its own file's entry over every other file's."""
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    before = _path(URL, SET).read_bytes()
    failures = _failing(monkeypatch, "read", 100)
    record_held(URL, SET, home / "b.parquet", {"q1": 1}, max_graphic=0, k=2)
    assert len(failures) == held_back.SHARING_TRIES
    assert "could not record the passages held back" in caplog.text
    stamps = written_stamps(URL, SET)  # a reader: a warning, nothing shown
    assert stamps == {} and "could not read the held-back record" in caplog.text
    assert prune_held(URL, SET, {"p1"}, stamps={}) is None
    path = _path(URL, SET)
    monkeypatch.undo()  # the reads work again
    assert path.read_bytes() == before


def test_readers_and_writers_leave_no_lock_file(home: Path) -> None:
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    written_stamps(URL, SET)
    export_record(URL, SET)
    folder = _path(URL, SET).parent
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        _path(URL, SET).name
    ]


def test_a_push_that_holds_nothing_back_makes_no_folder_or_lock(home: Path) -> None:
    """Every review push recorded what it held back, taking the record's lock even when
    it held nothing and there was no record: a .annotate/review-held/*.lock in whatever
    folder it ran from (the tests' own runs left them in the repository)."""
    record_held(URL, SET, home / "a.parquet", {}, max_graphic=None, k=2)
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=None, k=2)
    assert not _path(URL, SET).parent.exists()
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    record_held(URL, SET, home / "a.parquet", {}, max_graphic=0, k=2)  # removes its entry
    # the set's cap stays recorded (review reassign reads it); no file's entry is left
    assert json.loads(_path(URL, SET).read_text(encoding="utf-8")) == {
        "project": SET,
        held_back.CAP_KEY: 0,
    }
    record_held(URL, SET, home / "a.parquet", {}, max_graphic=None, k=2)  # no cap since
    assert not _path(URL, SET).exists()
