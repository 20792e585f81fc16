"""`annotate taxonomy ...`: inspect labels.yaml and what is derived from it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import LabelsOpt, QuietOpt, app, counted

taxonomy_app = typer.Typer(help="Check labels.yaml and render what is derived from it.")
app.add_typer(taxonomy_app, name="taxonomy")


AgainstOpt = Annotated[
    Path | None,
    typer.Option(
        "--against",
        help="An older labels.yaml, or an export (its folder or manifest.json): refuse a "
        "labels.yaml of the same MAJOR version that gives one of its categories another id.",
    ),
]


def _older_categories(path: Path) -> tuple[list[str], str | None]:
    """The categories (in id order) and version of the taxonomy ``path`` records: a
    labels.yaml, an export's manifest.json, or an export's folder."""
    import json

    from annotate.errors import InputError
    from annotate.taxonomy import load_taxonomy

    manifest = path / "manifest.json" if path.is_dir() else path
    if path.is_dir() or path.suffix.lower() == ".json":
        try:
            record = json.loads(manifest.read_text(encoding="utf-8"))["taxonomy"]
            names = [str(c["name"]) for c in record["categories"]]
            return names, str(record["version"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"--against {str(path)!r}: expected an export's manifest.json with its "
                f"taxonomy record (taxonomy.categories), found none ({type(exc).__name__}).",
                fix="pass an older labels.yaml, or the --out folder of `annotate export`.",
            ) from None
    old = load_taxonomy(path)
    return old.category_names, old.version


@taxonomy_app.command("check")
def check(
    labels_file: LabelsOpt = None, against: AgainstOpt = None, quiet: QuietOpt = False
) -> None:
    """Validate labels.yaml and summarise it (with --against: its category ids too)."""
    from annotate.taxonomy import check_stable_ids, load_taxonomy

    tax = load_taxonomy(labels_file)
    if against is not None:
        names, version = _older_categories(against)
        check_stable_ids(names, version, tax, where=f"--against {str(against)!r}")
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
