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


def _command(fix: str) -> str:
    import re

    (command,) = re.findall(r"`(mkdir -p [^`]*)`", fix)
    return command


def test_the_good_lines_command_says_how_many_lines_it_dropped(tmp_path: Path) -> None:
    """break9 N15: the command dropped lines without a word."""
    import subprocess

    src = tmp_path / "posts.jsonl"
    src.write_text(_line(1) + "\n{\n" + _line(3) + "\n[1]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl")
    ran = subprocess.run(
        ["bash", "-c", _command(err.value.fix)], capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert "kept 2 line(s); dropped 2 line(s) that are not one JSON object each" in ran.stderr
    assert "says how many lines it dropped" in err.value.fix


@pytest.mark.parametrize("shape", ["pretty", "mixed", "array"])
def test_pretty_printed_json_is_told_apart_and_rewritten_one_object_a_line(
    tmp_path: Path, shape: str
) -> None:
    """break9 N15: objects written over several lines (json.dumps(indent=2)) were "broken
    lines", and the command offered to "read the other lines" kept none of a pretty file
    (an empty copy) and silently lost the indented rows of a mixed one. The error now
    says the file is pretty-printed JSON, not JSONL, and its command writes every object
    on a line of its own; all of them are then ingested."""
    import subprocess

    rows = [{"id": str(n), "text": f"Post number {n} about the café closure."} for n in range(4)]
    if shape == "pretty":
        body = "\n".join(json.dumps(r, indent=2, ensure_ascii=False) for r in rows) + "\n"
    elif shape == "mixed":
        body = "".join(
            json.dumps(r, indent=2 if n % 2 else None, ensure_ascii=False) + "\n"
            for n, r in enumerate(rows)
        )
    else:
        body = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    src = tmp_path / "posts.jsonl"
    src.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl")
    said = str(err.value)
    assert "(pretty-printed JSON), not JSONL" in said, said
    assert ("one JSON array of 4 object(s)" if shape == "array" else "4 JSON object(s)") in said
    assert "To read the other lines" not in err.value.fix
    ran = subprocess.run(
        ["bash", "-c", _command(err.value.fix)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert ran.returncode == 0 and "wrote 4 object(s), one a line" in ran.stderr, ran.stderr
    good = tmp_path / "good" / "posts.jsonl"
    assert [json.loads(line) for line in good.read_text(encoding="utf-8").splitlines()] == rows
    stats = ingest([good], tmp_path / "p.jsonl", min_chars=0, near_dup_threshold=None)
    assert stats.documents == 4


def test_no_copy_of_the_other_lines_is_offered_when_no_line_is_an_object(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text("{\n[1, 2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl")
    assert "line 1 is not valid JSON" in str(err.value)
    assert err.value.fix == "fix or delete those lines; every line must be one JSON object."


@pytest.mark.parametrize("shape", ["broken", "pretty"])
def test_a_file_of_a_folder_given_is_repaired_outside_the_folder(
    tmp_path: Path, shape: str
) -> None:
    """break9 N9: for a file read under a folder given, the command wrote its copy into
    that folder (read again next time, beside the still-broken original), and "ingest
    that instead" left the folder's other files out. The copy now goes beside the folder,
    and the fix says to swap it in and ingest the folder again: all its files are read."""
    import re
    import subprocess

    dump = tmp_path / "dump"
    dump.mkdir()
    if shape == "broken":
        (dump / "a.jsonl").write_text(_line(1) + '\n{"id": "2", "text": "b\n')
    else:
        (dump / "a.jsonl").write_text(json.dumps(json.loads(_line(1)), indent=2) + "\n")
    (dump / "b.jsonl").write_text(_line(3) + "\n")
    with pytest.raises(InputError) as err:
        ingest([dump], tmp_path / "p.jsonl")
    fix = err.value.fix
    assert f"outside the input folder {dump}" in fix, fix
    commands = re.findall(r"`((?:mkdir|mv) [^`]*)`", fix)
    assert [c.split()[0] for c in commands] == ["mkdir", "mv"], commands
    for command in commands:
        subprocess.run(["bash", "-c", command], check=True, timeout=60, cwd=tmp_path)
    assert sorted(p.name for p in dump.iterdir()) == ["a.jsonl", "b.jsonl"]
    stats = ingest([dump], tmp_path / "p.jsonl", min_chars=0, near_dup_threshold=None)
    assert stats.documents == 2
