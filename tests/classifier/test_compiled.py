"""Opt-in torch.compile of the encoder: same embeddings as eager (within the bf16/fp32
tolerance), and a clean fall-back to eager when there is no compiler or compiling fails."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from annotate.classifier.compiled import COMPILE_ENV, CompiledForward, compile_requested

TEXTS = [
    "Police said the suspect posted threats against the synagogue hours before the attack.",
    "Stop talking and start shooting.",
    "The museum's new wing covers the siege of Leningrad with letters, maps and ration cards.",
]
RANGES = [[(0, 6), (12, 40)], [], [(4, 10)]]


def test_compile_is_opt_in(monkeypatch):
    monkeypatch.delenv(COMPILE_ENV, raising=False)
    assert compile_requested(None) is False
    monkeypatch.setenv(COMPILE_ENV, "1")
    assert compile_requested(None) is True
    assert compile_requested(False) is False


def test_without_a_compiler_the_encoder_runs_eagerly_and_says_so(caplog):
    from torch._inductor import config

    from annotate.classifier.encoder import Encoder

    with (
        config.patch({"cpp.cxx": (None, "/nonexistent/g++")}),
        caplog.at_level(logging.WARNING),
    ):
        enc = Encoder(precision="fp32", compile=True)
    assert enc._forward is enc.model
    assert "no C++ compiler" in caplog.text
    assert enc.encode(TEXTS).embeddings.shape == (3, 384)


def test_a_failing_compiled_graph_falls_back_to_eager_for_good(caplog):
    from annotate.classifier.encoder import Encoder

    enc = Encoder(precision="fp32")
    ref = enc.encode(TEXTS, ranges=RANGES)
    calls = []

    def broken(**inputs):
        calls.append(1)
        raise RuntimeError("C++ compile error: inductor failed")

    enc._forward = CompiledForward(enc.model, broken)
    with caplog.at_level(logging.WARNING):
        got = enc.encode(TEXTS + TEXTS, ranges=RANGES + RANGES)
    assert len(calls) == 1 and not enc._forward.active
    assert "running eagerly" in caplog.text
    np.testing.assert_allclose(got.embeddings[:3], ref.embeddings, atol=1e-6)


@pytest.mark.slow
def test_compiled_encoder_matches_eager():
    """Compiles for real (inductor, ~1-2 min of one core)."""
    from annotate.classifier.compiled import cxx_compiler
    from annotate.classifier.encoder import BF16_TOLERANCE, Encoder

    if cxx_compiler() is None:
        pytest.skip("no C++ compiler")
    eager = Encoder(precision="fp32").encode(TEXTS * 3, ranges=RANGES * 3)
    enc = Encoder(precision="fp32", compile=True)
    assert isinstance(enc._forward, CompiledForward)
    got = enc.encode(TEXTS * 3, ranges=RANGES * 3)
    assert enc._forward.active  # really ran compiled
    assert np.sum(eager.embeddings * got.embeddings, axis=1).min() >= BF16_TOLERANCE
    for a, b in zip(eager.segments, got.segments, strict=True):
        assert a.shape == b.shape
        if a.size:
            assert np.sum(a * b, axis=1).min() >= BF16_TOLERANCE
