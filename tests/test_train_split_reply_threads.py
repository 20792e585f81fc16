"""`annotate train` splits rows that carry no split itself: a table without a ``split``
column (`train --data TABLE`) and an export's split file read alone without one. Export
keeps the comments of one reply thread in one split (annotate.corpus.export_threads:
a reply quoting a threat in train while the threat is in test is leakage); train's
re-split did not: the replies of a thread landed in several splits. Now the parent column
(`parent_id`, ..., a table's own or in the rows' ``meta``) links them as export does."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.training.sources import read_export_rows_file, read_native
from tests.conftest import project_taxonomy
from tests.test_train_loop import _corpus_row
from tests.test_validation_split_near_dups import _fixture_texts

SEEDS = range(12)


def _threaded(rows: list[dict], parent_of: int, set_parent) -> list[dict]:  # type: ignore[type-arg]
    """Every third row from the fourth on replies to row 0 (or to the row before it, a
    chain): one thread."""
    for k, r in enumerate(rows[3::3]):
        set_parent(r, parent_of if k % 2 == 0 else 3 * k)
    return rows


def test_a_table_without_splits_keeps_a_reply_thread_in_one_split(tmp_path: Path) -> None:
    tax = project_taxonomy()
    texts = _fixture_texts(24)
    rows = [{"doc_id": f"c-{i}", "text": t, "labels": ["none"]} for i, t in enumerate(texts)]
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    rows = _threaded(rows, 0, lambda r, p: r.__setitem__("parent_id", f"c-{p}"))
    threaded = tmp_path / "threaded.jsonl"
    threaded.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    apart = 0
    for seed in SEEDS:
        got = read_native(threaded, tax, seed)
        assert len({ex.split for ex in got[::3]}) == 1, seed
        assert len({ex.split for ex in got}) > 1, seed
        apart += len({ex.split for ex in read_native(plain, tax, seed)[::3]}) > 1
    assert apart  # without the parent column the thread's comments land apart


def test_an_export_file_without_splits_keeps_a_reply_thread_in_one_split(
    tmp_path: Path,
) -> None:
    tax = project_taxonomy()
    texts = _fixture_texts(24)
    rows = [_corpus_row(tax, i, t, ["none"], "train", ["none"]) for i, t in enumerate(texts)]
    for r in rows:
        del r["split"]
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    rows = _threaded(
        rows,
        0,
        lambda r, p: r.__setitem__("meta", json.dumps({"in_reply_to_id": rows[p]["doc_id"]})),
    )
    threaded = tmp_path / "threaded.jsonl"
    threaded.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    apart = 0
    for seed in SEEDS:
        got = read_export_rows_file(threaded, tax, seed)
        assert len({ex.split for ex in got[::3]}) == 1, seed
        assert len({ex.split for ex in got}) > 1, seed
        apart += len({ex.split for ex in read_export_rows_file(plain, tax, seed)[::3]}) > 1
    assert apart
