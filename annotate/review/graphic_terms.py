"""Graphic-injury terms: a backstop that hides a passage whatever the model scores.

The model decides most hiding (:mod:`annotate.review.exposure`), but a miss costs a
reviewer more than a false hide (a hidden passage is one click away), and a news report
the model reads as news can describe injuries in detail. A passage whose text contains
one of these terms is hidden behind its content warning too, and the warning names the
term.

No maintained library publishes a list of *graphic-injury* terms (the moderation word
lists found, e.g. general "violence" or "gore" ban lists, hold words such as *attack*,
*killed* or *blood* that every news report of violence uses), so the default list is the
project's own, written before it was measured (benchmarks/README.md, "Hiding backstop"):
descriptions of torn, burned, cut or decaying bodies, not violent events. A team sets its
own list in labels.yaml (``wellbeing.hide_terms``; an empty list turns the backstop off).

Term syntax: words separated by spaces, matched case-insensitively on word boundaries; a
word ending in ``*`` matches any word starting with it (``dismember*``: dismembered,
dismemberment). Invisible characters (a zero-width space or soft hyphen inside a word)
are ignored, in the text and in the terms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from annotate._util.invisible import without_invisible

DEFAULT_HIDE_TERMS: tuple[str, ...] = (
    "dismember*",
    "decapitat*",
    "behead*",
    "disembowel*",
    "eviscerat*",
    "mutilat*",
    "entrails",
    "intestines",
    "severed head*",
    "severed limb*",
    "severed arm*",
    "severed leg*",
    "body parts",
    "limbs",
    "torn apart",
    "ripped apart",
    "blown apart",
    "torn to pieces",
    "blown to pieces",
    "charred bod*",
    "charred remains",
    "burned alive",
    "burnt alive",
    "skin had melted",
    "skin melted",
    "melted skin",
    "skin peeling",
    "pool of blood",
    "pools of blood",
    "soaked in blood",
    "blood-soaked",
    "brain matter",
    "brains",
    "crushed skull*",
    "skull was crushed",
    "gory",
    "gruesome",
    "maggot*",
    "rotting bod*",
    "decomposing bod*",
    "bloated bod*",
    "exposed bone*",
    "bone protrud*",
    "gouged",
    "impaled",
    "flayed",
    "skinned alive",
    "throat slit",
    "slit his throat",
    "slit her throat",
    "slit their throats",
)


_BEFORE = r"(?<![\w-])"  # a term starts a word ...
_AFTER = r"(?![\w-])"  # ... and ends one


def _words(term: str) -> str:
    words = without_invisible(term).strip().lower().split()
    parts = [re.escape(w[:-1]) + r"[\w'-]*" if w.endswith("*") else re.escape(w) for w in words]
    return r"\s+".join(parts)


def _pattern(term: str) -> str:
    return _BEFORE + _words(term) + _AFTER


@lru_cache(maxsize=16)
def _compiled(terms: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    return [(t, re.compile(_pattern(t), re.IGNORECASE)) for t in terms if t.strip()]


@lru_cache(maxsize=16)
def _any_of(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern that matches a text wherever one of ``terms``' own patterns does (the
    terms as alternatives between the shared word-boundary guards; a regex alternation
    tries every alternative at each position); None for no term. A text without any term,
    nearly every text, is read once instead of once a term: ~9x faster on a push's
    passages (benchmarks/README.md, "Push")."""
    inner = [_words(t) for t in terms if t.strip()]
    if not inner:
        return None
    return re.compile(_BEFORE + "(?:" + "|".join(inner) + ")" + _AFTER, re.IGNORECASE)


def graphic_term(text: str, terms: Sequence[str] = DEFAULT_HIDE_TERMS) -> str | None:
    """The first of ``terms`` (in list order) that ``text`` contains, as the text spells
    it (e.g. ``"Dismembered"``); None when none does. Matching: see the module doc;
    invisible characters inside a word ("dis\u200bmembered") are not read."""
    text = without_invisible(text)
    anywhere = _any_of(tuple(terms))
    if anywhere is None or anywhere.search(text) is None:
        return None  # no term anywhere; else the first term in list order, below
    for _term, rx in _compiled(tuple(terms)):
        found = rx.search(text)
        if found:
            return " ".join(found.group(0).split())
    return None
