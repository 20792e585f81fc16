"""Inputs as users have them (issue 12, items 4, 5, 6, 9): byte-order marks, legacy
encodings, control characters, paths typed differently, one id in two files."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError, PredictionError
from annotate.ingestion import ingest
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy

TEXT = "Officials said the attack on the depot killed nine people, police confirmed today."


def rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def write_input(folder: Path, fmt: str, *, bom: bool = False, text: str = TEXT) -> Path:
    prefix = "\ufeff" if bom else ""
    if fmt == "csv":
        path = folder / "export.csv"
        path.write_text(f'{prefix}id,text\n7,"{text}"\n', encoding="utf-8")
    elif fmt == "jsonl":
        path = folder / "export.jsonl"
        path.write_text(prefix + json.dumps({"id": "7", "text": text}) + "\n", encoding="utf-8")
    else:
        path = folder / "note.txt"
        path.write_text(prefix + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "txt"])
def test_a_byte_order_mark_is_dropped_in_every_format(fmt: str, tmp_path: Path) -> None:
    plain = ingest([write_input(tmp_path, fmt)], tmp_path / "a.parquet")
    with_bom = tmp_path / "bom"
    with_bom.mkdir()
    ingest([write_input(with_bom, fmt, bom=True)], tmp_path / "b.parquet")
    a, b = rows(tmp_path / "a.parquet"), rows(tmp_path / "b.parquet")
    assert plain.passages == 1 and len(b) == 1
    assert b[0]["text"] == TEXT and not b[0]["text"].startswith("\ufeff")
    # the id column is recognised, so the passage id is the one without a BOM
    assert b[0]["doc_id"] == a[0]["doc_id"] and b[0]["id"] == a[0]["id"]
    if fmt != "txt":
        assert b[0]["doc_id"] == "7"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "txt"])
def test_passage_ids_do_not_depend_on_how_the_path_was_typed(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = write_input(data, fmt)
    if fmt != "txt":  # no id column: ids fall back to the file name and row number
        path.write_text(path.read_text().replace("7", "seven").replace('"id"', '"ref"'))
        if fmt == "csv":
            path.write_text(path.read_text().replace("id,text", "ref,text"))
    (tmp_path / "elsewhere").mkdir()
    spellings = [
        (tmp_path, path),  # absolute
        (data, Path(path.name)),  # from its folder
        (tmp_path, Path("data") / path.name),  # relative
        (tmp_path / "elsewhere", Path("..") / "data" / ".." / "data" / path.name),
    ]
    ids, sources = set(), set()
    for n, (cwd, typed) in enumerate(spellings):
        monkeypatch.chdir(cwd)
        out = tmp_path / f"out{n}.parquet"
        ingest([typed], out)
        got = rows(out)
        ids.add(tuple(r["id"] for r in got))
        sources.add(tuple(r["source"] for r in got))
    assert len(ids) == 1 and len(sources) == 1
    assert not any(Path(s).is_absolute() or str(tmp_path) in s for s in next(iter(sources)))


def test_a_folder_given_as_dot_gets_the_same_ids(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "news"
    data.mkdir()
    write_input(data, "txt")
    monkeypatch.chdir(data)
    ingest([Path(".")], tmp_path / "a.parquet")
    monkeypatch.chdir(tmp_path)
    ingest([Path("news")], tmp_path / "b.parquet")
    a, b = rows(tmp_path / "a.parquet"), rows(tmp_path / "b.parquet")
    assert [r["id"] for r in a] == [r["id"] for r in b] and a[0]["doc_id"] == "news/note.txt"


@pytest.mark.parametrize("typed", ["..", "../", "../forum/.."])
def test_a_folder_given_as_dot_dot_gets_the_same_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    """`annotate ingest ..` from a sub-folder named every document `../forum/a.txt`: other
    passage ids than the same folder given by its name, so a push took the documents for
    new ones."""
    data = tmp_path / "news"
    (data / "forum").mkdir(parents=True)
    write_input(data, "txt")
    monkeypatch.chdir(data / "forum")
    ingest([Path(typed)], tmp_path / "a.parquet")
    monkeypatch.chdir(tmp_path)
    ingest([Path("news")], tmp_path / "b.parquet")
    a, b = rows(tmp_path / "a.parquet"), rows(tmp_path / "b.parquet")
    assert a[0]["doc_id"] == "news/note.txt" and a[0]["source"] == "news/note.txt", a[0]
    assert [r["id"] for r in a] == [r["id"] for r in b]


def cp1252_text() -> str:
    return "Caf\u00e9 owners said \u201cwe will not pay\u201d \u2013 a 50\u20ac fine. " * 3


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "txt"])
@pytest.mark.parametrize("filler_rows", [0, 3000])  # the bad byte early, and past 100 kB
def test_a_windows_1252_file_names_the_byte_and_the_encoding(
    fmt: str, filler_rows: int, tmp_path: Path
) -> None:
    good = "".join(f"row {i} of plain text that is valid UTF-8. " for i in range(filler_rows))
    body = good + cp1252_text()
    if fmt == "csv":
        raw = b'id,text\n1,"' + body.encode("cp1252") + b'"\n'
        head = len(b'id,text\n1,"') + len(good.encode())
    elif fmt == "jsonl":
        raw = b'{"id": "1", "text": "' + body.encode("cp1252") + b'"}\n'
        head = len(b'{"id": "1", "text": "') + len(good.encode())
    else:
        raw = body.encode("cp1252")
        head = len(good.encode())
    path = tmp_path / f"legacy.{fmt}"
    path.write_bytes(raw)
    expected = head + body[len(good) :].index("\u00e9")  # the first non-ASCII byte
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "out.parquet")
    message = str(err.value)
    line = 2 if fmt == "csv" else 1
    column = expected + 1 - (len(b"id,text\n") if fmt == "csv" else 0)  # all ASCII before it
    assert f"byte offset {expected} (line {line}, column {column}) is not valid UTF-8" in message
    assert "cp1252" in message and "latin1" not in message
    assert not (tmp_path / "out.parquet").exists()


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b"caf\xe9 au lait\n", "byte offset 3 (line 1, column 4)"),
        # characters, not bytes, as an editor counts them; lines from 1
        ("line one\nd\u00e9j\u00e0 caf".encode() + b"\xe9\n", "byte offset 19 (line 2, column 9)"),
        (b"\xef\xbb\xbfcaf\xe9\n", "byte offset 6 (line 1, column 4)"),  # a BOM is no column
    ],
)
def test_a_bad_byte_is_placed_as_an_editor_shows_it_with_the_offset_kept(
    raw: bytes, said: str, tmp_path: Path
) -> None:
    """`byte 3 (line 1)` counted the byte from 0 and read as an editor's column 3; it is
    `byte offset 3 (line 1, column 4)` now, with the fix (--encoding, or iconv)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "latin1.txt").write_bytes(raw)
    with pytest.raises(InputError) as err:
        ingest([docs], tmp_path / "out.parquet")
    assert f"latin1.txt: {said} is not valid UTF-8 (invalid continuation byte)" in str(err.value)
    assert "`iconv -f CP125" in (err.value.fix or "")
    assert "`--encoding cp125" in (err.value.fix or "")


@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 20])
def test_the_column_does_not_depend_on_how_the_file_is_read(chunk: int, tmp_path: Path) -> None:
    from annotate._util.encoding import _place_of

    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfab\nd\xc3\xa9j\xc3\xa0 caf\xe9\n")
    assert [_place_of(path, n, chunk) for n in (3, 4, 16)] == [(1, 1), (1, 2), (2, 9)]


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("A threat\x00 hidden after a NUL byte, sent to the depot staff tonight.", 1),
        ("Bell\x07 and escape\x1b[0m codes in a pasted chat log about the attack.", 2),
        ("Clean text with tabs\tand\r\nCRLF line ends is left alone entirely.", 0),
    ],
)
def test_control_characters_are_removed_and_counted(text: str, removed: int, tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "1", "text": text}) + "\n")
    stats = ingest([path], tmp_path / "out.parquet")
    assert stats.control_characters == removed
    out = rows(tmp_path / "out.parquet")[0]["text"]
    assert all(c in "\t\r\n" or ord(c) >= 32 for c in out)


@pytest.mark.parametrize(
    "c1", ["\x80", "\x93", "\x96\x94"]
)  # Latin-1-decoded cp1252 quotes, dashes, €
def test_c1_control_characters_are_an_error(c1: str, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "1", "text": f"He said {c1}we will come{c1} tonight."}) + "\n"
    )
    with pytest.raises(InputError, match=r"C1 control character.*wrong encoding"):
        ingest([path], tmp_path / "out.parquet")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_one_document_id_in_two_inputs_is_an_error(fmt: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    first = write_input(a, fmt)
    second = write_input(b, fmt, text="A different document about a museum visit today.")
    second = second.rename(b / f"other.{fmt}")
    with pytest.raises(InputError, match=r"document id '7' is used by two inputs.*export\..*other"):
        ingest([first, second], tmp_path / "out.parquet")


TAX = load_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())
FIXTURE = Path(__file__).parent / "fixtures" / "prelabels.jsonl"


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", "a NUL\x00 inside"), ("text", "C1 \x85 next line"), ("title", "bad\x1btitle")],
)
def test_push_validation_refuses_characters_a_server_refuses(field: str, value: str) -> None:
    row = {**json.loads(FIXTURE.read_text().splitlines()[2]), field: value}
    with pytest.raises(PredictionError, match=f"{field} holds 1 control character"):
        row_to_task(row, TAX, CONFIG, where="row 3")


def test_a_parquet_input_is_read_a_batch_at_a_time_not_whole(tmp_path: Path) -> None:
    """Reading the first rows of a large Parquet table holds a batch, not the file
    (pyarrow's pre-buffering would read every row group ahead)."""
    import random

    import pyarrow as pa

    from annotate.tables import iter_rows

    rng = random.Random(0)
    path = tmp_path / "big.parquet"
    with pq.ParquetWriter(path, pa.schema([("id", pa.string()), ("text", pa.string())])) as w:
        for g in range(40):  # 40 row groups of ~0.25 MB (compressed) of random text
            texts = [rng.randbytes(250).hex() for _ in range(1000)]
            ids = [f"{g}-{i}" for i in range(1000)]
            w.write_table(pa.table({"id": ids, "text": texts}))
    size = path.stat().st_size
    assert size > 8_000_000
    rows = iter_rows(path)
    first = next(rows)
    assert first["id"] == "0-0"
    assert pa.total_allocated_bytes() < size / 4


def test_skipped_rows_are_named_counting_from_one_as_editors_do(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A CSV's row N is on line N + 1 (the header is line 1) unless a quoted field runs
    over several lines; a JSONL row is named by its line (blank lines count)."""
    csv_path = tmp_path / "posts.csv"
    csv_path.write_text(f'id,text\n1,"{TEXT}"\n2,""\n3,"two\nlines"\n4,   \n', encoding="utf-8")
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_text(
        json.dumps({"id": "a", "text": TEXT})
        + "\n\n"
        + json.dumps({"id": "b", "text": None})
        + "\n",
        encoding="utf-8",
    )
    with caplog.at_level("WARNING", logger="annotate.ingestion.readers"):
        stats = ingest([csv_path, jsonl], tmp_path / "out.parquet")
    skipped = [r.getMessage() for r in caplog.records if "no text" in r.getMessage()]
    assert skipped == [  # the file as given (here absolute), as every input error names it
        f"{csv_path} row 2 (line 3): no text in column 'text'; skipped",
        f"{csv_path} row 4 (line 6): no text in column 'text'; skipped",
        f"{jsonl} line 3: no text in column 'text'; skipped",
    ]
    assert stats.empty_documents == 3 and stats.documents == 3
    # rows without an id column keep their ids (#index from 0): re-runs give the same ids
    (tmp_path / "noid.csv").write_text(f'text\n"{TEXT}"\n', encoding="utf-8")
    ingest([tmp_path / "noid.csv"], tmp_path / "noid.parquet")
    assert rows(tmp_path / "noid.parquet")[0]["doc_id"] == "noid.csv#0"


def test_a_jsonl_row_without_the_text_field_is_counted_apart_and_warned_of(
    tmp_path: Path,
) -> None:
    """A row whose text sits under another key (``body``) is no empty row: counted among
    "empty documents skipped", half of a merged export (its threats) went missing under
    a line that read like blank posts. It is counted apart, and the CLI warns with the
    first such row and its fields, and the fix (a line holding no text is still skipped)."""
    jsonl = tmp_path / "merged.jsonl"
    jsonl.write_text(
        json.dumps({"id": "a", "text": TEXT})
        + "\n"
        + json.dumps({"id": "b", "body": "I will hurt you and your family tonight."})
        + "\n"
        + json.dumps({"id": "c", "text": ""})
        + "\n",
        encoding="utf-8",
    )
    stats = ingest([jsonl], tmp_path / "out.parquet")
    assert (stats.documents, stats.empty_documents, stats.rows_without_text_field) == (1, 1, 1)
    assert stats.first_without_text_field == f"{jsonl} line 2 (fields 'id', 'body')"
    result = CliRunner().invoke(
        app, ["ingest", "-q", str(jsonl), "--out", str(tmp_path / "cli.parquet")]
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "1 empty document skipped, 1 row without a 'text' field skipped" in said
    assert (
        f"warning: 1 JSONL row had no 'text' field and was left out (first: {jsonl} line 2 "
        "(fields 'id', 'body'))" in said
    )
    assert "--text-column NAME" in said


def test_per_row_warnings_stop_after_the_first_few_with_one_line_of_the_count(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A JSONL export whose 20 rows hold their text under ``body`` wrote 20 warning lines
    (10,000 rows: 10,000 lines burying the summary). The first 3 of each kind are logged
    with their row, then one line says how many more; the summary keeps the count."""
    jsonl = tmp_path / "merged.jsonl"
    lines = [json.dumps({"id": "a", "text": TEXT})]
    lines += [json.dumps({"id": f"b{i}", "body": f"post {i}"}) for i in range(20)]
    lines += [json.dumps({"id": f"e{i}", "text": " "}) for i in range(5)]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="annotate"):
        stats = ingest([jsonl], tmp_path / "out.parquet")
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    # rows without the text field: warned once, by the run's summary (the CLI's), with
    # the first row and the count; each is at INFO (-v), so one row is not said twice
    assert not [m for m in said if "'text' field" in m]
    assert stats.first_without_text_field == f"{jsonl} line 2 (fields 'id', 'body')"
    assert len([m for m in said if "no text in column" in m]) == 3
    assert "... and 2 more empty documents (files or rows) skipped (5 in all; -v lists each)" in (
        said
    )
    assert len(said) == 4
    assert (stats.rows_without_text_field, stats.empty_documents) == (20, 5)


def test_a_folder_of_long_lines_and_control_characters_warns_of_the_first_few(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        (docs / f"{i}.txt").write_text(("word " * 400).strip() + f" \x07 {i}", encoding="utf-8")
    for i in range(5):
        (docs / f"{i}.png").write_bytes(b"\x89PNG")
    with caplog.at_level("WARNING", logger="annotate"):
        ingest([docs], tmp_path / "out.parquet", max_chars=500)
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len([m for m in said if "control character(s) removed" in m]) == 3
    assert len([m for m in said if "-character sentence at whitespace" in m]) == 3
    assert len([m for m in said if "unsupported file type" in m]) == 3
    assert "... and 3 more documents with control characters removed (6 in all; -v lists each)" in (
        said
    )
    assert "... and 3 more sentences cut (longer than a passage) (6 in all; -v lists each)" in said
    assert "... and 2 more files of unsupported type skipped (5 in all; -v lists each)" in said


@pytest.mark.parametrize(
    ("value", "shown"),
    [(42, "an int (42)"), (["a", "b"], 'a list (["a", "b"])'), (True, "a bool")],
)
def test_text_that_is_not_a_string_is_an_error_naming_the_line(
    value: object, shown: str, tmp_path: Path
) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        json.dumps({"id": "1", "text": TEXT})
        + "\n"
        + json.dumps({"id": "2", "text": value})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.parquet"
    with pytest.raises(InputError) as err:
        ingest([path], out)
    message = str(err.value)
    assert message.startswith(f"{path} line 2: column 'text' holds {shown}")
    assert "expected a string" in message and "Fix:" in message
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_one_document_id_on_two_rows_of_one_input_is_an_error(fmt: str, tmp_path: Path) -> None:
    """Two rows with one id would give passages with the same doc_id and passage_index
    (and offsets into different texts): refused, naming both rows."""
    other = "A different document about a museum visit today."
    if fmt == "csv":
        path = tmp_path / "export.csv"
        path.write_text(f'id,text\n7,"{TEXT}"\n8,"x {other}"\n7,"{other}"\n', encoding="utf-8")
        where = r"row 1 \(line 2\) and again on row 3 \(line 4\)"
    else:
        path = tmp_path / "export.jsonl"
        path.write_text(
            "".join(
                json.dumps({"id": i, "text": t}) + "\n"
                for i, t in (("7", TEXT), ("8", "x " + other), ("7", other))
            ),
            encoding="utf-8",
        )
        where = "line 1 and again on line 3"
    out = tmp_path / "out.parquet"
    with pytest.raises(InputError, match=rf"export\.{fmt}: document id '7' is on {where}"):
        ingest([path], out)
    assert not out.exists()
    fixed = path.read_text(encoding="utf-8").replace("7", "9", 1)  # re-run after the fix
    path.write_text(fixed, encoding="utf-8")
    assert ingest([path], out).documents == 3


def test_a_csv_row_with_an_unquoted_comma_is_an_error_not_a_cut_text(tmp_path: Path) -> None:
    path = tmp_path / "forum.csv"
    path.write_text(
        "id,text,author\n"
        '1,"Quoted, as a spreadsheet writes it, this row is fine.",ann\n'
        "2,The mayor said, quite clearly, that the march goes ahead,bob\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.parquet")
    assert "row 2 (line 3) has 5 fields, the header has 3" in str(err.value)
    assert "double quotes" in str(err.value.fix)
    assert not (tmp_path / "p.parquet").exists()


def test_a_csv_field_longer_than_the_csv_modules_default_limit_is_read(tmp_path: Path) -> None:
    long_text = "word " * 40_000 + "end."  # 200,004 characters: over csv's 131,072
    path = tmp_path / "long.csv"
    path.write_text(f'id,text\n1,"{long_text}"\n', encoding="utf-8")
    ingest([path], tmp_path / "p.parquet", dedupe=False, near_dup_threshold=None)
    got = rows(tmp_path / "p.parquet")
    assert "".join(r["text"] for r in got).replace(" ", "") == long_text.replace(" ", "")


def test_a_wrong_output_type_fails_before_any_input_is_read(tmp_path: Path, monkeypatch) -> None:
    import annotate.ingestion as ingestion

    def never(*args, **kwargs):
        raise AssertionError("the input was read before the output type was checked")

    monkeypatch.setattr(ingestion, "read_documents", never)
    with pytest.raises(InputError, match=r"unsupported output type '\.csv'"):
        ingest([write_input(tmp_path, "txt")], tmp_path / "passages.csv")


def _forum_csv(path: Path, order: list[int]) -> Path:
    posts = {
        1001: "I will find you after the match and make you pay for what you wrote here.",
        1002: "Route 7 has been late every morning this week, has anyone else noticed it?",
        1003: "Reminder from the moderators: threats get you banned, report them instead.",
    }
    body = "".join(f'{pid},"{posts[pid]}"\n' for pid in order)
    path.write_text("post_id,body\n" + body, encoding="utf-8")
    return path


def test_id_column_keeps_passage_ids_when_a_forum_export_comes_in_another_order(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ids = []
    for n, order in enumerate(([1001, 1002, 1003], [1003, 1001, 1002])):
        (tmp_path / f"week{n}").mkdir()
        path = _forum_csv(tmp_path / f"week{n}" / "forum.csv", order)
        out = tmp_path / f"p{n}.parquet"
        ingest([path], out, text_column="body", id_column="post_id")
        ids.append({r["doc_id"]: r["id"] for r in rows(out)})
    assert ids[0] == ids[1] and sorted(ids[0]) == ["1001", "1002", "1003"]
    assert "no id column" not in caplog.text
    # without it, rows are named by position: the same post gets another passage id
    ingest([path], tmp_path / "pos.parquet", text_column="body")
    assert "pass --id-column NAME (e.g. post_id)" in caplog.text
    by_position = {r["text"]: r["id"] for r in rows(tmp_path / "pos.parquet")}
    assert set(by_position.values()) != set(ids[0].values())


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_integer_ids_of_a_column_with_an_empty_cell_stay_the_integers(
    fmt: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """pandas stores an integer id column with an empty cell as floats (1.0, 2.0, NaN),
    in Parquet and in its JSON: the ids were "1.0" and "2.0", and the same rows without
    the empty cell "1" and "2", so a push made new tasks of documents already there. A
    CSV holds text: its ids are as written."""
    import pandas as pd

    texts = [f"{TEXT} Post {n}." for n in range(4)]
    ids = {}
    for name, column in (("full", [1, 2, 3, 12345678901]), ("gap", [1, 2, None, 12345678901])):
        frame = pd.DataFrame({"id": column, "text": texts})
        assert str(frame["id"].dtype) == ("int64" if name == "full" else "float64")
        (tmp_path / name).mkdir()
        path = tmp_path / name / f"export.{fmt}"
        if fmt == "parquet":
            frame.to_parquet(path)
        elif fmt == "jsonl":
            frame.to_json(path, orient="records", lines=True)
        else:
            frame.astype({"id": "Int64"}).to_csv(path, index=False)  # as a sheet holds it
        out = tmp_path / f"{name}.parquet"
        ingest([path], out)
        ids[name] = {r["text"]: (r["doc_id"], r["id"]) for r in rows(out)}
    assert [ids["full"][t][0] for t in texts] == ["1", "2", "3", "12345678901"]
    assert [ids["gap"][t][0] for t in texts] == ["1", "2", f"export.{fmt}#2", "12345678901"]
    assert all(ids["gap"][t] == ids["full"][t] for t in texts if t != texts[2])
    assert "floating-point" not in caplog.text


def test_a_float_id_that_is_no_exact_integer_is_kept_and_a_large_one_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """1.5 is no integer's id (kept as written); 2**53 + 2 held as a float may have lost
    digits: kept as the float reads, with a warning naming the row."""
    path = tmp_path / "export.jsonl"
    big = float(2**53 + 2)
    lines = [{"id": 1.5, "text": TEXT}, {"id": big, "text": TEXT + " Again."}]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    out = tmp_path / "p.parquet"
    ingest([path], out)
    assert sorted(r["doc_id"] for r in rows(out)) == sorted(["1.5", str(big)])
    assert f"line 2: id {big} in column 'id' is a floating-point number of 2**53" in caplog.text


def test_an_id_column_that_is_not_there_is_a_one_line_error(tmp_path: Path) -> None:
    path = _forum_csv(tmp_path / "forum.csv", [1001])
    with pytest.raises(InputError, match=r"missing column\(s\) 'postid'.*found 'post_id'") as err:
        ingest([path], tmp_path / "p.parquet", text_column="body", id_column="postid")
    assert "--id-column" in str(err.value.fix)


def test_an_output_path_that_is_a_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "corpus.parquet"  # e.g. an export written with that name
    folder.mkdir()
    (folder / "manifest.json").write_text("{}")
    with pytest.raises(InputError, match=r"corpus\.parquet is a folder") as err:
        ingest([write_input(tmp_path, "txt")], folder)
    assert "--out corpus.jsonl" in str(err.value.fix)
    assert (folder / "manifest.json").is_file()


def test_a_text_column_in_other_case_is_named_in_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f'ID,Text\n1,"{TEXT}"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.parquet")
    assert err.value.fix == "pass --text-column 'Text' (column names are matched exactly)."


def test_an_id_column_spelled_otherwise_is_named_in_the_fix(tmp_path: Path) -> None:
    """`--id-column postid` for a table's `post_id` said only "pass the column that holds
    each row's own id" (new-user trial); the text column already named a case variant."""
    path = tmp_path / "forum.csv"
    path.write_text(f'post_id,text\n1,"{TEXT}"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.parquet", id_column="postid")
    assert err.value.fix == "pass --id-column 'post_id' (column names are matched exactly)."


@pytest.mark.parametrize(
    ("encoding", "iconv"),
    [("utf-16", "UTF-16"), ("cp1252", "CP1252"), ("iso8859_10", "ISO-8859-10")],
)
def test_the_suggested_iconv_command_names_an_encoding_iconv_knows(
    encoding: str, iconv: str
) -> None:
    import shutil
    import subprocess

    from annotate._util.encoding import iconv_name

    assert iconv_name(encoding) == iconv
    if shutil.which("iconv"):  # the system's iconv accepts the name the fix prints
        ran = subprocess.run(["iconv", "-f", iconv, "-t", "utf-8"], input=b"ok", check=False)
        assert ran.returncode == 0


def test_a_utf16_jsonl_file_gets_an_iconv_fix_that_runs(tmp_path: Path) -> None:
    # a text file or CSV with its UTF-16 mark is read as the mark says (passG52 G6); a
    # JSONL file, read a line at a time as bytes, is still refused with the fix
    path = tmp_path / "notepad.jsonl"
    path.write_bytes((json.dumps({"id": "1", "text": TEXT}) + "\n").encode("utf-16"))
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.parquet")
    assert "`iconv -f UTF-16 -t utf-8 " in str(err.value.fix)


@pytest.mark.parametrize(
    ("name", "content", "encoding"),
    [
        ("posts.csv", f'id,text\n1,"{TEXT}"\n', "utf-16-le"),
        ("posts.jsonl", json.dumps({"id": "1", "text": TEXT}) + "\n", "utf-16-le"),
        ("note.txt", TEXT + "\n", "utf-16-le"),
        ("note.txt", TEXT + "\n", "utf-16-be"),
    ],
)
def test_utf16_without_a_byte_order_mark_gets_the_iconv_fix(
    tmp_path: Path, name: str, content: str, encoding: str
) -> None:
    """ASCII in UTF-16 without a mark is valid UTF-8 byte for byte: a CSV said "missing
    column(s) 'text'; found 'i\\x00d\\x00', ... Fix: pass --text-column
    '\\x00t\\x00e\\x00x\\x00t\\x00'", a JSONL "line 1 is not valid JSON", and a .txt was
    ingested with its NULs removed as control characters (a ’ read as a space)."""
    import shutil
    import subprocess

    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.parquet")
    assert "UTF-16" in str(err.value) and "--text-column" not in err.value.fix, err.value
    iconv = encoding.upper().replace("-16-", "-16")  # UTF-16LE
    assert f"`iconv -f {iconv} -t utf-8 " in err.value.fix, err.value.fix
    assert not (tmp_path / "p.parquet").exists()
    if shutil.which("iconv"):  # the fix, run as printed, gives a copy ingest reads
        command = err.value.fix.split("`")[1]
        subprocess.run(command, shell=True, check=True)
        assert path.read_bytes() == content.encode(encoding)  # the original kept (G6)
        copy = path.with_name(f"{path.stem}.utf8{path.suffix}")
        ingest([copy], tmp_path / "p.parquet")
        assert TEXT in rows(tmp_path / "p.parquet")[0]["text"]


def test_a_stray_nul_byte_in_utf8_text_is_still_removed_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(f"{TEXT} A NUL\x00 byte pasted from a terminal.\n".encode())
    stats = ingest([path], tmp_path / "p.parquet")
    assert stats.control_characters == 1


@pytest.mark.parametrize(
    ("header", "date_col"),
    [
        ("post_id,body,Posted_At,updated_at", "Posted_At"),
        ("post_id,body,timestamp,created_at", "created_at"),  # creation before a bare time
        ("post_id,body,created_utc,published", "published"),  # publication first
    ],
)
def test_a_forum_csvs_date_column_is_recognised(header: str, date_col: str, tmp_path: Path) -> None:
    columns = header.split(",")
    values = {c: f"2026-11-{10 + i}T08:00:00Z" for i, c in enumerate(columns[2:])}
    line = ",".join(["1001", f'"{TEXT}"', *values.values()])
    path = tmp_path / "forum.csv"
    path.write_text(f"{header}\n{line}\n", encoding="utf-8")
    out = tmp_path / "p.parquet"
    ingest([path], out, text_column="body", id_column="post_id")
    (row,) = rows(out)
    assert row["date"] == values[date_col]
    meta = json.loads(row["meta"])
    assert date_col not in meta and set(meta) == set(values) - {date_col}


def test_a_jsonl_rows_own_title_url_and_id_are_read_when_the_first_line_lacks_them(
    tmp_path: Path,
) -> None:
    """JSONL rows have their own keys: metadata of a later row went into meta, and a
    first line without 'text' made the whole file 'missing column text'."""
    path = tmp_path / "odd.jsonl"
    lines = [
        {"note": "header line without text"},
        {"text": TEXT, "lang": "en"},
        {"text": TEXT + " Again.", "id": "v1", "title": "Vigil", "url": "https://x.org/v"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    out = tmp_path / "p.parquet"
    ingest([path], out)
    got = {r["doc_id"]: r for r in rows(out)}
    assert set(got) == {"odd.jsonl#1", "v1"}
    assert got["v1"]["title"] == "Vigil" and got["v1"]["source"] == "https://x.org/v"
    assert got["v1"]["meta"] in (None, "", "{}")
    assert json.loads(got["odd.jsonl#1"]["meta"]) == {"lang": "en"}


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('id,text\n1,ok one\n2,"left open\n3,next row\n4,and another\n', 3),
        ('id,text\n1,ok one\n2,"a "quoted" word"\n3,fine\n', 3),
    ],
)
def test_a_csv_quote_that_does_not_pair_up_is_an_error_not_rows_merged(
    content: str, line: int, tmp_path: Path
) -> None:
    """An unclosed quote made rows 2-4 one document ('left open\\n3,next row\\n4,...');
    a quote inside a value that was not doubled lost its quote marks."""
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.parquet")
    assert f"the row starting on line {line}: the double quotes of a field do not pair up" in str(
        err.value
    )
    assert not (tmp_path / "p.parquet").exists()


def test_quoted_multi_line_fields_and_doubled_quotes_are_read(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        'id,text\r\n1,"two\r\nlines, with ""quotes"""\r\n2,he said "hi" there\r\n',
        encoding="utf-8",
    )
    ingest([path], tmp_path / "p.parquet")
    assert [r["text"] for r in rows(tmp_path / "p.parquet")] == [
        'two\r\nlines, with "quotes"',
        'he said "hi" there',
    ]


def test_a_json_file_is_told_how_to_become_json_lines(tmp_path: Path) -> None:
    """A moderation tool's `.json` export (an array of posts) got "convert the file (e.g.
    to .txt or .jsonl)": the fix names the conversion, and ingest reads its output."""
    import shutil
    import subprocess

    export = tmp_path / "queue.json"
    export.write_text(json.dumps([{"id": "a", "text": TEXT}]), encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([export], tmp_path / "out.parquet")
    fix = err.value.fix or ""
    command = f"jq -c '.[]' {export} > {tmp_path / 'queue.jsonl'}"
    assert f"`{command}`" in fix and "renaming to .jsonl" in fix
    if shutil.which("jq"):
        subprocess.run(command, shell=True, check=True)
        assert ingest([tmp_path / "queue.jsonl"], tmp_path / "out.parquet").documents == 1
