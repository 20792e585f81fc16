"""Progress off a terminal: a plain line now and then instead of a bar.

Where stderr is a file or a pipe (``nohup annotate prelabel ... > log 2>&1 &``, cron, CI)
a bar is not drawn (its carriage-return redraws would litter the log), so a long job
writes one line at a time instead::

    prelabel: 20,000 / 200,000 passages (10%), 95 passages/s, about 31 min left

the first once :data:`FIRST_LINE_AFTER` seconds have passed, then at most one per
interval (:data:`INTERVAL_ENV`, default :data:`DEFAULT_INTERVAL` seconds); a run that is
over before the first line is due writes none. tqdm has no such mode (off a terminal it
still redraws with ``\\r``), so this is the CLI's own small progress callable, made by
``annotate.cli.app.Bars``."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

from annotate.errors import AnnotateError
from annotate.settings import PROGRESS_INTERVAL_ENV as INTERVAL_ENV

DEFAULT_INTERVAL = 60.0  # seconds between two lines
FIRST_LINE_AFTER = 10.0  # seconds before the first line (the interval when that is shorter)
# seconds of work a rate (and the time left) is measured over before a line shows it: a
# resumed pre-label's first line came a third of a second after its first batch and read
# "283 passages/s, about 60 s left" at a real 40-55/s (passE51 E3)
MIN_RATE_SPAN = 5.0


def progress_interval() -> float:
    """Seconds between two progress lines: ``$ANNOTATE_PROGRESS_INTERVAL`` when set, else
    :data:`DEFAULT_INTERVAL`. Raises AnnotateError when the variable is not a number above 0."""
    raw = os.environ.get(INTERVAL_ENV, "").strip()
    if not raw:
        return DEFAULT_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise AnnotateError(
            f"{INTERVAL_ENV}={raw!r} is not a number of seconds above 0.",
            fix=f"set it to e.g. 30, or unset it for one line a minute ({INTERVAL_ENV}=).",
        )
    return value


def _plural(n: float, unit: str) -> str:
    return unit if n == 1 else unit + "s"


def _duration(seconds: float) -> str:
    """``45 s``, ``31 min``, ``2 h 05 min``: a duration for a person reading a log."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _rate(per_s: float, unit: str) -> str:
    if per_s >= 10:
        return f"{per_s:,.0f} {_plural(2, unit)}/s"
    if per_s >= 1:
        return f"{per_s:.1f} {_plural(2, unit)}/s"
    return f"{per_s * 60:.1f} {_plural(2, unit)}/min"


class ProgressLines:
    """A progress callable (``annotate._util.progress``) that writes a line to ``out``
    at most every ``interval`` seconds, the first after ``min(FIRST_LINE_AFTER,
    interval)``. ``progress(n)``: ``n`` more units done (``verb``: how the last line says
    it, "done" or "scored"); ``set_total(total)``: the units in all (the line then gives a
    percentage and the time left; ``add_total(n)``: ``n`` more); ``cached(n)``: units that
    needed no work (said, not counted); ``kept(n)``: how many of them are kept (a stopped
    stage says so); ``note(text)``: what is being worked on, shown in brackets; ``close()``: the
    stage is over (a line saying so when the stage wrote any line or lasted past the first
    line's delay, so a log shows where it ended; none for a short stage).

    The rate is measured from the first call, not from creation: the time a command spends
    before its first unit (loading a model) is not counted as slow progress."""

    def __init__(
        self,
        desc: str,
        *,
        unit: str,
        total: int | None,
        out: TextIO,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        verb: str = "done",
    ) -> None:
        self.desc, self.unit, self.total, self.verb = desc, unit, total, verb
        self._out = out
        self._interval = interval
        self._clock = clock
        self._start = clock()
        self._next = self._start + min(FIRST_LINE_AFTER, interval)
        self.n = 0
        self._first: tuple[float, int] | None = None  # (time, n) at the first call
        self._note = ""
        self._wrote = False
        self._closed = False
        self._in_flight = 0  # units sent whose answer has not come (in_flight)
        self._kept: int | None = None  # units of self.n kept (kept); None: not said
        self._cached = 0  # units that needed no work (cached), not in self.n
        self._resumed = 0  # units of self.n an earlier run finished (resume_at)

    def __call__(self, n: int) -> None:
        if self._closed:
            return
        now = self._clock()
        self.n += n
        if self._first is None:
            self._first = (now, self.n)
        if self.total is not None and self.n >= self.total and not self._unkept():
            self.close()  # (units counted and not yet kept: the stage is over once they are)
        elif now >= self._next:
            self._write(self._line(now))
            self._next = now + self._interval

    def set_total(self, total: int) -> None:
        self.total = total

    def add_total(self, n: int) -> None:
        """``n`` more units are to come (a stage that learns its work a part at a time);
        a stage told all of it before its first unit (``annotate train`` embeds every text
        in one call) has its total, a percentage and the time left."""
        self.total = (self.total or 0) + n

    def cached(self, n: int) -> None:
        """``n`` units needed no work (read from a cache): not counted as done, nor in
        the rate, but said (``12,000 more read from the cache``)."""
        self._cached += n

    def begin(self) -> None:
        """The stage's work begins now: "done in" and the first line's delay count from
        here, not from when it was made (a push's stage waited while the push read what
        the server holds)."""
        self._start = self._clock()
        self._next = self._start + min(FIRST_LINE_AFTER, self._interval)

    def resume_at(self, done: int) -> None:
        """Count on from ``done`` units an earlier run finished (a resumed pre-label); the
        rate is measured from the next call, so it is this run's, and the closing line
        counts this run's units, naming those carried over apart."""
        self.n = self._resumed = done

    def in_flight(self, n: int) -> None:
        """``n`` units were sent whose answer has not come yet (0: none now); a stage
        stopped meanwhile says how many may or may not be done."""
        self._in_flight = n

    def kept(self, n: int) -> None:
        """``n`` of the units counted are kept (where a re-run resumes from); a stage
        stopped meanwhile says how many it counted and how many of those are kept."""
        self._kept = n
        if self.total is not None and self.n >= self.total and not self._unkept():
            self.close()

    def _unkept(self) -> bool:
        """Whether units counted are not kept yet (only when :meth:`kept` was called)."""
        return self._kept is not None and self._kept < self.n

    def note(self, text: str) -> None:
        self._note = text

    def close(self, *, failed: bool = False) -> None:
        """End the stage. ``failed``: the command stopped on an error or a signal while it
        ran, so the last line says "stopped after", not "done in" (a log that read
        ``snapshot: 1 project done in 18 s`` right above the error looked finished)."""
        if self._closed:
            return
        self._closed = True
        # a stage that outlasted its first line's delay says it ended even when it never
        # got to write one (one update at its end: a bulk import)
        if self._wrote or self._clock() >= self._next:
            mine = self.n - self._resumed  # this run's: what its time was spent on
            done = f"{mine:,} {_plural(mine, self.unit)}"
            over = f"{self._resumed:,} carried over from an earlier run"
            now = f" now, {over}" if self._resumed else ""
            took = _duration(self._clock() - self._start)
            if failed and self._in_flight:
                sent = f"{self._in_flight:,} more sent whose answer was lost"
                self._write(
                    f"{self.desc}: stopped after {took} ({done} confirmed; {sent}: how many "
                    "of those were done is unknown)"
                )
            elif failed and self._kept is not None:
                self._write(
                    f"{self.desc}: stopped after {took} ({done} {self.verb}{now}; "
                    f"{min(self._kept, self.n):,} kept)"
                    if self._resumed
                    else f"{self.desc}: stopped after {took} ({done} {self.verb}, "
                    f"{min(self._kept, self.n):,} kept)"
                )
            elif failed:
                self._write(f"{self.desc}: stopped after {took} ({done} {self.verb}{now})")
            elif mine == 0 and self._cached and not self._resumed:
                # nothing was worked on: the time went elsewhere (loading the encoder), so
                # "0 texts done in 12 s" charged it to no text (passF52 F10)
                cached = f"{self._cached:,} {_plural(self._cached, self.unit)}"
                self._write(f"{self.desc}: all {cached} read from the cache, none to do")
            else:
                carried = f" ({over})" if self._resumed else ""
                self._write(
                    f"{self.desc}: {done} {self.verb} in {took}{carried}{self._from_cache()}"
                )

    def _line(self, now: float) -> str:
        count = f"{self.n:,}"
        if self.total:
            count += f" / {self.total:,}"
        parts = [f"{count} {_plural(self.total or self.n, self.unit)}"]
        if self.total:
            parts[0] += f" ({100 * self.n // self.total}%)"
        assert self._first is not None  # a line is written from a call
        since, at = self._first
        if now - since >= MIN_RATE_SPAN and self.n > at:
            per_s = (self.n - at) / (now - since)
            parts.append(_rate(per_s, self.unit))
            if self.total and self.total > self.n:
                parts.append(f"about {_duration((self.total - self.n) / per_s)} left")
        line = f"{self.desc}: {', '.join(parts)}{self._from_cache()}"
        return f"{line} ({self._note})" if self._note else line

    def _from_cache(self) -> str:
        return f"; {self._cached:,} more read from the cache" if self._cached else ""

    def _write(self, line: str) -> None:
        self._out.write(line + "\n")
        self._out.flush()
        self._wrote = True
