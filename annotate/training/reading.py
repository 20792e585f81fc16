"""``annotate train`` reads every example as ``prelabel`` and ``evaluate`` read it.

A passage reaches a classifier through :func:`annotate.classifier.turn_text.predict_turns`:
without its subtitle markup (``<v Bob><i>...</i></v>``), a conversation's speaker labels
(``KIPLAGAT: ``), a subtitle cue's character references decoded (``&amp;`` -> ``&``),
compatibility letters folded. Training embedded the raw text instead (break49 B14): a
model retrained on reviewed subtitle cues or transcripts learnt from text it is never
given, and its span examples kept ``</i>``. :func:`read_examples` gives each example the
text the model reads of it (the same function, :func:`annotate.classifier.turn_text.
without_labels`), its gold and undecided evidence spans moved onto that text (the map
:class:`annotate.studio.shown_text.ShownText` gives, as reviewers' spans are moved
between a cue and the text shown); a span wholly inside removed markup or a speaker
label marks nothing the model reads and is left out (counted, logged).

What it does not do: join a subtitle cue with the cues of its sentence
(:func:`annotate.classifier.cue_sentences.in_sentences`). An example's labels and spans
are its own words'; prelabel reads a cue within its sentence and alone too, and the
example is that reading alone (a neighbour's threat in the joined text would teach a
`none` cue's label for it).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from annotate.classifier.base import PassageInput
from annotate.training.sources import Example

log = logging.getLogger(__name__)

Spans = list[tuple[int, int, str]]

# Example.meta key: the text of a passage read otherwise than written (read_examples)
WRITTEN_TEXT = "written_text"


def passage_input(ex: Example, fallback_id: str) -> PassageInput:
    """The passage a classifier is given for ``ex`` (its document and place in it, as
    prelabel gives a passage of an ingested table): what ``evaluate`` scores and what
    :func:`read_examples` reads (the text as written, also of an example it read)."""
    return PassageInput(
        id=ex.id or fallback_id,
        text=ex.meta.get(WRITTEN_TEXT, ex.text),
        doc_id=ex.doc_key,
        title=ex.title,
        passage_index=ex.index,
        conversation=ex.conversation,
        subtitles=ex.subtitles,
        cue_start=ex.cue_start,
        cue_end=ex.cue_end,
    )


def read_examples(examples: Sequence[Example]) -> list[Example]:
    """``examples`` as the classifier reads them (the module docstring): each with the
    text read and its spans on it, in order; an example read as written is returned as
    it is. The examples of a document are read together (a conversation's labels are
    told by the document's speakers), so pass every example of it."""
    from annotate.classifier.turn_text import without_labels

    read, readings = without_labels([passage_input(ex, str(i)) for i, ex in enumerate(examples)])
    out: list[Example] = []
    dropped = 0
    changed = 0
    for ex, passage, reading in zip(examples, read, readings, strict=True):
        if passage.text == ex.text:
            out.append(ex)
            continue
        changed += 1
        spans, lost = _on_read(ex.spans or [], reading)
        undecided, lost_undecided = _on_read(ex.undecided_spans, reading)
        dropped += lost + lost_undecided
        out.append(
            replace(
                ex,
                text=passage.text,
                spans=None if ex.spans is None else spans,
                undecided_spans=undecided,
                # the passage as written: what evaluate gives the model (the model card's
                # test tables are made so: annotate.training.row_training)
                meta={**ex.meta, WRITTEN_TEXT: ex.text},
            )
        )
    if changed:
        log.info(
            "%d of %d examples read without subtitle markup or speaker labels, or with "
            "letters folded (as prelabel and evaluate read them)",
            changed,
            len(examples),
        )
    if dropped:
        log.warning(
            "%d evidence span%s lie wholly in subtitle markup or speaker labels, which the "
            "model does not read: left out of training",
            dropped,
            "" if dropped == 1 else "s",
        )
    return out


def _on_read(spans: Spans, reading: object) -> tuple[Spans, int]:
    """``spans`` (offsets into the example's text) on the text read (``reading``: a
    :class:`annotate.studio.shown_text.ShownText`), and how many mark nothing of it."""
    out: Spans = []
    lost = 0
    for a, b, label in spans:
        moved = reading.to_shown(a, b) if b > a else None  # type: ignore[attr-defined]
        if moved is None:
            lost += 1
            continue
        out.append((moved[0], moved[1], label))
    return out, lost
