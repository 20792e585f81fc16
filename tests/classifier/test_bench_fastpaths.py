"""benchmarks/bench_fastpaths.py measures candidate fast paths against the current ones;
its own pieces must compute what they stand for: the MKL-packed linear equals
``nn.Linear`` and the pooling equals the encoder's mean pooling, else its speed-ups and
cosines compare different things."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_fastpaths


@pytest.mark.skipif(
    not hasattr(torch.ops.mkl, "_mkl_linear"), reason="this torch has no MKL packed linear"
)
def test_mkl_packed_linear_equals_nn_linear() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(24, 40), torch.nn.GELU(), torch.nn.Linear(40, 8))
    x = torch.randn(3, 7, 24)
    with torch.inference_mode():
        ref = model(x)
        packed = bench_fastpaths.mkl_packed(model)
        assert [type(m) for m in packed] == [
            bench_fastpaths.MklLinear,
            torch.nn.GELU,
            bench_fastpaths.MklLinear,
        ]
        got = packed(x)
    assert got.shape == ref.shape
    assert torch.allclose(got, ref, atol=1e-5, rtol=1e-5)


def test_pooled_is_masked_mean_normalised() -> None:
    hidden = torch.tensor([[[1.0, 0.0], [3.0, 4.0], [100.0, 100.0]]])
    mask = torch.tensor([[1, 1, 0]])
    got = bench_fastpaths.pooled(hidden, mask)
    want = torch.nn.functional.normalize(torch.tensor([[2.0, 2.0]]), dim=-1)
    assert torch.allclose(got, want)
