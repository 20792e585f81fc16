"""Training on an export that has no reviewed passage of four labels gave no word that
their heads learned from labels.yaml's one or two examples alone (passF52 F5): the
console and the model card's Known limitations now name them, with their training rows."""

from __future__ import annotations

import json

import pytest

from annotate.training.card_limits import (
    derived_only_labels,
    derived_only_lines,
    derived_only_said,
    generated_limitation_lines,
)
from tests.audit.cli_run import run_cli
from tests.audit.test_verify_model_reexported import _export


def _config(card_limits: int = 4) -> dict:
    return {
        "labels": ["violent_threat", "incitement", "news_reporting", "none"],
        "none_label": "none",
        "metrics": {
            "card_limits": card_limits,
            "train_positives": {
                "violent_threat": 5,
                "incitement": 2,
                "news_reporting": 0,
                "none": 9,
            },
        },
        "training": {
            "data": [
                {
                    "path": "corpus",
                    "kind": "export",
                    "label_counts": {"train": {"violent_threat": 4, "none": 8}, "test": {}},
                },
                {"path": "labels.yaml", "kind": "taxonomy examples", "rows": 11},
            ]
        },
    }


def test_labels_of_derived_rows_alone_are_named() -> None:
    # incitement: 2 rows, none from the data; news_reporting: none at all (untrained_labels)
    assert derived_only_labels(_config()) == {"incitement": 2}
    assert derived_only_lines(_config()) == [
        "- No training passage of the data has `incitement` (2 rows): its head was fitted on "
        "rows made from labels.yaml's examples alone, a sentence or two, so its scores are "
        "rough at best; review passages of them and train again."
    ]
    assert derived_only_lines(_config()) == [
        line for line in generated_limitation_lines(_config()) if "labels.yaml's" in line
    ]


def test_an_older_card_is_rendered_as_it_was_written() -> None:
    assert derived_only_lines(_config(card_limits=3)) == []


def test_a_source_without_counts_says_nothing() -> None:
    config = _config()
    del config["training"]["data"][0]["label_counts"]
    assert derived_only_labels(config) == {}


@pytest.mark.slow  # trains a real (small) model
def test_train_names_the_labels_no_passage_has(tmp_path, taxonomy, monkeypatch, capsys):
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    _export(corpus, taxonomy, "2026-12-01T10:00:00+00:00")  # none, violent_threat, news
    out = tmp_path / "m"
    code, err = run_cli(["train", "--data", str(corpus), "--out", str(out), "-q"], capsys)
    said = " ".join(err.split())
    assert code == 0, err
    assert "warning: no training passage of the data has incitement (" in said, said
    assert "extremist_propaganda (" in said and "counter_speech (" in said, said
    line = said.split("no training passage of the data has")[1].split("warning:")[0]
    assert "violent_threat (" not in line and "news_reporting (" not in line, line
    assert "their heads were fitted on rows made from labels.yaml's examples alone" in said
    card = (out / "model_card.md").read_text(encoding="utf-8")
    assert "- No training passage of the data has `incitement` (" in card
    model = json.loads((out / "annotate_model.json").read_text(encoding="utf-8"))
    assert set(derived_only_labels(model)) == {
        "incitement",
        "graphic_violence",
        "extremist_propaganda",
        "counter_speech",
    }


def test_the_train_warning_says_the_rows_are_examples() -> None:
    """newuser58 #10: `no training passage of the data has incitement (2 rows)` read as a
    contradiction; train's warning says the rows are labels.yaml's examples, and the card
    keeps its words (annotate verify renders a card of card_limits 4 with them)."""
    said = derived_only_said(_config(), warning=True)
    assert said.startswith("no training passage of the data has incitement (only 2 example rows):")
    assert "(2 rows)" in derived_only_said(_config(), "`")
