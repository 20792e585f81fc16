"""The encoder-head trainer (``trainer: encoder-head``) counts its own test passages whose
text a train or validation row has (``metrics.test_copies``), over the rows its test
report scores: a second source that holds a copy of a training passage in its test split
is counted once per copy, case and white space folded; a test passage no fitted row has,
or one only another test passage repeats, is not. Real encoder, a few dozen passages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.training import TrainConfig, train

pytestmark = pytest.mark.slow

FITTED = [
    ("train", "The allotment society of {p} meets on Thursdays to swap seeds.", "none"),
    ("train", "Police said {p} people were arrested after the march on Sunday.", "news_reporting"),
    ("validation", "Our choir in {p} is looking for tenors for the winter concert.", "none"),
    (
        "validation",
        "The court in {p} heard that the messages came from one account.",
        "news_reporting",
    ),
]
PLACES = ["Arden", "Brill", "Calder", "Dunmore", "Elston", "Farley"]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_encoder_head_trainer_counts_test_copies_of_fitted_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taxonomy
) -> None:
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    own = [
        {"doc_id": f"a{d}-{k}", "text": t.format(p=p), "labels": [label], "split": split}
        for d, p in enumerate(PLACES)
        for k, (split, t, label) in enumerate(FITTED)
    ]
    copies = [  # the second source's test split: 3 copies of fitted rows (folded), 2 not
        own[0]["text"].upper(),  # a train row, case folded
        "  ".join(own[2]["text"].split(" ")),  # a validation row, runs of spaces
        own[5]["text"] + "\n",  # a train row of another document
        "The bakery in Garth now opens at seven and sells rye bread.",
        "The bakery in Garth now opens at seven and sells rye bread.",  # a test-only repeat
    ]
    other = [
        {"doc_id": f"b{i}", "text": t, "labels": ["none"], "split": "test"}
        for i, t in enumerate(copies)
    ]
    cfg = TrainConfig(
        name="t",
        trainer="encoder-head",
        data=[
            {"path": str(_write(tmp_path / "own.jsonl", own))},
            {"path": str(_write(tmp_path / "other.jsonl", other))},
        ],
    )
    result = train(cfg, tmp_path / "model", taxonomy)
    record = result.metrics["test_copies"]
    assert record["count"] == 3, record
    assert record["test_passages"] == len(other) == result.metrics["test"]["n"]
    assert sum(record["by_source"].values()) == 3 and len(record["by_source"]) == 1
    assert [e["copy_split"] for e in record["examples"]] == ["train", "validation", "train"]
    stored = json.loads((tmp_path / "model" / "annotate_model.json").read_text())
    assert stored["metrics"]["test_copies"] == record
