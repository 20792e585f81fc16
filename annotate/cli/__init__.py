"""Command-line interface: thin commands over the library (one module per command group)."""

from __future__ import annotations

import sys

import typer

# Each module registers its commands on `app`.
from annotate.cli import ingest as _ingest  # noqa: F401
from annotate.cli import prelabel as _prelabel  # noqa: F401
from annotate.cli import taxonomy as _taxonomy  # noqa: F401
from annotate.cli.app import app
from annotate.errors import AnnotateError


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes become one line on stderr and a non-zero exit."""
    try:
        app(args=argv, standalone_mode=False)
    except AnnotateError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted: nothing half-written was kept; re-run to resume.", err=True)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


__all__ = ["app", "main"]
