"""Quoted blocks after an attribution line ending in a colon (no model needed)."""

from __future__ import annotations

import pytest

from annotate.classifier.features import candidate_segments
from annotate.classifier.quote_blocks import quote_blocks, with_quote_blocks

SPEECH = "Burn their villages and leave no one standing. Victory belongs to the patient."


@pytest.mark.parametrize(
    "intro",
    [
        "According to a translation by the agency, the commander says:",
        "The statement, posted on Sunday, reads:",
        "Witnesses filmed the crowd chanting:",
        "Our correspondent translated the sermon into English:",
        "The court transcript shows the defendant told the officer:",
    ],
)
def test_attribution_line_opens_a_block(intro: str) -> None:
    text = f"Fighting resumed on Monday. {intro}\n\n{SPEECH}\n\nThe army did not comment."
    [((ia, ib), (a, b))] = quote_blocks(text)
    assert text[ia:ib] == intro
    assert text[a:b] == SPEECH  # the next paragraph only, not the comment after it


@pytest.mark.parametrize(
    "text",
    [
        "Ingredients:\n\nTwo cups of flour, one egg and a pinch of salt.",
        "Update:\n\nThe road has reopened, the council said on Tuesday.",
        "The meeting starts at 10:30 in the hall. Agenda:\n\nBudget, roof repairs and buses.",
        "Q: What did you see when you arrived?\n\nA: The road was blocked and nobody was hurt.",
        "Here is my opinion:\n\nI am going to find them and hurt every one of them.",
        "I say this to all of you:\n\nGo to their houses tonight and burn them down.",
        "We told them this many times:\n\nLeave our street or face the consequences.",
        "The commander says: burn their villages and leave no one standing.",  # inline
        "The statement reads:\n\nNo.",  # too short to be a quoted block
    ],
)
def test_no_block_without_an_attribution_line(text: str) -> None:
    assert quote_blocks(text) == []


def test_block_is_a_quotation_and_the_attribution_line_no_candidate() -> None:
    intro = "According to a translation by the agency, the commander says:"
    text = f"{intro}\n\n{SPEECH}"
    before = candidate_segments(text)
    assert (0, len(intro), False) in before and not any(q for *_, q in before)
    segs, found = with_quote_blocks(text, before)
    assert found
    a = text.index(SPEECH)
    assert segs[0] == (a, len(text), True)
    assert all(s[0] >= a and s[2] for s in segs)  # no segment on the intro; all quoted


def test_passage_without_a_block_is_unchanged() -> None:
    text = "Police said the hall was closed at noon. Ingredients:\n\nflour, eggs and milk."
    segs = candidate_segments(text)
    assert with_quote_blocks(text, segs) == (segs, False)
