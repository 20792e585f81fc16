"""`annotate ingest --keep-duplicates --previous`: an edited document ingested again keeps
its passages' places (``passage_index``: the position in the whole document), as without
--keep-duplicates. Before, the earlier run's document ids were read only when exact
duplicates were dropped, so with --drop-near-duplicates the passages kept after the
dropped near-copies were renumbered from 0 and took the earlier run's numbers."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.ingestion import ingest
from tests.test_ingestion_previous_edited import PARAS, _rows, _write


def test_keep_duplicates_keeps_an_edited_documents_places(tmp_path: Path) -> None:
    earlier = tmp_path / "week1.jsonl"
    ingest([_write(tmp_path / "docs1.jsonl", PARAS)], earlier, min_chars=20, max_chars=500)
    added = "Reply from Gull: update, the council agreed to hear the petition on the 14th."
    edited = [*PARAS[:2], PARAS[2].replace("I will", "I shall"), PARAS[3], added]
    out = tmp_path / "week2.jsonl"
    ingest(
        [_write(tmp_path / "docs2.jsonl", edited)],
        out,
        min_chars=20,
        max_chars=500,
        previous=[earlier],
        dedupe=False,
        drop_near_duplicates=True,
    )
    # the exact copies are kept (--keep-duplicates), the edited reply is dropped as a
    # near-copy of week 1's: the passages after it keep their places in the document
    got = {r["text"]: r["passage_index"] for r in _rows(out)}
    assert got == {PARAS[0]: 0, PARAS[1]: 1, PARAS[3]: 3, added: 4}


def test_keep_duplicates_alone_numbers_every_passage(tmp_path: Path) -> None:
    earlier = tmp_path / "week1.jsonl"
    ingest([_write(tmp_path / "docs1.jsonl", PARAS)], earlier, min_chars=20, max_chars=500)
    out = tmp_path / "week2.jsonl"
    ingest(
        [_write(tmp_path / "docs2.jsonl", PARAS)],
        out,
        min_chars=20,
        max_chars=500,
        previous=[earlier],
        dedupe=False,
    )
    assert [r["passage_index"] for r in _rows(out)] == [0, 1, 2, 3]
    assert json.loads(_rows(out)[0]["ingest_run"])["settings"]["drop_exact_duplicates"] is False
