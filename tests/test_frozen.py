"""The frozen-encoder linear trainer's parts, on small synthetic features (fast)."""

from __future__ import annotations

import numpy as np
import pytest

from annotate.classifier.frozen_linear import LinearHead, span_features
from annotate.training.frozen import average_heads, fit_linear


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(300, 8)).astype(np.float32)
    y = np.stack([(x[:, 0] > 0), (x[:, 1] + 0.5 * x[:, 2] > 0.3)], 1).astype(np.int8)
    y[:50, 1] = -1  # rows that do not supervise label 1
    return x, y


def test_fit_linear_learns_each_label_and_skips_unsupervised_rows():
    x, y = _data()
    head = fit_linear(x, y, np.ones(len(x)), c=1.0, seed=13)
    lg = head.logits(x)
    assert (np.sign(lg[:, 0]) == np.where(y[:, 0] == 1, 1, -1)).mean() > 0.95
    assert abs(head.coef[0, 0]) > 5 * abs(head.coef[0, 3])
    # a label with one class only gets its prior as a constant
    y1 = y.copy()
    y1[:, 1] = 0
    const = fit_linear(x, y1, np.ones(len(x)), c=1.0, seed=13)
    assert np.all(const.coef[1] == 0) and const.intercept[1] < -5


def test_source_balancing_changes_the_weights_of_a_dominant_source():
    x, y = _data()
    groups = np.array(["big"] * 250 + ["small"] * 50)
    plain = fit_linear(x, y, np.ones(len(x)), 1.0, 13)
    balanced = fit_linear(x, y, np.ones(len(x)), 1.0, 13, groups=groups)
    assert not np.allclose(plain.coef, balanced.coef)


def test_averaged_head_gives_the_mean_logit():
    x, y = _data()
    a = fit_linear(x, y, np.ones(len(x)), 1.0, 13)
    b = fit_linear(x, y, np.ones(len(x)), 0.1, 13)
    avg = average_heads([a, b])
    np.testing.assert_allclose(avg.logits(x), (a.logits(x) + b.logits(x)) / 2, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError):
        average_heads([a, LinearHead(a.mean + 1, a.std, a.coef, a.intercept)])


def test_span_features_say_where_a_segment_sits():
    text = 'Police said he wrote "kill them all" online.'
    a = text.index("kill")
    segs = [(a, a + len("kill them all"), True), (0, len(text), False)]
    f = span_features(np.ones((2, 4), np.float32), segs, text, np.zeros(4, np.float32))
    assert f.shape == (2, 2 * 4 + 4)
    assert list(f[0, 8:10].round(2)) == [1.0, round(13 / len(text), 2)]
    assert f[1, 10] == 1.0 and f[0, 11] == 1.0  # whole passage; attribution verb present


def test_label_beta_variant_moves_one_threshold_and_leaves_the_model_alone():
    """operating_point.label_beta: a precision-weighted F-beta for one label; a rule
    variant re-chooses thresholds on a copy, sharing the head."""
    from pathlib import Path
    from types import SimpleNamespace

    import pandas as pd

    from annotate.classifier.frozen_linear import LinearHead
    from annotate.taxonomy import load_taxonomy
    from annotate.training.config import TrainConfig
    from annotate.training.frozen import FrozenLinear, calibrate

    tax = load_taxonomy(Path(__file__).resolve().parents[1] / "labels.yaml")
    names = tax.category_names
    j = names.index("extremist_propaganda")
    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.2).astype(np.int8)
    x = (y * 1.0 + rng.normal(0, 0.8, 400)).astype(np.float32)[:, None]
    labels = [np.where(np.arange(len(names)) == j, v, 0).astype(np.int8) for v in y]
    rows = pd.DataFrame({"x": list(x), "labels": labels, "public": True, "source": "s"})
    coef = np.zeros((len(names), 1), np.float32)
    coef[j] = 1.0
    head = LinearHead(np.zeros(1), np.ones(1), coef, np.zeros(len(names), np.float32))
    feats = SimpleNamespace(matrix=lambda r: np.stack(r["x"].to_list()))
    cfg = TrainConfig(
        operating_point={
            "harmful_min_recall": 0.9,
            "harmful_min_precision": 0.5,
            "half_max_f1": True,
            "balance_sources": False,
            "target_domain_thresholds": False,
            "label_beta": {},  # F1*/2 for propaganda too: the variant below changes it
        }
    )
    model = FrozenLinear(tax, cfg, feats, head)
    calibrate(model, rows)
    before = dict(model.thresholds)
    strict = model.variant({"operating_point": {"label_beta": {"extremist_propaganda": 0.5}}}, rows)
    assert strict.rules["extremist_propaganda"].startswith("max F0.5")
    assert strict.thresholds["extremist_propaganda"] > before["extremist_propaganda"]
    assert model.thresholds == before and strict.head is model.head
    assert strict.cfg.operating_point.label_beta == {"extremist_propaganda": 0.5}
    assert model.cfg.operating_point.label_beta == {}


class _Feats:
    """RowFeatures stand-in: a row's features are its ``x`` column."""

    def matrix(self, rows):
        return np.stack(rows["x"].to_list()).astype(np.float32)


def _rows():
    """Passages of news_reporting or none, and threats that are negatives of both."""
    from pathlib import Path

    import pandas as pd

    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(Path(__file__).resolve().parents[1] / "labels.yaml")
    names = tax.category_names
    news, threat = names.index("news_reporting"), names.index("violent_threat")
    rng = np.random.default_rng(0)
    recs = []
    for i in range(200):
        pos = i % 2 == 0
        lab = np.zeros(len(names), np.int8)
        lab[news], lab[names.index("none")] = int(pos), int(not pos)
        recs.append({"source": "project", "x": rng.normal(float(pos), 1.0, 4), "labels": lab})
    for _ in range(100):
        lab = np.zeros(len(names), np.int8)
        lab[threat] = 1
        lab[[names.index(n) for n in tax.harmful if n != "violent_threat"]] = -1
        recs.append({"source": "other", "x": rng.normal(1.0, 1.0, 4), "labels": lab})
    rows = pd.DataFrame.from_records(recs)
    rows["text"] = [f"t{i}" for i in range(len(rows))]
    rows["weight"] = 1.0
    rows["public"] = False
    return tax, rows, news


def test_a_member_with_labels_counts_for_those_labels_only():
    """frozen.members[].labels: a member fits and counts for the labels it names; each
    label's logit is the mean over the members that fit it."""
    from annotate.training.config import FrozenMember, TrainConfig
    from annotate.training.frozen import fit_frozen

    tax, rows, news = _rows()
    names = tax.category_names
    empty = rows.iloc[:0]

    def head(*members):
        cfg = TrainConfig(frozen={"members": list(members), "spans": False})
        return fit_frozen(rows, empty, cfg, tax, _Feats()).head

    c1, c3 = FrozenMember(c=1.0), FrozenMember(c=3.0)
    both = head(c1, FrozenMember(c=3.0, labels=["news_reporting"]))
    one, three = head(c1), head(c3)
    np.testing.assert_allclose(both.coef[news], (one.coef[news] + three.coef[news]) / 2, atol=1e-5)
    other = [j for j in range(len(names)) if j != news]
    np.testing.assert_allclose(both.coef[other], one.coef[other], atol=1e-6)
    np.testing.assert_allclose(both.intercept[other], one.intercept[other], atol=1e-6)


def test_a_member_with_skip_labels_leaves_those_labels_to_the_others():
    """frozen.members[].skip_labels: the member fits every category but those (of its
    `labels`, or of all); a skipped label's logit is the mean over the other members."""
    from annotate.training.config import FrozenMember, TrainConfig
    from annotate.training.frozen import fit_frozen

    tax, rows, news = _rows()
    names = tax.category_names
    empty = rows.iloc[:0]

    def head(*members):
        cfg = TrainConfig(frozen={"members": list(members), "spans": False})
        return fit_frozen(rows, empty, cfg, tax, _Feats()).head

    c1, c3 = FrozenMember(c=1.0), FrozenMember(c=3.0)
    both = head(c1, FrozenMember(c=3.0, skip_labels=["news_reporting"]))
    one, three = head(c1), head(c3)
    np.testing.assert_allclose(both.coef[news], one.coef[news], atol=1e-6)
    np.testing.assert_allclose(both.intercept[news], one.intercept[news], atol=1e-6)
    other = [j for j in range(len(names)) if j != news]
    np.testing.assert_allclose(
        both.coef[other], (one.coef[other] + three.coef[other]) / 2, atol=1e-5
    )
    member = FrozenMember(labels=["news_reporting", "none"], skip_labels=["none"])
    assert [n for n in names if member.fits(n)] == ["news_reporting"]


def test_member_skip_labels_must_be_categories_and_leave_every_category_fitted():
    from pathlib import Path

    from annotate.errors import TrainingError
    from annotate.taxonomy import load_taxonomy
    from annotate.training.config import TrainConfig, check_config

    tax = load_taxonomy(Path(__file__).resolve().parents[1] / "labels.yaml")
    data = [{"path": "x.jsonl"}]
    with pytest.raises(
        TrainingError,
        match=r"frozen\.members\[1\]\.skip_labels: 'newz' of the training config is not a "
        r"category.*leave `skip_labels` out",
    ):
        check_config(
            TrainConfig(data=data, frozen={"members": [{}, {"skip_labels": ["newz"]}]}), tax
        )
    with pytest.raises(TrainingError, match="no member fits news_reporting"):
        check_config(
            TrainConfig(data=data, frozen={"members": [{"skip_labels": ["news_reporting"]}]}),
            tax,
        )
    check_config(
        TrainConfig(
            data=data,
            frozen={"members": [{}, {"c": 3, "skip_labels": ["news_reporting"]}]},
        ),
        tax,
    )


def test_member_labels_must_be_categories_and_cover_every_category():
    from pathlib import Path

    from annotate.errors import TrainingError
    from annotate.taxonomy import load_taxonomy
    from annotate.training.config import TrainConfig, check_config

    tax = load_taxonomy(Path(__file__).resolve().parents[1] / "labels.yaml")
    data = [{"path": "x.jsonl"}]
    with pytest.raises(
        TrainingError,
        match=r"frozen\.members\[0\]\.labels: 'newz' of the training config is not a category",
    ):
        check_config(TrainConfig(data=data, frozen={"members": [{"labels": ["newz"]}]}), tax)
    with pytest.raises(TrainingError, match="no member fits violent_threat"):
        check_config(
            TrainConfig(data=data, frozen={"members": [{"labels": ["news_reporting"]}]}), tax
        )
    check_config(
        TrainConfig(data=data, frozen={"members": [{}, {"c": 3, "labels": ["news_reporting"]}]}),
        tax,
    )


def test_a_member_without_derived_rows_does_not_fit_them():
    """frozen.members[].derived_rows: false: the member is fitted as if the span and
    taxonomy examples were not there (the other members still fit them)."""
    from annotate.training.config import FrozenMember, TrainConfig
    from annotate.training.frozen import fit_frozen

    tax, rows, _ = _rows()
    threat = tax.category_names.index("violent_threat")
    rows = rows.copy()
    rows.loc[rows["source"] == "other", "source"] = "project:spans"  # span examples
    empty = rows.iloc[:0]

    def head(r, **member):
        cfg = TrainConfig(frozen={"members": [FrozenMember(**member)], "spans": False})
        return fit_frozen(r, empty, cfg, tax, _Feats()).head

    without = head(rows, derived_rows=False)
    alone = head(rows[rows["source"] == "project"])
    np.testing.assert_allclose(without.coef, alone.coef, atol=1e-6)
    np.testing.assert_allclose(without.intercept, alone.intercept, atol=1e-6)
    assert not np.allclose(head(rows).coef[threat], alone.coef[threat])


def test_threat_grammar_floors_the_threat_score_at_its_threshold():
    """threat_grammar: the threat score of the passages the rule reads is at least the
    label's threshold, so the label fires there; other passages and categories keep the
    head's scores; off, nothing changes. The rule's Laplace-smoothed precision on the
    public training rows (all non-derived rows when it reads no public one) is recorded
    (the score of its spans)."""
    from annotate.training.config import TrainConfig
    from annotate.training.frozen import fit_frozen

    tax, rows, _ = _rows()
    names = tax.category_names
    threat = names.index("violent_threat")
    rows = rows.copy()
    texts = rows["text"].tolist()
    # three project rows the rule reads: two threats (label 1), one labelled 0
    for i, (text, y) in enumerate(
        [
            ("We will burn your church down on Sunday.", 1),
            ("Those landlords deserve to die.", 1),
            ("All the councillors need to be shot.", 0),
        ]
    ):
        texts[i] = text
        rows.at[i, "labels"] = rows.at[i, "labels"].copy()
        rows.at[i, "labels"][threat] = y
    texts[3] = "I will burn your church down."  # a derived row: not counted
    rows["text"] = texts
    rows.loc[3, "source"] = "project:spans"
    empty = rows.iloc[:0]
    cfg = TrainConfig(frozen={"spans": False}, threat_grammar="violent_threat")
    model = fit_frozen(rows, empty, cfg, tax, _Feats())
    assert model.threat_grammar_precision == round((2 + 1) / (3 + 2), 4)
    assert model.fit_info["threat_grammar"] == {"rows": "all", "rows_fired": 3, "positives": 2}
    # where it reads public rows, their precision alone (project rows are clear cases)
    pub = rows.copy()
    pub.loc[2, "public"] = True
    on_public = fit_frozen(pub, empty, cfg, tax, _Feats())
    assert on_public.threat_grammar_precision == round(1 / 3, 4)
    assert on_public.fit_info["threat_grammar"]["rows"] == "public"
    off_cfg = TrainConfig(frozen={"spans": False}, threat_grammar=None)
    off = fit_frozen(rows, rows, off_cfg, tax, _Feats())  # calibrated: thresholds
    assert off.threat_grammar_precision is None
    model = fit_frozen(rows, rows, cfg, tax, _Feats())
    t = model.thresholds["violent_threat"]
    assert t == off.thresholds["violent_threat"]
    p_on, p_off = model.predict_proba(rows), off.predict_proba(rows)
    read = np.zeros(len(rows), bool)
    read[[0, 1, 2, 3]] = True
    assert (p_off[read, threat] < t).any()  # the rule has something to lift
    assert (p_on[read, threat] >= t).all()
    np.testing.assert_allclose(p_on[read, threat], np.maximum(p_off[read, threat], t), atol=1e-6)
    assert all("violent_threat" in labs for labs in np.array(model.decide(p_on), object)[read])
    np.testing.assert_allclose(p_on[~read], p_off[~read], atol=1e-6)
    np.testing.assert_allclose(np.delete(p_on, threat, 1), np.delete(p_off, threat, 1), atol=1e-6)


def test_the_card_names_the_labels_a_member_skips():
    from annotate.training.card import _members_text

    text = _members_text(
        [
            {"c": 1.0, "balance_sources": False, "labels": None, "skip_labels": None},
            {"c": 0.3, "balance_sources": True, "skip_labels": ["counter_speech"]},
            {"c": 10.0, "balance_sources": False, "labels": ["news_reporting"]},
        ]
    )
    assert "C=1.0; C=0.3, every data source weighing the same, not counter_speech; " in text
    assert "C=10.0, news_reporting only;" in text
