"""A damaged, full or unopenable embedding cache under ANNOTATE_CACHE_DIR (a file cut
short by a full disk or an interrupted copy, or overwritten) stopped `annotate train` with
a traceback,
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


def test_a_full_cache_stops_storing_with_a_warning_and_the_run_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite's "database or disk is full" (here its page limit, as a full disk gives it)
    while storing: a traceback that ended `annotate train` after the embedding work; now
    one warning and the embeddings come back all the same."""
    _, expected = _filled(tmp_path / "reference")
    encoder = _Encoder()
    cache = EmbeddingCache(encoder, root=tmp_path)  # type: ignore[arg-type]
    cache.db.execute("PRAGMA max_page_count = 3")  # a few pages: the first commit fails
    with caplog.at_level(logging.WARNING):
        emb, _ = cache.encode(TEXTS, RANGES)
        more, _ = cache.encode(["one more"], [[]])
    assert np.array_equal(emb, expected) and more.shape == (1, 4)
    said = [r.getMessage() for r in caplog.records if "takes no more" in r.getMessage()]
    assert len(said) == 1 and "database or disk is full" in said[0], said
    assert "ANNOTATE_CACHE_DIR" in said[0] and not cache.storing


def test_a_cache_that_cannot_be_opened_is_kept_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A read-only cache folder without the file ("unable to open database file"; here a
    folder where the file would be), or a cache folder that cannot be made: a traceback
    before any work; now one warning and the run embeds without the cache."""
    _, expected = _filled(tmp_path / "reference")
    probe = EmbeddingCache(_Encoder(), root=tmp_path / "probe")  # type: ignore[arg-type]
    blocked = tmp_path / "blocked"
    (blocked / probe.path.name).mkdir(parents=True)
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    for root in (blocked, not_a_folder / "cache"):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            cache = EmbeddingCache(_Encoder(), root=root)  # type: ignore[arg-type]
            emb, _ = cache.encode(TEXTS, RANGES)
        assert np.array_equal(emb, expected)
        said = [r.getMessage() for r in caplog.records if "cannot open" in r.getMessage()]
        assert len(said) == 1 and "memory only" in said[0], said
