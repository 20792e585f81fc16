"""Quoted blocks judged by what they say (rule ``quoted_blocks_by_content``).

A block of speech set after an attribution line ending in a colon ("According to a
translation by the agency, the commander says:" then the speech as its own paragraph:
:mod:`annotate.classifier.quote_blocks`) is a quotation by its layout, when that line
reports someone else's words (a reporting verb in the third person or the past, no
"I", "we" or "you": :func:`annotate.classifier.quote_blocks.reported_attribution`; "Message
to the traitors:" or "Read this carefully, all of you:" open the author's own words, and
the rule leaves them alone). Whether it is a
*quoted call to violence* (the ``quoted_propaganda`` evidence span) depends on its words,
not on how much it resembles the quotations the span head was trained on: so each block
is read alone by the model's own category head (the block, and each of its sentences:
:func:`reads`), and it is violent speech when one of the own-voice harmful labels (a
threat, a call to violence, glorification: the model's ``yield_to_context`` labels)
clears its threshold on one of those reads. Then, per passage with a violent block:

- the block gets a quoted span unless a span already overlaps it (its score: the
  highest own-voice probability that cleared its threshold); the span head's own spans
  stay (a block read below every threshold keeps them: the rule adds, never removes);
- a passage given an own-voice harmful label is relabelled only when a violent block
  explains it: the rest of the passage (blocks and their attribution sentences removed)
  is empty or, read alone, clears none of those labels. However short, the rest is read:
  "Kill them all!" after the quoted speech is the author's own call.
  Its own-voice harmful labels are removed (other labels, e.g. ``graphic_violence`` or a
  context label, stay); with no label left it gets the reporting label; in a passage
  left without a harmful label, own-voice evidence spans become quoted spans. A propaganda
  post that adds its own call after the quoted speech keeps its labels;
- a passage where only ``none`` fired and that has a violent block gets the reporting
  label (a quotation with an attribution reports speech: issue 8, point 5).

A block is its first paragraph as ingest reads one
(:func:`annotate.classifier.quote_blocks.first_paragraph`): a line after it with no blank
line between (a forum post's own call on the next line) is the rest of the passage, not
the quotation; a speech quoted over several lines is cut to its first line, so a harmful
label its later lines earn stays (a reviewer sees it; the author's own call never loses
its label because of how the post is laid out).

Scores (the calibrated probabilities) never change, so routing by risk still sees the
quoted words' own score; only labels and spans do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from annotate.classifier.base import Span
from annotate.classifier.features import candidate_segments
from annotate.classifier.quote_blocks import first_paragraph
from annotate.classifier.spans import free_of


@dataclass(frozen=True)
class QuotedContentRule:
    """The model's settings the rule reads (all stored in annotate_model.json)."""

    labels: Sequence[str]  # the category head's columns, in order
    thresholds: dict[str, float]
    own_voice: Sequence[str]  # harmful labels whose words, quoted, are quoted violent speech
    quoted_span: str
    own_voice_spans: Sequence[str]  # span labels of words harmful in the author's voice
    harmful: Sequence[str]  # every harmful label
    reporting_label: str | None  # the label of a passage that quotes violent speech
    none_label: str


def _rest(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """``text`` with ``ranges`` cut out (the pieces joined by a space)."""
    out, at = [], 0
    for a, b in sorted(ranges):
        out.append(text[at:a])
        at = max(at, b)
    out.append(text[at:])
    return " ".join(x.strip() for x in out if x.strip())


def reads(text: str) -> list[str]:
    """What is read alone for ``text``: the whole, then each of its sentences and quoted
    segments (:func:`annotate.classifier.features.candidate_segments`) when it has more
    than one. The category head learned from short posts: a call to violence among
    other sentences is judged on its own sentence too, as in multiple-instance reading."""
    parts = [text[a:b] for a, b, _ in candidate_segments(text)]
    parts = [x for x in parts if x.strip() and x.strip() != text.strip()]
    return [text, *parts]


def _violent(p: np.ndarray, rule: QuotedContentRule) -> float:
    """The highest own-voice probability among the labels that clear their threshold,
    over rows of calibrated probabilities ``p`` (n_reads, n_labels); 0.0 when none
    does."""
    best = 0.0
    for name in rule.own_voice:
        col = p[:, list(rule.labels).index(name)]
        hits = col[col >= rule.thresholds.get(name, 0.5)]
        if hits.size:
            best = max(best, float(hits.max()))
    return best


def _score_groups(
    groups: list[list[str]], score_alone: Callable[[list[str]], np.ndarray]
) -> list[np.ndarray]:
    """``score_alone`` once over every text of ``groups``; the rows of each group."""
    flat = [t for g in groups for t in g]
    if not flat:
        return [np.zeros((0, 0), np.float32) for _ in groups]
    probs = score_alone(flat)
    out, k = [], 0
    for g in groups:
        out.append(probs[k : k + len(g)])
        k += len(g)
    return out


def apply_quoted_content(
    texts: Sequence[str],
    labels: list[list[str]],
    spans: list[list[Span]],
    blocks: Sequence[Sequence[tuple[int, int]]],
    intros: Sequence[Sequence[tuple[int, int]]],
    score_alone: Callable[[list[str]], np.ndarray],
    rule: QuotedContentRule,
) -> tuple[list[list[str]], list[list[Span]]]:
    """Labels and spans per passage after the rule (module docstring); the inputs are not
    changed. ``blocks``/``intros``: per passage, the quoted blocks and attribution
    sentences as ``(start, end)`` character offsets (:func:`annotate.classifier.
    quote_blocks.block_ranges`). ``score_alone(texts)``: calibrated category
    probabilities, shape (len(texts), len(rule.labels)), of each text read alone; it is
    called at most twice, only for passages that have a block."""
    labels = [list(x) for x in labels]
    spans = [list(x) for x in spans]
    blocks = [[first_paragraph(t, blk) for blk in b] for t, b in zip(texts, blocks, strict=True)]
    with_blocks = [i for i, b in enumerate(blocks) if b]
    if not with_blocks:
        return labels, spans
    keys = [(i, j) for i in with_blocks for j in range(len(blocks[i]))]
    groups = [reads(texts[i][slice(*blocks[i][j])]) for i, j in keys]
    violence: dict[int, list[float]] = {i: [] for i in with_blocks}
    for (i, _), p in zip(keys, _score_groups(groups, score_alone), strict=True):
        violence[i].append(_violent(p, rule))
    own = set(rule.own_voice)
    # passages whose own-voice harmful labels a violent block may explain: read the rest
    to_check = [i for i in with_blocks if own & set(labels[i]) and any(violence[i])]
    rests = {i: _rest(texts[i], [*blocks[i], *intros[i]]) for i in to_check}
    nonempty_rests = [i for i in to_check if rests[i]]
    rest_violent: dict[int, bool] = dict.fromkeys(to_check, False)
    rest_probs = _score_groups([reads(rests[i]) for i in nonempty_rests], score_alone)
    for i, p in zip(nonempty_rests, rest_probs, strict=True):
        rest_violent[i] = _violent(p, rule) > 0.0
    for i in with_blocks:
        if not any(violence[i]):
            continue
        if i in rest_violent and not rest_violent[i]:
            left = [x for x in labels[i] if x not in own and x != rule.none_label]
            labels[i] = left or ([rule.reporting_label] if rule.reporting_label else [])
            if not set(labels[i]) & set(rule.harmful):
                # no longer a harmful passage: own-voice evidence is quoted speech, as
                # annotate.classifier.spans.thresholded_spans names it there
                spans[i] = [
                    Span(s.start, s.end, rule.quoted_span, s.score)
                    if s.label in rule.own_voice_spans
                    else s
                    for s in spans[i]
                ]
        elif labels[i] == [rule.none_label] and rule.reporting_label:
            labels[i] = [rule.reporting_label]
        if not labels[i]:
            labels[i] = [rule.none_label]
        kept = spans[i]
        for (a, b), v in zip(blocks[i], violence[i], strict=True):
            if v and free_of(kept, a, b):
                kept.append(Span(start=a, end=b, label=rule.quoted_span, score=round(v, 4)))
        spans[i] = sorted(kept, key=lambda s: s.start)
    return labels, spans


__all__ = ["QuotedContentRule", "apply_quoted_content", "reads"]
