"""break12's ingest findings on the date columns and ``--skip-bad-lines`` (stop 54):
``UTC+5``/``GMT+0530`` read with the POSIX sign (M6); ``published: null``, ``0`` or ``1``
not giving way to ``created_at`` (M3); a quote left open mid-file swallowing the good rows
up to the next quote (M4)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annotate.ingestion import ingest
from annotate.ingestion.bad_lines import rejects_path
from annotate.ingestion.dates import iso_date


def _rows(src: Path | list[Path], out: Path, **kw: object) -> list[dict]:
    srcs = src if isinstance(src, list) else [src]
    ingest(srcs, out, min_chars=0, near_dup_threshold=None, **kw)  # type: ignore[arg-type]
    return pq.read_table(out).to_pylist()


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-01 10:00 UTC+5", "2026-03-01T05:00:00Z"),
        ("2026-03-01T10:00:00 GMT+0530", "2026-03-01T04:30:00Z"),
        ("2026-03-01 10:00 UTC+05:30", "2026-03-01T04:30:00Z"),
        ("1 Mar 2026 10:00 utc-3", "2026-03-01T13:00:00Z"),
        ("2026-03-01 10:00 GMT +2", "2026-03-01T08:00:00Z"),  # dateutil dropped the +2
        ("2026-03-01 10:00 GMT", "2026-03-01T10:00:00Z"),
        ("2026-03-01 10:00 UTC+25", None),  # no offset
    ],
)
def test_an_offset_after_utc_or_gmt_is_east_of_utc(value: str, expected: str | None) -> None:
    """M6: dateutil's POSIX convention made UTC+5 five hours west (15:00Z)."""
    assert iso_date(value) == expected


def test_a_file_with_utc_plus_offsets_gets_its_utc_times(tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    src.write_text(
        '{"id":"a24","text":"a post one","date":"2026-03-01 10:00 UTC+5"}\n'
        '{"id":"a25","text":"a post two","date":"2026-03-01T10:00:00 GMT+0530"}\n'
    )
    rows = _rows(src, tmp_path / "o.parquet")
    assert [r["date"] for r in rows] == ["2026-03-01T05:00:00Z", "2026-03-01T04:30:00Z"]


def test_a_null_zero_or_one_flag_gives_way_to_a_date_column(tmp_path: Path) -> None:
    """M3: published: null, 0 and 1 left the row without a date (null unwarned), while
    true/false/"yes" took created_at."""
    src = tmp_path / "cms.jsonl"
    lines = [
        {"id": "f4", "text": "post four", "published": 1, "created_at": "2026-01-08T00:00:00Z"},
        {"id": "f6", "text": "post six", "published": None, "created_at": "2026-01-10T00:00:00Z"},
        {"id": "f7", "text": "post seven", "published": 0, "created_at": "2026-01-11T00:00:00Z"},
        {"id": "f8", "text": "post eight", "published": "", "created_at": "2026-01-12T00:00:00Z"},
        {"id": "f5", "text": "post five", "published": "2026-01-01", "created_at": "2026-01-09"},
    ]
    src.write_text("".join(json.dumps(x) + "\n" for x in lines))
    rows = _rows(src, tmp_path / "o.parquet")
    assert [r["date"] for r in rows] == [
        "2026-01-08T00:00:00Z",
        "2026-01-10T00:00:00Z",
        "2026-01-11T00:00:00Z",
        "2026-01-12T00:00:00Z",
        "2026-01-01",
    ]
    metas = [json.loads(r["meta"]) if r["meta"] else None for r in rows]
    assert metas[0] == {"published": 1}
    assert metas[2] == {"published": 0}
    assert not (metas[1] or {}).get("created_at")  # taken as the date, not left in meta
    assert metas[4] == {"created_at": "2026-01-09"}


# line 3 opens a quote never closed; line 5's quoted field closes it, text after it
MID_OPEN = (
    "id,text\n"
    '1,"first good row"\n'
    '2,"this one opens a quote and never closes it\n'
    "3,third row good\n"
    '4,"fourth row, quoted, with ""escaped"" quote"\n'
    "5,fifth row\n"
)


def test_a_quote_left_open_mid_file_rejects_its_line_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """M4: rows 3 and 4 were rejected with line 3 (lines 3-5 read as one row)."""
    src = tmp_path / "c.csv"
    src.write_text(MID_OPEN)
    out = tmp_path / "o.parquet"
    with caplog.at_level(logging.WARNING):
        rows = _rows(src, out, skip_bad_lines=True)
    assert [r["doc_id"] for r in rows] == ["1", "3", "4", "5"]
    assert rows[2]["text"] == 'fourth row, quoted, with "escaped" quote'
    (reject,) = [json.loads(x) for x in rejects_path(out).read_text().splitlines()]
    assert reject["line"] == 3 and "\n" not in reject["raw"] and "lines" not in reject
    assert any("read again as rows" in m for m in _messages(caplog))


def test_a_row_over_lines_that_are_no_rows_alone_is_rejected_whole_and_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A quoted field over lines that are no rows alone (one field, not two): rejected
    whole as before, the warning naming the lines that may have been swallowed."""
    src = tmp_path / "span.csv"
    src.write_text('id,text\n1,fine row\n3,"a value over\ntwo lines"and more\n5,last\n')
    out = tmp_path / "o.parquet"
    with caplog.at_level(logging.WARNING):
        rows = _rows(src, out, skip_bad_lines=True)
    assert [r["doc_id"] for r in rows] == ["1", "5"]
    (reject,) = [json.loads(x) for x in rejects_path(out).read_text().splitlines()]
    assert reject["line"] == 3 and reject["lines"] == 2
    assert any("line 4 may be rows it swallowed" in m for m in _messages(caplog))


def test_a_run_finding_no_bad_line_says_it_removed_the_earlier_rejects(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """L4: the earlier run's rejects file was removed with nothing said."""
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(MID_OPEN)
    good.write_text("id,text\n1,a good row of text\n")
    out = tmp_path / "o.jsonl"
    ingest([bad], out, min_chars=0, near_dup_threshold=None, skip_bad_lines=True)
    assert rejects_path(out).is_file()
    with caplog.at_level(logging.WARNING):
        ingest(
            [good], out, min_chars=0, near_dup_threshold=None, skip_bad_lines=True, overwrite=True
        )
    assert not rejects_path(out).exists()
    assert any("removed" in m and "skipped no line" in m for m in _messages(caplog))


def test_epoch_seconds_of_year_10000_are_no_date_not_milliseconds() -> None:
    """L3: 253402300800 (10000-01-01 in seconds, a "never" sentinel) read as 1978 ms."""
    assert iso_date(253402300800) is None
    assert iso_date(253402300799) is None
    assert iso_date("253402300800") is None
    assert iso_date(946684800000) == "2000-01-01T00:00:00Z"  # milliseconds still read
    assert iso_date(252000000000) == "1977-12-26T16:00:00Z"
