"""A sound gate for many compiled regexes over one text: which of them can match it.

``required_literals(rx)`` reads a pattern's parse tree for a set of literal strings one
of which every match of ``rx`` must contain (None: no such set found, the pattern must
be run). :class:`LiteralGate` puts the strings of many patterns into one Aho-Corasick
automaton (pyahocorasick), so that one pass over a text tells which patterns cannot
match it: a caller may skip those and gets the same matches, none. The threat grammar
runs ~75 large alternations on every sentence of every passage, and almost none match
(benchmarks/README.md, issue 11 item 5).

The analysis is conservative: any construct it does not model (case-insensitive
flags, back-references, conditionals, negative lookarounds, optional parts, character
classes) contributes no requirement, never a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

Needs = frozenset[str] | None

# a requirement whose shortest string is this short occurs in almost every sentence
_WEAK = 3


def _minimal(strings: set[str]) -> frozenset[str]:
    """``strings`` without any that contains another of them (finding the shorter one
    alone answers the same "does one of them occur" question)."""
    out: list[str] = []
    for s in sorted(strings, key=len):
        if not any(t in s for t in out):
            out.append(s)
    return frozenset(out)


def _cost(needs: frozenset[str]) -> tuple[bool, int, int]:
    """How weak a requirement is: its shortest string long first (a one- or
    two-character string occurs in almost every sentence), then fewer strings."""
    shortest = min(len(s) for s in needs)
    return (shortest < _WEAK, -shortest, len(needs))


def _better(a: Needs, b: Needs) -> Needs:
    if a is None:
        return b
    if b is None:
        return a
    return a if _cost(a) <= _cost(b) else b


def _seq(items: Any, flags: int) -> Needs:
    """A sequence: each run of consecutive literal characters is required, and so is each
    element's own requirement; the strongest of them is kept."""
    best: Needs = None
    run: list[str] = []

    def close() -> None:
        nonlocal best, run
        if run:
            best = _better(best, frozenset({"".join(run)}))
        run = []

    for op, av in items:
        if op == _c.LITERAL:
            run.append(chr(av))
            continue
        close()
        best = _better(best, _item(op, av, flags))
    close()
    return best


def _item(op: Any, av: Any, flags: int) -> Needs:
    if op == _c.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        if (add_flags | flags) & _c.SRE_FLAG_IGNORECASE:
            return None
        return _seq(body, flags | add_flags)
    if op == _c.BRANCH:
        found: set[str] = set()
        for body in av[1]:
            needs = _seq(body, flags)
            if needs is None:
                return None
            found |= needs
        return _minimal(found)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op == getattr(_c, "POSSESSIVE_REPEAT", None):
        low, _high, body = av
        return _seq(body, flags) if low >= 1 else None
    if op == _c.ASSERT:  # a lookahead's or lookbehind's text is in the string too
        _direction, body = av
        return _seq(body, flags)
    if op == getattr(_c, "ATOMIC_GROUP", None):
        return _seq(av, flags)
    return None  # IN, ANY, AT, NOT_LITERAL, ASSERT_NOT, GROUPREF, ...


def required_literals(rx: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of ``rx`` contains, or None when no such set was
    found (a case-insensitive or bytes pattern, an optional or unmodelled pattern, or
    only strings shorter than 3 characters, which nearly every sentence holds)."""
    if not isinstance(rx.pattern, str) or rx.flags & re.IGNORECASE:
        return None
    try:
        needs = _seq(_p.parse(rx.pattern, rx.flags), rx.flags)
    except Exception:  # an unfamiliar parse tree: no requirement, the pattern runs
        return None
    if not needs or min(len(s) for s in needs) < _WEAK:
        return None
    return needs


class LiteralGate:
    """Which of ``patterns`` may match a text, in one pass (Aho-Corasick over every
    pattern's :func:`required_literals`). Without pyahocorasick installed, or for a
    pattern with no requirement, every pattern may match: the gate then skips nothing."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._bit = {id(rx): 1 << i for i, rx in enumerate(patterns)}
        self._patterns = tuple(patterns)  # kept alive: their ids key ``_bit``
        self._always = 0
        self._automaton: Any = None
        try:
            import ahocorasick
        except ImportError:  # no gate: every pattern runs
            self._always = (1 << len(patterns)) - 1
            return
        keys: dict[str, int] = {}
        for i, rx in enumerate(patterns):
            needs = required_literals(rx)
            if needs is None:
                self._always |= 1 << i
                continue
            for s in needs:
                keys[s] = keys.get(s, 0) | 1 << i
        if keys:
            self._automaton = ahocorasick.Automaton()
            for s, bits in keys.items():
                self._automaton.add_word(s, bits)
            self._automaton.make_automaton()

    def possible(self, text: str) -> int:
        """A bit mask over the patterns (bit i: ``patterns[i]``): a bit is clear only
        where that pattern cannot match anywhere in ``text``."""
        mask = self._always
        if self._automaton is not None:
            for _end, bits in self._automaton.iter(text):
                mask |= bits
        return mask

    def bit(self, rx: re.Pattern[str]) -> int:
        """The bit of ``rx`` (one of the gate's patterns) in :meth:`possible`'s mask."""
        return self._bit[id(rx)]

    def ungated(self) -> tuple[re.Pattern[str], ...]:
        """The patterns that always run (no requirement found, or no pyahocorasick)."""
        return tuple(rx for rx in self._patterns if self._always & self._bit[id(rx)])


__all__ = ["LiteralGate", "required_literals"]
