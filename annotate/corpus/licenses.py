"""The export manifest's ``licenses``: under which licence or terms the corpus's documents
were obtained (the rows' ``license``, recorded by ``annotate ingest --license`` or a
table's license column: :mod:`annotate.ingestion.licenses`), per licence, with the
documents and rows without one (unknown, never assumed)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from annotate._util.coerce import opt_str
from annotate._util.licence_text import LICENSE_COLUMNS, license_problem
from annotate._util.spdx import spdx_expression

log = logging.getLogger(__name__)

LICENSE_FIELD = "license"  # annotate.studio.tasks.LICENSE_FIELD (tasks imports corpus rows)

MAX_EXAMPLES = 5


def task_license(data: Mapping[str, Any]) -> str | None:
    """The licence a Label Studio task's ``data`` records: its ``license`` (push carries
    ingest's column), else, for a task without the field, the ``license``/``licence`` key
    (any case) of its ``meta``: ingest before it existed kept a table's licence column
    there, so a passages file ingested then, or a task pushed from one, still names the
    licence its table gave. None when neither does (unknown, never assumed), and for a
    meta value that is not one line of text ingest would take."""
    if data.get(LICENSE_FIELD) not in (None, ""):
        return opt_str(data.get(LICENSE_FIELD))
    if LICENSE_FIELD in data:  # null or blank: recorded as unknown
        return None
    meta = data.get("meta")
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except ValueError:
            return None
    if not isinstance(meta, Mapping):
        return None
    lower = {str(k).lower(): k for k in meta}  # as ingest picks the column
    key = next((lower[c] for c in LICENSE_COLUMNS if c in lower), None)
    value = meta.get(key) if key is not None else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    return None if license_problem(value) else value


# on a task merged from several tasks of one passage (duplicates in a project, a review
# set's copies in each reviewer's queue): [(task id, the licence it records)], every task
PUSHED_LICENCES = "annotate_pushed_licences"


def pushed_licences(task: Mapping[str, Any]) -> list[tuple[int, str | None]]:
    """(task id, :func:`task_license`) of every Label Studio task a (merged) task stands
    for, oldest (lowest id) first; a task merged from none, its own."""
    merged = task.get(PUSHED_LICENCES)
    if merged is None:
        merged = [(int(task["id"]), task_license(task.get("data") or {}))]
    return sorted(merged, key=lambda t: t[0])


def merged_license(task: Mapping[str, Any]) -> str | None:
    """The licence a passage held by several tasks is exported under: the one its most
    recently pushed task records, of the tasks the export reads (those holding an answer;
    the highest task id among those recording one; Label
    Studio numbers tasks in the order it creates them, across projects). Each push records
    what ingest recorded for the file it pushed, so the latest is the team's latest
    statement of the terms (a file ingested again with a corrected --license, topping a
    review set up to K reviewers); a push that recorded none says nothing and does not
    override one. Every licence recorded is kept in the manifest
    (:func:`several_licences`, ``licenses.passages_with_several``). None: none recorded."""
    recorded = [(tid, lic) for tid, lic in pushed_licences(task) if lic]
    return max(recorded)[1] if recorded else None


def several_licences(task: Mapping[str, Any]) -> list[str]:
    """The distinct licences the tasks of a passage record, oldest push first, when there
    is more than one (else [])."""
    found = list(dict.fromkeys(lic for _, lic in pushed_licences(task) if lic))
    return found if len(found) > 1 else []


def several_record(several: Mapping[str, list[str]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest's ``licenses.passages_with_several``: the corpus passages whose tasks
    record more than one licence (``several``: passage id -> licences, oldest push first),
    ``passages`` and up to :data:`MAX_EXAMPLES` ``examples`` ({"passage", "licenses",
    "exported": the row's, the latest}). Logged (info; the CLI warns) when there are any."""
    in_corpus = {str(r["id"]): r.get("license") for r in rows}
    ids = sorted(pid for pid in several if pid in in_corpus)
    if ids:
        log.info(
            "%d passage(s) were pushed under more than one licence (e.g. %s: %s); each is "
            "exported under the one its latest push recorded",
            len(ids),
            ids[0],
            " then ".join(several[ids[0]]),
        )
    return {
        "passages": len(ids),
        "rule": "the licence of the passage's most recently pushed task that records one",
        "examples": [
            {"passage": pid, "licenses": several[pid], "exported": in_corpus[pid]}
            for pid in ids[:MAX_EXAMPLES]
        ],
    }


def _document(row: dict[str, Any]) -> str:
    return str(row.get("doc_id") or row["id"])


def licenses_report(
    rows: list[dict[str, Any]], several: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    """``{"by_license": {LICENSE: {"documents": D, "rows": R, "spdx": S}}`` (most rows
    first, then by name; ``spdx``: the licence as a canonical SPDX expression, None for
    free text such as a contract's terms, :func:`annotate._util.spdx.spdx_expression`),
    ``"unknown": {"documents", "rows", "documents_examples"}`` (no licence
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
    docs_several = sorted(doc for doc, found in per_doc.items() if len(found) > 1)
    if unknown_rows:
        log.info(
            "%d of %d row(s) (%d document(s)) have no licence recorded (ingested without "
            "--license or a license column, or before ingest recorded it): their license "
            "is null",
            unknown_rows,
            len(rows),
            len(unknown_docs),
        )
    if docs_several:
        log.warning(
            "%d document(s) have passages recorded under more than one licence (e.g. doc_id %r)",
            len(docs_several),
            docs_several[0],
        )
    ordered = sorted(by_license.items(), key=lambda kv: (-kv[1]["rows"], kv[0]))
    return {
        "by_license": {
            lic: {
                "documents": len(e["documents"]),
                "rows": e["rows"],
                "spdx": spdx_expression(lic),
            }
            for lic, e in ordered
        },
        "unknown": {
            "documents": len(unknown_docs),
            "rows": unknown_rows,
            "documents_examples": sorted(unknown_docs)[:MAX_EXAMPLES],
        },
        "documents": len({_document(r) for r in rows}),
        "documents_with_several": len(docs_several),
        "documents_with_several_examples": docs_several[:MAX_EXAMPLES],
        # passages whose tasks record several licences (None: not given)
        "passages_with_several": None if several is None else several_record(several, rows),
    }
