"""Split a document into passages: paragraph- and sentence-aware, bounded length.

Guarantees (property-tested):
- every passage is ``doc[start:end]`` exactly, passages are in document order and do
  not overlap, and every non-whitespace character of the document is in one passage;
- no passage is longer than ``max_chars``: a sentence is never split, unless it alone is
  longer than ``max_chars``. Such a "sentence" is first read again with a looser rule
  (:func:`loose_sentences`): a sentence also ends at ``. ! ?`` before a lowercase word
  (chat text is often written in lowercase: ``... be hurt badly. sentence two ...``),
  which the first rule does not take as a sentence end (``e.g. the``, ``approx. five``);
  only what is still too long (chat logs and transcripts without punctuation) is cut at
  the last whitespace before the limit (mid-word only when a single "word" is longer
  than the limit) and a warning is logged. A document without such a sentence is split
  as before the looser rule existed;
- with ``turns`` (the default), a conversation's speaker turns
  (:func:`annotate.ingestion.turns.find_turns`: a forum thread's posts, a chat log's
  messages, a transcript's speakers) are split each on its own: no passage holds text of
  two turns, a turn shorter than ``min_chars`` is a passage of its own, a turn longer than
  ``max_chars`` is split inside it. A document without turns is split exactly as without
  ``turns``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from annotate._util.repeated import FirstFew
from annotate._util.sentence_stops import (
    CJK_CLOSING,
    CJK_FULL_STOPS,
    CJK_STOPS,
    OTHER_STOPS,
    SPACED_STOPS,
)
from annotate.defaults import DEFAULT_MAX_CHARS, DEFAULT_MIN_CHARS
from annotate.ingestion.turns import Turn, find_turns

log = logging.getLogger(__name__)
LONG = "sentences cut (longer than a passage)"  # per-row warnings of a kind (FirstFew)

# The splitter's version, recorded in every ingest run's settings (``splitter``): raised
# by every change that cuts some documents into other passages (other texts, so other
# passage ids), so that ``ingest --previous`` can say an earlier batch was cut otherwise.
# Runs recorded before it (6 Dec 2026) hold none: version 1.
SPLITTER_VERSION = 2
# what each version changed, as ``ingest --previous`` says it, and the characters a
# document must hold to be cut otherwise by it (a passage of an earlier run holding none
# is cut alike)
SPLITTER_CHANGES = {
    2: (
        "a sentence ends after a CJK full stop or mark (。．！？｡), an Indic danda (। ॥), an "
        "Arabic question mark (؟), an Urdu (۔), Armenian (։), Ethiopic (። ፧) or Myanmar (။) "
        "full stop, and not after a CJK full stop between two digits ('3。5')",
        OTHER_STOPS,
    ),
}

# A sentence ends after . ! ? or … (plus closing quotes/brackets) followed by whitespace
# and something that can start a sentence; after a CJK full stop or mark (。！？．, plus
# closing brackets) before anything but, for a full stop, a digit after a digit ("3。5");
# after another script's full stop (। ؟ ۔ ...: annotate/_util/sentence_stops.py) before
# whitespace.
_SENT_END = re.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])"
    rf"|(?!(?<=\d)[{CJK_FULL_STOPS}]\d)[{CJK_STOPS}]+[{CJK_CLOSING}\"'”’]*(?=\s*\S)"
    rf"|[{SPACED_STOPS}]+[\"'”’»)\]]*(?=\s+\S)"
)
_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "maj",
    "st",
    "sen",
    "rep",
    "gov",
    "pres",
    "jr",
    "sr",
    "vs",
    "etc",
    "no",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "a.m",
    "p.m",
    "approx",
    "fig",
    "al",
}
# words written with a period that end no sentence before a lowercase word (the looser
# rule of loose_sentences; _ABBREV's words are kept too)
_LOWER_ABBREV = {
    "cf", "ca", "viz", "esp", "incl", "excl", "approx", "est", "vol", "vols", "pp", "p",
    "ed", "eds", "op", "cit", "ibid", "resp", "govt", "misc", "avg", "sq", "ft", "lb",
    "lbs", "oz", "yr", "yrs", "hr", "hrs", "min", "mins", "sec", "secs", "mt", "ave",
    "blvd", "rd", "tel", "ext", "figs", "nos", "v", "ie", "eg", "pt", "pts", "dist",
}  # fmt: skip
# . ! ? (plus closing quotes/brackets), whitespace, then a lowercase letter
_LOWER_END = re.compile(r"(?:[!?…]+|\.+)[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[^\W\d_])")
_LINE_END_PUNCT = tuple(".!?:;\"'”’»)]…" + OTHER_STOPS)


@dataclass(frozen=True)
class Segment:
    start: int
    end: int


def _strip(text: str, start: int, end: int) -> Segment | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end) if end > start else None


def paragraphs(text: str) -> Iterator[Segment]:
    """Paragraphs: blank lines always separate; a single newline separates too unless the
    line is soft-wrapped (no closing punctuation and the next line starts lowercase)."""
    start = 0
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        line_end = pos + len(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        stripped = line.rstrip()
        if nxt is None or not nxt.strip() or not stripped:
            boundary = True
        else:
            soft = not stripped.endswith(_LINE_END_PUNCT) and nxt.lstrip()[:1].islower()
            boundary = not soft
        if boundary:
            seg = _strip(text, start, line_end)
            if seg:
                yield seg
            start = line_end + 1
        pos = line_end + 1


def _split_at(
    text: str, seg: Segment, ends: re.Pattern[str], kept: Callable[[str, str], bool]
) -> Iterator[Segment]:
    """``seg`` (offsets into ``text``) cut after each match of ``ends`` but those where
    ``kept(match, text before it)`` says the sentence goes on (an abbreviation, an
    initial); empty pieces dropped."""
    start = seg.start
    for m in ends.finditer(text[seg.start : seg.end]):
        end = seg.start + m.end()
        if kept(m.group(), text[start : seg.start + m.start() + 1]):
            continue
        s = _strip(text, start, end)
        if s:
            yield s
        start = end
    s = _strip(text, start, seg.end)
    if s:
        yield s


def _goes_on(end: str, before: str) -> bool:
    """:func:`sentences`' rule: a period after an abbreviation (:data:`_ABBREV`) or an
    initial ("J. Smith") ends no sentence."""
    word = re.search(r"([\w.]+)\.$", before)
    if word and end.startswith(".") and word.group(1).lower() in _ABBREV:
        return True
    return bool(word and len(word.group(1)) == 1 and word.group(1).isupper())


def _goes_on_loose(end: str, before: str) -> bool:
    """:func:`loose_sentences`' rule: a period after an abbreviation (:data:`_ABBREV`,
    :data:`_LOWER_ABBREV`), a lone letter or a word with periods inside it ends no
    sentence."""
    if not end.startswith("."):
        return False
    word = re.search(r"([\w.]+)\.+$", before)
    name = word.group(1).lower() if word else ""
    return name in _ABBREV or name in _LOWER_ABBREV or len(name) == 1 or "." in name


def sentences(text: str, seg: Segment) -> Iterator[Segment]:
    """Sentences of one paragraph (offsets into ``text``)."""
    return _split_at(text, seg, _SENT_END, _goes_on)


def loose_sentences(text: str, seg: Segment) -> Iterator[Segment]:
    """Sentences of ``seg`` (offsets into ``text``) by a looser rule than
    :func:`sentences`: one also ends at ``. ! ? …`` (and closing quotes or brackets)
    followed by whitespace and a word in any case, ``... be hurt badly. next one``; but not
    after an abbreviation (``e.g.``, ``approx.``, ``U.S.``: :data:`_ABBREV`,
    :data:`_LOWER_ABBREV`, a word with periods inside it) or a lone letter (an initial),
    nor after a period that follows a digit and precedes one (``3.5``: no whitespace, so
    no match anyway). Used only for a sentence longer than a passage, which would
    otherwise be cut at whitespace."""
    return _split_at(text, seg, _LOWER_END, _goes_on_loose)


def _cut_long(text: str, seg: Segment, hard_max: int) -> tuple[list[Segment], int, int]:
    """``seg`` cut into pieces of at most ``hard_max`` characters, each cut at the last
    whitespace in reach, else (none there) a hard cut mid-word; with the counts of
    whitespace cuts and of hard cuts."""
    pieces: list[Segment] = []
    at_space = hard = 0
    start = seg.start
    while seg.end - start > hard_max:
        window = text[start + 1 : start + hard_max + 1]
        spaces = [m.start() for m in re.finditer(r"\s", window)]
        cut = start + 1 + spaces[-1] if spaces else start + hard_max
        at_space += bool(spaces)
        hard += not spaces
        while cut < seg.end and cut > start + 1 and unicodedata.combining(text[cut]):
            cut -= 1  # never separate a base character from its combining marks
        s = _strip(text, start, cut)
        if s:
            pieces.append(s)
        start = cut
    s = _strip(text, start, seg.end)
    if s:
        pieces.append(s)
    return pieces, at_space, hard


def _log_cuts(
    length: int, at_space: int, hard: int, hard_max: int, name: str | None, said: FirstFew | None
) -> None:
    where = f"{name}: " if name else ""
    warn = partial(said.warn, log, LONG) if said is not None else log.warning
    if not hard:
        warn("%scutting a %d-character sentence at whitespace", where, length)
        return
    warn(
        "%scutting a %d-character sentence: %d hard cut(s) mid-word, no whitespace found "
        "within %d characters%s",
        where,
        length,
        hard,
        hard_max,
        f"; {at_space} cut(s) at whitespace" if at_space else "",
    )


def split_passages(
    text: str,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    min_chars: int = DEFAULT_MIN_CHARS,
    hard_max_chars: int | None = None,
    name: str | None = None,
    said: FirstFew | None = None,
    turns: bool = True,
) -> list[Segment]:
    """Passages of a document as (start, end) offsets; see the module docstring.
    ``name``: the document as warnings name it (a sentence too long to keep whole);
    ``said``: the run's per-row warnings, which log the first few cuts (all when None);
    ``turns``: split each speaker turn on its own (``ingest --no-turns``: False).
    Raises ValueError (``max_chars`` below 1, ``min_chars`` below 0)."""
    return split_at_turns(
        text,
        find_turns(text) if turns else [],
        max_chars=max_chars,
        min_chars=min_chars,
        hard_max_chars=hard_max_chars,
        name=name,
        said=said,
    )


def split_at_turns(
    text: str,
    found: Sequence[Turn],
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    min_chars: int = DEFAULT_MIN_CHARS,
    hard_max_chars: int | None = None,
    name: str | None = None,
    said: FirstFew | None = None,
) -> list[Segment]:
    """:func:`split_passages` of ``text`` with its turns given (``find_turns(text)``; []
    splits it as one text). Raises ValueError as :func:`split_passages`."""
    if max_chars < 1 or min_chars < 0:
        raise ValueError("max_chars must be >= 1 and min_chars >= 0")
    if not found:
        return _split_text(text, max_chars, min_chars, hard_max_chars, name, said)
    log.debug("%s: %d speaker turns, split each on its own", name or "document", len(found))
    passages: list[Segment] = []
    for turn in found:
        passages += [
            Segment(turn.start + s.start, turn.start + s.end)
            for s in _split_text(
                text[turn.start : turn.end], max_chars, min_chars, hard_max_chars, name, said
            )
        ]
    return passages


def _split_text(
    text: str,
    max_chars: int,
    min_chars: int,
    hard_max_chars: int | None,
    name: str | None,
    said: FirstFew | None,
) -> list[Segment]:
    """Passages of ``text`` (a document, or one turn of it) as offsets into it."""
    hard_max = min(hard_max_chars or max_chars, max_chars)
    units: list[Segment] = []
    for para in paragraphs(text):
        if para.end - para.start <= max_chars:
            units.append(para)
            continue
        current: Segment | None = None
        for sent in sentences(text, para):
            pieces = [sent]
            if sent.end - sent.start > hard_max:  # read again: ". next" ends one too
                pieces = []
                for loose in loose_sentences(text, sent):
                    if loose.end - loose.start > hard_max:
                        cuts, at_space, hard = _cut_long(text, loose, hard_max)
                        _log_cuts(loose.end - loose.start, at_space, hard, hard_max, name, said)
                        pieces += cuts
                    else:
                        pieces.append(loose)
            for piece in pieces:
                if current is not None and piece.end - current.start <= max_chars:
                    current = Segment(current.start, piece.end)
                else:
                    if current is not None:
                        units.append(current)
                    current = piece
        if current is not None:
            units.append(current)
    return _merge_short(units, max_chars, min_chars)


def _merge_short(units: list[Segment], max_chars: int, min_chars: int) -> list[Segment]:
    """Merge passages shorter than ``min_chars`` into the next (or previous) one."""
    merged: list[Segment] = []
    for unit in units:
        if merged:
            prev = merged[-1]
            if prev.end - prev.start < min_chars and unit.end - prev.start <= max_chars:
                merged[-1] = Segment(prev.start, unit.end)
                continue
        merged.append(unit)
    if len(merged) > 1:
        last, prev = merged[-1], merged[-2]
        if last.end - last.start < min_chars and last.end - prev.start <= max_chars:
            merged[-2:] = [Segment(prev.start, last.end)]
    return merged
