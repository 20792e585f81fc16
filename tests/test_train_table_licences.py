"""A model card listed the licences of an export it was trained on (since stop 35), and a
mapped source's licence, but nothing for a table in the project's own format: its rows'
``license`` column (as ingest writes it) was not read, and a table without one was not
said to record none. Now the card gives the table's licences (rows per licence, unknown
ones said) or "licence not recorded"."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from annotate.evaluation.model_card import training_data_lines
from annotate.training.sources import DataSource, load_examples
from annotate.training.table_licences import table_licences

TEXTS = [
    "We will burn your shop down tonight, you have been warned.",
    "The council meets on Tuesday to discuss the new bus routes.",
    "Police arrested two men after threats against the mosque.",
    "Thanks for the recipe, the cake came out great.",
]
LABELS = [["violent_threat"], ["none"], ["news_reporting"], ["none"]]


def _rows(licences: list[str | None] | None) -> list[dict]:
    rows = []
    for n, (text, labels) in enumerate(zip(TEXTS, LABELS, strict=True)):
        row = {"doc_id": f"d{n}", "text": text, "labels": labels}
        if licences is not None:
            row["license"] = licences[n]
        rows.append(row)
    return rows


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _card_line(path: Path, taxonomy) -> list[str]:
    _, described = load_examples([DataSource(path=str(path))], taxonomy, 0)
    return training_data_lines(described)


def test_a_tables_licences_are_on_the_card(tmp_path: Path, taxonomy) -> None:
    table = _jsonl(tmp_path / "t.jsonl", _rows(["cc-by-4.0", "CC-BY-4.0", "MIT", None]))
    assert table_licences(table) == {"CC-BY-4.0": 2, "MIT": 1, "unknown": 1}
    first, second = _card_line(table, taxonomy)[:2]
    assert "(native, licences: CC-BY-4.0 2 passages, MIT 1 passage, unknown 1 passage)" in first
    assert second.startswith("  Licence unknown for 1 passage: their rows have no value in")


def test_a_table_without_a_licence_says_it_is_not_recorded(tmp_path: Path, taxonomy) -> None:
    table = _jsonl(tmp_path / "t.jsonl", _rows(None))
    assert table_licences(table) is None
    first, second = _card_line(table, taxonomy)[:2]
    assert "(native, licence not recorded)" in first, first
    assert second.startswith("  Licence not recorded: the table has no `license` column"), second


def test_a_parquet_tables_metadata_licence_covers_its_rows(tmp_path: Path, taxonomy) -> None:
    rows = _rows(None)
    data = pa.Table.from_pylist(rows).replace_schema_metadata({"license": "cc-by-sa-4.0"})
    pq.write_table(data, tmp_path / "t.parquet")
    assert table_licences(tmp_path / "t.parquet") == {"CC-BY-SA-4.0": 4}
    # a JSONL row has its own keys: a licence in a later row only still counts the others
    later = _rows(None)
    later[2]["licence"] = "MIT"
    assert table_licences(_jsonl(tmp_path / "l.jsonl", later)) == {"unknown": 3, "MIT": 1}
