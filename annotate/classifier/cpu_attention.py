"""Self-attention for the frozen encoder at bf16 on the CPU: three batched ops, keys padded
to whole AVX-512 vectors.

transformers runs a BERT's attention through ``torch.nn.functional.scaled_dot_product_attention``
("sdpa"). Its CPU flash kernel, at bf16 without AMX, multiplies one block of 32 queries of
one head at a time (two small oneDNN GEMMs per block, 72 per passage and layer at 89
tokens) and computes each softmax row in 16-float vectors plus a scalar tail (9 of a
89-key row). :func:`padded_attention` instead pads keys and values to a multiple of
:data:`KEY_MULTIPLE` with masked zero rows (their weight is exp(-huge) = 0 exactly) and
runs three batched ops over all heads of the batch: scores (one matmul), bias + scaling
with softmax, and the weighted sum (one matmul). Scores are rounded to bf16 before the
softmax, as transformers' own "eager" attention does at bf16 (sdpa keeps them fp32):
embeddings move by about as much as bf16 already moves them (min cosine to fp32 0.99991
against 0.99992 with sdpa, 256 passages of 89 tokens).

Measured on an AMD EPYC Zen 4 (avx512_bf16, no AMX), MiniLM-L6 at 89 tokens, one thread,
A/B in one process (benchmarks/README.md, run L): attention alone 0.29 against 0.43 ms per
passage and layer; the bf16 encoder +9 % passages per CPU second.

Registered with transformers' attention interface (``AttentionInterface`` and
``AttentionMaskInterface``) under :data:`NAME`; :func:`use_padded_attention` switches a model
to it (the encoder does at bf16 on the CPU; ``ANNOTATE_BF16_ATTENTION=sdpa`` keeps sdpa).
The mask this implementation gets is an additive bias (batch, 1, 1, keys) in the model's
dtype (0 for a token, the dtype's lowest value for padding), or None when no text of the
batch is padded.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import torch
import torch.nn.functional as F

log = logging.getLogger(__name__)

NAME = "annotate_padded_eager"
KEY_MULTIPLE = 16  # AVX-512 floats per vector: rows of whole vectors
ATTENTION_ENV = "ANNOTATE_BF16_ATTENTION"  # "sdpa": keep transformers' sdpa at bf16


def padded_attention_wanted() -> bool:
    """False when ``ANNOTATE_BF16_ATTENTION`` is "sdpa" (or "0", "false", "no")."""
    value = os.environ.get(ATTENTION_ENV, "padded").strip().lower()
    return value not in ("sdpa", "0", "false", "no")


def key_bias(
    batch_size: int,
    q_length: int,
    kv_length: int,
    attention_mask: torch.Tensor | None = None,
    dtype: torch.dtype = torch.float32,
    **_: Any,
) -> torch.Tensor | None:
    """(batch, 1, 1, kv_length) additive bias from the (batch, tokens) 0/1 ``attention_mask``:
    0 where a key is a token, ``dtype``'s lowest value where it is padding; None when there
    is no mask or no padding."""
    if attention_mask is None:
        return None
    keep = attention_mask[:, :kv_length].bool()
    if bool(keep.all()):
        return None
    bias = torch.zeros(keep.shape, dtype=dtype, device=keep.device)
    return bias.masked_fill_(~keep, torch.finfo(dtype).min)[:, None, None, :]


def padded_attention(
    module: torch.nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: torch.Tensor | None,
    scaling: float | None = None,
    dropout: float = 0.0,
    **_: Any,
) -> tuple[torch.Tensor, None]:
    """softmax(query key^T * scaling + bias) value for ``query``, ``key``, ``value`` (batch,
    heads, tokens, head_dim), with the keys padded to a multiple of :data:`KEY_MULTIPLE`
    by masked zero rows; ``attention_mask``: the bias of :func:`key_bias` or None. Three
    batched ops (one oneDNN matmul per product for all heads of the batch), scores in the
    inputs' dtype, as transformers' "eager" attention computes them. Returns (batch,
    tokens, heads, head_dim) and no weights, as transformers' sdpa function does.
    Inference only: raises ValueError for a nonzero ``dropout``."""
    if dropout:
        raise ValueError("padded_attention is for inference: dropout must be 0")
    if scaling is None:
        scaling = query.shape[-1] ** -0.5
    n = key.shape[2]
    pad = -n % KEY_MULTIPLE
    if pad:
        key = F.pad(key, (0, 0, 0, pad))
        value = F.pad(value, (0, 0, 0, pad))
        if attention_mask is None:
            attention_mask = query.new_zeros(query.shape[0], 1, 1, n)
        attention_mask = F.pad(attention_mask, (0, pad), value=torch.finfo(query.dtype).min)
    # scaling on the queries (a third of the scores' elements), so the scores are rounded
    # to the inputs' dtype once, by the product; adding a bias of 0 is exact
    scores = torch.matmul(query * scaling, key.transpose(2, 3))
    if attention_mask is not None:
        scores.add_(attention_mask.to(scores.dtype))
    out = torch.matmul(torch.softmax(scores, dim=-1), value)
    return out.transpose(1, 2), None


def register() -> None:
    """Make :data:`NAME` known to transformers (idempotent)."""
    from transformers import AttentionInterface
    from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS

    AttentionInterface.register(NAME, padded_attention)
    ALL_MASK_ATTENTION_FUNCTIONS.register(NAME, key_bias)


def use_padded_attention(model: torch.nn.Module) -> bool:
    """Switch ``model`` (a transformers model running "sdpa", e.g. a BERT) to
    :func:`padded_attention`, in place; False (the model unchanged) when it runs another
    implementation, cannot switch, or ``ANNOTATE_BF16_ATTENTION=sdpa``."""
    config = getattr(model, "config", None)
    if not padded_attention_wanted() or getattr(config, "_attn_implementation", None) != "sdpa":
        return False
    try:
        register()
        model.set_attn_implementation(NAME)  # type: ignore[operator]
    except Exception as exc:  # transformers' interface: anything may change between versions
        log.debug("padded attention not used: %s", exc)
        return False
    return getattr(config, "_attn_implementation", None) == NAME
