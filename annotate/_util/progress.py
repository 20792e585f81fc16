"""The one progress pattern: a library function takes ``progress``, a callable it calls
with the number of units just finished (passages, documents, tasks). None: no progress.
A library that learns how many units there will be once it has started (push, after
planning) says so with :func:`set_total`, which a plain callable ignores. Only the CLI
turns these calls into bars (annotate/cli/app.py, ``Bars``).

A function of several stages (export: snapshots, rows, writing) takes ``progress`` as a
:data:`StageFn` instead: ``progress(desc, unit=..., total=...)`` gives each stage its
own progress callable (the CLI passes its ``Bars``); :func:`stage` asks for one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

ProgressFn = Callable[[int], None]
StageFn = Callable[..., "ProgressFn | None"]  # (desc, *, unit, total) -> a stage's progress


def advance(progress: ProgressFn | None, n: int) -> None:
    """Report ``n`` finished units to ``progress`` when there is one."""
    if progress is not None and n:
        progress(n)


def resume_at(progress: ProgressFn | None, done: int) -> None:
    """Tell ``progress`` that ``done`` units were finished by an earlier run (a resumed
    pre-label): its ``resume_at`` method when it has one (a bar then counts on from
    ``done`` and measures its rate from now), else ``progress(done)``."""
    if progress is None or not done:
        return
    skip = getattr(progress, "resume_at", None)
    if callable(skip):
        skip(done)
    else:
        progress(done)


def in_flight(progress: ProgressFn | None, n: int) -> None:
    """Tell ``progress`` that ``n`` units were sent whose answer has not come yet (0: none
    now), when it has an ``in_flight`` method: a stage that stops on a lost answer then
    says they may or may not be done, not that nothing was (a push's batch the server
    created before it stopped answering); otherwise nothing."""
    setter = getattr(progress, "in_flight", None)
    if callable(setter):
        setter(n)


def kept(progress: ProgressFn | None, n: int) -> None:
    """Tell ``progress`` that ``n`` of the units it counted are kept (written where a re-run
    resumes from), when it has a ``kept`` method: a stage that stops then says how many it
    counted and how many of those are kept (a pre-label counts a window's passages as they
    are scored, and keeps the window only once all of it is labelled and written: "2,048
    passages done" right above "none of the passages scored was kept" read as a
    contradiction); otherwise nothing."""
    setter = getattr(progress, "kept", None)
    if callable(setter):
        setter(n)


def set_total(progress: ProgressFn | None, total: int) -> None:
    """Tell ``progress`` how many units there will be in all (a bar then shows an ETA),
    when it has a ``set_total`` method; otherwise nothing."""
    setter = getattr(progress, "set_total", None)
    if callable(setter):
        setter(total)


def add_total(progress: ProgressFn | None, n: int) -> None:
    """Tell ``progress`` that ``n`` more units are to come, when it has an ``add_total``
    method (a stage whose work is learnt a part at a time: an embedding cache knows how
    many texts it lacks only at each call); otherwise nothing."""
    adder = getattr(progress, "add_total", None)
    if callable(adder) and n:
        adder(n)


def cached(progress: ProgressFn | None, n: int) -> None:
    """Tell ``progress`` that ``n`` units needed no work (read from a cache): its
    ``cached`` method when it has one (a count of the work actually done leaves them
    out), else ``progress(n)`` (a count of the units handled takes them in: a warm-cache
    `annotate train` showed "0 passage" for its whole run)."""
    if progress is None or not n:
        return
    skip = getattr(progress, "cached", None)
    if callable(skip):
        skip(n)
    else:
        progress(n)


def begin(progress: ProgressFn | None) -> None:
    """Tell ``progress`` that its stage's work begins now, when it has a ``begin`` method
    (a bar then measures its time and rate from here, not from when it was made: a push
    reads what the server holds before it sends, and "push: 10 tasks done in 13 s"
    counted that reading); otherwise nothing."""
    start = getattr(progress, "begin", None)
    if callable(start):
        start()


def counted(items: Iterable[T], progress: ProgressFn | None) -> Iterator[T]:
    """``items``, telling ``progress`` of each one as it is taken (None: no progress)."""
    for item in items:
        advance(progress, 1)
        yield item


def finish(progress: ProgressFn | None) -> None:
    """End a stage's progress when the stage is over (its ``close()``, when it has one: a
    bar's or a progress line's "done in N s"), so that a function of several stages does
    not leave it open, counting the next stages' time, until the command ends."""
    close = getattr(progress, "close", None)
    if callable(close):
        close()


def stage(
    progress: StageFn | None, desc: str, *, unit: str, total: int | None = None
) -> ProgressFn | None:
    """The progress callable of one stage named ``desc`` counting ``unit``s (``total``
    when known), from ``progress``; None when there is no progress."""
    return None if progress is None else progress(desc, unit=unit, total=total)
