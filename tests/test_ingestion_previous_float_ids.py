"""`annotate ingest --previous` with a passages file an earlier annotate wrote from a table
whose id column pandas stored as floats: its documents are ``7.0`` there, ``7`` now
(:func:`annotate._util.coerce.id_str`). An edited document was not recognised as the
earlier one: its changed passage was numbered from 0 and carried no neighbours' text
(measured: passage_index 0 instead of 2, no context). It is the same document now, and
the run says why once."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from annotate._util.passage_ids import passage_id
from annotate.ingestion import ingest

PARAS = [
    "Thread: new parking rules on Harbour Street, and the residents are not happy at all.",
    "Reply from Maren: there was a consultation in the spring, but it was online only.",
    "Reply from Tom: the bus lane might help, the number 6 is always stuck behind vans.",
    "Reply from the moderator: please keep the discussion to the petition, thank you.",
]


def _table(path: Path, paras: list[str]) -> Path:
    # the empty id of the second row makes pandas store the column as floats
    frame = pd.DataFrame({"id": [7.0, None], "text": ["\n\n".join(paras), "A post, no id."]})
    frame.to_parquet(path)
    return path


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def test_an_edited_document_of_an_earlier_float_id_keeps_its_places(tmp_path: Path, caplog) -> None:
    earlier = tmp_path / "week1.jsonl"
    ingest([_table(tmp_path / "t1.parquet", PARAS)], earlier, min_chars=20, max_chars=200)
    rows = _rows(earlier)
    for row in rows:  # as annotate wrote it before it wrote the integer
        if row["doc_id"] == "7":
            row["doc_id"] = "7.0"
            row["id"] = passage_id("7.0", row["text"])
    earlier.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert [r["passage_index"] for r in rows if r["doc_id"] == "7.0"] == [0, 1, 2, 3]

    edited = [*PARAS[:2], PARAS[2].replace("might help", "will help"), PARAS[3]]
    out = tmp_path / "week2.jsonl"
    with caplog.at_level(logging.WARNING):
        ingest(
            [_table(tmp_path / "t2.parquet", edited)],
            out,
            min_chars=20,
            max_chars=200,
            previous=[earlier],
        )
    got = [r for r in _rows(out) if r["doc_id"] == "7"]
    assert [(r["text"], r["passage_index"]) for r in got] == [(edited[2], 2)]
    assert (got[0]["context_before"], got[0]["context_after"]) == (PARAS[1], PARAS[3])
    said = [r.getMessage() for r in caplog.records if "'7.0'" in r.getMessage()]
    assert len(said) == 1, said
    assert "document '7'" in said[0] and "same document" in said[0]
