"""Warnings of a lawful, platform or institutional consequence are no threat
(annotate.classifier.threat_grammar.lawful_warning, the rule ``lawful_warning_cap``), and
a reporter's own sentence gets no quoted span (the rule ``quoted_span_min_harm``).
Sentences written for the project (not copied from any dataset, the fixtures or
benchmarks/probes)."""

from types import SimpleNamespace

import numpy as np
import pytest

from annotate.classifier.base import Span
from annotate.classifier.frozen_linear import FrozenLinearClassifier
from annotate.classifier.threat_grammar import lawful_warning, with_threat_floor

WARNINGS = [
    "I'll be forwarding these messages to the police in the morning.",
    "Next time you turn up here I'm calling the cops.",
    "See you in court, Mr Hallam.",
    "My solicitor will be writing to you about the fence.",
    "Posting that again will get you banned from the group.",
    "You are being reported for harassment.",
    "Security will escort you out if you carry on.",
    "Trespassers will be prosecuted.",
    "I've passed your details on to the admins.",
    "Any more of this and I'm getting a restraining order.",
]
NOT_WARNINGS = [
    # a threat of violence beside the institution
    "Ring the police if you want, I'll still break your jaw.",
    "No court on earth will save you when I find you.",
    "Report me and I'll burn your car with you in it.",
    "The cops won't get there in time to stop me.",
    "Tell your lawyer to pick out a coffin, you're dead.",
    # normative forms about a group read by their own words, not a warning to someone
    "All of those migrants should be removed from the country.",
    "They should all be banned from our streets, every one of them.",
    # no institution at all
    "We will see you on Saturday at the market.",
    "You will regret this.",
]


@pytest.mark.parametrize("text", WARNINGS)
def test_lawful_warnings_are_read(text: str) -> None:
    assert lawful_warning(text)


@pytest.mark.parametrize("text", NOT_WARNINGS)
def test_threats_and_other_texts_are_not(text: str) -> None:
    assert not lawful_warning(text)


def test_a_long_text_is_no_warning() -> None:
    text = (
        "The council met on Tuesday to discuss the new parking rules for the high street. "
        "Residents were told that cars left overnight would be towed, and that the police "
        "had agreed to patrol the area on market days. A second meeting is planned."
    )
    assert not lawful_warning(text)


def test_cap_lowers_a_warning_and_leaves_others() -> None:
    texts = ["See you in court, Mr Hallam.", "Lovely weather today.", "I will kill you."]
    probs = np.array([[0.60, 0.1], [0.30, 0.2], [0.05, 0.1]], np.float32)
    off, _ = with_threat_floor(probs, 0, texts, 0.2)
    on, hits = with_threat_floor(probs, 0, texts, 0.2, cap=0.5)
    assert off[0, 0] == pytest.approx(0.60)  # no cap: the classifier's score stands
    assert on[0, 0] == pytest.approx(0.10)  # capped at half the threshold
    assert on[1, 0] == pytest.approx(0.30)  # no institution: untouched
    assert on[2, 0] >= 0.2 and hits[2]  # the grammar's floor still applies
    assert np.array_equal(on[:, 1], probs[:, 1])  # other columns untouched


def _rule(share: float | None) -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(quoted_span="quoted", quoted_span_min_harm=share))


def test_quoted_span_on_an_unquoted_sentence_needs_harm() -> None:
    segs = [(0, 40, False), (41, 80, False), (81, 100, True)]
    kept = [
        Span(0, 40, "quoted", 0.7),  # the reporter's sentence: no harmful reading
        Span(41, 80, "quoted", 0.5),  # reported words read as a threat
        Span(81, 100, "quoted", 0.9),  # in quotation marks: kept whatever its reading
    ]
    harm = np.array([0.1, 1.3, 0.0], np.float32)
    got = FrozenLinearClassifier._quoted_with_harm(_rule(1.0), kept, segs, harm)
    assert [(s.start, s.end) for s in got] == [(41, 80), (81, 100)]
    other = [Span(0, 40, "threat", 0.7)]  # other span labels are not this rule's
    assert FrozenLinearClassifier._quoted_with_harm(_rule(1.0), other, segs, harm) == other


@pytest.mark.parametrize(
    "text",
    [
        # break4 B7: a lawful warning beside a veiled threat the grammar does not read
        "I called the police. Next time it is a bat to your head.",
        "Call the police if you want. They will be collecting pieces of you.",
        # break4 B2: an invisible character inside a word of harm hides it from no rule
        "We will see you in court. The g\u200bun decides after.",
    ],
)
def test_a_lawful_warning_beside_a_threat_is_no_lawful_warning(text: str) -> None:
    assert not lawful_warning(text)


def test_two_sentences_each_a_lawful_warning_are_one() -> None:
    assert lawful_warning("I'm calling the police. You will be reported and banned.")
    # a sentence that names no consequence beside one that does: left to the classifier
    assert not lawful_warning("This call is recorded. We will pass it to the police.")
