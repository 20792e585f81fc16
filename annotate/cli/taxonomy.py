"""`annotate taxonomy ...`: inspect labels.yaml and what is derived from it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotate.cli.app import LabelsOpt, QuietOpt, app, counted

if TYPE_CHECKING:
    from annotate.taxonomy import Taxonomy

taxonomy_app = typer.Typer(help="Check labels.yaml and render what is derived from it.")
app.add_typer(taxonomy_app, name="taxonomy")


AgainstOpt = Annotated[
    Path | None,
    typer.Option(
        "--against",
        help="An older labels.yaml, an export (its folder or manifest.json) or a model "
        "folder: refuse a labels.yaml of the same MAJOR version that gives one of its "
        "categories another id, and say whether it is the same taxonomy (content SHA-256, "
        "definitions included); one of the same version with other content is refused. "
        "Without it: the project's labels.yaml and the default model, when of the same "
        "taxonomy name.",
    ),
]


def _older_categories(path: Path) -> tuple[list[str], str | None, str | None]:
    """The categories (in id order), version and content SHA-256 (None: an export made
    before manifests recorded it) of the taxonomy ``path`` records: a labels.yaml, an
    export's manifest.json, an export's folder, or a model folder (its
    annotate_model.json)."""
    from annotate._util.near_paths import missing_path_fix
    from annotate.errors import InputError
    from annotate.taxonomy import load_taxonomy

    what = "an older labels.yaml, an export (its folder or its manifest.json) or a model folder"
    if not path.exists():
        # load_taxonomy's own message told the user to pass --labels, the other option
        # (s56 left #7)
        raise InputError(
            f"--against {str(path)!r}: expected {what}, found no such file or folder.",
            fix=missing_path_fix(
                path, "check the path (an export's folder is the --out of `annotate export`)."
            ),
        )
    manifest = path / "manifest.json" if path.is_dir() else path
    if path.is_dir() and not manifest.exists():
        from annotate.taxonomy_records import model_record

        model = model_record(path)
        if isinstance(model, str):
            raise InputError(
                f"--against {str(path)!r}: expected {what}, found {model}.",
                fix="pass an older labels.yaml, the --out folder of `annotate export`, or a "
                "model folder written by `annotate train`.",
            )
        return model.categories, model.version, model.sha256
    if path.is_dir() or path.suffix.lower() == ".json":
        found = _manifest_taxonomy(manifest)
        if isinstance(found, str):
            raise InputError(
                f"--against {str(path)!r}: expected {what}, found {found}.",
                fix="pass an older labels.yaml, or the --out folder of `annotate export`.",
            )
        return found
    old = load_taxonomy(path)
    return old.category_names, old.version, old.content_sha256


def _manifest_taxonomy(manifest: Path) -> tuple[list[str], str | None, str | None] | str:
    """The categories, version and content SHA-256 an export's ``manifest`` records, or
    what was found instead, in words (for the error): no manifest.json in the folder,
    one that cannot be read, is not JSON, or has no taxonomy record."""
    import json

    if not manifest.is_file():
        return "a folder without a manifest.json"
    try:
        text = manifest.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return f"{manifest} is not UTF-8 text"
    except OSError as exc:
        return f"{manifest} cannot be read ({exc.strerror or exc})"
    try:
        data = json.loads(text)
    except ValueError as exc:
        return f"{manifest} is not JSON (line {getattr(exc, 'lineno', '?')})"
    record = data.get("taxonomy") if isinstance(data, dict) else None
    try:
        names = [str(c["name"]) for c in record["categories"]]  # type: ignore[index]
        version, digest = record["version"], record.get("sha256")  # type: ignore[index]
    except (KeyError, TypeError):
        return (
            f"{manifest} without a taxonomy record (taxonomy.version and taxonomy.categories, "
            "each with a name)"
        )
    return names, str(version), str(digest) if digest else None


@taxonomy_app.command("check")
def check(
    labels_file: LabelsOpt = None, against: AgainstOpt = None, quiet: QuietOpt = False
) -> None:
    """Validate labels.yaml and summarise it; check that its category ids are those of
    --against, else of the project's labels.yaml and the default model."""
    from annotate.taxonomy import check_stable_ids, load_taxonomy
    from annotate.taxonomy_records import check_records, default_records

    tax = load_taxonomy(labels_file)
    same = None
    if against is not None:
        names, version, digest = _older_categories(against)
        check_stable_ids(names, version, tax, where=f"--against {str(against)!r}")
        same = _same_content(tax, against, version, digest)
    else:
        records = default_records(tax, labels_file)
        check_records(tax, records, own_name_fix=True)
        same = (
            f"category ids kept: compared with {', '.join(r.where for r in records)}"
            if records
            else f"no earlier record of taxonomy {tax.name!r} to compare its category ids "
            "with (the project's labels.yaml and the default model are of another, or this "
            "file); --against compares with an older labels.yaml, an export or a model"
        )
    typer.echo(
        f"{tax.name} {tax.version}: {counted(len(tax.categories), 'category', 'categories')} "
        f"(harmful: {', '.join(tax.harmful)}; context: {', '.join(tax.context)}; "
        f"{tax.none_label}), {counted(len(tax.spans), 'span label')}, "
        f"{counted(len(tax.severity), 'severity level')}"
    )
    typer.echo(
        f"content SHA-256 {tax.content_sha256} (the validated taxonomy, definitions and "
        "examples included, not the file's bytes; exports and models record it)"
    )
    if same:
        typer.echo(same)


def _same_content(tax: Taxonomy, against: Path, version: str | None, digest: str | None) -> str:
    """Whether ``tax`` is the taxonomy ``against`` records (its ``version`` and content
    ``digest``): the line to print. TaxonomyError when it is the same version with other
    content (a definition edited without a version bump: nothing else tells them apart)."""
    from annotate.errors import TaxonomyError

    where = f"--against {str(against)!r}"
    if digest is None:
        return (
            f"{where} records no content SHA-256 (an export made before manifests had "
            "one): whether this is its taxonomy cannot be told"
        )
    if digest == tax.content_sha256:
        return f"same taxonomy as {where} records (content SHA-256 {digest[:12]}…)"
    if version == tax.version:
        raise TaxonomyError(
            f"this labels.yaml is version {tax.version} like {where}, but not the taxonomy "
            f"it records: content SHA-256 {tax.content_sha256[:12]}… here, {digest[:12]}… "
            "there (a definition, example, title or label changed without a version bump).",
            fix="use the taxonomy the export was labelled under (an export holds a copy, "
            "labels.yaml in its folder, since Dec 2026), or bump `version:` in this file "
            "if the change is meant.",
        )
    return (
        f"not the taxonomy {where} records: version {tax.version} here, {version} there "
        f"(content SHA-256 {digest[:12]}…); its category ids are kept (checked above)"
    )


@taxonomy_app.command("config")
def config(labels_file: LabelsOpt = None, quiet: QuietOpt = False) -> None:
    """Print the Label Studio labeling config rendered from labels.yaml."""
    from annotate.taxonomy import load_taxonomy

    typer.echo(load_taxonomy(labels_file).render_label_config(), nl=False)
