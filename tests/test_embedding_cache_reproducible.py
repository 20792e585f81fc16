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


def _precisions() -> list:
    """fp32 everywhere; bf16 where the CPU has it natively (emulated it is ~300x slower,
    and never chosen): on a Xeon with AMX its kernels depend on the batch size."""
    import torch

    from annotate.classifier.device import native_bf16

    bf16 = pytest.param(
        "bf16",
        marks=pytest.mark.skipif(
            not native_bf16(torch.device("cpu")), reason="no native bf16 on this CPU"
        ),
    )
    return ["fp32", bf16]


@pytest.mark.parametrize("precision", _precisions())
def test_a_warm_cache_gives_the_embeddings_of_an_empty_one(
    tmp_path: Path, one_thread, precision: str
) -> None:
    from annotate.classifier.encoder import Encoder
    from annotate.training.embedding_cache import EmbeddingCache

    texts = _texts()
    assert len(texts) > 100
    ranges = [_ranges(t) for t in texts]
    encoder = Encoder(precision=precision)
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


@pytest.mark.parametrize("precision", _precisions())
def test_equal_length_batches_give_each_text_its_embedding_alone(
    one_thread, precision: str
) -> None:
    """Whatever the neighbours and however many, short texts (2-3 tokens: "", "ok") too:
    a batch of under 4 token rows ran other kernels at fp32, and at bf16 on a Xeon with
    AMX the batch size chose the kernels (texts of 32 tokens: other bits in batches of
    2-8 than alone or in 12+), so a batch's size is set by its token count alone."""
    from annotate.classifier.encoder import Encoder

    texts = ["", "ok", "ok", "Nice.", *_texts()[:60]]
    # many texts of one token count, so that the batches of a whole run are full ones
    texts += [f"Item {i} of the list was checked today." for i in range(40)]
    encoder = Encoder(precision=precision)
    alone = np.concatenate([encoder.encode([t], equal_length=True).embeddings for t in texts])
    for part in (texts, texts[::2], texts[::-1]):
        batched = encoder.encode(part, equal_length=True).embeddings
        expect = alone[[texts.index(t) for t in part]]
        same = np.all(batched == expect, axis=1)
        assert same.all(), [t for t, s in zip(part, same, strict=True) if not s]


def test_equal_length_batches_hold_one_token_count_each() -> None:
    from annotate.classifier.encoder import equal_length_batch_size

    assert [equal_length_batch_size(t) for t in (1, 8, 9, 32, 100, 256, 512)] == [
        32,
        32,
        29,
        8,
        3,
        1,
        1,
    ]
    lengths = [100] * 7 + [3, 100, 3, 9]
    got = batches(lengths, 2, equal_length=True)  # batch_size is not read
    assert sorted(i for b in got for i in b) == list(range(len(lengths)))
    assert all(len({lengths[i] for i in b}) == 1 for b in got)
    assert [len(b) for b in got] == [2, 1, 3, 3, 2]  # lengths 3 (two), 9, 100 (eight: 3+3+2)
    padded = batches(lengths, 3)
    assert [len(b) for b in padded] == [3, 3, 3, 2]
    assert batches([], 4, equal_length=True) == []
