"""Text with its invisible characters taken out, and the way back to the original offsets.

A zero-width space, a soft hyphen or a word joiner inside a word ("k\\u200bill",
"de\\u00adad") is invisible on screen and ignored by the encoder's tokenizer, but it
breaks every regular expression that reads words: inserting them is a standard
filter-evasion trick. The rule-based readings (the threat grammar, sentence boundaries,
the graphic-terms backstop) therefore read the text with them removed and map what they
find back to the original offsets, so a span still slices the text the user gave.

Removed: every format character (Unicode category ``Cf``: zero-width space and joiners,
soft hyphen, word joiner, bidirectional controls, byte-order mark, tag characters ...),
the variation selectors (U+FE00-FE0F, U+E0100-E01EF) and the combining grapheme joiner
(U+034F). None of them carries a letter or a word boundary an English reading needs (a
zero-width joiner inside an emoji sequence or a Persian word changes how it is drawn,
not what the rules read).
"""

from __future__ import annotations

import re

# Unicode category Cf (as of Unicode 15.1; tests/test_invisible_characters.py checks the
# running Python's table is covered), variation selectors and the combining grapheme joiner
INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


class Visible:
    """``text`` without its invisible characters (:attr:`text`), and the way back:
    :meth:`original` maps a range of :attr:`text` to the range of the original that holds
    the same visible characters (invisible ones at its edges left out). ``changed`` is
    False when the original had none (then both are the same string and offsets)."""

    __slots__ = ("_positions", "changed", "text")

    def __init__(self, original: str) -> None:
        if not INVISIBLE_RE.search(original):
            self.text, self.changed, self._positions = original, False, None
            return
        kept = [i for i, c in enumerate(original) if not INVISIBLE_RE.match(c)]
        self.text = "".join(original[i] for i in kept)
        self.changed = True
        self._positions = [*kept, len(original)]

    def original(self, a: int, b: int) -> tuple[int, int]:
        """The original's range ``[start, end)`` for ``[a, b)`` of :attr:`text`: from its
        first visible character to just after its last (an empty range stays empty)."""
        if self._positions is None:
            return a, b
        if b <= a:
            return self._positions[a], self._positions[a]
        return self._positions[a], self._positions[b - 1] + 1


def without_invisible(text: str) -> str:
    """``text`` with its invisible characters (the module doc's) removed."""
    return INVISIBLE_RE.sub("", text)
