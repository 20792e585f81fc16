"""Subtitle files (WebVTT, SRT): a Zoom recording's transcript, a video's captions.

A subtitle file is a list of cues, each a block of lines: an optional identifier (SRT's
cue number, ``1``), a timing line (``00:00:01.000 --> 00:00:04.000``, SRT writes
``00:00:01,000``), then the cue's text (``Jane Doe: Can you hear me?``); a blank line
ends it. A WebVTT file opens with a ``WEBVTT`` line (its header block), and may hold
``NOTE``, ``STYLE`` and ``REGION`` blocks. Only the cues' texts are passage text:
:func:`cue_texts` gives where each is, as offsets into the file's text, so that a
passage is still ``text[start:end]`` of the file (the header, cue numbers and timing
lines lie between passages, in none).

A file is read so when its extension is ``.vtt`` or ``.srt``, or, saved as text
(``zoom.vtt.txt``, ``talk.txt``), when its first line is ``WEBVTT`` or its first block is
a cue (:func:`is_subtitles`); one whose name does not say so is recorded in its passages'
``meta`` (:data:`annotate.classifier.cue_sentences.META_KEY`), so prelabel and push tell
it as one.

Captions carry markup: WebVTT's voice (``<v Alice>``, a speaker label), class, italic,
bold, underline, language and ruby tags, the word timings of YouTube's automatic
captions (``hello<00:00:00.500><c> everyone</c>``), SRT's ``<i>``/``<font ...>`` tags
and ``{\an8}`` position codes. A passage keeps them (it is the file's characters);
the classifier reads its text without them (:func:`markup_ranges`,
:mod:`annotate.classifier.turn_text`), as it reads a turn without its speaker label.
YouTube's rolling captions repeat the line the previous cue showed before the new one
(and flash it alone for 10 ms between them): a cue's passage starts at its first new
line, and a flash cue that only repeats is none (:func:`cue_texts`), so that each
sentence is read once.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise

from annotate.ingestion.turns import Turn

SUFFIXES = frozenset({".vtt", ".srt"})

# WebVTT allows "two or more" hour digits (break14 #5: "1000:00:03.000" was passage text)
_STAMP = r"(?:\d+:)?\d{2}:\d{2}[.,]\d{3}"
# a cue's timing line, maybe with WebVTT's cue settings after it ("align:start")
_TIMING = re.compile(rf"[ \t]*(?P<start>{_STAMP})[ \t]+-->[ \t]+(?P<end>{_STAMP})(?:[ \t].*)?\r?$")
# cue text markup: WebVTT's tags (class, italic, bold, underline, ruby, voice, language;
# a class after a dot, "<c.yellow>", an annotation after a space, "<v Alice>") and its
# timestamps ("<00:00:00.500>", YouTube's word timings), SRT's <font ...> and SSA's
# override codes in braces ("{\an8}", "{\i1\b1}"; not TeX's "{\bf word}")
MARKUP = re.compile(
    r"</?(?:c|i|b|u|ruby|rt|v|lang|font)(?:\.[\w.-]*)?(?:[ \t][^<>\n]*)?>"
    rf"|<{_STAMP}>"
    r"|\{(?:\\[^{}\\\s]+)+\}",
    re.IGNORECASE,
)
_WORD_TIMING = re.compile(rf"<{_STAMP}>")  # YouTube's word timings
_FLASH = 0.1  # seconds: a cue shown no longer than this is read by nobody
_HEADER = re.compile(r"\ufeff?WEBVTT(?:[ \t].*)?\r?$")
_NUMBER = re.compile(r"[ \t]*\d+[ \t]*\r?$")
_NOT_CUES = ("NOTE", "STYLE", "REGION")  # WebVTT blocks that are no text


# the keys of a subtitle cue's passage's ``meta`` (JSON, as ingest writes it) holding the
# cue's start and end in the video, in seconds (finding passM55 9: an auditor, and a
# reviewer, can say where in the video a line was said; prelabel reads them so as not to
# join cues far apart into one sentence: annotate.classifier.cue_sentences.MAX_GAP). A
# passage of a cue split in two (a long cue, a speaker's turn starting in it) has the
# cue's times. Absent from passages ingested before stop 55
CUE_START, CUE_END = "cue_start", "cue_end"


def cue_meta(meta: str | None, times: tuple[float, float] | None) -> str | None:
    """A subtitle cue's passage's ``meta``: the document's (``meta``, JSON text or None)
    with the cue's ``times`` (start, end in seconds) as :data:`CUE_START` and
    :data:`CUE_END`; ``meta`` as it is where ``times`` is None."""
    if times is None:
        return meta
    other = json.loads(meta) if meta else {}
    other = {**other, CUE_START: times[0], CUE_END: times[1]}
    return json.dumps(other, ensure_ascii=False, sort_keys=True)


def is_subtitles(text: str, suffix: str) -> bool:
    """Whether a text file is a subtitle file: ``suffix`` (lower case, ``.vtt``) is one of
    :data:`SUFFIXES`, or its first line that is not blank is ``WEBVTT`` (maybe followed by
    a space and a title) and a timing line follows, or its first block is a cue (a timing
    line, maybe after an identifier line)."""
    if suffix in SUFFIXES:
        return True
    blocks = _blocks(_lines(text))
    if not blocks:
        return False
    first = [line for _, _, line in blocks[0][:2]]
    if _TIMING.match(first[0]) or (len(first) > 1 and _TIMING.match(first[1])):
        return True
    # "WEBVTT is a format ..." opening prose: no timing line under it
    return bool(_HEADER.match(first[0])) and any(
        _TIMING.match(line) for block in blocks[1:] for _, _, line in block
    )


def has_cues(text: str) -> bool:
    """Whether a subtitle file's ``text`` holds a cue: a timing line
    (``00:00:01.000 --> 00:00:04.000``)."""
    return any(_TIMING.match(line) for line in text.splitlines())


def cue_texts(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each cue's text in ``text`` (:func:`timed_cues` without the
    times)."""
    return [(start, end) for start, end, _ in timed_cues(text)]


def timed_cues(
    text: str, problems: dict[str, list[int]] | None = None
) -> list[tuple[int, int, tuple[float, float] | None]]:
    """``(start, end, times)`` of each cue's text in ``text`` (a subtitle file's), in order: the
    lines after a timing line up to the blank line that ends the cue (or the next timing
    line, where a blank line is missing, less the cue number before it), the last line's
    carriage return left out. Not text: a WebVTT header block (``WEBVTT`` and the lines
    under it), ``NOTE``/``STYLE``/``REGION`` blocks, cue identifiers, timing lines. A block
    without a timing line (prose in a file that is no subtitle file after all) is text
    whole.

    In rolling captions (:func:`_rolling`), a cue whose first lines repeat the last
    lines of the cue before it (markup and spaces aside, :func:`_plain`) starts at its
    first new line; one that only repeats them is left out when it is shown for no more
    than :data:`_FLASH` seconds (YouTube's 10 ms cue between two), else kept whole (a
    film's "No." answered "No."). A cue with no text once its markup is removed
    (``<i></i>``, ``{\an8}``) is left out.

    ``times``: the cue's start and end in the video, in seconds, read off its timing line
    (:func:`cue_times`: ``00:01:02.500 --> 00:01:04.000`` gives ``(62.5, 64.0)``); None for
    a block of prose, and for a cue whose end is before its start (break14 #6: such
    times are not used; nor is the cue taken for a flash). ``problems``, where given,
    gets the numbers (1 for the file's first timing line) of those cues under
    ``"reversed"`` and of the cues starting before the cue before them under
    ``"backwards"`` (concatenated files, a file renumbered after an edit: break14 #3),
    for ingest to warn of."""
    # each block's prose (a span) or cue (its text lines, its timing line), in order
    items: list[tuple[tuple[int, int] | None, list[tuple[int, int, str]], str]] = []
    for i, block in enumerate(_blocks(_lines(text))):
        first = block[0][2]
        if (i == 0 and _HEADER.match(first)) or first.split(" ")[0].rstrip("\r") in _NOT_CUES:
            continue
        timings = [j for j, (_, _, line) in enumerate(block) if _TIMING.match(line)]
        if not timings:
            items.append((_span(block), [], ""))
            continue
        # the lines before the first timing line: its cue's identifier, the last (and
        # prose before it, if any)
        if head := block[: timings[0]][:-1]:
            items.append((_span(head), [], ""))
        for k, at in enumerate(timings):
            last = k + 1 == len(timings)
            lines = block[at + 1 : len(block) if last else timings[k + 1]]
            if not last and lines and _NUMBER.match(lines[-1][2]):
                lines = lines[:-1]  # the next cue's number, the blank line before it missing
            lines = [line for line in lines if line[2].strip()]  # YouTube's " " line
            items.append((None, lines, block[at][2]))
    rolling = _rolling(text, [lines for prose, lines, _ in items if prose is None])
    spans: list[tuple[int, int, tuple[float, float] | None]] = []
    previous: list[str] = []  # the lines the last cue showed (:func:`_plain`)
    number, last_start = 0, None
    for prose, lines, timing in items:
        if prose is not None:
            spans.append((*prose, None))
            continue
        number += 1
        times: tuple[float, float] | None = cue_times(timing)
        if times[1] < times[0]:
            times = None  # its end before its start: which is wrong is unknown
            if problems is not None:
                problems.setdefault("reversed", []).append(number)
        elif last_start is not None and times[0] < last_start and problems is not None:
            problems.setdefault("backwards", []).append(number)
        if times is not None:
            last_start = times[0]
        shown = [_plain(line) for _, _, line in lines]
        new = _repeated(previous, shown) if rolling else 0
        previous = shown
        if not any(shown):
            continue  # no text once its markup is removed ("<i></i>", "{\\an8}")
        if new == len(lines) and times is not None and times[1] - times[0] <= _FLASH:
            continue  # a flash of the line the previous cue showed
        spans.append((*_span(lines[new:] if new < len(lines) else lines), times))
    return spans


def _rolling(text: str, cues: list[list[tuple[int, int, str]]]) -> bool:
    """Whether a subtitle file's ``cues`` (each its text lines) are rolling captions:
    it holds YouTube's word timings (``<00:00:00.500>``), or most cues of two lines or
    more open with the last line of the cue before (break48b #10: a film's cue
    repeating the line before is no roll-up)."""
    if _WORD_TIMING.search(text):
        return True
    shown = [[_plain(line) for _, _, line in lines] for lines in cues]
    rolls = [
        0 < _repeated(before, lines) < len(lines)
        for before, lines in pairwise(shown)
        if len(lines) >= 2
    ]
    return sum(rolls) >= 2 and 2 * sum(rolls) > len(rolls)


def markup_ranges(text: str) -> list[tuple[int, int]]:
    """Where subtitle markup (:data:`MARKUP`: ``<v Alice>``, ``</i>``,
    ``<00:00:00.500>``, ``{\\an8}``) is in ``text``: ``[(start, end)]``, in order."""
    return [m.span() for m in MARKUP.finditer(text)]


def _plain(line: str) -> str:
    """A cue line as shown: without markup, its spaces collapsed."""
    return " ".join(MARKUP.sub("", line).split())


def _repeated(before: list[str], lines: list[str]) -> int:
    """How many of a cue's first ``lines`` (as shown: :func:`_plain`) repeat the last
    lines of the cue ``before`` it, as YouTube's rolling captions do (each cue shows
    the line the previous cue showed last, then a new one); 0 for none."""
    for n in range(min(len(before), len(lines)), 0, -1):
        if lines[:n] == before[-n:] and any(lines[:n]):
            return n
    return 0


def cue_times(timing: str) -> tuple[float, float]:
    """A cue's start and end, in seconds from the video's start, read off its timing line
    ``timing`` (:data:`_TIMING`): ``00:01:02.500 --> 00:01:04.000`` (WebVTT),
    ``01:02.500 --> 01:04.000`` (WebVTT's hours are optional), ``00:01:02,500 -->
    00:01:04,000`` (SRT's comma), cue settings after the end (``align:start
    position:10%``) ignored: ``(62.5, 64.0)``. Rounded to the millisecond, the stamps'
    precision (``0.1 + 0.2`` reads ``0.3``)."""
    m = _TIMING.match(timing)
    assert m is not None  # a timing line
    return _stamp(m.group("start")), _stamp(m.group("end"))


def _stamp(stamp: str) -> float:
    """A timestamp (``01:02:03.456``, ``02:03,456``) in seconds."""
    *hours, minutes, seconds = stamp.replace(",", ".").split(":")
    whole, _, millis = seconds.partition(".")
    total_ms = ((int(hours[0] if hours else 0) * 60 + int(minutes)) * 60 + int(whole)) * 1000
    return (total_ms + int(millis)) / 1000


def _span(lines: list[tuple[int, int, str]]) -> tuple[int, int]:
    """The offsets of ``lines`` (consecutive), from the first's start to the last's end
    less a carriage return."""
    end = lines[-1][1] - lines[-1][2].endswith("\r")
    return lines[0][0], end


def _lines(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, line)`` of each line of ``text`` (split at ``\\n``; a ``\\r`` before
    it stays in the line)."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _blocks(lines: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Runs of lines that are not blank, in order. A line of spaces right after a timing
    line is no blank line (a cue of YouTube's captions opens with one, its text under it;
    WebVTT ends a cue at an empty line only)."""
    blocks: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for item in lines:
        opens_cue = current and item[2].strip("\r") and _TIMING.match(current[-1][2])
        if item[2].strip() or opens_cue:
            current.append(item)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def cue_turns(cues: list[tuple[int, int]], turns: Sequence[Turn]) -> list[Turn]:
    """The pieces a subtitle file is split into: each cue's text (``cues``:
    :func:`cue_texts`), cut where a speaker's turn starts inside it (``turns``:
    :func:`annotate.ingestion.turns.find_turns` of the same text, [] for none), each
    piece with the speaker of the turn it is in (None outside any). The pieces leave the
    header, cue numbers and timing lines out, so they do not cover the text: each is split
    on its own (:func:`annotate.ingestion.splitter.split_at_turns`)."""
    starts = [t.start for t in turns]
    pieces: list[Turn] = []
    for start, end in cues:
        cuts = [start, *(s for s in starts if start < s < end), end]
        for a, b in pairwise(cuts):
            at = bisect_right(starts, a) - 1
            pieces.append(Turn(a, b, turns[at].speaker if at >= 0 else None))
    return pieces
