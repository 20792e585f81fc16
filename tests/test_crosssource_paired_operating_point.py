"""benchmarks/crosssource_paired.py's operating point: weighted recall and precision at
a side's decision rules and at its threshold alone (the arithmetic, not a model)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _module():
    sys.path.insert(0, str(BENCH))  # the script imports its sibling _bootstrap
    try:
        spec = importlib.util.spec_from_file_location(
            "crosssource_paired", BENCH / "crosssource_paired.py"
        )
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(BENCH))
    return mod


def test_recall_and_precision_at_the_rules_and_at_the_threshold_alone() -> None:
    op = _module().operating_point
    y = np.array([1, 1, 1, 0, 0])
    w = np.array([1.0, 1.0, 2.0, 1.0, 3.0])
    scores = np.array([0.9, 0.6, 0.2, 0.7, 0.1])
    # the rules took the label from the second positive (a more probable `none`)
    flagged = np.array([True, False, False, True, False])
    out = op("a", flagged, scores, y, w, {"counter_speech": 0.5}, "counter_speech")
    assert out["a_threshold"] == 0.5
    assert out["a_recall"] == 0.25 and out["a_precision"] == 0.5  # 1 of 4; 1 of 2
    assert out["a_recall_raw"] == 0.5 and out["a_precision_raw"] == round(2 / 3, 4)
    none = op("b", np.zeros(5, bool), scores, y, w, {"counter_speech": 0.95}, "counter_speech")
    assert none["b_recall"] == 0.0 and none["b_precision"] is None
    assert none["b_recall_raw"] == 0.0 and none["b_precision_raw"] is None


def test_side_a_reads_threats_with_another_grammar_module_only_inside_the_block(
    tmp_path: Path,
) -> None:
    """--a-grammar: while side A fits and predicts, the frozen trainer's floor, precision
    and keep rule come from the grammar file given (main's, to compare a grammar change
    on the same folds); after it, and for side B, the checkout's."""
    import annotate.training.frozen as frozen

    stub = tmp_path / "grammar_a.py"
    stub.write_text(
        "def with_threat_floor(*a, **k):\n    return 'a-floor'\n"
        "def rule_precision(*a, **k):\n    return 'a-precision'\n"
        "def keep_threat(*a, **k):\n    return 'a-keep'\n",
        encoding="utf-8",
    )
    own = (frozen.with_threat_floor, frozen.rule_precision, frozen.keep_threat)
    grammar = _module()._grammar
    with grammar(str(stub)):
        assert frozen.with_threat_floor() == "a-floor"
        assert frozen.rule_precision() == "a-precision"
        assert frozen.keep_threat() == "a-keep"
    assert (frozen.with_threat_floor, frozen.rule_precision, frozen.keep_threat) == own
    with grammar(None):
        assert frozen.with_threat_floor is own[0]
