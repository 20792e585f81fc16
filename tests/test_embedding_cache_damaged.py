"""A damaged embedding cache under ANNOTATE_CACHE_DIR (a file cut short by a full disk or
an interrupted copy, or overwritten) stopped `annotate train` with a traceback,
``sqlite3.DatabaseError: database disk image is malformed``, and every later run the same
way until the user found and deleted the file (faults61). The cache only holds what the
encoder computes again, so now the file is removed with one warning and the run goes on
with an empty cache: the same embeddings, nothing lost."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from annotate.training.embedding_cache import EmbeddingCache
from tests.test_embedding_cache import _Encoder

TEXTS = [f"passage number {i} " + "word " * (i % 7) for i in range(400)]
RANGES: list[list[tuple[int, int]]] = [[] for _ in TEXTS]


def _filled(root: Path) -> tuple[Path, np.ndarray]:
    cache = EmbeddingCache(_Encoder(), root=root)  # type: ignore[arg-type]
    emb, _ = cache.encode(TEXTS, RANGES)
    cache.db.close()
    return cache.path, emb


@pytest.mark.parametrize("damage", ["cut short", "header overwritten", "pages overwritten"])
def test_a_damaged_cache_is_started_afresh_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    path, before = _filled(tmp_path)
    data = bytearray(path.read_bytes())
    assert len(data) > 8192
    if damage == "cut short":
        data = data[: len(data) // 2]
    elif damage == "header overwritten":
        data[:100] = b"\xa5" * 100
    else:
        data[4096:] = b"\x5a" * (len(data) - 4096)  # every page after the first
    path.write_bytes(bytes(data))

    encoder = _Encoder()
    with caplog.at_level(logging.WARNING):
        cache = EmbeddingCache(encoder, root=tmp_path)  # type: ignore[arg-type]
        emb, _ = cache.encode(TEXTS, RANGES)
    assert np.array_equal(emb, before)
    assert encoder.calls >= 1  # embedded again
    said = [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]
    assert len(said) == 1 and str(path) in said[0] and "started afresh" in said[0], said
    # the new file is whole: a later run reads every text from it
    again = _Encoder()
    fresh = EmbeddingCache(again, root=tmp_path)  # type: ignore[arg-type]
    assert np.array_equal(fresh.encode(TEXTS, RANGES)[0], before) and again.calls == 0
