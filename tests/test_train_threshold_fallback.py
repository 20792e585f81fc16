"""A retrain on a small reviewed export (207 passages, one `extremist_propaganda` passage
in validation) chose that label's threshold, 0.1047, from the one validation positive on
uncalibrated scores, and labelled 17 of 18 test passages propaganda; the only warning
was "not calibrated". A label's threshold (and calibration) is now fitted on validation
only with `operating_point.min_validation_positives` / `min_validation_negatives` (5
each); below them it is the stated fallback, with a warning naming the label, its
validation counts and the threshold, the same in `annotate_model.json` and the card."""

from __future__ import annotations

import json

import numpy as np
import pytest

from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.card_limits import CARD_LIMITS_VERSION
from annotate.training.config import OperatingPoint
from annotate.training.operating_point import fit_category_operating_points
from tests.test_train_loop import COUNTER, NEWS, NONE, PLACES, _cli

PROPAGANDA = [
    "Join the soldiers of the caliphate in {n}: their martyrs live forever and the faithful "
    "must follow them into battle.",
    "The lions of the state in {n} will raise the black banner over every city; rise and join.",
    "Our glorious fighters near {n} have shown the path; the true believers take up arms.",
]


def _tax():
    return load_taxonomy(PROJECT_ROOT / "labels.yaml")


def _columns(tax, name, p, y):
    """Logits and targets (n, n_labels) with only ``name`` supervised."""
    names = tax.category_names
    j = names.index(name)
    lg = np.zeros((len(p), len(names)))
    lg[:, j] = np.log(p / (1 - p))
    yy = np.full((len(p), len(names)), -1, np.int8)
    yy[:, j] = y
    return lg, yy


@pytest.mark.parametrize(
    ("n_pos", "n_neg", "source"),
    [(1, 40, "fallback"), (4, 40, "fallback"), (5, 40, "validation"), (20, 3, "fallback")],
)
def test_a_label_is_fitted_on_validation_only_with_enough_positives_and_negatives(
    n_pos, n_neg, source
):
    tax = _tax()
    rng = np.random.default_rng(0)
    # positives high, negatives low, one low positive: a pick on it would be low too
    p = np.r_[0.11, rng.uniform(0.6, 0.95, n_pos - 1), rng.uniform(0.02, 0.4, n_neg)]
    y = np.r_[np.ones(n_pos), np.zeros(n_neg)].astype(np.int8)
    lg, yy = _columns(tax, "extremist_propaganda", p, y)
    cal, thr, rules, sources = fit_category_operating_points(
        lg, yy, tax.category_names, tax, OperatingPoint(threshold_bootstrap=0)
    )
    got = sources["extremist_propaganda"]
    assert got["source"] == source
    assert (got["validation_positives"], got["validation_negatives"]) == (n_pos, n_neg)
    assert got["threshold"] == thr["extremist_propaganda"]
    if source == "fallback":
        assert thr["extremist_propaganda"] == 0.5
        assert (cal["extremist_propaganda"].a, cal["extremist_propaganda"].b) == (1.0, 0.0)
        assert rules["extremist_propaganda"] == (
            f"fallback 0.5: {n_pos} validation positive{'s' * (n_pos != 1)}, {n_neg} "
            "negatives (fitting needs 5 and 5; not calibrated)"
        )
    else:
        assert (
            thr["extremist_propaganda"] != 0.5 and "fallback" not in rules["extremist_propaganda"]
        )
    # a stated fallback and lower minimums are taken as written
    op = OperatingPoint(
        threshold_bootstrap=0, min_validation_positives=1, min_validation_negatives=1
    )
    low = fit_category_operating_points(lg, yy, tax.category_names, tax, op)[3]
    assert low["extremist_propaganda"]["source"] == "validation"
    op = OperatingPoint(threshold_bootstrap=0, min_validation_positives=50, fallback_threshold=0.7)
    _, thr70, rules70, _ = fit_category_operating_points(lg, yy, tax.category_names, tax, op)
    assert thr70["extremist_propaganda"] == 0.7
    assert rules70["extremist_propaganda"].startswith("fallback 0.7: ")


def _rows():
    """News, counter-speech and none: 12 documents of 2 passages each (6 / 3 / 3 documents
    in train / validation / test: 6 validation positives each); propaganda: 4 one-passage
    documents, 2 in train, 1 in validation, 1 in test (one validation positive)."""
    rows = []
    for label, templates in (("news_reporting", NEWS), ("counter_speech", COUNTER), ("none", NONE)):
        for d, place in enumerate(PLACES):
            for i, t in enumerate(templates[:2] if d % 2 else templates[2:]):
                rows.append(
                    {
                        "doc_id": f"{label}-{d}",
                        "title": f"{place} weekly",
                        "passage_index": i,
                        "text": t.format(n=place),
                        "labels": [label],
                        "spans": [],
                        "split": "train" if d < 6 else "validation" if d < 9 else "test",
                    }
                )
    for d, split in enumerate(("train", "train", "validation", "test")):
        rows.append(
            {
                "doc_id": f"prop-{d}",
                "title": "Channel post",
                "passage_index": 0,
                "text": PROPAGANDA[d % 3].format(n=PLACES[d]),
                "labels": ["extremist_propaganda"],
                "spans": [],
                "split": split,
            }
        )
    return rows


@pytest.mark.slow  # a real encoder, small data (about 20 s)
def test_a_one_positive_label_falls_back_and_training_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "small.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in _rows()) + "\n")
    cfg = tmp_path / "small.train.yaml"
    cfg.write_text("name: small\ntrainer: frozen\n")
    model = tmp_path / "model"
    _cli(["train", "--config", str(cfg), "--data", str(data), "--out", str(model), "--quiet"])
    err = capsys.readouterr().err

    conf = json.loads((model / "annotate_model.json").read_text())
    src = conf["metrics"]["threshold_sources"]
    prop = src["extremist_propaganda"]
    assert prop["source"] == "fallback" and prop["validation_positives"] == 1
    assert prop["threshold"] == conf["thresholds"]["extremist_propaganda"] == 0.5
    assert conf["calibration"]["extremist_propaganda"] == {"a": 1.0, "b": 0.0}
    # labels with 6 validation positives are fitted there, as before
    for name in ("news_reporting", "counter_speech"):
        assert src[name]["source"] == "validation" and src[name]["validation_positives"] == 6
        assert "fallback" not in conf["metrics"]["threshold_rules"][name]
    # the labels no passage has: fallback with 0 positives
    assert src["violent_threat"]["source"] == "fallback"
    assert src["violent_threat"]["validation_positives"] == 0

    # the warning names the label, its validation counts and the threshold used
    n_neg = prop["validation_negatives"]
    assert (
        f"extremist_propaganda (1 validation positive, {n_neg} negatives)" in err
        and "the fallback 0.5 on uncalibrated scores, not fitted on validation (fitting needs "
        "at least 5 validation positives and 5 negatives; the model card says so)"
        in err
    ), err
    card = (model / "model_card.md").read_text()
    assert (
        f"| extremist_propaganda | 0.5 | fallback | 1 | {n_neg} | fallback 0.5: 1 validation "
        f"positive, {n_neg} negatives (fitting needs 5 and 5; not calibrated) |"
    ) in card
    assert "| news_reporting | " in card and "| validation | 6 |" in card
    assert (
        "**Threshold fallback** (a label's threshold and calibration are fitted on validation "
        "only with at least 5 validation positives and 5 negatives): "
    ) in card
    assert f"`extremist_propaganda` (1 validation positive, {n_neg} negatives)" in card
    # the card's generated limitations (annotate/training/card_limits.py): a small test
    # split, and the labels it has no example of
    assert conf["metrics"]["card_limits"] == CARD_LIMITS_VERSION
    limits = card.split("## Known limitations", 1)[1]
    n_test = conf["metrics"]["test"]["n"]
    assert f"\n- The test split has {n_test} passages (fewer than 100)" in limits
    assert "- The test split has no example of `violent_threat`, `incitement`" in limits

    # the minimum is a setting: at 1 the same data fits the threshold on the one positive
    cfg.write_text("name: small\ntrainer: frozen\noperating_point: {min_validation_positives: 1}\n")
    model1 = tmp_path / "model1"
    _cli(["train", "--config", str(cfg), "--data", str(data), "--out", str(model1), "--quiet"])
    conf1 = json.loads((model1 / "annotate_model.json").read_text())
    assert conf1["metrics"]["threshold_sources"]["extremist_propaganda"]["source"] == "validation"
    assert conf1["thresholds"]["extremist_propaganda"] != 0.5
    assert "extremist_propaganda (1 validation positive" not in capsys.readouterr().err
