"""The model card of a model trained with `--config models/default.train.yaml --data
corpus/` printed the config's `limitations:` (scores, counts and cross-source cells
measured on the default model) as this model's own, without a word."""

from __future__ import annotations

from typing import Any

from annotate.training.card_limits import CARD_LIMITS_VERSION, borrowed_limitation_lines

CONFIG = "models/default.train.yaml"


def record(data: list[dict[str, Any]], card_limits: int = CARD_LIMITS_VERSION) -> dict[str, Any]:
    return {
        "metrics": {"card_limits": card_limits},
        "training": {
            "data": data,
            "limitations": ['"watch your back" (0.207) comes out none.'],
        },
    }


PUBLIC = {"given": "../../shared/data/x.tsv", "given_in": CONFIG}
EXPORT = {"given": "corpus", "given_in": None}
DERIVED = {"given": None, "given_in": None}  # labels.yaml examples, span rows


def test_data_added_to_a_config_is_said_before_its_limitations() -> None:
    lines = borrowed_limitation_lines(record([PUBLIC, EXPORT, DERIVED]))
    assert len(lines) == 1
    assert f"written in `{CONFIG}` for a model of its own data" in lines[0]
    assert "also trained on `corpus` (given with --data)" in lines[0]
    assert "measured on that model, not on this one" in lines[0]


def test_no_line_for_the_configs_own_data_or_data_alone() -> None:
    assert borrowed_limitation_lines(record([PUBLIC, DERIVED])) == []  # make model
    assert borrowed_limitation_lines(record([EXPORT, DERIVED])) == []  # no config
    no_limits = record([PUBLIC, EXPORT])
    no_limits["training"]["limitations"] = []
    assert borrowed_limitation_lines(no_limits) == []


def test_a_card_written_before_the_line_renders_as_it_was() -> None:
    """`annotate verify` renders a card again and compares its Known limitations."""
    assert borrowed_limitation_lines(record([PUBLIC, EXPORT], card_limits=1)) == []
    assert borrowed_limitation_lines({"training": record([PUBLIC, EXPORT])["training"]}) == []
