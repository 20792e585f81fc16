"""Evidence spans from per-segment span scores: one selection rule for every model kind.

Input shapes: ``segs`` is a passage's candidate segments ``[(start, end, quoted)]``
(character offsets, code points), ``sp`` their span scores, shape ``(len(segs),
len(span_labels))``, each a calibrated probability.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from annotate.classifier.base import Span

Segment = tuple[int, int, bool]


def free_of(kept: Sequence[Span], a: int, b: int) -> bool:
    """Whether the range ``[a, b)`` overlaps none of the spans ``kept``."""
    return not any(a < s.end and s.start < b for s in kept)


def thresholded_spans(
    segs: Sequence[Segment],
    sp: np.ndarray,
    span_labels: Sequence[str],
    span_thresholds: Mapping[str, float],
    *,
    own_voice: Collection[str],
    quoted_label: str | None,
    harmful_passage: bool,
) -> list[Span]:
    """Segments at or above their span label's threshold (0.5 when none is set), each
    with the label it clears by the widest margin, without overlaps (quoted segments
    labelled as quotes first, then by score). Words harmful in themselves are the
    author's own only in a harmful passage: inside a report or a rebuttal an own-voice
    label becomes ``quoted_label``; in a harmful passage an unquoted segment is never
    called a quote. Returned in selection order, not by offset."""
    cands = []
    for j, (a, b, quoted) in enumerate(segs):
        best, best_p, margin = None, 0.0, -1.0
        for k, name in enumerate(span_labels):
            m = float(sp[j, k]) - span_thresholds.get(name, 0.5)
            if m >= 0 and m > margin:
                best, best_p, margin = name, float(sp[j, k]), m
        if best is None:
            continue
        if not harmful_passage and best in own_voice and quoted_label:
            best = quoted_label
        if harmful_passage and best == quoted_label and not quoted:
            continue
        cands.append((quoted and best == quoted_label, best_p, a, b, best))
    cands.sort(key=lambda c: (c[0], c[1]), reverse=True)
    kept: list[Span] = []
    for _, score, a, b, name in cands:
        if free_of(kept, a, b):
            kept.append(Span(start=a, end=b, label=name, score=round(score, 4)))
    return kept


def add_evidence_for_labels(
    kept: list[Span],
    segs: Sequence[Segment],
    sp: np.ndarray,
    span_labels: Sequence[str],
    labels: Sequence[str],
    evidence_span: Mapping[str, str],
) -> None:
    """For each fired label with an evidence span label (``evidence_span``) and no span
    of it yet, append the best-scoring segment free of ``kept`` (in place), so the
    reviewer sees where, even below the span threshold."""
    for lbl in labels:
        name = evidence_span.get(lbl)
        if name is None or name not in span_labels or any(s.label == name for s in kept):
            continue
        k = list(span_labels).index(name)
        for j in np.argsort(-sp[:, k], kind="stable"):
            a, b, _ = segs[j]
            if free_of(kept, a, b):
                kept.append(Span(start=a, end=b, label=name, score=round(float(sp[j, k]), 4)))
                break
