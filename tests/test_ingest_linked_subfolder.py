"""A folder linked inside an input folder (a shared drive, ``latest -> batch-12``) was
passed over without a word: ``Path.rglob`` does not go into linked folders, so its files
were neither read nor recorded (passG52 G1). Ingest now follows linked folders, naming
their files under the link, and warns of (and records) a link it does not follow: one
that loops back above it, or one to a folder read already."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.ingestion import ingest

THREAT = "I will kill you all tomorrow at noon, and nobody in this office will stop me."
NEWS = "Officials said the attack on the depot killed nine people, police confirmed today."


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_linked_folder_inside_the_input_folder_is_read_and_recorded(tmp_path: Path) -> None:
    real = tmp_path / "in" / "real"
    real.mkdir(parents=True)
    (real / "a.txt").write_text(NEWS, encoding="utf-8")
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "outside.txt").write_text(THREAT, encoding="utf-8")
    (real / "extlink").symlink_to(ext, target_is_directory=True)
    out = tmp_path / "out.jsonl"
    ingest([real], out, min_chars=0, near_dup_threshold=None)
    rows = _rows(out)
    assert sorted(r["doc_id"] for r in rows) == ["real/a.txt", "real/extlink/outside.txt"]
    record = json.loads(rows[0]["ingest_run"])
    assert record["inputs"]["files"] == 2
    assert "skipped_files" not in record


def test_a_looping_link_and_a_link_to_a_folder_read_are_warned_of_and_recorded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.txt").write_text(NEWS, encoding="utf-8")
    (real / "sub" / "b.txt").write_text(THREAT, encoding="utf-8")
    (real / "sublink").symlink_to(real / "sub", target_is_directory=True)  # read already
    (real / "sub" / "up").symlink_to(real, target_is_directory=True)  # a loop
    out = tmp_path / "out.jsonl"
    with caplog.at_level(logging.WARNING):
        ingest([real], out, min_chars=0, near_dup_threshold=None)
    rows = _rows(out)
    assert sorted(r["doc_id"] for r in rows) == ["real/a.txt", "real/sub/b.txt"]
    said = caplog.text
    assert "real/sublink: link to a folder read already, not followed" in said
    assert "real/sub/up: link to a folder above it (a loop), not followed" in said
    record = next(json.loads(r["ingest_run"]) for r in rows if "input_paths" in r["ingest_run"])
    assert [(f["file"], f["problem"]) for f in record["skipped_files"]] == [
        ("real/sub/up", "link to a folder above it (a loop), not followed"),
        ("real/sublink", "link to a folder read already, not followed"),
    ]


def test_a_link_to_a_hidden_folder_is_read_as_any_linked_folder(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``docs -> .archive``: the hidden folder is never read under its own name (hidden
    entries are left out), so the link was warned of as "read already" and its files were
    left out, while the warning said none was. The link's name is not hidden: its files
    are read under it, as under any linked folder. (A second link to it is refused:
    tests/test_ingest_hidden_links.py.)"""
    real = tmp_path / "real"
    (real / ".archive" / "2024").mkdir(parents=True)
    (real / "a.txt").write_text(NEWS, encoding="utf-8")
    (real / ".archive" / "b.txt").write_text(THREAT, encoding="utf-8")
    (real / ".archive" / "2024" / "c.txt").write_text(NEWS + " Again.", encoding="utf-8")
    (real / "docs").symlink_to(real / ".archive", target_is_directory=True)
    out = tmp_path / "out.jsonl"
    with caplog.at_level(logging.WARNING):
        ingest([real], out, min_chars=0, near_dup_threshold=None)
    rows = _rows(out)
    assert sorted(r["doc_id"] for r in rows) == [
        "real/a.txt",
        "real/docs/2024/c.txt",
        "real/docs/b.txt",
    ]
    assert "real/docs: link to a folder" not in caplog.text
    record = next(json.loads(r["ingest_run"]) for r in rows if "input_paths" in r["ingest_run"])
    assert record["inputs"]["files"] == 3
    assert not record.get("skipped_files")
