"""A retrain on a small reviewed export (78 passages, 10 validation candidate segments)
fitted every evidence-span threshold on 0-4 validation positives: call_to_violence's
max-F1 pick on 3 positives, glorification's on 4, threat's "default 0.5" on none, with
nothing in the model's record, card or console to tell them from the default model's
thresholds fitted on hundreds. A span threshold (and its Platt) is now fitted only with
`operating_point.min_validation_positives` / `min_validation_negatives` (5 each, as the
category thresholds); below them it is the fallback 0.5, recorded with its source and
counts (`metrics.spans.validation`), named in the card's span table and generated
limitations, and in a `train` warning. The default model's card renders as before."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.cli.train import span_threshold_warning
from annotate.evaluation.metrics import threshold_table
from annotate.evaluation.model_card import span_table
from annotate.training.card_limits import generated_limitation_lines
from annotate.training.config import OperatingPoint
from annotate.training.operating_point import fit_span_operating_points

SPANS = ["threat", "glorification"]


def _segments(n_pos: int, n_neg: int, seed: int = 0):
    """Logits, 0/1 targets and masks (n, 2): ``threat`` with ``n_pos`` positives among
    ``n_pos + n_neg`` segments (positives high, negatives low), ``glorification`` with
    20 positives and 20 negatives on the same kind of scores (always fitted)."""
    rng = np.random.default_rng(seed)
    n = max(n_pos + n_neg, 40)
    lg = np.zeros((n, 2))
    y = np.zeros((n, 2), np.int8)
    m = np.zeros((n, 2), np.int8)
    lg[:n_pos, 0] = rng.uniform(1.0, 3.0, n_pos)
    lg[n_pos : n_pos + n_neg, 0] = rng.uniform(-3.0, -1.0, n_neg)
    y[:n_pos, 0] = 1
    m[: n_pos + n_neg, 0] = 1
    lg[:20, 1] = rng.uniform(1.0, 3.0, 20)
    lg[20:40, 1] = rng.uniform(-3.0, -1.0, 20)
    y[:20, 1] = 1
    m[:40, 1] = 1
    return lg, y, m


@pytest.mark.parametrize(
    ("n_pos", "n_neg", "source"),
    [
        (0, 10, "fallback"),
        (3, 7, "fallback"),
        (4, 40, "fallback"),
        (20, 4, "fallback"),
        (5, 5, "validation"),
        (12, 30, "validation"),
    ],
)
def test_a_span_threshold_is_fitted_only_with_enough_validation_segments(n_pos, n_neg, source):
    lg, y, m = _segments(n_pos, n_neg)
    # the arg-max rule: on these separable segments F1*/2 (the default) is 0.5 too
    op = OperatingPoint(threshold_bootstrap=0, span_half_max_f1=False)
    cal, thr, per = fit_span_operating_points(lg, y, m, SPANS, op)
    got = per["threat"]
    assert got["source"] == source
    assert (got["validation_positives"], got["validation_negatives"]) == (n_pos, n_neg)
    assert got["support"] == n_pos and got["threshold"] == thr["threat"]
    if source == "fallback":
        assert thr["threat"] == 0.5
        assert (cal["threat"].a, cal["threat"].b) == (1.0, 0.0)  # not calibrated
        assert got["rule"].startswith(f"fallback 0.5: {n_pos} validation positive")
        assert "(fitting needs 5 and 5; not calibrated)" in got["rule"]
    else:
        assert "fallback" not in got["rule"] and thr["threat"] != 0.5
    # the other span label is fitted whatever threat's counts
    assert per["glorification"]["source"] == "validation"
    # the operating point's minimums and fallback are taken as written (None: defaults)
    low = OperatingPoint(
        threshold_bootstrap=0, min_validation_positives=1, min_validation_negatives=1
    )
    if n_pos:
        assert fit_span_operating_points(lg, y, m, SPANS, low)[2]["threat"]["source"] == (
            "validation"
        )
    high = OperatingPoint(
        threshold_bootstrap=0, min_validation_positives=50, fallback_threshold=0.7
    )
    assert fit_span_operating_points(lg, y, m, SPANS, high)[1]["threat"] == 0.7
    assert fit_span_operating_points(lg, y, m, SPANS)[2]["threat"]["source"] == source


def test_span_figures_without_positives_or_predictions_are_undefined_not_zero():
    p = np.array([0.1, 0.2, 0.3])
    assert threshold_table(p, np.zeros(3), 0.5) == {
        "threshold": 0.5,
        "precision": None,
        "recall": None,
        "f1": None,
    }
    # predicted on none, one gold positive: recall 0 is measured, precision is not
    got = threshold_table(p, np.array([0, 0, 1]), 0.5)
    assert (got["precision"], got["recall"], got["f1"]) == (None, 0.0, 0.0)
    table = span_table({"threat": {**got, "support": 1, "source": "fallback"}})
    assert table[2].startswith("| threat | 1 | 0.5 | fallback |  |  | – | 0.000 | 0.000 |")


def _small_config() -> dict:
    """annotate_model.json of a model trained on a small export: 4 test passages, only
    `none` among them; two span thresholds fell back."""
    per_label = {
        n: {"support": 4 if n == "none" else 0, "n": 4}
        for n in ("violent_threat", "news_reporting", "none")
    }
    spans = {
        "threat": {"source": "fallback", "validation_positives": 0, "validation_negatives": 10},
        "glorification": {
            "source": "fallback",
            "validation_positives": 4,
            "validation_negatives": 6,
        },
        "call_to_violence": {
            "source": "validation",
            "validation_positives": 9,
            "validation_negatives": 30,
        },
    }
    return {
        "labels": list(per_label),
        "training": {"operating_point": {}},
        "metrics": {
            "card_limits": 1,
            "test": {"n": 4, "per_label": per_label},
            "spans": {"trained": True, "validation": spans},
        },
    }


def test_the_card_names_a_small_test_split_missing_labels_and_span_fallbacks():
    lines = generated_limitation_lines(_small_config())
    assert lines == [
        "- The test split has 4 passages (fewer than 100): one passage moves a label's "
        "recall by several points or more, so the held-out figures above are rough; review "
        "and export more documents, or evaluate on other labeled data.",
        "- The test split has no example of `violent_threat`, `news_reporting`: their recall "
        "and F1 are undefined (–) and the macro F1 leaves them out, so nothing above "
        "measures them.",
        "- Evidence-span thresholds not fitted on validation (fitting needs at least 5 "
        "validation positives and 5 negatives among the validation segments): `threat` (0 "
        "validation positives, 10 negatives), `glorification` (4 validation positives, 6 "
        "negatives); their thresholds are the fixed fallback 0.5 on uncalibrated scores, so "
        "those spans are rough suggestions.",
    ]
    no_test = {**_small_config(), "metrics": {"card_limits": 1, "test": None}}
    assert generated_limitation_lines(no_test)[0].startswith("- No test split: ")
    # a model trained before them: its card (which `verify --strict` renders again) has none
    older = _small_config()
    del older["metrics"]["card_limits"]
    assert generated_limitation_lines(older) == []


def test_train_warns_which_span_thresholds_were_not_fitted():
    note = span_threshold_warning(_small_config())
    assert note.startswith(
        "span thresholds not fitted: threat (0 validation positives, 10 negatives), "
        "glorification (4 validation positives, 6 negatives) among the validation segments; "
        "fitting needs at least 5 validation positives and 5 negatives, so their thresholds "
        "are the fallback 0.5"
    ), note
    config = _small_config()
    config["metrics"]["spans"]["validation"]["threat"]["source"] = "validation"
    config["metrics"]["spans"]["validation"]["glorification"]["source"] = "validation"
    assert span_threshold_warning(config) == ""


@pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="models/default not built"
)
def test_the_default_model_gets_only_its_copy_line_and_its_card_renders_byte_for_byte(tmp_path):
    """The shipped model's generated limitations: its test rows that copy training rows
    (the card says so), no span fallback, no small test split, no missing label."""
    from annotate.training.card import write_card
    from annotate.training.card_limits import copy_lines

    config = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text(encoding="utf-8"))
    lines = generated_limitation_lines(config)
    assert lines == copy_lines(config) and len(lines) == 1, lines
    assert lines[0] in (DEFAULT_MODEL_DIR / "model_card.md").read_text(encoding="utf-8")
    assert span_threshold_warning(config) == ""
    copy = Path(shutil.copytree(DEFAULT_MODEL_DIR, tmp_path / "default"))
    card = (copy / "model_card.md").read_bytes()
    version = re.search(r"- version: `([^`]+)`", card.decode()).group(1)
    (copy / "model_card.md").unlink()
    write_card(copy, version)
    assert (copy / "model_card.md").read_bytes() == card


def test_the_encoder_head_trainer_falls_back_the_same_way():
    """`trainer: encoder-head` chooses its span thresholds in its own loop: the same
    minimums, source and counts (a tiny MLP on random features, a few epochs)."""
    from types import SimpleNamespace

    from annotate.classifier.features import STYLE_NAMES
    from annotate.training.config import TrainConfig
    from annotate.training.train import _train_span_head
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    dim, k = 4, 3  # embedding size, candidate segments per passage
    names = tax.span_names
    rng = np.random.default_rng(0)
    examples, seg_info, seg_emb = [], [], []
    for i in range(24):  # 12 training passages, 12 validation passages: 36 segments
        split = "train" if i < 12 else "validation"
        y = np.zeros((k, len(names)), np.float32)
        y[0, 0] = i % 2  # the first span label: 6 validation positives, 30 negatives
        y[0, 1] = i in (0, 12)  # the second: 1 validation positive
        examples.append(SimpleNamespace(split=split, text="x" * 30, meta={}))
        seg_info.append(([(0, 10, False), (10, 20, False), (20, 30, False)], y, np.ones_like(y)))
        seg_emb.append(rng.normal(size=(k, dim)).astype(np.float32))
    feats = rng.normal(size=(24, 4 * dim + len(STYLE_NAMES))).astype(np.float32)
    cfg = TrainConfig(name="t", head={"span_hidden": 8, "span_epochs": 2})
    _, thr, info = _train_span_head(examples, seg_info, seg_emb, feats, {}, tax, cfg, dim, "cpu")
    first, second = info["validation"][names[0]], info["validation"][names[1]]
    assert (first["source"], first["validation_positives"], first["validation_negatives"]) == (
        "validation",
        6,
        30,
    )
    assert (second["source"], second["validation_positives"]) == ("fallback", 1)
    assert thr[names[1]] == 0.5 and second["rule"].startswith("fallback 0.5: 1 validation")


@pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="models/default not built"
)
def test_a_small_models_card_writes_the_generated_lines(tmp_path):
    """The default model's record made small: 4 test passages, one span threshold fell
    back; its card's span table and limitations say so."""
    from annotate.training.card import write_card

    config = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text(encoding="utf-8"))
    config["metrics"]["test"] = {**config["metrics"]["test"], "n": 4, "by_source": {}}
    config["metrics"]["card_limits"] = 1  # as trainers now record it
    threat = config["metrics"]["spans"]["validation"]["threat"]
    threat.update(source="fallback", validation_positives=3, validation_negatives=7)
    (tmp_path / "annotate_model.json").write_text(json.dumps(config), encoding="utf-8")
    write_card(tmp_path, "small@1")
    card = (tmp_path / "model_card.md").read_text(encoding="utf-8")
    limits = card.split("## Known limitations", 1)[1]
    assert "\n- The test split has 4 passages (fewer than 100)" in limits
    assert "`threat` (3 validation positives, 7 negatives)" in limits
    thr = config["span_thresholds"]["threat"]  # the shipped model's, as its card prints it
    support = threat["support"]  # its validation segments with the span (233 before stop 50)
    assert f"| threat | {support} | {thr:.4g} | fallback | 3 | 7 |" in card
    assert "probability (not for `threat`: too few validation segments" in card


def _without_span_model(config: dict) -> dict:
    """The default model's record as a retrain without gold spans writes it (passB50 Q6:
    86 rows of ``doc_id,text,labels``): no span head, no span labels, no threat span."""
    config = json.loads(json.dumps(config))
    config["metrics"]["card_limits"] = 3
    config["metrics"]["spans"] = {
        "trained": False,
        "reason": "no span-annotated rows",
        "train_rows": 0,
        "validation_rows": 0,
    }
    config.update(span_labels=[], span_calibration={}, span_thresholds={})
    config["threat_grammar_span"] = None
    config["training"]["limitations"] = []  # the default config's name its span thresholds
    return config


@pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="models/default not built"
)
def test_a_model_without_a_span_model_is_warned_of_and_its_card_says_so(tmp_path):
    """A retrain whose data has no gold spans marks no evidence spans: `train` said
    nothing, and the card said "the sentence is a `None` span" (passB50 Q6)."""
    from annotate.cli.train import span_model_warning
    from annotate.training.card import write_card

    default = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text(encoding="utf-8"))
    assert span_model_warning(default) == ""
    config = _without_span_model(default)
    note = span_model_warning(config)
    assert note.startswith(
        "no evidence-span model: no span-annotated rows (0 training passages with gold "
        "spans, 0 validation passages with gold spans); the span model needs passages with "
        "gold evidence spans in both the training and the validation split, so prelabel "
        "with this model marks no evidence spans"
    ), note
    (tmp_path / "annotate_model.json").write_text(json.dumps(config), encoding="utf-8")
    write_card(tmp_path, "team@1")
    card = (tmp_path / "model_card.md").read_text(encoding="utf-8")
    assert "`None`" not in card
    assert "no span is marked on the sentence (the model has no evidence-span model" in card
    limits = card.split("## Known limitations", 1)[1]
    assert "\n- No evidence-span model: no span-annotated rows (0 training passages" in limits
    # a card written before the line (card_limits 2) renders as it was written
    config["metrics"]["card_limits"] = 2
    assert not [x for x in generated_limitation_lines(config) if "evidence-span model" in x]


def test_no_span_model_says_which_split_lacks_gold_spans() -> None:
    """ "no span-annotated rows (5 training passages with gold spans, 0 validation passages
    with gold spans)": the 5 were labels.yaml's span examples (passF52 F13). A record of
    card_limits 4 names the split without them and where the training rows came from."""
    from annotate.training.card_limits import no_span_model

    config = {
        "metrics": {
            "card_limits": 4,
            "spans": {"trained": False, "train_rows": 5, "validation_rows": 0},
        },
        "training": {
            "data": [
                {"path": "corpus", "kind": "export"},
                {"kind": "span examples", "passages_with_spans": 0, "gold_spans": 0},
            ]
        },
    }
    assert no_span_model(config) == (
        "no validation passage with gold spans (training: 5 rows with spans, all from "
        "labels.yaml's examples; the data has none)"
    )
    config["training"]["data"][1]["passages_with_spans"] = 2
    assert no_span_model(config).endswith(
        "(training: 5 rows with spans, 2 from the data, the rest from labels.yaml's examples)"
    )
    config["metrics"]["spans"].update(train_rows=0)
    assert no_span_model(config) == (
        "no passage with gold spans in the training or the validation split"
    )
    config["metrics"]["card_limits"] = 3  # written before: rendered as it was
    assert no_span_model(config).startswith("no span-annotated rows (0 training passages")
