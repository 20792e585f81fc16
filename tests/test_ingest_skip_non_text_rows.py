"""``ingest --skip-bad-lines`` set aside the JSONL lines that are no row, but a row whose
text is a number (``{"id": 4, "text": 12345}``) still refused the whole file, and the fix
named only editing the row (newuser58 #2). With the option such a row is now a bad line:
skipped, counted and written to ``OUT.rejects.jsonl`` with its reason; without it the
error's fix names the option. An object or a list (the text nested in it) is still
refused either way, with the flattening fix (tests/test_ingest_deep_json.py,
tests/test_ingest_nested_text_and_spreadsheets.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.bad_lines import rejects_path

ROWS = [
    {"id": 1, "text": "I will burn your house down if you keep posting about me, coward."},
    {"id": 2, "text": "Lovely weather for a picnic in the park this weekend."},
    {"id": 3, "text": 12345},
    {"id": 4, "text": "The council voted to reopen the library on Saturdays."},
]


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    src = tmp_path / "posts.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return src


def test_a_number_for_a_text_is_a_bad_line_under_skip_bad_lines(tmp_path: Path) -> None:
    out = tmp_path / "p.parquet"
    ingest([_write(tmp_path, ROWS)], out, min_chars=0, skip_bad_lines=True)
    assert [r["doc_id"] for r in pq.read_table(out).to_pylist()] == ["1", "2", "4"]
    rejects = [json.loads(x) for x in rejects_path(out).read_text().splitlines()]
    assert len(rejects) == 1
    assert rejects[0]["line"] == 3
    assert "holds an int (12345), expected a string" in rejects[0]["reason"]
    assert json.loads(rejects[0]["raw"]) == {"id": 3, "text": 12345}


def test_without_the_option_the_fix_names_it(tmp_path: Path) -> None:
    said = r"posts\.jsonl line 3: column 'text' holds an int"
    with pytest.raises(InputError, match=said) as err:
        ingest([_write(tmp_path, ROWS)], tmp_path / "p.parquet", min_chars=0)
    assert "or pass --skip-bad-lines to set such rows aside" in (err.value.fix or "")
