"""`annotate evaluate`: a model + labeled data -> report.md, report.json and plots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import LabelsOpt, QuietOpt, app, echo


@app.command("evaluate")
def evaluate_cli(
    data: Annotated[
        list[Path],
        typer.Option(
            "--data",
            help="An `annotate export` directory, a table with text + labels, or (with "
            "--mapping) any labeled table. Repeatable.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Report directory to write.")],
    model: Annotated[
        str | None,
        typer.Option(help="Model directory or HF hub id (default: models/default)."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="Mapping file for --data tables in a foreign format.", dir_okay=False),
    ] = None,
    split: Annotated[
        str,
        typer.Option(
            help="Which split to score: all, train, validation or test (exports carry splits; "
            "project tables are split by document with --seed, as in training)."
        ),
    ] = "all",
    seed: Annotated[int, typer.Option(help="Seed of the document split (as in training).")] = 13,
    labels: LabelsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Score labeled passages with a model and write a report (metrics at the model's
    thresholds, AUPRC, calibration, context-vs-harmful confusion, PR curves)."""
    from tqdm.auto import tqdm

    from annotate.classifier import load_classifier
    from annotate.evaluate import evaluate
    from annotate.taxonomy import load_taxonomy
    from annotate.training.sources import DataSource, is_export_dir

    tax = load_taxonomy(labels)
    clf = load_classifier(model, tax)
    sources = [
        DataSource(str(p), str(mapping) if mapping and not is_export_dir(p) else None) for p in data
    ]
    bar = tqdm(desc="evaluate", unit="passage", disable=quiet)
    try:
        result = evaluate(clf, tax, sources, out, split=split, seed=seed, progress=bar.update)
    finally:
        bar.close()
    rep = result.report
    echo(f"evaluated {clf.version} on {rep['n']} passages: macro F1 {rep['macro_f1']} -> {out}")
