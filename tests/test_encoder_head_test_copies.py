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
    result = train(cfg, tmp_path / "model", taxonomy, allow_no_harmful=True)
    record = result.metrics["test_copies"]
    assert record["count"] == 3, record
    assert record["test_passages"] == len(other) == result.metrics["test"]["n"]
    assert sum(record["by_source"].values()) == 3 and len(record["by_source"]) == 1
    assert [e["copy_split"] for e in record["examples"]] == ["train", "validation", "train"]
    stored = json.loads((tmp_path / "model" / "annotate_model.json").read_text())
    assert stored["metrics"]["test_copies"] == record


def test_the_encoder_head_trainer_records_each_labels_training_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taxonomy
) -> None:
    """``metrics.train_positives`` (per label, its training rows, labels.yaml's examples
    included), as the frozen trainer records it: without it the warning and the card's
    line for labels no training passage has (passF52 F5) were silent for this trainer."""
    from annotate.evaluation.model_card import untrained_labels
    from annotate.training.card_limits import derived_only_labels

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    own = [
        {"doc_id": f"a{d}-{k}", "text": t.format(p=p), "labels": [label], "split": split}
        for d, p in enumerate(PLACES)
        for k, (split, t, label) in enumerate(FITTED)
    ]
    own += [{**r, "doc_id": f"t{r['doc_id']}", "split": "test"} for r in own[:4]]
    cfg = TrainConfig(
        name="t",
        trainer="encoder-head",
        data=[{"path": str(_write(tmp_path / "own.jsonl", own))}],
    )
    result = train(cfg, tmp_path / "model", taxonomy, allow_no_harmful=True)
    positives = result.metrics["train_positives"]
    assert list(positives) == taxonomy.category_names
    seeds = {
        n: sum(n in ex.labels for c in taxonomy.categories for ex in c.examples)
        for n in taxonomy.category_names
    }
    # labels.yaml's examples, and 6 documents' train passage of news (derived rows of
    # the documents, mixed or untitled, may add more)
    assert positives["news_reporting"] >= 6 + seeds["news_reporting"], positives
    assert positives["violent_threat"] == seeds["violent_threat"] > 0, positives
    stored = json.loads((tmp_path / "model" / "annotate_model.json").read_text())
    assert stored["metrics"]["train_positives"] == positives
    assert "violent_threat" in derived_only_labels(stored)
    assert "news_reporting" not in derived_only_labels(stored)
    assert untrained_labels(stored) == [
        n for n in taxonomy.category_names if not positives[n] and n != taxonomy.none_label
    ]
    card = (tmp_path / "model" / "model_card.md").read_text(encoding="utf-8")
    assert "- No training passage of the data has `violent_threat` (" in card
