"""Pre-packed oneDNN linear layers in the frozen encoder: the real MiniLM encoder gives
the same embeddings packed and unpacked (bf16, the default where native: bit-exact;
fp32 with the GELU fused, the default where it pays (AMD AVX-512) and on request:
within 1e-5), and packing falls back to nn.Linear when the internal op is missing or
wrong."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from annotate.classifier import packed_linear
from annotate.classifier.device import cpu_has_bf16
from annotate.classifier.packed_linear import PACK_ENV, PackedLinear, pack_linears

TEXTS = [
    "Police said the suspect posted threats against the synagogue hours before the attack.",
    "Stop talking and start shooting.",
    "The museum's new wing covers the siege of Leningrad with letters, maps and ration cards.",
]
RANGES = [[(0, 6), (12, 40)], [], [(4, 10)]]

needs_ops = pytest.mark.skipif(
    not packed_linear.packing_available(), reason="this torch has no oneDNN linear ops"
)


def _encoders(monkeypatch, precision):
    from annotate.classifier.encoder import Encoder

    monkeypatch.setenv(PACK_ENV, "0")
    plain = Encoder(precision=precision)
    monkeypatch.setenv(PACK_ENV, "1")
    packed = Encoder(precision=precision)
    return plain, packed


def _linears(model):
    kinds = [type(m) for m in model.modules()]
    return kinds.count(torch.nn.Linear), kinds.count(PackedLinear)


@needs_ops
def test_fp32_encoder_keeps_nn_linear_and_packs_on_request(monkeypatch):
    """fp32 is not packed where packing does not pay (AVX2, Intel AVX-512); packing it by
    hand, with the feed-forward GELU fused, gives the same embeddings."""
    from annotate.classifier import encoder as encoder_mod
    from annotate.classifier.encoder import Encoder

    monkeypatch.setenv(PACK_ENV, "1")
    monkeypatch.setattr(encoder_mod, "fp32_packing_pays", lambda: False)
    enc = Encoder(precision="fp32")
    assert _linears(enc.model) == (37, 0)  # 6 layers x 6 + pooler
    a = enc.encode(TEXTS, ranges=RANGES)
    assert pack_linears(enc.model, fuse_gelu=True) == 37
    assert _linears(enc.model) == (0, 37)
    fused = [m for m in enc.model.modules() if isinstance(m, PackedLinear) and m.attr == "gelu"]
    assert len(fused) == 6  # one feed-forward GELU per layer
    b = enc.encode(TEXTS, ranges=RANGES)
    np.testing.assert_allclose(b.embeddings, a.embeddings, atol=1e-5)
    for x, y in zip(a.segments, b.segments, strict=True):
        np.testing.assert_allclose(y, x, atol=1e-5)


@needs_ops
def test_fp32_encoder_packs_where_it_pays(monkeypatch):
    """On a CPU where packed fp32 measured faster (AMD AVX-512), the fp32 encoder packs
    every linear, GELU fused, and its embeddings stay within 1e-5 of nn.Linear's."""
    from annotate.classifier import encoder as encoder_mod
    from annotate.classifier.encoder import Encoder

    monkeypatch.setattr(encoder_mod, "fp32_packing_pays", lambda: True)
    monkeypatch.setenv(PACK_ENV, "0")
    plain = Encoder(precision="fp32")
    monkeypatch.setenv(PACK_ENV, "1")
    packed = Encoder(precision="fp32")
    assert _linears(plain.model) == (37, 0)
    assert _linears(packed.model) == (0, 37)
    assert sum(getattr(m, "attr", "") == "gelu" for m in packed.model.modules()) == 6
    a, b = plain.encode(TEXTS, ranges=RANGES), packed.encode(TEXTS, ranges=RANGES)
    np.testing.assert_allclose(b.embeddings, a.embeddings, atol=1e-5)
    for x, y in zip(a.segments, b.segments, strict=True):
        np.testing.assert_allclose(y, x, atol=1e-5)


@needs_ops
@pytest.mark.skipif(not cpu_has_bf16(), reason="no native bf16 on this CPU")
def test_packed_bf16_encoder_is_bit_exact(monkeypatch):
    """The default model's heads were calibrated on bf16 nn.Linear embeddings: packing
    (no GELU fusion at bf16) must not move them."""
    plain, packed = _encoders(monkeypatch, "bf16")
    assert _linears(packed.model) == (0, 37)
    assert not any(getattr(m, "attr", "") == "gelu" for m in packed.model.modules())
    np.testing.assert_array_equal(
        packed.encode(TEXTS * 11).embeddings, plain.encode(TEXTS * 11).embeddings
    )


def test_packing_off_by_environment(monkeypatch):
    monkeypatch.setenv(PACK_ENV, "0")
    lin = torch.nn.Sequential(torch.nn.Linear(8, 4))
    assert pack_linears(lin) == 0
    assert isinstance(lin[0], torch.nn.Linear)


def test_a_missing_op_keeps_nn_linear(monkeypatch):
    monkeypatch.setattr(packed_linear, "packing_available", lambda: False)
    lin = torch.nn.Sequential(torch.nn.Linear(8, 4))
    assert pack_linears(lin) == 0
    assert isinstance(lin[0], torch.nn.Linear)


@needs_ops
def test_a_layer_that_fails_its_probe_stays_nn_linear(monkeypatch, caplog):
    """An internal op that raises or computes something else is never used."""
    real = PackedLinear.forward
    calls = {"n": 0}

    def wrong(self, x):
        calls["n"] += 1
        out = real(self, x)
        return out + 1.0 if calls["n"] == 1 else out  # the first layer disagrees

    monkeypatch.setattr(PackedLinear, "forward", wrong)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Linear(16, 4))
    with caplog.at_level("WARNING"):
        assert pack_linears(model) == 1
    assert isinstance(model[0], torch.nn.Linear) and isinstance(model[1], PackedLinear)
    assert "could not be pre-packed" in caplog.text

    def boom(self, x):
        raise RuntimeError("mkldnn op changed")

    monkeypatch.setattr(PackedLinear, "forward", boom)
    model = torch.nn.Sequential(torch.nn.Linear(8, 4))
    assert pack_linears(model) == 0
    assert isinstance(model[0], torch.nn.Linear)
