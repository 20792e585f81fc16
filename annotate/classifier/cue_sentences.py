"""The classifier reads a subtitle cue within the sentence it is part of.

A subtitle file's passages are its cues (:mod:`annotate.ingestion.subtitles`), and a
film's or a video's sentence often runs over several: ``I know where you live,`` /
``and if you talk to the police`` / ``I will find you`` / ``and hurt your family.``
(stop 48 new-user F4). Each cue stays a passage of its own (its text is the file's
characters, the timing lines between cues in none), but a cue read alone is a fragment:
:func:`in_sentences` gives the model each cue of a subtitle file joined with the cues
before and after it up to the sentence's ends, at most :data:`REACH` cues each side, and
:func:`own_span` keeps the evidence spans that fall on the cue's own words.

A passage is a subtitle cue when its document is a subtitle file: its name has a ``.vtt``
or ``.srt`` suffix (``film.srt``, ``zoom.vtt.txt``), or ingest read it as one by its
content and recorded so in its passages' ``meta`` (:data:`META_KEY`: a WebVTT transcript
saved as ``talk.txt``; ``PassageInput.subtitles``, :func:`recorded_subtitles`). Its
sentence goes on into the next cue when its text (as the model reads it: no markup, no
speaker label) does not end with ``.``, ``!``, ``?`` or ``♪`` (maybe before a closing
quote or bracket), or ends with ``...`` or ``…`` and the next cue does not open a new
sentence (:func:`opens_sentence`), and the next cue opens no other speaker's line: no
other speaker's label (a Zoom transcript labels each cue, ``Jane Doe: ``) or voice tag,
no ``-`` of a dialogue line.

A trailing ellipsis is ambiguous. Older subtitle styles mark a sentence that runs on
into the next cue with one (and open the next with another: ``...and break your
legs``); Netflix's English (SDH) Timed Text Style Guide ("Continuity") writes a sentence
split over cues without one and keeps it for a pause or dialogue trailing off: after a
pause the sentence may go on in the next cue ("Had I known..." / "I wouldn't have
called you."), and a cue starting mid-sentence opens with an ellipsis. So the next cue
decides: one opening with an upper-case letter starts a new sentence ("Previously on
Harbour Nights..." / "You talk to the cops again and I'll slit your throat": the title
cue took the threat's violent_threat 0.295, 0.004 alone; passC50 R5); one opening with
an ellipsis, a lower-case letter, a digit or the word "I" (upper case wherever it
stands, so its capital says nothing) goes on with it. Its miss: a sentence resumed
after a pause with a name ("I told..." / "Danny to leave.") is read as two. An opening
description in brackets or parentheses (SDH's sound cues and speaker ids, lower case:
"(sighs) You die.") is read past, and a cue that is only descriptions ("[tense music
playing]") is read alone, ending the sentence before it (break5 B1). ``...?`` and
``...!`` end a sentence as ``?`` and ``!`` do (B14).
A cue is joined only into a sentence its punctuation bounds within reach: starting at
the file's first cue, another speaker's line or after a cue that ends a sentence, and
ending with a cue that ends one; captions without punctuation (YouTube's automatic ones)
are read cue by cue, where joining made each cue's "sentence" 7 unrelated lines
(break48b #1).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from annotate.classifier.base import PassageInput, Span

# cues each side a cue's sentence reaches at most; prelabel's windows carry as many
# neighbours of a subtitle file they cut (sentence_reach)
REACH = 3
_SUFFIXES = (".vtt", ".srt")
# a sentence's end: a full stop (not an ellipsis's last dot), ``!``, ``?`` or ``♪``, so
# "...?" and "...!" end one as "?" and "!" do (break5 B14)
_ENDS = re.compile(r"(?:(?<!\.\.)\.|[!?♪])[\"'”’)\]]*\s*$")
_GOES_ON = re.compile(r"(?:\.\.\.|…)[\"'”’)\]]*\s*$")
_DIALOGUE = re.compile(r"\s*[-‐–—]\s")
# a cue's opening as a new sentence reads it after one that trails off: an upper-case
# letter (after opening quotes or brackets) that is not the word "I" (always written so)
_NEW_SENTENCE = re.compile(r"[\s\"'“‘(\[]*(?!I\b)[^\W\d_]")
# bracketed or parenthesised descriptions opening a cue: sound cues and speaker ids of
# SDH subtitles, written in lower case ("[tense music playing]", "(sighs)": Netflix's
# English SDH guide), which say nothing of the sentence around them (break5 B1)
_DESCRIPTIONS = re.compile(r"(?:\s*(?:\[[^\[\]]*\]|\([^()]*\)))+\s*")
# in the meta of a document ingest read as subtitles by its content, its name not saying
# so (a WebVTT or SRT file saved as .txt): true. Documents named .vtt/.srt, and those
# ingested before it was recorded (stop 50), have none: told by their names
META_KEY = "read_as_subtitles"


def is_cue(p: PassageInput) -> bool:
    """Whether ``p`` is a subtitle file's cue: its document is a subtitle file (its
    name has a ``.vtt`` or ``.srt`` suffix, or ingest recorded it as one:
    ``p.subtitles``), and it has a place in it (``passage_index``)."""
    return p.passage_index is not None and (bool(p.subtitles) or subtitle_file(p.doc_id))


def sentence_reach(doc: object, subtitles: bool | None = None) -> int:
    """How many passages each side of a window's edge the document ``doc`` (a
    ``doc_id``) needs (:func:`annotate._util.windows.document_windows`): :data:`REACH`
    and the cue before, whether a sentence starts within reach, for a subtitle file
    (by its name, or ``subtitles``: ingest's record, :func:`recorded_subtitles`), whose
    cues are read within their sentences, else 0."""
    cues = subtitles or (isinstance(doc, str) and subtitle_file(doc))
    return REACH + 1 if cues else 0


def recorded_subtitles(row: Mapping[str, Any]) -> bool | None:
    """Whether ingest recorded the row's document as a subtitle file told by its content
    (its ``meta``, JSON text as ingest, prelabel and export write it, or an object as a
    task's data may hold it, has :data:`META_KEY` true); None where it did not (a file
    named .vtt/.srt, told by its name; a passage ingested before it was recorded; no
    subtitles). Read by prelabel, evaluate, push and the training readers alike
    (``PassageInput.subtitles``)."""
    meta = row.get("meta")
    if isinstance(meta, str):
        if META_KEY not in meta:  # most rows: no JSON to parse
            return None
        try:
            meta = json.loads(meta)
        except ValueError:
            return None
    if isinstance(meta, Mapping) and meta.get(META_KEY) is True:
        return True
    return None


def subtitle_row(row: Mapping[str, Any]) -> bool:
    """Whether a row (a passage, a pre-label row) is of a subtitle file: its
    ``doc_id``'s name has a ``.vtt`` or ``.srt`` suffix, or ingest recorded it as one
    (:func:`recorded_subtitles`)."""
    doc_id = row.get("doc_id")
    return bool(recorded_subtitles(row)) or subtitle_file(None if doc_id is None else str(doc_id))


def subtitle_file(doc_id: str | None) -> bool:
    """Whether a document of the id ``doc_id`` is a subtitle file: its name has a
    ``.vtt`` or ``.srt`` suffix (``film.srt``, ``zoom.vtt.txt``)."""
    return doc_id is not None and any(
        s.lower() in _SUFFIXES for s in PurePosixPath(doc_id).suffixes
    )


def in_sentences(
    passages: Sequence[PassageInput],
    read: Sequence[PassageInput],
    speakers: Sequence[str | None],
) -> tuple[list[PassageInput], list[tuple[int, int]]]:
    """``read`` (``passages`` as the model reads them: no markup, no speaker labels) with
    each subtitle cue's text joined, by a space, with those of the cues of its sentence
    before and after it (:func:`is_cue`, the module docstring), and per passage where
    its own text is in what the model reads: ``(offset, length)``. ``speakers[i]``: the
    speaker whose line passage ``i`` opens (a label or voice tag removed from it), None
    for none: a sentence goes on into a cue of the same speaker or of none."""
    at = {(p.doc_id, p.passage_index): i for i, p in enumerate(passages) if is_cue(p)}

    def neighbour(i: int, step: int) -> int | None:
        p = passages[i]
        assert p.passage_index is not None  # a cue
        return at.get((p.doc_id, p.passage_index + step))

    def ended(i: int, j: int | None) -> bool:
        """Whether cue ``i``'s text ends its sentence by its punctuation, ``j`` the next
        cue (None: none given): a full stop, ``!``, ``?`` or ``♪``; an ellipsis only
        before a cue that opens a new sentence (:func:`opens_sentence`). A cue that is
        only descriptions (``[door slams]``) ends whatever it says."""
        text = read[i].text
        if description_only(text):
            return True
        if _GOES_ON.search(text) is not None:
            return j is not None and opens_sentence(read[j].text)
        return _ENDS.search(text) is not None

    def goes_on(i: int, j: int) -> bool:
        """Whether cue ``i``'s sentence goes on into cue ``j`` (the next): never into a
        cue that is only descriptions (``[tense music playing]``, read alone)."""
        same = speakers[j] is None or speakers[j] == speakers[i]
        return (
            not ended(i, j)
            and same
            and _DIALOGUE.match(read[j].text) is None
            and not description_only(read[j].text)
        )

    def ends(i: int) -> bool:
        """Whether cue ``i``'s text ends a sentence by its punctuation."""
        return ended(i, neighbour(i, 1))

    out: list[PassageInput] = []
    own: list[tuple[int, int]] = []
    for i, p in enumerate(read):
        if (p.doc_id, p.passage_index) not in at or at[(p.doc_id, p.passage_index)] != i:
            out.append(p)
            own.append((0, len(p.text)))
            continue
        before: list[str] = []
        k = i
        while len(before) < REACH and (j := neighbour(k, -1)) is not None and goes_on(j, k):
            before.insert(0, read[j].text)
            k = j
        # the sentence starts at cue k: the file's first cue, another speaker's line or
        # the cue after one ending a sentence; else no start within reach (captions
        # without punctuation, YouTube's automatic ones: break48b #1)
        j = neighbour(k, -1)
        starts = j is None or not goes_on(j, k)
        after: list[str] = []
        k = i
        while len(after) < REACH and (j := neighbour(k, 1)) is not None and goes_on(k, j):
            after.append(read[j].text)
            k = j
        # ... and ends at cue k by its punctuation
        if (not before and not after) or not (starts and ends(k)):
            out.append(p)
            own.append((0, len(p.text)))
            continue
        head = "".join(t + " " for t in before)
        out.append(replace(p, text=" ".join([*before, p.text, *after])))
        own.append((len(head), len(p.text)))
    return out, own


def description_only(text: str) -> bool:
    """Whether a cue's ``text`` is only bracketed or parenthesised descriptions (SDH
    sound cues: ``[tense music playing]``, ``(sighs)``): no part of a sentence, read on
    its own (break5 B1)."""
    m = _DESCRIPTIONS.fullmatch(text)
    return m is not None


def opens_sentence(text: str) -> bool:
    """Whether a cue's ``text`` (as the model reads it) opens a new sentence after a cue
    that ends with an ellipsis: its first letter (after opening quotes or brackets, and
    past descriptions such as ``[door slams]`` or ``(sighs)``, which SDH subtitles write
    in lower case) is an upper-case one, not the word "I". One opening with an ellipsis
    (``...and``), a lower-case letter, a digit or "I" goes on with the sentence before;
    a cue of descriptions only opens none of it (:func:`description_only`: read alone)."""
    if description_only(text):
        return True
    opening = _DESCRIPTIONS.match(text)
    m = _NEW_SENTENCE.match(text, opening.end() if opening else 0)
    return m is not None and m.group()[-1].isupper()


def own_span(span: Span, offset: int, length: int) -> Span | None:
    """``span`` (offsets into the sentence the model read) on the cue's own text, which
    is at ``offset`` in it and ``length`` long: cut to it, None when it falls outside."""
    start, end = max(span.start, offset), min(span.end, offset + length)
    if end <= start:
        return None
    return replace(span, start=start - offset, end=end - offset)
