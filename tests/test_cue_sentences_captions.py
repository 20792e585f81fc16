"""Captions without punctuation (YouTube's automatic ones) are read cue by cue, and a
cue's sentence raises no cue by a neighbour's threat (break48b #1): a 12-cue cooking
video with one threat line read each cue joined with 3 each side, painted 6 innocent
cues violent_threat with a whole-cue evidence span and diluted the threat 0.84 -> 0.22."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from annotate.classifier.base import PassageInput, Prediction, Span
from annotate.classifier.turn_text import predict_turns
from tests.test_cue_sentences import ingested_rows, passage_inputs

LINES = [
    "welcome back to the channel everyone",
    "today we are cooking a simple pasta",
    "first boil some water in a big pot",
    "add a pinch of salt to the water",
    "then i will kill you and your whole family",
    "put the pasta in and stir it well",
    "wait about ten minutes for it to cook",
    "meanwhile chop some garlic and onions",
]


def _auto_captions() -> str:
    """YouTube's automatic captions: word timings, each cue rolling the last line on,
    10 ms flash cues, no punctuation."""
    out = ["WEBVTT\nKind: captions\nLanguage: en\n"]
    prev = ""
    for i, line in enumerate(LINES):
        a, b = i * 3, i * 3 + 3
        first, *rest = line.split()
        timed = first + "".join(
            f"<00:00:{a:02d}.{100 * (k + 1):03d}><c> {w}</c>" for k, w in enumerate(rest)
        )
        out.append(
            f"00:00:{a:02d}.000 --> 00:00:{b - 1:02d}.990 align:start position:0%\n"
            f"{prev or ' '}\n{timed}\n"
        )
        out.append(
            f"00:00:{b - 1:02d}.990 --> 00:00:{b:02d}.000 align:start position:0%\n{line}\n \n"
        )
        prev = line
    return "\n".join(out)


class _Threat:
    """Scores violent_threat 0.84 on a text holding 'kill you', diluted by the words
    around it; marks from 'I will kill' (else the start) to the end as the threat's
    evidence."""

    version = "threat@0"
    context_passages = 0

    def __init__(self) -> None:
        self.read: list[str] = []

    def predict(self, passages: Sequence[PassageInput], *, progress=None) -> list[Prediction]:
        self.read += [p.text for p in passages]
        out = []
        for p in passages:
            hit = "kill you" in p.text
            score = 0.84 * 9 / max(9, len(p.text.split())) if hit else 0.01
            labels = ["violent_threat"] if score >= 0.2 else ["none"]
            at = p.text.find("I will kill") if "I will kill" in p.text else 0
            spans = [Span(at, len(p.text.rstrip(".")), "threat", score)] if hit else []
            scores = {"violent_threat": score, "none": 1 - score}
            out.append(Prediction(scores=scores, labels=labels, spans=spans))
        return out


def test_auto_captions_are_read_cue_by_cue(tmp_path: Path) -> None:
    rows = ingested_rows(tmp_path, "cooking.en.vtt", _auto_captions())
    clf = _Threat()
    preds = predict_turns(clf, passage_inputs(rows))
    assert clf.read == LINES  # each cue alone: no sentence punctuation to join by
    flagged = [r["text"] for r, p in zip(rows, preds, strict=True) if p.labels != ["none"]]
    assert len(flagged) == 1 and "kill" in flagged[0]
    assert [p.scores["violent_threat"] for p in preds].count(0.84) == 1
    assert [bool(p.spans) for p in preds] == [line == LINES[4] for line in LINES]


SRT = "".join(
    f"{i + 1}\n00:00:{2 * i:02d},000 --> 00:00:{2 * i + 2:02d},000\n{t}\n\n"
    for i, t in enumerate(
        [
            "Welcome back, everyone.",
            "Today we are cooking pasta,",
            "and then I will kill you",
            "and your whole family.",
            "Add a pinch of salt.",
        ]
    )
)


def test_a_punctuated_sentence_flags_only_the_cues_holding_its_evidence(tmp_path: Path) -> None:
    """The sentence's span lies on cues 3 and 4: each keeps its part (its own words);
    cue 2, holding none of it, is given its own reading, not the sentence's threat; the
    threat cue is not diluted by its sentence (it scores higher alone)."""
    rows = ingested_rows(tmp_path, "film.srt", SRT)
    clf = _Threat()
    preds = predict_turns(clf, passage_inputs(rows))
    sentence = "Today we are cooking pasta, and then I will kill you and your whole family."
    assert clf.read[:5] == ["Welcome back, everyone.", *[sentence] * 3, "Add a pinch of salt."]
    labels = [p.labels for p in preds]
    assert labels == [["none"], ["none"], ["violent_threat"], ["violent_threat"], ["none"]]
    marked = [
        [r["text"][s.start : s.end] for s in p.spans] for r, p in zip(rows, preds, strict=True)
    ]
    assert marked == [[], [], ["I will kill you"], ["and your whole family"], []]
    assert preds[2].scores["violent_threat"] == 0.84  # alone: 6 words, not the sentence's 15
    assert preds[3].scores["violent_threat"] == 0.84 * 9 / 15


def test_a_sentence_with_no_start_within_reach_is_not_joined() -> None:
    """A cue whose sentence starts more than 3 cues before it (or ends more than 3
    after it) is read alone; so is every cue of a sentence of more than 4 cues, the
    middle one too, which reached both ends until break8 M9 (a label landed on it
    alone, its neighbours read alone)."""
    texts = ["so then", "we went", "to the shop", "and i said", "you know", "what", "ok."]
    inputs = [
        PassageInput(id=str(i), text=t, doc_id="a.srt", passage_index=i)
        for i, t in enumerate(texts)
    ]
    clf = _Threat()
    predict_turns(clf, inputs)
    assert clf.read[:7] == texts


@pytest.mark.slow
@pytest.mark.parametrize("first", ["so today we are talking about", "so today we're talking about"])
def test_real_model_keeps_the_threat_cues_spans_whatever_an_earlier_cue_says(
    first: str, taxonomy
) -> None:
    """break48b #5: with 'we're' in the first of 4 unpunctuated cues, the joined text's
    one segment scored 0.27 on the threat span head, under its 0.262 threshold, so every
    cue was flagged with no span ('we are': 0.274, a whole-text span cut onto each cue).
    Read cue by cue, the threat cues keep spans on their own words."""
    from annotate.classifier import load_classifier

    texts = [first, "the guy who said i will", "kill you and your family"]
    texts.append("tonight i will find you")
    inputs = [
        PassageInput(id=str(i), text=t, doc_id="split.vtt", passage_index=i)
        for i, t in enumerate(texts)
    ]
    preds = predict_turns(load_classifier(None, taxonomy), inputs)
    assert [p.labels for p in preds][2:] == [["violent_threat"]] * 2
    assert [[(s.start, s.end) for s in p.spans] for p in preds] == [[], [], [(0, 24)], [(0, 23)]]
