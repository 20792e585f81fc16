"""`annotate ingest --previous`: the passages written of an edited document carry the text
of each neighbour in the document that the run does not write (dropped as a copy of an
earlier run's passage, exact or near), in ``context_before``/``context_after``, so that
push can show reviewers the context the whole document would have given. Before, they
carried nothing and their tasks showed no context."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotate.ingestion as ingestion
from annotate.ingestion import ingest
from annotate.tables import iter_rows, table_columns
from tests.test_ingestion_previous_edited import PARAS, _write

NEW1 = "Reply from Ines: the council published the parking map only in the library foyer."
NEW3 = "Reply from the moderator: thread locked, see the new one about the meeting."
EDITED = [PARAS[0], NEW1, PARAS[2].replace("I will", "I shall"), NEW3]


def _ingest(tmp_path: Path, ext: str, drop: bool) -> list[dict]:
    earlier = tmp_path / f"week1.{ext}"
    ingest([_write(tmp_path / "docs1.jsonl", PARAS)], earlier, min_chars=20, max_chars=500)
    out = tmp_path / f"week2.{ext}"
    ingest(
        [_write(tmp_path / "docs2.jsonl", EDITED)],
        out,
        min_chars=20,
        max_chars=500,
        previous=[earlier],
        drop_near_duplicates=drop,
    )
    return list(iter_rows(out))


def _context(rows: list[dict]) -> dict[int, tuple[str | None, str | None]]:
    return {r["passage_index"]: (r["context_before"], r["context_after"]) for r in rows}


@pytest.mark.parametrize("ext", ["jsonl", "parquet"])
def test_changed_passages_carry_the_neighbours_not_written(tmp_path: Path, ext: str) -> None:
    # the unchanged first reply is dropped (an exact copy); the edited one is kept, marked
    assert _context(_ingest(tmp_path, ext, drop=False)) == {
        1: (PARAS[0], None),
        2: (None, None),
        3: (None, None),
    }


@pytest.mark.parametrize("chunk", [1, 5000])
def test_a_dropped_near_copy_is_its_neighbours_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # chunk 1: the passage before the dropped one was read in an earlier batch of rows
    monkeypatch.setattr(ingestion, "NEAR_DUP_CHUNK", chunk)
    assert _context(_ingest(tmp_path, "jsonl", drop=True)) == {
        1: (PARAS[0], EDITED[2]),
        3: (EDITED[2], None),
    }


def test_a_run_without_previous_has_no_neighbour_columns(tmp_path: Path) -> None:
    out = tmp_path / "week1.parquet"
    ingest([_write(tmp_path / "docs1.jsonl", PARAS)], out, min_chars=20, max_chars=500)
    assert "context_before" not in table_columns(out)
