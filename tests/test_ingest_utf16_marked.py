"""UTF-16 with its byte-order mark (Notepad's "Unicode", Excel's "Unicode Text") was
refused, and the fix re-encoded the file in place (`iconv ... > x.utf8.txt && mv ...`), so
the SHA-256 the run record and `verify --sources` name was the converted copy's, not the
evidence received; and a broken link was counted among files that "cannot be read as
UTF-8 text" (passG52 G6). A text file or CSV/TSV so marked is now read as its mark says
and listed in ``decoded_files`` (``declared_by: byte-order mark``); the fix for a file not
UTF-8 writes a copy and keeps the original; the error says "cannot be read"."""

from __future__ import annotations

import codecs
import json
import logging
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest

THREAT = "سأقتلك غدا. I will find you tomorrow at the depot and you will regret it."
ROW = "Я найду тебя и убью. The depot closes at nine tonight."


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("codec", "mark"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
def test_a_text_file_with_a_utf16_or_utf32_mark_is_read_and_recorded(
    tmp_path: Path, codec: str, mark: bytes
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    raw = mark + f"{THREAT}\r\n".encode(codec)
    (docs / "u.txt").write_bytes(raw)
    (docs / "t.csv").write_bytes(mark + f'id,text\r\n1,"{ROW}"\r\n'.encode(codec))
    out = tmp_path / "p.jsonl"
    stats = ingest([docs], out, min_chars=0, near_dup_threshold=None)
    rows = _rows(out)
    by_doc = {r["source"]: r for r in rows}
    assert by_doc["docs/u.txt"]["text"] == THREAT
    assert by_doc["docs/t.csv#0"]["text"] == ROW
    text = raw.decode(codec)[1:]  # the mark dropped
    start, end = by_doc["docs/u.txt"]["start"], by_doc["docs/u.txt"]["end"]
    assert text[start:end] == THREAT
    record = next(json.loads(r["ingest_run"]) for r in rows if "input_paths" in r["ingest_run"])
    listed = {f["file"]: (f["encoding"], f.get("declared_by")) for f in record["decoded_files"]}
    family = "utf-32" if "32" in codec else "utf-16"
    assert listed == {
        "docs/t.csv": (family, "byte-order mark"),
        "docs/u.txt": (family, "byte-order mark"),
    }
    assert sorted(stats.marked_files) == ["docs/t.csv", "docs/u.txt"]


def test_the_fix_keeps_the_original_and_a_broken_link_is_no_encoding_problem(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "legacy.txt").write_bytes("Caf\xe9 ol\xe9, the depot is closed.".encode("cp1252"))
    (docs / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    with caplog.at_level(logging.WARNING), pytest.raises(InputError) as err:
        ingest([docs], tmp_path / "p.jsonl")
    said = str(err.value)
    assert said.startswith("2 input files cannot be read (1 "), said
    assert "&& mv" not in caplog.text
    assert "legacy.utf8.txt'`, and move the original out of the input" in caplog.text


def test_bytes_that_only_start_as_the_mark_does_stay_a_bad_file(tmp_path: Path) -> None:
    """A legacy or binary file opening with 0xFF 0xFE is no UTF-16 text: read so, its
    ASCII became CJK ideographs; it stays a bad file, as before."""
    path = tmp_path / "d.txt"
    path.write_bytes(b"\xff\xfe not UTF-8 \x81")
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.jsonl")
    assert "is not valid UTF-8" in str(err.value)
