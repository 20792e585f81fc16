"""The one progress pattern: a library function takes ``progress``, a callable it calls
with the number of units just finished (passages, documents, tasks). None: no progress.
Only the CLI turns these calls into bars (annotate/cli/app.py, ``Bars``)."""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int], None]


def advance(progress: ProgressFn | None, n: int) -> None:
    """Report ``n`` finished units to ``progress`` when there is one."""
    if progress is not None and n:
        progress(n)
