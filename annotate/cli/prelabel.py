"""`annotate prelabel`: passages -> the model's scores, labels and evidence spans."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import Bars, LabelsOpt, QuietOpt, app, echo
from annotate.prelabeling import prelabel
from annotate.tables import row_count


@app.command("prelabel")
def prelabel_cli(
    input_path: Annotated[
        Path,
        typer.Argument(metavar="INPUT", help="Passages: ingest output or a table with id, text."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output (.jsonl or .parquet).")],
    model: Annotated[
        str | None,
        typer.Option(help="Model directory or HF hub id (default: the model in models/default)."),
    ] = None,
    labels_file: LabelsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Score every passage with a transformers classifier and write pre-labels."""
    with Bars(quiet) as bars:
        bar = bars("prelabel", total=row_count(input_path) if input_path.is_file() else None)
        stats = prelabel(input_path, out, model=model, taxonomy=labels_file, progress=bar)
    echo(
        f"{stats.passages} passages pre-labelled with {stats.model_version} -> {out} "
        f"({stats.flagged} with a harmful label)"
    )
