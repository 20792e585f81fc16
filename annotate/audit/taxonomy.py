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
