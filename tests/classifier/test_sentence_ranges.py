"""The sentences of the evidence-span candidates (annotate.classifier.features.
sentence_ranges, candidate_segments): a full stop inside an e-mail address, a URL, a
domain or a number, or after an initial or an abbreviation, ends no sentence (issue 8,
stop 48 new-user pass: 'office@city.' and 'gov.' quoted_propaganda spans). Texts written
for the project."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.classifier.features import SENTENCE_RE, candidate_segments, sentence_ranges
from annotate.classifier.threat_grammar import threat_sentences


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_ranges(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the new-user pass's passage: an address, then the quoted message
        (
            "Prosecutors said he wrote to the mayor at mayor.office@city.gov. The email "
            "read: you will die tomorrow. He was charged with making threats.",
            [
                "Prosecutors said he wrote to the mayor at mayor.office@city.gov.",
                "The email read: you will die tomorrow.",
                "He was charged with making threats.",
            ],
        ),
        # URLs (a "?" inside one too) and a bare domain; the stop after them ends
        (
            "See https://www.example.com/a.html. Then open http://a.example/c?d=e.f now. "
            "It is on bbc.co.uk too.",
            [
                "See https://www.example.com/a.html.",
                "Then open http://a.example/c?d=e.f now.",
                "It is on bbc.co.uk too.",
            ],
        ),
        # numbers
        (
            "Prices rose 2.5 percent. He had 1.5 litres and a 6.5mm rifle. Call 555.0199. "
            "See No. 5 and fig. 2 for it.",
            [
                "Prices rose 2.5 percent.",
                "He had 1.5 litres and a 6.5mm rifle.",
                "Call 555.0199.",
                "See No. 5 and fig. 2 for it.",
            ],
        ),
        # titles, initials, initialisms, Latin abbreviations
        (
            "Mr. Smith met U.S. officials, e.g. the envoy. Dr. Jones and J. R. Hartley "
            "came. MR. DEAN: Nothing further. The U.S.A. is big.",
            [
                "Mr. Smith met U.S. officials, e.g. the envoy.",
                "Dr. Jones and J. R. Hartley came.",
                "MR. DEAN: Nothing further.",
                "The U.S.A. is big.",
            ],
        ),
        # abbreviations that can end a sentence end it before a capital
        (
            "Knives, bats etc. and worse. They came at 5 p.m. Police left. So did I. Then "
            "nothing. Bring guns, knives etc. The rest stays.",
            [
                "Knives, bats etc. and worse.",
                "They came at 5 p.m.",
                "Police left.",
                "So did I.",
                "Then nothing.",
                "Bring guns, knives etc.",
                "The rest stays.",
            ],
        ),
        # still sentence ends: a stop before a capital with no space, lower-case chat, "!"
        # "?", an ellipsis, a newline after an abbreviation
        (
            "was going on.Its shocking. i am scared. i said no. he said i will kill you! "
            "why? well... ok. Mr.\nSmith",
            [
                "was going on.",
                "Its shocking.",
                "i am scared.",
                "i said no.",
                "he said i will kill you!",
                "why?",
                "well...",
                "ok.",
                "Mr.",
                "Smith",
            ],
        ),
    ],
)
def test_sentences_are_not_cut_inside_addresses_numbers_and_abbreviations(
    text: str, expected: list[str]
) -> None:
    assert _sentences(text) == expected


def test_the_new_user_passage_has_no_address_fragment_among_its_span_candidates() -> None:
    text = (
        "Prosecutors said he wrote to the mayor at mayor.office@city.gov. The email read: "
        "you will die tomorrow. He was charged with making threats."
    )
    candidates = [text[a:b] for a, b, _ in candidate_segments(text)]
    assert "office@city." not in candidates and "gov." not in candidates
    assert "The email read: you will die tomorrow." in candidates


def test_the_threat_grammar_reads_a_sentence_with_a_title_whole() -> None:
    """The threat grammar's sentences are these: its threat span is the whole sentence,
    not the part after "Mr."."""
    text = "Listen Mr. Okafor, I will burn your shop down tonight."
    assert [text[a:b] for a, b in threat_sentences(text)] == [text]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


@given(st.text(alphabet=st.sampled_from(list("aZ1 .!?@:/w\n\"'")), max_size=80))
@settings(max_examples=1000, deadline=None)
def test_sentences_are_whole_regex_sentences_joined(text: str) -> None:
    """Each range is a run of consecutive SENTENCE_RE sentences, whitespace stripped, the
    runs in order: the rule only joins sentences, never cuts anew, and offsets stay
    exact characters of the text."""
    matches = [m.span() for m in SENTENCE_RE.finditer(text)]
    i = 0
    for a, b in sentence_ranges(text):
        assert text[a:b] == text[a:b].strip() and b - a >= 3
        found = None
        for first in range(i, len(matches)):
            for last in range(first, len(matches)):
                if _strip(text, matches[first][0], matches[last][1]) == (a, b):
                    found = last
                    break
            if found is not None:
                break
        assert found is not None, (text, a, b)
        i = found + 1


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000 + "@",
        "a." * 50_000 + "://",
        "a.a@" * 25_000,
        "www.a" * 20_000,
        "A." * 50_000,
        "Mr. " * 25_000,
        "e.g. " * 20_000,
        ("a" * 60 + ".") * 1_600,
    ],
)
def test_long_texts_are_read_in_linear_time(text: str) -> None:
    t0 = time.perf_counter()
    sentence_ranges(text)
    assert time.perf_counter() - t0 < 5  # ~0.2 s here; a rescan per character takes minutes


def test_offsets_stay_exact_with_unicode_and_crlf() -> None:
    text = "Café owner Mr. Ünal said:\r\n“We’ll see.” It cost €2.50. ok then"
    for a, b in sentence_ranges(text):
        assert re.sub(r"\s", "", text[a:b]) == text[a:b].replace(" ", "").replace("\r", "")
    assert _sentences(text) == [
        "Café owner Mr. Ünal said:",
        "“We’ll see.”",
        "It cost €2.50.",
        "ok then",
    ]
