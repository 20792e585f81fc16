"""A cheap, sound pre-check for a compiled regex: the literal strings one of which every
match must contain, read from the pattern's parse tree.

``required_literals(rx)`` returns a tuple of strings such that ``rx`` can match in a
text only if the text contains at least one of them (None: no such set was found, the
pattern must be run). ``may_match(rx, text)`` is False only where ``rx.search(text)``
is certainly None, so a caller may skip ``rx`` there and get the same results: a
substring test over a few short strings is far cheaper than running a large alternation
at every position of a sentence (the threat grammar runs ~80 such patterns on every
sentence of every passage, and almost none match: issue 11, item 5).

The analysis is conservative: any construct it does not model (case-insensitive
flags, back-references, conditionals, negative lookarounds, optional parts, character
classes) contributes no requirement, never a wrong one.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

Needs = frozenset[str] | None

# a requirement set this large is dearer to test than the pattern is to run
_MAX_STRINGS = 16

# keyed by id(): hashing a Pattern hashes its compiled code on every call, which for
# the grammar's large alternations costs more than the check saves; the pattern is kept
# in the value so that its id is never reused while the entry lives
_cache: dict[int, tuple[re.Pattern[str], tuple[str, ...] | None]] = {}


def _minimal(strings: set[str]) -> frozenset[str]:
    """``strings`` without any that contains another of them (testing the shorter one
    alone answers the same "does one of them occur" question)."""
    out: list[str] = []
    for s in sorted(strings, key=len):
        if not any(t in s for t in out):
            out.append(s)
    return frozenset(out)


def _cost(needs: frozenset[str]) -> tuple[int, int]:
    """How dear and how weak a requirement is: fewer strings and longer ones first
    (a one- or two-character string occurs in almost every sentence)."""
    shortest = min(len(s) for s in needs)
    return (len(needs) + (1000 if shortest < 3 else 0), -shortest)


def _better(a: Needs, b: Needs) -> Needs:
    if a is None:
        return b
    if b is None:
        return a
    return a if _cost(a) <= _cost(b) else b


def _seq(items: Any, flags: int) -> Needs:
    """A sequence: each run of consecutive literal characters is required, and so is each
    element's own requirement; the cheapest and strongest of them is kept."""
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
        out = _minimal(found)
        return out if len(out) <= _MAX_STRINGS else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op == getattr(_c, "POSSESSIVE_REPEAT", None):
        low, _high, body = av
        return _seq(body, flags) if low >= 1 else None
    if op == _c.ASSERT:  # a lookahead's or lookbehind's text is in the string too
        _direction, body = av
        return _seq(body, flags)
    if op == getattr(_c, "ATOMIC_GROUP", None):
        return _seq(av, flags)
    return None  # IN, ANY, AT, NOT_LITERAL, ASSERT_NOT, GROUPREF, ...


def required_literals(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of ``rx`` contains (longest first: the rarer), or None
    when no such set was found (a case-insensitive or bytes pattern, an optional or
    unmodelled pattern, or one whose set is too large to test cheaply). Cached per
    pattern."""
    hit = _cache.get(id(rx))
    if hit is not None and hit[0] is rx:
        return hit[1]
    out: tuple[str, ...] | None = None
    if isinstance(rx.pattern, str) and not rx.flags & re.IGNORECASE:
        try:
            needs = _seq(_p.parse(rx.pattern, rx.flags), rx.flags)
        except Exception:  # an unfamiliar parse tree: no pre-check, the pattern runs
            needs = None
        # a one- or two-character string occurs in almost every sentence: testing it
        # costs more than it saves
        if needs and len(needs) <= _MAX_STRINGS and min(len(s) for s in needs) >= 3:
            out = tuple(sorted(needs, key=len, reverse=True))
    _cache[id(rx)] = (rx, out)
    return out


def may_match(rx: re.Pattern[str], text: str) -> bool:
    """False only where ``rx`` cannot match anywhere in ``text`` (none of its
    :func:`required_literals` occurs in it); True otherwise."""
    needs = required_literals(rx)
    if needs is None:
        return True
    return any(map(text.__contains__, needs))


__all__ = ["may_match", "required_literals"]
