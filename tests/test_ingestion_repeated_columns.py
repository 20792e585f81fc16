"""A table with two columns of one name: read as dicts, only the last column survived,
so a CSV exported with two ``text`` columns lost the first one's text without a word."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.tables import iter_rows


def _csv(folder: Path) -> Path:
    path = folder / "export.csv"
    path.write_text("id,text,text\n1,the first text,the second text\n", encoding="utf-8")
    return path


def _parquet(folder: Path) -> Path:
    path = folder / "export.parquet"
    table = pa.Table.from_arrays(
        [pa.array(["1"]), pa.array(["the first text"]), pa.array(["the second text"])],
        names=["id", "text", "text"],
    )
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("make", [_csv, _parquet], ids=["csv", "parquet"])
def test_a_repeated_column_name_is_an_error_not_a_column_dropped(make, tmp_path: Path) -> None:
    src = make(tmp_path)
    out = tmp_path / "passages.parquet"
    with pytest.raises(InputError) as err:
        ingest([src], out)
    message = str(err.value)
    assert "'text' appear more than once" in message
    assert "'id', 'text', 'text'" in message  # what was found
    assert "'text_2'" in str(err.value.fix)
    assert not out.exists()


@pytest.mark.parametrize("make", [_csv, _parquet], ids=["csv", "parquet"])
def test_every_reader_of_a_table_refuses_it(make, tmp_path: Path) -> None:
    # prelabel and push read their input with the same reader
    with pytest.raises(InputError, match="appear more than once"):
        list(iter_rows(make(tmp_path)))


def test_distinct_columns_are_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,text,Text\n1,lower,upper\n", encoding="utf-8")
    assert list(iter_rows(path)) == [{"id": "1", "text": "lower", "Text": "upper"}]
