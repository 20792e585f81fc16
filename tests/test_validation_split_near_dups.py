"""A validation split made from training data holds out near-duplicates together: a
near-copy of a held-out passage left in train would inflate the validation figures and
the thresholds chosen on them. Links come from the data's own ``near_dup_group`` (an
export's, ingest's MinHash LSH) and from a MinHash LSH search over the training rows
(data without the column: a plain table, a public source)."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import pandas as pd
import pytest

from annotate.training.config import TrainConfig
from annotate.training.rows import load_rows
from annotate.training.sources import DataSource, load_examples
from annotate.training.validation_split import hold_out_validation, validation_documents
from tests.conftest import project_taxonomy
from tests.test_train_loop import _corpus_row

ROOT = Path(__file__).resolve().parents[1]
SEEDS = range(12)


def _fixture_texts(n: int) -> list[str]:
    """``n`` distinct passages of the project's own data (data/project/harmful.jsonl)."""
    rows = [json.loads(line) for line in (ROOT / "data/project/harmful.jsonl").open()]
    texts = list(dict.fromkeys(r["text"] for r in rows if len(r["text"].split()) >= 25))
    assert len(texts) >= n
    return texts[:n]


def _table_with_a_near_copy(path: Path, docs: int = 10) -> Path:
    """One passage per document, every row in train, no near_dup_group column; document
    ``copy`` repeats document d-0's passage with one word added (a re-post)."""
    texts = _fixture_texts(docs)
    rows = [
        {"doc_id": f"d-{i}", "text": t, "labels": ["none"], "split": "train"}
        for i, t in enumerate(texts)
    ]
    rows.append({"doc_id": "copy", "text": texts[0] + " Shared.", "labels": ["none"]})
    rows[-1]["split"] = "train"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_validation_documents_hold_out_whole_groups() -> None:
    docs = [f"d{i}" for i in range(10)]
    linked = ["g" if d in ("d3", "d7") else None for d in docs]
    for seed in SEEDS:
        held = validation_documents(docs, seed, [linked])
        assert len(held) == 2 and held <= set(docs)
        assert ("d3" in held) == ("d7" in held)
        # no links: the documents as before (the first k in the seeded order)
        assert validation_documents(docs, seed, [[None] * 10]) == validation_documents(docs, seed)
    # a group bigger than the target share: the smallest group instead, never all
    big = ["g" if d != "d0" else None for d in docs]
    assert validation_documents(docs, 0, [big]) == {"d0"}
    assert validation_documents(["a", "b"], 0, [["g", "g"]]) == set()


def test_a_near_copy_in_another_document_is_held_out_with_it(tmp_path: Path) -> None:
    data = _table_with_a_near_copy(tmp_path / "all_train.jsonl")
    tax = project_taxonomy()
    split_apart = 0
    for seed in SEEDS:
        examples, _ = load_examples([DataSource(str(data))], tax, seed)
        assert all(ex.near_dup_group is None for ex in examples)  # the table gives none
        before = copy.deepcopy(examples)
        assert hold_out_validation(examples, seed) >= 1
        split = {ex.doc_key: ex.split for ex in examples}
        assert split["all_train:d-0"] == split["all_train:copy"]
        assert {"train", "validation"} == set(split.values())
        # documents alone (no search) put the pair apart for some seed: what this prevents
        hold_out_validation(before, seed, search=False)
        alone = {ex.doc_key: ex.split for ex in before}
        split_apart += alone["all_train:d-0"] != alone["all_train:copy"]
    assert split_apart


def test_training_rows_carry_the_group_and_hold_out_an_export_group(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An export's train split file read alone (no validation split): passages ingest
    linked (``near_dup_group``; the first one of an earlier ingest run names none itself)
    are held out together, though their texts differ too much for the search."""
    tax = project_taxonomy()
    texts = _fixture_texts(10)
    rows = [_corpus_row(tax, i, t, ["none"], "train", ["none"]) for i, t in enumerate(texts)]
    rows[4]["near_dup_group"] = "ls-2"  # ls-2 itself (an earlier run's) carries none
    rows[8]["near_dup_group"] = "ls-2"
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for seed in SEEDS:
        cfg = TrainConfig(
            name="t", data=[{"path": str(data)}], taxonomy_examples_weight=0, seed=seed
        )
        with caplog.at_level(logging.WARNING):
            got, _ = load_rows(cfg, tax)
        by_doc = dict(zip(got.doc_id, got.split, strict=True))
        linked = {by_doc[f"export:market-{i}"] for i in (2, 4, 8)}
        assert len(linked) == 1, (seed, by_doc)
        assert set(by_doc.values()) == {"train", "validation"}
        groups = dict(zip(got.doc_id, got.near_dup_group, strict=True))
        assert groups["export:market-2"] == groups["export:market-8"] == "export:ls-2"
        assert pd.isna(groups["export:market-0"])
    assert "held out together: 8 groups" in caplog.text


def test_a_table_without_splits_splits_linked_documents_together(tmp_path: Path) -> None:
    """A table with no split column but a near_dup_group column (e.g. ingest's corpus
    rows labelled elsewhere) is split as an export is: linked documents share a split;
    the documents of a table without the column keep their hash split."""
    from annotate.corpus.splits import assign_splits
    from annotate.training.sources import read_native

    texts = _fixture_texts(24)
    rows = [{"doc_id": f"d-{i}", "text": t, "labels": ["none"]} for i, t in enumerate(texts)]
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for r in rows[::3]:  # every third document in one group
        r["near_dup_group"] = "p-0"
    grouped = tmp_path / "grouped.jsonl"
    grouped.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    tax = project_taxonomy()
    apart = 0
    for seed in SEEDS:
        got = read_native(plain, tax, seed)
        keys = [f"plain:d-{i}" for i in range(24)]
        assert [ex.split for ex in got] == assign_splits(keys, ratios=(0.7, 0.15, 0.15), seed=seed)
        linked = {ex.split for ex in got[::3]}
        apart += len(linked) > 1
        got = read_native(grouped, tax, seed)
        assert len({ex.split for ex in got[::3]}) == 1
        assert got[0].near_dup_group == "grouped:p-0" and got[1].near_dup_group is None
    assert apart  # without the column the same documents land in several splits


def test_an_export_file_without_splits_keeps_ingest_groups_in_one_split(
    tmp_path: Path,
) -> None:
    """Export rows whose split was dropped (a file of them, read alone) are split by
    document, documents ingest linked together (the group's first passage, of an earlier
    run, names none itself)."""
    from annotate.training.sources import read_export_rows_file

    tax = project_taxonomy()
    texts = _fixture_texts(24)
    rows = [_corpus_row(tax, i, t, ["none"], "train", ["none"]) for i, t in enumerate(texts)]
    for r in rows:
        del r["split"]
    for r in rows[3::3]:
        r["near_dup_group"] = "ls-0"
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for seed in SEEDS:
        got = read_export_rows_file(data, tax, seed)
        assert len({ex.split for ex in got[::3]}) == 1, seed
        assert len({ex.split for ex in got}) > 1
