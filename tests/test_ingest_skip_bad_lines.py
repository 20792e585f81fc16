"""``ingest --skip-bad-lines`` (stop 54): a JSONL or CSV line that is no row refuses its
whole file (still the default); with the option it is skipped, counted, and written with
its file, line number, reason and raw text to ``OUT.rejects.jsonl`` beside the output, so
nothing read is lost. A run again writes the rejects file anew (no line twice), and the
rows after a skipped line keep their positions (``FILE#N`` ids)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.audit.redact import RedactionSettings
from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.bad_lines import rejects_path

JSONL = (
    '{"text": "the first row of the export"}\n'
    '{"text": "a row cut in the middle\n'
    "\n"
    "[1, 2, 3]\n"
    '{"text": "the last row of the export, mail me at jo@example.com"}\n'
)
CSV = (
    "id,text\n"
    "1,the first row of the table\n"
    "2,a row with, an unquoted comma\n"
    '3,"a value over\n'
    'two lines"and more\n'
    '4,"a quoted value\n'
    'over two lines"\n'
    "5,the last row of the table\n"
)


def _ingest(src: Path, out: Path, **kw: object) -> list[dict]:
    ingest([src], out, min_chars=0, near_dup_threshold=None, **kw)  # type: ignore[arg-type]
    return pq.read_table(out).to_pylist()


def _rejects(out: Path) -> list[dict]:
    return [json.loads(line) for line in rejects_path(out).read_text().splitlines()]


def test_a_bad_line_still_refuses_the_file_by_default(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(JSONL)
    with pytest.raises(InputError, match="line 2 is not valid JSON") as err:
        _ingest(src, tmp_path / "o.parquet")
    assert not rejects_path(tmp_path / "o.parquet").exists()
    # ingest's error names the option (other commands read such files too: not theirs)
    assert (err.value.fix or "").endswith(
        "; or pass --skip-bad-lines to ingest the rest, each bad line written with its text "
        "to o.parquet.rejects.jsonl beside --out."
    )
    src.write_text("id,text\n1,fine\n2,a, b\n")
    with pytest.raises(InputError, match="has 3 fields") as err:
        _ingest(src.rename(tmp_path / "t.csv"), tmp_path / "o.parquet")
    assert "--skip-bad-lines" in (err.value.fix or "")


def test_jsonl_bad_lines_are_skipped_and_written_to_the_rejects_file(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(JSONL)
    out = tmp_path / "o.parquet"
    rows = _ingest(src, out, skip_bad_lines=True)
    # the rows after the bad lines keep their positions: #0, then #3 (not #1)
    assert [r["doc_id"] for r in rows] == ["a.jsonl#0", "a.jsonl#3"]
    assert rejects_path(out) == tmp_path / "o.parquet.rejects.jsonl"
    assert _rejects(out) == [
        {
            "input_file": "a.jsonl",
            "line": 2,
            "reason": "not valid JSON (Unterminated string starting at column 10)",
            "raw": '{"text": "a row cut in the middle',
        },
        {
            "input_file": "a.jsonl",
            "line": 4,
            "reason": "a JSON list, not an object",
            "raw": "[1, 2, 3]",
        },
    ]
    # the run record names them (not their text), on the first passage in full
    record = json.loads(rows[0]["ingest_run"])["bad_lines_skipped"]
    assert record["count"] == 2 and record["rejects_file"] == "o.parquet.rejects.jsonl"
    assert [(r["line"], r["input_file"]) for r in record["first"]] == [
        (2, "a.jsonl"),
        (4, "a.jsonl"),
    ]
    assert json.loads(rows[1]["ingest_run"])["bad_lines_skipped"] == {"count": 2}


def test_csv_bad_rows_are_skipped_with_their_raw_lines(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text(CSV)
    out = tmp_path / "o.parquet"
    rows = _ingest(src, out, skip_bad_lines=True)
    assert [r["doc_id"] for r in rows] == ["1", "4", "5"]
    assert [r["input_row"] for r in rows] == ["row 1 (line 2)", "row 4 (line 6)", "row 5 (line 8)"]
    got = _rejects(out)
    assert [(r["line"], r["raw"]) for r in got] == [
        (3, "2,a row with, an unquoted comma"),
        (4, '3,"a value over\ntwo lines"and more'),
    ]
    assert "3 fields, the header has 2" in got[0]["reason"]
    assert "double quotes" in got[1]["reason"]


def test_a_run_again_writes_the_rejects_anew(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(JSONL)
    out = tmp_path / "o.parquet"
    _ingest(src, out, skip_bad_lines=True)
    _ingest(src, out, skip_bad_lines=True)
    assert len(_rejects(out)) == 2  # not 4
    src.write_text('{"text": "the first row of the export"}\n')  # fixed: none left
    _ingest(src, out, skip_bad_lines=True)
    assert not rejects_path(out).exists()


def test_redact_masks_the_rejected_text(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text('{"text": "fine row here"}\n{"text": "write to jo@example.com"\n')
    out = tmp_path / "o.parquet"
    _ingest(src, out, skip_bad_lines=True, redact=RedactionSettings())
    (reject,) = _rejects(out)
    assert "jo@example.com" not in reject["raw"] and "[EMAIL" in reject["raw"]


def test_a_file_of_bad_lines_only_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text("[1]\n[2]\nnot json\n")
    with pytest.raises(InputError, match="none of its 3 line"):
        _ingest(src, tmp_path / "o.parquet", skip_bad_lines=True)


def test_cli_summary_names_the_count_and_the_file(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(JSONL)
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(
        app, ["ingest", str(src), "--out", str(out), "--skip-bad-lines", "--min-chars", "0"]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"2 bad lines skipped (--skip-bad-lines; written to {tmp_path / 'o.jsonl.rejects.jsonl'})"
        in (" ".join(result.output.split()))
    )
