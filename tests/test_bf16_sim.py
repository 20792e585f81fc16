"""benchmarks/_bf16_sim.py: native CPU bf16 simulated at fp32 (the rounding, the
attention's order of roundings, the function mode), on small tensors and a tiny layer."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _sim():
    spec = importlib.util.spec_from_file_location("_bf16_sim", BENCH / "_bf16_sim.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_round_bf16_is_the_bf16_cast_ties_to_even() -> None:
    sim = _sim()
    # 1 + 2^-8 lies halfway between bf16 1.0 and 1 + 2^-7: ties go to the even 1.0;
    # 1 + 3 * 2^-8 halfway between 1 + 2^-7 and 1 + 2^-6: to 1 + 2^-6
    x = torch.tensor([1 + 2**-8, 1 + 3 * 2**-8, 1 + 2**-8 + 2**-20, 3.0])
    got = sim.round_bf16(x)
    assert got.dtype == torch.float32
    assert got.tolist() == [1.0, 1 + 2**-6, 1 + 2**-7, 3.0]
    ints = torch.tensor([1, 2])
    assert sim.round_bf16(ints) is ints


def test_attention_rounds_as_the_bf16_kernel() -> None:
    """On bf16 inputs, :func:`sdpa_bf16` gives torch's bf16 attention bit-equal almost
    everywhere (fp32 rounding order and the kernel's approximate exp move a few softmax
    weights across a rounding boundary: the output then moves by a bf16 step of a
    weight times a value, at most 2^-7 of the largest |value|); a plain fp32 attention
    rounded at the end is equal less often (its softmax weights are not rounded)."""
    sim = _sim()
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 4, 24, 32, generator=g).bfloat16() * s for s in (3, 3, 1))
    mask = torch.ones(2, 1, 24, 24, dtype=torch.bool)
    mask[0, ..., 17:] = False  # padding keys of the first text
    with torch.inference_mode():
        native = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        got = sim.sdpa_bf16(q.float(), k.float(), v.float(), mask)
        plain = sim.round_bf16(
            torch.nn.functional.scaled_dot_product_attention(
                q.float(), k.float(), v.float(), attn_mask=mask
            )
        )
    native = native.float()
    assert torch.equal(got, sim.round_bf16(got))  # bf16 values
    assert float((got - native).abs().max()) <= 2**-7 * float(v.float().abs().max())
    exact = float((got == native).float().mean())
    assert exact >= 0.97
    assert exact > float((plain == native).float().mean())


def test_every_result_is_rounded_inside_the_mode_only() -> None:
    sim = _sim()
    g = torch.Generator().manual_seed(1)
    layer = sim.round_weights(torch.nn.Linear(16, 8))
    assert torch.equal(layer.weight, sim.round_bf16(layer.weight))
    x = sim.round_bf16(torch.randn(5, 16, generator=g))
    with torch.inference_mode():
        outside = torch.nn.functional.gelu(layer(x))
        with sim.simulated_bf16():
            inside = torch.nn.functional.gelu(layer(x))
            mixed = inside + torch.tensor(2**-12)  # an add rounds too
    assert not torch.equal(outside, sim.round_bf16(outside))  # fp32 results outside
    assert torch.equal(inside, sim.round_bf16(inside))
    assert torch.equal(mixed, sim.round_bf16(mixed))
    # the linear rounds before the GELU, as native bf16 does: not round(gelu(fp32 linear))
    with torch.inference_mode():
        two_step = sim.round_bf16(torch.nn.functional.gelu(sim.round_bf16(layer(x))))
    assert torch.equal(inside, two_step)
