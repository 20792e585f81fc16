"""Dates written day first (``03/04/2026`` from a European export: 3 April) were read
month first (4 March) without a word (stop 54). ``--day-first``/``--month-first`` say how;
without either, a date column with a value that can only be day first (``25/03/2026``)
reads day first throughout, and one where no value tells is read month first with one
warning naming the option. The table's own date columns (``date``, ``created_at``, ...,
not named by ``--date-column``) are read by the same rules, as ISO 8601 in UTC."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.ingestion import ingest
from annotate.ingestion.dates import DAY, EITHER, MONTH, iso_date, numeric_order


def _dates(src: Path, out: Path, **kw: object) -> list[str | None]:
    ingest([src], out, min_chars=0, near_dup_threshold=None, **kw)  # type: ignore[arg-type]
    return [r["date"] for r in pq.read_table(out).to_pylist()]


def _csv(tmp_path: Path, *dates: str, column: str = "Posted") -> Path:
    src = tmp_path / "export.csv"
    rows = "".join(f"{n},post number {n} of the export,{d}\n" for n, d in enumerate(dates, 1))
    src.write_text(f"id,text,{column}\n{rows}", encoding="utf-8")
    return src


@pytest.mark.parametrize(
    ("value", "order"),
    [
        ("25/03/2026", DAY),
        ("03/25/2026", MONTH),
        ("03/04/2026", EITHER),
        ("03.04.2026 10:00", EITHER),
        ("03/03/2026", None),  # the same either way
        ("2026/03/04", None),  # year first
        ("2026-03-04", None),
        (20260304, None),
    ],
)
def test_numeric_order(value: object, order: str | None) -> None:
    assert numeric_order(value) == order


def test_a_whole_number_in_isos_basic_form_is_a_date() -> None:
    """A JSONL ``"date": 20240101`` (the table's own date column) went into meta once
    built-in date columns were read as dates (stop 54): the string "20240101" was one."""
    assert iso_date(20240101) == iso_date("20240101") == "2024-01-01"
    assert iso_date(20241301) is None  # no month 13
    assert iso_date(1735689600) == "2025-01-01T00:00:00Z"  # epoch seconds still


def test_iso_date_day_first() -> None:
    assert iso_date("03/04/2026") == "2026-03-04"
    assert iso_date("03/04/2026", day_first=True) == "2026-04-03"
    assert iso_date("03.04.2026 10:00", day_first=True) == "2026-04-03T10:00:00"
    # a year first is no day first, whatever the option says
    assert iso_date("2026/03/04", day_first=True) == "2026-03-04"


def test_a_column_with_a_day_above_12_reads_day_first_throughout(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = _csv(tmp_path, "03/04/2026", "25/03/2026 10:00", "01/02/2026")
    with caplog.at_level(logging.WARNING):
        got = _dates(src, tmp_path / "o.parquet", date_column="Posted")
    assert got == ["2026-04-03", "2026-03-25T10:00:00", "2026-02-01"]
    assert not [r for r in caplog.records if "first" in r.getMessage()]
    row = pq.read_table(tmp_path / "o.parquet").to_pylist()[0]
    assert "day_first" not in json.loads(row["ingest_run"])["settings"]  # not given


def test_an_ambiguous_column_is_read_month_first_and_warned_of_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = _csv(tmp_path, "03/04/2026", "05/06/2026", "07/08/2026")
    with caplog.at_level(logging.WARNING):
        got = _dates(src, tmp_path / "o.parquet", date_column="Posted")
    assert got == ["2026-03-04", "2026-05-06", "2026-07-08"]
    said = [r.getMessage() for r in caplog.records if "day first" in r.getMessage()]
    assert len(said) == 1
    assert "read month first" in said[0] and "--day-first" in said[0]
    assert "'Posted'" in said[0] and "row 1 (line 2)" in said[0]


@pytest.mark.parametrize(("option", "first"), [(True, "2026-04-03"), (False, "2026-03-04")])
def test_the_option_says_how_and_silences_the_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, option: bool, first: str
) -> None:
    src = _csv(tmp_path, "03/04/2026", "05/06/2026")
    with caplog.at_level(logging.WARNING):
        got = _dates(src, tmp_path / "o.parquet", date_column="Posted", day_first=option)
    assert got[0] == first
    assert not caplog.records
    row = pq.read_table(tmp_path / "o.parquet").to_pylist()[0]
    assert json.loads(row["ingest_run"])["settings"]["day_first"] is option  # recorded


def test_a_date_against_the_option_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = _csv(tmp_path, "03/04/2026", "03/25/2026")
    with caplog.at_level(logging.WARNING):
        got = _dates(src, tmp_path / "o.parquet", date_column="Posted", day_first=True)
    assert got == ["2026-04-03", "2026-03-25"]
    (said,) = [r.getMessage() for r in caplog.records]
    assert "can only be month first (the first in row 2 (line 3)), against --day-first" in said


def test_a_column_written_both_ways_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = _csv(tmp_path, "03/04/2026", "25/03/2026", "03/25/2026")
    with caplog.at_level(logging.WARNING):
        got = _dates(src, tmp_path / "o.parquet", date_column="Posted")
    assert got == ["2026-03-04", "2026-03-25", "2026-03-25"]
    (said,) = [r.getMessage() for r in caplog.records]
    assert "written both day first (row 2 (line 3)) and month first (row 3 (line 4))" in said


def test_the_tables_own_date_column_is_read_as_a_date_too(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Item 2: ``date``/``created_at``/``created_utc`` (not --date-column) went in as
    written: 25/03/2026, epoch seconds, a zoned time not in UTC."""
    src = tmp_path / "t.jsonl"
    rows = [
        {"id": "1", "text": "first post of the thread", "date": "25/03/2026"},
        {"id": "2", "text": "second post of the thread", "date": "03/04/2026"},
        {"id": "3", "text": "third post of the thread", "created_utc": 1735689600},
        {"id": "4", "text": "fourth post of the thread", "created_at": "2026-01-03T02:00+05:00"},
        {"id": "5", "text": "fifth post of the thread", "date": "someone@example.com"},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "o.parquet"
    with caplog.at_level(logging.WARNING):
        got = _dates(src, out)
    assert got == [
        "2026-03-25",
        "2026-04-03",  # day first, as its column's 25/03/2026 tells
        "2025-01-01T00:00:00Z",
        "2026-01-02T21:00:00Z",
        None,  # no date: the value stays in meta
    ]
    meta = pq.read_table(out).to_pylist()[4]["meta"]
    assert json.loads(meta) == {"date": "someone@example.com"}
    said = [r.getMessage() for r in caplog.records if "not dates" in r.getMessage()]
    assert len(said) == 1 and "taken as the rows' date" in said[0] and "line 5" in said[0]


def test_front_matter_date_is_read_as_a_date(tmp_path: Path) -> None:
    src = tmp_path / "post.md"
    src.write_text("---\ndate: 25/03/2026 10:00\n---\nThe post's text, long enough.\n")
    assert _dates(src, tmp_path / "o.parquet") == ["2026-03-25T10:00:00"]


def test_cli_day_first(tmp_path: Path) -> None:
    src = _csv(tmp_path, "03/04/2026", column="date")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(
        app, ["ingest", str(src), "--out", str(out), "--day-first", "--min-chars", "0"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text().splitlines()[0])["date"] == "2026-04-03"


def test_a_folder_of_ambiguous_exports_is_warned_of_a_few_times_then_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for n in range(5):
        (folder / f"e{n}.csv").write_text(f"id,text,date\n{n},post {n} of the month,03/04/2026\n")
    with caplog.at_level(logging.WARNING):
        ingest([folder], tmp_path / "o.parquet", min_chars=0, near_dup_threshold=None)
    said = [r.getMessage() for r in caplog.records if "day first or month first" in r.getMessage()]
    assert len(said) == 3  # the first three, then one line counting the rest
    assert [
        r.getMessage()
        for r in caplog.records
        if "and 2 more tables whose dates" in (r.getMessage())
    ]
