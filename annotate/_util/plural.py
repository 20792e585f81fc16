"""A count and its noun, singular or plural, for reports and model cards."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``1 passage``, ``2 passages``, ``0 passages``, ``17,410 passages``; ``plural``
    where the noun does not just take an s (``1 exact copy``, ``2 exact copies``)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
