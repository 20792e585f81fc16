"""`annotate export`: a Label Studio project -> the reviewed corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import LabelsOpt, app, echo
from annotate.corpus.export import export


@app.command("export")
def export_cli(
    project: Annotated[str, typer.Option("--project", "-p", help="Label Studio project title.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory (replaced whole).")],
    labels_file: LabelsOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the split assignment.")] = 0,
) -> None:
    """Write every reviewed passage as an HF DatasetDict, Parquet and JSONL, with a manifest."""
    result = export(project, out, taxonomy=labels_file, seed=seed)
    splits = ", ".join(f"{k} {v}" for k, v in result.splits.items())
    echo(
        f"exported {result.rows} reviewed passages ({splits}) with {result.annotations} "
        f"annotations by {result.reviewers} reviewer(s), {result.ties} tie(s), to {result.out}"
    )
