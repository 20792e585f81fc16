"""benchmarks/bench_roofline_ab.py sets each engine against the roofline of its own round:
a fraction must use the same round's matmul rate, not another round's or a mean, else a
load change between rounds moves the fraction (what the interleaving is for)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_roofline_ab


def test_fraction_uses_its_own_rounds_roofline() -> None:
    rounds = [
        {"roofline": {"fp32": 100.0, "bf16": 800.0}, "cpu_s": {"e": 2.0}},
        # a loaded round: the engine and the roofline both slow down by half
        {"roofline": {"fp32": 50.0, "bf16": 400.0}, "cpu_s": {"e": 4.0}},
    ]
    got = bench_roofline_ab.round_fractions(160.0, rounds, "e", "bf16")
    assert got == [0.1, 0.1]
    assert bench_roofline_ab.round_fractions(160.0, rounds, "e", "fp32") == [0.8, 0.8]


def test_median_of_rounds() -> None:
    assert bench_roofline_ab.median([0.3, 0.1, 0.2]) == 0.2


def test_speedup_over_the_pipeline_is_taken_in_each_round() -> None:
    # the engine twice as fast as the pipeline in each round, however loaded the round
    rounds = [
        {"cpu_s": {"e": 1.0, "pipeline-fp32": 2.0}},
        {"cpu_s": {"e": 3.0, "pipeline-fp32": 6.0}},
    ]
    assert bench_roofline_ab.round_speedups(rounds, "e", "pipeline-fp32") == [2.0, 2.0]


def test_best_rate_is_the_faster_precision_not_bf16_because_native() -> None:
    # a Sapphire Rapids without AMX: avx512_bf16 is native but slower than fp32
    assert bench_roofline_ab.best_precision({"fp32": 130.0, "bf16": 77.0}) == "fp32"
    assert bench_roofline_ab.best_precision({"fp32": 128.0, "bf16": 904.0}) == "bf16"


def test_label_sets_compared_by_id_as_sets(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    b = tmp_path / "b.jsonl"
    a.write_text(
        '{"id": "p1", "labels": ["hate", "harassment"]}\n'
        '{"id": "p2", "labels": []}\n'
        '{"id": "p3", "labels": ["none"]}\n'
    )
    # same sets in another order and row order; p2 gains a label; p4 only in b
    b.write_text(
        '{"id": "p3", "labels": ["none"]}\n'
        '{"id": "p2", "labels": ["hate"]}\n'
        '{"id": "p1", "labels": ["harassment", "hate"]}\n'
        '{"id": "p4", "labels": []}\n'
    )
    assert bench_roofline_ab.label_sets_differ(a, b) == [1, 3]
