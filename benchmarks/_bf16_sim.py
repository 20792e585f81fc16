"""Native CPU bf16 inference simulated at fp32 (benchmarks/bench_bf16_sim.py).

A model run natively at bf16 on the CPU (:func:`annotate.classifier.encoder.bf16_weights`:
weights cast to bf16, oneDNN matmuls with bf16 inputs and fp32 accumulation) rounds
every op's output to bf16, while each op computes in fp32 inside: a linear layer
accumulates in fp32 and rounds once (bias included), LayerNorm, GELU and the residual
and embedding adds compute in fp32 and round, and the CPU's fused attention kernel
(flash attention for CPU, one kv block up to 512 tokens) computes ``q @ k.T``, the
scaling, the mask and the softmax's max, exponentials and sum in fp32, rounds the
unnormalised exponentials to bf16 before the product with ``v`` (fp32 accumulation),
divides by the fp32 sum and rounds.

:func:`simulated_bf16` does the same at fp32 on any CPU: weights rounded to bf16
(:func:`round_weights`, kept fp32), and under a :class:`torch.overrides.TorchFunctionMode`
every fp32 result of a torch function rounded to bf16 (round to nearest even, as the
bf16 cast), with ``scaled_dot_product_attention`` replaced by the kernel's order of
roundings (:func:`sdpa_bf16`). What is left differs from native bf16 where fp32
accumulation order (or the kernel's approximate ``exp``) moves a value across a bf16
rounding boundary -- and each such flip spreads through the next layers.

A measuring tool, not a path of the library: measured on the default encoder it is
not close enough to native bf16 to calibrate heads on (benchmarks/README.md,
"bf16 calibration on simulated bf16 embeddings").
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch
from torch.overrides import TorchFunctionMode


def round_bf16(x: torch.Tensor) -> torch.Tensor:
    """``x`` rounded to the nearest bf16 value (ties to even), in ``x``'s dtype; other
    dtypes than fp32 are returned as they are."""
    if x.dtype != torch.float32:
        return x
    return x.to(torch.bfloat16).to(torch.float32)


def round_weights(model: torch.nn.Module) -> torch.nn.Module:
    """Round every floating parameter and buffer of ``model`` to bf16 values, in place,
    keeping fp32 storage (what :func:`annotate.classifier.encoder.bf16_weights` casts
    to, widened back). Returns ``model``."""
    with torch.no_grad():
        for t in (*model.parameters(), *model.buffers()):
            if t.dtype == torch.float32:
                t.copy_(round_bf16(t))
    return model


def sdpa_bf16(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> torch.Tensor:
    """``scaled_dot_product_attention`` on fp32 tensors holding bf16 values, rounded as
    the CPU flash-attention kernel rounds at bf16 (one kv block: sequences up to its
    split size of 512 tokens): scores, mask, max, ``exp`` and sum in fp32, the
    exponentials rounded to bf16 before the product with ``value``, the output divided
    by the fp32 sum and rounded. ``query`` (..., L, E), ``key`` (..., S, E), ``value``
    (..., S, Ev); ``attn_mask`` bool (True = attend) or additive, broadcastable to
    (..., L, S). Inference only: ``dropout_p`` must be 0 and ``enable_gqa`` False
    (ValueError otherwise)."""
    if dropout_p or enable_gqa:
        raise ValueError("simulated bf16 attention is for inference (no dropout, no GQA)")
    s = scale if scale is not None else 1.0 / math.sqrt(query.shape[-1])
    scores = torch.matmul(query, key.transpose(-1, -2)) * s
    if is_causal:
        n, m = scores.shape[-2:]
        causal = torch.ones(n, m, dtype=torch.bool, device=scores.device).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        else:
            scores = scores + round_bf16(attn_mask.float())
    top = scores.amax(-1, keepdim=True)
    top = torch.where(torch.isfinite(top), top, torch.zeros_like(top))  # rows fully masked
    e = torch.exp(scores - top)
    total = e.sum(-1, keepdim=True)
    out = torch.matmul(round_bf16(e), value) / total
    return round_bf16(out)


class _RoundMode(TorchFunctionMode):
    """Rounds every fp32 tensor a torch function returns to bf16; attention by
    :func:`sdpa_bf16`, or with ``native_attention`` by torch's bf16 kernel itself."""

    def __init__(self, native_attention: bool = False) -> None:
        super().__init__()
        self.native_attention = native_attention

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[override]
        kwargs = kwargs or {}
        if func is torch.nn.functional.scaled_dot_product_attention:
            if self.native_attention:  # bf16 values: the cast is exact
                bf = [_to_bf16(a) for a in args]
                return func(*bf, **kwargs).float()
            return sdpa_bf16(*args, **kwargs)
        out = func(*args, **kwargs)
        return _rounded(out)


def _to_bf16(x: Any) -> Any:
    return x.to(torch.bfloat16) if isinstance(x, torch.Tensor) and x.is_floating_point() else x


def _rounded(out: Any) -> Any:
    if isinstance(out, torch.Tensor):
        return round_bf16(out) if out.dtype == torch.float32 else out
    if isinstance(out, tuple) and any(isinstance(o, torch.Tensor) for o in out):
        return type(out)(_rounded(o) for o in out) if type(out) is tuple else out
    return out


@contextmanager
def simulated_bf16(native_attention: bool = False) -> Iterator[None]:
    """Within this block, torch functions on fp32 tensors round their results to bf16
    as a native CPU bf16 run does (module docstring); run a model whose weights
    :func:`round_weights` rounded, with no autocast. Reading the result at fp32 after the
    block (e.g. pooling) matches a native run's ``.float()`` of its bf16 output.
    ``native_attention``: attention by torch's own bf16 kernel on the (exactly) cast
    inputs instead of :func:`sdpa_bf16` (a diagnosis: how much the attention's
    simulation leaves; emulated, so slow, on a CPU without native bf16)."""
    with _RoundMode(native_attention):
        yield


__all__ = ["round_bf16", "round_weights", "sdpa_bf16", "simulated_bf16"]
