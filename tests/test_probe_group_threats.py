"""benchmarks/probe_group_threats.py: the probe's rows and the arithmetic of its figures
(recall, false flags, Wilson intervals, goals) on hand-made label sets, not on a model's
scores; and the probe stays evaluation-only (no sentence is a training passage)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HARMFUL = ["violent_threat", "incitement", "graphic_violence", "extremist_propaganda"]


@pytest.fixture(scope="module")
def probe():
    path = ROOT / "benchmarks" / "probe_group_threats.py"
    spec = importlib.util.spec_from_file_location("probe_group_threats", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_rows_are_numbered_per_kind_and_checked(probe):
    rows = probe.probe_rows({"direct": ["a", "b"], "neutral": ["c"]})
    assert [(r["id"], r["kind"], r["text"]) for r in rows] == [
        ("direct-01", "direct", "a"),
        ("direct-02", "direct", "b"),
        ("neutral-01", "neutral", "c"),
    ]
    with pytest.raises(ValueError, match="unknown probe kind 'threats'"):
        probe.probe_rows({"threats": ["a"]})
    with pytest.raises(ValueError, match="given twice"):
        probe.probe_rows({"direct": ["a"], "normative": ["a"]})


def test_recall_counts_violent_threat_only_and_false_flags_any_harmful(probe):
    rows = [{"id": f"d{i}", "kind": "direct"} for i in range(4)]
    rows += [{"id": f"p{i}", "kind": "positive"} for i in range(5)]
    labels = {
        "d0": ["violent_threat"],
        "d1": ["violent_threat", "incitement"],
        "d2": ["incitement"],  # harmful, but not the threat label: a miss
        "d3": ["none"],
        "p0": ["none"],
        "p1": ["extremist_propaganda"],  # a false flag
        "p2": ["counter_speech"],  # a context label is no false flag
        "p3": ["news_reporting"],
        "p4": ["none"],
    }
    direct, positive = probe.kind_figures(rows, labels, HARMFUL)
    assert (direct["kind"], direct["figure"], direct["n"]) == ("direct", "recall", 4)
    assert direct["count"] == 2 and direct["rate"] == 0.5
    assert direct["rows"] == ["d2", "d3"]  # the threats missed
    assert direct["any_harmful"] == 0.75
    assert direct["goal"] == 0.95 and direct["meets_goal"] is False
    assert (positive["figure"], positive["count"], positive["rate"]) == ("false_flags", 1, 0.2)
    assert positive["rows"] == ["p1"]
    assert positive["news"] == 0.2
    assert positive["goal"] == 0.05 and positive["meets_goal"] is False


def test_goals_are_met_at_their_bounds_and_quoted_news_has_none(probe):
    rows = [{"id": f"d{i}", "kind": "normative"} for i in range(20)]
    rows += [{"id": f"c{i}", "kind": "counter_speech"} for i in range(10)]
    rows += [{"id": "q0", "kind": "quoted_news"}]
    labels = {f"d{i}": ["violent_threat"] if i < 19 else ["none"] for i in range(20)}
    labels |= {f"c{i}": ["incitement"] if i == 0 else ["counter_speech"] for i in range(10)}
    labels["q0"] = ["news_reporting", "violent_threat"]
    norm, counter, quoted = probe.kind_figures(rows, labels, HARMFUL)
    assert norm["rate"] == 0.95 and norm["meets_goal"] is True  # >= 0.95
    assert counter["rate"] == 0.1 and counter["meets_goal"] is True  # <= 0.10
    assert quoted["rate"] == 1.0 and quoted["goal"] is None and quoted["meets_goal"] is None
    assert quoted["news"] == 1.0


def test_wilson_interval_matches_the_formula(probe):
    # Wilson (1927): (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
    z, k, n = 1.959963984540054, 7, 20
    p = k / n
    centre, half = p + z * z / (2 * n), z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    want = [(centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)]
    assert probe.wilson(k, n) == pytest.approx(want, abs=1e-4)
    assert probe.wilson(0, 60)[0] == 0.0 and 0.05 < probe.wilson(0, 60)[1] < 0.07


def test_a_row_without_labels_is_an_error(probe):
    with pytest.raises(KeyError):
        probe.kind_figures([{"id": "x", "kind": "neutral"}], {}, HARMFUL)
