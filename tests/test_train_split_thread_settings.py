"""Train's re-split reads a reply thread through the ingest run's ``parent_column`` and
``id_prefix`` as export does: one function (annotate.corpus.export_threads.split_links /
row_parent) for export, verify's split recompute and train. A comments table whose
parent column is no parent-like name (``answers``, named by ``ingest --parent-column``)
and whose ids ingest prefixed (``--id-prefix c-``: the column says ``4``, the parent's
document is ``c-4``) links its thread only through those settings: from the run record
an ingest table carries in ``ingest_run`` (train) or from the manifest's ingest runs by
run id (export, verify). Real data: the project's passages, a table pandas wrote, and
`annotate ingest` run on it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from annotate.corpus.export_threads import split_links
from annotate.ingestion import ingest
from annotate.training.sources import read_native
from tests.conftest import project_taxonomy
from tests.test_validation_split_near_dups import _fixture_texts

SEEDS = range(12)
ROWS = 24


def _comments(path: Path) -> Path:
    """A comments table as pandas writes it: ids 1..24; every third row from the fourth
    answers row 1 or the row three above it (one thread, rows 1, 4, 7, ... 22); the others
    answer none (an empty cell: the column is float, ``4.0``)."""
    answers: list[float | None] = [None] * ROWS
    for k, i in enumerate(range(3, ROWS, 3)):
        answers[i] = 1 if k % 2 == 0 else i - 2  # ids are positions + 1
    frame = pd.DataFrame(
        {"comment_id": range(1, ROWS + 1), "body": _fixture_texts(ROWS), "answers": answers}
    )
    frame.to_csv(path, index=False)
    return path


def _ingested(tmp_path: Path) -> pd.DataFrame:
    """The comments ingested with --parent-column answers --id-prefix c-, labelled."""
    out = tmp_path / "passages.parquet"
    ingest(
        [_comments(tmp_path / "comments.csv")],
        out,
        text_column="body",
        id_column="comment_id",
        parent_column="answers",
        id_prefix="c-",
    )
    passages = pd.read_parquet(out).sort_values("doc_id", key=lambda s: s.str[2:].astype(int))
    assert list(passages["doc_id"]) == [f"c-{i}" for i in range(1, ROWS + 1)]
    passages["labels"] = [["none"]] * len(passages)
    return passages.reset_index(drop=True)


def test_train_re_split_links_a_thread_by_the_runs_parent_column_and_id_prefix(
    tmp_path: Path,
) -> None:
    tax = project_taxonomy()
    passages = _ingested(tmp_path)
    table = tmp_path / "labelled.parquet"
    passages.to_parquet(table)
    # without the run record the settings are gone: "answers" is no parent-like column
    bare = tmp_path / "bare.parquet"
    passages.drop(columns=["ingest_run"]).to_parquet(bare)
    thread = list(range(0, ROWS, 3))
    apart = 0
    for seed in SEEDS:
        got = read_native(table, tax, seed)
        assert len(got) == ROWS
        assert len({got[i].split for i in thread}) == 1, seed
        assert len({ex.split for ex in got}) > 1, seed
        unlinked = read_native(bare, tax, seed)
        apart += len({unlinked[i].split for i in thread}) > 1
    assert apart  # the settings, not the data alone, keep the thread together


def test_export_rows_and_an_ingest_table_link_the_same_thread(tmp_path: Path) -> None:
    """Export's rows name their run by id (its record: the manifest's ingest_runs); an
    ingest table carries the record itself: both read the same settings."""
    # as JSON rows: pandas' missing strings (NaN) as null, as export writes them
    rows = json.loads(_ingested(tmp_path).to_json(orient="records"))
    records = [json.loads(r["ingest_run"]) for r in rows]
    runs = {rec["run"]: rec for rec in records}
    exported = [{**r, "ingest_run": rec["run"]} for r, rec in zip(rows, records, strict=True)]
    want = ["c-1" if i % 3 == 0 else None for i in range(ROWS)]
    assert split_links(rows).threads == want
    assert split_links(exported, runs).threads == want
    # an export row whose run is not among the records reads parent-like keys only
    assert split_links(exported).threads == [None] * ROWS
    assert split_links(exported, runs).groups() == [
        "c-1" if t else d for d, t in zip([r["doc_id"] for r in rows], want, strict=True)
    ]
