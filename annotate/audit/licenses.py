"""The report's licence numbers: under which licence or terms the corpus's documents were
obtained, counted from the rows' ``license`` (recorded at ingest:
:mod:`annotate.ingestion.licenses`), with the documents that have none flagged as unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotate._util.spdx import spdx_expression
from annotate.audit.markdown import escape_markdown, markdown_table

Row = dict[str, Any]
UNKNOWN_EXAMPLES = 20


def license_numbers(rows: Sequence[Row], manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    """``{"recorded": False}`` for an export made before the rows had a ``license``;
    else ``recorded``, ``documents``, ``by_license`` ([{"license", "spdx", "documents",
    "rows"}], most rows first; ``spdx``: the licence as a canonical SPDX expression,
    :func:`annotate._util.spdx.spdx_expression`, None when it is none, e.g. contract
    terms), ``unknown`` (``documents``, ``rows`` and up to
    :data:`UNKNOWN_EXAMPLES` ``document_ids``: documents with a row without a licence)
    and ``documents_with_several`` (documents whose rows record more than one licence);
    from ``manifest``'s ``licenses`` (None where the export did not record them):
    ``passages_with_several`` (passages pushed under more than one licence) and
    ``changed_since_previous_export`` (passages whose licence differs from the export the
    export replaced)."""
    if rows and not any("license" in r for r in rows):  # an empty corpus counts zeros
        return {"recorded": False}
    per_doc: dict[str, set[str]] = {}
    per_license: dict[str, list[int]] = {}  # license -> [documents, rows]
    unknown: dict[str, int] = {}  # document -> rows without a licence
    for r in rows:
        doc = str(r.get("doc_id") or r["id"])
        lic = r.get("license")
        if not lic:
            unknown[doc] = unknown.get(doc, 0) + 1
            continue
        found = per_doc.setdefault(doc, set())
        counts = per_license.setdefault(str(lic), [0, 0])
        if str(lic) not in found:
            counts[0] += 1
            found.add(str(lic))
        counts[1] += 1
    ordered = sorted(per_license.items(), key=lambda kv: (-kv[1][1], kv[0]))
    recorded = (manifest or {}).get("licenses") or {}
    return {
        "recorded": True,
        "documents": len({str(r.get("doc_id") or r["id"]) for r in rows}),
        "by_license": [
            {"license": lic, "spdx": spdx_expression(lic), "documents": d, "rows": n}
            for lic, (d, n) in ordered
        ],
        "unknown": {
            "documents": len(unknown),
            "rows": sum(unknown.values()),
            "document_ids": sorted(unknown)[:UNKNOWN_EXAMPLES],
        },
        "documents_with_several": sum(1 for found in per_doc.values() if len(found) > 1),
        "passages_with_several": recorded.get("passages_with_several"),
        "changed_since_previous_export": recorded.get("changed_since_previous_export"),
    }


def license_lines(n: dict[str, Any]) -> list[str]:
    """The ``### By licence`` section: a table of licences, unknown last and named."""
    lines = ["### By licence", ""]
    if not n.get("recorded"):
        return [
            *lines,
            "Not recorded: an export made before `annotate ingest` recorded each document's "
            "licence (`license`): every document's licence is unknown.",
            "",
        ]
    unknown = n["unknown"]
    body: list[list[Any]] = [
        [e["license"], _spdx_of(e) or "not SPDX", e["documents"], e["rows"]]
        for e in n["by_license"]
    ]
    if unknown["documents"]:
        body.append(["UNKNOWN (none recorded)", "", unknown["documents"], unknown["rows"]])
    lines += [
        "The licence or terms each document was obtained under, as recorded at ingest "
        "(`annotate ingest --license`, or a table's `license` column), and its canonical "
        "SPDX expression (ingest records an SPDX licence so; one an older ingest recorded "
        "otherwise shows the form it normalises to; not SPDX: free text such as a "
        "contract's terms, kept as given).",
        "",
        *markdown_table(["licence", "SPDX", "documents", "passages"], body),
    ]
    free = [e for e in n["by_license"] if _spdx_of(e) is None]
    if free:
        docs = sum(e["documents"] for e in free)
        lines += [
            f"{len(free)} licence(s) ({docs} document(s)) are not SPDX expressions: check "
            "them against the contracts they name.",
            "",
        ]
    if unknown["documents"]:
        ids = ", ".join(escape_markdown(d) for d in unknown["document_ids"])
        more = unknown["documents"] - len(unknown["document_ids"])
        lines += [
            f"**{unknown['documents']} of {n['documents']} document(s) have no licence "
            f"recorded** ({unknown['rows']} passage(s)): {ids}"
            + (f" and {more} more (`report.json` counts them)" if more > 0 else "")
            + ". Record it when ingesting (`--license`) before relying on this corpus "
            "in an audit.",
            "",
        ]
    if n.get("documents_with_several"):
        lines += [
            f"{n['documents_with_several']} document(s) have passages recorded under more "
            "than one licence.",
            "",
        ]
    several = n.get("passages_with_several") or {}
    if several.get("passages"):
        shown = "; ".join(
            escape_markdown(e["passage"])
            + ": "
            + " then ".join(escape_markdown(x) for x in e["licenses"])
            for e in several["examples"]
        )
        lines += [
            f"**{several['passages']} passage(s) were pushed under more than one licence** "
            f"(e.g. {shown}): each is exported under the licence of its latest push "
            "(`manifest.json` `licenses.passages_with_several`).",
            "",
        ]
    changed = n.get("changed_since_previous_export")
    if changed and changed.get("changed"):
        moves = ", ".join(f"{escape_markdown(k)}: {v}" for k, v in changed["changes"].items())
        lines += [
            f"**{changed['changed']} of {changed['passages_compared']} passage(s) have another "
            f"licence than in the previous export** this one replaced ({moves}; e.g. "
            f"{escape_markdown(changed['examples'][0]['passage'])}).",
            "",
        ]
    elif changed is not None:
        lines += [
            f"Licences unchanged since the previous export ({changed['passages_compared']} "
            "passage(s) in both)"
            + ("" if changed.get("previous_recorded", True) else ": it recorded none")
            + ".",
            "",
        ]
    return lines


def _spdx_of(entry: dict[str, Any]) -> str | None:
    """An entry's canonical SPDX form: as ``report.json`` records it, else (numbers from
    before the field) computed now."""
    return entry["spdx"] if "spdx" in entry else spdx_expression(str(entry["license"]))
