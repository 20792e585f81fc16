"""A JSONL file with several broken lines was reported one line a run: fix line 2, run
again, learn of line 4 (passG52 G8). The error now names the first broken line with its
column, and counts and names (the first few) the broken lines after it, in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest


def _line(n: int) -> str:
    return json.dumps({"id": str(n), "text": f"Post number {n} about the depot closure."})


def test_every_broken_line_of_a_jsonl_file_is_named_in_one_run(tmp_path: Path) -> None:
    lines = [_line(n) for n in range(1, 13)]
    lines[1] = '{"id": "2", "text": "no closing quote}'
    lines[3] = "{"
    lines[5] = '["a list", "not an object"]'
    for n in (7, 8, 9, 10, 11):
        lines[n] = lines[n][:-1]  # the closing brace cut
    src = tmp_path / "posts.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl")
    said = str(err.value)
    assert "line 2 is not valid JSON" in said, said
    assert "so are 7 more line(s) after it (lines 4, 6, 8, 9, 10, ...)" in said, said
    assert err.value.fix.startswith(
        "fix or delete those lines; every line must be one JSON object. To read the other "
        "lines now,"
    )


def test_the_fix_copies_the_good_lines_to_ingest_them_now(tmp_path: Path) -> None:
    """A dump with a few broken lines could only be edited by hand (passI53 I10): the
    fix holds a shell line that copies the lines that are JSON objects, byte for byte, to
    a file of the same name in a folder beside it, which ingest then reads."""
    import re
    import subprocess

    lines = [_line(n) for n in range(1, 6)]
    lines[1] = '{"id": "2", "text": "no closing quote}'
    lines[3] = '["a list"]'
    lines[4] = json.dumps({"id": 12345678901234567891, "text": "Café opening on Monday."})
    src = tmp_path / "my posts.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl")
    (command,) = re.findall(r"`(mkdir -p .*)`", err.value.fix)
    subprocess.run(["bash", "-c", command], check=True, timeout=60)
    good = tmp_path / "good" / "my posts.jsonl"
    kept = good.read_bytes()
    assert kept == b"\xef\xbb\xbf" + "".join(lines[n] + "\n" for n in (0, 2, 4)).encode()
    stats = ingest([good], tmp_path / "p.jsonl", min_chars=0, near_dup_threshold=None)
    assert stats.documents == 3


def test_one_broken_line_is_said_as_before(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text(_line(1) + "\n{\n" + _line(3) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl")
    assert "line 2 is not valid JSON (Expecting property name enclosed" in str(err.value)
    assert "more line" not in str(err.value)
