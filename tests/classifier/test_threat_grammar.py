"""The rule threat_grammar (annotate.classifier.threat_grammar): explicit threats in the
author's own voice read by their grammar. Sentences written for the project (not copied
from any dataset or from benchmarks/probes)."""

import numpy as np
import pytest

from annotate.classifier.base import Span
from annotate.classifier.threat_grammar import (
    grammar_spans,
    rule_precision,
    threat_sentences,
    with_threat_floor,
)

THREATS = [
    # direct intent, first person
    "I will strangle the landlord who evicted my sister.",
    "We're going to burn your shop down on Sunday.",
    "I'm gonna stab the next referee who cheats us.",
    "Me and my cousins will hunt down every one of those protesters.",
    "I swear I'll put that inspector in the ground.",
    "We will set the community hall on fire during their meeting.",
    "I'm breaking his legs when he comes out of the pub.",
    # normative
    "Bankers like him should be hanged from the lamp posts.",
    "Those refugees deserve to die.",
    "All the councillors need to be shot.",
    "Someone should shoot that judge.",
    "I think every one of them should be executed.",
    # second person
    "Those traitors should be beaten.",
    "They should be run over in the car park.",
    "You're dead, landlord.",
    "Your days are numbered, snitch.",
]
NOT_THREATS = [
    "This heat is killing me.",
    "The gunman shot four people outside the station on Friday.",
    "No one deserves to die like that.",
    "Should they really be punished for this?",
    "People who say immigrants should be shot are a disgrace.",
    "He said he will kill them all if they come back.",
    "The second season should be shot in Morocco.",
    "I'm going to kill it at the interview tomorrow.",
    "We are going to be killed if we stay in this town.",
    "This bill must die in the Senate.",
    "I will never hurt anyone again.",
    "Police said the man threatened to shoot the hostages.",
    "You're dead wrong about the bus times.",
    "I'm going to shoot a video for my channel tomorrow.",
    "In the game I'm going to kill the boss with one hit.",
    "We should beat them in the final on Saturday.",
    # a passive violent verb that needs its particle or object ("cut ... throat")
    "Ticket prices are to be cut by a fifth next spring.",
    # a clause under someone else's words, an attribution or a lament
    "The party dropped a candidate for allegedly suggesting that addicts should be killed.",
    "Radio caller: more farmers have to die before anyone listens.",
    "How many nurses must die at the hands of drunk drivers before the law changes.",
]


@pytest.mark.parametrize("text", THREATS)
def test_explicit_threats_are_read(text: str) -> None:
    assert threat_sentences(text) == [(0, len(text))]


@pytest.mark.parametrize("text", NOT_THREATS)
def test_hyperbole_reports_negations_and_questions_are_not(text: str) -> None:
    assert threat_sentences(text) == []


def test_only_the_threat_sentence_of_a_passage_is_returned() -> None:
    text = "The meeting ran late again. I will kill every one of you on that committee."
    (a, b), *rest = threat_sentences(text)
    assert not rest
    assert text[a:b] == "I will kill every one of you on that committee."


def test_words_inside_quotation_marks_are_not_the_author_s() -> None:
    text = 'Prosecutors read out his message: "I will kill every one of you." He denied it.'
    assert threat_sentences(text) == []
    assert threat_sentences("“We will burn your church down,” the note said.") == []


def test_curly_apostrophes_read_as_straight_ones() -> None:
    assert threat_sentences("I’m going to hurt every one of you.")


def test_rule_precision_is_laplace_smoothed_over_known_rows() -> None:
    texts = ["Those refugees deserve to die.", "All the councillors need to be shot.", "Hi."]
    assert rule_precision(texts, [1, 0, 1]) == (2 / 4, 2, 1)
    assert rule_precision(texts, [-1, -1, 1]) == (0.5, 0, 0)  # unknown rows skipped


def test_floor_raises_only_the_rule_s_passages_and_keeps_higher_scores() -> None:
    probs = np.array([[0.1, 0.9], [0.1, 0.9], [0.8, 0.1], [0.1, 0.9]], dtype=np.float32)
    texts = ["Those refugees deserve to die.", "Hello there.", "You're dead, snitch."] * 1
    texts.append("Those refugees deserve to die.")
    out, hits = with_threat_floor(probs, 0, texts, 0.6, skip=[False, False, False, True])
    assert out[:, 0].tolist() == pytest.approx([0.6, 0.1, 0.8, 0.1])
    assert out[:, 1].tolist() == pytest.approx(probs[:, 1].tolist())
    assert probs[0, 0] == pytest.approx(0.1)  # input untouched
    assert [bool(h) for h in hits] == [True, False, True, False]


def test_grammar_spans_add_a_scored_span_where_none_overlaps() -> None:
    head = Span(start=0, end=10, label="threat", score=0.7)
    out = grammar_spans([head], [(0, 30), (40, 60)], "threat", 0.55)
    assert out == [head, Span(start=40, end=60, label="threat", score=0.55)]


def test_a_float32_floor_reaches_the_threshold_it_is_given() -> None:
    """float32(0.2253) is 0.22529999...: the floor is rounded up, so a label whose
    threshold is 0.2253 fires on it."""
    for dtype in (np.float32, np.float64):
        probs = np.array([[0.01, 0.9]], dtype=dtype)
        out, _ = with_threat_floor(probs, 0, ["Those refugees deserve to die."], 0.2253)
        assert out.dtype == dtype and float(out[0, 0]) >= 0.2253
        assert float(np.float32(out[0, 0])) >= 0.2253  # also once stored as float32
        assert float(out[0, 0]) - 0.2253 < 1e-7
