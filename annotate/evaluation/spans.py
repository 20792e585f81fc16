"""Precision and recall of predicted evidence spans against gold spans, per span label.

Two views, both model-agnostic (any classifier's ``Prediction.spans``):

- **span level** (:data:`SPAN_RULE`): a predicted span matches a gold span when both
  have the same label and their overlap covers at least half of the shorter of the two;
  each gold span matches at most one predicted span (pairs taken by largest overlap
  first). Precision = matched predicted spans / predicted spans, recall = matched gold
  spans / gold spans. This is stricter than the "partial" match of the SemEval-2013
  Task 9.1 scheme (Segura-Bedmar et al., 2013: any overlap with the right type counts)
  and looser than its "strict" match (identical boundaries), because span boundaries
  of evidence are themselves uncertain (a sentence vs the clause inside it).
- **character level** (:data:`CHARACTER_RULE`): the characters inside predicted spans of
  a label against the characters inside gold spans of that label, summed over all
  passages (micro-averaged): the per-character F1 of SemEval-2021 Task 5, Toxic Spans
  Detection (Pavlopoulos et al., 2021), which scores each post and averages; summed
  here so that passages without spans do not count as perfect.

Only passages whose gold says which spans they hold are scored (``Example.spans`` not
None; an empty list means "no evidence here", so every span predicted there is a false
positive: the "Come on you reds!" case). Passages whose gold span is the whole text (a
public dataset's label turned into a span) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

SPAN_RULE = (
    "span level: same label and overlap >= half of the shorter span, one-to-one "
    "(stricter than the SemEval-2013 Task 9.1 'partial' match, looser than its 'strict' match)"
)
CHARACTER_RULE = (
    "character level: characters inside predicted vs gold spans of the label, summed over "
    "passages (the per-character F1 of SemEval-2021 Task 5, Toxic Spans Detection, micro-averaged)"
)


class _Span(Protocol):
    start: int
    end: int
    label: str


GoldSpan = tuple[int, int, str]


@dataclass
class _Counts:
    predicted: int = 0
    gold: int = 0
    matched: int = 0  # one-to-one pairs: matched predicted spans = matched gold spans
    chars_predicted: int = 0
    chars_gold: int = 0
    chars_both: int = 0

    def row(self) -> dict[str, Any]:
        """Counts and scores; a score with nothing to divide by (no predicted spans for
        precision, no gold spans for recall) is None, not 0."""
        return {
            **_scores(self.matched, self.predicted, self.gold),
            "predicted": self.predicted,
            "gold": self.gold,
            "matched": self.matched,
            **{
                f"char_{k}": v
                for k, v in _scores(self.chars_both, self.chars_predicted, self.chars_gold).items()
            },
        }


def _scores(hits: int, predicted: int, gold: int) -> dict[str, float | None]:
    p = hits / predicted if predicted else None
    r = hits / gold if gold else None
    f = None if p is None or r is None else (2 * p * r / (p + r) if p + r else 0.0)
    return {
        k: None if v is None else round(v, 4)
        for k, v in (("precision", p), ("recall", r), ("f1", f))
    }


@dataclass
class _Tally:
    labels: dict[str, _Counts] = field(default_factory=dict)

    def __getitem__(self, label: str) -> _Counts:
        return self.labels.setdefault(label, _Counts())


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters two half-open ranges share (0 when disjoint)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matches(pred: tuple[int, int], gold: tuple[int, int]) -> bool:
    """The span-level rule: overlap >= half of the shorter span (and > 0)."""
    shared = overlap(pred, gold)
    shorter = min(pred[1] - pred[0], gold[1] - gold[0])
    return shared > 0 and 2 * shared >= shorter


def match_spans(predicted: Sequence[_Span], gold: Sequence[GoldSpan]) -> list[tuple[int, int]]:
    """One-to-one matches ``(predicted index, gold index)`` of one passage: pairs of the
    same label that satisfy :func:`matches`, largest overlap first."""
    pairs = sorted(
        (
            (-overlap((p.start, p.end), (g[0], g[1])), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
            if p.label == g[2] and matches((p.start, p.end), (g[0], g[1]))
        ),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _chars(spans: Iterable[tuple[int, int]]) -> set[int]:
    return {c for start, end in spans for c in range(start, end)}


def span_scores(
    gold: Sequence[Sequence[GoldSpan] | None], predicted: Sequence[Sequence[_Span]]
) -> dict[str, Any]:
    """Span-level and character-level precision/recall/F1, overall and per span label.

    ``gold[i]``: passage i's gold spans ``(start, end, label)`` (None: not annotated for
    spans, skipped); ``predicted[i]``: its predicted spans (objects with ``start``,
    ``end``, ``label``; code-point offsets). Shape: ``{"rule", "character_rule",
    "passages", "spans_on_passages_without_gold_spans", "overall": ROW, "per_label":
    {label: ROW}}`` with ROW = ``{precision, recall, f1, predicted, gold, matched,
    char_precision, char_recall, char_f1}`` (None where undefined: precision without
    predicted spans, recall without gold spans).
    """
    tally, overall = _Tally(), _Counts()
    passages = without_gold = 0
    for gold_spans, preds in zip(gold, predicted, strict=True):
        if gold_spans is None:
            continue
        passages += 1
        if not gold_spans:
            without_gold += len(preds)
        matched = match_spans(preds, gold_spans)
        for lab in sorted({g[2] for g in gold_spans} | {p.label for p in preds}):
            pc = _chars((p.start, p.end) for p in preds if p.label == lab)
            gc = _chars((g[0], g[1]) for g in gold_spans if g[2] == lab)
            hits = sum(1 for i, _ in matched if preds[i].label == lab)
            for counts in (tally[lab], overall):
                counts.predicted += sum(1 for p in preds if p.label == lab)
                counts.gold += sum(1 for g in gold_spans if g[2] == lab)
                counts.matched += hits
                counts.chars_predicted += len(pc)
                counts.chars_gold += len(gc)
                counts.chars_both += len(pc & gc)
    return {
        "rule": SPAN_RULE,
        "character_rule": CHARACTER_RULE,
        "passages": passages,
        "spans_on_passages_without_gold_spans": without_gold,
        "overall": overall.row(),
        "per_label": {k: v.row() for k, v in sorted(tally.labels.items())},
    }
