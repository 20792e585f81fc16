"""Resolving several reviewers into one label: majority votes, ties, pseudonyms.

- categories: a category is in the resolved label when more than half of the reviewers
  chose it. ``tie`` is set when a category got exactly half of the votes, or when no
  category got a majority at all (the passage then needs an adjudicator).
- severity: the level chosen by more than half of the reviewers who gave one (an answer
  without a severity does not vote on it). When no level has such a majority (high vs
  critical from two reviewers, or three different levels) the severity is tied too: the
  row is ``tie`` like a category tie and needs an adjudicator; its severity is, until
  then, the most frequent level and the highest of the tied ones.
- an answer with no category (Label Studio's API and imports accept one although the
  labeling config marks the categories required) is *incomplete*: it does not vote on
  the categories (its severity still votes). A passage whose every answer is incomplete
  is no tie: its resolution is ``incomplete`` and it has no category (training leaves it
  out); export counts such answers apart (manifest ``incomplete_answers``).
- :func:`resolution` (``unanimous``, ``majority``, ``tie``, ``incomplete``) and
  :func:`disputed` (the passages ``annotate adjudicate`` sends to a lead: every ``tie``,
  and majorities over differing category sets or severities two levels apart) are the
  one rule that ``annotate export`` and ``annotate adjudicate`` both apply.
- categories not offered: an answer made under an older labels.yaml whose labeling
  config did not offer a category (``harassment`` added in 1.1.0; the export manifest's
  ``labels_not_offered``) neither chose nor declined it: it does not vote on that
  category (its forced "no" is not counted), only the answers offered it do (more than
  half of them, exactly half a tie). A passage none of whose answers was offered the
  category is undecided on it, no tie (a lead's queue cannot help: push the passage
  again to have it reviewed for it); :func:`annotate.corpus.offered.row_not_offered`
  reads such categories back from an export. ``unoffered`` (per answer, the categories
  its config did not offer; :func:`unoffered_of`) carries this; None: every answer was
  offered every category.
- spans: an evidence span (start, end, label) is kept when more than half of the
  reviewers marked exactly it.
- reviewers are pseudonymous: a short salted hash of the Label Studio user id.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


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
    tie: bool  # the vote did not decide the categories, or the severity (see module doc)
    severity: str
    spans: list[ReviewedSpan]


def pseudonym(user_id: object, salt: str) -> str:
    """A stable, non-reversible reviewer id (``r-`` + 10 hex digits)."""
    digest = hashlib.sha256(f"{salt}\x00{user_id}".encode()).hexdigest()
    return f"r-{digest[:10]}"


INCOMPLETE = "incomplete"  # the resolution of a passage none of whose answers has a category
# the resolution of a passage of one answer (with a category): nobody agreed with anybody.
# Exports before 6 Dec 2026 gave such a passage ``unanimous`` (with ``n_reviewers`` 1)
SINGLE = "single"


def complete(votes: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """The category votes of the answers that chose a category (the others are
    incomplete and do not vote on the categories)."""
    return [vote for vote in votes if vote]


# labels.yaml version of answers -> the categories their labeling config did not offer
# (the export manifest's ``labels_not_offered``)
NotOffered = Mapping[str, Collection[str]]
# per answer, the categories its labeling config did not offer (None: all offered)
Unoffered = Sequence[Collection[str]] | None


def unoffered_of(answers: Sequence[Mapping[str, Any]], not_offered: NotOffered | None) -> Unoffered:
    """Per answer (a row's ``annotations`` items, read by ``taxonomy_version``), the
    categories its labeling config did not offer; None when ``not_offered`` (labels.yaml
    version -> categories, the manifest's ``labels_not_offered``) lists none of them. A
    category the answer chose was offered it, whatever its version says (reader58b F3: a
    clock ahead of Label Studio's stamps answers made just after a change as older)."""
    if not not_offered:
        return None
    gaps = [
        frozenset(not_offered.get(str(a.get("taxonomy_version")), ()))
        - set(a.get("categories") or ())
        for a in answers
    ]
    return gaps if any(gaps) else None


def _ballots(
    votes: Sequence[Sequence[str]], unoffered: Unoffered
) -> list[tuple[set[str], Collection[str]]]:
    """(categories chosen, categories not offered) of each answer that chose a category
    (one it chose was offered it, whatever ``unoffered`` says)."""
    gaps: Sequence[Collection[str]] = [()] * len(votes) if unoffered is None else unoffered
    if len(gaps) != len(votes):
        raise ValueError(f"{len(votes)} votes but {len(gaps)} unoffered sets")
    return [(set(v), set(g) - set(v)) for v, g in zip(votes, gaps, strict=True) if v]


def _tally(
    ballots: Sequence[tuple[set[str], Collection[str]]], categories: Collection[str]
) -> dict[str, tuple[int, int]]:
    """Category -> (answers offered it that chose it, answers offered it)."""
    return {
        c: (
            sum(c in chosen for chosen, gap in ballots if c not in gap),
            sum(c not in gap for _, gap in ballots),
        )
        for c in categories
    }


def resolve_categories(
    votes: Sequence[Sequence[str]], order: Sequence[str], *, unoffered: Unoffered = None
) -> tuple[list[str], bool]:
    """Majority categories (in taxonomy ``order``) and whether the vote was tied/undecided.
    An answer with no category does not vote; none with one: no category, no tie. A
    category is chosen by more than half of the answers offered it (``unoffered``: per
    answer, the categories its config did not offer; see the module doc)."""
    ballots = _ballots(votes, unoffered)
    if not ballots:
        return [], False
    tally = _tally(ballots, order)
    labels = [label for label in order if 2 * tally[label][0] > tally[label][1]]
    tie = bool(undecided_categories(votes, unoffered=unoffered)) or not labels
    return labels, tie


def undecided_categories(
    votes: Sequence[Sequence[str]], *, unoffered: Unoffered = None
) -> set[str]:
    """The categories exactly half of the answers offered them chose: the vote decided
    neither for nor against them (a tie on them). A tied passage's resolved categories
    leave them out, although they are no decided "no" either. Answers with no category do
    not vote, nor do answers whose config did not offer the category (``unoffered``)."""
    ballots = _ballots(votes, unoffered)
    chosen = {c for vote, gap in ballots for c in vote if c not in gap}
    return {c for c, (yes, asked) in _tally(ballots, chosen).items() if 2 * yes == asked}


def agree_where_offered(votes: Sequence[Sequence[str]], *, unoffered: Unoffered = None) -> bool:
    """Whether the answers that chose a category agree on every category each pair of
    them was offered (``unoffered``: per answer, the categories its config did not
    offer; None: whether they chose the same category sets)."""
    return _agree_ballots(_ballots(votes, unoffered))


def _agree_ballots(ballots: Sequence[tuple[set[str], Collection[str]]]) -> bool:
    """Whether the answers agree on every category: those offered it all chose it or
    all left it (an answer not offered a category does not differ from the others on it;
    without such answers: the same category sets)."""
    chosen = {c for vote, _ in ballots for c in vote}
    return all(len({c in vote for vote, gap in ballots if c not in gap}) <= 1 for c in chosen)


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


def severity_tie(votes: Sequence[str]) -> bool:
    """Whether the given (non-empty) severities have no level chosen by more than half."""
    given = [v for v in votes if v]
    return bool(given) and 2 * max(Counter(given).values()) <= len(given)


def resolution(
    categories: Sequence[Sequence[str]],
    severities: Sequence[str],
    *,
    category_order: Sequence[str],
    unoffered: Unoffered = None,
) -> str:
    """How the vote of the answers (``categories[i]``, ``severities[i]``) resolved:
    ``unanimous`` (the same category set from everyone, two answers or more that chose a
    category, and the same severity from every one of them that gave one: two or more, or
    none), :data:`SINGLE` (one answer chose a category: no vote, nothing
    to agree on, whether or not others answered without one), ``tie`` (no majority for the
    categories or for the severity: a lead must decide), ``majority``, or
    :data:`INCOMPLETE` (no answer chose a category). Answers without a category do not
    vote on the categories, and do not count toward unanimity (break4 B5): ``unanimous``
    compares the category sets and severities of the answers that chose a category only
    (an answer without one beside them, with another severity, left two agreeing answers
    ``majority``); their severity still votes on the row's severity (a tie among the
    votes is a ``tie``). ``unoffered``: per answer, the categories its config did not
    offer: answers agree when they agree on every category they were both offered."""
    if categories and not complete(categories):
        return INCOMPLETE
    if len(categories) == 1 or len(complete(categories)) == 1:
        return SINGLE
    agree = _agree_ballots(_ballots(categories, unoffered))
    # an answer without a severity (or one read as none given: it contradicted its
    # categories) does not vote on it (passI53 I7); a severity from one answer alone is
    # no agreement, so it leaves the vote ``majority`` as before
    graded = [s for c, s in zip(categories, severities, strict=False) if c and s]
    if agree and len(set(graded)) <= 1 and len(graded) != 1:
        return "unanimous"
    _, tie = resolve_categories(categories, category_order, unoffered=unoffered)
    return "tie" if tie or severity_tie(severities) else "majority"


def disputed(
    categories: Sequence[Sequence[str]],
    severities: Sequence[str],
    *,
    category_order: Sequence[str],
    severity_levels: Sequence[str],
    unoffered: Unoffered = None,
) -> bool:
    """Whether two answers or more need a lead: the vote is a :func:`resolution` ``tie``,
    or a majority over category sets that differ (on a category both answers were
    offered: ``unoffered``) or severities two levels apart or more."""
    if len(categories) < 2:
        return False
    kind = resolution(categories, severities, category_order=category_order, unoffered=unoffered)
    if kind != "majority":
        return kind == "tie"
    if not _agree_ballots(_ballots(categories, unoffered)):
        return True
    rank = {name: i for i, name in enumerate(severity_levels)}
    levels = [rank[s] for s in severities if s in rank]
    return len(levels) >= 2 and max(levels) - min(levels) >= 2


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
    unoffered: Unoffered = None,
) -> Resolved:
    """The passage's resolved label (module doc); ``unoffered``: per answer, the
    categories its labeling config did not offer (they do not vote on them)."""
    labels, tie = resolve_categories(categories, category_order, unoffered=unoffered)
    return Resolved(
        labels=labels,
        # a passage no answer gave a category is incomplete, not tied (see module doc);
        # nor is one only one answer gave a category (resolution SINGLE, break4 B5: no
        # vote, nothing disputed): its severity beside an answer without a category was
        # a "tie" no lead was ever sent
        tie=len(complete(categories)) >= 2 and (tie or severity_tie(severities)),
        severity=resolve_severity(severities, severity_levels),
        spans=resolve_spans(spans),
    )


def tied_categories(row: Mapping[str, Any], not_offered: NotOffered | None = None) -> set[str]:
    """The categories an exported row's reviewers split on evenly (chosen by exactly half
    of its ``annotations`` offered them: ``not_offered``, the manifest's
    ``labels_not_offered``) while the row is a tie no lead has decided: its resolved
    ``labels`` leave them out, but the vote did not decide against them either. Empty
    for a row that is no tie, or that a lead adjudicated (the lead's answer decides)."""
    if not row.get("label_tie") or row.get("resolution") == "adjudicated":
        return set()
    answers = row.get("annotations") or []
    votes = [a.get("categories") or [] for a in answers]
    return (
        undecided_categories(votes, unoffered=unoffered_of(answers, not_offered))
        if votes
        else set()
    )


def tied_spans(row: Mapping[str, Any]) -> set[tuple[int, int, str]]:
    """The evidence spans (start, end, label) an exported row's reviewers split on evenly
    (marked by exactly half of its ``annotations``) while the row is a tie no lead has
    decided: its resolved ``spans`` leave them out (no majority), but the vote did not
    decide against them either. Empty for a row that is no tie, or that a lead
    adjudicated (like :func:`tied_categories`)."""
    if not row.get("label_tie") or row.get("resolution") == "adjudicated":
        return set()
    votes = row.get("annotations") or []
    counts: Counter[tuple[int, int, str]] = Counter()
    for a in votes:
        counts.update(
            {
                (int(s["start"]), int(s["end"]), str(s["label"]))
                for s in a.get("spans") or []
                if isinstance(s, Mapping)
                and s.get("start") is not None
                and s.get("end") is not None
            }
        )
    return {span for span, c in counts.items() if 2 * c == len(votes)}
