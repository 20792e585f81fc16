"""The embedding cache counts every passage on the progress bar, cached ones included
(a warm-cache `annotate train` showed "0 passage" for its whole run)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from annotate.training.embedding_cache import EmbeddingCache


@dataclass
class _Encoded:
    embeddings: np.ndarray
    segments: list[np.ndarray]


class _Encoder:
    ref = "fake-encoder"
    precision = "fp32"
    max_length = 16
    dim = 4

    def __init__(self) -> None:
        self.calls = 0

    def encode(
        self, texts: list[str], *, ranges: Any, progress: Any = None, equal_length: bool = False
    ) -> _Encoded:
        self.calls += 1
        if progress is not None:
            progress(len(texts))
        emb = np.array([[len(t), 1.0, 0.0, 0.0] for t in texts], dtype=np.float32)
        return _Encoded(emb, [np.zeros((len(r), self.dim), np.float32) for r in ranges])


def test_cached_and_repeated_passages_advance_the_progress_bar(tmp_path: Path) -> None:
    encoder = _Encoder()
    cache = EmbeddingCache(encoder, root=tmp_path)  # type: ignore[arg-type]
    texts = ["one", "two", "one"]  # a repeated text is embedded once
    ranges: list[list[tuple[int, int]]] = [[], [], []]
    counted: list[int] = []
    emb, _ = cache.encode(texts, ranges, progress=counted.append)
    assert sum(counted) == 3 and encoder.calls == 1
    assert emb[:, 0].tolist() == [3.0, 3.0, 3.0]

    counted.clear()
    again, _ = cache.encode(texts, ranges, progress=counted.append)  # all cached now
    assert encoder.calls == 1  # nothing embedded again
    assert sum(counted) == 3
    assert np.array_equal(again, emb)
