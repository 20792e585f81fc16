"""Two inputs a newcomer brings whose fix said nothing useful: a spreadsheet
(``posts.xlsx``: "convert the file or rename it with the right extension", and renamed
to .csv its bytes are a zip archive) and a table whose text sits inside an object or a
list (``{"post": {"body": ...}}``: "make that row's text a string"). The fixes now say
to save the sheet as CSV UTF-8, and to flatten the object (naming its text fields, with
a jq command for the file) or join the list."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from tests.test_cli import _error_line, run


@pytest.mark.parametrize("name", ["posts.xlsx", "Posts.XLS", "posts.ods"])
def test_a_spreadsheet_is_told_to_be_saved_as_csv(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    src.write_bytes(b"PK\x03\x04")
    line = _error_line(run("ingest", str(src), "--out", str(tmp_path / "p.parquet")))
    assert "it is a spreadsheet" in line and "CSV UTF-8" in line
    assert f"then pass {src.with_suffix('.csv')}" in line
    assert "rename it with the right extension" not in line


def test_nested_text_names_its_fields_and_how_to_flatten(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    row = {"id": "p1", "post": {"id": "9", "body": "We will find you after the rally."}}
    src.write_text(json.dumps(row) + "\n")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl", text_column="post")
    fix = err.value.fix or ""
    assert "nested inside the object (its text fields: 'id', 'body')" in fix
    assert f"jq -c '. + {{text: .post.body}} | del(.post)' {src}" in fix


def test_text_as_a_list_is_told_to_be_joined(tmp_path: Path) -> None:
    src = tmp_path / "posts.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": [["part one.", "part two."]]}), src)
    with pytest.raises(InputError, match="holds a list") as err:
        ingest([src], tmp_path / "p.jsonl")
    assert "join the list's items into one string" in (err.value.fix or "")


def test_a_number_as_text_keeps_its_fix(tmp_path: Path) -> None:
    src = tmp_path / "n.jsonl"
    src.write_text('{"id": "1", "text": 42}\n')
    with pytest.raises(InputError, match="holds an int") as err:
        ingest([src], tmp_path / "p.jsonl")
    assert "make that row's text a string" in (err.value.fix or "")


@pytest.mark.parametrize(
    ("nested", "path"),
    [
        ({"text": "Some nested text here about things.", "lang": "en"}, ".body.text"),
        (
            {
                "title": "Hi",
                "content": "This is the long body text.",
                "lang": "en",
                "author": "bob",
            },
            ".body.content",
        ),
        ({"lang": "en", "x": "This is the long body text of the post.", "by": "bob"}, ".body.x"),
        (
            {"the words": "This is the long body text of the post.", "lang": "en"},
            '.body."the words"',
        ),
    ],
)
def test_the_jq_fix_takes_the_text_field_not_the_last(
    tmp_path: Path, nested: dict[str, str], path: str
) -> None:
    """The jq line copied the object's last string field into ``text`` (``.body.lang``:
    "en"), so following it ingested language codes or authors' names (passB50 Q3); it now
    takes the field named like a text, else the longest string, and says which."""
    src = tmp_path / "posts.jsonl"
    src.write_text(json.dumps({"id": "n1", "body": nested}) + "\n")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl", text_column="body")
    fix = err.value.fix or ""
    assert f"jq -c '. + {{text: {path}}} | del(.body)' {src}" in fix
    assert f"the text is probably {path.removeprefix('.body.').strip(chr(34))!r}" in fix


def test_a_dotted_text_column_is_told_to_flatten(tmp_path: Path) -> None:
    """``--text-column body.text`` was told to pass ``--text-column 'body'``, which leads
    to the nested-object error; it is now told that paths are not read, and how to flatten."""
    src = tmp_path / "posts.jsonl"
    src.write_text(json.dumps({"id": "n1", "body": {"text": "Nested text.", "lang": "en"}}) + "\n")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl", text_column="body.text")
    fix = err.value.fix or ""
    assert "names a top-level column, not a path into an object" in fix
    assert f"jq -c '. + {{text: .body.text}} | del(.body)' {src} > flat.jsonl" in fix
    assert "--text-column 'body'" not in fix


@pytest.mark.parametrize(
    ("name", "told"),
    [
        ("memo.docx", "it is a word-processor document"),
        ("Memo.ODT", "it is a word-processor document"),
        ("scan.pdf", "it is a PDF"),
    ],
)
def test_a_document_is_told_to_be_saved_as_text(tmp_path: Path, name: str, told: str) -> None:
    """newuser63 #5: a .docx or a .pdf was told "convert the file ... or rename it with the
    right extension", and renamed .txt its bytes are a zip archive or a PDF (binary)."""
    src = tmp_path / name
    src.write_bytes(b"PK\x03\x04" if "pdf" not in name else b"%PDF-1.4\n")
    line = _error_line(run("ingest", str(src), "--out", str(tmp_path / "p.parquet")))
    assert told in line and f"then pass {src.with_suffix('.txt')}" in line, line
    assert "rename it with the right extension" not in line


def test_a_document_in_a_folder_is_skipped_with_its_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "memo.docx").write_bytes(b"PK\x03\x04")
    (folder / "post.txt").write_text("We will find you after the rally, all of you.\n")
    with caplog.at_level("WARNING", logger="annotate"):
        ingest([folder], tmp_path / "p.jsonl")
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "memo.docx: unsupported file type '.docx', skipped" in said
    assert "to ingest it: it is a word-processor document" in said, said
