"""Command-line interface: thin commands over the library (one module per command group)."""

from __future__ import annotations

import sys

import typer

# Each module registers its commands on `app`.
from annotate.cli import audit as _audit  # noqa: F401
from annotate.cli import demo as _demo  # noqa: F401
from annotate.cli import evaluate as _evaluate  # noqa: F401
from annotate.cli import export as _export  # noqa: F401
from annotate.cli import ingest as _ingest  # noqa: F401
from annotate.cli import prelabel as _prelabel  # noqa: F401
from annotate.cli import push as _push  # noqa: F401
from annotate.cli import studio as _studio  # noqa: F401
from annotate.cli import taxonomy as _taxonomy  # noqa: F401
from annotate.cli import train as _train  # noqa: F401
from annotate.cli.app import app
from annotate.errors import AnnotateError


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes become one line on stderr and a non-zero exit.

    Usage errors are reported by click (exit 2); AnnotateError by us (exit 1).
    """
    try:
        app(args=argv)
    except AnnotateError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)


__all__ = ["app", "main"]
