"""The grammatical person of a violent sentence (annotate.classifier.addressee; issue 8,
passI53 I2): the author's intent is a threat, urging an audience is a call (labels.yaml).
Project-written sentences."""

from __future__ import annotations

import pytest

from annotate.classifier.addressee import (
    act_calls,
    call_names,
    call_spans,
    calls_beside_threats,
    calls_not_threats,
    is_call,
    is_intent,
    lone_recruit_spans,
    person_spans,
    reading,
    recruits,
    threats_not_calls,
    too_short_for_context,
)
from annotate.classifier.base import Span
from annotate.classifier.threat_grammar import _normalise


def _read(s: str) -> tuple[bool, bool]:
    w = " ".join(_normalise(s).split())
    return is_call(w), is_intent(w)


@pytest.mark.parametrize(
    "sentence",
    [
        "Kinsmen, grab your rifles and shoot the guards at the border post.",
        "Let us all go to the square tonight and burn the councillors' cars with them inside.",
        "Every honest farmer must take up arms and drive out the settlers.",
        "You must all rise up and slaughter the landlords.",
        "To every believer: arm yourselves and storm the embassy on Friday.",
    ],
)
def test_calls_to_an_audience(sentence: str) -> None:
    assert _read(sentence) == (True, False)


@pytest.mark.parametrize(
    "sentence",
    [
        "If you cut in front of me again I will smash your skull.",
        "We are going to torch your warehouse on Sunday.",
        "I'm stabbing you the moment you step outside.",
        "You're dead, mate.",
    ],
)
def test_the_author_s_intent(sentence: str) -> None:
    assert _read(sentence) == (False, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Beat the eggs and fold in the flour.",
        "Cut the budget now.",
        "Break the silence and speak up for your neighbours.",
        "The rebels stormed the town last spring.",
    ],
)
def test_neither(sentence: str) -> None:
    assert _read(sentence) == (False, False)


def test_spans_follow_the_person_of_their_words() -> None:
    text = "Friends, the vote is lost. Shoot the traitors in parliament. I will kill you first."
    call = text.index("Shoot")
    own = text.index("I will")
    spans = [
        Span(start=call, end=own - 1, label="threat", score=0.4),
        Span(start=own, end=len(text), label="call_to_violence", score=0.3),
        Span(start=0, end=8, label="glorification", score=0.5),
    ]
    out = person_spans(text, spans, "threat", "call_to_violence")
    assert [s.label for s in out] == ["call_to_violence", "threat", "glorification"]
    assert [(s.start, s.end, s.score) for s in out] == [(s.start, s.end, s.score) for s in spans]
    # quoted words are not the author's: a call inside quotation marks is left as it was
    quoted = '"Shoot the traitors in parliament," he wrote.'
    q = [Span(start=0, end=36, label="threat", score=0.4)]
    assert person_spans(quoted, q, "threat", "call_to_violence") == q


def test_a_call_is_no_threat_and_a_threat_no_call() -> None:
    labels = [["violent_threat", "incitement"]] * 6
    texts = [
        "Friends of the harbour, enough talk. Burn the depot and everyone who guards it.",
        "Friends, burn the depot tonight. I will shoot the guards myself.",
        "I will put a bullet in your head if you come back.",
        "I will put a bullet in your head. The rebels massacred the villagers.",
        "Enough talk. Burn the depot and everyone who guards it.",
        "Burn the depot and everyone who guards it. Share this with the cell.",
    ]
    none: list[list[tuple[int, int]]] = [[]] * 6
    hit = [[(0, 5)]] * 6
    got = calls_not_threats(labels, texts, none, "violent_threat", "incitement")
    assert got[0] == got[5] == ["incitement"]  # a call to a named audience, nothing else
    assert got[1:5] == labels[1:5]  # intent beside it; no call; no audience named
    got = threats_not_calls(labels, texts, hit, "violent_threat", "incitement")
    assert got[2] == ["violent_threat"]  # the author's intent, no call
    assert got[1] == labels[1]  # a call beside the intent
    assert got[3] == labels[3]  # violence that is neither (a report)
    # only where the grammar read (or did not read) a threat sentence
    assert threats_not_calls(labels, texts, none, "violent_threat", "incitement") == labels
    assert calls_not_threats(labels, texts, hit, "violent_threat", "incitement") == labels


def test_call_names() -> None:
    cats = {"threat": "violent_threat", "call_to_violence": "incitement"}
    assert call_names(cats, "violent_threat", "threat") == ("incitement", "call_to_violence")
    assert call_names({"threat": "violent_threat"}, "violent_threat", "threat") == (None, None)


def test_too_short_for_context() -> None:
    ctx = ["news_reporting", "counter_speech"]
    labels = [["counter_speech"], ["counter_speech"], ["news_reporting", "violent_threat"]]
    texts = ["ok.", "No, that is wrong.", "Burn it!"]
    assert too_short_for_context(labels, texts, ctx, "none") == [
        ["none"],
        ["counter_speech"],
        ["violent_threat"],
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        # the author's intent told by a pro-verb for the violence beside it (break11 M1)
        "All of you crooks, burn yourselves before I turn up and do it for you.",
        "Every one of you snitches, hang yourselves, or I will.",
        "You lot, drown yourselves or I'll hold you under the water myself.",
        "Cowards, stab yourselves now, it is kinder than what I will do to you.",
    ],
)
def test_the_author_s_intent_without_its_verb(sentence: str) -> None:
    # and "kill yourselves" said to the very people threatened is no call on an audience
    assert _read(sentence) == (False, True)
    assert reading(sentence)[:2] == (False, True)


def test_a_pro_verb_is_intent_only_beside_violence() -> None:
    assert _read("Finish the report before I do it for you.") == (False, False)
    assert _read("Call your mother, or I will.") == (False, False)
    # the violence in one sentence, the author's pro-verb in the next
    assert reading("All of you, shoot yourselves. Or I will.") == (False, True, True)
    assert reading("Clean the kitchen. Or I will.") == (False, False, False)


def test_a_threat_that_recruits_keeps_its_call() -> None:
    labels = [["violent_threat", "incitement"]] * 5
    texts = [
        "We are going to burn the town hall on Monday. Bring lighters and meet at the fountain.",
        "We will shoot the informers at the market. Join us.",
        "We're going to stab the bailiffs tomorrow, so follow our lead.",
        "I will put a bullet in your head if you come back.",
        "Meet me outside and I will break your jaw.",
    ]
    hit = [[(0, 5)]] * 5
    assert [recruits(t) for t in texts] == [True, True, True, False, False]
    got = threats_not_calls(labels, texts, hit, "violent_threat", "incitement")
    assert got[:3] == labels[:3]  # an order to others to join the attack: incitement stays
    assert got[3] == got[4] == ["violent_threat"]  # the author's threat, no one recruited


# stop 55 (issue 8): an audience urged to act beside a threat the grammar reads is the
# call that carries it out; an order to join with no violence anywhere is no call
def test_an_audience_urged_to_act_beside_a_threat_adds_incitement() -> None:
    text = "Those parasites deserve to be wiped out. Every patriot has to act now."
    hits = [(0, text.index(" Every"))]
    out = calls_beside_threats([["violent_threat"]], [text], [hits], "violent_threat", "incitement")
    assert out == [["violent_threat", "incitement"]]
    # without a threat sentence, or with the call negated, nothing is added
    assert calls_beside_threats(
        [["violent_threat"]], [text], [[]], "violent_threat", "incitement"
    ) == [["violent_threat"]]
    calm = "Those parasites deserve to be wiped out. We must not act in anger."
    assert calls_beside_threats(
        [["violent_threat"]], [calm], [hits], "violent_threat", "incitement"
    ) == [["violent_threat"]]


@pytest.mark.parametrize(
    "sentence",
    [
        "Our people must act before it is too late.",
        "Brothers, rise up!",
        "It is time to act.",
        "The time for talking is over.",
        "Every one of you has to do his duty.",
    ],
)
def test_calls_to_act_without_a_violent_verb(sentence: str) -> None:
    assert act_calls(sentence) == [(0, len(sentence))]


@pytest.mark.parametrize(
    "sentence",
    [
        "Our team must act fast on the transfer market.",
        "You need to act like an adult.",
        "We must not fight.",
        "The fire brigade has to act quickly.",
    ],
)
def test_acting_fast_like_an_adult_or_not_at_all_is_no_call(sentence: str) -> None:
    assert act_calls(sentence) == []


def test_the_call_gets_a_call_span_and_a_threat_span_on_it_is_relabelled() -> None:
    text = "They should all be exterminated. Our folk must act together."
    cut = text.index("Our")
    spans = [Span(start=cut, end=len(text), label="threat", score=0.4)]
    out = person_spans(text, spans, "threat", "call_to_violence")
    assert [s.label for s in out] == ["call_to_violence"]
    added = call_spans(text, [], [(0, cut - 1)], "call_to_violence", 0.7)
    assert [(s.start, s.end, s.label) for s in added] == [(cut, len(text), "call_to_violence")]
    assert call_spans(text, [], [], "call_to_violence", 0.7) == []


def test_a_lone_order_to_join_loses_its_call_span() -> None:
    for text in ("Join the brothers.", "Come and join our family tonight."):
        spans = [Span(start=0, end=len(text), label="call_to_violence", score=0.4)]
        assert lone_recruit_spans(text, spans, "call_to_violence") == []
    # beside the violence it joins, it stays
    text = "Join the brothers. We burn the barracks at dawn."
    spans = [Span(start=0, end=18, label="call_to_violence", score=0.4)]
    assert lone_recruit_spans(text, spans, "call_to_violence") == spans
