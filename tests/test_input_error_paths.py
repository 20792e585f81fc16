"""Every user-facing input error names the file the same way: the path as given on the
command line (relative to the working directory when given relative) and the row or line.
Errors about a table's rows named it by its bare name (``data.csv row 2``), so a user with
``one/data.csv`` and ``two/data.csv`` could not tell which; JSONL parse errors already
named the path as given. Ids and sources keep their own naming (the bare file name)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from tests.test_cli import _error_line, run

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = "A passage long enough to be kept by the splitter as one passage of its document."


@pytest.fixture
def two_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``one/`` and ``two/`` under the working directory (the test's tmp_path)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    return tmp_path


def _csv(path: Path, rows: list[tuple[str, str]], header: str = "id,text") -> None:
    path.write_text(header + "\n" + "".join(f'{i},"{t}"\n' for i, t in rows), encoding="utf-8")


def test_a_csv_row_error_names_the_file_as_given(two_folders: Path) -> None:
    _csv(two_folders / "one" / "data.csv", [("a", TEXT)])
    _csv(two_folders / "two" / "data.csv", [("b", TEXT), ("b", TEXT + " More.")])
    ran = run("ingest", "one/data.csv", "two/data.csv", "--out", "p.parquet", "-q")
    assert _error_line(ran).startswith(
        "error: two/data.csv: document id 'b' is on row 1 (line 2) and again on row 2 (line 3);"
    ), ran.stderr


def test_a_missing_text_column_names_the_file_as_given(two_folders: Path) -> None:
    _csv(two_folders / "one" / "data.csv", [("a", TEXT)])
    _csv(two_folders / "two" / "data.csv", [("b", TEXT)], header="id,body")
    ran = run("ingest", "one/data.csv", "two/data.csv", "--out", "p.parquet", "-q")
    assert _error_line(ran).startswith("error: two/data.csv: missing column(s) 'text'"), ran.stderr


def test_a_parquet_row_error_names_the_file_as_given(two_folders: Path) -> None:
    table = pa.table({"id": ["a", "b"], "text": [TEXT, "x"]})
    pq.write_table(table, two_folders / "one" / "data.parquet")
    bad = pa.table({"id": ["a", "b"], "text": [[TEXT], ["x"]]})  # a list, not a string
    pq.write_table(bad, two_folders / "two" / "data.parquet")
    ran = run("ingest", "one/data.parquet", "two/data.parquet", "--out", "p.parquet", "-q")
    assert _error_line(ran).startswith(
        "error: two/data.parquet row 1: column 'text' holds a list"
    ), ran.stderr


def test_a_file_of_a_folder_is_named_by_the_folder_as_given(two_folders: Path) -> None:
    """``in/two/data.csv``, not ``two/data.csv`` (the folder's name and the file's path in
    it, as the file's ids are named)."""
    for sub in ("one", "two"):
        (two_folders / "in" / sub).mkdir(parents=True)
    _csv(two_folders / "in" / "one" / "data.csv", [("a", TEXT)])
    _csv(two_folders / "in" / "two" / "data.csv", [("b", TEXT), ("b", TEXT + " More.")])
    ran = run("ingest", "in/one", "./in/two/", "--out", "p.parquet", "-q")
    assert _error_line(ran).startswith("error: in/two/data.csv: document id 'b' is on row 1"), (
        ran.stderr
    )


def test_ids_and_sources_keep_the_bare_name(two_folders: Path) -> None:
    """What the error naming must not change: a row without an id is named by the file's
    name (re-runs from another directory give the same passage ids)."""
    _csv(two_folders / "one" / "data.csv", [("", TEXT)], header="x,text")
    stats = ingest([Path("one/data.csv")], two_folders / "p.jsonl")
    assert stats.documents == 1
    row = json.loads((two_folders / "p.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert row["doc_id"] == "data.csv#0" and row["source"] == "data.csv#0"


def test_an_empty_row_warning_names_the_file_as_given(
    two_folders: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _csv(two_folders / "two" / "data.csv", [("a", TEXT), ("b", " ")])
    with caplog.at_level("WARNING", logger="annotate.ingestion.readers"):
        ingest([Path("two/data.csv")], two_folders / "p.parquet")
    assert "two/data.csv row 2 (line 3): no text in column 'text'; skipped" in caplog.messages


def test_a_jsonl_parse_error_names_the_file_as_given(two_folders: Path) -> None:
    """The form the other errors now share."""
    (two_folders / "two" / "data.jsonl").write_text('{"id": "a", "text": \n', encoding="utf-8")
    ran = run("ingest", "two/data.jsonl", "--out", "p.parquet", "-q")
    assert _error_line(ran).startswith("error: two/data.jsonl: line 1 "), ran.stderr


def test_a_bad_prelabel_row_for_push_names_the_file_as_given(two_folders: Path) -> None:
    (two_folders / "two" / "pre.jsonl").write_text(
        (FIXTURES / "prelabels_bad_label.jsonl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    ran = run("push", "two/pre.jsonl", "-p", "P", "-q")  # refused before Label Studio is asked
    assert _error_line(ran).startswith("error: two/pre.jsonl line 3 (id 'doc-a-p0'): "), ran.stderr


def test_a_bad_gold_row_names_the_file_as_given(two_folders: Path) -> None:
    from annotate.review.gold import read_gold
    from annotate.studio.label_config import parse_label_config
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy()
    rows = [json.loads(x) for x in (FIXTURES / "gold.jsonl").read_text().splitlines() if x]
    rows[-1]["gold_labels"] = ["no_such_category"]
    gold = two_folders / "two" / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_gold(Path("two/gold.jsonl"), tax, parse_label_config(tax.render_label_config()))
    assert str(err.value).startswith(f"two/gold.jsonl line {len(rows)} (id "), str(err.value)


def test_a_bad_labels_file_names_the_file_as_given(two_folders: Path) -> None:
    (two_folders / "two" / "labels.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    ran = run("taxonomy", "check", "--labels", "two/labels.yaml")
    assert _error_line(ran).startswith("error: two/labels.yaml is not valid YAML"), ran.stderr


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ('{"id": "a\\ud800", "text": "some words"}', "'id'"),
        ('{"id": "a", "source": "feed\\udc00", "text": "some words"}', "'source'"),
        ('{"id": "a", "text": "some words", "tags": ["ok", "x\\ud83d"]}', "'tags'"),
    ],
    ids=["id", "source", "meta"],
)
def test_a_lone_surrogate_outside_the_text_is_a_clear_error(
    two_folders: Path, row: str, column: str
) -> None:
    """JSON can escape half of a UTF-16 pair; no UTF-8 output can hold it. It crashed
    ingest's scratch database with a traceback; an id must not be changed silently."""
    (two_folders / "two" / "data.jsonl").write_text(row + "\n", encoding="utf-8")
    ran = run("ingest", "two/data.jsonl", "--out", "p.parquet", "-q")
    line = _error_line(ran)
    assert line.startswith(f"error: two/data.jsonl line 1: column {column} holds a lone"), line
    assert not (two_folders / "p.parquet").exists()


def test_a_lone_surrogate_in_the_text_is_removed_as_before(two_folders: Path) -> None:
    (two_folders / "two" / "data.jsonl").write_text(
        '{"id": "a", "text": "some \\ud800words"}\n', encoding="utf-8"
    )
    ran = run("ingest", "two/data.jsonl", "--out", "p.jsonl", "-q")
    assert ran.returncode == 0, ran.stderr
    rows = [json.loads(x) for x in (two_folders / "p.jsonl").read_text().splitlines()]
    assert [r["text"] for r in rows] == ["some words"]


@pytest.mark.parametrize(
    ("given", "found"), [("nogold.parquet", "no such file"), ("two", "a folder")]
)
def test_a_missing_gold_file_says_what_was_found_and_how_to_make_one(
    two_folders: Path, given: str, found: str
) -> None:
    from annotate.review.gold import read_gold
    from annotate.studio.label_config import parse_label_config
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy()
    with pytest.raises(InputError) as err:
        read_gold(Path(given), tax, parse_label_config(tax.render_label_config()))
    text = str(err.value)
    # the user did pass --gold: "pass --gold FILE" was no fix
    assert text.startswith(f"--gold {given}: {found}"), text
    assert "pass --gold FILE" not in text and "annotate prelabel gold.csv" in text
