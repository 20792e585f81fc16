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

Standard error on a full disk (``2>/dev/full``, a log file on a full disk: ENOSPC,
EDQUOT, EFBIG) is dropped alike: the error said "files it was writing were removed"
although the command's output, on another disk, was written in full (break9 N14). The
lost messages are told once on standard output, if it can take them. Standard output on
a full disk is still an error: what a command prints there is its result
(``studio env > settings``), not a message.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO

# a message stream whose disk is full: its messages are dropped, not the command's work
FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class DroppedOnceClosed:
    """A text stream whose writes and flushes are dropped once its reader has gone (a
    BrokenPipeError, or OSError EPIPE) or, with ``drop_full`` (standard error), its disk is
    full (``full``: that error, to be told on the other stream); everything else is the
    wrapped stream's."""

    def __init__(self, stream: TextIO, *, drop_full: bool = False) -> None:
        self._stream = stream
        self._gone = False
        self._drop_full = drop_full  # standard error's: messages only
        self.full: OSError | None = None

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
        closed = isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE
        if not closed and (exc.errno not in FULL or not self._drop_full):
            raise exc
        if not closed:
            self.full = exc
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
            setattr(sys, name, DroppedOnceClosed(stream, drop_full=name == "stderr"))
    try:
        yield
    finally:
        lost = []
        for name, stream in saved.items():
            wrapped = getattr(sys, name)
            if isinstance(wrapped, DroppedOnceClosed):
                with suppress(OSError, ValueError):
                    wrapped.flush()
                if wrapped.full is not None:
                    lost.append((name, wrapped.full))
            setattr(sys, name, stream)
        for name, exc in lost:  # said where it can be read, if anywhere
            other = saved["stdout" if name == "stderr" else "stderr"]
            with suppress(OSError, ValueError, AttributeError):
                other.write(lost_said(name, exc))
                other.flush()


def lost_said(name: str, exc: OSError) -> str:
    """The line telling that messages to ``sys.<name>`` were dropped for ``exc`` (its disk
    full): the messages are lost, not the command's files."""
    return (
        f"warning: annotate's messages to standard {'error' if name == 'stderr' else 'output'} "
        "could not be "
        f"written ({exc.strerror or exc}) and were dropped; the command went on to its end, "
        "and its own files are as its exit status says (free space where that stream "
        "goes to read them next time).\n"
    )
