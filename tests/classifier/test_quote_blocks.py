"""Quoted blocks after an attribution line ending in a colon (no model needed)."""

from __future__ import annotations

import pytest

from annotate.classifier.features import candidate_segments
from annotate.classifier.quote_blocks import ends_with_attribution, quote_blocks, with_quote_blocks

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


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("Fighting resumed. According to a translation by the agency, he says:", True),
        ("The statement, read aloud at the rally, declared:\n", True),
        ("I have one thing to say to the people who did this:", False),  # own voice
        ("The timetable changes in June. Here are the main changes:", False),  # no saying
        ("According to a translation by the agency, he says: burn them.", False),
    ],
)
def test_passage_ending_with_an_attribution_line(text: str, ends: bool) -> None:
    assert ends_with_attribution(text) is ends


def test_block_split_off_into_the_next_passage() -> None:
    text = f"{SPEECH}\n\nThe army did not comment on the recording."
    segs, found = with_quote_blocks(text, candidate_segments(text), follows_reported=True)
    assert found
    assert segs[0] == (0, len(SPEECH), True)  # the first paragraph, not the comment
    comment = text.index("The army")
    assert all(q == (a < comment) for a, _, q in segs)


THREAT = "We will burn your houses with your children inside. You have until Friday."


@pytest.mark.parametrize(
    "intro",
    [
        "Message to the traitors who run this town:",
        "A final statement for the cowards at the depot:",
    ],
)
def test_a_line_that_reports_nobody_opens_an_unquoted_block(intro: str) -> None:
    """The span head reads the author's own threat after an address line unquoted (an
    own-voice span, not quoted_propaganda); the block is still a candidate and the line
    still none, as after a reporting line."""
    text = f"{intro}\n\n{THREAT}"
    segs, found = with_quote_blocks(text, candidate_segments(text))
    assert found
    a = text.index(THREAT)
    assert segs[0] == (a, len(text), False)
    assert all(s[0] >= a and not s[2] for s in segs)  # no segment on the line; none quoted


def test_a_split_off_block_is_quoted_only_after_a_reporting_line() -> None:
    text = f"{THREAT}\n\nThe council did not comment."
    segs, found = with_quote_blocks(text, candidate_segments(text), follows_attribution=True)
    assert found  # after "Message to the traitors:" in the previous passage
    assert segs[0] == (0, len(THREAT), False)
    assert not any(q for *_, q in segs)
    segs, _ = with_quote_blocks(
        text, candidate_segments(text), follows_attribution=True, follows_reported=True
    )
    assert segs[0] == (0, len(THREAT), True)


def test_quotation_marks_inside_an_unquoted_block_stay_quoted() -> None:
    text = 'Message to the traitors who run this town:\n\nYou said "we are safe here". You are not.'
    segs, _ = with_quote_blocks(text, candidate_segments(text))
    quoted = [text[a:b] for a, b, q in segs if q]
    assert quoted == ["we are safe here"]


def test_previous_passage_of_the_same_document_only() -> None:
    from types import SimpleNamespace

    from annotate.classifier.base import PassageInput
    from annotate.classifier.frozen_linear import FrozenLinearClassifier

    intro = "According to a translation by the agency, the commander says:"
    passages = [
        PassageInput("a0", intro, "a", None, 0),
        PassageInput("a1", SPEECH, "a", None, 1),
        PassageInput("b1", SPEECH, "b", None, 1),  # another document
        PassageInput("a3", SPEECH, "a", None, 3),  # not the next passage
        PassageInput("c0", SPEECH, "c", None, None),
    ]
    clf = object.__new__(FrozenLinearClassifier)
    clf.config = SimpleNamespace(colon_quote_blocks=True)
    assert clf._after_attribution(passages) == [False, True, False, False, False]
    clf.config = SimpleNamespace(colon_quote_blocks=False)
    assert clf._after_attribution(passages) == [False] * 5
