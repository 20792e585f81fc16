"""A table whose date column has a name of its own (``Posted (UTC)``) had every row's
``date`` null, the value only in ``meta`` (which reviewers never see), and nothing said
(passI53 I5). ``ingest --date-column NAME`` takes it, as ``--id-column`` does ids; without
it, a table with no known date column but a column named like one (date, time, posted,
...) is warned of with the option to pass; a ``--date-column`` the table lacks is warned
of with the column like it. Passage ids do not depend on the date column."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.audit.decision_records import _day
from annotate.audit.redact import RedactionSettings, Redactor
from annotate.audit.redact_export import redact_row, unredacted_record
from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.dates import iso_date

FORUM = (
    "Post ID;Thread;Posted (UTC);Author Handle;Body Text\n"
    "101;city-council;2026-11-02 08:14;greywolf;You have 24 hours to take this down.\n"
    "102;city-council;2026-11-02 09:00;mod;Please keep the discussion civil.\n"
)


def _forum(tmp_path: Path) -> Path:
    path = tmp_path / "forum.csv"
    path.write_text(FORUM, encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def _ingest(src: Path, out: Path, **kw) -> None:
    ingest(
        [src],
        out,
        delimiter=";",
        text_column="Body Text",
        id_column="Post ID",
        min_chars=0,
        near_dup_threshold=None,
        **kw,
    )


def test_date_column_names_the_rows_date(tmp_path: Path) -> None:
    src = _forum(tmp_path)
    _ingest(src, tmp_path / "plain.parquet")
    _ingest(src, tmp_path / "dated.parquet", date_column="Posted (UTC)")
    plain, dated = _rows(tmp_path / "plain.parquet"), _rows(tmp_path / "dated.parquet")
    assert [r["date"] for r in plain] == [None, None]
    # read as dates, written as ISO 8601 (no zone given: none added)
    assert [r["date"] for r in dated] == ["2026-11-02T08:14:00", "2026-11-02T09:00:00"]
    assert json.loads(dated[0]["meta"]) == {"Thread": "city-council", "Author Handle": "greywolf"}
    assert [r["id"] for r in dated] == [r["id"] for r in plain]  # ids do not depend on it
    settings = json.loads(dated[0]["ingest_run"])["settings"]
    assert settings["date_column"] == "Posted (UTC)"
    assert "date_column" not in json.loads(plain[0]["ingest_run"])["settings"]


def test_a_column_named_like_a_date_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = _forum(tmp_path)
    with caplog.at_level(logging.WARNING):
        _ingest(src, tmp_path / "plain.parquet")
    said = [r.getMessage() for r in caplog.records if "no date column" in r.getMessage()]
    assert len(said) == 1
    assert "'Posted (UTC)' stays in meta" in said[0]
    assert "--date-column 'Posted (UTC)'" in said[0]


def test_no_warning_when_a_date_column_is_found_or_none_is_likely(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dated = tmp_path / "dated.jsonl"
    dated.write_text(
        json.dumps({"id": 1, "text": "some words here", "posted_at": "2026-11-02"}) + "\n"
    )
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({"id": 1, "text": "some words here", "likes": 3}) + "\n")
    with caplog.at_level(logging.WARNING):
        ingest([dated], tmp_path / "a.parquet", min_chars=0, near_dup_threshold=None)
        ingest([plain], tmp_path / "b.parquet", min_chars=0, near_dup_threshold=None)
    assert not [r for r in caplog.records if "date" in r.getMessage()]


def test_a_date_column_the_table_lacks_is_warned_of_with_the_likely_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = _forum(tmp_path)
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(
            app,
            [
                "ingest",
                str(src),
                "--delimiter",
                ";",
                "--text-column",
                "Body Text",
                "--id-column",
                "Post ID",
                "--date-column",
                "posted",
                "--out",
                str(tmp_path / "o.parquet"),
            ],
        )
    assert result.exit_code == 0, result.output
    (said,) = [r.getMessage() for r in caplog.records if "--date-column" in r.getMessage()]
    assert "has no column 'posted' (--date-column)" in said
    assert "pass --date-column 'Posted (UTC)'" in said
    assert [r["date"] for r in _rows(tmp_path / "o.parquet")] == [None, None]


# break9 N1: a --date-column value that is no date went into ``date`` unmasked under
# --redact (it was masked in meta without the option)
PII = (
    "post_id,body,sent_time\n"
    "1,mail me at x,john.doe@example.com\n"
    "2,see you soon,2026-11-02\n"
    "3,no date here,\n"
)


def _pii(tmp_path: Path) -> Path:
    path = tmp_path / "pii.csv"
    path.write_text(PII, encoding="utf-8")
    return path


def test_a_value_that_is_no_date_stays_in_meta_where_redact_masks_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "r.parquet"
    with caplog.at_level(logging.WARNING):
        ingest(
            [_pii(tmp_path)],
            out,
            text_column="body",
            id_column="post_id",
            date_column="sent_time",
            redact=RedactionSettings(),
            min_chars=0,
            near_dup_threshold=None,
        )
    rows = _rows(out)
    assert [r["date"] for r in rows] == [None, "2026-11-02", None]
    assert json.loads(rows[0]["meta"]) == {"sent_time": "[EMAIL-1]"}
    assert rows[1]["meta"] is None  # the date, out of meta
    assert rows[2]["meta"] is None  # an empty cell: no date, nothing to keep
    assert "john.doe" not in json.dumps(rows, default=str)
    (said,) = [r.getMessage() for r in caplog.records if "are not dates" in r.getMessage()]
    # of the values given (the empty cell is none)
    assert "1 of 2 values of 'sent_time' (--date-column) are not dates" in said
    assert "row 1" in said and "john.doe" not in said  # the place, never the value
    assert "date" in json.loads(rows[0]["redaction"])["fields"]


def test_a_table_date_column_holding_personal_data_is_masked_by_redact(tmp_path: Path) -> None:
    """A column named ``date`` (taken as the date without --date-column) holding an
    address: no date (read as --date-column's values are, stop 54), the value kept in
    meta masked under --redact; masked in ``date`` by export (an earlier run's)."""
    src = tmp_path / "pii3.csv"
    src.write_text("id,text,date\n1,some words here,john.doe@example.com\n", encoding="utf-8")
    out = tmp_path / "r.parquet"
    ingest([src], out, redact=RedactionSettings(), min_chars=0, near_dup_threshold=None)
    (got,) = _rows(out)
    assert got["date"] is None
    assert json.loads(got["meta"]) == {"date": "[EMAIL-1]"}
    row = {"text": "hello", "title": None, "source": None, "annotations": [], "spans": []}
    redactor = Redactor(RedactionSettings())
    assert redact_row({**row, "date": "john.doe@example.com"}, redactor)["date"] == "[EMAIL-1]"
    assert redact_row({**row, "date": "2026-11-02T08:14:00Z"}, redactor)["date"] == (
        "2026-11-02T08:14:00Z"
    )
    found = unredacted_record([{**row, "id": "p1", "date": "john.doe@example.com"}], redactor)
    assert found["rows_with_personal_data"]["fields"]["date"]["email"] == 1
    assert found["rows_with_email_addresses"]["date"] == 1
    dated = unredacted_record([{**row, "id": "p1", "date": "2026-11-02T08:14:00Z"}], redactor)
    assert dated["rows_with_personal_data"]["rows"] == 0


@pytest.mark.parametrize("column", ["body", "post_id"])
def test_a_date_column_naming_the_text_or_id_column_is_refused(tmp_path: Path, column: str) -> None:
    """break9 N2: ``--date-column body`` put the whole (unmasked) text in ``date``."""
    with pytest.raises(InputError) as err:
        ingest(
            [_pii(tmp_path)],
            tmp_path / "o.parquet",
            text_column="body",
            id_column="post_id",
            date_column=column,
        )
    assert f"--date-column {column!r} names the" in str(err.value)
    assert "--date-column 'Posted (UTC)'" in err.value.fix
    assert not (tmp_path / "o.parquet").exists()


def test_jsonl_rows_after_the_first_with_the_date_key_are_not_said_to_lack_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """break9 N3: the warning looked at the first row's keys only."""
    src = tmp_path / "j2.jsonl"
    src.write_text(
        '{"id":"a","text":"hello there you"}\n'
        '{"id":"b","text":"second row here","when":"2026-01-02"}\n'
    )
    with caplog.at_level(logging.WARNING):
        ingest([src], tmp_path / "o.parquet", date_column="when", min_chars=0)
    said = [r.getMessage() for r in caplog.records if "'when'" in r.getMessage()]
    assert said == [
        f"{src} : 1 of 2 rows have no 'when' key (--date-column): those rows get no date".replace(
            " :", ":"
        )
    ]
    assert [r["date"] for r in _rows(tmp_path / "o.parquet")] == [None, "2026-01-02"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-02", "2026-11-02"),
        ("2026-01-03T02:00:00+05:00", "2026-01-02T21:00:00Z"),  # the UTC time
        ("03/01/2026", "2026-03-01"),  # month first, as pandas reads it
        ("2 Nov 2026 08:14", "2026-11-02T08:14:00"),
        ("1735689600", "2025-01-01T00:00:00Z"),  # epoch seconds
        (1735689600000, "2025-01-01T00:00:00Z"),  # epoch milliseconds
        (1735689600.0, "2025-01-01T00:00:00Z"),  # a Parquet float column
        (1.5, None),  # no epoch of a date
        ("not a date at all", None),
        ("john.doe@example.com", None),
        ("2026", None),  # a year alone: no day
        ("+44 7700 900123", None),
        ({"x": 1}, None),
    ],
)
def test_date_column_values_read_as_dates(value: object, expected: str | None) -> None:
    """break9 N4: values were never read as dates."""
    assert iso_date(value) == expected


def test_a_zoned_date_gives_its_utc_day(tmp_path: Path) -> None:
    """break9 N4: the day was the local one; ingest now writes the UTC time, and a
    decision record's day of a zoned timestamp is the UTC day either way."""
    assert _day("2026-01-03T02:00:00+05:00") == "2026-01-02"
    assert _day("2026-01-03") == "2026-01-03"
    src = tmp_path / "z.csv"
    src.write_text("id,text,when\n1,some words here,2026-01-03T02:00:00+05:00\n")
    out = tmp_path / "o.parquet"
    ingest([src], out, date_column="when", min_chars=0, near_dup_threshold=None)
    (row,) = _rows(out)
    assert row["date"] == "2026-01-02T21:00:00Z"
    assert _day(row["date"]) == "2026-01-02"
