"""Resolving several reviewers into one label: majority votes, ties, pseudonyms.

- categories: a category is in the resolved label when more than half of the reviewers
  chose it. ``tie`` is set when a category got exactly half of the votes, or when no
  category got a majority at all (the passage then needs an adjudicator).
- severity: the most frequent severity; on a tie, the highest of the tied levels.
- spans: an evidence span (start, end, label) is kept when more than half of the
  reviewers marked exactly it.
- reviewers are pseudonymous: a short salted hash of the Label Studio user id.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewedSpan:
    """A reviewer's evidence span: character offsets into the passage, label, text.
    (The classifier's predicted span is :class:`annotate.classifier.base.Span`.)"""

    start: int
    end: int
    label: str
    text: str

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "label": self.label, "text": self.text}


@dataclass(frozen=True)
class Resolved:
    labels: list[str]
    tie: bool
    severity: str
    spans: list[ReviewedSpan]


def pseudonym(user_id: object, salt: str) -> str:
    """A stable, non-reversible reviewer id (``r-`` + 10 hex digits)."""
    digest = hashlib.sha256(f"{salt}\x00{user_id}".encode()).hexdigest()
    return f"r-{digest[:10]}"


def resolve_categories(
    votes: Sequence[Sequence[str]], order: Sequence[str]
) -> tuple[list[str], bool]:
    """Majority categories (in taxonomy ``order``) and whether the vote was tied/undecided."""
    n = len(votes)
    if n == 0:
        return [], False
    counts = Counter(label for vote in votes for label in set(vote))
    labels = [label for label in order if 2 * counts[label] > n]
    tie = any(2 * c == n for c in counts.values()) or not labels
    return labels, tie


def resolve_severity(votes: Sequence[str], levels: Sequence[str]) -> str:
    """The most frequent non-empty severity; the highest level among tied ones; "" if none."""
    given = [v for v in votes if v]
    if not given:
        return ""
    counts = Counter(given)
    top = max(counts.values())
    tied = [v for v, c in counts.items() if c == top]
    rank = {name: i for i, name in enumerate(levels)}
    return max(tied, key=lambda v: rank.get(v, -1))


def resolve_spans(votes: Sequence[Sequence[ReviewedSpan]]) -> list[ReviewedSpan]:
    """Spans marked identically by more than half of the reviewers, by position."""
    n = len(votes)
    counts = Counter(span for vote in votes for span in set(vote))
    return sorted(
        (s for s, c in counts.items() if 2 * c > n), key=lambda s: (s.start, s.end, s.label)
    )


def resolve(
    categories: Sequence[Sequence[str]],
    severities: Sequence[str],
    spans: Sequence[Sequence[ReviewedSpan]],
    *,
    category_order: Sequence[str],
    severity_levels: Sequence[str],
) -> Resolved:
    labels, tie = resolve_categories(categories, category_order)
    return Resolved(
        labels=labels,
        tie=tie,
        severity=resolve_severity(severities, severity_levels),
        spans=resolve_spans(spans),
    )
