"""``ingest --encoding CODEC``: a fallback encoding for legacy corpora. Real corpora mix
encodings (the BBC News corpus has UTF-8 and Windows-1252 files side by side), so each
file is still read as UTF-8 first and only one that is not UTF-8 is read as CODEC,
strictly; each file so read is listed in the run record (``ingest_run.decoded_files``)."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest

UTF8 = "Caf\u00e9 \u201cna\u00efve\u201d \u2014 the owner said the threats began in May.\n"
CP1252 = "A \u00a315.8m signing \u2014 \u201cwe will not close\u201d, the club\u2019s owner said.\n"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _decoded(rows: list[dict]) -> list[dict]:
    """The run's ``decoded_files`` list (on the row whose record lists it in full)."""
    records = [json.loads(r["ingest_run"]) for r in rows]
    (listing,) = [r["decoded_files"] for r in records if isinstance(r.get("decoded_files"), list)]
    return listing


def _mixed(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    root.mkdir()
    (root / "a.txt").write_text(UTF8, encoding="utf-8")
    (root / "b.txt").write_bytes(CP1252.encode("cp1252"))
    return root


def test_utf8_and_cp1252_files_side_by_side_are_both_read_right(tmp_path: Path) -> None:
    root = _mixed(tmp_path)
    out = tmp_path / "p.jsonl"
    stats = ingest([root], out, encoding="cp1252", near_dup_threshold=None)
    rows = _rows(out)
    texts = {r["doc_id"]: r["text"] for r in rows}
    assert texts == {"news/a.txt": UTF8.strip(), "news/b.txt": CP1252.strip()}
    by_doc = {r["doc_id"]: r for r in rows}
    b = by_doc["news/b.txt"]
    assert CP1252[b["start"] : b["end"]] == b["text"]  # offsets count decoded characters
    assert b["document_sha256"] == hashlib.sha256(CP1252.encode("utf-8")).hexdigest()
    assert stats.decoded_files == ["news/b.txt"]
    data = (root / "b.txt").read_bytes()
    assert _decoded(rows) == [
        {
            "file": "news/b.txt",
            "encoding": "cp1252",
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
    ]


def test_a_utf8_corpus_is_read_as_before_with_the_option(tmp_path: Path) -> None:
    root = tmp_path / "news"
    root.mkdir()
    (root / "a.txt").write_text(UTF8, encoding="utf-8")
    plain, given = tmp_path / "plain.jsonl", tmp_path / "given.jsonl"
    ingest([root], plain)
    stats = ingest([root], given, encoding="cp1252")
    assert stats.decoded_files == []
    assert _rows(plain) == _rows(given)  # the same rows, the same run id


@pytest.mark.parametrize("name", ["rows.csv", "rows.tsv", "rows.jsonl"])
def test_tables_not_in_utf8_are_read_as_the_codec(name: str, tmp_path: Path) -> None:
    root = tmp_path / "tables"
    root.mkdir()
    table = root / name
    if name.endswith(".jsonl"):
        lines = [json.dumps({"id": "r1", "text": CP1252}, ensure_ascii=False)]
        lines.append(json.dumps({"id": "r2", "text": UTF8}, ensure_ascii=False))
        table.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    else:
        sep = "\t" if name.endswith(".tsv") else ","
        body = f'id{sep}text\nr1{sep}"{CP1252.strip()}"\n'
        table.write_bytes(body.encode("cp1252"))
    good = "Zo\u00eb\u2019s caf\u00e9 stays \u201copen\u201d, the council said."
    (root / "good.csv").write_text(f'id,text\ng1,"{good}"\n', encoding="utf-8")
    out = tmp_path / "p.jsonl"
    stats = ingest([root], out, encoding="cp1252", near_dup_threshold=None)
    texts = {r["doc_id"]: r["text"] for r in _rows(out)}
    assert texts["r1"] == CP1252.strip()
    assert texts["g1"] == good  # the UTF-8 table beside it, unchanged
    if name.endswith(".jsonl"):
        assert texts["r2"] == UTF8.strip()  # cp1252 holds every character of it
    assert stats.decoded_files == [f"tables/{name}"]
    assert [f["file"] for f in _decoded(_rows(out))] == [f"tables/{name}"]


@pytest.mark.parametrize("name", ["cp1252x", "utf-16", "base64"])
def test_an_unknown_or_unsupported_codec_fails_before_any_work(name: str, tmp_path: Path) -> None:
    root = _mixed(tmp_path)
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([root], out, encoding=name)
    assert f"--encoding {name!r}" in err.value.what
    assert "cp1252" in str(err.value)  # an example of a name that works
    assert not out.exists() and not list(tmp_path.glob(".p.jsonl*"))


def test_a_byte_the_codec_leaves_undefined_is_a_bad_file_naming_it(tmp_path: Path) -> None:
    root = tmp_path / "news"
    root.mkdir()
    (root / "a.txt").write_text(UTF8, encoding="utf-8")
    (root / "b.txt").write_bytes(b"A \xa3 sign and \x81 here.\n")  # 0x81: undefined in cp1252
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([root], out, encoding="cp1252")
    assert "b.txt" in err.value.what
    assert (  # where UTF-8 failed (the pound sign), then where cp1252 did
        "byte offset 2 (line 1, column 3) is not valid UTF-8, and byte offset 13, byte 0x81, "
        "is undefined in cp1252 (--encoding;" in err.value.what
    )
    assert not out.exists()
    stats = ingest([root], out, encoding="cp1252", skip_bad_files=True)
    assert stats.decoded_files == [] and len(stats.bad_files_skipped) == 1
    assert stats.bad_files_skipped[0].startswith(f"{root}/b.txt (")


def test_a_binary_file_stays_a_bad_file(tmp_path: Path) -> None:
    """latin-1 reads every byte: a binary file named like text must still be refused."""
    root = tmp_path / "news"
    root.mkdir()
    (root / "a.txt").write_text(UTF8, encoding="utf-8")
    rng = random.Random(7)
    (root / "photo.txt").write_bytes(bytes(rng.getrandbits(8) for _ in range(4096)))
    with pytest.raises(InputError) as err:
        ingest([root], tmp_path / "p.jsonl", encoding="latin-1")
    assert "photo.txt" in err.value.what and "does not look like a text file" in err.value.what


def test_the_error_without_the_option_names_it_first(tmp_path: Path) -> None:
    root = _mixed(tmp_path)
    with pytest.raises(InputError) as err:
        ingest([root], tmp_path / "p.jsonl")
    fix = str(err.value.fix)
    assert fix.startswith("read the files that are not UTF-8 as cp1252 with `--encoding cp1252`")
    assert fix.index("--encoding") < fix.index("iconv -f CP1252") < fix.index("--skip-bad-files")
    assert "no encoding option" not in fix


def test_the_cli_reads_them_and_says_how_many(tmp_path: Path) -> None:
    root = _mixed(tmp_path)
    out = tmp_path / "p.jsonl"
    ran = CliRunner().invoke(
        app, ["ingest", "-q", str(root), "--out", str(out), "--encoding", "cp1252"]
    )
    assert ran.exit_code == 0, ran.output
    assert "1 file not UTF-8 read as cp1252 (--encoding; listed in ingest_run.decoded_files)" in (
        ran.output
    )
    bad = CliRunner().invoke(app, ["ingest", "-q", str(root), "--out", str(out), "--encoding", "x"])
    assert bad.exit_code == 1 and "error: --encoding 'x'" in bad.output
    assert "Traceback" not in bad.output


def test_a_table_read_as_the_codec_is_checked_for_its_columns_and_bytes(tmp_path: Path) -> None:
    root = tmp_path / "tables"
    root.mkdir()
    (root / "a.txt").write_text(UTF8, encoding="utf-8")
    (root / "rows.csv").write_bytes(f'id,body\nr1,"{CP1252.strip()}"\n'.encode("cp1252"))
    with pytest.raises(InputError) as err:  # named before any work, as a UTF-8 table is
        ingest([root], tmp_path / "p.jsonl", encoding="cp1252")
    assert "rows.csv" in err.value.what and "'text'" in err.value.what
    assert "body" in str(err.value)
    (root / "rows.csv").write_bytes(b"id,text\nr1,a \x81 b\n")
    with pytest.raises(InputError) as undefined:
        ingest([root], tmp_path / "p.jsonl", encoding="cp1252")
    assert "byte offset 13 (line 2, column 6), byte 0x81, is not valid UTF-8" in (
        undefined.value.what
    )


def test_latin1_given_for_a_cp1252_file_is_refused_before_any_work(tmp_path: Path) -> None:
    """Latin-1 reads every byte, so cp1252's curly quotes would come out as C1 controls:
    the file is a bad file, its fix naming cp1252, not a run that fails half-way."""
    root = _mixed(tmp_path)
    with pytest.raises(InputError) as err:
        ingest([root], tmp_path / "p.jsonl", encoding="latin-1")
    assert "b.txt" in err.value.what and "C1 control character" in err.value.what
    assert "--encoding cp1252" in str(err.value.fix)


def test_a_table_named_alone_without_rows_in_the_codec_is_empty(tmp_path: Path) -> None:
    """A header-only CSV in cp1252 named on the command line with --encoding cp1252 fails
    as empty (no rows), as a UTF-8 one does, not as a file that is not UTF-8."""
    table = tmp_path / "posts.csv"
    table.write_bytes("id,text,caf\u00e9\n".encode("cp1252"))
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([table], out, encoding="cp1252")
    assert "posts.csv" in err.value.what and "no rows" in err.value.what
    assert "not valid UTF-8" not in err.value.what
    assert not out.exists()


def test_other_commands_reading_a_table_do_not_offer_the_option(tmp_path: Path) -> None:
    """`annotate prelabel` of a cp1252 table: the fix re-encodes it (prelabel has no
    --encoding; the shared table reader's error named ingest's option)."""
    table = tmp_path / "passages.csv"
    table.write_bytes(f"id,text\n1,{CP1252}".encode("cp1252"))
    ran = CliRunner().invoke(app, ["prelabel", str(table), "--out", str(tmp_path / "o.jsonl")])
    assert ran.exit_code != 0
    said = " ".join(ran.output.split())
    assert "looks like cp1252" in said and "iconv -f CP1252" in said
    assert "--encoding" not in said


def test_the_audit_report_names_the_files_read_as_the_codec(tmp_path: Path) -> None:
    """The run record's decoded_files reach the audit report's provenance section, in full
    from the run's first passage and as a count from its summary on the others."""
    from annotate.audit.provenance import ingest_run_lines

    out = tmp_path / "p.jsonl"
    ingest([_mixed(tmp_path)], out, encoding="cp1252")
    records = [json.loads(r["ingest_run"]) for r in _rows(out)]
    listed = next(r for r in records if isinstance(r.get("decoded_files"), list))
    text = " ".join("\n".join(ingest_run_lines({"runs": [{**listed, "rows": 2}]})).split())
    assert "read 1 input file(s) that were not UTF-8 with the codec given to `--encoding`" in text
    assert "(cp1252)" in text and "b.txt" in text
    # two documents, two passages at least: the other rows hold the list's summary
    summary = next(r for r in records if isinstance(r.get("decoded_files"), dict))
    text = " ".join("\n".join(ingest_run_lines({"runs": [{**summary, "rows": 2}]})).split())
    assert "read 1 input file(s) that were not UTF-8" in text and "which this corpus lacks" in text


def test_each_file_is_scanned_once_to_choose_its_codec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The input check chooses each file's codec (UTF-8, or --encoding's for a file that
    is not UTF-8) and the readers read with its choice: they scanned every file again
    (file_codec, decode_bytes), a table up to four times more, before its rows were read."""
    import annotate._util.encoding as encoding
    import annotate.ingestion.bad_files as bad_files

    root = _mixed(tmp_path)  # a.txt UTF-8, b.txt cp1252
    (root / "c.csv").write_bytes(f'id,text\nc1,"c: {CP1252.strip()}"\n'.encode("cp1252"))
    row = json.dumps({"id": "d1", "text": "d: " + CP1252}, ensure_ascii=False)
    (root / "d.jsonl").write_bytes((row + "\n").encode("cp1252"))
    (root / "e.csv").write_text(f'id,text\ne1,"{UTF8.strip()}"\n', encoding="utf-8")
    named = root.parent / "f.csv"  # a table named alone: checked for rows too
    named.write_bytes(f'id,text\nf1,"f: {CP1252.strip()}"\n'.encode("cp1252"))
    plain = tmp_path / "plain.jsonl"
    ingest([root, named], plain, encoding="cp1252", near_dup_threshold=None)

    fallback: list[str] = []  # the fallback codec read through a file: its choice
    utf8: list[str] = []  # a table's bytes checked as UTF-8
    first_undecodable, first_bad_utf8 = encoding.first_undecodable, encoding.first_bad_utf8

    def undecodable(path: Path, codec: str, *args: int) -> object:
        fallback.append(path.name)
        return first_undecodable(path, codec, *args)

    def bad_utf8(path: Path, *args: int) -> object:
        utf8.append(path.name)
        return first_bad_utf8(path, *args)

    monkeypatch.setattr(encoding, "first_undecodable", undecodable)
    monkeypatch.setattr(encoding, "first_bad_utf8", bad_utf8)
    monkeypatch.setattr(bad_files, "first_bad_utf8", bad_utf8)
    out = tmp_path / "p.jsonl"
    stats = ingest([root, named], out, encoding="cp1252", near_dup_threshold=None)
    assert sorted(fallback) == ["b.txt", "c.csv", "d.jsonl", "f.csv"]  # once each
    assert sorted(utf8) == ["c.csv", "d.jsonl", "e.csv", "f.csv"]  # once each table
    assert stats.decoded_files == ["news/b.txt", "news/c.csv", "news/d.jsonl", "f.csv"]
    assert _rows(out) == _rows(plain)  # the same rows and run record
    texts = {r["doc_id"]: r["text"] for r in _rows(out)}
    assert [texts["c1"], texts["d1"], texts["f1"]] == [
        f"{p}{CP1252.strip()}" for p in ("c: ", "d: ", "f: ")
    ]


@pytest.mark.parametrize("name", ["bom.csv", "bom.jsonl", "bom.txt"])
def test_a_utf8_mark_on_a_cp1252_file_is_dropped_and_named(
    name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An editor that adds a UTF-8 byte-order mark to a cp1252 file: read as cp1252 (the
    mark is not read as ``ï»¿``, which hid the id column: ``--id-column 'ï»¿post_id'`` was
    suggested), with a warning that the file claims UTF-8 (passB50 Q9)."""
    path = tmp_path / name
    if name.endswith(".csv"):
        body = f'post_id,text,author\r\np1,"{CP1252.strip()}",ann\r\n'
    elif name.endswith(".jsonl"):
        body = json.dumps({"post_id": "p1", "text": CP1252.strip()}, ensure_ascii=False) + "\n"
    else:
        body = CP1252
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("cp1252"))
    out = tmp_path / "p.jsonl"
    with caplog.at_level("WARNING"):
        ingest(
            [path],
            out,
            encoding="cp1252",
            near_dup_threshold=None,
            id_column=None if name.endswith(".txt") else "post_id",
        )
    (row,) = _rows(out)
    assert row["text"] == CP1252.strip()
    assert row["doc_id"] == ("bom.txt" if name.endswith(".txt") else "p1")
    assert "\u00ef\u00bb\u00bf" not in json.dumps(row, ensure_ascii=False)
    assert "starts with a UTF-8 byte-order mark but is not UTF-8" in caplog.text
    assert "read as cp1252 (--encoding), the mark dropped" in caplog.text
