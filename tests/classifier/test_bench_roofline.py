"""benchmarks/bench_roofline.py credits an engine outside torch (ONNX Runtime int8) with
the FLOPs of the sequences its encoder really read in the timed run: without that its
roofline fraction reads 0 (no forward hook sees its batches), and counting the warm-up
would inflate it."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_roofline

SHAPE = (6, 384, 1536)


class _Encoder:
    def __init__(self, precision: str) -> None:
        self.precision = precision

    def _hidden(self, batch, precision):
        return batch["attention_mask"].shape


def _clf(precision: str):
    enc = _Encoder(precision)

    def predict(masks):
        for m in masks:
            enc._hidden({"attention_mask": np.asarray(m)}, enc.precision)

    return SimpleNamespace(encoder=enc, predict=predict)


def test_int8_engine_credited_with_the_timed_runs_sequences() -> None:
    clf = _clf("onnx-int8")
    timed = [[[1, 1, 1, 0], [1, 1, 0, 0]], [[1, 1, 1, 1]]]  # lengths 3, 2, 4

    def run():
        clf.predict(timed)

    bench_roofline.outside_torch(run, clf, lambda: clf.predict([[[1] * 9]]), SHAPE)
    e = bench_roofline.timed_engine("default model", "onnx-int8", [], run)
    want = sum(bench_roofline.encoder_flops(n, *SHAPE) for n in (3, 2, 4))
    assert e["sequences"] == 3 and e["tokens"] == 9
    assert abs(e["gflop"] - want / 1e9) < 1e-12


def test_torch_engine_left_to_the_hooks() -> None:
    clf = _clf("fp32")

    def run():
        clf.predict([[[1, 1]]])

    bench_roofline.outside_torch(run, clf, lambda: None, SHAPE)
    assert not hasattr(run, "onnx_lengths")
    assert bench_roofline.timed_engine("default model", "fp32", [], run)["gflop"] == 0
