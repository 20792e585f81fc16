"""retrain56 finding 8: after Ctrl-C, train said "run the same command again (it starts
afresh)" while the embedding cache kept part of the work. It now says how many texts
are kept and that a re-run reads them from the cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from typer.testing import CliRunner

from annotate.cli import app
from annotate.training.embedding_cache import EmbeddingCache


class _Halting:
    """An encoder that reports batches of 2 texts and is interrupted after 2 batches."""

    ref = "fake-encoder"
    precision = "fp32"
    max_length = 16
    dim = 4

    def encode(self, texts: list[str], *, ranges: Any, on_batch: Any = None, **_: Any) -> Any:
        for b, s in enumerate(range(0, len(texts), 2)):
            if b == 2:
                raise KeyboardInterrupt
            idx = list(range(s, min(s + 2, len(texts))))
            on_batch(idx, np.ones((len(idx), 4), np.float32), [np.zeros((0, 4))] * len(idx))
        raise AssertionError("not reached")


def test_an_interrupted_train_says_the_texts_kept_in_the_cache(tmp_path: Path, monkeypatch) -> None:
    import annotate.training

    def halted(*_: Any, **__: Any) -> Any:
        cache = EmbeddingCache(_Halting(), root=tmp_path / "cache")  # type: ignore[arg-type]
        cache.encode([f"t{i}" for i in range(9)], [[] for _ in range(9)])

    monkeypatch.setattr(annotate.training, "train", halted)
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"text": "x", "labels": ["none"]}) + "\n")
    result = CliRunner().invoke(
        app, ["train", "--data", str(data), "--out", str(tmp_path / "m"), "--quiet"]
    )
    said = " ".join(result.output.split())
    assert result.exit_code == 130, said
    assert "but the 4 texts embedded so far are kept in the embedding cache" in said, said
    assert "(it reads those 4 texts from the embedding cache and embeds the rest)" in said
    assert "starts afresh" not in said
