"""A training config's operating point took any number: `harmful_min_recall: 90` (a
percentage for the fraction 0.9) and `harmful_min_precision: -1` trained a model whose
card said 'harmful labels at recall >= 90.0 with precision >= -1.0 where reachable': a
target never reached, so every harmful threshold fell to the F1 rule without a word. The
fractions, the betas and the target-domain minimum are bounded, each refused with the
value found."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.training import load_train_config

DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "models" / "default.train.yaml"


@pytest.mark.parametrize(
    ("setting", "found"),
    [
        ("harmful_min_recall: 90", "harmful_min_recall: Input should be less than or equal to 1"),
        ("harmful_min_recall: 0", "harmful_min_recall: Input should be greater than 0"),
        ("harmful_min_precision: -1", "harmful_min_precision: Input should be greater than or"),
        ("harmful_min_precision: 1.5", "harmful_min_precision: Input should be less than or"),
        ("harmful_fallback_beta: 0", "harmful_fallback_beta: Input should be greater than 0"),
        ("label_beta: {incitement: -2}", "label_beta.incitement: Input should be greater than 0"),
        ("min_target_positives: 0", "min_target_positives: Input should be greater than or"),
    ],
)
def test_an_operating_point_out_of_range_is_refused(tmp_path: Path, setting: str, found: str):
    cfg = tmp_path / "t.train.yaml"
    cfg.write_text(f"name: t\noperating_point:\n  {setting}\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="operating_point") as err:
        load_train_config(cfg)
    assert found in str(err.value)


def test_the_shipped_values_and_no_recall_target_still_load(tmp_path: Path):
    cfg = tmp_path / "t.train.yaml"
    cfg.write_text(
        "name: t\noperating_point:\n  harmful_min_recall: null\n  harmful_min_precision: 0\n"
        "  label_beta: {extremist_propaganda: 0.5}\n",
        encoding="utf-8",
    )
    op = load_train_config(cfg).operating_point
    assert op.harmful_min_recall is None and op.harmful_min_precision == 0
    assert load_train_config(DEFAULT_CONFIG).operating_point.harmful_min_recall == 0.9


def test_an_empty_list_is_said_to_be_empty(tmp_path: Path):
    """`members: []` was refused as '... not 0 (found a list)'."""
    cfg = tmp_path / "t.train.yaml"
    cfg.write_text("name: t\nfrozen:\n  members: []\n", encoding="utf-8")
    with pytest.raises(TrainingError, match=r"frozen\.members: .* \(found an empty list\)"):
        load_train_config(cfg)
