"""Thresholds in a training config's `limitations` come from the built model: the card
said 0.2034 for extremist_propaganda after a rebuild had moved it to 0.2043. The text
names the value ({threshold:LABEL}, {span_threshold:SPAN}), the card writer fills it in,
and a number written beside "threshold" is refused when the config is read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.evaluation.card_values import (
    fill_values,
    limitation_problems,
    limitation_text,
    unknown_names,
)
from annotate.taxonomy import load_taxonomy
from annotate.training import load_train_config
from annotate.training.config import check_config

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "default"
CONFIG = {
    "thresholds": {"extremist_propaganda": 0.2043, "violent_threat": 0.225},
    "span_thresholds": {"threat": 0.24801},
}


def test_the_model_s_values_are_filled_in() -> None:
    text = (
        "scores 0.214 against the threshold {threshold:extremist_propaganda}; "
        "a span 0.17 against {span_threshold:threat}, {threshold:violent_threat}"
    )
    assert fill_values(text, CONFIG) == (
        "scores 0.214 against the threshold 0.2043; a span 0.17 against 0.248, 0.225"
    )
    assert fill_values("no placeholder, 0.2 as a score", CONFIG) == (
        "no placeholder, 0.2 as a score"
    )


def test_a_value_the_model_lacks_is_named() -> None:
    with pytest.raises(ValueError, match=r"\{threshold:incitement\}.*violent_threat"):
        fill_values("threshold {threshold:incitement}", CONFIG)
    with pytest.raises(ValueError, match="span_thresholds"):
        fill_values("{span_threshold:glorification}", CONFIG)


@pytest.mark.parametrize(
    "text",
    [
        "(0.207 against the threshold 0.215)",
        "(violent_threat 0.188, threshold 0.215)",
        "an own-voice score at its 0.20 threshold",
        "thresholds of .3 and more",
        "{threshold: violent_threat}",
        "{score:violent_threat}",
    ],
)
def test_hand_written_thresholds_are_refused(text: str) -> None:
    assert limitation_problems(text), text


@pytest.mark.parametrize(
    "text",
    [
        "against the threshold {threshold:extremist_propaganda}",
        "0.2007 against its own 0.2034 in that build",
        "0.17 against {span_threshold:threat}; AUPRC 0.8630 vs 0.8648",
        "a span is shown only when its score reaches its threshold, so 3 of 27",
    ],
)
def test_placeholders_and_other_numbers_pass(text: str) -> None:
    assert limitation_problems(text) == []


def _config(tmp_path: Path, line: str) -> Path:
    path = tmp_path / "m.train.yaml"
    (tmp_path / "rows.jsonl").write_text('{"text": "a", "labels": ["none"]}\n')
    path.write_text(
        "data:\n  - path: rows.jsonl\nlimitations:\n  - >-\n    " + line + "\n",
        encoding="utf-8",
    )
    return path


def test_a_config_with_a_typed_threshold_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TrainingError) as err:
        load_train_config(_config(tmp_path, "its threat span scores 0.2 under threshold 0.239"))
    said = str(err.value)
    assert "limitation 1" in said and "'threshold 0.239'" in said
    assert "{span_threshold:SPAN}" in said


def test_a_placeholder_naming_no_label_is_refused(tmp_path: Path) -> None:
    cfg = load_train_config(_config(tmp_path, "against {threshold:violent_threats}"))
    with pytest.raises(TrainingError, match=r"\{threshold:violent_threats\}") as err:
        check_config(cfg, load_taxonomy(ROOT / "labels.yaml"))
    assert "violent_threat" in str(err.value.fix)
    assert unknown_names(["{span_threshold:threat}"], [], ["threat"]) == []


def test_the_default_config_names_its_thresholds() -> None:
    cfg = load_train_config(ROOT / "models" / "default.train.yaml")
    check_config(cfg, load_taxonomy(ROOT / "labels.yaml"))
    assert any("{threshold:extremist_propaganda}" in line for line in cfg.limitations)


def test_the_shipped_card_states_the_model_s_own_thresholds() -> None:
    config = json.loads((MODEL / "annotate_model.json").read_text(encoding="utf-8"))
    card = (MODEL / "model_card.md").read_text(encoding="utf-8")
    cross = json.loads((MODEL / "cross_source.json").read_text(encoding="utf-8"))
    lines = config["training"]["limitations"]
    assert any("{threshold:" in line for line in lines)  # the model records the names
    for line in lines:
        assert "- " + limitation_text(line, config, cross) in card
    assert not re.search(r"\{(span_)?threshold:", card)
    said = f"against the threshold {config['thresholds']['extremist_propaganda']}"
    assert said in card
