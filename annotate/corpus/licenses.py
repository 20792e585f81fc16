"""The export manifest's ``licenses``: under which licence or terms the corpus's documents
were obtained (the rows' ``license``, recorded by ``annotate ingest --license`` or a
table's license column: :mod:`annotate.ingestion.licenses`), per licence, with the
documents and rows without one (unknown, never assumed)."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

MAX_EXAMPLES = 5


def _document(row: dict[str, Any]) -> str:
    return str(row.get("doc_id") or row["id"])


def licenses_report(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"by_license": {LICENSE: {"documents": D, "rows": R}}`` (most rows first, then by
    name), ``"unknown": {"documents", "rows", "documents_examples"}`` (no licence
    recorded: ingested without one, or before ingest recorded it), ``"documents":`` every
    document, ``"documents_with_several"`` and ``"documents_with_several_examples"``
    (documents whose passages record more than one licence, e.g. ingested twice with
    other ``--license`` values)}``. A document with some rows without a licence counts
    under unknown too. Logs the unknown rows once (info) and documents with several
    licences (warning)."""
    by_license: dict[str, dict[str, Any]] = {}
    unknown_docs: dict[str, None] = {}  # ordered set
    unknown_rows = 0
    per_doc: dict[str, set[str]] = {}
    for r in rows:
        doc = _document(r)
        lic = r.get("license")
        if not lic:
            unknown_rows += 1
            unknown_docs.setdefault(doc, None)
            continue
        entry = by_license.setdefault(str(lic), {"documents": set(), "rows": 0})
        entry["documents"].add(doc)
        entry["rows"] += 1
        per_doc.setdefault(doc, set()).add(str(lic))
    several = sorted(doc for doc, found in per_doc.items() if len(found) > 1)
    if unknown_rows:
        log.info(
            "%d of %d row(s) (%d document(s)) have no licence recorded (ingested without "
            "--license or a license column, or before ingest recorded it): their license "
            "is null",
            unknown_rows,
            len(rows),
            len(unknown_docs),
        )
    if several:
        log.warning(
            "%d document(s) have passages recorded under more than one licence (e.g. doc_id %r)",
            len(several),
            several[0],
        )
    ordered = sorted(by_license.items(), key=lambda kv: (-kv[1]["rows"], kv[0]))
    return {
        "by_license": {
            lic: {"documents": len(e["documents"]), "rows": e["rows"]} for lic, e in ordered
        },
        "unknown": {
            "documents": len(unknown_docs),
            "rows": unknown_rows,
            "documents_examples": sorted(unknown_docs)[:MAX_EXAMPLES],
        },
        "documents": len({_document(r) for r in rows}),
        "documents_with_several": len(several),
        "documents_with_several_examples": several[:MAX_EXAMPLES],
    }
