"""Messages to a reader that has gone: ``annotate export ... 2>&1 | head -2``.

Python ignores SIGPIPE, so a write to a pipe whose reader has closed raises
BrokenPipeError; click catches it at the top (errno EPIPE) and exits 1 without a word,
and the command's work stops at whatever message came next: an export fully written
exited 1 (a script reading ``${PIPESTATUS[0]}`` took it for failed), and one whose pipe
closed mid-way stopped there (passH53 H13). annotate's standard output and error carry
messages about the work, not the work itself (that goes to files), so once their reader
is gone they are dropped and the work goes on to its own end and exit status, as the
stderr copier of :mod:`annotate._util.stderr_lines` does for native libraries' lines.
The stream's descriptor is pointed at the null device, so that what Python's buffers
still hold is not written to the closed pipe at exit ("Exception ignored ...
BrokenPipeError", exit 120) either.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO


class DroppedOnceClosed:
    """A text stream whose writes and flushes are dropped once its reader has gone (a
    BrokenPipeError, or OSError EPIPE); everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)
            except OSError as exc:
                self._drop_if_closed(exc)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except OSError as exc:
                self._drop_if_closed(exc)

    def _drop_if_closed(self, exc: OSError) -> None:
        if not isinstance(exc, BrokenPipeError) and exc.errno != errno.EPIPE:
            raise exc
        self._gone = True
        with suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, self._stream.fileno())
            finally:
                os.close(null)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def drop_once_closed() -> Iterator[None]:
    """While the block runs, ``sys.stdout`` and ``sys.stderr`` are wrapped in
    :class:`DroppedOnceClosed` (each once); at its end (a SystemExit included) they are
    flushed through the wrappers, so nothing is left to fail at exit, and put back."""
    saved = {name: getattr(sys, name) for name in ("stdout", "stderr")}
    for name, stream in saved.items():
        if stream is not None and not isinstance(stream, DroppedOnceClosed):
            setattr(sys, name, DroppedOnceClosed(stream))
    try:
        yield
    finally:
        for name, stream in saved.items():
            wrapped = getattr(sys, name)
            if isinstance(wrapped, DroppedOnceClosed):
                with suppress(OSError, ValueError):
                    wrapped.flush()
            setattr(sys, name, stream)
