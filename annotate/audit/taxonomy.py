"""What an export records of its taxonomy, so the report needs nothing but the export."""

from __future__ import annotations

from typing import Any

from annotate.taxonomy import Taxonomy


def taxonomy_record(tax: Taxonomy) -> dict[str, Any]:
    """Shape: ``{"name", "version", "sha256", "categories": [{"name", "group"}], "severity",
    "spans"}`` (``sha256``: :attr:`annotate.taxonomy.Taxonomy.content_sha256`)."""
    return {
        "name": tax.name,
        "version": tax.version,
        "sha256": tax.content_sha256,
        "categories": [{"name": c.name, "group": c.group} for c in tax.categories],
        "severity": list(tax.severity_names),
        "spans": list(tax.span_names),
    }


# the taxonomy an export was labelled under, as a labels.yaml in its folder (listed in its
# manifest, so covered by its checksums; passM55 finding 8)
TAXONOMY_FILE = "labels.yaml"


def taxonomy_yaml(tax: Taxonomy) -> str:
    """``tax`` as a labels.yaml that loads back to the same taxonomy (the same
    :attr:`~annotate.taxonomy.Taxonomy.content_sha256`): its validated content, every
    field written out; the file's comments and layout are not kept."""
    import yaml

    head = (
        f"# The taxonomy this export was labelled under: {tax.name} {tax.version}, content\n"
        f"# SHA-256 {tax.content_sha256} (manifest.json taxonomy.sha256).\n"
        "# Written by `annotate export` from the validated labels.yaml (comments and layout\n"
        "# not kept). `annotate taxonomy check --labels FILE --against THIS_FOLDER` says\n"
        "# whether another labels.yaml is this taxonomy.\n"
    )
    body = yaml.safe_dump(
        tax.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=88
    )
    return head + body
