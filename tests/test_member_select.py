"""Nested leave-one-source-out member choice (annotate.training.member_select), on small
synthetic features (fast)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from annotate.training import member_select as ms
from annotate.training.frozen import fit_linear


def test_combinations_are_every_small_set_smaller_first():
    combos = ms.combinations(8, 3)
    assert len(combos) == 8 + 28 + 56
    assert combos[:2] == [(0,), (1,)] and combos[8] == (0, 1) and len(combos[-1]) == 3
    assert ms.combinations(2, 5) == [(0,), (1,), (0, 1)]


def _cell(src: str, label: int, auprc: list[float]) -> ms.InnerCell:
    return ms.InnerCell(src, label, 10, np.array(auprc))


def test_choose_per_label_then_over_all_cells_then_the_fallback():
    combos = ms.combinations(2, 2)  # (0,), (1,), (0, 1)
    cells = [
        _cell("a", 0, [0.50, 0.40, 0.60]),  # label 0: the average wins
        _cell("b", 1, [0.010, 0.030, 0.012]),  # label 1: candidate 1 (3x the reference)
        _cell("c", 1, [0.90, 0.88, 0.91]),
    ]
    sel = ms.choose(cells, 3, combos, fallback=(0,))
    assert sel.combos[:2] == [(0, 1), (1,)] and sel.scope == ["label", "label", "global"]
    # relative AUPRC: label 1's 3x gain on a cell near chance outweighs -2% near 1, and
    # decides the choice over all cells too
    assert sel.combos[2] == (1,)
    glob = ms.choose(cells, 3, combos, fallback=(0,), per_label=False)
    assert glob.combos == [(1,)] * 3 and set(glob.scope) == {"global"}
    own = ms.choose(cells, 3, combos, fallback=(0, 1), global_fallback=False)
    assert own.combos == [(0, 1), (1,), (0, 1)] and own.scope == ["label", "label", "fixed"]
    none = ms.choose([], 3, combos, fallback=(0, 1))
    assert none.combos == [(0, 1)] * 3 and set(none.scope) == {"fixed"}


def test_inner_folds_hold_each_source_out_and_score_only_its_labels():
    rng = np.random.default_rng(0)
    n = 600
    x = rng.normal(size=(n, 6)).astype(np.float32)
    src = np.array(["a", "b", "c"] * (n // 3))
    y = np.stack([x[:, 0] > 0, x[:, 1] > 0.5], 1).astype(np.int8)
    y[src == "c", 1] = -1  # source c does not supervise label 1
    y[src == "b", 0] = 0  # source b has no positive of label 0
    seen = []

    def fit(k, xx, yy, ww, ss):
        seen.append((k, set(ss), [j for j in range(2) if (yy[:, j] >= 0).any()]))
        return fit_linear(xx, yy, ww, [1.0, 0.01][k], 13)

    combos = ms.combinations(2, 2)
    cells = ms.inner_cells(x, y, np.ones(n), src, ["a", "b", "c"], fit, 2, combos)
    assert [(c.source, c.label) for c in cells] == [("a", 0), ("a", 1), ("b", 1), ("c", 0)]
    # the held-out source is never fitted on; only the labels it scores are fitted
    assert seen[0] == (0, {"b", "c"}, [0, 1]) and seen[2] == (0, {"a", "c"}, [1])
    assert seen[4] == (0, {"a", "b"}, [0])
    assert all(len(c.auprc) == 3 and c.auprc.max() > 0.9 for c in cells)


def test_nested_loso_head_is_the_chosen_candidates_fitted_on_all_rows():
    from annotate.taxonomy import load_taxonomy
    from annotate.training.config import FrozenMember, TrainConfig
    from annotate.training.frozen import fit_frozen

    tax = load_taxonomy(Path(__file__).resolve().parents[1] / "labels.yaml")
    names = tax.category_names
    rng = np.random.default_rng(1)
    n = 450
    x = rng.normal(size=(n, 5)).astype(np.float32)
    labels = np.full((n, len(names)), -1, np.int8)
    t, none = names.index("violent_threat"), names.index("none")
    labels[:, t] = x[:, 0] + 0.3 * rng.normal(size=n) > 0.8
    labels[:, none] = 1 - labels[:, t]
    rows = pd.DataFrame(
        {
            "text": [f"row {i}" for i in range(n)],
            "source": np.array(["p", "q", "r"] * (n // 3)),
            "public": True,
            "labels": list(labels),
            "weight": 1.0,
        }
    )

    class Feats:
        def matrix(self, r):
            return x[[int(s.split()[1]) for s in r["text"]]]

    cands = [FrozenMember(c=1.0), FrozenMember(c=0.001), FrozenMember(c=1.0, balance_sources=True)]
    cfg = TrainConfig()
    cfg = cfg.model_copy(
        update={
            "frozen": cfg.frozen.model_copy(
                update={
                    "select": "nested-loso",
                    "candidates": cands,
                    "max_members": 2,
                    "spans": False,
                }
            )
        }
    )
    model = fit_frozen(rows, rows.iloc[:0], cfg, tax, Feats())
    sel = model.fit_info["selection"]
    assert sel["chosen"]["violent_threat"]["scope"] == "label"
    assert sel["chosen"]["incitement"]["scope"] == "global"  # no inner cell has it
    assert {c["source"] for c in sel["inner"]} == {"p", "q", "r"}
    chosen = sel["chosen"]["violent_threat"]["members"]
    y = labels.copy()
    srcs = rows["source"].to_numpy()
    heads = [
        fit_linear(x, y, np.ones(n), m["c"], 13, srcs if m["balance_sources"] else None)
        for m in chosen
    ]
    want = np.mean([h.logits(x)[:, t] for h in heads], 0)
    np.testing.assert_allclose(model.head.logits(x)[:, t], want, rtol=1e-4, atol=1e-4)
    # select_fallback: members -> a label no inner fold scores keeps the config's members
    fz = cfg.frozen.model_copy(update={"select_fallback": "members"})
    own = fit_frozen(rows, rows.iloc[:0], cfg.model_copy(update={"frozen": fz}), tax, Feats())
    ch = own.fit_info["selection"]["chosen"]
    assert ch["incitement"] == {
        "members": [m.model_dump() for m in cfg.frozen.members],
        "scope": "fixed",
    }
    assert ch["violent_threat"] == sel["chosen"]["violent_threat"]
