"""Command-line interface: thin commands over the library (one module per command group)."""

from __future__ import annotations

import signal
import sys

# Each module registers its commands on `app`.
from annotate.cli import audit as _audit  # noqa: F401
from annotate.cli import demo as _demo  # noqa: F401
from annotate.cli import evaluate as _evaluate  # noqa: F401
from annotate.cli import export as _export  # noqa: F401
from annotate.cli import ingest as _ingest  # noqa: F401
from annotate.cli import prelabel as _prelabel  # noqa: F401
from annotate.cli import pseudonym as _pseudonym  # noqa: F401
from annotate.cli import push as _push  # noqa: F401
from annotate.cli import review as _review  # noqa: F401
from annotate.cli import studio as _studio  # noqa: F401
from annotate.cli import taxonomy as _taxonomy  # noqa: F401
from annotate.cli import train as _train  # noqa: F401
from annotate.cli.app import app


def _one_line_summaries() -> None:
    """Each command's line in ``annotate --help`` is its docstring's first paragraph, but
    typer (rich markup) keeps that paragraph's line breaks there, so a wrapped one printed
    broken mid-sentence ("... of an exported" / "corpus; exits ..."): it is given joined."""
    import inspect

    groups = [g.typer_instance for g in app.registered_groups if g.typer_instance]
    for info in [c for t in (app, *groups) for c in t.registered_commands]:
        if info.short_help is None and info.callback is not None:
            doc = info.help or inspect.getdoc(info.callback) or ""
            info.short_help = " ".join(doc.split("\n\n")[0].split()) or None


_one_line_summaries()


def _interrupt(signum: int, frame: object) -> None:
    from annotate.cli.app import SIGNALS_RECEIVED  # the module (the package's `app` is Typer's)

    name = signal.Signals(signum).name
    SIGNALS_RECEIVED.append(name)  # DuckDB may swallow the KeyboardInterrupt
    raise KeyboardInterrupt(name)


def main(argv: list[str] | None = None) -> None:
    """Run one command (``argv``: its arguments, default ``sys.argv[1:]``). A user
    mistake is one line on stderr and a non-zero exit: a value an option cannot take
    (exit 2) and an AnnotateError (exit 1) by the app itself (see ``cli/app.py``); a
    malformed command is click's usage error (exit 2).
    SIGTERM is handled like Ctrl-C while the command runs, so partial outputs are removed
    the same way; the process's own SIGTERM handler is given back afterwards. Called in
    a program (a test, a notebook) it leaves Ctrl-C's handler as it was; the late
    Ctrl-C rule is the ``annotate`` program's (:func:`console_main`). Messages to a
    standard output or error whose reader has gone (``| head``) are dropped and the
    command goes on (:mod:`annotate.cli.closed_pipe`)."""
    from annotate.cli.app import LATE_SIGNALS
    from annotate.cli.closed_pipe import drop_once_closed

    before = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with drop_once_closed():
            app(args=verbose_first(sys.argv[1:] if argv is None else argv))
    finally:
        if not LATE_SIGNALS:  # in-process: the caller's handler again
            signal.signal(signal.SIGTERM, before)


def console_main() -> None:
    """The ``annotate`` program (pyproject's ``[project.scripts]``, ``python -m
    annotate``): :func:`main` on ``sys.argv``, where a Ctrl-C landing once the command
    has run (its summary printed) is ignored, so the exit code is the command's, and a
    SIGTERM then gets the system's default action, so a supervisor can still stop a
    shutdown that hangs (:func:`annotate.cli.app.work_over`). Only here: armed by
    :func:`main` itself, Ctrl-C stayed ignored in a test run or notebook that had called
    it, and in every process started from there (reader 62 finding 1)."""
    from annotate.cli.app import LATE_SIGNALS

    LATE_SIGNALS[:] = [signal.SIGINT]
    main()


VERBOSE_FLAGS = ("--verbose", "-v", "-vv", "-vvv")


def verbose_first(argv: list[str]) -> list[str]:
    """``-v``/``-vv``/``--verbose`` typed after the command (``annotate ingest -v ...``)
    moved before it, where the option lives; everything else is kept in order. An
    argument after ``--`` is never moved."""
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:end] if a in VERBOSE_FLAGS]
    if not flags:
        return argv
    return flags + [a for a in argv[:end] if a not in VERBOSE_FLAGS] + argv[end:]


__all__ = ["app", "console_main", "main", "verbose_first"]
