"""The attributed-quotation rule of the frozen-linear classifier: a passage where no label
fired, that attributes speech and has a quoted segment clearing its span threshold, gets
the reporting label with that quoted span; nothing else changes."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from annotate.classifier.features import candidate_segments
from annotate.classifier.frozen_linear import FrozenLinearClassifier

SPANS = ["threat", "quoted_propaganda"]


def _clf(label: str | None = "news_reporting") -> FrozenLinearClassifier:
    clf = object.__new__(FrozenLinearClassifier)
    clf.labels = ["violent_threat", "news_reporting", "counter_speech", "none"]
    clf.config = SimpleNamespace(
        attributed_quote_label=label,
        colon_quote_blocks=False,
        quoted_span="quoted_propaganda",
        none_label="none",
        span_labels=SPANS,
        span_thresholds={"threat": 0.5, "quoted_propaganda": 0.5},
        own_voice_spans=["threat"],
        harmful=["violent_threat"],
    )
    return clf


def _scores(text: str, quoted_score: float) -> tuple[list, np.ndarray]:
    segs = candidate_segments(text)
    sp = np.array([[0.1, quoted_score if q else 0.05] for _, _, q in segs], np.float32)
    return segs, sp


@pytest.mark.parametrize(
    ("text", "score", "labels", "span"),
    [
        (
            'The caller said "the hall burns at noon", officers told the court.',
            0.9,
            ["news_reporting"],
            "the hall burns at noon",
        ),
        (
            "According to the charge sheet he wrote 'you are next' twice.",
            0.9,
            ["news_reporting"],
            "you are next",
        ),
        (
            'The caller said "the hall burns at noon", officers told the court.',
            0.2,
            ["none"],
            None,
        ),  # the quote does not clear its threshold
        ('"The hall burns at noon" is painted on the wall.', 0.9, ["none"], None),  # no attribution
        ("Police said the hall was closed at noon.", 0.9, ["none"], None),  # no quotation
    ],
)
def test_attributed_quote(text, score, labels, span):
    segs, sp = _scores(text, score)
    got, spans = _clf()._attributed_quote(text, segs, sp)
    assert got == labels
    assert [text[s.start : s.end] for s in spans] == ([span] if span else [])
    assert all(s.label == "quoted_propaganda" for s in spans)


def test_attributed_quote_off_without_a_reporting_label():
    text = 'The caller said "the hall burns at noon", officers told the court.'
    segs, sp = _scores(text, 0.9)
    assert _clf("not_a_label")._attributed_quote(text, segs, sp) == (["none"], [])


def test_colon_quote_block_counts_as_attribution_when_on():
    """A passage whose only attribution is a line ending in a colon ("translated the
    sermon:") gets the reporting label with its block as the quoted span, only when the
    model stores ``colon_quote_blocks``."""
    from annotate.classifier.quote_blocks import with_quote_blocks

    intro = "Our correspondent translated the sermon into English:"
    speech = "Go out and spill their blood. God will reward you."
    text = f"{intro}\n\n{speech}"
    segs, _ = with_quote_blocks(text, candidate_segments(text))
    sp = np.array([[0.1, 0.9 if (b - a) == len(speech) else 0.05] for a, b, _ in segs])
    off = _clf()
    assert off._attributed_quote(text, segs, sp) == (["none"], [])  # no attribution verb
    on = _clf()
    on.config.colon_quote_blocks = True
    labels, spans = on._attributed_quote(text, segs, sp)
    assert labels == ["news_reporting"]
    assert [text[s.start : s.end] for s in spans] == [speech]
