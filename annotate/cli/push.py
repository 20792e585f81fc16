"""`annotate push`: pre-labelled passages -> a Label Studio project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import LabelsOpt, QuietOpt, app, echo
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
    quiet: QuietOpt = False,
    reviewers_per_task: Annotated[
        int,
        typer.Option(
            "--reviewers-per-task",
            "-k",
            min=1,
            help="K > 1: each passage goes to K different reviewers, each in a project of "
            "their own (`PROJECT · EMAIL-LOCALPART`), blind to the others' answers.",
        ),
    ] = 1,
    reviewer: Annotated[
        list[str] | None,
        typer.Option("--reviewer", help="Reviewer email (repeatable; default: all accounts)."),
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help="Gold table: prelabel columns + gold_labels.", dir_okay=False),
    ] = None,
    gold_rate: Annotated[
        float, typer.Option("--gold-rate", help="Share of gold tasks in each queue.")
    ] = 0.1,
) -> None:
    """Create/update the project from labels.yaml and import the passages with predictions.

    Idempotent and resumable: passages already in the project are skipped.
    """
    if reviewers_per_task > 1 or gold is not None:
        from annotate.cli.review import push_review_cli

        push_review_cli(prelabels, project, reviewers_per_task, reviewer, gold, gold_rate, labels)
        return
    result = push(
        prelabels,
        project,
        labels=labels,
        batch_size=batch_size,
        progress=not quiet,
        stop_on_error=stop_on_error,
    )
    verb = "created" if result.project_created else "updated"
    echo(
        f"project {result.project!r} {verb}: {result.created} created, {result.skipped} skipped "
        f"(already there), {result.failed} failed, of {result.total} passages "
        f"(model {result.model_version})"
    )
    if result.predictions_added:
        echo(f"added {result.predictions_added} predictions of this model to tasks already there")
    for error in result.errors:
        echo(f"failed: {error}")
    echo(f"review at {result.project_url}")
    if result.failed:
        echo("error: some batches failed; fix the cause and run the same push again to resume.")
        raise typer.Exit(1)
