"""The classifier reads a conversation turn's words without its speaker label.

A chat's, transcript's or forum thread's passage opens with the label ingest kept in
front of the turn (``12/05/26, 21:05 - Dave: not joking, I will break his legs``): the
passage's text stays as ingested (its offsets into the file are its provenance), but
the model read the label as words of the message, and the default model's
violent_threat score fell from 0.27 (the bare message, flagged) to 0.01 (break47 F14).
:func:`predict_turns` gives every model kind each passage without its labels
(:func:`annotate.ingestion.turn_labels.label_ranges`) and moves the evidence spans it
returns back onto the passage's own characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from annotate._util.progress import ProgressFn
from annotate.classifier.base import Classifier, PassageInput, Prediction, Span

# (start in the text read, start in the passage, length) of each piece the model reads
Pieces = list[tuple[int, int, int]]


def without_labels(passages: Sequence[PassageInput]) -> tuple[list[PassageInput], list[Pieces]]:
    """``passages`` as the model reads them (each without its speaker labels; one without
    labels as it is) and, per passage, the pieces of its text the model's text is made
    of, for :func:`in_passage`. Plain name labels (``Dave: ``) are read only in a
    conversation: a document whose lines open with 2 or more speakers' labels
    (:func:`annotate.ingestion.turn_labels.label_ranges`), as ingest recorded it on the
    whole document (``PassageInput.conversation``, from the passages' ``conversation``
    column), else as the passages of its ``doc_id`` given read (a passage without one:
    alone), which may be only some of it (``ingest --previous``, a window)."""
    # the ingestion package (pyarrow, its readers) loads only where passages are read
    from annotate.ingestion.turn_labels import label_ranges, named_speakers

    speakers: dict[str, set[str]] = {}
    recorded: dict[str, bool] = {}
    for p in passages:
        if p.doc_id is not None:
            speakers.setdefault(p.doc_id, set()).update(named_speakers(p.text))
            if p.conversation is not None:
                recorded.setdefault(p.doc_id, p.conversation)
    read: list[PassageInput] = []
    pieces: list[Pieces] = []
    for p in passages:
        if p.conversation is not None:  # ingest's, on the whole document
            conversation = p.conversation
        elif p.doc_id is not None:
            conversation = recorded.get(p.doc_id, len(speakers[p.doc_id]) >= 2)
        else:
            conversation = len(named_speakers(p.text)) >= 2
        ranges = label_ranges(p.text, conversation=conversation)
        kept: Pieces = []
        at = 0
        for a, b in [*ranges, (len(p.text), len(p.text))]:
            if a > at:
                kept.append((sum(n for *_, n in kept), at, a - at))
            at = b
        pieces.append(kept)
        if ranges:
            p = replace(p, text="".join(p.text[s : s + n] for _, s, n in kept))
        read.append(p)
    return read, pieces


def in_passage(span: Span, pieces: Pieces) -> Span:
    """``span`` (offsets into the text the model read) on the passage's characters: each
    end moved by the labels removed before it (a span across a removed label covers it)."""
    if not pieces:
        return span
    start = _moved(span.start, pieces)
    end = _moved(span.end - 1, pieces) + 1 if span.end > span.start else start
    return replace(span, start=start, end=end)


def _moved(offset: int, pieces: Pieces) -> int:
    """The passage's offset of the read text's character at ``offset`` (one past the
    last piece: its end)."""
    for read_at, at, n in pieces:
        if offset < read_at + n:
            return at + offset - read_at
    read_at, at, n = pieces[-1]
    return at + offset - read_at


def predict_turns(
    classifier: Classifier,
    passages: Sequence[PassageInput],
    *,
    progress: ProgressFn | None = None,
) -> list[Prediction]:
    """``classifier.predict`` of ``passages`` read without their speaker labels
    (:func:`without_labels`), the spans moved back onto each passage's text; the
    predictions in input order; as the classifier returned them when they are not one
    per passage (the caller's check names that bug)."""
    read, pieces = without_labels(passages)
    preds = classifier.predict(read, progress=progress)
    if len(preds) != len(pieces):
        return preds
    return [
        replace(pred, spans=[in_passage(s, kept) for s in pred.spans]) if pred.spans else pred
        for pred, kept in zip(preds, pieces, strict=True)
    ]
