"""Page furniture standing alone: bylines, datelines, credit lines, timestamps, section
labels, photo credits and "read more" prompts.

Such a passage reports nothing and rebuts nothing, but a sentence encoder puts it next to
news text (a byline sits beside every report it was trained on). The decision rule
:func:`furniture_labels` therefore drops the context labels (news_reporting,
counter_speech) of a passage that :func:`is_page_furniture` matches as a whole; harmful
labels are never touched, so a threat that happens to start with "By" still fires.

The patterns are deliberately narrow: the whole passage (at most ``MAX_CHARS``
characters) must match one of them; a sentence with a verb after the byline does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_CHARS = 120

_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|da|al|bin|el|la|le|du)){0,4}"
_TITLE_WORD = r"(?:[A-Z][\w'’&-]*|and|of|in|for|at|the)"
_TITLE = rf"{_TITLE_WORD}(?:\s+{_TITLE_WORD}){{0,6}}"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = rf"(?:\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?)"
_CREDIT_VERB = (
    r"(?:(?:additional\s+)?reporting|editing|edited|writing|written|words|compiled|"
    r"research|graphics|video|photos?|illustrations?)\s+by"
)

PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # byline: "By Jane Doe", "- by Jane Doe", "By Jane Doe, Security Correspondent"
        rf"^[-–—|•]?\s*[Bb]y\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?:\s*[,|–—-]\s*{_TITLE})?\.?$",
        # credit line: "Reporting by X; editing by Y", "Additional reporting by X"
        rf"^(?i:{_CREDIT_VERB})\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*"
        rf"(?:\s*[;,]\s*(?i:{_CREDIT_VERB})\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)*\.?$",
        # wire dateline: "KARVELLA, 14 March (Meridian Wire) -", "LONDON (Reuters) -"
        rf"^[A-Z][A-Z'’. -]{{1,30}}(?:,\s*{_DATE})?(?:,?\s*\([^()]{{1,40}}\))?\s*[-–—:]$",
        rf"^[A-Z][A-Za-z'’. -]{{1,30}},\s*{_DATE},?\s*\([^()]{{1,40}}\)\s*[-–—:]?$",
        # timestamp: "Published 07:42 BST, updated 11:05 BST", "Last updated 3 May 2024"
        r"^(?i:(?:first\s+|last\s+)?(?:published|updated|posted|modified))\b"
        r"[\s\w:,./+-]{0,60}$",
        # photo / image credit: "Photo: Jane Doe/Agency", "Photograph: Agency"
        r"^(?i:photo(?:graph)?|image|picture|credit|illustration|video|source)s?\s*:"
        r"\s*[^.!?:]{1,60}$",
        # section labels: "World | Middle East | Analysis", "News > Europe"
        r"^[A-Z][\w&'’ -]{1,30}(?:\s*[|›»>/]\s*[A-Z][\w&'’ -]{1,30})+$",
        # prompts: "Read more: ...", "Click here to sign up ...", "Continue reading"
        r"^(?i:read\s+more|related(?:\s+(?:stories|articles|coverage))?|see\s+also|"
        r"more\s+on\s+this(?:\s+story)?|continue\s+reading|click\s+here|sign\s+up|"
        r"subscribe|share\s+this(?:\s+article)?|advertisement|listen\s+to\s+this\s+article)"
        r"\b[^!?]{0,90}$",
        # copyright line
        r"^(?i:©|\(c\)|copyright)\s*\d{4}\b[^!?]{0,80}$",
    )
)


def is_page_furniture(text: str) -> bool:
    """True when the whole passage (stripped, at most MAX_CHARS characters, one line) is
    a byline, credit line, dateline, timestamp, photo credit, section label or prompt."""
    t = text.strip()
    if not t or len(t) > MAX_CHARS or "\n" in t:
        return False
    return any(p.match(t) for p in PATTERNS)


def furniture_labels(
    labels: Sequence[Sequence[str]],
    texts: Sequence[str],
    context: Sequence[str],
    none_label: str,
) -> list[list[str]]:
    """Per passage: ``labels`` without the ``context`` labels where the text is page
    furniture (``none_label`` when nothing is left); other passages unchanged."""
    ctx = set(context)
    out = []
    for labs, text in zip(labels, texts, strict=True):
        if is_page_furniture(text):
            labs = [x for x in labs if x not in ctx and x != none_label] or [none_label]
        out.append(list(labs))
    return out


__all__ = ["MAX_CHARS", "PATTERNS", "furniture_labels", "is_page_furniture"]
