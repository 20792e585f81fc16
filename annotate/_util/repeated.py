"""Warnings that may come once per row: the first few logged, the rest counted.

A run over 10,000 rows that each lack their text must not write 10,000 warning lines:
:class:`FirstFew` logs the first ``first`` (default 3) warnings of each kind as they
come, logs the rest at INFO (``-v`` lists every one), and :meth:`FirstFew.close` ends
with one warning per kind: ``... and 9,997 more rows without a 'text' field``.
"""

from __future__ import annotations

import logging
from types import TracebackType

FIRST = 3  # warnings of one kind logged whole before the rest are only counted


class FirstFew:
    """Per-row warnings of one run, by kind. ``kind``: a plural noun phrase the summary
    line ends with ("rows without a 'text' field", "documents with control characters
    removed"); each kind is logged by the logger of its first warning."""

    def __init__(self, first: int = FIRST) -> None:
        self.first = first
        self.counts: dict[str, int] = {}
        self._loggers: dict[str, logging.Logger] = {}

    def warn(self, logger: logging.Logger, kind: str, msg: str, *args: object) -> None:
        """Log ``msg % args`` as a warning when it is one of the first ``first`` of
        ``kind``, else at INFO."""
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        self._loggers.setdefault(kind, logger)
        logger.log(logging.WARNING if n <= self.first else logging.INFO, msg, *args)

    def close(self) -> None:
        """Log one line per kind with more than ``first`` warnings: how many were not
        shown. Once: the counts are kept, the lines not logged again."""
        for kind, logger in self._loggers.items():
            if (n := self.counts[kind]) > self.first:
                logger.warning(
                    "... and %s more %s (%s in all; -v lists each)",
                    f"{n - self.first:,}",
                    kind,
                    f"{n:,}",
                )
        self._loggers.clear()

    def __enter__(self) -> FirstFew:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:  # after an error the error is what counts
            self.close()
