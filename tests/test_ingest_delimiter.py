"""`annotate ingest --delimiter`: semicolon- and tab-separated CSV files are read; a
header that looks separated by another character than the one given is one clear error
naming the option; --text-column names the text column of every table of a run."""

from __future__ import annotations

from pathlib import Path
from shlex import quote

import pyarrow.parquet as pq
import pytest

from tests.test_cli import _error_line, run

TEXT = "The council met on Tuesday; residents asked about the bus timetable."


def _texts(out: Path) -> list[str]:
    return [r["text"] for r in pq.read_table(out).to_pylist()]


@pytest.mark.parametrize(("option", "sep"), [(";", ";"), ("tab", "\t"), ("\\t", "\t"), ("|", "|")])
def test_a_csv_with_another_delimiter_is_read(tmp_path: Path, option: str, sep: str) -> None:
    src = tmp_path / "posts.csv"
    quoted = f'"{TEXT}"' if sep in TEXT else TEXT
    src.write_text(f"doc_id{sep}text\nd1{sep}{quoted}\n", encoding="utf-8")
    out = tmp_path / "p.parquet"
    ran = run("ingest", str(src), "--out", str(out), "--delimiter", option, "-q")
    assert ran.returncode == 0, ran.stderr
    assert _texts(out) == [TEXT]


def test_a_semicolon_header_without_the_option_names_it(tmp_path: Path) -> None:
    src = tmp_path / "posts.csv"
    src.write_text(f"doc_id;text\nd1;{TEXT.replace(';', ',')}\n", encoding="utf-8")
    line = _error_line(run("ingest", str(src), "--out", str(tmp_path / "p.parquet"), "-q"))
    assert "missing column(s) 'text'" in line and "found 'doc_id;text'" in line
    assert "looks separated by ';'" in line and "pass --delimiter ';'" in line


def test_a_comma_header_read_with_a_semicolon_names_the_comma(tmp_path: Path) -> None:
    src = tmp_path / "posts.csv"
    src.write_text("doc_id,text\nd1,hello\n", encoding="utf-8")
    ran = run("ingest", str(src), "-o", str(tmp_path / "p.parquet"), "--delimiter", ";", "-q")
    line = _error_line(ran)
    assert "looks separated by ','" in line and "pass --delimiter ','" in line


@pytest.mark.parametrize("bad", ["::", "", '"'])
def test_a_delimiter_that_is_not_one_character_is_refused(tmp_path: Path, bad: str) -> None:
    src = tmp_path / "posts.csv"
    src.write_text("doc_id,text\nd1,hello\n", encoding="utf-8")
    line = _error_line(
        run("ingest", str(src), "-o", str(tmp_path / "p.parquet"), "--delimiter", bad, "-q")
    )
    assert "--delimiter expects one character" in line and f"found {bad!r}" in line


def test_the_text_column_applies_to_every_table(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("doc_id,body\nd1,hello there\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("doc_id,message\nd2,hello again\n", encoding="utf-8")
    args = [str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "-o", str(tmp_path / "p.parquet")]
    line = _error_line(run("ingest", *args, "--text-column", "body", "-q"))
    assert "b.csv: missing column(s) 'body'" in line
    assert "every table of the run" in line
    from typer.main import get_command

    from annotate.cli import app

    ingest = get_command(app).commands["ingest"]  # type: ignore[attr-defined]
    helps = {p.name: p.help for p in ingest.params}
    assert "one name for every table of this run" in helps["text_column"]


def test_a_tsv_file_is_read_with_tabs_and_prelabel_reads_one_too(tmp_path: Path) -> None:
    from annotate.tables import iter_rows

    src = tmp_path / "posts.tsv"
    src.write_text(f"doc_id\ttext\nd1\t{TEXT}\n", encoding="utf-8")
    out = tmp_path / "p.parquet"
    ran = run("ingest", str(src), "--out", str(out), "-q")
    assert ran.returncode == 0, ran.stderr
    assert _texts(out) == [TEXT]
    # a table stage (prelabel, push) reads a .tsv passage table by the same rule
    table = tmp_path / "passages.tsv"
    table.write_text(f"id\ttext\np1\t{TEXT}\n", encoding="utf-8")
    assert list(iter_rows(table)) == [{"id": "p1", "text": TEXT}]


def test_a_comma_separated_tsv_file_is_named_as_such(tmp_path: Path) -> None:
    """A .tsv file is read with tabs unless told otherwise: a comma-separated one got
    'pass the column ... with --text-column'; the fix names --delimiter ','."""
    src = tmp_path / "posts.tsv"
    src.write_text(f"doc_id,text\nd1,{TEXT.replace(';', '.')}\n", encoding="utf-8")
    line = _error_line(run("ingest", str(src), "-o", str(tmp_path / "p.parquet"), "-q"))
    assert "looks separated by ','" in line and "pass --delimiter ','" in line
    assert "--text-column" not in line


def test_delimiter_comma_forces_commas_on_a_tsv_file(tmp_path: Path) -> None:
    """`--delimiter ','` reads a comma-separated .tsv file (',' was the default, so giving
    it could not be told from not giving it, and the .tsv was read with tabs)."""
    src = tmp_path / "posts.tsv"
    text = TEXT.replace(";", ".")
    src.write_text(f"doc_id,text\nd1,{text}\n", encoding="utf-8")
    out = tmp_path / "p.parquet"
    ran = run("ingest", str(src), "-o", str(out), "--delimiter", ",", "-q")
    assert ran.returncode == 0, ran.stderr
    assert _texts(out) == [text]


def test_a_tsv_among_semicolon_csvs_says_the_delimiter_is_for_every_file(tmp_path: Path) -> None:
    """`ingest a.csv b.tsv --delimiter ';'` reads the .tsv with ';' too; the fix said to save
    it as comma-separated CSV, which a run with --delimiter ';' cannot read either."""
    (tmp_path / "a.csv").write_text(f"doc_id;text\nd1;{TEXT.replace(';', ',')}\n", "utf-8")
    (tmp_path / "b.tsv").write_text(f"doc_id\ttext\nd2\t{TEXT}\n", encoding="utf-8")
    args = [str(tmp_path / "a.csv"), str(tmp_path / "b.tsv"), "--delimiter", ";", "-q"]
    line = _error_line(run("ingest", *args, "-o", str(tmp_path / "p.parquet")))
    assert "b.tsv" in line and "looks separated by tab" in line
    assert "every CSV and .tsv file of a run" in line and "separate runs" in line
    assert "comma-separated" not in line


@pytest.mark.parametrize("given", [None, ";"])
def test_an_excel_sep_line_above_the_header_is_named_with_its_fix(
    tmp_path: Path, given: str | None
) -> None:
    """A CSV saved for Excel starts with `sep=;`: ingest read that line as the header and
    said "pass --delimiter ';'", and with it "found 'sep=', ''. Fix: pass the column that
    holds the text with --text-column NAME": no fix worked."""
    from annotate import ingest
    from annotate.errors import InputError

    src = tmp_path / "posts.csv"
    src.write_text(f"sep=;\r\ndoc_id;text\r\nd1;{TEXT.replace(';', ',')}\r\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.parquet", delimiter=given)
    fix = err.value.fix
    assert "Excel's separator hint" in fix and "sed -i 1d" in fix, fix
    assert "--delimiter ';'" in fix and "--text-column" not in fix, fix
    # the fix, followed, reads the table
    src.write_text(src.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    ingest([src], tmp_path / "p.parquet", delimiter=";")
    assert _texts(tmp_path / "p.parquet") == [TEXT.replace(";", ",")]


@pytest.mark.parametrize("given", [None, ";"])
def test_the_sed_command_of_the_fix_names_the_file_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str | None
) -> None:
    """`annotate ingest exports/posts.csv` of a file with Excel's `sep=;` line gave the fix
    `sed -i 1d posts.csv` (the file's name in the run record), which, run as printed from
    where ingest ran, edits no file or another one; a file in a folder given is named
    through the folder too."""
    from annotate import ingest
    from annotate.errors import InputError

    monkeypatch.chdir(tmp_path)
    folder = Path("exports")
    (folder / "week 1").mkdir(parents=True)
    body = f"sep=;\r\ndoc_id;text\r\nd1;{TEXT.replace(';', ',')}\r\n"
    for src, inputs in (
        (folder / "posts.csv", [folder / "posts.csv"]),
        (folder / "week 1" / "posts.csv", [folder / "week 1"]),
    ):
        src.write_text(body, encoding="utf-8")
        with pytest.raises(InputError) as err:
            ingest(inputs, Path("p.parquet"), delimiter=given)
        assert f"`sed -i 1d {quote(str(src))}`" in err.value.fix, err.value.fix
        src.unlink()
