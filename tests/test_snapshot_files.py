"""The local server's file of an export snapshot (annotate.studio.snapshot_files): named
as Label Studio 1.23's ExportMixin.save_file names it. The real server's files are
checked in tests/integration/test_export_snapshot_left.py; these are the edge cases."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotate.studio.snapshot_files import downloaded_name, export_folder, recorded_file

BODY = b'[{"id": 1}]'
MD5 = hashlib.md5(BODY).hexdigest()


def test_the_download_names_the_file_with_or_without_its_folder() -> None:
    name = f"project-7-at-2026-12-03-20-06-{MD5[:8]}.json"
    assert downloaded_name(f'attachment; filename="export/7/{name}"', 7) == name
    assert downloaded_name(f'attachment; filename="{name}"', 7) == name
    taken = f"project-7-at-2026-12-03-20-06-{MD5[:8]}_EK87Nlz.json"  # Django's suffix
    assert downloaded_name(f'attachment; filename="export/7/{taken}"', 7) == taken
    assert downloaded_name(f'attachment; filename="{name}"', 8) is None  # another project
    assert downloaded_name('attachment; filename="../../db.sqlite3"', 7) is None
    assert downloaded_name(None, 7) is None


def _record(created: str, finished: str | None) -> dict:
    return {"md5": MD5, "created_at": created, "finished_at": finished}


def test_the_record_finds_its_one_file_by_md5_and_minute(tmp_path: Path) -> None:
    folder = export_folder(tmp_path, 7)
    folder.mkdir(parents=True)
    mine = folder / f"project-7-at-2026-12-03-20-06-{MD5[:8]}.json"
    mine.write_bytes(BODY)
    (folder / f"project-7-at-2026-12-03-20-09-{MD5[:8]}.json").write_bytes(BODY)  # later
    (folder / f"project-7-at-2026-12-03-20-06-{MD5[:8]}_a1b2c3d.json").write_bytes(b"[]")
    record = _record("2026-12-03T20:05:59.5Z", "2026-12-03T20:06:01Z")
    assert recorded_file(tmp_path, 7, record) == mine
    assert recorded_file(tmp_path, 8, record) is None
    assert recorded_file(tmp_path, 7, {**record, "md5": ""}) is None


def test_two_identical_files_of_one_minute_are_left_alone(tmp_path: Path) -> None:
    folder = export_folder(tmp_path, 7)
    folder.mkdir(parents=True)
    for name in (f"{MD5[:8]}.json", f"{MD5[:8]}_a1b2c3d.json"):
        (folder / f"project-7-at-2026-12-03-20-06-{name}").write_bytes(BODY)
    assert recorded_file(tmp_path, 7, _record("2026-12-03T20:06:00Z", None)) is None


def test_a_file_gone_between_the_listing_and_the_read_raises_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another export of the project deletes its own file while this one lists the folder:
    the read raised FileNotFoundError out of the export (a stale snapshot's clean-up, or
    the finally of a read). Which file is this snapshot's is then unknown: none."""
    folder = export_folder(tmp_path, 7)
    folder.mkdir(parents=True)
    mine = folder / f"project-7-at-2026-12-03-20-06-{MD5[:8]}.json"
    mine.write_bytes(BODY)
    gone = folder / f"project-7-at-2026-12-03-20-06-{MD5[:8]}_a1b2c3d.json"
    real_glob = Path.glob

    def listed_then_deleted(self: Path, pattern: str):  # as listed before its deletion
        yield from real_glob(self, pattern)
        if self == folder:
            yield gone

    monkeypatch.setattr(Path, "glob", listed_then_deleted)
    record = _record("2026-12-03T20:06:00Z", "2026-12-03T20:06:01Z")
    assert recorded_file(tmp_path, 7, record) is None
    monkeypatch.setattr(Path, "glob", real_glob)
    assert recorded_file(tmp_path, 7, record) == mine
