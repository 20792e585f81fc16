"""Held-out passages that near-copy the model's own training rows: comparing a model
retrained on a small export with the default one on the export's test split gave the
default model 4 of 4 test passages it had been trained on (data/project rows), without
a word; evaluate and compare now count them (`training_near_copies`) from the model's
training record, with MinHash LSH and the exact word 3-gram Jaccard >= 0.8."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from annotate.evaluation.near_copies import (
    near_copy_note,
    near_copy_pairs,
    training_near_copies,
)
from annotate.training.sources import Example
from tests.conftest import project_taxonomy

LONG = (
    "The council met on Tuesday evening to discuss the new bus timetable for the northern "
    "districts, and residents asked for later services on weekends"
)


def test_pairs_are_found_at_jaccard_0_8_and_not_below():
    training = [LONG, "Completely different words about the harvest festival in the valley."]
    scored = [
        LONG + " too.",  # one shingle more: 22 / 23
        LONG.replace("Tuesday evening", "Monday morning"),  # 4 of 22 shingles changed: 18/26
        "Nothing like the others at all, a third text.",
        LONG,
    ]
    pairs = near_copy_pairs(scored, training)
    assert [(i, j) for i, j, _ in pairs] == [(0, 0), (3, 0)]
    assert pairs[0][2] == round(22 / 23, 4) and pairs[1][2] == 1.0
    assert near_copy_pairs([], training) == [] and near_copy_pairs(scored, []) == []


def _model(tmp_path: Path, entries: list[dict]) -> SimpleNamespace:
    return SimpleNamespace(
        version="small@1", config={"training": {"seed": 13, "data": entries}}, thresholds={}
    )


def _example(i: int, text: str, split: str) -> Example:
    return Example(
        text=text,
        labels={"none"},
        known={"none"},
        split=split,
        source="scored",
        doc_key=f"s{i}",
        id=f"s-{i}",
    )


def test_held_out_passages_near_copying_training_rows_are_counted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [
        {"doc_id": "a", "text": LONG, "labels": ["none"], "split": "train", "id": "t-1"},
        {"doc_id": "b", "text": "Rain again on Friday.", "labels": ["none"], "split": "test"},
    ]
    Path("export.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    clf = _model(
        tmp_path,
        [
            {"path": "export.jsonl", "kind": "native", "resolved": "export.jsonl"},
            {"path": "../shared/data/x.tsv", "kind": "mapped"},
            {"path": "gone.jsonl", "kind": "native"},
            {"path": "labels.yaml", "kind": "taxonomy examples"},
        ],
    )
    scored = [
        _example(0, LONG + " too.", "test"),  # a near-copy in another document
        _example(1, "Rain again on Friday.", "test"),  # a test row of training: not trained on
        _example(2, "Something else entirely, with no copy anywhere.", "test"),
    ]
    found = training_near_copies(clf, project_taxonomy(), scored)
    assert found.count == 1 and found.training_rows == 1
    assert found.examples == [
        {"id": "s-0", "training_id": "t-1", "training_source": "export", "jaccard": 0.9565}
    ]
    assert found.sources == ["export.jsonl"]
    assert found.skipped == [
        {"path": "../shared/data/x.tsv", "why": "a mapped public table"},
        {"path": "gone.jsonl", "why": "not found here"},
    ]
    # the training row itself, scored in its own train split, is not a held-out passage
    itself = Example(
        text=LONG, labels={"none"}, known={"none"}, split="train", source="x", doc_key="a"
    )
    itself.id = "t-1"
    assert training_near_copies(clf, project_taxonomy(), [itself]).count == 0
    # ... but the same passage in the test split is an exact copy
    itself.split = "test"
    assert training_near_copies(clf, project_taxonomy(), [itself]).count == 1
    # a model that records no project data: nothing searched
    assert training_near_copies(_model(tmp_path, []), project_taxonomy(), scored).count is None
    note = near_copy_note(found.count, clf.version)
    assert note.startswith(
        "1 scored passage is a near-copy (Jaccard >= 0.8 of word 3-grams, character n-grams "
        "in Chinese, Japanese or Thai) of "
    )
    assert near_copy_note(0, "m") == "" and near_copy_note(None, "m") == ""
    assert "3 scored passages are near-copies" in near_copy_note(3, "m", "comparison.json")


def test_search_signs_one_chunk_at_a_time_with_the_recorded_bands(monkeypatch):
    """100,000 held-out passages signed at once held ~700 MB more (measured: +701 MB vs
    +63 MB chunked, 100k scored x 2k training texts); datasketch's band integrals
    (scipy) are not needed for the default threshold."""
    import datasketch
    import datasketch.lsh

    sizes: list[int] = []
    real = datasketch.MinHash.bulk

    def bulk(cls, b, **kw):
        b = list(b)
        sizes.append(len(b))
        return real(b, **kw)

    def no_integrals(*a, **kw):
        raise AssertionError("bands are recorded for the default threshold")

    monkeypatch.setattr(datasketch.MinHash, "bulk", classmethod(bulk))
    monkeypatch.setattr(datasketch.lsh, "_optimal_param", no_integrals)
    scored = [LONG + " too.", "Nothing like it.", LONG, "Other words here.", LONG + " ok"]
    training = [LONG, "Completely different words about the harvest festival.", "A third."]
    pairs = near_copy_pairs(scored, training, chunk=2)
    assert sizes == [2, 1, 2, 2, 1]  # training 2 + 1, then scored 2 + 2 + 1
    assert [(i, j) for i, j, _ in pairs] == [(0, 0), (2, 0), (4, 0)]


def test_a_source_trained_all_as_test_is_no_training_data(tmp_path, monkeypatch):
    """A project table the config put in the test split (``split: test``) held no
    training row: re-split by hash, its rows were counted as training rows, and every
    one of them, scored in test, as a near-copy of itself. DatasetDict folders in the
    project's columns are searched like exports."""
    monkeypatch.chdir(tmp_path)
    rows = [
        {"doc_id": f"d{k}", "text": f"{LONG} number {k}", "labels": ["none"], "id": f"t-{k}"}
        for k in range(6)
    ]
    Path("held.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    entry = {"path": "held.jsonl", "kind": "native", "resolved": "held.jsonl"}
    scored = [_example(k, r["text"], "test") for k, r in enumerate(rows)]
    for k, e in enumerate(scored):
        e.id = f"t-{k}"
    # without the split recorded, the rows are split by hash: some are training rows
    assert training_near_copies(_model(tmp_path, [entry]), project_taxonomy(), scored).count
    found = training_near_copies(
        _model(tmp_path, [{**entry, "split": "test"}]), project_taxonomy(), scored
    )
    assert found.count is None and found.training_rows == 0
    assert found.skipped == [{"path": "held.jsonl", "why": "every row was a test row"}]
    saved = {"path": "gone-dataset", "kind": "saved dataset", "resolved": "gone-dataset"}
    found = training_near_copies(_model(tmp_path, [saved]), project_taxonomy(), scored)
    assert found.skipped == [{"path": "gone-dataset", "why": "not found here"}]


def test_the_training_data_s_warnings_are_not_given_again(tmp_path, monkeypatch, caplog):
    """Evaluating a model trained on an export with tied passages printed the export's
    warning twice: once for the scored data, once more (under a path relative to the
    training checkout) when the search read the model's training data. The second is the
    training's warning, given when it was trained."""
    monkeypatch.chdir(tmp_path)
    row = {
        "doc_id": "a",
        "text": LONG,
        "labels": ["none"],
        "split": "train",
        "spans": [{"text": "not in the passage", "label": "threat"}],
    }
    Path("train.jsonl").write_text(json.dumps(row) + "\n")
    clf = _model(tmp_path, [{"path": "train.jsonl", "kind": "native"}])
    with caplog.at_level("WARNING"):
        found = training_near_copies(clf, project_taxonomy(), [_example(0, LONG, "test")])
    assert found.count == 1 and found.sources == ["train.jsonl"]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("annotate.training")] == []
