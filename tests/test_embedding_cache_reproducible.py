"""A model built from a warm embedding cache is the one an empty cache builds: an
embedding (and its span embeddings) read from a cache filled by another run, with other
texts beside it, is bitwise the one computed from nothing (issue 8: "seeded and
reproducible"). Before, the cache stored embeddings computed in padded batches, which
moved with their neighbours in the last bits, and a warm rebuild of models/default
moved coefficients by up to 0.046."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from annotate.classifier.encoder import batches

FIXTURES = Path(__file__).parent / "fixtures"


def _texts() -> list[str]:
    """The regression fixtures' passages (4 to ~250 tokens), each once."""
    out: list[str] = []
    for name in ("regression_short", "regression_context", "regression_harmful"):
        for line in (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["text"])
    return list(dict.fromkeys(out))


def _ranges(text: str) -> list[tuple[int, int]]:
    """Sentence-like character ranges of ``text`` (cut at ". ")."""
    out, start = [], 0
    while start < len(text):
        end = text.find(". ", start)
        end = len(text) if end < 0 else end + 1
        out.append((start, end))
        start = end + 1
    return out


@pytest.fixture
def one_thread() -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)  # `make model` builds on one (MODEL_THREADS)
    yield
    torch.set_num_threads(before)


def test_a_warm_cache_gives_the_embeddings_of_an_empty_one(tmp_path: Path, one_thread) -> None:
    from annotate.classifier.encoder import Encoder
    from annotate.training.embedding_cache import EmbeddingCache

    texts = _texts()
    assert len(texts) > 100
    ranges = [_ranges(t) for t in texts]
    encoder = Encoder(precision="fp32")
    cold_emb, cold_segs = EmbeddingCache(encoder, root=tmp_path / "cold").encode(texts, ranges)

    warm = EmbeddingCache(encoder, root=tmp_path / "warm")
    # another run filled it: every third text, among texts this build does not embed
    others = [f"{t} And then the meeting went on for another hour." for t in texts[1::2]]
    some = texts[::3] + others
    warm.encode(some, [_ranges(t) for t in some])
    warm_emb, warm_segs = warm.encode(texts, ranges)  # a third read, the rest computed

    same = np.all(warm_emb == cold_emb, axis=1)
    assert same.all(), f"{int((~same).sum())} of {len(texts)} embeddings differ"
    for text, a, b in zip(texts, warm_segs, cold_segs, strict=True):
        np.testing.assert_array_equal(a, b, err_msg=text[:60])


def test_equal_length_batches_give_each_text_its_embedding_alone(one_thread) -> None:
    """Whatever the batch size and neighbours, short texts (2-3 tokens: "", "ok") too:
    a batch of under 4 token rows ran other kernels (EQUAL_LENGTH_MIN_ROWS)."""
    from annotate.classifier.encoder import Encoder

    texts = ["", "ok", "ok", "Nice.", *_texts()[:60]]
    encoder = Encoder(precision="fp32", batch_size=7)
    alone = np.concatenate([encoder.encode([t], equal_length=True).embeddings for t in texts])
    for size in (7, 32):
        encoder.batch_size = size
        batched = encoder.encode(texts, equal_length=True).embeddings
        same = np.all(batched == alone, axis=1)
        assert same.all(), [t for t, s in zip(texts, same, strict=True) if not s]


def test_equal_length_batches_hold_one_token_count_each() -> None:
    lengths = [5, 3, 5, 5, 9, 3, 5, 5, 5, 1]
    got = batches(lengths, 3, equal_length=True)
    assert sorted(i for b in got for i in b) == list(range(len(lengths)))
    assert all(len({lengths[i] for i in b}) == 1 and 0 < len(b) <= 3 for b in got)
    assert [len(b) for b in got] == [1, 2, 3, 3, 1]  # lengths 1, 3, 5 (six: 3 + 3), 9
    padded = batches(lengths, 3)
    assert [len(b) for b in padded] == [3, 3, 3, 1]
    assert batches([], 4, equal_length=True) == []
