"""A corpus read from more input files than the manifest lists (``INPUT_FILES_INLINE``,
1,000): the manifest's ``input_files`` keeps a ``listing`` (file name, files, rows,
SHA-256) and the files are listed one JSON line each in ``input_files.jsonl`` beside it,
checksummed like every file of the export; a small corpus keeps its inline ``files`` as
before (tests/corpus/test_input_files_export.py). Before, a corpus read from 100,000 files
put 100,000 names in the manifest that every reader of the export loads whole."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import annotate.corpus.input_files as input_files
from annotate.audit.verify import VerifyError, verify
from annotate.corpus.input_files import (
    INPUT_FILES_LISTING,
    input_files_report,
    write_input_files_listing,
)
from tests.corpus.test_input_files_export import ADDRESS, _export


def _rows(n_files: int) -> list[dict]:
    rows = [
        {"input_file": f"f{i:06d}.txt", "input_row": None} for i in range(n_files) for _ in (0, 1)
    ]
    return [*rows, {"input_file": "t.csv", "input_row": "row 2"}, {"input_file": None}]


def test_up_to_the_bound_the_manifest_lists_the_files_itself() -> None:
    rec = input_files_report(_rows(3), inline=4)  # 4 files: f0..f2 and t.csv
    assert rec["files"] == {"f000000.txt": 2, "f000001.txt": 2, "f000002.txt": 2, "t.csv": 1}
    assert "listing" not in rec
    assert input_files.INPUT_FILES_INLINE == 1_000  # the documented bound (README)


def test_beyond_it_the_manifest_keeps_a_count_and_digest_and_the_listing_has_the_rest(
    tmp_path: Path,
) -> None:
    rows = _rows(1_200)
    rec = input_files_report(rows)  # the default bound: 1,201 files are more
    assert "files" not in rec  # absent, never a partial list a reader would take for all
    assert rec["listing"] == {
        "file": INPUT_FILES_LISTING,
        "of": input_files.LISTING_OF,
        "files": 1_201,
        "rows": 2_401,
        "sha256": None,
    }
    assert (rec["rows_without"], rec["rows_without_row"]) == (1, 2_400)
    assert len(json.dumps(rec)) < 1_000  # the manifest stays small
    path = tmp_path / INPUT_FILES_LISTING
    written = write_input_files_listing(path, rows)
    assert written == {
        "files": 1_201,
        "rows": 2_401,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    # the inline form's content, line by line, sorted by name
    assert {e["file"]: e["rows"] for e in lines} == input_files_report(rows, inline=10**6)["files"]
    assert [e["file"] for e in lines] == sorted(e["file"] for e in lines)


def test_an_export_beyond_the_bound_writes_the_listing_and_verifies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(input_files, "INPUT_FILES_INLINE", 1)  # the export reads from 2
    out = _export(tmp_path, "c")
    manifest = json.loads((out / "manifest.json").read_text())
    record = manifest["input_files"]
    listing = out / INPUT_FILES_LISTING
    assert "files" not in record and record["listing"]["file"] == INPUT_FILES_LISTING
    digest = hashlib.sha256(listing.read_bytes()).hexdigest()
    assert record["listing"]["sha256"] == digest == manifest["files"][INPUT_FILES_LISTING]["sha256"]
    assert (record["listing"]["files"], record["listing"]["rows"]) == (2, 3)
    assert [json.loads(line) for line in listing.read_text().splitlines()] == [
        {"file": f"inbox/{ADDRESS}.txt", "rows": 2},
        {"file": "posts.csv", "rows": 1},
    ]
    assert (record["rows_without"], record["rows_without_row"]) == (2, 2)
    verify(out)  # the listing is checksummed with the rest
    report = json.loads((out / "report" / "report.json").read_text())["input_files"]
    assert report["files"] == 2 and report["listed_in"] == INPUT_FILES_LISTING
    assert (
        f"Every file, with its rows, is listed in `{INPUT_FILES_LISTING}`."
        in (out / "report" / "report.md").read_text()
    )
    listing.write_text('{"file": "posts.csv", "rows": 9}\n', encoding="utf-8")
    with pytest.raises(VerifyError):
        verify(out)


def test_export_redact_masks_the_names_in_the_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(input_files, "INPUT_FILES_INLINE", 1)
    out = _export(tmp_path, "r", redact=True)
    listed = (out / INPUT_FILES_LISTING).read_text(encoding="utf-8")
    assert ADDRESS not in listed and '"inbox/[EMAIL]"' in listed
    verify(out)
