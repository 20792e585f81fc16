"""Self-directed hyperbole is not the author's threat (annotate.classifier.threat_grammar.
self_directed, the rule ``self_directed_cap``). Sentences written for the project (not
copied from any dataset, the fixtures or benchmarks/probes)."""

import numpy as np
import pytest

from annotate.classifier.threat_grammar import self_directed, with_threat_floor

SELF = [
    "My gran is going to kill me when she sees the garden.",
    "The manager will murder us if the shop isn't tidy by nine.",
    "my flatmate's gonna strangle me, I lost her keys",
    "This hill is going to kill me, three more miles to go.",
    "He is going to kill me when he finds out.",
]
NOT_SELF = [
    # the harm aimed at someone else, or at both
    "I am going to kill you when I get home.",
    "I'll kill you before you kill me.",
    "My cousins are going to find him and beat him senseless.",
    "Touch my bike again and I will break your arm.",
    # a violent verb with another object beside the self-directed one
    "She'll kill me, and then I'll kill him.",
    # no violent verb at all
    "My mum is going to be furious when she sees my grades.",
    # a long story is read whole by the classifier
    "He said he would kill me. " * 3,
]


@pytest.mark.parametrize("text", SELF)
def test_self_directed_hyperbole(text: str) -> None:
    assert self_directed(text)


@pytest.mark.parametrize("text", NOT_SELF)
def test_not_self_directed(text: str) -> None:
    assert not self_directed(text)


def test_cap_lowers_only_self_directed_threat_scores() -> None:
    texts = [SELF[0], NOT_SELF[0], NOT_SELF[5]]
    probs = np.array([[0.7, 0.1], [0.7, 0.1], [0.7, 0.1]])
    out, hits = with_threat_floor(probs, 0, texts, 0.22, self_cap=0.5)
    assert out[0, 0] == pytest.approx(0.11)
    assert out[1, 0] == pytest.approx(0.7)  # a threat the grammar reads keeps its score
    assert out[2, 0] == pytest.approx(0.7)  # no violent verb: untouched
    assert hits[0] == [] and hits[1]
    # off by default: the same input unchanged
    off, _ = with_threat_floor(probs, 0, texts, 0.22)
    assert off[0, 0] == pytest.approx(0.7)
    assert out[0, 1] == pytest.approx(0.1) and probs[0, 0] == 0.7


def test_an_invisible_character_hides_no_second_verb() -> None:
    """Read as lawful_warning reads: "sm\u200bash" is a violent verb whose object ("the
    lamp") is not the author, so the text is not self-directed alone."""
    assert not self_directed("These stairs will kill me. Then I'll smash the lamp.")
    assert not self_directed("These stairs will kill me. Then I'll sm\u200bash the lamp.")
