"""`annotate taxonomy ...`: inspect labels.yaml and what is derived from it."""

from __future__ import annotations

import typer

from annotate.cli.app import LabelsOpt, QuietOpt, app, counted

taxonomy_app = typer.Typer(help="Check labels.yaml and render what is derived from it.")
app.add_typer(taxonomy_app, name="taxonomy")


@taxonomy_app.command("check")
def check(labels_file: LabelsOpt = None, quiet: QuietOpt = False) -> None:
    """Validate labels.yaml and summarise it."""
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(labels_file)
    typer.echo(
        f"{tax.name} {tax.version}: {counted(len(tax.categories), 'category', 'categories')} "
        f"(harmful: {', '.join(tax.harmful)}; context: {', '.join(tax.context)}; "
        f"{tax.none_label}), {counted(len(tax.spans), 'span label')}, "
        f"{counted(len(tax.severity), 'severity level')}"
    )


@taxonomy_app.command("config")
def config(labels_file: LabelsOpt = None, quiet: QuietOpt = False) -> None:
    """Print the Label Studio labeling config rendered from labels.yaml."""
    from annotate.taxonomy import load_taxonomy

    typer.echo(load_taxonomy(labels_file).render_label_config(), nl=False)
