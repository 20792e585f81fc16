"""What reviewers read of a subtitle cue: its text without markup, mapped to the cue's.

A subtitle file's passage is the file's characters (``text[start:end]``, its
provenance), markup and all: ``<v Bob><i>I will</i></v>``, YouTube's word timings
``I<00:00:01.200><c> will</c>``, SSA's ``{\\an8}``. The classifier reads it without
that markup (:func:`annotate.ingestion.subtitles.markup_ranges`,
:mod:`annotate.classifier.turn_text`); reviewers read the same, a voice tag's speaker
kept readable as a label (``<v Bob>`` -> ``Bob: ``), a character reference as the
character it names (``&amp;`` -> ``&``, as WebVTT writes "&"; the classifier reads
it so too, :func:`character_references`): :func:`shown_text` gives that
text and a map of its characters onto the passage's, :class:`ShownText`, which push
sends with the task (:data:`SOURCE_TEXT_FIELD`, :data:`SOURCE_MAP_FIELD`) and export
reads back, so that every span maps exactly both ways:

- a model's span (passage offsets) -> the text shown (:meth:`ShownText.to_shown`): an
  end inside removed markup snaps to the shown characters around it, a span on markup
  alone is none;
- a reviewer's span (offsets into the text shown) -> the passage
  (:meth:`ShownText.to_raw`): it covers the markup inside it, none before or after it;
  a span starting or ending on a speaker label (``Bob: ``) covers its whole voice tag.

A span on the passage's own characters goes there and back unchanged; a span on the
text shown, from there and back, too. Only a subtitle file's passages (its document's
name has a ``.vtt`` or ``.srt`` suffix, or ingest recorded it as a subtitle file told by
its content in the passage's ``meta``, as the classifier tells a cue:
:func:`annotate.classifier.cue_sentences.subtitle_row`) holding markup are shown so:
every other passage's task is as it was.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# the passage's text as ingested (the subtitle file's characters, markup and all), in
# the task's data when reviewers are shown it without its markup (a Data Manager column,
# hidden in annotate's tabs as the text is: annotate.review.view.SOURCE_FIELDS)
SOURCE_TEXT_FIELD = "source_text"
# how the text shown maps onto it: JSON [[shown length, source length], ...], the pieces
# of both in order; equal lengths: the same characters, else markup (shown as nothing,
# or a voice tag shown as its speaker's label)
SOURCE_MAP_FIELD = "source_text_map"
# a character reference (WebVTT escapes "&", "<", ">" as "&amp;", "&lt;", "&gt;"; also
# "&nbsp;", "&lrm;", numeric "&#39;", "&#x2019;"): shown as the character it names
_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# a WebVTT voice tag: its speaker
_VOICE = re.compile(r"<v(?:\.[\w.-]*)?[ \t]+([^<>\n]*)>", re.IGNORECASE)


class MapError(ValueError):
    """A map that does not fit the texts it is said to map."""


@dataclass(frozen=True)
class ShownText:
    """A passage's text (``raw``), the text reviewers are shown (``shown``), and
    ``pieces``: ``(shown length, raw length)`` of consecutive pieces of both, in order;
    a piece of equal lengths is the same characters, any other is markup (a shown
    length of 0: removed; else a voice tag shown as its speaker's label, or a character
    reference shown as its character)."""

    raw: str
    shown: str
    pieces: tuple[tuple[int, int], ...]
    # (shown start, raw start) of each piece
    _starts: list[tuple[int, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if sum(s for s, _ in self.pieces) != len(self.shown) or sum(
            r for _, r in self.pieces
        ) != len(self.raw):
            raise MapError("the pieces' lengths do not add up to the texts' lengths")
        shown_at = raw_at = 0
        starts: list[tuple[int, int]] = []
        for s, r in self.pieces:
            if s < 0 or r < 0:
                raise MapError("a piece of negative length")
            if s == r and self.shown[shown_at : shown_at + s] != self.raw[raw_at : raw_at + r]:
                raise MapError(f"the shown characters at {shown_at} are not the source's")
            starts.append((shown_at, raw_at))
            shown_at, raw_at = shown_at + s, raw_at + r
        object.__setattr__(self, "_starts", starts)  # frozen: set once, here

    @property
    def changed(self) -> bool:
        """Whether the text shown differs from the passage's."""
        return self.shown != self.raw

    def to_shown(self, start: int, end: int) -> tuple[int, int] | None:
        """A span of the passage (``raw[start:end]``) on the text shown: each end inside
        markup moved onto the shown characters around it (a span starting at a voice
        tag keeps its speaker's label); None when nothing of it is shown."""
        starts = self._starts
        raw_starts = [r for _, r in starts]

        def place(at: int, *, last: bool) -> int:
            # the piece holding raw character ``at``: as it is, or markup (its shown
            # characters, a speaker label, kept only when the span takes the whole tag)
            i = max(0, bisect_right(raw_starts, at) - 1)
            (s, r), (shown_at, raw_at) = self.pieces[i], starts[i]
            if s == r:
                return shown_at + at - raw_at + (1 if last else 0)
            whole = at + 1 == raw_at + r if last else at == raw_at
            return shown_at + (s if whole == last else 0)

        a, b = place(start, last=False), place(end - 1, last=True)
        return (a, b) if b > a else None

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """A span of the text shown (``shown[start:end]``) on the passage: from its first
        shown character's place to its last one's end (the markup inside the span
        covered, none outside it; a speaker label's characters are its whole voice tag).
        An empty span: one place. ``0 <= start <= end <= len(shown)``."""
        starts = self._starts
        if not self.pieces:
            return 0, 0
        shown_starts = [s for s, _ in starts]

        def place(at: int, *, last: bool) -> int:
            # the piece holding shown character ``at`` (pieces shown as nothing skipped)
            i = bisect_right(shown_starts, at) - 1
            while self.pieces[i][0] == 0:  # shown as nothing: the next piece holds ``at``
                i += 1
            (s, r), (shown_at, raw_at) = self.pieces[i], starts[i]
            if s == r:
                return raw_at + at - shown_at + (1 if last else 0)
            return raw_at + r if last else raw_at

        if end <= start:
            if start >= len(self.shown):
                return len(self.raw), len(self.raw)
            at = place(start, last=False)
            return at, at
        return place(start, last=False), place(end - 1, last=True)

    def map_json(self) -> str:
        """:data:`SOURCE_MAP_FIELD`'s value."""
        return json.dumps([list(p) for p in self.pieces], separators=(",", ":"))


def shown_text(raw: str) -> ShownText:
    """``raw`` (a subtitle cue's text) as reviewers are shown it: without the subtitle
    markup the classifier reads it without (:func:`annotate.ingestion.subtitles.
    markup_ranges`), a voice tag with a speaker (``<v Bob>``) shown as ``Bob: ``, a
    character reference (``&amp;``, ``&#39;``) as the one character it names."""
    from annotate.ingestion.subtitles import MARKUP

    shown: list[str] = []
    pieces: list[tuple[int, int]] = []
    at = 0
    found = sorted(
        [(m.start(), m.end(), _voice_label(m.group())) for m in MARKUP.finditer(raw)]
        + character_references(raw),
        key=lambda f: f[0],
    )
    for start, end, label in found:
        if start < at:  # a reference inside markup ("<v Tom &amp; Ann>"): the tag's
            continue
        if start > at:
            shown.append(raw[at:start])
            pieces.append((start - at, start - at))
        shown.append(label)
        pieces.append((len(label), end - start))
        at = end
    if at < len(raw):
        shown.append(raw[at:])
        pieces.append((len(raw) - at, len(raw) - at))
    return ShownText(raw, "".join(shown), tuple(pieces))


def _voice_label(tag: str) -> str:
    """How a markup tag is shown: a voice tag with a speaker (``<v Bob>``) as ``Bob: ``,
    any other as nothing."""
    voice = _VOICE.fullmatch(tag)
    name = html.unescape(voice.group(1)).strip() if voice else ""
    return f"{name}: " if name else ""


def character_references(text: str) -> list[tuple[int, int, str]]:
    """The character references in ``text`` (``&amp;``, ``&#39;``, ``&#x2019;``) that name
    one character: ``[(start, end, character)]``, in order (one that names none or
    several is kept as it is written). Reviewers are shown a subtitle cue's references as
    their characters (:func:`shown_text`) and the classifier reads them so
    (:func:`annotate.classifier.turn_text.without_labels`): this one function decodes
    them for both."""
    out = []
    for m in _REFERENCE.finditer(text):
        character = html.unescape(m.group())
        if len(character) == 1 and character != m.group():
            out.append((m.start(), m.end(), character))
    return out


def shown_for_row(row: Mapping[str, Any]) -> ShownText | None:
    """The :class:`ShownText` of a pre-label row's ``text`` when reviewers are shown it
    without markup: a subtitle file's passage (its ``doc_id``'s suffix, or ingest's record
    in its ``meta`` of a file told by its content:
    :func:`annotate.classifier.cue_sentences.subtitle_row`) holding some, and words
    besides; None for every other passage (shown as it is: one of markup alone, ``<i>
    </i>``, too, which ingest never cuts, as the file has it)."""
    from annotate.classifier.cue_sentences import subtitle_row

    text = row.get("text")
    if not isinstance(text, str) or not subtitle_row(row):
        return None
    shown = shown_text(text)
    return shown if shown.changed and shown.shown.strip() else None


def task_source(data: Mapping[str, Any], text_field: str) -> ShownText | None:
    """The :class:`ShownText` a task's data records (push's :data:`SOURCE_TEXT_FIELD` and
    :data:`SOURCE_MAP_FIELD` beside the text shown, ``data[text_field]``); None for a task
    whose text is the passage's. Raises :class:`MapError` for a record that does not fit
    the texts (edited in Label Studio)."""
    raw = data.get(SOURCE_TEXT_FIELD)
    if not isinstance(raw, str):
        return None
    try:
        pieces = json.loads(str(data.get(SOURCE_MAP_FIELD)))
        pairs = tuple((int(s), int(r)) for s, r in pieces)
    except (TypeError, ValueError) as exc:
        raise MapError(f"{SOURCE_MAP_FIELD} is not a list of [shown, source] lengths") from exc
    return ShownText(raw, str(data.get(text_field) or ""), pairs)


def passage_text(data: Mapping[str, Any], text_field: str) -> Any:
    """A task's passage text as ingested: its :data:`SOURCE_TEXT_FIELD` when reviewers are
    shown the text without subtitle markup, else ``data[text_field]`` (None: none). Push
    compares tasks with the file's rows by it (their texts' keys)."""
    raw = data.get(SOURCE_TEXT_FIELD)
    return raw if isinstance(raw, str) else data.get(text_field)
