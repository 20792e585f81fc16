"""Agreement between reviewers on evidence spans: pairwise F1, exact and overlap match.

For span annotation the number of "negative" units (spans nobody marked) is undefined,
so chance-corrected kappa is ill-defined; the standard measure is the F-measure between
two annotators, one taken as the reference (it is symmetric, so which one does not
matter): F1 = 2·matched / (spans of A + spans of B), the positive specific agreement
(Hripcsak G, Rothschild AS. Agreement, the F-measure, and reliability in information
retrieval. J Am Med Inform Assoc. 2005;12(3):296-298, doi:10.1197/jamia.M1733).

Computed over the exported rows (see :mod:`annotate.corpus.export`): for every passage
answered by two reviewers or more, every pair of its reviewers and every span label,
the two reviewers' spans of that label (``annotations[].spans``: ``start``/``end`` code
point offsets, ``label``) are matched one to one:

- **exact**: the same label and the same ``start`` and ``end``;
- **overlap**: the same label and at least one character in common (the lenient match
  of span-annotation agreement studies); pairs taken by largest overlap first.

Counts are summed over passages and pairs before dividing (micro-averaged), per span
label and over all labels. A (passage, pair, label) where neither reviewer marked a span
of that label is not counted: both said "no evidence of this kind here", which F1 cannot
score (it has no true negatives), so a label nobody marked has no figure (None), never a
made-up 1.0. The lead's adjudication answers are not a reviewer's and are left out.

Span-matching libraries (seqeval, nervaluate) score token tag sequences or a prediction
against a gold list with their own partial-credit rules; this one-to-one character
match over pairs of reviewers is small enough to keep here, tested.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

Span = tuple[int, int]
RULES = ("exact", "overlap")
EXACT_RULE = "exact: same label, same start and end"
OVERLAP_RULE = "overlap: same label, at least one character in common, matched one to one"


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matched(a: Sequence[Span], b: Sequence[Span], rule: str) -> int:
    """How many spans of ``a`` match a span of ``b`` one to one under ``rule``
    (``"exact"`` or ``"overlap"``, see the module docstring); symmetric in ``a``, ``b``.

    Raises ValueError for another rule."""
    if rule == "exact":
        left = list(b)
        hits = 0
        for s in a:
            if s in left:
                left.remove(s)
                hits += 1
        return hits
    if rule != "overlap":
        raise ValueError(f"rule is one of {RULES}, found {rule!r}")
    pairs = sorted(
        (-_overlap(s, t), i, j)
        for i, s in enumerate(a)
        for j, t in enumerate(b)
        if _overlap(s, t) > 0
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def _f1(hits: int, total: int) -> float | None:
    return round(2 * hits / total, 4) if total else None


class _Tally:
    """Counts behind one figure: passages, (passage, pair) units, spans, matches."""

    def __init__(self) -> None:
        self.units: set[tuple[str, str, str]] = set()  # (passage, reviewer, reviewer)
        self.spans = 0  # spans of both reviewers of every counted unit, summed
        self.hits = dict.fromkeys(RULES, 0)

    def add(self, unit: tuple[str, str, str], spans: int, hits: dict[str, int]) -> None:
        """One (passage, pair) unit of a label: ``spans`` both reviewers marked, ``hits``
        per rule (:func:`matched`)."""
        self.units.add(unit)
        self.spans += spans
        for rule in RULES:
            self.hits[rule] += hits[rule]

    def as_dict(self) -> dict[str, Any]:
        return {
            "f1_exact": _f1(self.hits["exact"], self.spans),
            "f1_overlap": _f1(self.hits["overlap"], self.spans),
            "n_passages": len({u[0] for u in self.units}),
            "n_pairs": len(self.units),
            "n_spans": self.spans,
            "matched_exact": self.hits["exact"],
            "matched_overlap": self.hits["overlap"],
        }


def _by_label(answer: dict[str, Any]) -> dict[str, list[Span]]:
    """An answer's spans as ``{label: [(start, end)]}``."""
    out: dict[str, list[Span]] = {}
    for s in answer.get("spans") or []:
        out.setdefault(str(s.get("label")), []).append((int(s["start"]), int(s["end"])))
    return out


def span_agreement(rows: Iterable[dict[str, Any]], labels: Sequence[str]) -> dict[str, Any]:
    """Pairwise F1 between reviewers of the same passage, per span label and overall.

    ``rows``: exported corpus rows (``id``, ``annotations`` with ``reviewer`` and
    ``spans``); ``labels``: the taxonomy's span labels (a label found in the rows but not
    listed is counted too, after them). Shape: ``{"labels": {label: figure}, "overall":
    figure, "pairs": [{"reviewers": [a, b], **figure}], "rules": {...}, "note": str}``
    where a figure is ``{"f1_exact", "f1_overlap"`` (in [0, 1], None when nothing was
    counted), ``"n_passages"`` (passages with a counted pair), ``"n_pairs"`` ((passage,
    reviewer pair) units counted), ``"n_spans"``, ``"matched_exact"``,
    ``"matched_overlap"}``. ``overall`` sums every label's counts (a passage and pair
    count once however many labels they have); ``pairs``: per reviewer pair, over all
    labels. Never raises on well-formed rows.
    """
    found = list(labels)
    per_label: dict[str, _Tally] = {}
    overall = _Tally()
    per_pair: dict[tuple[str, str], _Tally] = {}
    for row in rows:
        answers = [a for a in row.get("annotations") or [] if a.get("reviewer")]
        if len(answers) < 2:
            continue
        passage = str(row.get("id"))
        spans = {id(a): _by_label(a) for a in answers}
        for a, b in combinations(sorted(answers, key=lambda x: x["reviewer"]), 2):
            names = (a["reviewer"], b["reviewer"])
            of_a, of_b = spans[id(a)], spans[id(b)]
            # a label neither of the two marked here is not counted (module doc)
            for label in sorted({*of_a, *of_b}):
                if label not in found:
                    found.append(label)
                sa, sb = of_a.get(label, []), of_b.get(label, [])
                unit = (passage, names[0], names[1])
                hits = {rule: matched(sa, sb, rule) for rule in RULES}
                for tally in (
                    per_label.setdefault(label, _Tally()),
                    per_pair.setdefault(names, _Tally()),
                    overall,
                ):
                    tally.add(unit, len(sa) + len(sb), hits)
    return {
        "labels": {
            label: (per_label[label] if label in per_label else _Tally()).as_dict()
            for label in found
        },
        "overall": overall.as_dict(),
        "pairs": [
            {"reviewers": list(names), **tally.as_dict()}
            for names, tally in sorted(per_pair.items())
        ],
        "rules": {"exact": EXACT_RULE, "overlap": OVERLAP_RULE},
        "note": (
            "pairwise F1 between two reviewers of the same passage (Hripcsak & Rothschild "
            "2005); a passage where neither reviewer of a pair marked a span of a label is "
            "not counted for that label"
        ),
    }
