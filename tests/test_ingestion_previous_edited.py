"""`annotate ingest --previous`: an edited document ingested again keeps only its changed
passages, at their places in the document. Before, they were renumbered from 0, so they
took the passage_index of the earlier run's first passages of the same document and an
export (sorted by doc_id, passage_index) interleaved the two versions out of order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.ingestion import ingest

PARAS = [
    "Thread: new parking rules on Harbour Street, and the residents are not happy at all.",
    "Reply from Maren: there was a consultation in the spring, but it was online only and "
    "hardly advertised anywhere in the neighbourhood.",
    "Reply from Tom: honestly the bus lane might help, the number 6 is always stuck behind "
    "delivery vans on the corner by the bakery and the school, and the morning buses are "
    "twenty minutes late most days of the week, so anything that gets them moving is welcome "
    "to me. But the permit price is ridiculous for pensioners. I will sign the petition.",
    "Reply from the moderator: please keep the discussion to the petition and the council "
    "meeting on the fourteenth of next month.",
]


def _write(path: Path, paras: list[str]) -> Path:
    path.write_text(json.dumps({"id": "thread-991", "text": "\n\n".join(paras)}) + "\n")
    return path


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


@pytest.mark.parametrize("drop", [False, True])
def test_an_edited_document_keeps_its_passages_places(tmp_path: Path, drop: bool) -> None:
    earlier = tmp_path / "week1.jsonl"
    ingest([_write(tmp_path / "docs1.jsonl", PARAS)], earlier, min_chars=20, max_chars=500)
    before = {r["text"]: r["passage_index"] for r in _rows(earlier)}
    assert list(before.values()) == [0, 1, 2, 3]

    added = "Reply from Gull: update, the council agreed to hear the petition on the 14th."
    edited = [*PARAS[:2], PARAS[2].replace("I will", "I shall"), PARAS[3], added]
    out = tmp_path / "week2.jsonl"
    stats = ingest(
        [_write(tmp_path / "docs2.jsonl", edited)],
        out,
        min_chars=20,
        max_chars=500,
        previous=[earlier],
        drop_near_duplicates=drop,
    )
    assert stats.near_copies_of_previous == 1  # the edited reply
    got = {r["text"]: r["passage_index"] for r in _rows(out)}
    if not drop:  # the edited reply: a near-copy of the earlier one, at its place
        assert got.pop(edited[2]) == 2
    assert got == {added: 4}
