"""prelabel's row check, on ids and texts of the wrong kind: an id that is a list or an
object (a JSON export that nests it) is an error naming the row, before the model loads
(it became the passage id "['a']", its Python text, pushed and exported as such); the
error for a text of the wrong kind reads "an int" (it said "a int")."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError
from annotate.prelabeling import precheck_rows


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize(("pid", "kind"), [(["a"], "a list"), ({"a": 1}, "a dict")])
def test_an_id_that_is_a_list_or_an_object_is_an_error_naming_the_row(
    tmp_path: Path, pid: object, kind: str
) -> None:
    path = _jsonl(tmp_path / "p.jsonl", [{"id": "x", "text": "fine"}, {"id": pid, "text": "t"}])
    with pytest.raises(InputError) as err:
        precheck_rows(path)
    assert f"line 2 has {kind} in 'id'" in str(err.value)
    assert "expected a string or a whole number" in str(err.value)


def test_a_list_id_in_parquet_is_an_error_too(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"id": [["a"], ["b"]], "text": ["x", "y"]}), path)
    with pytest.raises(InputError, match=r"row 1 has a list in 'id'"):
        precheck_rows(path)


def test_numbers_stay_ids_and_a_number_for_text_reads_an_int(tmp_path: Path) -> None:
    precheck_rows(_jsonl(tmp_path / "ok.jsonl", [{"id": 7, "text": "fine"}]))
    path = _jsonl(tmp_path / "p.jsonl", [{"id": "a", "text": 42}])
    with pytest.raises(InputError, match=r"line 1 \(id 'a'\) has an int in 'text'"):
        precheck_rows(path)
