"""Drop one known line from this process's standard error (file descriptor 2), pass on
everything else.

For a line a native library writes straight to fd 2, which no Python logger or warnings
filter reaches (Ray's core worker, :mod:`annotate.prelabeling_ray`). While
:func:`dropping_lines` is open, fd 2 is a pipe read by a thread that copies every byte
to the real standard error except whole lines holding one of the given markers: any
other line (another error of the same library, a traceback, a progress bar's redraw)
comes through as written. Child processes started while it is open inherit the pipe, so
it is only for spans that start none that outlive it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

log = logging.getLogger(__name__)

_JOIN_S = 5.0  # the longest wait for the copier at the end (a writer that kept fd 2)


def _copy(read_fd: int, write_fd: int, markers: Sequence[bytes]) -> None:
    """Copy ``read_fd`` to ``write_fd`` until end of file, leaving out lines that hold a
    marker. A partial line is held back only while it could still become such a line
    (it starts with ``[``, as Ray's log lines do); anything else (a progress bar's
    ``\\r`` redraw) goes on at once."""
    held = b""

    def out(data: bytes) -> None:
        while data:
            data = data[os.write(write_fd, data) :]

    while True:
        try:
            chunk = os.read(read_fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            out(held)
            return
        held += chunk
        while (end := held.find(b"\n")) >= 0:
            line, held = held[: end + 1], held[end + 1 :]
            at = min((i for m in markers if (i := line.find(m)) >= 0), default=-1)
            if at >= 0:
                # what precedes the record on the same line (a bar's redraw) goes on
                out(line[: max(line.rfind(b"[", 0, at), 0)])
                continue
            out(line)
        cut = held.rfind(b"\r") + 1  # up to a carriage return: a finished redraw
        if not held.startswith(b"["):
            cut = len(held)
        out(held[:cut])
        held = held[cut:]


@contextmanager
def dropping_lines(markers: Sequence[str]) -> Iterator[None]:
    """Leave out of fd 2 the lines holding one of ``markers`` (plain text, not patterns)
    while the block runs; everything else written there reaches the real standard error
    in order. Where fd 2 cannot be redirected (no such descriptor), the block runs
    unfiltered. Raises nothing of its own."""
    encoded = [m.encode() for m in markers]
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    read_fd, write_fd = os.pipe()
    os.dup2(write_fd, 2)
    os.close(write_fd)
    copier = threading.Thread(
        target=_copy, args=(read_fd, saved, encoded), name="stderr-lines", daemon=True
    )
    copier.start()
    try:
        yield
    finally:
        with suppress(OSError, ValueError):
            sys.stderr.flush()
        os.dup2(saved, 2)  # the pipe's last write end closes: the copier reads EOF
        copier.join(_JOIN_S)
        if copier.is_alive():  # a child kept the pipe: the copier goes on until it ends
            log.debug("stderr copier still running (a child process holds the pipe)")
        else:
            os.close(read_fd)
            os.close(saved)
