"""The Typer application and the options every command shares."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="annotate",
    help=(
        "Find violent content and violent-extremist propaganda in text, route it to human "
        "review in Label Studio, and export an auditable, retrainable corpus."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

LabelsOpt = Annotated[
    Path | None,
    typer.Option(
        "--labels",
        help="Taxonomy file (default: $ANNOTATE_LABELS, ./labels.yaml, the project's).",
        dir_okay=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]


@app.callback()
def _root(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="-v info, -vv debug.")
    ] = 0,
) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def echo(message: str) -> None:
    """User-facing output (stderr keeps stdout clean for data, e.g. `studio env`)."""
    typer.echo(message, err=True)
