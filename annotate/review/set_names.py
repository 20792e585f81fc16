"""Whether a new review set's name is a slip of an existing one's: ``Batch Dec-3`` beside
``Batch Dec-03`` made new queues, and the passages were reviewed again. A push refuses
such a name unless told it is a new set (``annotate push -k K --new-set``)."""

from __future__ import annotations

import difflib
import re

# how alike the words of two names with the same numbers must be: a transposition
# ("Bacth Dec" / "Batch Dec") is 0.89, another month ("Nov" / "Dec") 0.67
WORDS_CUTOFF = 0.85
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def _parts(name: str) -> tuple[tuple[int, ...], str]:
    """(the numbers of ``name``, by value; its words, lower case, one space apart)."""
    tokens = _TOKEN.findall(name.casefold())
    numbers = tuple(int(t) for t in tokens if t.isdigit())
    words = " ".join(t for t in tokens if not t.isdigit())
    return numbers, words


def close_set_names(name: str, existing: list[str]) -> list[str]:
    """The names of ``existing`` (review sets) that ``name`` is likely a slip of: the
    same numbers by value (``03`` is ``3``) and words alike, ignoring case, spaces and
    punctuation. Names whose numbers differ (``Batch 12``, ``Batch 13``: the next batch)
    are never close. Sorted, closest first; ``name`` itself is left out."""
    numbers, words = _parts(name)
    scored: list[tuple[float, str]] = []
    for other in existing:
        if other == name:
            continue
        other_numbers, other_words = _parts(other)
        if other_numbers != numbers:
            continue
        ratio = difflib.SequenceMatcher(None, words, other_words).ratio()
        if words == other_words or ratio >= WORDS_CUTOFF:
            scored.append((-1.0 if words == other_words else -ratio, other))
    return [other for _, other in sorted(scored)]
