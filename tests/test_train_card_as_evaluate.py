"""The model card's test tables are what `annotate evaluate --split test` gives the same
model on the same data (passJ54 M2): train scored its test split with the fitted heads
and thresholds alone, while evaluate and prelabel apply the model's decision rules too
(an attributed quote read as news, page furniture, the threat grammar), so a card said
news_reporting recall 0.333 where evaluate said 0.667. A decision rule of the saved
model that turns every passage `none` (the page-furniture rule, patched) must move the
card's figures as it moves evaluate's. Real encoder, small data: marked slow."""

from __future__ import annotations

import json
import re

import pytest

from annotate.classifier import frozen_linear
from tests.test_train_loop import _cli, _native_rows

# the data has no harmful passage (news, counter-speech, none): train anyway
NO_HARM = "--allow-no-harmful-passages"

pytestmark = pytest.mark.slow


def _card_rows(card: str, section: str) -> dict[str, tuple[str, str, str]]:
    """label -> (precision, recall, F1) cells of the table under ``section`` (columns:
    label, support, precision, recall, F1, AUPRC, ECE)."""
    body = card.split(section, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    out = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"[a-z_]+", cells[0]):
            out[cells[0]] = (cells[2], cells[3], cells[4])
    return out


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def test_the_card_test_tables_are_evaluate_figures(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ANNOTATE_THREADS", "1")

    # a decision rule of the saved model (applied by prelabel and evaluate, not by the
    # fitted heads' thresholds): every passage `none`
    def everything_none(labels, texts, context, none_label):
        return [[none_label] for _ in labels]

    monkeypatch.setattr(frozen_linear, "furniture_labels", everything_none)
    data = tmp_path / "base.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in _native_rows()))
    cfg = tmp_path / "small.train.yaml"
    cfg.write_text("name: small\ntrainer: frozen\n")
    model = tmp_path / "model"
    _cli(
        [
            "train",
            "--config",
            str(cfg),
            "--data",
            str(data),
            "--out",
            str(model),
            "--quiet",
            NO_HARM,
        ]
    )
    out = tmp_path / "report"
    _cli(
        [
            "evaluate",
            "--model",
            str(model),
            "--data",
            str(data),
            "--split",
            "test",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    rep = json.loads((out / "report.json").read_text())
    conf = json.loads((model / "annotate_model.json").read_text())
    test = conf["metrics"]["test"]
    assert test["n"] == rep["n"] == 12
    # one number for one model on one split: the recorded figures and evaluate's
    for name in ("news_reporting", "counter_speech", "none"):
        for key in ("precision", "recall", "f1"):
            assert test["per_label"][name][key] == rep["per_label"][name][key], (name, key)
    # the rule fired: news and counter-speech passages are never found
    assert rep["per_label"]["news_reporting"]["recall"] == 0.0
    assert test["scored_as"] == "evaluate"
    card = (model / "model_card.md").read_text()
    assert "as `annotate evaluate --split test` and `prelabel` predict it" in card
    src = next(iter(rep["by_source"]))
    rows = _card_rows(card, f"### Test: {src} (n=")
    for name in ("news_reporting", "counter_speech"):
        got = rep["by_source"][src]["per_label"][name]
        assert rows[name] == (_fmt(got["precision"]), _fmt(got["recall"]), _fmt(got["f1"]))
