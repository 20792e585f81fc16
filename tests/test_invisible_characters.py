"""Invisible characters inside a word (a zero-width space, a soft hyphen, a word joiner:
a filter-evasion trick) do not turn off the rule-based readings: the threat grammar
reads "I will k\\u200bill you" as it reads "I will kill you" and its range is the
original text's (passB50 Q1), sentence boundaries are read through them, and the
graphic-terms backstop matches "dis\\u00admembered"."""

from __future__ import annotations

import sys
import unicodedata

import numpy as np
import pytest

from annotate._util.invisible import INVISIBLE_RE, Visible
from annotate.classifier.features import sentence_ranges
from annotate.classifier.threat_grammar import threat_sentences, with_threat_floor
from annotate.review.graphic_terms import graphic_term

# zero-width space, soft hyphen, zero-width non-joiner and joiner, word joiner,
# byte-order mark (zero-width no-break space), left-to-right mark, variation selector 16
INVISIBLE = ["\u200b", "\u00ad", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\ufe0f"]

# threats the rule alone catches in the default model (passB50 Q1's passages)
THREATS = [
    ("I will k{z}ill y{z}ou tomorrow at your house, I know where you live.", "k{z}ill"),
    ("you're d{z}ead 🔪🔪 see you after school 💀", "d{z}ead"),
    (
        "Nice family you've got. It would be a shame if something hap{z}pened to your "
        "daugh{z}ter on her way home.",
        "hap{z}pened",
    ),
]


@pytest.mark.parametrize("z", INVISIBLE, ids=lambda z: f"U+{ord(z):04X}")
@pytest.mark.parametrize(("template", "word"), THREATS, ids=["kill", "dead", "shame"])
def test_threat_grammar_reads_through_invisible_characters(z: str, template: str, word: str):
    plain = template.format(z="")
    text = template.format(z=z)
    want = threat_sentences(plain)
    assert want, "the plain threat is read (the premise)"
    got = threat_sentences(text)
    assert len(got) == len(want)
    for (a, b), (pa, pb) in zip(got, want, strict=True):
        # the range is the original text's: the same visible characters, exactly
        assert text[a:b].replace(z, "") == plain[pa:pb]
        assert text[a] != z and text[b - 1] != z
    assert any(a <= text.index(word.format(z=z)) < b for a, b in got)


def test_threat_ranges_exact_with_invisible_edges():
    text = "\u200b\u200bOk then.\u00ad I will k\u200bill you\u200b.\u2060\u200b Bye now."
    ((a, b),) = threat_sentences(text)
    assert text[a:b] == "I will k\u200bill you\u200b."
    assert (a, b) == (12, 12 + len("I will k\u200bill you\u200b."))


def test_threat_floor_and_span_through_invisible_characters():
    """with_threat_floor (what prelabel calls) raises the score and returns the range."""
    text = "you're de\u00adad 🔪🔪 see you after school 💀"
    probs = np.zeros((1, 2))
    out, hits = with_threat_floor(probs, 1, [text], 0.5)
    assert out[0, 1] >= 0.5
    assert hits == [[(0, len(text))]]


def test_sentence_ranges_read_through_invisible_characters():
    # an abbreviation's stop goes on past an invisible character, as past none
    text = "Mr.\u200b Smith came. He left\u200b."
    assert [text[a:b] for a, b in sentence_ranges(text)] == [
        "Mr.\u200b Smith came.",
        "He left\u200b.",
    ]
    # no range starts or ends with one
    text = "\ufeff\u200bHello there.\u200b Bye now\u00ad"
    assert [text[a:b] for a, b in sentence_ranges(text)] == ["Hello there.", "Bye now"]


@pytest.mark.parametrize("z", INVISIBLE, ids=lambda z: f"U+{ord(z):04X}")
def test_graphic_terms_read_through_invisible_characters(z: str):
    assert graphic_term(f"Bodies were dis{z}membered and left there.") == "dismembered"
    assert graphic_term(f"a pool of{z} blood", ["pool of blood"]) == "pool of blood"
    assert graphic_term(f"soaked in blo{z}od") == "soaked in blood"
    assert graphic_term("a pool of water", [f"pool{z} of blood"]) is None
    assert graphic_term("a pool of blood", [f"pool of blo{z}od"]) == "pool of blood"


def test_visible_maps_back():
    v = Visible("ab\u200bc\u00ad\u00add")
    assert v.changed and v.text == "abcd"
    assert v.original(0, 4) == (0, 7)
    assert v.original(2, 3) == (3, 4)
    assert v.original(3, 3) == (6, 6)
    plain = Visible("abcd")
    assert not plain.changed and plain.original(1, 3) == (1, 3)


def test_every_format_character_is_invisible():
    """All of the running Python's category-Cf characters (and the variation selectors)
    are removed: a newer Unicode table adding one fails here, not in a user's data."""
    missing = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf" and not INVISIBLE_RE.match(chr(c))
    ]
    assert missing == []
    for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), 0x034F]:
        assert INVISIBLE_RE.match(chr(c))
    # nothing visible, no white space
    for c in "aZ09 \t\n.,'’-\u00a0😀🔪":
        assert not INVISIBLE_RE.match(c)
