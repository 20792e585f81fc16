"""A model card named a training source's resolved path "(relative to the checkout)":
read as the reader's own checkout, where the shipped models were trained in another
folder and an installed package has none (stop 48). The card says whose: the annotate
source checkout `annotate train` ran from, on the machine that trained the model, or the
folder `annotate train` ran in."""

from __future__ import annotations

import pytest

from annotate.evaluation.model_card import data_file_lines
from annotate.settings import PROJECT_ROOT
from annotate.training.data_files import ROOT_CHECKOUT, ROOT_CWD


def _entry(root: str) -> dict:
    return {
        "path": "a.jsonl",
        "kind": "native",
        "rows": 2,
        "given": "../data/a.jsonl",
        "root": root,
        "resolved": "../data/a.jsonl",
        "files": [{"path": "a.jsonl", "role": "data", "sha256": "0" * 64, "bytes": 9, "rows": 2}],
    }


@pytest.mark.parametrize(
    ("root", "said"),
    [
        (
            ROOT_CHECKOUT,
            "(relative to the annotate source checkout `annotate train` ran from, on the "
            "machine that trained the model)",
        ),
        (ROOT_CWD, "(relative to the folder `annotate train` ran in)"),
    ],
)
def test_the_card_says_whose_folder_the_resolved_path_is_relative_to(root: str, said: str) -> None:
    first = data_file_lines(_entry(root))[0]
    assert first.endswith(f"resolved `../data/a.jsonl` {said}."), first
    assert "relative to the checkout" not in first


@pytest.mark.parametrize("model", ["default", "mpnet"])
def test_the_shipped_cards_are_rendered_with_it(model: str) -> None:
    card = (PROJECT_ROOT / "models" / model / "model_card.md").read_text(encoding="utf-8")
    assert "(relative to the checkout)" not in card
    assert "(relative to the annotate source checkout `annotate train` ran from" in card
