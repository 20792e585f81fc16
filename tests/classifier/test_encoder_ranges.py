"""Span (range) embeddings of the encoder on a text with very many candidate spans."""

from __future__ import annotations

import numpy as np


def test_a_text_of_many_sentences_pools_its_spans_in_bounded_chunks(monkeypatch):
    """One row of 200,000 sentences made prelabel gather (200,000, 256, 384) floats at
    once (a 78 GB allocation, RuntimeError); ranges are pooled RANGE_CHUNK at a time,
    with the same embeddings as all at once."""
    import torch

    from annotate.classifier import encoder as mod

    text = "We will come for you. " * 700
    ranges = [[(22 * k, 22 * k + 20) for k in range(700)], [(0, 4)]]
    enc = mod.Encoder(precision="fp32")
    chunk = mod.RANGE_CHUNK
    monkeypatch.setattr(mod, "RANGE_CHUNK", 10**9)
    at_once = enc.encode([text, "Calm day."], ranges=ranges)
    monkeypatch.setattr(mod, "RANGE_CHUNK", chunk)
    sizes: list[int] = []
    bmm = torch.bmm
    monkeypatch.setattr(torch, "bmm", lambda a, b: sizes.append(a.shape[0]) or bmm(a, b))
    got = enc.encode([text, "Calm day."], ranges=ranges)
    assert sizes and max(sizes) <= chunk < 701
    assert [s.shape for s in got.segments] == [(700, enc.dim), (1, enc.dim)]
    for a, b in zip(got.segments, at_once.segments, strict=True):
        np.testing.assert_array_equal(a, b)
