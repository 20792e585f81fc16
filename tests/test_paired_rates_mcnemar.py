"""benchmarks/_bootstrap.py's paired_rates: a false-flag difference is beyond noise only
when the exact McNemar test on the discordant rows agrees with the bootstrap interval
(reader58 #1: four rows all one way gave an interval excluding 0 at McNemar p = 0.125)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _module():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("_bootstrap", BENCH / "_bootstrap.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(BENCH))
    return mod


def _flags(rows: int, a_only: int, b_only: int, both: int) -> tuple[np.ndarray, np.ndarray]:
    fa, fb = np.zeros(rows, bool), np.zeros(rows, bool)
    fa[:a_only] = True
    fb[a_only : a_only + b_only] = True
    fa[a_only + b_only : a_only + b_only + both] = True
    fb[a_only + b_only : a_only + b_only + both] = True
    return fa, fb


def test_four_discordant_rows_one_way_are_within_noise() -> None:
    mod = _module()
    fa, fb = _flags(1000, 4, 0, 25)
    out = mod.paired_rates(fa, fb, np.ones(1000), np.random.default_rng(0), 2000)
    assert out["a_only"] == 4 and out["b_only"] == 0
    assert out["b_minus_a_ci"][1] < 0  # the percentile interval alone excludes 0 ...
    assert out["mcnemar_p"] == 0.125  # ... the exact test does not: 2 * 0.5^4
    assert out["beyond_noise"] is False


def test_many_discordant_rows_one_way_are_beyond_noise() -> None:
    mod = _module()
    fa, fb = _flags(1000, 2, 20, 25)
    out = mod.paired_rates(fa, fb, np.ones(1000), np.random.default_rng(0), 2000)
    assert out["b_minus_a_ci"][0] > 0
    assert out["mcnemar_p"] < 0.001
    assert out["beyond_noise"] is True


def test_no_discordant_row_gives_p_one() -> None:
    mod = _module()
    assert mod.mcnemar_exact_p(0, 0) == 1.0
    assert round(mod.mcnemar_exact_p(5, 0), 4) == 0.0625
    assert round(mod.mcnemar_exact_p(9, 2), 4) == 0.0654
