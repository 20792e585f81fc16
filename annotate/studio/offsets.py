"""Character offsets between Python and Label Studio.

Prelabel files count Python code points; Label Studio (JavaScript) counts UTF-16 code
units. They differ only for characters outside the Basic Multilingual Plane (most emoji).
"""

from __future__ import annotations


def _has_astral(text: str) -> bool:
    return not text.isascii() and any(ord(ch) > 0xFFFF for ch in text)


def to_utf16(text: str, offset: int) -> int:
    """Code-point offset into ``text`` -> UTF-16 code-unit offset (what Label Studio uses)."""
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
