"""A row named by position reads two ways: its document id and source ``FILE#I`` count
the table's rows from 0, its ``input_row`` (``row N (line M)``, ``line M``, ``row N``)
from 1, as an editor does. The convention is recorded in every export's manifest
(``input_files.input_row_counted``) and held here for each table format ingest reads:
``FILE#I`` is ``row I+1`` of a CSV, Parquet file or dataset split, and the (I+1)th
non-blank line of a JSONL file (blank lines are counted by ``line M``, not by ``I``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from annotate.corpus.input_files import INPUT_ROW_COUNTED, input_files_report
from annotate.ingestion import ingest
from annotate.tables import iter_rows

TEXTS = [
    f"Passage {w} of the table is long enough to be a passage of its own here."
    for w in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
]


def _ingested(tmp_path: Path) -> list[dict]:
    root = tmp_path / "in"
    root.mkdir()
    # a row without text (skipped, but counted by I) between two with text
    (root / "c.csv").write_text(f'text\n{TEXTS[0]}\n\n{TEXTS[1]}\n""\n{TEXTS[2]}\n')
    # a blank line (counted by `line M`, not by I) and a row without text
    lines = [
        json.dumps({"text": TEXTS[3]}),
        "",
        json.dumps({"text": ""}),
        json.dumps({"text": TEXTS[4]}),
    ]
    (root / "j.jsonl").write_text("\n".join(lines) + "\n")
    pd.DataFrame({"text": [TEXTS[5], None, TEXTS[6]]}).to_parquet(root / "p.parquet")
    import datasets

    datasets.DatasetDict(
        {"train": datasets.Dataset.from_dict({"text": [TEXTS[7], "", TEXTS[8]]})}
    ).save_to_disk(str(root / "d"))
    out = tmp_path / "passages.jsonl"
    ingest(
        [root / n for n in ("c.csv", "j.jsonl", "p.parquet", "d")],
        out,
        near_dup_threshold=None,
    )
    return list(iter_rows(out))


def test_a_positional_id_is_its_input_row_counted_from_0(tmp_path: Path) -> None:
    rows = _ingested(tmp_path)
    found = {r["doc_id"]: (r["source"], r["input_row"]) for r in rows}
    assert found == {
        "c.csv#0": ("c.csv#0", "row 1 (line 2)"),
        # CSV's blank line 3 is no row; row 3 (line 5) has no text: skipped, counted
        "c.csv#1": ("c.csv#1", "row 2 (line 4)"),
        "c.csv#3": ("c.csv#3", "row 4 (line 6)"),
        "j.jsonl#0": ("j.jsonl#0", "line 1"),
        "j.jsonl#2": ("j.jsonl#2", "line 4"),  # JSONL's blank line 2 is counted by `line`
        "p.parquet#0": ("p.parquet#0", "row 1"),
        "p.parquet#2": ("p.parquet#2", "row 3"),
        "d[train]#0": ("d[train]#0", "row 1"),
        "d[train]#2": ("d[train]#2", "row 3"),
    }
    for r in rows:  # the rule the manifest states, applied as an auditor would
        index = int(r["doc_id"].rsplit("#", 1)[1])
        if r["input_file"] == "j.jsonl":
            text = (tmp_path / "in" / "j.jsonl").read_text().split("\n")
            non_blank = [n for n, line in enumerate(text, start=1) if line.strip()]
            assert r["input_row"] == f"line {non_blank[index]}"
        else:
            assert re.match(rf"row {index + 1}\b", r["input_row"]), r


def test_the_export_manifest_states_it(tmp_path: Path) -> None:
    record = input_files_report([{"input_file": "c.csv", "input_row": "row 3 (line 5)"}])
    assert record["input_row_counted"] == INPUT_ROW_COUNTED
    assert "`FILE#I` is `row I+1`" in INPUT_ROW_COUNTED
