"""`annotate train`'s progress lines gave no total and no time left on a long run
(``train (texts encoded): 36,707 texts, 66 texts/s``; stop 49 audit A12): the embedding
cache learnt how many texts it lacks one call at a time, and the progress lines ignored
``add_total``. The frozen trainer now embeds every text it will need in one call, so the
stage hears its total before the first text: ``12 / 80 texts (15%), ..., about N s
left``; texts read from the cache are said, not counted (they took no time); the stage
ends when the last text is embedded, not when the model is written."""

from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import annotate.classifier.encoder as encoder_module
from annotate.cli.progress_lines import ProgressLines
from annotate.training.config import DataEntry, TrainConfig
from tests.test_train_loop import _native_rows


class _Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def _lines(clock: _Clock) -> tuple[ProgressLines, io.StringIO]:
    out = io.StringIO()
    lines = ProgressLines(
        "train (texts encoded)", unit="text", total=None, out=out, interval=1.0, clock=clock
    )
    return lines, out


def test_a_total_told_up_front_gives_a_percentage_and_the_time_left() -> None:
    lines, out = _lines(_Clock())
    lines.cached(30)  # read from the cache: said, not counted
    lines.add_total(10)
    for _ in range(10):
        lines(1)
    said = out.getvalue().splitlines()
    # no rate before 5 s of measuring (passE51 E3: a rate over a third of a second misled)
    assert said[1] == "train (texts encoded): 2 / 10 texts (20%); 30 more read from the cache"
    assert said[5] == (
        "train (texts encoded): 6 / 10 texts (60%), 1.0 texts/s, about 4 s left; "
        "30 more read from the cache"
    ), said
    # the stage ends with its last text
    assert said[-1].startswith("train (texts encoded): 10 texts done in "), said
    assert said[-1].endswith("; 30 more read from the cache"), said
    lines(5)  # a later call (the cache read again) goes to a stage that is over
    assert out.getvalue().splitlines() == said


@dataclass
class _Encoded:
    embeddings: np.ndarray
    segments: list[np.ndarray]


class _Encoder:
    """A tiny stand-in for the frozen encoder: a text's length and letters as features,
    each text reported to ``progress`` as it is embedded."""

    ref = "fake-encoder"
    device = "cpu"
    dim = 4
    embedded = 0

    def __init__(
        self, ref: str, *, precision: str = "fp32", max_length: int = 16, **_: Any
    ) -> None:
        self.precision, self.max_length = precision, max_length

    def encode(
        self,
        texts: list[str],
        *,
        ranges: Any,
        progress: Any = None,
        equal_length: bool = False,
        on_batch: Any = None,
    ) -> _Encoded:
        emb = []
        for t in texts:
            emb.append([len(t) / 100, t.count("e") / 10, t.count("a") / 10, 1.0])
            _Encoder.embedded += 1
            if progress is not None:
                progress(1)
        segs = [np.ones((len(r), self.dim), np.float32) for r in ranges]
        return _Encoded(np.array(emb, dtype=np.float32), segs)


def test_train_hears_its_total_before_the_first_text_and_embeds_nothing_after(
    tmp_path: Path, taxonomy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.training import train

    monkeypatch.setattr(encoder_module, "Encoder", _Encoder)
    _Encoder.embedded = 0
    data = tmp_path / "base.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    cfg = TrainConfig(name="small", data=[DataEntry(path=str(data))])
    clock = _Clock()
    lines, out = _lines(clock)
    totals: list[tuple[int, int]] = []  # (total told, texts counted before it)
    add_total = lines.add_total

    def told(n: int) -> None:
        totals.append((n, lines.n))
        add_total(n)

    lines.add_total = told  # type: ignore[method-assign]
    from annotate.training import row_training

    at_card: list[int] = []  # texts embedded when each of the card's test passes began
    card_scores = row_training.predicted_scores

    def predicted_scores(*args: Any, **kwargs: Any) -> Any:
        at_card.append(_Encoder.embedded)
        return card_scores(*args, **kwargs)

    monkeypatch.setattr(row_training, "predicted_scores", predicted_scores)
    train(
        cfg,
        tmp_path / "model",
        taxonomy,
        progress=lines,
        cache_dir=tmp_path / "cache",
        allow_no_harmful=True,  # news, counter-speech and none only
    )

    (db,) = (tmp_path / "cache").glob("*.sqlite")
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM emb").fetchone()[0]
    # one total, told before any text was embedded, of every text the run embedded
    assert totals == [(stored, 0)], (totals, stored)
    # the fit embedded exactly the texts it counted; after it, the model saved predicts its
    # test split as `annotate evaluate` does (the card's test tables, passJ54 M2), which
    # embeds those passages again, outside the training total, in one pass
    assert at_card == [stored] and stored == lines.n, (at_card, stored, lines.n)
    assert _Encoder.embedded > stored
    said = out.getvalue().splitlines()
    assert any(f" / {stored} texts (" in x and " left" in x for x in said), said
    assert said[-1].startswith(f"train (texts encoded): {stored} texts done in "), said
