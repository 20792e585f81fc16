"""The classifier reads a conversation turn's words without its speaker label.

A chat's, transcript's or forum thread's passage opens with the label ingest kept in
front of the turn (``12/05/26, 21:05 - Dave: not joking, I will break his legs``): the
passage's text stays as ingested (its offsets into the file are its provenance), but
the model read the label as words of the message, and the default model's
violent_threat score fell from 0.27 (the bare message, flagged) to 0.01 (break47 F14).
:func:`predict_turns` gives every model kind each passage without its labels
(:func:`annotate.ingestion.turn_labels.label_ranges`) and moves the evidence spans it
returns back onto the passage's own characters.

It reads a subtitle cue without its markup alike (:func:`annotate.ingestion.subtitles.
markup_ranges`: ``<v Alice>``, a speaker label too, ``<i>``, YouTube's word timings
``<00:00:00.500><c> word</c>``, ``{\\an8}``), in any passage: the tags are few and
none is words of a message; and a subtitle file's character references as the
characters they name (``&amp;`` -> ``&``), as reviewers are shown the cue
(:func:`annotate.studio.shown_text.character_references`, one function for both).

And it reads compatibility forms of letters as the letters they are
(:func:`annotate.classifier.writing_system.compatibility_fold`: NFKC where it gives one
character for one): a threat in fullwidth Latin ("Ｉ ｗｉｌｌ ｂｒｅａｋ ｙｏｕｒ ｌｅｇｓ", a
filter-evasion trick) scored violent_threat 0.008 against 0.553 in ASCII (stop 48 F20).
The passage's text is never changed; the spans are on its characters.

And it reads each paragraph of a passage ingest merged from short paragraphs alone too
(:func:`_paragraphs`, :func:`_paragraph_reading`): "I will burn your car tonight, you
rat." is violent_threat 0.54 alone but was ``none`` merged with two neutral lines
(passB50 Q2); a paragraph's threat or call to violence replaces a reading it diluted.

:func:`predict_turns` is the one way a passage reaches a classifier: ``prelabel`` (both
engines, :func:`annotate.prelabeling.label_window`) and ``evaluate`` (a model scored or
two compared on labeled data, :func:`annotate.evaluation.evaluate.predict_examples`)
call it, so the two score the same reading of the same row; ``annotate train`` reads
its examples through :func:`without_labels` (:mod:`annotate.training.reading`), so a
model learns from the text it is later given. :data:`READING_VERSION` numbers that
reading; a prelabel resumed from parts scored with another one starts afresh
(:mod:`annotate.prelabel_parts`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from annotate._util.progress import ProgressFn
from annotate.classifier.base import Classifier, PassageInput, Prediction, Span
from annotate.classifier.cue_sentences import in_sentences, own_span, subtitle_file, vocative
from annotate.classifier.writing_system import compatibility_fold
from annotate.studio.shown_text import ShownText, character_references

# The version of the classifier's reading of a passage (:func:`predict_turns`), recorded
# in prelabel's parts (annotate.prelabel_parts.fingerprint): take the next number when a
# change here (or in what it calls: markup, labels, folds, cue sentences) makes the model
# read a passage otherwise, so parts scored with the old reading are not resumed into a
# run with the new one. 1: the raw text (records before the reading was kept); 2 ("text
# without speaker labels", break47 F14); 3: subtitle markup removed, compatibility
# letters folded, cues read within their sentences, ingest's conversation column (stop 48);
# 4: sentences (the span candidates and the threat grammar's) no longer cut inside e-mail
# addresses, URLs, numbers or abbreviations (annotate.classifier.features.sentence_ranges,
# stop 49): a model's spans of the same passage differ, whatever its version says;
# 5: a subtitle cue's character references (``&amp;``, ``&#39;``) read as the characters
# they name, as reviewers are shown them (annotate.studio.shown_text.character_references;
# stop 50). ``annotate train`` reads its examples so too (annotate.training.reading) and
# records the version in the model (``training.reading``: :data:`TRAINING_READING_VERSION`);
# 6: a passage of merged short paragraphs also read a paragraph at a time (stop 50): at
# prediction only (prelabel, evaluate), so a model trained on reading 5 reads its examples
# as one trained now does; 7: a subtitle cue ending in an ellipsis joins the next cue's
# sentence only when that cue goes on with it (annotate.classifier.cue_sentences.
# opens_sentence; stop 51; also in 7, before it was released: an SDH description such as
# "[tense music playing]" is read past or alone, and "...?"/"...!" end a sentence, break5
# B1/B14): prediction only too (training reads no cue within its
# sentence, annotate.training.reading), so TRAINING_READING_VERSION stays 5; 8: a
# cue's sentence goes on after an ellipsis into an upper-case cue when the clause breaks
# off on a word no clause ends with ("I told..." / "Danny to leave."), into "I" only after
# a clause that cannot stand alone ("Previously on Harbour Nights..." / "I'll slit your
# throat." are two), past opening punctuation such as "¿", "«", "♪", and past a cue that
# is only a sound cue ("I'm going to" / "[door slams]" / "find you."; stop 52,
# annotate.classifier.cue_sentences.goes_on_after_ellipsis): prediction only too;
# 9: a line's leading header label ("Re: ", "Fwd: ", "Subject: ", "Message: ",
# "Update: ", :data:`HEADER_RE`) read past (passG52 G11); also in 9, before it was
# released: one without a space after its colon ("RE:FW: ", "Re:I ...", break6 K9),
# and (break6 K1/K6/K7) after a clause broken off on a word no clause ends with,
# an upper-case cue goes on only as a name would ("I was only trying to..." / "Shut up,
# or I'll slit your throat." are two), a cue opening "-Are" (a hyphen without a space)
# or an SDH speaker id ("[JOHN]") is another speaker's and one ending "--" ends its
# sentence, and a sound cue of another speaker ("JOHN: [laughs]") is not passed over;
# (break7 L7/L11) a cue opening with an upper-case speaker label read as words ("MARY:
# you know", "MARY:you": a file with one labelled cue) is another speaker's, and "--"
# goes on into a cue resuming it with "--" or an ellipsis ("I swear I'll kill you --" /
# "-- if you touch it."): prediction only, as 6 to 8; 10 (stop 53): a condition without
# "if" goes on into its consequence ("You say one word..." / "I'll burn your house
# down."), a phrase opening with "once", "before", "since" (no clause) does not take the
# next cue's "I" ("Once upon a time..." / "I killed a man."), a capitalised word taking an
# object pronoun, a particle or an article is an imperative, not a name going on ("I was
# only trying to..." / "Beat it, or ..."), and a punctuated sentence ends at the file's end
# or another speaker's line ("I swear I'll kill you --" / "-- if you touch it"; annotate.
# classifier.cue_sentences): prediction only, as 6 to 9; 11 (break8): a sentence ends
# at another speaker's line only where punctuation links its cues, one of more than four
# cues read cue by cue, a passage missing from the input no file's edge; 12 (stop 54): a
# condition links its cue to the consequence's ("if you go to the cops" / "I will cut
# your throat" / "- Danny!"), a sentence is bounded by 700 characters (one of more than
# four cues read whole where written as one at each cue), a capitalised imperative after
# an infinitive's "to..." opens a sentence ("I'm going to..." / "Toss the knife."):
# prediction only, as 6 to 11; 13 (break10 B5): "if only", "what if" and "as if" open no
# condition joined to the next cue ("If only you knew" / "I'll slit your throat", "What
# If..." / "I will ..."), a condition broken off without punctuation does not go on into
# a capitalised question ("When you get home" / "Will you ...?"), "even if" and "only
# if" open one, a vocative cue of a sentence ("Kids," / "Grandma," / ... / "I will slit
# your throat.") keeps its own reading, the sentence its context (break10 B7; a name or
# addressee by its words, not their case: "YOUR DAUGHTERS," in an ALL-CAPS caption is no
# vocative, break12 M5): prediction only, as 6 to 12; 14 (stop 55, passM55 9): where
# ingest recorded the cues' times (meta cue_start/cue_end), no sentence joins cues more
# than 3 s apart (annotate.classifier.cue_sentences.MAX_GAP) or spans more than 30 s; and
# none joins more than 10 cues (was 17): prediction only, as 6 to 13.
READING_VERSION = 14
# the reading ``annotate train`` gives its examples (:func:`without_labels`: readings 5 to
# 14 read an example alike) and records in a model: what a model's ``training.reading``
# is compared with
TRAINING_READING_VERSION = 5
READING = (
    "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, "
    "subtitle character references decoded, merged paragraphs read alone too, a cue's "
    "trailing ellipsis joining the next cue only when it goes on with the sentence (by "
    "the clause broken off, not the word I after a title), sound cues passed over, "
    "a line's leading header label (Re:, Subject:, Message:) read past, a cue not "
    "joined to another speaker breaking in after it, a condition without if joined to "
    "its consequence, a sentence ending at another speaker's line only where its "
    "punctuation links its cues or a condition its consequence, a sentence of up to 700 "
    "characters read whole (of more than four cues where written as one at each cue), a "
    "passage missing from the input no file's edge, a capitalised imperative after an "
    "ellipsis opening a sentence, a wish (if only), what if and as if no condition, a "
    "condition not joined to a capitalised question, a vocative cue keeping its own "
    "reading, no sentence joining cues more than 3 s apart, over 30 s or of more than "
    "10 cues"
)
# a passage of more paragraphs than this is not read paragraph by paragraph (ingest
# merges short paragraphs up to --max-chars: a list of one-word lines is not a post each)
MAX_PARAGRAPHS = 8
# a paragraph opening with one of these quotes someone (a reply's "> post", a quotation)
_QUOTED_OPENINGS = (">", '"', "“", "'", "‘", "«", "„")
# a paragraph's harmful label replaces its passage's reading only at this calibrated
# probability or above ("more likely than not", fixed before measuring, not tuned): a
# short paragraph alone is read with less context, and the model's own thresholds
# (violent_threat 0.22) took "Q: how do you not burn out" (0.30) alone
PARAGRAPH_BAR = 0.5
# the span labels (labels.yaml) a paragraph's reading must mark to replace its passage's:
# an own-voice threat or call to violence. Not graphic_detail or glorification: on BBC
# News a headline alone, "Murphy: That was a bruising battle", was graphic_violence 0.66
# with a graphic_detail span (benchmarks/README.md, "Merged short paragraphs read alone")
RAISING_SPANS = frozenset({"threat", "call_to_violence"})
# False skips the paragraph reading (benchmarks compare the two readings in one process)
PARAGRAPH_READING = True
# a header label a line opens with, as e-mail, form and forum exports put them before the
# words ("Re: Fwd: I will find you", "Message: ...", "Update 2: ..."): read past at
# prediction (:func:`header_ranges`), as a speaker label is. "I will find where you live
# and hurt you badly." is violent_threat 0.22 with a threat span alone; "Re: ",
# "Update: ", "Message: " or "Subject: " in front made it none at 0.01 to 0.02 (passG52
# G11): the threat grammar reads a clause that opens its sentence, and the encoder scores
# the header as words of the message. A few words only: the ones that label a message or
# a field holding one, never a word that says who speaks or what the words are ("Trump:",
# "Breaking:", "Quote:": the attribution tells reported words from the author's)
HEADER_WORDS = (
    "re",
    "fw",
    "fwd",
    "aw",  # German "Antwort"
    "wg",  # German "Weitergeleitet"
    "sv",  # Scandinavian "Svar"
    "subject",
    "subj",
    "message",
    "msg",
    "update",
    "updated",
    "edit",
    "comment",
    "reply",
    "post",
    "note",
    "text",
    "body",
)
# A colon without a space after it ends a header too where a letter follows it, as some
# mail clients and exports write them ("RE:FW: ...", "Re:I will ..."; break6 K9), never
# where a digit or a slash does ("Re:10", "message://..."): times and web addresses stay
HEADER_RE = re.compile(
    r"(?:[ \t]*(?i:" + "|".join(HEADER_WORDS) + r")(?:[ \t]*(?:\[\d+\]|\(\d+\)|\d+))?"
    r"[ \t]*:(?:[ \t]+|(?=[^\W\d_])))+(?=\S)"
)
# False reads header labels as words (benchmarks compare the two readings in one process)
HEADER_READING = True
# ingest's record of whether a passage's document is a conversation (table_schemas)
CONVERSATION_COLUMN = "conversation"

# (start in the text without markup, start in the passage, length) of each piece of it
Pieces = list[tuple[int, int, int]]
# a WebVTT cue opening with a speaker: its name
_VOICE = re.compile(r"\s*<v(?:\.[\w.-]*)?[ \t]+([^<>\n]*)>", re.IGNORECASE)


def recorded_conversation(row: Mapping[str, Any]) -> bool | None:
    """The row's ``conversation`` column as ingest wrote it (a bool; "true"/"false" as a
    CSV holds it); None where the table has none (ingested before it was recorded, or
    not by ingest) or the cell is empty or no such value. Read by prelabel and evaluate
    alike (``PassageInput.conversation``)."""
    value = row.get(CONVERSATION_COLUMN)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def without_labels(
    passages: Sequence[PassageInput],
) -> tuple[list[PassageInput], list[ShownText]]:
    """``passages`` as the model reads them (each without its subtitle markup and speaker
    labels, a subtitle file's character references as their characters; one without
    any as it is) and, per passage, how the text read maps onto its text
    (:class:`annotate.studio.shown_text.ShownText`: ``shown`` is the text read before
    compatibility letters are folded, one character for one), for :func:`in_passage`
    and, the other way, for training (:mod:`annotate.training.reading`). Plain name
    labels (``Dave: ``) are read only in a conversation: a document whose lines open
    with 2 or more speakers' labels (:func:`annotate.ingestion.turn_labels.label_ranges`),
    as ingest recorded it on the whole document (``PassageInput.conversation``, from the
    passages' ``conversation`` column), else as the passages of its ``doc_id`` given read
    (a passage without one: alone), which may be only some of it (``ingest --previous``,
    a window)."""
    read, readings, _ = _without_labels(passages)
    return read, readings


def read_texts(passages: Sequence[PassageInput]) -> list[str]:
    """The text of each of ``passages`` as prediction reads it alone (:func:`predict_turns`:
    without its subtitle markup, speaker labels and header labels, compatibility letters
    folded): what prelabel's language and script checks judge (break6 K4: a speaker's
    name, ``Дмитрий: ok``, is no part of what the model reads in a conversation)."""
    read, _, _ = _without_labels(passages, headers=True)
    return [p.text for p in read]


def header_ranges(text: str, after: Sequence[int] = ()) -> list[tuple[int, int]]:
    """The header labels (:data:`HEADER_RE`: ``Re: ``, ``Fwd: Re: ``, ``Message: ``) that
    open a line of ``text`` or follow a speaker label (``after``: where each label ends),
    as ``[(start, end)]`` offsets, each with the whitespace after it; one only where words
    follow it on its line ("Re:" alone on a line stays)."""
    starts = sorted({0, *(i + 1 for i, ch in enumerate(text) if ch == "\n"), *after})
    found = []
    for at in starts:
        m = HEADER_RE.match(text, at)
        if m:
            found.append((at, m.end()))
    return found


def _without_labels(
    passages: Sequence[PassageInput],
    *,
    headers: bool = False,
) -> tuple[list[PassageInput], list[ShownText], list[str | None]]:
    """:func:`without_labels`, and per passage the speaker whose line it opens: the
    name of the speaker label or WebVTT voice tag (``<v Alice>``) removed from its start,
    lower case, its letters only (``[12:05] Dave: `` -> ``dave``); None for none.
    ``headers``: the header labels lines open with (:func:`header_ranges`) removed too
    (prediction's reading; ``annotate train`` reads its examples without it)."""
    # the ingestion package (pyarrow, its readers) loads only where passages are read
    from annotate.ingestion.subtitles import markup_ranges
    from annotate.ingestion.turn_labels import label_ranges, named_speakers

    # each passage without its subtitle markup, then its labels found in that
    plain = [_kept(p.text, markup_ranges(p.text)) for p in passages]
    speakers: dict[str, set[str]] = {}
    recorded: dict[str, bool] = {}
    for p, kept in zip(passages, plain, strict=True):
        if p.doc_id is not None:
            speakers.setdefault(p.doc_id, set()).update(named_speakers(_text(p.text, kept)))
            if p.conversation is not None:
                recorded.setdefault(p.doc_id, p.conversation)
    read: list[PassageInput] = []
    readings: list[ShownText] = []
    turns: list[str | None] = []
    for p, kept in zip(passages, plain, strict=True):
        text = _text(p.text, kept)
        if p.conversation is not None:  # ingest's, on the whole document
            conversation = p.conversation
        elif p.doc_id is not None:
            conversation = recorded.get(p.doc_id, len(speakers[p.doc_id]) >= 2)
        else:
            conversation = len(named_speakers(text)) >= 2
        labels = label_ranges(text, conversation=conversation)
        voice = _VOICE.match(p.text)
        if voice:
            turns.append(_name(voice.group(1)))
        else:
            turns.append(_name(text[labels[0][0] : labels[0][1]]) if labels else None)
        if headers and HEADER_READING:  # after the turn's speaker is named
            labels = sorted(labels + header_ranges(text, [b for _, b in labels]))
        # the markup's and the labels' ranges on the passage's characters: both removed
        removed = _removed(len(p.text), kept)
        removed += [(_moved(a, kept), _moved(b - 1, kept) + 1) for a, b in labels]
        # a subtitle cue's character references (``&amp;``) read as the characters they
        # name, as reviewers are shown them (annotate.studio.shown_text)
        references = character_references(p.text) if p.subtitles or subtitle_file(p.doc_id) else []
        reading = _reading(p.text, sorted(removed), references)
        readings.append(reading)
        if reading.changed:
            p = replace(p, text=reading.shown)
        # compatibility forms (fullwidth Latin "Ｉ ｗｉｌｌ ｂｒｅａｋ") read as the letters they
        # are: one character for one, so the reading still maps the text read
        if (folded := compatibility_fold(p.text)) != p.text:
            p = replace(p, text=folded)
        read.append(p)
    return read, readings, turns


def _reading(
    text: str, removed: list[tuple[int, int]], references: list[tuple[int, int, str]]
) -> ShownText:
    """``text`` read without its ``removed`` ranges (sorted; they may overlap), each of
    its ``references`` (``(start, end, character)``) outside them read as its character:
    the :class:`ShownText` that maps the text read onto ``text``."""
    events = sorted([(a, b, None) for a, b in removed] + list(references), key=lambda e: e[0])
    shown: list[str] = []
    pieces: list[tuple[int, int]] = []
    at = 0
    for a, b, character in events:
        if character is not None and a < at:  # a reference inside a removed range
            continue
        if a > at:
            shown.append(text[at:a])
            pieces.append((a - at, a - at))
        start = max(a, at)
        if b > start:
            shown.append(character or "")
            pieces.append((len(character or ""), b - start))
        at = max(at, b)
    if at < len(text):
        shown.append(text[at:])
        pieces.append((len(text) - at, len(text) - at))
    return ShownText(text, "".join(shown), tuple(pieces))


def _name(said: str | None) -> str | None:
    """A speaker label's or voice tag's name, to compare: lower case, letters only."""
    if said is None:
        return None
    return " ".join("".join(c if c.isalpha() else " " for c in said).lower().split()) or "?"


def _kept(text: str, ranges: list[tuple[int, int]]) -> Pieces:
    """The pieces of ``text`` outside ``ranges`` (sorted; they may overlap)."""
    kept: Pieces = []
    at = 0
    for a, b in [*ranges, (len(text), len(text))]:
        if a > at:
            kept.append((sum(n for *_, n in kept), at, a - at))
        at = max(at, b)
    return kept


def _text(text: str, kept: Pieces) -> str:
    return "".join(text[s : s + n] for _, s, n in kept)


def _removed(length: int, kept: Pieces) -> list[tuple[int, int]]:
    """The ranges of a passage of ``length`` characters outside its ``kept`` pieces."""
    out, at = [], 0
    for _, s, n in kept:
        if s > at:
            out.append((at, s))
        at = s + n
    if at < length:
        out.append((at, length))
    return out


def in_passage(span: Span, reading: ShownText) -> Span:
    """``span`` (offsets into the text the model read) on the passage's characters
    (``reading``: :func:`without_labels`'s): each end moved by the markup and labels
    removed before it (a span across a removed label covers it; one ending on a
    character reference's character, the whole reference)."""
    if not reading.changed:
        return span
    n = len(reading.shown)
    start, end = min(max(span.start, 0), n), min(max(span.end, 0), n)
    start, end = reading.to_raw(start, end)
    return replace(span, start=start, end=end)


def _moved(offset: int, pieces: Pieces) -> int:
    """The passage's offset of the character at ``offset`` in the text the ``pieces``
    make (one past the last piece: its end)."""
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
    """``classifier.predict`` of ``passages`` read without their subtitle markup and
    speaker labels (:func:`without_labels`), a subtitle cue within the cues of its
    sentence (:func:`annotate.classifier.cue_sentences.in_sentences`: the spans on other
    cues dropped); a cue read within its sentence is read alone too, and given that
    prediction when the sentence's evidence spans all lie on other cues (a neighbour's
    threat raises no cue of its sentence) or when it flags a label higher alone and
    the sentence no other (:func:`_diluted`: a threat is not diluted by its sentence);
    the spans moved back onto each passage's text; the predictions in input order; as
    the classifier returned them when they are not one per passage (the caller's check
    names that bug)."""
    alone, readings, turns = _without_labels(passages, headers=True)
    read, own = in_sentences(passages, alone, turns)
    joined = [i for i, (r, a) in enumerate(zip(read, alone, strict=True)) if r.text != a.text]
    preds = classifier.predict(read, progress=progress)
    if len(preds) != len(readings):
        return preds
    # the cues read within a sentence, read alone too (progress counts passages once)
    cues = classifier.predict([alone[i] for i in joined]) if joined else []
    if len(cues) != len(joined):
        return cues
    by_itself = dict(zip(joined, cues, strict=True))
    # the paragraphs of a passage ingest merged (short ones), read alone too
    harmful = _harmful(classifier)
    parts = _paragraphs(read, set(joined)) if PARAGRAPH_READING and harmful else {}
    flat = [(i, a) for i, segs in parts.items() for a, _ in segs]
    texts = [
        replace(read[i], text=read[i].text[a:b], doc_id=None, passage_index=None)
        for i, segs in parts.items()
        for a, b in segs
    ]
    alone_paras = classifier.predict(texts) if texts else []
    if len(alone_paras) != len(texts):
        return alone_paras
    by_para: dict[int, list[tuple[int, Prediction]]] = {}
    for (i, a), p in zip(flat, alone_paras, strict=True):
        by_para.setdefault(i, []).append((a, p))
    out = []
    for i, (pred, reading, (offset, length)) in enumerate(zip(preds, readings, own, strict=True)):
        if pred.spans:
            spans = [s for s in (own_span(s, offset, length) for s in pred.spans) if s]
            # the sentence's evidence all on other cues: the cue's own reading
            own_reading = i in by_itself and not spans
            pred = by_itself[i] if own_reading else replace(pred, spans=spans)
        if i in by_itself and _diluted(by_itself[i], pred):
            pred = by_itself[i]
        if i in by_itself and vocative(alone[i].text):
            # "Kids," / "Grandma," / ... / "I will slit your throat.": the vocative's own
            # reading, its sentence context only (break10 B7)
            pred = by_itself[i]
        if i in by_para:
            pred = _paragraph_reading(pred, by_para[i], harmful)
        if pred.spans:
            pred = replace(pred, spans=[in_passage(s, reading) for s in pred.spans])
        out.append(pred)
    return out


def _paragraphs(read: Sequence[PassageInput], skip: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Per passage of 2 or more paragraphs (ingest merges paragraphs shorter than
    ``--min-chars``, a forum's or chat's short posts among them), the (start, end) of
    each paragraph in the text read that may be read alone: not one whose previous
    paragraph ends with an attribution line ("The message read:"; someone else's words,
    which the passage's reading must judge) nor one opening with a quotation (a reply's
    ``> quoted post``, a quotation mark), not a subtitle cue read within its sentence
    (``skip``), no passage that reports speech (an attribution word anywhere: "said",
    "wrote", "police", ... :data:`annotate.classifier.features.ATTRIBUTION_RE`: news and
    counter-speech quote threats), and only passages of at most :data:`MAX_PARAGRAPHS`
    paragraphs."""
    from annotate.classifier.features import ATTRIBUTION_RE
    from annotate.classifier.quote_blocks import ends_with_attribution
    from annotate.ingestion.splitter import paragraphs

    out: dict[int, list[tuple[int, int]]] = {}
    for i, p in enumerate(read):
        if i in skip or "\n" not in p.text.strip() or ATTRIBUTION_RE.search(p.text):
            continue
        segs = [(s.start, s.end) for s in paragraphs(p.text)]
        if not 2 <= len(segs) <= MAX_PARAGRAPHS:
            continue
        kept = [
            (a, b)
            for k, (a, b) in enumerate(segs)
            if not p.text[a:b].startswith(_QUOTED_OPENINGS)
            and (k == 0 or not ends_with_attribution(p.text[segs[k - 1][0] : segs[k - 1][1]]))
        ]
        if kept:
            out[i] = kept
    return out


def _harmful(classifier: Classifier) -> frozenset[str]:
    """The model's harmful labels (its config's ``harmful``); empty for a model that
    names none (a hub model: no paragraph reading)."""
    found = getattr(classifier, "harmful", None)
    if found is None:
        found = getattr(getattr(classifier, "config", None), "harmful", None)
    return frozenset(found or ())


def _paragraph_reading(
    joined: Prediction, alone: list[tuple[int, Prediction]], harmful: frozenset[str]
) -> Prediction:
    """The passage's prediction, or the reading of one of its paragraphs alone (its
    spans moved by the paragraph's start) when that paragraph flags a harmful label
    at :data:`PARAGRAPH_BAR` or above and higher than the passage scores it, with a
    span of :data:`RAISING_SPANS` (a threat or call to violence in its own words: the
    reviewer is shown the evidence), and the passage flags no label the paragraph does
    not (:func:`_diluted`; a context label alone raises nothing); of several, the one
    scoring its harmful label highest."""
    best: tuple[float, int, Prediction] | None = None
    for start, pred in alone:
        raised = [
            v
            for k, v in pred.scores.items()
            if k in harmful
            and k in pred.labels
            and v >= PARAGRAPH_BAR
            and v > joined.scores.get(k, 0.0)
        ]
        if not raised or not _diluted(pred, joined):
            continue
        if not any(s.label in RAISING_SPANS for s in pred.spans):
            continue
        top = max(raised)
        if best is None or top > best[0]:
            best = (top, start, pred)
    if best is None:
        return joined
    _, start, pred = best
    return replace(
        pred, spans=[replace(s, start=s.start + start, end=s.end + start) for s in pred.spans]
    )


def _diluted(alone: Prediction, joined: Prediction) -> bool:
    """Whether a cue read alone flags a label (not ``none``) higher than its sentence
    scores it, and the sentence flags no label the cue alone does not: the sentence
    diluted it (break48b #1: a threat line 0.84 alone, 0.22 in 7 cues)."""
    return any(
        k != "none" and v > joined.scores.get(k, 0.0)
        for k, v in alone.scores.items()
        if k in alone.labels
    ) and set(joined.labels) - {"none"} <= set(alone.labels)
