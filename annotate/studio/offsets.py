"""Character offsets between Python and Label Studio.

Prelabel files and Label Studio both count Unicode code points. Label Studio's labeling
front end (1.23) slices the text as ``[...text]``, i.e. by code point, not by
JavaScript's UTF-16 units: an emoji is one position, a combining mark is one position,
CRLF is two (measured in a real browser, and through the API in
tests/integration/test_offsets.py). :func:`to_utf16` / :func:`from_utf16` remain only to
read spans that older versions of this tool pushed in UTF-16 units (see
:func:`annotate.studio.pull.span_offsets`).
"""

from __future__ import annotations


def to_ls_offset(text: str, offset: int) -> int:
    """Code-point offset into ``text`` -> Label Studio's offset (also code points).

    Raises ValueError outside ``[0, len(text)]``.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} is outside the text (length {len(text)})")
    return offset


def ls_length(text: str) -> int:
    """The length of ``text`` as Label Studio counts it (code points)."""
    return len(text)


def _has_astral(text: str) -> bool:
    return not text.isascii() and any(ord(ch) > 0xFFFF for ch in text)


def to_utf16(text: str, offset: int) -> int:
    """Code-point offset into ``text`` -> UTF-16 code-unit offset (older pushes used it)."""
    if not _has_astral(text):
        return offset
    return len(text[:offset].encode("utf-16-le")) // 2


def from_utf16(text: str, offset: int) -> int:
    """UTF-16 code-unit offset -> code-point offset; ValueError inside a surrogate pair."""
    if not _has_astral(text):
        if not 0 <= offset <= len(text):
            raise ValueError(f"offset {offset} is outside the text (length {len(text)})")
        return offset
    units = 0
    for index, ch in enumerate(text):
        if units == offset:
            return index
        if units > offset:
            break
        units += 2 if ord(ch) > 0xFFFF else 1
    if units == offset:
        return len(text)
    raise ValueError(f"UTF-16 offset {offset} splits a character or is outside the text")
