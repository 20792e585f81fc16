"""`annotate push`: pre-labelled passages -> a Label Studio project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import LabelsOpt, QuietOpt, app, echo
from annotate.studio.lock import DEFAULT_WAIT_S
from annotate.studio.push import DEFAULT_BATCH_SIZE, push


@app.command("push")
def push_cli(
    prelabels: Annotated[
        Path, typer.Argument(help="Prelabel table (JSONL or Parquet) from `annotate prelabel`.")
    ],
    project: Annotated[str, typer.Option("--project", "-p", help="Label Studio project title.")],
    labels: LabelsOpt = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Tasks per import request.")
    ] = DEFAULT_BATCH_SIZE,
    stop_on_error: Annotated[
        bool, typer.Option("--stop-on-error", help="Stop at the first failed batch.")
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help="Seconds to wait for another push into the same project to finish (0: fail).",
        ),
    ] = DEFAULT_WAIT_S,
    quiet: QuietOpt = False,
) -> None:
    """Create/update the project from labels.yaml and import the passages with predictions.

    Idempotent and resumable: passages already in the project are skipped.
    """
    result = push(
        prelabels,
        project,
        labels=labels,
        batch_size=batch_size,
        progress=not quiet,
        stop_on_error=stop_on_error,
        lock_wait_s=wait,
    )
    verb = "created" if result.project_created else "updated"
    echo(
        f"project {result.project!r} {verb}: {result.created} created, {result.skipped} skipped "
        f"(already there), {result.failed} failed, of {result.total} passages "
        f"(model {result.model_version})"
    )
    if result.predictions_added:
        echo(f"added {result.predictions_added} predictions of this model to tasks already there")
    if result.predictions_repaired:
        echo(f"re-sent {result.predictions_repaired} predictions Label Studio dropped on import")
    if result.duplicates_removed:
        echo(f"removed {result.duplicates_removed} tasks another push had also created")
    for error in result.errors:
        echo(f"failed: {error}")
    echo(f"review at {result.project_url}")
    if result.failed:
        echo(
            f"error: {result.failed} passage(s) failed (named above); fix the cause and run "
            "the same push again to resume."
        )
        raise typer.Exit(1)
