"""One bad file among a folder's thousands (another encoding, binary, unreadable) no longer
stops a run at the first, each re-run naming only the next: one pass names them all, each
with its fix, before any work, and ``--skip-bad-files`` leaves them out, listing them in
the run record (``ingest_run.skipped_files``) so an audit sees what was left out. Fixed
and ingested again with ``--previous``, only their passages are written."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest

GOOD = "The council condemned the attack on the market and promised a full inquiry.\n"
CP1252 = "Caf\u00e9 \u201cnaive\u201d \u2014 the owner said the threats began in May.\n"
ROW = "A caf\u00e9 owner \u2014 \u201cwe will not close\u201d \u2014 spoke to reporters.\n"


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "posts"
    (root / "2026").mkdir(parents=True)
    (root / "a.txt").write_text(GOOD, encoding="utf-8")
    (root / "2026" / "b.txt").write_bytes(CP1252.encode("cp1252"))
    rng = random.Random(7)
    (root / "2026" / "photo.txt").write_bytes(bytes(rng.getrandbits(8) for _ in range(4096)))
    (root / "2026" / "c.md").write_text("# Report\n\nPolice said two men were arrested.\n")
    (root / "rows.csv").write_bytes(f"id,text\n1,{ROW}".encode("cp1252"))
    return root


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_error_names_every_bad_file_before_any_work(tmp_path: Path, caplog) -> None:
    out = tmp_path / "p.jsonl"
    with caplog.at_level(logging.WARNING), pytest.raises(InputError) as err:
        ingest([_folder(tmp_path)], out)
    said = str(err.value)
    assert said.startswith("3 input files cannot be read as UTF-8 text (2 cp1252, 1 binary)")
    for name in ("posts/2026/b.txt (cp1252)", "posts/2026/photo.txt (binary)"):
        assert name in said, said
    assert "posts/rows.csv (cp1252)" in said and "--skip-bad-files" in str(err.value.fix)
    # each one logged with its own fix: the encoding to convert from, or to move it out
    assert "/posts/2026/b.txt' > '" in caplog.text
    # a copy to ingest, the original kept as received (passG52 G6: `&& mv` replaced it)
    assert "/posts/2026/b.utf8.txt'`, and move the original out of the input" in caplog.text
    assert "/posts/rows.utf8.csv'`, and move the original out of the input" in caplog.text
    assert "&& mv" not in caplog.text
    assert caplog.text.count("iconv -f CP1252 -t utf-8") == 2
    assert "photo.txt" in caplog.text and "move it out of the input" in caplog.text
    assert not out.exists() and not list(tmp_path.glob(".p.jsonl*"))


def test_a_lone_bad_file_keeps_its_own_error_and_names_the_option(tmp_path: Path) -> None:
    root = tmp_path / "posts"
    root.mkdir()
    (root / "a.txt").write_text(GOOD)
    (root / "b.txt").write_bytes(CP1252.encode("cp1252"))
    with pytest.raises(InputError) as err:
        ingest([root], tmp_path / "p.jsonl")
    assert "posts/b.txt: byte offset 3" in err.value.what and "cp1252" in err.value.what
    assert "iconv -f CP1252" in str(err.value.fix) and "--skip-bad-files" in str(err.value.fix)
    # named alone on the command line there is nothing else to ingest: no such option
    with pytest.raises(InputError) as alone:
        ingest([root / "b.txt"], tmp_path / "p.jsonl")
    assert "--skip-bad-files" not in str(alone.value)


def test_skipped_files_are_left_out_and_listed_in_the_run_record(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    out = tmp_path / "p.jsonl"
    stats = ingest([root], out, skip_bad_files=True)
    rows = _rows(out)
    assert sorted({r["doc_id"] for r in rows}) == ["posts/2026/c.md", "posts/a.txt"]
    assert stats.bad_files_skipped == [  # as given on the command line
        f"{root}/2026/b.txt (cp1252)",
        f"{root}/2026/photo.txt (binary)",
        f"{root}/rows.csv (cp1252)",
    ]
    (record,) = [_listing(r) for r in rows if _listing(r)]
    assert {json.loads(r["ingest_run"])["run"] for r in rows} == {record["run"]}
    listed = record["skipped_files"]
    assert [(f["file"], f["problem"]) for f in listed] == [
        ("posts/2026/b.txt", "cp1252"),
        ("posts/2026/photo.txt", "binary"),
        ("posts/rows.csv", "cp1252"),
    ]
    for f in listed:  # the version left out, as sha256sum names it
        data = (tmp_path / f["file"]).read_bytes()
        assert f["sha256"] == hashlib.sha256(data).hexdigest() and f["bytes"] == len(data)
    assert record["inputs"]["files"] == 2  # the files read; the skipped ones apart


def _listing(row: dict) -> dict | None:
    """The row's ingest_run when it lists skipped_files (else None)."""
    record = json.loads(row["ingest_run"])
    return record if isinstance(record.get("skipped_files"), list) else None


def test_skipped_files_are_listed_once_per_run_and_read_back_from_any_row(
    tmp_path: Path,
) -> None:
    """The list was repeated on every passage (and every task pushed): one row of the run
    lists them, the others hold their count and digest under the same run id; the run's
    readers (ingest --previous, pull's ingest_runs for export) find the list."""
    from annotate.ingestion.record import list_summary, recorded_runs
    from annotate.studio.pull import ingest_runs

    root = _folder(tmp_path)
    (root / "2026" / "d.md").write_text(
        "\n\n".join(f"Paragraph {k} of a long post." for k in range(9))
    )
    out = tmp_path / "p.jsonl"
    ingest([root], out, skip_bad_files=True, min_chars=1, max_chars=40)
    rows = _rows(out)
    records = [json.loads(r["ingest_run"]) for r in rows]
    listing = [r for r in records if isinstance(r["skipped_files"], list)]
    assert len(rows) > 3 and len(listing) == 1 and len({r["run"] for r in records}) == 1
    summary = list_summary(listing[0]["skipped_files"])
    assert summary["files"] == 3
    assert all(r["skipped_files"] == summary for r in records if r is not listing[0])
    assert recorded_runs(out).records == {listing[0]["run"]: listing[0]}
    tasks = [{"data": {"ingest_run": r["ingest_run"]}} for r in reversed(rows)]
    assert ingest_runs(tasks) == {listing[0]["run"]: listing[0]}


def test_a_file_of_the_previous_version_lists_them_on_every_row_and_reads_as_before(
    tmp_path: Path,
) -> None:
    """Files written before: the list on every row, the run id derived from it."""
    from annotate.audit.provenance import ingest_run_lines
    from annotate.ingestion.record import recorded_runs
    from annotate.studio.pull import ingest_runs

    listed = [{"file": "posts/b.txt", "problem": "cp1252", "sha256": "ab" * 32, "bytes": 9}]
    old = {"run": "ingest-0123456789abcdef", "annotate_version": "0.1.0", "skipped_files": listed}
    rows = [{"id": f"p{k}", "text": "t", "ingest_run": json.dumps(old)} for k in range(3)]
    out = tmp_path / "old.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert recorded_runs(out).records == {old["run"]: old}
    assert ingest_runs([{"data": r} for r in rows]) == {old["run"]: old}
    text = "\n".join(ingest_run_lines({"runs": [{**old, "rows": 3}]}))
    assert "left out 1 input file(s)" in text and "`posts/b.txt` (cp1252)" in text
    summary_only = {**old, "skipped_files": {"files": 4, "sha256": "cd" * 32}, "rows": 3}
    text = "\n".join(ingest_run_lines({"runs": [summary_only]}))
    assert "left out 4 input file(s)" in text and "which this corpus lacks" in text


def test_an_unreadable_file_is_named_and_can_be_skipped(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "posts"
    root.mkdir()
    (root / "a.txt").write_text(GOOD)
    (root / "locked.txt").write_text("Police said two men were arrested on Monday night.\n")
    real_open = Path.open

    def refuse(self: Path, *args, **kwargs):  # chmod 000 does not stop root, which CI may be
        if self.name == "locked.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError) as err:
        ingest([root], tmp_path / "p.jsonl")
    assert "posts/locked.txt: cannot be read (permission denied)" in err.value.what
    assert "chmod" in str(err.value.fix) and "--skip-bad-files" in str(err.value.fix)
    out = tmp_path / "p.jsonl"
    ingest([root], out, skip_bad_files=True)
    record = json.loads(_rows(out)[0]["ingest_run"])
    assert record["skipped_files"] == [
        {"file": "posts/locked.txt", "problem": "unreadable", "sha256": None, "bytes": None}
    ]


def test_fixed_files_ingested_again_give_only_their_passages(tmp_path: Path) -> None:
    """The re-run after fixing: with --previous only the fixed files' passages are written,
    none twice; together the two files hold what one run over the fixed folder writes."""
    root = _folder(tmp_path)
    first = tmp_path / "first.jsonl"
    ingest([root], first, skip_bad_files=True)
    (root / "2026" / "b.txt").write_text(CP1252, encoding="utf-8")
    (root / "rows.csv").write_text(f"id,text\n1,{ROW}", encoding="utf-8")
    (root / "2026" / "photo.txt").unlink()
    second = tmp_path / "second.jsonl"
    stats = ingest([root], second, previous=[first])
    assert stats.bad_files_skipped == []
    new = _rows(second)
    assert sorted({r["doc_id"] for r in new}) == ["1", "posts/2026/b.txt"]
    ids = [r["id"] for r in _rows(first) + new]
    assert len(ids) == len(set(ids))
    whole = tmp_path / "whole.jsonl"
    ingest([root], whole)
    assert sorted(ids) == sorted(r["id"] for r in _rows(whole))


def test_a_folder_of_only_bad_files_skipped_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "posts"
    root.mkdir()
    (root / "b.txt").write_bytes(CP1252.encode("cp1252"))
    with pytest.raises(InputError, match="no text in this folder: its 1 bad file"):
        ingest([root], tmp_path / "p.jsonl", skip_bad_files=True)
    assert not (tmp_path / "p.jsonl").exists()


def test_bad_files_named_alone_are_an_error_even_when_skipped(tmp_path: Path) -> None:
    """Left out, nothing would be read: an empty output is no answer to a bad file."""
    bad = tmp_path / "b.txt"
    bad.write_bytes(CP1252.encode("cp1252"))
    with pytest.raises(InputError, match="looks like cp1252"):
        ingest([bad], tmp_path / "p.jsonl", skip_bad_files=True)
    assert not (tmp_path / "p.jsonl").exists()


def test_the_cli_fails_naming_them_and_skips_them_when_asked(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    out = tmp_path / "p.parquet"
    failed = CliRunner().invoke(app, ["ingest", "-q", str(root), "--out", str(out)])
    assert failed.exit_code == 1 and not out.exists()
    assert "error: 3 input files cannot be read as UTF-8 text" in failed.output
    assert "Traceback" not in failed.output
    ran = CliRunner().invoke(
        app, ["ingest", "-q", str(root), "--out", str(out), "--skip-bad-files"]
    )
    assert ran.exit_code == 0, ran.output
    assert "3 bad files left out (--skip-bad-files; listed in ingest_run.skipped_files)" in (
        ran.output
    )
    assert "warning: 3 input files left out, not ingested" in ran.output
    assert f"--previous {out}" in ran.output and out.exists()


def test_the_suggested_command_converts_a_file_whose_name_has_quotes(tmp_path: Path) -> None:
    """The fix of a file not in UTF-8 is a shell command: run as written it must convert
    that file in place, also when its name holds an apostrophe or a space (``don't read
    me.txt``: quoted as '...', the apostrophe ended the quote and the command broke)."""
    import re
    import shutil
    import subprocess

    if shutil.which("iconv") is None or shutil.which("bash") is None:
        pytest.skip("needs iconv and bash")
    root = tmp_path / "it's posts"
    root.mkdir()
    bad = root / "don't read me.txt"
    bad.write_bytes(CP1252.encode("cp1252"))
    with pytest.raises(InputError) as err:
        ingest([bad], tmp_path / "p.jsonl")
    command = re.search(r"`(iconv [^`]+)`", str(err.value.fix))
    assert command is not None, err.value.fix
    done = subprocess.run(["bash", "-c", command.group(1)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # a UTF-8 copy beside it, the original kept as received (passG52 G6)
    assert bad.read_bytes() == CP1252.encode("cp1252")
    assert (root / "don't read me.utf8.txt").read_text(encoding="utf-8") == CP1252


def test_a_broken_link_is_named_not_silently_left_out(tmp_path: Path) -> None:
    """A link whose target is missing (a git-annex file whose content was not fetched, a
    moved target) cannot be read: it is named with the bad files, not left out without a
    word (in a folder) or told "no such file" with itself as the name meant (named
    alone); --skip-bad-files leaves it out and lists it."""
    root = tmp_path / "posts"
    root.mkdir()
    (root / "a.txt").write_text(GOOD)
    annexed = root / "b.txt"
    annexed.symlink_to(tmp_path / ".git" / "annex" / "objects" / "SHA256E-s42--ab.txt")
    with pytest.raises(InputError) as err:
        ingest([root], tmp_path / "p.jsonl")
    assert "posts/b.txt" in err.value.what and "does not exist" in err.value.what, err.value
    assert "git annex get" in str(err.value.fix) and "--skip-bad-files" in str(err.value.fix)

    out = tmp_path / "p.jsonl"
    stats = ingest([root], out, skip_bad_files=True)
    assert stats.documents == 1
    record = json.loads(_rows(out)[0]["ingest_run"])
    assert record["skipped_files"] == [
        {"file": "posts/b.txt", "problem": "broken link", "sha256": None, "bytes": None}
    ]
    # named on the command line beside a good file
    alone = tmp_path / "alone.jsonl"
    with pytest.raises(InputError, match="does not exist") as err:
        ingest([root / "a.txt", annexed], alone)
    assert "did you mean" not in str(err.value.fix)
    assert ingest([root / "a.txt", annexed], alone, skip_bad_files=True).documents == 1


def test_a_file_name_that_is_not_utf8_is_a_bad_file_not_a_traceback(tmp_path: Path) -> None:
    """break9 N13: a name from a Windows zip (cp1252 bytes) stopped ingest with a
    UnicodeEncodeError traceback (the run record's inputs digest, then the rows). It is
    a bad file: named with its bytes escaped and a rename that works; skipped with
    --skip-bad-files, the other files ingested and the run record written."""
    import os
    import subprocess

    root = tmp_path / "dump"
    root.mkdir()
    odd = os.fsdecode(os.fsencode(root) + b"/caf\xe9.jsonl")
    Path(odd).write_text('{"id": "1", "text": "' + GOOD.strip() + '"}\n', encoding="utf-8")
    (root / "b.jsonl").write_text('{"id": "2", "text": "' + ROW.strip() + '"}\n')
    out = tmp_path / "p.jsonl"
    failed = CliRunner().invoke(app, ["ingest", "-q", odd, "--out", str(out)])
    assert failed.exit_code == 1 and not out.exists(), failed.output
    said = " ".join(failed.output.split())
    assert isinstance(failed.exception, SystemExit), failed.exception  # no traceback
    assert "caf\\xe9.jsonl: its name is not UTF-8" in said, said
    assert "/caf\u00e9.jsonl'`" in said  # the rename the fix gives, as Windows-1252
    command = said.split("`mv ")[1].split("`")[0]
    subprocess.run(["bash", "-c", f"mv {command}"], check=True, cwd=tmp_path)
    assert (root / "caf\u00e9.jsonl").is_file()  # the suggested command renamed it
    (root / "caf\u00e9.jsonl").rename(odd)
    ran = CliRunner().invoke(
        app, ["ingest", "-q", str(root), "--out", str(out), "--skip-bad-files"]
    )
    assert ran.exit_code == 0, ran.output
    rows = _rows(out)
    assert [r["doc_id"] for r in rows] == ["2"]
    run = json.loads(rows[0]["ingest_run"])
    assert [f["file"] for f in run["skipped_files"]] == ["dump/caf\\xe9.jsonl"]
