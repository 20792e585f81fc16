"""Exact duplicates and document ids checked a chunk at a time against DuckDB tables
(annotate.ingestion.seen) give the answers of a one-by-one check in input order."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import annotate.ingestion as ingestion
from annotate.errors import InputError
from annotate.ingestion import ingest, iter_passages, passage_id
from annotate.ingestion.readers import Document
from annotate.ingestion.scratch import scratch_database
from annotate.ingestion.seen import SeenStore, text_digest
from annotate.ingestion.splitter import split_passages

PARAS = [
    "The ferry to the island was cancelled again because of the storm on Monday.",
    "Residents of the harbour district asked the council for a new breakwater.",
    "A local bakery donated bread to the volunteers who cleared the flooded road.",
    "The museum will reopen its winter garden to visitors at the end of the month.",
    "Teachers at the village school said the new timetable works well for families.",
]


def test_first_seen_counts_earlier_calls_and_earlier_items_of_the_same_call() -> None:
    a, b, c = (text_digest(t) for t in ("a", "b", "c"))
    with scratch_database() as db:
        seen = SeenStore(db)
        assert seen.first_seen([a, b, a]) == [True, True, False]
        assert seen.first_seen([c, b, c, a]) == [True, False, False, False]
        assert seen.first_seen([]) == []


def test_an_id_on_two_rows_of_one_input_or_in_two_inputs_is_refused_naming_both() -> None:
    with scratch_database() as db:
        seen = SeenStore(db)
        seen.check_origins([("7", "a.csv", "row 1 (line 2)"), ("8", "a.csv", "row 2 (line 3)")])
        seen.check_origins([("9", "b.csv", "row 1 (line 2)")])
        two_inputs = (
            r"'8' is used by two inputs, a\.csv and b\.csv "
            r"\(a\.csv row 2 \(line 3\); b\.csv row 2 \(line 3\)\)"
        )
        with pytest.raises(InputError, match=two_inputs):
            seen.check_origins(
                [("10", "b.csv", "row 2 (line 3)"), ("8", "b.csv", "row 2 (line 3)")]
            )
    with scratch_database() as db:  # one input over several chunks
        seen = SeenStore(db)
        seen.check_origins([("1", "a.jsonl", "line 1"), ("2", "a.jsonl", "line 2")])
        seen.check_origins([("3", "a.jsonl", "line 3"), ("1", "a.jsonl", "line 4")])
        # one input so far: its ids are not looked up chunk by chunk, but once at the end
        with pytest.raises(
            InputError, match=r"a\.jsonl: document id '1' is on line 1 and again on line 4;"
        ) as err:
            seen.check_repeats()
        assert "Fix: give each row its own id" in str(err.value)
    with scratch_database() as db:  # several repeats: the earliest second use is named
        seen = SeenStore(db)
        for i, doc_id in enumerate(["a", "b", "c", "b", "a", "c"]):
            seen.check_origins([(doc_id, "t.jsonl", f"line {i + 1}")])
        with pytest.raises(InputError, match=r"'b' is on line 2 and again on line 4"):
            seen.check_repeats()
    repeated = r"a\.csv: document id '1' is on row 1 \(line 2\) and again on row 3 \(line 5\)"
    with scratch_database() as db, pytest.raises(InputError, match=repeated):  # in one chunk
        SeenStore(db).check_origins(
            [
                ("1", "a.csv", "row 1 (line 2)"),
                ("2", "a.csv", "row 2 (line 3)"),
                ("1", "a.csv", "row 3 (line 5)"),
            ]
        )
    conflict = r"'1' is used by two inputs, a\.csv and b\.csv"
    with scratch_database() as db, pytest.raises(InputError, match=conflict):  # in one chunk
        SeenStore(db).check_origins([("1", "a.csv", ""), ("2", "b.csv", ""), ("1", "b.csv", "")])
    with scratch_database() as db, pytest.raises(InputError, match=r"docs/a\.txt was read twice"):
        SeenStore(db).check_origins([("docs/a.txt", "docs/a.txt", "")] * 2)


def _reference(docs: list[Document], dedupe: bool) -> list[dict[str, Any]]:
    """The one-by-one check with Python sets (what ingest did before the seen-store)."""
    seen: set[str] = set()
    origins: dict[str, str] = {}
    out = []
    for doc in docs:
        first = origins.setdefault(doc.doc_id, doc.origin)
        if first != doc.origin:
            raise AssertionError("the reference input has no id conflicts")
        index = 0
        for seg in split_passages(doc.text, min_chars=0, max_chars=200):
            text = doc.text[seg.start : seg.end]
            if dedupe and text in seen:
                continue
            seen.add(text)
            out.append((passage_id(doc.doc_id, text), doc.doc_id, index, seg.start, seg.end))
            index += 1
    return out


def _random_docs(seed: int) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(rng.randint(1, 40)):
        origin = f"in{i // 10}.jsonl"
        doc_id = f"{origin}:{i}"
        text = "\n\n".join(rng.choice(PARAS) for _ in range(rng.randint(1, 4)))
        docs.append(Document(doc_id=doc_id, text=text, source=origin, origin=origin))
    return docs


@pytest.mark.parametrize("chunk", [1, 2, 7, 5000])
@pytest.mark.parametrize("seed", range(6))
def test_chunked_rows_equal_the_one_by_one_check(
    chunk: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingestion, "SEEN_CHUNK", chunk)
    docs = _random_docs(seed)
    for dedupe in (True, False):
        rows = list(iter_passages(iter(docs), min_chars=0, max_chars=200, dedupe=dedupe))
        got = [(r["id"], r["doc_id"], r["passage_index"], r["start"], r["end"]) for r in rows]
        assert got == _reference(docs, dedupe)


def _docs_then_fail(docs: list[Document]) -> Iterator[Document]:
    yield from docs
    raise InputError("the reader failed after these documents.", fix="none")


@pytest.mark.parametrize("chunk", [1, 3, 5000])
def test_an_id_conflict_read_first_is_the_error_reported(
    chunk: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Rows are checked a chunk at a time, but a conflict earlier in the input still wins
    over any later error (a bad row, bad text), as it did one document at a time."""
    monkeypatch.setattr(ingestion, "SEEN_CHUNK", chunk)
    docs = [
        Document(doc_id="1", text=PARAS[0], source="a.csv", origin="a.csv"),
        Document(doc_id="2", text=PARAS[1], source="b.csv", origin="b.csv"),
        Document(doc_id="1", text=PARAS[2], source="b.csv", origin="b.csv"),
        Document(doc_id="3", text="bad \x85 text", source="b.csv", origin="b.csv"),
    ]
    with pytest.raises(InputError, match="used by two inputs") as err:
        list(iter_passages(_docs_then_fail(docs)))
    assert err.value.__context__ is None or err.value.__suppress_context__  # no chained trace
    with pytest.raises(InputError, match="C1 control character"):
        list(iter_passages(iter([docs[0], docs[3], docs[2]])))
    with pytest.raises(InputError, match="reader failed"):
        list(iter_passages(_docs_then_fail(docs[:2])))

    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps({"id": "1", "text": PARAS[0]}) + "\n", encoding="utf-8")
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"id": "1", "text": PARAS[1]}) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    with pytest.raises(InputError, match=re.escape(f"'1' is used by two inputs, {a} and {b}")):
        ingest([a, b], out)
    assert not out.exists()


def test_one_file_in_two_spellings_is_read_twice_not_two_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``data.csv`` and its absolute path are one file given twice, as ``./data.csv`` and
    ``data.csv`` are: not two inputs that happen to share ids (which asked to rename ids)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.csv").write_text(f"id,text\n1,{PARAS[0]}\n2,{PARAS[1]}\n", encoding="utf-8")
    absolute = tmp_path / "data.csv"
    (tmp_path / "link.csv").symlink_to(absolute)
    for again in (absolute, Path("link.csv")):
        twice = (
            "data.csv row 1 (line 2) was read twice "
            f"(document id '1' both times, given as data.csv and {again})"
        )
        with pytest.raises(InputError, match=re.escape(twice)):
            ingest([Path("data.csv"), again], tmp_path / "out.parquet")
    other = tmp_path / "copy.csv"  # a copy is another input: its ids clash
    other.write_bytes(absolute.read_bytes())
    with pytest.raises(InputError, match="used by two inputs"):
        ingest([Path("data.csv"), other], tmp_path / "out.parquet")
