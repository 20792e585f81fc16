"""The embedding cache counts every passage on a plain progress callable, cached ones
included (a warm-cache `annotate train` showed "0 passage" for its whole run); a count of
the texts embedded (``cached``, ``add_total``) leaves cached ones out and hears the total."""

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
        self,
        texts: list[str],
        *,
        ranges: Any,
        progress: Any = None,
        equal_length: bool = False,
        on_batch: Any = None,
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


class _Counts:
    """A progress callable with the ``cached`` and ``add_total`` methods of a count of
    the work actually done (`evaluate --cross-source`'s "new texts" bars)."""

    def __init__(self) -> None:
        self.done: list[int] = []
        self.totals: list[int] = []
        self.hits: list[int] = []

    def __call__(self, n: int) -> None:
        self.done.append(n)

    def add_total(self, n: int) -> None:
        self.totals.append(n)

    def cached(self, n: int) -> None:
        self.hits.append(n)


def test_a_count_of_new_texts_hears_their_total_and_leaves_cached_ones_out(
    tmp_path: Path,
) -> None:
    """`evaluate --cross-source`'s "embed (model, new texts)" bar counted cache hits as
    texts embedded, and had no total (stop 48 new-user F13a)."""
    cache = EmbeddingCache(_Encoder(), root=tmp_path)  # type: ignore[arg-type]
    counts = _Counts()
    cache.encode(["one", "two", "one"], [[], [], []], progress=counts)
    assert (counts.totals, sum(counts.done), counts.hits) == ([2], 2, [1])  # one repeated
    counts = _Counts()
    cache.encode(["one", "two", "three"], [[], [], []], progress=counts)
    assert (counts.totals, sum(counts.done), counts.hits) == ([1], 1, [2])
    counts = _Counts()
    cache.encode(["one", "three"], [[], []], progress=counts)  # all cached: no total
    assert (counts.totals, counts.done, counts.hits) == ([], [], [2])


def test_cross_source_new_texts_bars_total_what_each_call_embeds(tmp_path: Path) -> None:
    """One bar per call that embeds anything, its total the texts it lacks, cached texts
    not counted; a call that embeds nothing opens none."""
    from annotate.cli.evaluate import NewTexts

    made: list[dict[str, Any]] = []

    def bars(desc: str, *, unit: str, total: int | None = None) -> Any:
        bar: dict[str, Any] = {"desc": desc, "unit": unit, "total": total, "n": 0}
        made.append(bar)
        return lambda n: bar.__setitem__("n", bar["n"] + n)

    cache = EmbeddingCache(_Encoder(), root=tmp_path)  # type: ignore[arg-type]
    progress = NewTexts(bars, "model")
    cache.encode(["a", "b", "a"], [[], [], []], progress=progress)
    cache.encode(["a", "b"], [[], []], progress=progress)  # all cached: no bar
    cache.encode(["a", "b", "c"], [[], [], []], progress=progress)
    assert [(b["desc"], b["unit"], b["total"], b["n"]) for b in made] == [
        ("embed (model, new texts)", "text", 2, 2),
        ("embed (model, new texts)", "text", 1, 1),
    ]


class _Interrupted(_Encoder):
    """Reports its batches of 2 texts, and is interrupted (Ctrl-C) after ``stop`` batches."""

    def __init__(self, stop: int) -> None:
        super().__init__()
        self.stop = stop

    def encode(
        self,
        texts: list[str],
        *,
        ranges: Any,
        progress: Any = None,
        equal_length: bool = False,
        on_batch: Any = None,
    ) -> _Encoded:
        for b, s in enumerate(range(0, len(texts), 2)):
            if b == self.stop:
                raise KeyboardInterrupt
            idx = list(range(s, min(s + 2, len(texts))))
            emb = np.array([[len(texts[i]), 1.0, 0.0, 0.0] for i in idx], np.float32)
            on_batch(idx, emb, [np.zeros((0, self.dim), np.float32) for _ in idx])
        raise AssertionError("not reached")


def test_an_interrupted_run_keeps_every_batch_it_embedded(tmp_path: Path) -> None:
    """retrain56 finding 8: the cache committed every 2,048 texts, so Ctrl-C lost up to
    2,047 embedded ones (about 1,700 of 3,764). Each reported batch is kept."""
    from annotate.training.embedding_cache import texts_stored

    texts = [f"text {i}" * (i + 1) for i in range(7)]
    before = texts_stored()
    cache = EmbeddingCache(_Interrupted(stop=3), root=tmp_path)  # type: ignore[arg-type]
    try:
        cache.encode(texts, [[] for _ in texts])
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("not interrupted")
    assert texts_stored() - before == 6
    again = EmbeddingCache(_Encoder(), root=tmp_path)  # type: ignore[arg-type]
    counts = _Counts()
    again.encode(texts, [[] for _ in texts], progress=counts)
    assert counts.hits == [6] and counts.totals == [1]  # only the 7th is embedded again
