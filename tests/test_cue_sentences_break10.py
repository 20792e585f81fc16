"""Subtitle cue sentences, break10 B5 (annotate.classifier.cue_sentences, reading 13):
a cue whose "if" opens no condition waiting for its consequence, a wish ("If only..."),
a question or title ("What If..."), is not joined to the next cue's threat; a condition
broken off without punctuation does not go on into a capitalised question of its own
("When the bus comes" / "Will you carve the roast?"); "even if" opens a condition as
"if" does. The cues are written for these tests."""

from __future__ import annotations

import pytest

from annotate.classifier import turn_text
from tests.classifier.test_cue_ellipsis import _cues, _Threat


def _read(cues: list[str], doc: str = "b10.srt") -> tuple[list[str], list[list[str]]]:
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues(cues, doc))
    return clf.read[: len(cues)], [p.labels for p in preds]


@pytest.mark.parametrize(
    "cues",
    [
        ["Morning.", "If only the rain would stop", "I'll slit your throat", "- Mum!"],
        ["Morning.", "If only you had called...", "I will slit your throat", "- Mum!"],
        ["Morning.", "What If...", "I will slit your throat", "- Mum!"],
        ["Morning.", "Chapter Two: What If", "I will slit your throat", "- Mum!"],
        ["Morning.", "As if...", "I will slit your throat", "- Mum!"],
        ["Morning.", "When the bus comes", "Will you slit the roast?", "- Sure."],
        ["Morning.", "If she rings", "Can you slit the roast?", "- Sure."],
    ],
)
def test_a_wish_title_or_question_is_not_joined_to_the_next_cue(cues: list[str]) -> None:
    read, labels = _read(cues)
    assert read == cues, read
    assert "violent_threat" not in labels[1], labels


@pytest.mark.parametrize(
    ("cues", "first", "last"),
    [
        # still one sentence: a real condition before its consequence
        (["Morning.", "If the bus is late", "I'll slit your throat", "- Mum!"], 1, 3),
        (["Morning.", "If you had called...", "I will slit your throat", "- Mum!"], 1, 3),
        # a question going on after a comma or in lower case
        (["Morning.", "When the bus comes,", "will you slit the roast?", "- Sure."], 1, 3),
        # "even if" opens a condition (break10's missed join)
        (["Morning.", "Even if they pay", "you'll slit his throat", "- Mum!"], 1, 3),
    ],
)
def test_a_condition_still_joins_its_consequence(cues: list[str], first: int, last: int) -> None:
    read, _ = _read(cues)
    whole = " ".join(cues[first:last])
    assert read[first:last] == [whole] * (last - first), read
