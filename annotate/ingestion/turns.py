"""Speaker turns of a conversation saved as text: forum threads, chat logs, transcripts.

A reviewer judges who said what: in a thread where one user threatens and another quotes
the threat to condemn it, the threat is the first author's and the reply is
counter-speech. The splitter (:mod:`annotate.ingestion.splitter`) merges short
paragraphs with their neighbours; across two authors' posts that merge gives one
passage, and one label, to both. :func:`find_turns` finds where each author's turn
starts, so that the splitter cuts each turn on its own and never merges across.

A line starts a turn when it matches one of four kinds (the first kind, in this order,
that the document holds enough of is the only kind read in it; lines of other kinds are
text of the turn they are in):

1. A by-line: ``Posted by NAME``, ``Post by NAME``, ``Reply from NAME``, ``Comment by
   NAME`` (``Posted``, ``Post``, ``Reply``, ``Replied``, ``Comment``, ``Commented``,
   ``Answer`` or ``Answered``, starting with a capital, then ``by`` or ``from``), the
   name ending at ``:``, ``,``, `` on ``, `` at ``, `` - ``, `` | ``, `` » `` or the
   line's end. At least 2 in the document. By-lines are headers (the post follows),
   unless the document's last line is a by-line without text after a colon (``Posted by
   NAME at 10:02``, not ``Posted by NAME: text``) and its first is not: then they are
   footers (the post comes before its by-line, as blogs sign posts), and a turn ends
   after each.
2. A stamped name: a timestamp, then a name label: ``[12:01] alice: ...``,
   ``[12:01:33] <alice> ...``, ``12/05/26, 21:02 - Dave: ...`` (a chat app's export),
   ``[2026-12-05 21:02] alice: ...``, ``12/05/26, 21:02 - +1 415-555-2671: ...`` (a
   contact the exporting phone has not saved, named by their number); or a name then a
   timestamp in brackets:
   ``Speaker 1 (00:01:23): ...``. At least 2 in the document.
3. A header: a name, then a time, on a line of its own, the message on the lines under
   it: Discord's ``alice — Today at 10:02 PM`` (also ``Yesterday at``, a date), Slack's
   ``alice  10:02 PM`` and Otter's ``Jane Doe  0:03`` (two spaces or a tab between),
   Zoom's ``[Jane Doe] 10:02:03``. At least 2 in the document, each
   followed by text (on the next line, or the one after a blank line) and not by another
   header (an agenda's ``Keynote  10:00 AM`` lines follow one another).
4. A name label: ``alice: ...``, ``<alice> ...`` (IRC), ``SPEAKER 1: ...``, ``John
   Smith: ...``, ``Q: ...`` and ``A: ...``, ``**Interviewer:** ...`` (Markdown bold); a
   stamped name among them (one ``[12:01] <@op> ...`` in a chat labelled
   ``jane@example.com: ...``) is a label too; ``@alice: ...`` is one only in a document
   without other labels (a chat that names its speakers so; among others it is a message
   addressed to alice). A subtitle cue's timing (``00:00:01.000 --> ...``, a Zoom
   recording's WebVTT transcript) opens a block as a blank line does. The document must
   hold at least 2 different names, and one of them must speak twice or the document
   must open with a label and most labels carry more than one word (a conversation goes
   back and forth, or starts with a speaker: a group chat where four people each speak
   once is four turns; a record's ``license: mit`` lines are fields); and at
   least half of the labels must open a block (the line before is blank, or a label, or
   there is none): in hard-wrapped prose a line may start with any word and a colon
   (``recipe: each sentence ...``) inside a paragraph. A label whose text opens with a
   quote mark (``Smith: "We will ..."``, a news article quoting) is not a turn.

A name is one token of letters, digits and ``_ . - ' @`` (``alice``, ``dave_k``,
``Bob.99``), or 2 to 4 words each starting with a capital or a digit (``SPEAKER 1``,
``John Smith``, ``Dr. Jane Doe``), so ``He said: "..."`` and ``The statement reads:``
are no labels; at most 40 characters; the text after the colon must be on the same line.
Words that start prose lines with a colon are no names
(:data:`~annotate.ingestion.turn_names.NOT_NAMES`: ``Note:``, ``Update:``, ``Edit:``,
``Source:``, ``Subject:``, ``PS:``, pronouns, ...), nor are a document's field names
(``Examples:``, ``Policy:``, ``Returns:``, ``Files:``, ``License:``, ``Example1:``; a
name of several words ending in one, or in ``ID``: ``Request ID:``, ``Community
Impact:``) or an e-mail's header fields (``Content-Type:``, ``X-Mailer:``,
``Received:``). A document whose labels read as terms or identifiers, 9 in 10 of them (a
glossary's ``Doxxing:``, ``Radicalisation:``: one word, not in capitals, ending as
abstract nouns do, -ing, -tion, -ment, -ness, -ism, ...; a changelog's ``gh-1234:``; a
file's ``README.txt:``), or whose labels are each a term or followed by a definition (a
clause ending with a full stop that opens with ``a``, ``an``, ``the``, ``someone``,
``see``, ... or a word in -ing, in no first or second person: ``Troll: someone who
posts to provoke.``), is a glossary, not a conversation, if it holds 3 or more names
each used once or twice (two names alternating are two speakers). Consecutive turns
of one speaker are one turn (a chat message sent as several lines, or a burst of
messages: a growing log re-sends its last turn when its speaker goes on, docs/ingest.md,
"Conversations"). A line inside a Markdown code fence (```` ``` ```` or ``~~~``) or an
HTML comment (``<!-- ... -->``) is never a turn (a YAML block's ``model: default``). A
line that starts with ``>`` (a quoted reply) is never a turn: the quote stays in the
reply that quotes it. ``NAME wrote:`` (a quote's header inside a reply) is no turn
either. Text before the first turn (a thread's title, a log's header) is a turn of its
own, without a speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from annotate.ingestion import turn_names as names

# a clock time (12:01, 12:01:33, 9:05pm, 00:01:23.450), with an optional date before it
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?(?:\s?[AaPp]\.?[Mm]\.?)?"
_DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{2,4})"
STAMP_RE = rf"(?:{_DATE}(?:,?\s+|T))?{_TIME}"
# a name: one token, or 2-4 words each starting with a capital or a digit
_TOKEN = r"[^\W_][\w.'@-]{0,39}"
_WORD = r"[A-Z0-9À-ÖØ-Þ][\w.'-]*"
NAME_RE = rf"(?:{_WORD}(?: {_WORD}){{1,3}}|{_TOKEN})"
_IRC = r"<[@+%&~]?(?P<irc>[^\W][^\s<>]{0,39})>"
# a name and its colon, maybe in Markdown bold (**alice:** or **alice**:)
_BOLD = r"(?:\*\*|__)?"
LABEL_RE = rf"(?:{_BOLD}(?P<name>{NAME_RE}){_BOLD}\s?:{_BOLD}|{_IRC})"
OPEN_QUOTE_RE = "\"'“‘«„"

BYLINE_RE = re.compile(
    r"[ \t]*(?=(?-i:[A-Z]))"
    r"(?:posted|post|reply|replied|comment|commented|answer|answered)\s+(?:by|from)\s+"
    r"(?P<by>[^\s:,]+(?: [^\s:,]+){0,3}?)(?=\s*:(?:\s|$)|,|\s+(?:on|at)\s|\s+[-–—|»]\s|\s*$)",
    re.IGNORECASE,
)
# a phone number as a chat app's export names a contact not saved ("+1 415-555-2671"):
# a name only after a timestamp, where no prose line starts
PHONE_RE = r"\+?\d[\d ().-]{5,18}\d"
_STAMPED = re.compile(
    rf"[ \t]*(?:[\[(]{STAMP_RE}[\])]\s*(?:-\s*)?|{STAMP_RE}\s+(?:-\s*)?)"
    rf"(?:{LABEL_RE}|(?P<phone>{PHONE_RE})\s?:)[ \t]+\S"
    rf"|[ \t]*(?P<before>{NAME_RE})\s?[\[(]{STAMP_RE}[\])]\s?:[ \t]+\S"
)
_NAMED = re.compile(rf"[ \t]*{LABEL_RE}[ \t]+(?P<said>\S)")
# a subtitle cue's timing (WebVTT, SRT: a Zoom recording's transcript), a line before a label
_CUE = re.compile(r"[ \t]*(?:\d{1,2}:)?\d{2}:\d{2}[.,]\d{3}[ \t]+-->.*$")
# "@alice: ...": a label only where every label of the document is written so
_AT_NAMED = re.compile(rf"[ \t]*{_BOLD}@(?P<name>{_TOKEN}){_BOLD}\s?:{_BOLD}[ \t]+(?P<said>\S)")
# a speaker's header on a line of its own, the message on the next lines: Discord's
# "alice — Today at 10:02 PM", Slack's "alice  10:02 PM", Otter's "Jane Doe  0:03",
# Zoom's "[Jane Doe] 10:02:03"
_MONTH_DAY = r"[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?"
HEADED_RE = re.compile(
    r"[ \t]*(?:\[(?P<boxed>[^\s\[\]<>:][^\n\[\]:]{0,39}?)\][ \t]+"
    r"|(?P<head>[^\s\[\]<>:—–][^\n:—–]{0,39}?)(?:[ \t]*[—–][ \t]*|[ \t]{2,}|\t))"
    rf"(?:(?:Today|Yesterday) at |{_DATE},?[ \t]+(?:at[ \t]+)?|{_MONTH_DAY},?[ \t]+at[ \t]+)?"
    rf"{_TIME}[ \t]*\r?$"
)


@dataclass(frozen=True)
class Turn:
    """One speaker's turn: ``text[start:end]``, whole lines (``end`` is where the next
    turn starts, or the text's end). ``speaker``: the name as written (``alice``,
    ``SPEAKER 1``), None for the text before the first turn."""

    start: int
    end: int
    speaker: str | None


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line's first character
    end: int  # offset after the line's last character (before its newline)
    speaker: str | None  # the name, when the line starts a turn of the kind read


def find_turns(text: str) -> list[Turn]:
    """The turns of ``text`` in order, covering it whole (the first starts at 0, each
    ends where the next starts, the last at ``len(text)``), or [] when the text holds no
    turns of any kind (see the module docstring): a document without turns is split as
    one text, as before turns were read."""
    lines = _lines(text)
    for kind in (_bylines, _stamped, _headed, _named):
        found = kind(lines)
        if found is not None:
            return _turns(text, found[0], footers=found[1])
    return []


def moved_turns(turns: Sequence[Turn], move: Callable[[int], int], length: int) -> list[Turn]:
    """``turns`` of a text carried onto an edited copy of it, ``length`` characters long:
    ``ingest --redact`` finds the turns on the unmasked text, as a run without it does,
    then masks personal data, a speaker label's too (``<@op>`` -> ``<[HANDLE]>``), which
    would no longer read as one; and two speakers masked alike are still two turns.

    ``move``: where an offset of the text is in the copy (never decreasing; an offset
    inside a masked span goes to its placeholder's start, so no placeholder is cut). Each
    turn starts at its start moved and ends where the next starts; the first starts at 0,
    the last ends at ``length``; a turn left empty is dropped. [] stays []."""
    if not turns:
        return []
    starts = [0] + [move(t.start) for t in turns[1:]]
    moved: list[Turn] = []
    for turn, start, end in zip(turns, starts, [*starts[1:], length], strict=True):
        if end > start:
            moved.append(Turn(start, end, turn.speaker))
    return moved


def _lines(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, line)`` of each line; a line of a Markdown code fence (from a line
    opening with three backticks or tildes to the next such line) or of an HTML comment
    (from a line opening with ``<!--`` to the line holding ``-->``) reads as the fence
    marker alone, so that ``model: default`` in a YAML block, or a YAML block hidden in a
    comment (Node.js's docs: ``description: ...``), is never a speaker."""
    out = []
    pos = 0
    fence: str | None = None
    for line in text.split("\n"):
        opened = line.lstrip()[:4]
        read = line
        if fence == "<!--" or (fence is None and opened == "<!--"):
            read = "```"
            fence = None if "-->" in line else "<!--"
        elif fence is not None or opened[:3] in ("```", "~~~"):
            read = "```"
            if fence is None:
                fence = opened[:3]
            elif opened[:3] == fence:
                fence = None
        out.append((pos, pos + len(line), read))
        pos += len(line) + 1
    return out


def _bylines(lines: list[tuple[int, int, str]]) -> tuple[list[_Line], bool] | None:
    marked = [
        _Line(start, end, names.speaker(m.group("by")) if (m := BYLINE_RE.match(line)) else None)
        for start, end, line in lines
    ]
    if sum(m.speaker is not None for m in marked) < 2:
        return None
    written = [(m, line) for m, (_, _, line) in zip(marked, lines, strict=True) if line.strip()]
    (first, _), (last, last_line) = written[0], written[-1]
    # a signature ends the document ("Posted by alice at 10:02"), not a post of its own
    # ("Posted by alice: the post's text")
    signed = last.speaker is not None and not _holds_post(last_line)
    return marked, signed and first.speaker is None


def _holds_post(line: str) -> bool:
    """Whether a by-line holds its post's text after a colon (``Posted by NAME: text``)."""
    m = BYLINE_RE.match(line)
    return m is not None and line[m.end() :].lstrip().startswith(":")


def _stamped(lines: list[tuple[int, int, str]]) -> tuple[list[_Line], bool] | None:
    marked = []
    for start, end, line in lines:
        m = _STAMPED.match(line)
        name = (m.group("name") or m.group("irc") or m.group("before")) if m else None
        phone = m.group("phone") if m else None  # no letter in it, and none needed
        marked.append(_Line(start, end, names.speaker(name) if name else phone))
    if sum(m.speaker is not None for m in marked) < 2:
        return None
    return marked, False


def _headed(lines: list[tuple[int, int, str]]) -> tuple[list[_Line], bool] | None:
    """Headers on lines of their own (a name, then a time), each with a message under it:
    the next line, or the one after a blank line, is text and no header (an agenda's
    ``Keynote  10:00 AM`` lines follow one another). At least 2."""
    heads = [
        names.speaker(m.group("head") or m.group("boxed")) if (m := HEADED_RE.match(ln)) else None
        for *_, ln in lines
    ]
    marked = []
    for i, (start, end, _) in enumerate(lines):
        after = [j for j in (i + 1, i + 2) if j < len(lines) and lines[j][2].strip()]
        said = bool(after) and heads[after[0]] is None
        marked.append(_Line(start, end, heads[i] if said else None))
    if sum(m.speaker is not None for m in marked) < 2:
        return None
    return marked, False


def _named(lines: list[tuple[int, int, str]]) -> tuple[list[_Line], bool] | None:
    """Name labels; ``@alice:`` labels where the document holds no other kind (where it
    does, ``@bob: ...`` is a message addressed to bob)."""
    # a timestamped label among plain ones (one "[12:01] <@op> ..." line in a chat
    # labelled "jane@example.com: ...") is a label too
    plain = [_STAMPED.match(line) or _NAMED.match(line) for _, _, line in lines]
    if not any(m and _written(m)[1] for m in plain):
        return _labelled(lines, [_AT_NAMED.match(line) for _, _, line in lines])
    return _labelled(lines, plain)


def _written(m: re.Match[str]) -> tuple[str, str | None]:
    """A label match's name as written, and as a speaker (None: a word of NOT_NAMES, a
    field's name, no letter); a phone number after a timestamp is one as it is."""
    found = m.groupdict()
    if found.get("phone"):
        return found["phone"], found["phone"]
    written = found.get("name") or found.get("irc") or found.get("before") or ""
    return written, names.speaker(written)


def _labelled(
    lines: list[tuple[int, int, str]], matches: list[re.Match[str] | None]
) -> tuple[list[_Line], bool] | None:
    """The name kind's reading of ``lines``, each line's label match given."""
    marked = []
    labels: list[tuple[str, str]] = []  # (name, the text after it) of each label
    shaped: list[bool] = []  # a label, or a field's name where a label would be
    for (start, end, line), m in zip(lines, matches, strict=True):
        name = None
        text = line[m.end() - 1 :] if m else ""  # each pattern ends at its first character
        if m and text[0] not in OPEN_QUOTE_RE:
            written, name = _written(m)
            shaped.append(name is not None or names.field(written))
        else:
            shaped.append(False)
        if name is not None:
            labels.append((name, text))
        marked.append(_Line(start, end, name))
    said = Counter(m.speaker for m in marked if m.speaker is not None)
    if len(said) < 2:
        return None
    # hard-wrapped prose: "word: ..." at a line's start in passing, inside a paragraph (a
    # field's name counts: a patch's "Files:" under its "Problem:" is such a line); a
    # subtitle cue's timing opens a block as a blank line does
    opens = sum(
        1
        for i, is_label in enumerate(shaped)
        if is_label
        and (i == 0 or not lines[i - 1][2].strip() or shaped[i - 1] or _CUE.match(lines[i - 1][2]))
    )
    if opens < sum(shaped) / 2:
        return None
    first = next((m for m, (_, _, line) in zip(marked, lines, strict=True) if line.strip()))
    # no one speaks twice: a list of fields, unless a label opens the document and the
    # labels carry messages (a group chat's threat and three replies condemning it, one
    # passage each), not values (a record's "download_url: https://...", "license: mit")
    values = sum(len(said_text.split()) < 2 for _, said_text in labels)
    if max(said.values()) < 2 and (first.speaker is None or 2 * values >= len(labels)):
        return None
    if names.defines(labels):
        return None
    return marked, False


def _turns(text: str, marked: list[_Line], *, footers: bool) -> list[Turn]:
    """Turns from the lines that start (or, ``footers``, end) one; consecutive turns of
    one speaker joined."""
    bounds: list[tuple[int, str | None]] = [(0, None)]  # (start, speaker) of each turn
    for line in marked:
        if line.speaker is None:
            continue
        if footers:  # the post before the by-line is its speaker's; a turn starts after
            start = bounds[-1][0]
            bounds[-1] = (start, line.speaker)
            bounds.append((min(line.end + 1, len(text)), None))
        else:
            bounds.append((line.start, line.speaker))
    turns: list[Turn] = []
    for i, (start, speaker) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        if end <= start:
            continue
        if turns and speaker is not None and turns[-1].speaker == speaker:
            turns[-1] = Turn(turns[-1].start, end, speaker)
        else:
            turns.append(Turn(start, end, speaker))
    if len(turns) == 1 and turns[0].speaker is None:
        return []
    return turns
