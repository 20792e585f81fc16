"""The training config's code defaults are the shipped recipe (models/default.train.yaml):
a config that leaves a setting out gets what the default model was measured with. The
defaults that name labels apply only to the labels a project's labels.yaml has."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from annotate.errors import TrainingError
from annotate.taxonomy import load_taxonomy, parse_taxonomy
from annotate.training.config import TrainConfig, check_config, fit_to_taxonomy
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parents[1]

# What a config says about its own model rather than how to train one: its data, and
# what names or describes the model. Every other setting (the trainer, encoder, head,
# operating point, decision rules, derived training rows, ...) must be the same in code
# and in models/default.train.yaml.
DATA_AND_IDENTITY = {
    "data",  # the training sources
    "name",  # the model's name
    "description",  # the model card's description
    "languages",  # the training text's languages (a property of the data)
    "limitations",  # the model card's known limitations of this model
    "rule_variants",  # alternatives the cross-source table scores, not the model's rules
}


def _shipped() -> TrainConfig:
    # validated without load_train_config's path check: the data sits beside the repo
    text = (ROOT / "models" / "default.train.yaml").read_text(encoding="utf-8")
    return TrainConfig.model_validate(yaml.safe_load(text))


def _differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            d
            for k in sorted(set(a) | set(b))
            for d in _differences(a.get(k), b.get(k), f"{where}.{k}" if where else k)
        ]
    return [] if a == b else [f"{where}: code {b!r}, shipped {a!r}"]


def test_code_defaults_equal_the_shipped_config():
    assert set(TrainConfig.model_fields) >= DATA_AND_IDENTITY  # no misspelt exception
    shipped = _shipped().model_dump(mode="json", exclude=DATA_AND_IDENTITY)
    code = TrainConfig().model_dump(mode="json", exclude=DATA_AND_IDENTITY)
    assert set(code) == set(TrainConfig.model_fields) - DATA_AND_IDENTITY
    assert _differences(shipped, code) == []


def test_the_shipped_taxonomy_keeps_every_default():
    tax = load_taxonomy(ROOT / "labels.yaml")
    code = TrainConfig()
    assert fit_to_taxonomy(code, tax) is code
    shipped = _shipped()
    assert fit_to_taxonomy(shipped, tax) is shipped


OTHER_LABELS = """
name: other
version: 1.0.0
categories:
  - {name: violent_threat, group: harmful, title: Threat, definition: A threat to harm someone.}
  - {name: harassment, group: harmful, title: Harassment, definition: Abuse aimed at a person.}
  - {name: commentary, group: context, title: Commentary, definition: Opinion about events.}
  - {name: none, group: none, title: None, definition: Nothing above applies.}
spans:
  - {name: threat, title: Threat, definition: The words of a threat.}
  - {name: insult, title: Insult, definition: The words of an insult.}
severity:
  - {name: none, level: 0, definition: No harm at all.}
  - {name: high, level: 1, definition: Harmful content.}
"""


def test_label_defaults_apply_only_to_the_labels_a_taxonomy_has():
    tax = parse_taxonomy(OTHER_LABELS)
    cfg = TrainConfig(data=[{"path": "x.jsonl"}])
    with pytest.raises(TrainingError):  # the defaults as they stand name other labels
        check_config(cfg, tax)
    fit = fit_to_taxonomy(cfg, tax)
    check_config(fit, tax)
    assert fit.own_voice_spans == ["threat"]
    assert fit.quoted_span is None
    assert fit.span_categories == {"threat": "violent_threat"}
    assert fit.attributed_quote_label is None  # no news_reporting context label
    assert fit.operating_point.label_beta == {}  # no extremist_propaganda
    assert fit.sentence_examples_labels == []  # nor sentence examples (rows.py skips them)
    # the member for news_reporting and counter_speech only: neither here, dropped
    labels = [m.labels for m in fit.frozen.members]
    assert labels == [None, None, None, ["violent_threat"], ["none"]]
    # skipped labels the taxonomy lacks go too: the C 0.3 members that leave counter_speech
    # to the others fit every category here (harassment: three members, as threats)
    assert [m.skip_labels for m in fit.frozen.members] == [None] * 5
    assert sum(m.fits("harassment") for m in fit.frozen.members) == 3
    # what is not about labels is the default recipe's
    assert fit.context_yields_to_none and fit.page_furniture_none
    assert fit.operating_point.harmful_min_precision == 0.5
    assert fit_to_taxonomy(fit, tax) == fit  # idempotent
    assert cfg.quoted_span == "quoted_propaganda"  # the config itself is not changed


def test_label_settings_a_config_writes_are_kept_and_checked():
    tax = parse_taxonomy(OTHER_LABELS)
    cfg = TrainConfig.model_validate(
        {
            "data": [{"path": "x.jsonl"}],
            "own_voice_spans": ["threat", "glorification"],
            "operating_point": {"label_beta": {"harassment": 0.5, "extremist_propaganda": 2.0}},
        }
    )
    fit = fit_to_taxonomy(cfg, tax)
    assert fit.own_voice_spans == ["threat", "glorification"]
    assert fit.operating_point.label_beta == {"harassment": 0.5, "extremist_propaganda": 2.0}
    assert fit.quoted_span is None and fit.span_categories == {"threat": "violent_threat"}
    with pytest.raises(TrainingError, match=r"'glorification'.*not in labels\.yaml"):
        check_config(fit, tax)


def test_training_rows_with_another_taxonomy_and_the_defaults(tmp_path):
    """A project with its own labels.yaml trains with the default settings: no error for
    the shipped labels it lacks; its own span label still makes span examples."""
    tax = parse_taxonomy(OTHER_LABELS)
    rows = [
        {
            "doc_id": f"d{k}",
            "text": f"Leave town tonight or we will burn your house down, case {k}.",
            "labels": ["violent_threat"],
            "spans": [{"text": "we will burn your house down", "label": "threat"}],
            "split": "train",
        }
        for k in range(4)
    ]
    data = tmp_path / "p.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cfg = TrainConfig(data=[{"path": str(data)}])
    got, described = load_rows(cfg, tax)
    kinds = {d["kind"] for d in described}
    assert {"taxonomy examples", "span examples"} <= kinds
    assert "we will burn your house down" in set(got["text"])


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ({"operating_point": {"label_beta": {"violent_threats": 2.0}}}, "label_beta"),
        ({"span_categories": {"threat": "violent_threats"}}, "span_categories.threat"),
        ({"span_categories": {"threats": "violent_threat"}}, "span label 'threats'"),
        ({"solo_head_labels": ["violent_threats"]}, "solo_head_labels"),
        ({"threat_grammar": "violent_threats"}, "threat_grammar: 'violent_threats'"),
        ({"threat_grammar": "news_reporting"}, "not a harmful category"),
    ],
)
def test_a_misspelt_label_in_a_label_setting_is_an_error(setting: dict[str, Any], says: str):
    """A label a config writes in `label_beta`, `span_categories` or `solo_head_labels`
    that labels.yaml lacks is refused before training (it trained, applying to no label)."""
    tax = load_taxonomy(ROOT / "labels.yaml")
    cfg = fit_to_taxonomy(TrainConfig.model_validate({"data": [{"path": "x"}], **setting}), tax)
    with pytest.raises(TrainingError, match=re.escape(says)):
        check_config(cfg, tax)
    check_config(fit_to_taxonomy(TrainConfig(data=[{"path": "x"}]), tax), tax)  # defaults pass


def test_threat_grammar_is_a_frozen_rule_only():
    """The default threat_grammar is dropped for a fine-tuning config (its model has no
    such rule); one the config writes for another trainer is refused."""
    tax = load_taxonomy(ROOT / "labels.yaml")
    data = [{"path": "x"}]
    frozen = fit_to_taxonomy(TrainConfig(data=data), tax)
    assert frozen.threat_grammar == "violent_threat"
    ft = fit_to_taxonomy(TrainConfig(data=data, trainer="finetune"), tax)
    assert ft.threat_grammar is None
    check_config(ft, tax)
    given = fit_to_taxonomy(
        TrainConfig(data=data, trainer="finetune", threat_grammar="violent_threat"), tax
    )
    with pytest.raises(TrainingError, match="threat_grammar is a decision rule of trainer"):
        check_config(given, tax)
