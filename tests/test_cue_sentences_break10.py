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


@pytest.mark.parametrize(
    "cues",
    [
        ["Morning.", "Boys,", "Nana,", "Uncle Rob,", "Cousin Bea,", "Pals,",
         "I will slit your throat.", "- Ha!"],
        ["Morning.", "Boys,", "and nana,", "and uncle Rob,", "I will slit your throat.", "- Ha!"],
        ["Morning.", "Listen,", "I will slit your throat.", "- Ha!"],
    ],
)  # fmt: skip
def test_a_vocative_cue_takes_its_own_reading_the_sentence_its_context(cues: list[str]) -> None:
    """break10 B7: each cue of the chain took the threat; the cues addressing someone
    are read within the sentence (the model sees it whole) but keep their own label."""
    read, labels = _read(cues)
    threat = len(cues) - 2
    assert read[1] == " ".join(cues[1 : threat + 1]), read  # still read whole
    assert labels[threat] == ["violent_threat"], labels
    assert all(labels[i] == ["none"] for i in range(1, threat)), labels


@pytest.mark.parametrize(
    "cues",
    [
        # a cue holding part of the threat's clause keeps the sentence's label
        ["Morning.", "I know where you live, Rob,", "and I will slit your throat.", "- Ha!"],
        ["Morning.", "I swear to God, Rob,", "if you talk", "I will slit your throat", "- Ha!"],
        # a violent word alone keeps its own label (the stub: "slit")
        ["Morning.", "Oh slit,", "I will slit your throat.", "- Ha!"],
    ],
)
def test_a_cue_of_the_clause_keeps_the_sentences_label(cues: list[str]) -> None:
    _, labels = _read(cues)
    assert all(labels[i] == ["violent_threat"] for i in range(1, len(cues) - 1)), labels
