"""break11's ingest findings on the date columns and ``--skip-bad-lines`` (stop 54):
"never" sentinels with a zone crashed ingest (H1); a front matter ``date: draft`` was lost
(M3); day or month first was told file by file, front matter never (M4); a quote left
open swallowed the good rows after it (M5); zone abbreviations kept local time, with
dateutil's own warning printed (M6); and the lows (L1-L4)."""

from __future__ import annotations

import json
import logging
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
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
    "value",
    ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "Fri, 31 Dec 9999 23:00:00 -0500"],
)
def test_a_never_sentinel_with_a_zone_is_no_date(value: str) -> None:
    """H1: OverflowError from the UTC conversion."""
    assert iso_date(value) is None


def test_a_file_with_a_never_sentinel_is_ingested(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = tmp_path / "far.jsonl"
    src.write_text(
        '{"id":"x1","text":"a post with a sentinel date",'
        '"created_at":"9999-12-31T23:59:59-05:00"}\n'
        '{"id":"x2","text":"second post normal","created_at":"2026-01-01"}\n'
    )
    with caplog.at_level(logging.WARNING):
        rows = _rows(src, tmp_path / "o.parquet")
    assert [r["date"] for r in rows] == [None, "2026-01-01"]
    assert json.loads(rows[0]["meta"]) == {"created_at": "9999-12-31T23:59:59-05:00"}
    assert any("1 of 2 values" in m and "not dates" in m for m in _messages(caplog))


def test_a_front_matter_date_that_is_no_date_stays_in_meta(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """M3: neither date nor meta, no warning."""
    src = tmp_path / "b.md"
    src.write_text("---\ntitle: Two\ndate: draft\nauthor: bob\n---\nThe body of the post.\n")
    with caplog.at_level(logging.WARNING):
        (row,) = _rows(src, tmp_path / "o.parquet")
    assert row["date"] is None
    assert json.loads(row["meta"]) == {"author": "bob", "date": "draft"}
    assert any("front matter's 'date' is no date" in m for m in _messages(caplog))


def test_front_matter_reads_as_an_earlier_file_of_the_run_tells(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """M4: front matter 04/03/2026 read month first without a word."""
    folder = tmp_path / "md"
    folder.mkdir()
    (folder / "a.md").write_text("---\ndate: 25/03/2026\n---\nThe first post's body.\n")
    (folder / "b.md").write_text("---\ndate: 04/03/2026\n---\nThe second post's body.\n")
    rows = _rows(folder, tmp_path / "o.parquet")
    assert [r["date"] for r in rows] == ["2026-03-25", "2026-03-04"]


def test_an_ambiguous_front_matter_date_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "md"
    folder.mkdir()
    (folder / "c.md").write_text("---\ndate: 04/03/2026\n---\nThe post's body.\n")
    (folder / "d.md").write_text("---\ndate: 25/03/2026\n---\nThe other post's body.\n")
    with caplog.at_level(logging.WARNING):
        rows = _rows(folder, tmp_path / "o.parquet")
    assert [r["date"] for r in rows] == ["2026-04-03", "2026-03-25"]
    said = _messages(caplog)
    assert any(
        "c.md: the front matter's 'date' could be day first or month first" in m for m in said
    )
    # after the run: the file read month first, and the one that showed day first
    assert any(
        "1 file(s) of this run" in m and "c.md" in m and "d.md" in m and "--day-first" in m
        for m in said
    )


def test_a_table_reads_as_an_earlier_table_of_the_run_tells(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """M4: a folder of daily exports read both ways."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.csv").write_text("id,text,date\nq0,a post about onions,25/03/2026 10:00\n")
    (folder / "b.csv").write_text("id,text,date\np0,a post about tomatoes,04/03/2026 10:00\n")
    with caplog.at_level(logging.WARNING):
        rows = _rows(folder, tmp_path / "o.parquet")
    assert [r["date"] for r in rows] == ["2026-03-25T10:00:00", "2026-03-04T10:00:00"]
    assert not any("day first or month first" in m for m in _messages(caplog))


def test_tables_read_month_first_before_one_showed_day_first_are_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "e-04.csv").write_text("id,text,date\np0,a post about tomatoes,04/03/2026\n")
    (folder / "e-25.csv").write_text("id,text,date\nq0,a post about onions,25/03/2026\n")
    with caplog.at_level(logging.WARNING):
        _rows(folder, tmp_path / "o.parquet")
    assert any(
        "1 file(s) of this run" in m and "e-04.csv" in m and "e-25.csv" in m
        for m in _messages(caplog)
    )


MID = (
    "id,text,date\n"
    'b1,"first post is fine and long enough",2026-01-01\n'
    'b2,"second post has an open quote,2026-01-02\n'
    "b3,third post fine,2026-01-03\n"
    "b4,fourth post fine,2026-01-04\n"
)


def test_an_open_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    """M5: b3 and b4 were lost, one line counted."""
    src = tmp_path / "mid.csv"
    src.write_text(MID)
    out = tmp_path / "o.parquet"
    rows = _rows(src, out, skip_bad_lines=True)
    assert [r["doc_id"] for r in rows] == ["b1", "b3", "b4"]
    (reject,) = [json.loads(x) for x in rejects_path(out).read_text().splitlines()]
    assert reject["line"] == 3 and "\n" not in reject["raw"]


def test_a_row_spanning_lines_is_counted_as_its_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = tmp_path / "span.csv"
    src.write_text('id,text\n1,fine row here\n3,"a value over\ntwo lines"and more\n5,last\n')
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(
        app, ["ingest", str(src), "--out", str(out), "--skip-bad-lines", "--min-chars", "0"]
    )
    assert result.exit_code == 0, result.output
    assert any("lines 3-4 (2 lines, read as one row" in m for m in _messages(caplog))
    assert "1 bad row (2 lines) skipped" in " ".join(result.output.split())
    record = json.loads(json.loads(out.read_text().splitlines()[0])["ingest_run"])
    assert record["bad_lines_skipped"]["lines"] == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-04 10:00 PST", "2026-03-04T18:00:00Z"),
        ("March 4, 2026 10:00 EST", "2026-03-04T15:00:00Z"),
        ("2026-07-04 10:00 BST", "2026-07-04T09:00:00Z"),
        ("2026-03-04 10:00 IST", None),  # India, Ireland or Israel
    ],
)
def test_zone_abbreviations(value: str, expected: str | None) -> None:
    """M6: local time kept as if no zone were written, and dateutil's warning printed."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert iso_date(value) == expected


def test_a_zone_abbreviation_not_read_is_named_in_the_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = tmp_path / "t.csv"
    src.write_text("id,text,created_at\n1,a post about rain,2026-03-04 10:00 IST\n")
    with caplog.at_level(logging.WARNING):
        (row,) = _rows(src, tmp_path / "o.parquet")
    assert row["date"] is None
    assert any("1 of them ends with a time zone abbreviation" in m for m in _messages(caplog))
    assert not any("dateutil" in m or "UnknownTimezoneWarning" in m for m in _messages(caplog))


def test_a_flag_column_gives_way_to_a_date_column(tmp_path: Path) -> None:
    """L1: published: true taken for the date column, created_at left in meta."""
    src = tmp_path / "cms.jsonl"
    src.write_text(
        '{"id":"w1","text":"a blog post about spring","published":true,'
        '"created_at":"2026-03-01T10:00:00Z"}\n'
    )
    (row,) = _rows(src, tmp_path / "o.parquet")
    assert row["date"] == "2026-03-01T10:00:00Z"
    assert json.loads(row["meta"]) == {"published": True}


def test_a_rejects_path_that_is_a_folder_is_refused_before_writing(tmp_path: Path) -> None:
    """L2: a traceback after --out was written."""
    src = tmp_path / "mid.csv"
    src.write_text(MID)
    out = tmp_path / "o.jsonl"
    rejects_path(out).mkdir()
    with pytest.raises(InputError, match="is a folder"):
        _rows(src, out, skip_bad_lines=True)
    assert not out.exists()


def test_each_output_has_its_own_rejects_and_a_run_without_the_option_removes_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """L3: x.jsonl and x.parquet shared x.rejects.jsonl; a stale one was left."""
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(MID)
    good.write_text("id,text\n1,a good row of text\n")
    as_jsonl, as_parquet = tmp_path / "x.jsonl", tmp_path / "x.parquet"
    ingest([bad], as_jsonl, min_chars=0, near_dup_threshold=None, skip_bad_lines=True)
    _rows(good, as_parquet, skip_bad_lines=True)
    assert rejects_path(as_jsonl) != rejects_path(as_parquet)
    assert rejects_path(as_jsonl).is_file()
    with caplog.at_level(logging.WARNING):
        ingest([good], as_jsonl, min_chars=0, near_dup_threshold=None, overwrite=True)
    assert not rejects_path(as_jsonl).exists()
    assert any("removed" in m for m in _messages(caplog))


def test_epoch_seconds_before_2001_and_a_time_before_the_date() -> None:
    """L4"""
    assert iso_date(946684800) == "2000-01-01T00:00:00Z"
    assert iso_date("946684800") == "2000-01-01T00:00:00Z"
    assert iso_date(0) is None
    assert iso_date("10:00 4/3/2026", day_first=True) == "2026-03-04T10:00:00"
    assert iso_date("10:00 4/3/2026") == "2026-04-03T10:00:00"
