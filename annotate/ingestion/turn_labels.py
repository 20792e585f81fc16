"""Where a passage's speaker labels are: the label a chat message, a transcript's line or
a forum post opens with, as the turn reader (:mod:`annotate.ingestion.turns`) reads it.

Ingest keeps a turn's label in its first passage (offsets into the file are the
passage's provenance, and the reviewer sees who speaks), but a classifier that reads
``Dave: not joking, I will break his legs`` or ``12/05/26, 21:05 - Dave: ...`` scores
the label's name and timestamp as words of the message: the threat scored 0.27 bare,
0.06 and 0.01 so labelled (break47 F14). :func:`label_ranges` finds the labels, for the
classifier to read the words without them (:mod:`annotate.classifier.turn_text`).

A passage's labels are read from its text alone, with the turn reader's header patterns
(ingest records no label span, and a table's row of chat text is read by no turn
reader): a passage holds labels only when its first line opens with one of

- a stamped name: ``[12:05] dave: ``, ``12/05/26, 21:05 - Dave: ``, ``[12:01:33] <alice>
  ``, ``12/05/26, 21:02 - +1 415-555-2671: ``, ``Speaker 1 (00:01:23): ``;
- a name label, in a conversation (see :func:`label_ranges`): ``Dave: ``, ``<alice> ``,
  ``SPEAKER 1: ``, ``**Interviewer:** ``; not a word that opens prose or a field
  (``Note:``, ``Update:``, ``Example1:``, :func:`annotate.ingestion.turn_names.speaker`),
  nor one whose text opens with a quote mark (``Smith: "We will ..."``, a news article quoting);
- a by-line holding its post: ``Posted by alice: ``;
- a header on a line of its own, the message under it: ``alice — Today at 10:02 PM``;

each also with a name masked by ``ingest --redact`` (``[PHONE-1]: ``, ``<[HANDLE-2]> ``).
Then the labels opening its later lines are read too (one speaker's burst of messages
is one turn, each line stamped). ``@alice: ...`` is no label here (a message addressed to
alice, in most documents), nor is a bare timestamp.

Why ingest does not record the spans for prelabel (looked at in stop 48): reading them
again costs about 33 µs a passage (6,000 chat, forum and prose passages in 0.2 s on two
shared cores), a few per cent of the encoder's ~1.4 ms (about 700 passages/s,
benchmarks/README.md); and the other inputs need the reading anyway (passage tables
written before, tables not written by ingest, the neighbour text ``ingest --previous``
carries), so a recorded column would be a second source that can disagree with this
one, added to the passage schema, push, export and the pseudonymised tables. What the
text alone cannot know is whether a document is a conversation (plain name labels):
judged from the passages prelabel is given of the document, the passages that
``ingest --previous`` writes of an edited chat (one speaker's new messages, with their
carried neighbours), the passages left once exact duplicates are dropped, or the last
window of a document longer than ``prelabel.CHUNK_SIZE`` passages can read ``Dave: ...``
as words where the whole document would not. So ingest records it per document on the
whole text (since stop 48: the passages' ``conversation`` column, :func:`is_conversation`),
and prelabel goes by that where a table has it; a table without it (ingested before, or
not by ingest) is judged from the passages given, as before.
"""

from __future__ import annotations

import re

from annotate.ingestion import turn_names as names
from annotate.ingestion.turns import (
    BYLINE_RE,
    HEADED_RE,
    LABEL_RE,
    NAME_RE,
    OPEN_QUOTE_RE,
    PHONE_RE,
    STAMP_RE,
)

# a name masked by ingest --redact: [PHONE-1], [EMAIL-2], [HANDLE]
_MASKED = r"\[[A-Z][A-Z_]*(?:-\d+)?\]"
_NAME_OR_MASK = rf"(?:{LABEL_RE}|(?P<masked>{_MASKED})\s?:|<(?P<masked_irc>{_MASKED})>)"
# each pattern ends where the message starts (its whitespace taken)
_STAMPED = re.compile(
    rf"[ \t]*(?:(?:[\[(]{STAMP_RE}[\])]\s*(?:-\s*)?|{STAMP_RE}\s+(?:-\s*)?)"
    rf"(?:{_NAME_OR_MASK}|(?P<phone>{PHONE_RE})\s?:)"
    rf"|(?P<before>{NAME_RE})\s?[\[(]{STAMP_RE}[\])]\s?:)[ \t]+(?=\S)"
)
_NAMED = re.compile(rf"[ \t]*{_NAME_OR_MASK}[ \t]+(?=\S)")


def label_ranges(text: str, *, conversation: bool = True) -> list[tuple[int, int]]:
    """The speaker labels of a passage's ``text``: ``[(start, end)]`` offsets into it, in
    order, not overlapping, each a label with the whitespace after it (the message
    starts at ``end``); [] when the first line opens with no label (see the module
    docstring) or when no message would be left without them.

    A plain name label (``Dave: ``, ``<alice> ``, ``[EMAIL-1]: ``) is one only in a
    ``conversation`` (:func:`named_speakers` of its document: 2 or more): alone, it
    reads as a headline's or a tweet's attribution as often (``Trump: ...``, ``UK:
    ...``, ``rt : ...``: 1 to 2 in 100 posts of public hate-speech and extremism
    tables open so), and the attribution is what tells reported words from the
    author's. A stamped name, a by-line and a header are labels anywhere."""
    found: list[tuple[int, int]] = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        end = _label_end(line, text[pos + len(line) + 1 :], conversation)
        if end is None and i == 0:
            return []
        if end is not None:
            found.append((pos, pos + end))
        pos += len(line) + 1
    if not _left(text, found).strip():
        return []
    return found


def named_speakers(text: str) -> set[str]:
    """The speakers of the plain name labels (``Dave: ``, ``<alice> ``, ``[EMAIL-1]: ``)
    that open lines of ``text``: a document whose passages name 2 or more is a
    conversation (:func:`label_ranges`)."""
    found = set()
    for line in text.split("\n"):
        m = _NAMED.match(line)
        if m and _said_by_speaker(m) and line[m.end()] not in OPEN_QUOTE_RE:
            found.add(next(v for v in m.groupdict().values() if v).lower())
    return found


def is_conversation(text: str) -> bool:
    """Whether a document's ``text`` is a conversation: its lines open with the plain
    name labels of 2 or more speakers (:func:`named_speakers`). Ingest records it per
    document on its whole text (the passages' ``conversation`` column), so prelabel
    reads ``Dave: `` as a label in every passage of it, also when it is given only
    some (see the module docstring)."""
    return len(named_speakers(text)) >= 2


def _label_end(line: str, after: str, conversation: bool) -> int | None:
    """Where the message starts in ``line`` after the speaker label it opens with, None
    when it opens with none (a plain name label: none outside a ``conversation``); a
    header on a line of its own ends with the line and the blank lines under it
    (``after``: the text after the line's newline)."""
    for pattern in (_STAMPED, _NAMED) if conversation else (_STAMPED,):
        m = pattern.match(line)
        if m and _said_by_speaker(m) and line[m.end()] not in OPEN_QUOTE_RE:
            return m.end()
    m = BYLINE_RE.match(line)
    if m and names.speaker(m.group("by")) is not None:
        rest = line[m.end() :]
        said = rest.lstrip()
        if said.startswith(":") and said[1:].strip():
            return len(line) - len(said[1:].lstrip())
    m = HEADED_RE.match(line)
    if m and names.speaker(m.group("head") or m.group("boxed")) is not None and after.strip():
        return len(line) + 1 + len(after) - len(after.lstrip())
    return None


def _said_by_speaker(m: re.Match[str]) -> bool:
    """Whether a label match names a speaker: a masked name or a phone number as it is,
    a written name unless it opens prose or names a field (``Note:``, ``Example1:``)."""
    found = m.groupdict()
    if found.get("masked") or found.get("masked_irc") or found.get("phone"):
        return True
    written = found.get("name") or found.get("irc") or found.get("before") or ""
    return names.speaker(written) is not None


def _left(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` without ``ranges``."""
    pieces, at = [], 0
    for a, b in ranges:
        pieces.append(text[at:a])
        at = b
    pieces.append(text[at:])
    return "".join(pieces)


def label_speakers(text: str, *, conversation: bool = True) -> list[str]:
    """The speakers the labels of a passage's ``text`` name (:func:`label_ranges`: a
    stamped name, ``[10:07] alex: ``, anywhere; a plain name label, ``Dave: ``, only in
    a ``conversation``), as written (``alex``, ``Jane Roe``, ``+1 415-555-2671``), in
    order, each once; a by-line's or a header's name is not read here (the turn reader
    finds those in a document's passages read together). [] when it opens with none."""
    found: list[str] = []
    for start, _ in label_ranges(text, conversation=conversation):
        for pattern in (_STAMPED, _NAMED) if conversation else (_STAMPED,):
            m = pattern.match(text, start)
            if m is None:
                continue
            written = m.groupdict()
            name = written.get("name") or written.get("irc") or written.get("before")
            speaker = names.speaker(name) if name else written.get("phone")
            if speaker:
                found.append(speaker)
            break
    return list(dict.fromkeys(found))
