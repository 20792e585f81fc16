"""The rule ``quoted_blocks_by_content`` (annotate.classifier.quoted_content) with a fake
category head: a text read alone is a threat when it says "kill". The real model on the
project's fixtures: tests/classifier/test_colon_quote_regression.py."""

from __future__ import annotations

import numpy as np
import pytest

from annotate.classifier.base import Span
from annotate.classifier.quote_blocks import block_ranges
from annotate.classifier.quoted_content import (
    QuotedContentRule,
    apply_quoted_content,
    reads,
)

LABELS = ["violent_threat", "graphic_violence", "news_reporting", "counter_speech", "none"]
RULE = QuotedContentRule(
    labels=LABELS,
    thresholds={"violent_threat": 0.5, "graphic_violence": 0.5},
    own_voice=["violent_threat"],
    quoted_span="quoted_propaganda",
    own_voice_spans=["threat"],
    harmful=["violent_threat", "graphic_violence"],
    reporting_label="news_reporting",
    none_label="none",
)
INTRO = "According to a translation by the agency, the commander says:\n\n"
SPEECH = "Kill them in their homes. Victory is near."


class FakeHead:
    """Calibrated probabilities of each text read alone; records what it was given."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.full((len(texts), len(LABELS)), 0.01, np.float32)
        for k, t in enumerate(texts):
            out[k, 0] = 0.9 if "kill" in t.lower() else 0.05
            out[k, -1] = 0.1 if "kill" in t.lower() else 0.9
        return out


def _run(text: str, labels: list[str], spans: list[Span] | None = None, follows=False):
    blocks, intros = block_ranges(text, follows_attribution=follows)
    head = FakeHead()
    got_labels, got_spans = apply_quoted_content(
        [text], [labels], [spans or []], [blocks], [intros], head, RULE
    )
    return got_labels[0], got_spans[0], head, blocks


def test_violent_block_in_a_passage_read_as_none_is_reported_speech_with_its_span() -> None:
    text = INTRO + SPEECH
    labels, spans, _, blocks = _run(text, ["none"])
    assert labels == ["news_reporting"]
    assert [(s.start, s.end, s.label, s.score) for s in spans] == [
        (*blocks[0], "quoted_propaganda", 0.9)
    ]
    assert text[spans[0].start : spans[0].end] == SPEECH


def test_own_voice_label_explained_by_the_block_yields_to_reporting() -> None:
    text = INTRO + SPEECH
    a = text.index("Kill")
    own = Span(a, a + len("Kill them in their homes."), "threat", 0.8)
    labels, spans, _, _ = _run(text, ["violent_threat"], [own])
    assert labels == ["news_reporting"]
    # the span head's own-voice evidence inside a report is quoted speech; the block
    # gets no second span over it
    assert [(s.start, s.label) for s in spans] == [(a, "quoted_propaganda")]


def test_a_call_of_the_authors_own_after_the_quote_keeps_the_harmful_label() -> None:
    text = INTRO + SPEECH + "\n\nBrothers, go and kill them all tonight."
    labels, spans, head, blocks = _run(text, ["violent_threat"])
    assert labels == ["violent_threat"]
    assert [(s.start, s.end, s.label) for s in spans] == [(*blocks[0], "quoted_propaganda")]
    assert len(head.calls) == 2  # the blocks, then the rest


def test_graphic_label_stays_and_so_do_own_voice_spans() -> None:
    text = INTRO + SPEECH
    a = text.index("Kill")
    own = Span(a, a + 5, "threat", 0.8)
    labels, spans, _, _ = _run(text, ["violent_threat", "graphic_violence"], [own])
    assert labels == ["graphic_violence"]
    assert [s.label for s in spans] == ["threat"]  # still a harmful passage


def test_a_block_read_below_every_threshold_changes_nothing() -> None:
    text = INTRO + "The weather will be fine on Sunday. Bring an umbrella anyway."
    b = text.index("The weather")
    quoted = Span(b, len(text), "quoted_propaganda", 0.7)  # the span head's call stays
    labels, spans, _, _ = _run(text, ["news_reporting"], [quoted])
    assert labels == ["news_reporting"]
    assert spans == [quoted]


def test_a_block_split_off_from_its_attribution_line() -> None:
    labels, spans, _, _ = _run(SPEECH, ["violent_threat"], follows=True)
    assert labels == ["news_reporting"]
    assert [(s.start, s.end) for s in spans] == [(0, len(SPEECH))]


def test_no_block_no_reading() -> None:
    head = FakeHead()
    text = "Kill them all, he wrote."  # an attribution but no block after a colon
    labels, spans = apply_quoted_content([text], [["violent_threat"]], [[]], [[]], [[]], head, RULE)
    assert labels == [["violent_threat"]] and spans == [[]]
    assert head.calls == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence only.", ["One sentence only."]),
        (
            "First one here. Second one here.",
            ["First one here. Second one here.", "First one here.", "Second one here."],
        ),
    ],
)
def test_reads(text: str, expected: list[str]) -> None:
    assert reads(text) == expected
