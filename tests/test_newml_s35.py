"""A new ML engineer's findings in stop 35 (retrain, evaluate, prelabel with own models)."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.training.sources import read_export, read_native

THREAT = "I will find you tonight and you will bleed for what you wrote."


def test_a_table_without_spans_is_not_scored_as_reviewed_for_spans(
    tmp_path: Path, taxonomy
) -> None:
    """A table without a ``spans`` column says nothing about evidence spans: its passages
    must not count as "reviewed, no span here" (evaluate scored every predicted span on
    them as a false positive and reported them as reviewed for spans). A row with an
    empty list still does."""
    rows = [
        {"doc_id": "a", "text": THREAT, "labels": ["violent_threat"]},
        {"doc_id": "b", "text": "The bake sale opens at nine.", "labels": ["none"], "spans": []},
        {
            "doc_id": "c",
            "text": THREAT,
            "labels": ["violent_threat"],
            "spans": [{"text": "you will bleed", "label": "threat"}],
        },
    ]
    table = tmp_path / "t.jsonl"
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    got = {ex.doc_key: ex.spans for ex in read_native(table, taxonomy, 13)}
    assert got == {"t:a": None, "t:b": [], "t:c": [(28, 42, "threat")]}, got


def test_a_saved_datasetdict_without_spans_is_not_reviewed_for_spans(
    tmp_path: Path, taxonomy
) -> None:
    import datasets

    ds = datasets.Dataset.from_dict(
        {"doc_id": ["a"], "text": [THREAT], "labels": [["violent_threat"]]}
    )
    datasets.DatasetDict({"train": ds, "test": ds}).save_to_disk(str(tmp_path / "hf"))
    exs = read_export(tmp_path / "hf", taxonomy)
    assert [ex.spans for ex in exs] == [None, None]
