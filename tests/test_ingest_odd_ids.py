"""Table ids that are no text or number (newuser58 findings 1 and 3): a Parquet
``binary`` id column became Python's ``b'x1'`` as the document id (a 16-byte UUID its
escaped bytes), and a list or object id its Python repr, silently. Bytes are now their
UTF-8 text, else their hex; a list or object id is refused, the row named, with the fix."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate._util.coerce import id_str
from annotate.errors import InputError
from annotate.ingestion import ingest

TEXT = "Police said the suspect posted threats against the synagogue hours before."
OTHER = "The harbour festival drew a record crowd despite the rain on Saturday."


def _doc_ids(out: Path) -> list[str]:
    return [json.loads(x)["doc_id"] for x in out.read_text(encoding="utf-8").splitlines()]


def test_a_binary_parquet_id_is_its_text_or_hex(tmp_path: Path) -> None:
    src = tmp_path / "posts.parquet"
    ids = pa.array([b"x1", uuid.UUID(int=2).bytes], pa.binary())
    pq.write_table(pa.table({"id": ids, "text": [TEXT, OTHER]}), src)
    out = tmp_path / "p.jsonl"
    ingest([src], out)
    assert sorted(_doc_ids(out)) == sorted(["x1", "0" * 31 + "2"])


def test_id_str_of_bytes() -> None:
    assert id_str(b"post-7") == "post-7"
    assert id_str(b"\xff\x00") == "ff00"
    assert id_str(b"a\x00") == "6100"
    assert id_str(7.0) == "7"


def test_a_list_parquet_id_is_refused_with_its_row(tmp_path: Path) -> None:
    src = tmp_path / "posts.parquet"
    pq.write_table(pa.table({"id": pa.array([[1], [2, 3]]), "text": [TEXT, OTHER]}), src)
    out = tmp_path / "p.jsonl"
    with pytest.raises(
        InputError, match=r"posts\.parquet row 1: the id in column 'id' is a list"
    ) as exc:
        ingest([src], out)
    assert "--id-column" in (exc.value.fix or "")
    assert not out.exists()


def test_an_object_jsonl_id_is_refused_with_its_line(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    rows = [{"id": 1, "text": TEXT}, {"id": {"a": 1}, "text": OTHER}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    said = r"posts\.jsonl line 2: the id in column 'id' is an object"
    with pytest.raises(InputError, match=said):
        ingest([src], tmp_path / "p.jsonl")


def test_a_binary_parent_column_names_the_binary_ids_document(tmp_path: Path) -> None:
    # reader58b F4: the parent column went through json.dumps(default=str): "b'p1'",
    # while the document's id is "p1", so the reply lost its parent
    from annotate.review.parents import parent_doc_id

    src = tmp_path / "posts.parquet"
    ids = pa.array([b"p1", b"c1"], pa.binary())
    parents = pa.array([None, b"p1"], pa.binary())
    pq.write_table(pa.table({"id": ids, "parent_id": parents, "text": [TEXT, OTHER]}), src)
    out = tmp_path / "p.jsonl"
    ingest([src], out, parent_column="parent_id")
    rows = {r["doc_id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    assert sorted(rows) == ["c1", "p1"]
    assert parent_doc_id(rows["c1"]) == "p1"
    assert parent_doc_id(rows["p1"]) is None
