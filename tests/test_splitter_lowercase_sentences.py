"""A sentence longer than a passage is read again with sentence ends before lowercase
words before it is cut at whitespace: chat text is often lowercase, and a long lowercase
turn was one "sentence" cut at whitespace, a threat split across two passages
(``... should all be hurt`` | ``badly. sentence number 26 ...``: break helper's #7b)."""

from __future__ import annotations

import logging

import pytest

from annotate.ingestion.splitter import Segment, loose_sentences, split_passages

THREAT = "says you should all be hurt badly."


def _chat() -> str:
    said = " ".join(f"sentence number {i} {THREAT}" for i in range(40))
    return f"alice: hi\nbob: {said}\nalice: ok"


def test_a_long_lowercase_turn_is_cut_at_sentence_ends(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="annotate")
    text = _chat()
    segs = split_passages(text, name="long.txt")
    texts = [text[s.start : s.end] for s in segs]
    assert len(texts) > 3
    for t in texts[1:-1]:  # bob's passages: each ends a sentence, none is cut inside one
        assert t.endswith(THREAT), t[-60:]
    assert "cutting" not in " ".join(r.getMessage() for r in caplog.records)


def test_prose_without_turns_too() -> None:
    text = " ".join(f"line {i} of it all {THREAT}" for i in range(60))
    segs = split_passages(text, max_chars=300, min_chars=0, turns=False)
    assert all(text[s.start : s.end].endswith(THREAT) for s in segs)


@pytest.mark.parametrize(
    "kept",
    [
        "we saw it e.g. the old base",
        "they sent approx. five men",
        "the U.S. troops left",
        "it was j. smith who said it",
        "see the list etc. and more",
        "it cost 3.5 dollars",
        "a 6 ft. wall",
    ],
)
def test_abbreviations_end_no_sentence(kept: str) -> None:
    text = f"start. {kept} there."
    got = [text[s.start : s.end] for s in loose_sentences(text, Segment(0, len(text)))]
    assert got == ["start.", f"{kept} there."]


def test_a_paragraph_whose_sentences_fit_is_split_as_before() -> None:
    """The looser rule reads only a sentence longer than a passage: where every sentence
    fits, a lowercase sentence end is no cut (the passages, and their ids, stay). Read
    everywhere, it would pack "Xx. Aaaa bbbb." into the first passage."""
    text = "Xx. Aaaa bbbb. cc dd ee ff."
    segs = split_passages(text, max_chars=25, min_chars=0, turns=False)
    assert [text[s.start : s.end] for s in segs] == ["Xx.", "Aaaa bbbb. cc dd ee ff."]
