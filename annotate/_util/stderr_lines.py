"""Drop one known line from this process's standard error (file descriptor 2), pass on
everything else.

For a line a native library writes straight to fd 2, which no Python logger or warnings
filter reaches (Ray's core worker, :mod:`annotate.prelabeling_ray`). While
:func:`dropping_lines` is open, fd 2 is a pipe read by a small child process (this file
run as a script, standard library only) that copies every byte to the real standard
error except whole lines holding one of the given markers: any other line (another
error of the same library, a traceback, a progress bar's redraw) comes through as
written.

A process, not a thread: what a native library writes just before it ends the process
(a failed check's message, then abort or ``_exit``) is still copied, as the copier
outlives the writer and reads the pipe to its end; a thread died with the process and
the message with it. The copier runs in a session of its own and ignores SIGINT,
SIGTERM and SIGHUP (a Ctrl-C reaches the terminal's whole foreground process group; the
writer's traceback must still come through); it ends at the pipe's end of file. When
the real standard error no longer takes writes (its reader is gone), the copier goes on
reading and drops what it reads, so a writer never blocks on a full pipe. Child
processes started while the filter is open inherit the pipe, so it is only for spans
that start none that outlive it.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

log = logging.getLogger(__name__)

_JOIN_S = 5.0  # the longest wait for the copier at the end (a writer that kept fd 2)


class _Sink:
    """Writes to ``fd`` whole; once it refuses (its reader is gone), drops everything."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.gone = False

    def __call__(self, data: bytes) -> None:
        while data and not self.gone:
            try:
                data = data[os.write(self.fd, data) :]
            except BlockingIOError:  # a non-blocking descriptor, full for now
                select.select([], [self.fd], [], 1.0)
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                self.gone = True  # EPIPE, EBADF ...: nobody reads it any more


def _copy(read_fd: int, write_fd: int, markers: Sequence[bytes]) -> None:
    """Copy ``read_fd`` to ``write_fd`` until end of file, leaving out lines that hold a
    marker. A partial line is held back only while it could still become such a line
    (it starts with ``[``, as Ray's log lines do); anything else (a progress bar's
    ``\\r`` redraw) goes on at once. Reads to the end whatever becomes of ``write_fd``."""
    held = b""
    out = _Sink(write_fd)
    while True:
        try:
            chunk = os.read(read_fd, 65536)
        except InterruptedError:
            continue
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


def _start_copier(markers: Sequence[str], saved: int) -> tuple[subprocess.Popen[bytes], int]:
    """The copier process reading a new pipe and writing to ``saved``; the pipe's write
    end. Raises OSError or SubprocessError when it cannot be started."""
    read_fd, write_fd = os.pipe()
    try:
        copier = subprocess.Popen(
            [sys.executable, "-I", "-S", os.path.abspath(__file__), *markers],
            stdin=read_fd,
            stdout=saved,
            close_fds=True,
            # its own process group: a Ctrl-C (sent to the terminal's foreground group)
            # does not reach it, not even while it starts, before it ignores signals
            start_new_session=True,
        )
    except BaseException:
        os.close(write_fd)
        raise
    finally:
        os.close(read_fd)
    return copier, write_fd


@contextmanager
def dropping_lines(markers: Sequence[str]) -> Iterator[None]:
    """Leave out of fd 2 the lines holding one of ``markers`` (plain text, not patterns)
    while the block runs; everything else written there reaches the real standard error
    in order, also what is written just before the process dies. Where fd 2 cannot be
    redirected (no such descriptor) or the copier cannot be started, the block runs
    unfiltered. Raises nothing of its own."""
    with suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:
        saved = -1
    copier: subprocess.Popen[bytes] | None = None
    if saved >= 0:
        try:
            copier, write_fd = _start_copier(markers, saved)
        except (OSError, subprocess.SubprocessError) as exc:
            log.debug("stderr left unfiltered: the copier did not start (%s)", exc)
            os.close(saved)
    if copier is None:
        yield
        return
    os.dup2(write_fd, 2)
    os.close(write_fd)
    try:
        yield
    finally:
        with suppress(OSError, ValueError, AttributeError):
            sys.stderr.flush()
        os.dup2(saved, 2)  # the pipe's last write end closes: the copier reads EOF
        os.close(saved)
        try:
            copier.wait(_JOIN_S)  # all copied before anything else is written
        except subprocess.TimeoutExpired:  # a child kept the pipe: it ends with the child
            log.debug("stderr copier still running (a child process holds the pipe)")


def _main(markers: Sequence[str]) -> None:
    """The copier: standard input to standard output, as :func:`_copy`."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # SIGHUP: POSIX only
        if (sig := getattr(signal, name, None)) is not None:
            signal.signal(sig, signal.SIG_IGN)
    _copy(0, 1, [m.encode() for m in markers])


if __name__ == "__main__":
    _main(sys.argv[1:])
