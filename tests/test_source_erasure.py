"""`frozen.erase_source`: LEACE erasure of the data source, folded into the linear layer."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

pytest.importorskip("concept_erasure")

from annotate.taxonomy import load_taxonomy
from annotate.training import source_erasure
from annotate.training.config import DataEntry, FrozenSettings, TrainConfig
from annotate.training.frozen import fit_frozen, fit_linear
from annotate.training.row_training import split_rows
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parents[1]


def _synthetic(n: int = 600, dim: int = 24, seed: int = 0):
    """Features where the source shifts the mean along two directions and the label along
    a third; 3 groups, 2 labels (one supervised by two groups only)."""
    rng = np.random.default_rng(seed)
    groups = rng.choice(["a", "b", "project"], n)
    y = (rng.random((n, 2)) < 0.4).astype(np.int8)
    y[groups == "a", 1] = -1
    x = rng.normal(size=(n, dim))
    x[:, 0] += np.select([groups == "a", groups == "b"], [2.0, -1.5], 0.0)
    x[:, 1] += 1.5 * (groups == "b")
    x[:, 2] += 2.0 * (y[:, 0] == 1)
    rows = pd.DataFrame(
        {"source": groups, "public": groups != "project", "labels": list(y.astype(int))}
    )
    return x.astype(np.float32), y, rows


@pytest.mark.parametrize("mode", ["plain", "residual"])
def test_the_folded_layer_gives_the_logits_of_erasing_then_the_heads(mode):
    x, y, rows = _synthetic()
    xe, eraser = source_erasure.erase_for_training(x, rows, y, mode)
    head = fit_linear(xe, y, np.ones(len(x)), 1.0, 0)
    folded = source_erasure.fold_eraser(head, eraser)
    fresh = np.random.default_rng(1).normal(size=(50, x.shape[1])).astype(np.float32) * 2
    want = head.logits(eraser(fresh.astype(np.float64)))
    np.testing.assert_allclose(folded.logits(fresh), want, rtol=1e-4, atol=1e-4)
    assert not np.allclose(folded.coef, head.coef)  # the eraser did something


def test_plain_erasure_leaves_every_group_at_the_same_mean():
    x, y, rows = _synthetic()
    xe, eraser = source_erasure.erase_for_training(x, rows, y, "plain")
    groups = source_erasure.source_groups(rows)
    means = np.stack([xe[groups == g].mean(0) for g in ("a", "b", "project")])
    assert np.abs(means - means.mean(0)).max() < 1e-3  # before: ~2 apart on feature 0
    assert eraser.rank == 2  # 3 groups: 2 directions


def test_residual_erasure_keeps_the_label_direction_plain_erasure_removes():
    # a source that is all one label: plain erasure removes the label's direction with it
    x, y, rows = _synthetic()
    y[rows["source"] == "b", 0] = 1
    x[:, 2] = np.random.default_rng(2).normal(size=len(x)) + 2.0 * (y[:, 0] == 1)
    groups = source_erasure.source_groups(rows)
    gap = {}
    for mode in ("plain", "residual"):
        xe, _ = source_erasure.erase_for_training(x, rows, y, mode)
        other = groups != "b"
        gap[mode] = xe[other & (y[:, 0] == 1), 2].mean() - xe[other & (y[:, 0] == 0), 2].mean()
    assert gap["residual"] > gap["plain"] + 0.2


def test_project_rows_are_one_group_whatever_their_file():
    rows = pd.DataFrame(
        {"source": ["gab", "harmful", "context", "gab"], "public": [True, False, False, True]}
    )
    assert source_erasure.source_groups(rows).tolist() == ["gab", "project", "project", "gab"]


def test_an_unknown_mode_is_refused_by_the_config():
    with pytest.raises(ValidationError, match="erase_source"):
        FrozenSettings(erase_source="all")
    assert FrozenSettings().erase_source == "none"


def _vec(text: str) -> np.ndarray:
    v = np.zeros(32, np.float32)
    for w in text.lower().split():
        v[int(hashlib.md5(w.strip('.,"').encode()).hexdigest(), 16) % 32] += 1
    return v / max(float(np.linalg.norm(v)), 1e-9)


class _Feats:
    """RowFeatures' matrix over hashed words, shifted by 5 for rows in ``shift_ids``."""

    def __init__(self, shift_ids: set[str] | None = None) -> None:
        self.shift_ids = shift_ids or set()

    def matrix(self, rows):
        if not len(rows):
            return np.zeros((0, 32), np.float32)
        m = np.stack([_vec(t) for t in rows["text"]])
        shift = rows["id"].isin(self.shift_ids).to_numpy()
        m[shift] += 5.0
        return m


def _rows(tmp: Path):
    splits = ["train", "train", "validation", "test"]
    lines = {"forum": [], "wire": []}
    for k in range(24):
        lines["forum"].append(
            {"doc_id": f"f{k}", "split": splits[k % 4], "labels": ["violent_threat"]}
            | {"text": f"lol i will shoot you tonight mate {k}"}
        )
        lines["forum"].append(
            {"doc_id": f"g{k}", "split": splits[k % 4], "labels": ["none"]}
            | {"text": f"lol nice garden fair today mate {k}"}
        )
        lines["wire"].append(
            {"doc_id": f"w{k}", "split": splits[k % 4], "labels": ["news_reporting"]}
            | {"text": f"Police said on Monday the suspect was charged {k}"}
        )
    data = []
    for name, rs in lines.items():
        p = tmp / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rs), encoding="utf-8")
        data.append(DataEntry(path=str(p)))
    tax = load_taxonomy(ROOT / "labels.yaml")
    cfg = TrainConfig(data=data, taxonomy_examples_weight=0.0, span_examples_weight=0.0)
    cfg = cfg.model_copy(
        update={"frozen": cfg.frozen.model_copy(update={"erase_source": "plain", "spans": False})}
    )
    rows, _ = load_rows(cfg, tax)
    rows["public"] = rows["source"] == "forum"  # one public source beside the project
    return split_rows(rows), cfg, tax


def test_the_eraser_is_fitted_on_the_training_rows_only(tmp_path, monkeypatch):
    split, cfg, tax = _rows(tmp_path)
    seen = []
    real = source_erasure.fit_source_eraser

    def spy(x, z):
        seen.append(len(x))
        return real(x, z)

    monkeypatch.setattr(source_erasure, "fit_source_eraser", spy)
    plain = fit_frozen(split["train"], split["validation"], cfg, tax, _Feats())
    assert seen == [len(split["train"])]
    assert plain.fit_info["erase_source"] == {"mode": "plain", "rank": 1}
    # features of the validation rows moved far: the heads (and eraser) do not change
    moved = _Feats(set(split["validation"]["id"]))
    again = fit_frozen(split["train"], split["validation"], cfg, tax, moved)
    np.testing.assert_array_equal(again.head.coef, plain.head.coef)
    np.testing.assert_array_equal(again.head.intercept, plain.head.intercept)
    none = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"erase_source": "none"})})
    without = fit_frozen(split["train"], split["validation"], none, tax, _Feats())
    assert not np.allclose(without.head.coef, plain.head.coef)
