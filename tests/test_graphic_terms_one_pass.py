"""graphic_term reads a text for all terms at once first (one regex: push checks every
passage with it, benchmarks/README.md "Push"), and must still answer as reading the terms
one by one in list order does: the same term, spelt as the text has it, or None. The
reference below is that one-by-one reading, as graphic_terms.py had it before."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from annotate._util.invisible import without_invisible
from annotate.review.graphic_terms import DEFAULT_HIDE_TERMS, graphic_term


def one_by_one(text: str, terms: tuple[str, ...]) -> str | None:
    text = without_invisible(text)
    for term in terms:
        if not term.strip():
            continue
        words = without_invisible(term).strip().lower().split()
        parts = [re.escape(w[:-1]) + r"[\w'-]*" if w.endswith("*") else re.escape(w) for w in words]
        rx = re.compile(r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w-])", re.IGNORECASE)
        found = rx.search(text)
        if found:
            return " ".join(found.group(0).split())
    return None


# pieces of the default terms, their neighbours in words and the characters that decide a
# match: word boundaries, hyphens, apostrophes, spaces, case, invisible characters
PIECES = sorted({w.strip("*") for t in DEFAULT_HIDE_TERMS for w in t.split()})
GLUE = [" ", "  ", "\n", "-", "'", "s", "ed", "x", "\u200b", "\u00ad", ".", ",", "\u0130", "K"]
TEXTS = st.tuples(
    st.sampled_from(["", " "]),
    st.lists(
        st.one_of(
            st.sampled_from(PIECES),
            st.sampled_from(PIECES).map(str.upper),
            st.sampled_from(GLUE),
            st.text(max_size=4),
        ),
        max_size=14,
    ),
).map(lambda sep_parts: sep_parts[0].join(sep_parts[1]))
TERMS = st.one_of(
    st.just(DEFAULT_HIDE_TERMS),
    st.lists(
        st.one_of(
            st.sampled_from(DEFAULT_HIDE_TERMS),
            st.lists(st.sampled_from([*PIECES, "a*", "x", "\u200b", " "]), max_size=3).map(
                " ".join
            ),
            st.text(max_size=6),
        ),
        max_size=6,
    ).map(tuple),
)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, terms=TERMS)
def test_graphic_term_answers_as_reading_the_terms_one_by_one(text, terms):
    assert graphic_term(text, terms) == one_by_one(text, terms)


def test_the_first_term_in_list_order_not_the_first_in_the_text():
    text = "Limbs lay on the road; the body was dismembered."
    assert graphic_term(text) == one_by_one(text, DEFAULT_HIDE_TERMS) == "dismembered"
    assert graphic_term("a quiet council meeting") is None
    assert graphic_term("dis\u200bmembered", ()) is None
