"""A table id that is an infinite number (JSON's ``1e999``, too large for a float, or
``Infinity``; a Parquet float column's inf) became the id "inf", every such row the
same id, silently. It is refused, the row named, with the fix. NaN (how pandas stores an
empty cell of a number column) stays a row without an id, as before."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest

TEXT = "Police said the suspect posted threats against the synagogue hours before."


@pytest.mark.parametrize("written", ["1e999", "-1e999", "Infinity"])
def test_an_infinite_jsonl_id_is_refused_with_its_line(tmp_path: Path, written: str) -> None:
    src = tmp_path / "posts.jsonl"
    good = json.dumps({"id": 1, "text": TEXT})
    src.write_text(f'{good}\n{{"id": {written}, "text": "{TEXT}"}}\n', encoding="utf-8")
    out = tmp_path / "p.jsonl"
    with pytest.raises(
        InputError, match=r"posts\.jsonl line 2: the id in column 'id' is an infinite"
    ) as exc:
        ingest([src], out)
    assert exc.value.fix == "give the id as a string or a finite number."
    assert not out.exists()


def test_an_infinite_parquet_id_is_refused_with_its_row(tmp_path: Path) -> None:
    src = tmp_path / "posts.parquet"
    pd.DataFrame({"id": [1.0, float("inf")], "text": [TEXT, TEXT]}).to_parquet(src)
    with pytest.raises(InputError, match=r"posts\.parquet row 2: the id in column 'id'"):
        ingest([src], tmp_path / "p.jsonl")


def test_a_nan_id_is_still_a_row_without_an_id(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text(f'{{"id": 1, "text": "{TEXT}"}}\n{{"id": NaN, "text": "{TEXT} Again."}}\n')
    out = tmp_path / "p.jsonl"
    ingest([src], out)
    docs = [json.loads(x)["doc_id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert docs == ["1", "posts.jsonl#1"]
