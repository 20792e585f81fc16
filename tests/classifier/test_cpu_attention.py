"""The frozen encoder's bf16 CPU attention (keys padded to whole vectors, three batched
ops) computes the same attention as torch's sdpa, masks padding, and is used only at bf16
on the CPU (fp32 keeps sdpa: its embeddings must not move)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from annotate.classifier import cpu_attention
from annotate.classifier.cpu_attention import (
    ATTENTION_ENV,
    KEY_MULTIPLE,
    NAME,
    key_bias,
    padded_attention,
)
from annotate.classifier.device import cpu_has_bf16


def _inputs(dtype: torch.dtype, lengths: list[int], heads: int = 3, dim: int = 8):
    gen = torch.Generator().manual_seed(0)
    n = max(lengths)
    q, k, v = (torch.randn(len(lengths), heads, n, dim, generator=gen) for _ in range(3))
    mask = torch.zeros(len(lengths), n, dtype=torch.long)
    for j, m in enumerate(lengths):
        mask[j, :m] = 1
    return q.to(dtype), k.to(dtype), v.to(dtype), mask


@pytest.mark.parametrize("lengths", [[19, 7, 12], [16, 16], [5]])
def test_matches_sdpa_at_fp32(lengths):
    """Padding the keys to a multiple of KEY_MULTIPLE changes nothing but rounding; padded
    keys (text padding and the added rows) get no weight."""
    q, k, v, mask = _inputs(torch.float32, lengths)
    bias = key_bias(len(lengths), q.shape[2], k.shape[2], mask, dtype=torch.float32)
    got, weights = padded_attention(torch.nn.Module(), q, k, v, bias, scaling=0.3)
    keep = mask.bool()[:, None, None, :]
    ref = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, scale=0.3).transpose(1, 2)
    assert weights is None and got.shape == ref.shape
    torch.testing.assert_close(got, ref, atol=1e-5, rtol=1e-5)
    # a text's output does not depend on its padding: the first text alone
    alone, _ = padded_attention(
        torch.nn.Module(),
        q[:1, :, : lengths[0]],
        k[:1, :, : lengths[0]],
        v[:1, :, : lengths[0]],
        None,
        scaling=0.3,
    )
    torch.testing.assert_close(got[:1, : lengths[0]], alone, atol=1e-5, rtol=1e-5)


def test_bf16_within_bf16_rounding_of_fp32():
    q, k, v, mask = _inputs(torch.bfloat16, [89, 80, 61], heads=12, dim=32)
    bias = key_bias(3, 89, 89, mask, dtype=torch.bfloat16)
    got, _ = padded_attention(torch.nn.Module(), q, k, v, bias, scaling=32**-0.5)
    keep = mask.bool()[:, None, None, :]
    ref = F.scaled_dot_product_attention(q.float(), k.float(), v.float(), attn_mask=keep)
    assert got.dtype == torch.bfloat16
    err = (got.float() - ref.transpose(1, 2)).abs()
    assert float(err.max()) < 0.03 and float(err.mean()) < 2e-3


def test_key_bias():
    mask = torch.tensor([[1, 1, 1], [1, 1, 0]])
    bias = key_bias(2, 3, 3, mask, dtype=torch.bfloat16)
    assert bias.shape == (2, 1, 1, 3) and bias.dtype == torch.bfloat16
    assert bias[0].eq(0).all() and bias[1, 0, 0, 2] == torch.finfo(torch.bfloat16).min
    assert key_bias(2, 3, 3, torch.ones(2, 3, dtype=torch.long)) is None
    assert key_bias(2, 3, 3, None) is None
    assert KEY_MULTIPLE == 16


def test_dropout_refused():
    q, k, v, _ = _inputs(torch.float32, [4])
    with pytest.raises(ValueError, match="dropout"):
        padded_attention(torch.nn.Module(), q, k, v, None, dropout=0.1)


@pytest.mark.skipif(not cpu_has_bf16(), reason="no native bf16 on this CPU")
def test_encoder_uses_it_at_bf16_only(monkeypatch):
    from annotate.classifier.encoder import Encoder

    monkeypatch.delenv(ATTENTION_ENV, raising=False)
    assert Encoder(precision="bf16").model.config._attn_implementation == NAME
    assert Encoder(precision="fp32").model.config._attn_implementation == "sdpa"
    monkeypatch.setenv(ATTENTION_ENV, "sdpa")
    assert Encoder(precision="bf16").model.config._attn_implementation == "sdpa"


def test_a_model_not_on_sdpa_is_left_alone():
    class Config:
        _attn_implementation = "eager"

    model = torch.nn.Module()
    model.config = Config()
    assert cpu_attention.use_padded_attention(model) is False
    assert model.config._attn_implementation == "eager"
