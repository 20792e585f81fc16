"""``frozen.pooling: mean_max``: the category heads read the sentence embedding and the
max pooling of the same forward pass; one pass stores both in the embedding cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import torch
from pydantic import ValidationError

from annotate.classifier.encoder import max_pool
from annotate.training.config import FrozenSettings
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures


def test_max_pool_reads_word_tokens_only_and_falls_back_where_none() -> None:
    hidden = torch.tensor(
        [
            [[9.0, 9.0], [1.0, -2.0], [-1.0, 3.0], [9.0, 9.0]],  # [CLS] w w [SEP]
            [[5.0, 5.0], [5.0, 5.0], [0.0, 0.0], [0.0, 0.0]],  # no word token
        ]
    )
    valid = torch.tensor([[False, True, True, False], [False, False, False, False]])
    fallback = torch.tensor([[0.0, 1.0], [3.0, 4.0]])
    out = max_pool(hidden, valid, fallback)
    # element-wise max of the two word tokens, (1, 3), then L2-normalised
    assert torch.allclose(out[0], torch.tensor([1.0, 3.0]) / np.sqrt(10.0))
    assert torch.allclose(out[1], torch.tensor([0.6, 0.8]))  # the fallback, normalised


@dataclass
class _Encoded:
    embeddings: np.ndarray
    segments: list[np.ndarray]
    maxes: np.ndarray | None = None


class _Encoder:
    """Mean (len, 1, 0, 0) and max (0, 0, 1, len) of each text; counts its passes."""

    ref = "fake-encoder"
    precision = "fp32"
    max_length = 16
    dim = 4

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(
        self,
        texts: list[str],
        *,
        ranges: Any = None,
        progress: Any = None,
        equal_length: bool = False,
        on_batch: Any = None,
        with_max: bool = False,
    ) -> _Encoded:
        self.texts += texts
        emb = np.array([[len(t), 1.0, 0.0, 0.0] for t in texts], dtype=np.float32)
        mx = np.array([[0.0, 0.0, 1.0, len(t)] for t in texts], dtype=np.float32)
        segs = [np.zeros((0, self.dim), np.float32) for _ in texts]
        if on_batch is not None:
            more = (mx,) if with_max else ()
            on_batch(list(range(len(texts))), emb, segs, *more)
        return _Encoded(emb, segs, mx if with_max else None)


def test_one_pass_stores_the_mean_and_the_max(tmp_path: Path) -> None:
    encoder = _Encoder()
    cache = EmbeddingCache(encoder, root=tmp_path)  # type: ignore[arg-type]
    mean, mx = cache.encode_pooled(["one", "three", "one"])
    assert encoder.texts == ["one", "three"]  # a repeated text embedded once
    assert mean[:, 0].tolist() == [3.0, 5.0, 3.0] and mx[:, 3].tolist() == [3.0, 5.0, 3.0]
    # the mean is stored under the key a mean-only read uses: nothing embedded again
    emb, _ = cache.encode(["three"], [[]])
    again = cache.encode_pooled(["three", "one"])
    assert encoder.texts == ["one", "three"]
    assert np.array_equal(emb, mean[1:2])
    assert np.array_equal(again[1], mx[[1, 0]])


def test_a_text_with_its_mean_only_is_embedded_again_for_its_max(tmp_path: Path) -> None:
    encoder = _Encoder()
    cache = EmbeddingCache(encoder, root=tmp_path)  # type: ignore[arg-type]
    cache.encode(["two"], [[]])
    _, mx = cache.encode_pooled(["two"])
    assert encoder.texts == ["two", "two"] and mx[0, 3] == 3.0


def test_row_features_follow_the_pooling(tmp_path: Path) -> None:
    rows = pd.DataFrame({"text": ["ab", "abcd"]})
    mean_only = RowFeatures(EmbeddingCache(_Encoder(), root=tmp_path))  # type: ignore[arg-type]
    both = RowFeatures(
        EmbeddingCache(_Encoder(), root=tmp_path),  # type: ignore[arg-type]
        pooling="mean_max",
    )
    assert mean_only.matrix(rows).shape == (2, 4)
    x = both.matrix(rows)
    assert x.shape == (2, 8)
    assert x[:, 0].tolist() == [2.0, 4.0] and x[:, 7].tolist() == [2.0, 4.0]
    assert np.array_equal(both.sentence(rows), mean_only.matrix(rows))  # the span head's
    assert both.matrix(rows.iloc[:0]).shape == (0, 8)


def test_pooling_defaults_to_the_mean_and_names_the_choices() -> None:
    assert FrozenSettings().pooling == "mean"
    assert FrozenSettings(pooling="mean_max").pooling == "mean_max"
    with pytest.raises(ValidationError):
        FrozenSettings(pooling="max")  # type: ignore[arg-type]


def test_the_encoder_gives_the_max_from_the_same_pass_leaving_the_mean_as_it_was() -> None:
    from annotate.classifier.encoder import Encoder

    enc = Encoder(precision="fp32")
    texts = ["I will hurt you.", "The weather is nice today, isn't it?", ""]
    ranges = [[(0, 6)], [(0, 11), (12, 36)], []]
    plain = enc.encode(texts, ranges=ranges, equal_length=True)
    both = enc.encode(texts, ranges=ranges, equal_length=True, with_max=True)
    assert plain.maxes is None and plain.segment_maxes is None
    assert np.array_equal(plain.embeddings, both.embeddings)
    for a, b in zip(plain.segments, both.segments, strict=True):
        assert np.array_equal(a, b)
    assert both.maxes is not None and both.segment_maxes is not None
    assert np.allclose(np.linalg.norm(both.maxes, axis=1), 1.0, atol=1e-5)
    assert (both.maxes[:2] * both.embeddings[:2]).sum(1).max() < 0.99  # not the mean
    # an empty text has no word token: its max is its mean
    assert np.allclose(both.maxes[2], both.embeddings[2], atol=1e-6)
    assert [m.shape for m in both.segment_maxes] == [(1, enc.dim), (2, enc.dim), (0, enc.dim)]
