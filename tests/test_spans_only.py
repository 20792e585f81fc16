"""`spans_only: true` on a training-config data entry: the source trains the evidence-span
model alone (fast: tiny project files and a hashed bag-of-words stand-in encoder)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from annotate.errors import TrainingError
from annotate.taxonomy import load_taxonomy
from annotate.training.config import DataEntry, TrainConfig, load_train_config
from annotate.training.frozen import fit_frozen
from annotate.training.row_training import split_rows
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parents[1]
SPLITS = ["train", "train", "validation", "test"]


def _vec(text: str) -> np.ndarray:
    v = np.zeros(32, np.float32)
    for w in text.lower().split():
        v[int(hashlib.md5(w.strip('.,"').encode()).hexdigest(), 16) % 32] += 1
    return v / max(float(np.linalg.norm(v)), 1e-9)


class _Feats:
    """RowFeatures' interface over :func:`_vec` (passages and their candidate segments)."""

    def matrix(self, rows):
        return np.stack([_vec(t) for t in rows["text"]]) if len(rows) else np.zeros((0, 32))

    def segments(self, rows):
        return [
            np.stack([_vec(t[a:b]) for a, b, _ in s]) if s else np.zeros((0, 32), np.float32)
            for t, s in zip(rows["text"], rows["seg"], strict=True)
        ]


def _write(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _labelled(tmp: Path) -> str:
    rows = []
    for k in range(16):
        quote = f"burn their homes number {k}"
        rows.append(
            {
                "doc_id": f"n{k}",
                "text": f'Police said the leader told followers "{quote}" at a meeting.',
                "labels": ["news_reporting"],
                "spans": [{"text": quote, "label": "quoted_propaganda"}],
                "split": SPLITS[k % 4],
            }
        )
        rows.append(
            {
                "doc_id": f"t{k}",
                "text": f"I will shoot you and your family tonight {k}",
                "labels": ["violent_threat"],
                "split": SPLITS[k % 4],
            }
        )
        rows.append(
            {
                "doc_id": f"p{k}",
                "text": f"Lovely weather for the garden fair today {k}",
                "labels": ["none"],
                "split": SPLITS[k % 4],
            }
        )
    return _write(tmp / "labelled.jsonl", rows)


def _speeches(tmp: Path) -> str:
    rows = []
    for k in range(12):
        speech = f"Hold your ground and make them pay, brothers {k}."
        rows.append(
            {
                "doc_id": f"s{k}",
                "text": f"The commander told the rally:\n\n{speech}",
                "labels": ["news_reporting"],
                "spans": [{"text": speech, "label": "quoted_propaganda"}],
                "split": SPLITS[k % 4],
            }
        )
    return _write(tmp / "speeches.jsonl", rows)


def _fit(data: list[DataEntry]):
    tax = load_taxonomy(ROOT / "labels.yaml")
    cfg = TrainConfig(data=data, taxonomy_examples_weight=0.0)
    rows, described = load_rows(cfg, tax)
    split = split_rows(rows)
    return fit_frozen(split["train"], split["validation"], cfg, tax, _Feats()), rows, described


def test_a_spans_only_source_changes_the_span_model_and_not_the_label_heads(tmp_path):
    base = [DataEntry(path=_labelled(tmp_path))]
    more = [*base, DataEntry(path=_speeches(tmp_path), spans_only=True)]
    without, _, _ = _fit(base)
    with_, rows, described = _fit(more)
    np.testing.assert_array_equal(with_.head.coef, without.head.coef)
    np.testing.assert_array_equal(with_.head.intercept, without.head.intercept)
    assert with_.thresholds == without.thresholds
    assert with_.calibration == without.calibration
    assert with_.fit_info["train_rows"] == without.fit_info["train_rows"]
    # the span model did learn from the speeches
    assert with_.span_info["n_train_segments"] > without.span_info["n_train_segments"]
    assert not np.array_equal(with_.span_head.coef, without.span_head.coef)
    # the rows supervise no label; the model card's data says what the source is for
    sp = rows[rows.source == "speeches"]
    assert sp["spans_only"].all() and all((lab == -1).all() for lab in sp["labels"])
    assert described[1]["spans_only"] is True and "spans_only" not in described[0]


def test_without_the_option_the_same_source_trains_the_label_heads(tmp_path):
    base = [DataEntry(path=_labelled(tmp_path))]
    plain = [*base, DataEntry(path=_speeches(tmp_path))]
    without, _, _ = _fit(base)
    with_, _, _ = _fit(plain)
    assert not np.array_equal(with_.head.coef, without.head.coef)


def test_a_spans_only_source_without_spans_is_refused(tmp_path):
    rows = [{"doc_id": "a", "text": "Council meets on Tuesday.", "labels": ["none"]}]
    data = [
        DataEntry(path=_labelled(tmp_path)),
        DataEntry(path=_write(tmp_path / "plain.jsonl", rows), spans_only=True),
    ]
    with pytest.raises(TrainingError, match=r"spans_only: true.*no row marks an evidence span"):
        _fit(data)


def test_spans_only_must_be_a_boolean(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data:\n  - path: x.jsonl\n    spans_only: sometimes\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="spans_only"):
        load_train_config(cfg)
