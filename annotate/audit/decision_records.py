"""Decision records: one JSON object per reviewed passage, shaped like a DSA statement of reasons.

Field names and allowed values are those of the EU DSA Transparency Database API
(``POST /api/v1/statement``, see docs/decision-records.md for each field's source). Only
what annotate knows is filled in: the restriction the platform applied (visibility,
monetary, provision, account) is not known to annotate and is left ``null``; so is the
content language, which the corpus does not carry. Passages whose resolved labels are
not harmful get a record too, with ``annotate.applies`` false and the category and
ground fields ``null`` (no statement of reasons is due for them).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from annotate.corpus.resolve import NotOffered, resolve_categories, unoffered_of
from annotate.taxonomy import Taxonomy

FILE = "decision_records.jsonl"
SCHEMA = "DSA Transparency Database statement of reasons (API v1 field names), annotate subset"

# taxonomy category -> (DSA category, DSA category_specification keywords)
DSA_CATEGORIES: dict[str, tuple[str, list[str]]] = {
    "violent_threat": ("STATEMENT_CATEGORY_VIOLENCE", []),
    "incitement": ("STATEMENT_CATEGORY_VIOLENCE", ["KEYWORD_INCITEMENT_VIOLENCE_HATRED"]),
    "graphic_violence": ("STATEMENT_CATEGORY_VIOLENCE", []),
    "extremist_propaganda": (
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        ["KEYWORD_TERRORIST_CONTENT"],
    ),
}
PUID_BAD = re.compile(r"[^A-Za-z0-9_-]")
FACTS_MAX = 5000  # the API's limit on decision_facts
EXPLANATION_MAX = 2000  # ... on incompatible_content_explanation
GROUND_MAX = 500  # ... on incompatible_content_ground


def _day(value: str | None) -> str | None:
    """``YYYY-MM-DD`` of an ISO date or timestamp, None when absent or unparseable; a
    timestamp with a zone gives its UTC day (``2026-01-03T02:00:00+05:00``: 2026-01-02),
    as ingest writes a ``--date-column``'s (break9 N4)."""
    if not value:
        return None
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc)
        return moment.date().isoformat()
    except ValueError:
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None


def _decided_by(row: dict[str, Any]) -> str:
    """How the review decided, from the row's ``resolution`` (see annotate.review.collect)."""
    if row.get("resolution") == "adjudicated":
        return "the reviewers disagreed and a lead adjudicator decided"
    if row["label_tie"]:
        return "majority vote (tied: needs adjudication)"
    if row.get("resolution") == "unanimous" and row["n_reviewers"] > 1:
        return "unanimous"
    if row["n_reviewers"] == 1:
        return "whose answer decides (no vote)"
    if row.get("resolution") == "single":
        return "one of whom chose the categories (no vote)"
    return "majority vote"


def _reviewed_by(n: int) -> str:
    """ "1 reviewer", "3 reviewers" (not "1 reviewer(s)": records are read one by one)."""
    return f"{n} reviewer" if n == 1 else f"{n} reviewers"


def _facts(row: dict[str, Any], tax: Taxonomy) -> str:
    titles = {c.name: c.title for c in tax.categories}
    labels = ", ".join(f"{titles.get(c, c)} ({c})" for c in row["labels"]) or "none resolved"
    parts = [
        f"Human review by {_reviewed_by(row['n_reviewers'])}, {_decided_by(row)}. "
        f"Resolved categories: {labels}.",
        f"Severity: {row['severity'] or 'not given'}.",
    ]
    if row["spans"]:
        spans = "; ".join(
            f'"{s["text"]}" [{s["label"]}, {s["start"]}-{s["end"]}]' for s in row["spans"]
        )
        parts.append(f"Evidence: {spans}.")
    if row.get("model_version"):
        said = ", ".join(row["model_labels"]) or "no category"
        if row.get("model_language_warning"):  # it suggested nothing: no "none" of its own
            said = (
                "no category or severity pre-selected, as the model cannot read the passage "
                f"({row['model_language_warning']})"
            )
        parts.append(f"Pre-labelled by model {row['model_version']}: {said}.")
    parts.append(f"Taxonomy {tax.name} {tax.version}.")
    text = " ".join(parts)
    return text if len(text) <= FACTS_MAX else text[: FACTS_MAX - 1] + "…"


# the fields written from labels.yaml (its name, version, category titles and
# definitions), not from the row alone
WORDED = ("incompatible_content_ground", "incompatible_content_explanation", "decision_facts")
FIELDS = (  # a record's fields, in the order written
    "puid",
    "decision_visibility",
    "decision_monetary",
    "decision_provision",
    "decision_account",
    "decision_ground",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "category",
    "category_addition",
    "category_specification",
    "content_type",
    "content_language",
    "content_date",
    "application_date",
    "decision_facts",
    "source_type",
    "automated_detection",
    "automated_decision",
    "annotate",
)


def _harmful(row: dict[str, Any]) -> list[str]:
    return [c for c in row["labels"] if c in DSA_CATEGORIES]


# the ``annotate`` fields added on 6 Dec 2026 (the adjudication and skip records of the
# rows, the changed-answers rule): a record written before has none of them, and is
# compared without them (:func:`records_differing`)
ADDED_6_DEC_2026 = (
    "adjudication",
    "skipped_by",
    "skipped_in_adjudication_by",
    "skips",
    "agreed_only_after_shown",
    "changed_answers_accepted",
)


def _adjudication(
    row: dict[str, Any], not_offered: NotOffered | None = None
) -> dict[str, Any] | None:
    """The row's ``adjudication`` record (the lead's own answer, where its severity and
    spans come from, what it started from, its Label Studio ids) and ``overturned``:
    whether the lead's categories differ from those the reviewers' vote gave (more than
    half of the answers with a category offered it chose it: ``not_offered``, the
    manifest's ``labels_not_offered`` where its rows were resolved so). None: no lead
    decided the row."""
    adj = row.get("adjudication")
    if not isinstance(adj, dict):
        return None
    answers = row.get("annotations") or []
    votes = [a.get("categories") or [] for a in answers]
    order = sorted({c for v in votes for c in v})
    voted, _ = resolve_categories(votes, order, unoffered=unoffered_of(answers, not_offered))
    return {**adj, "overturned": sorted(row.get("labels") or []) != sorted(voted)}


def automated_decision(row: dict[str, Any]) -> str:
    """The DSA ``automated_decision`` of the row's decision, as docs/decision-records.md
    defines it: ``AUTOMATED_DECISION_PARTIALLY`` when reviewers saw a model's pre-labels,
    ``AUTOMATED_DECISION_NOT_AUTOMATED`` when they saw none: no model version recorded,
    or a model that cannot read the passage (``model_language_warning``: push pre-selects
    nothing and tells the reviewers its scores mean nothing; it said PARTIALLY: break8
    M8)."""
    if row.get("model_version") and not row.get("model_language_warning"):
        return "AUTOMATED_DECISION_PARTIALLY"
    return "AUTOMATED_DECISION_NOT_AUTOMATED"


def row_fields(
    row: dict[str, Any],
    review: dict[str, Any] | None = None,
    not_offered: NotOffered | None = None,
) -> dict[str, Any]:
    """The fields of the decision record of ``row`` (export shape, label names) that the
    row alone gives: all but :data:`WORDED`. ``review``: the manifest's ``review`` (its
    ``agreed_only_after_shown`` and ``changed_answers_accepted``); ``not_offered``: the
    manifest's ``labels_not_offered`` where its rows were resolved over the answers
    offered each category (:func:`annotate.corpus.offered.vote_record`; None: every
    answer votes), for ``overturned``."""
    harmful = _harmful(row)
    applies = bool(harmful)
    mapped = [DSA_CATEGORIES[c] for c in harmful]
    category = mapped[0][0] if mapped else None
    additions = sorted({cat for cat, _ in mapped[1:]} - {category}) if mapped else []
    keywords = sorted({k for _, ks in mapped for k in ks})
    model_harmful = any(c in DSA_CATEGORIES for c in row["model_labels"])
    review = review or {}
    late = {str(p) for p in review.get("agreed_only_after_shown") or []}
    return {
        "puid": PUID_BAD.sub("-", str(row["id"]))[:500],
        "decision_visibility": None,
        "decision_monetary": None,
        "decision_provision": None,
        "decision_account": None,
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT" if applies else None,
        "category": category,
        "category_addition": additions,
        "category_specification": keywords,
        "content_type": ["CONTENT_TYPE_TEXT"],
        "content_language": None,
        "content_date": _day(row.get("date")),
        "application_date": _day(row.get("last_annotated_at")),
        "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "Yes" if model_harmful else "No",
        "automated_decision": automated_decision(row),
        "annotate": {
            "applies": applies,
            "passage_id": row["id"],
            "doc_id": row.get("doc_id"),
            "labels": row["labels"],
            "severity": row["severity"],
            "spans": row["spans"],
            "label_tie": row["label_tie"],
            "resolution": row.get("resolution"),
            "n_reviewers": row["n_reviewers"],
            "model_labels": row["model_labels"],
            "model_version": row.get("model_version"),
            # the model cannot read the passage: its empty model_labels is no suggestion
            # (None: it can; exports before 2026-12-06 have no such column)
            "model_language_warning": row.get("model_language_warning"),
            "taxonomy_version": row.get("taxonomy_version"),
            "split": row.get("split"),
            # every Label Studio task holding an answer (project id, task id)
            "ls_tasks": row.get("ls_tasks") or [],
            # the lead's answer where one decided (the row's adjudication record, with
            # overturned), None otherwise
            "adjudication": _adjudication(row, not_offered),
            # who skipped the passage (reviewers; leads in the adjudication project), and
            # each skip's Label Studio project, task and time
            "skipped_by": list(row.get("skipped_by") or []),
            "skipped_in_adjudication_by": list(row.get("skipped_in_adjudication_by") or []),
            "skips": list(row.get("skips") or []),
            # the reviewers' dispute ended only through an answer made or changed after
            # the adjudication project showed it (not blind); the export's
            # --accept-changed-answers: whether such a vote was let decide
            "agreed_only_after_shown": str(row["id"]) in late,
            "changed_answers_accepted": bool(review.get("changed_answers_accepted")),
        },
    }


def _worded(row: dict[str, Any], tax: Taxonomy) -> dict[str, Any]:
    """The :data:`WORDED` fields of ``row``'s record. Raises KeyError when ``tax`` lacks
    a harmful category of the row."""
    harmful = _harmful(row)
    applies = bool(harmful)
    titles = {c.name: c for c in tax.categories}
    explanation = " ".join(f"{titles[c].title}: {titles[c].definition}" for c in harmful)
    return {
        "incompatible_content_ground": (
            f"{tax.name} {tax.version}: {', '.join(harmful)}"[:GROUND_MAX] if applies else None
        ),
        "incompatible_content_explanation": explanation[:EXPLANATION_MAX] if applies else None,
        "decision_facts": _facts(row, tax),
    }


def record(
    row: dict[str, Any],
    tax: Taxonomy,
    review: dict[str, Any] | None = None,
    not_offered: NotOffered | None = None,
) -> dict[str, Any]:
    """The decision record of one corpus row (export shape, label names); ``review``,
    ``not_offered``: the manifest's (:func:`row_fields`)."""
    fields = {**row_fields(row, review, not_offered), **_worded(row, tax)}
    return {k: fields[k] for k in FIELDS}


def records_differing(
    path: Path,
    rows: dict[str, dict[str, Any]],
    tax: Taxonomy | None,
    review: dict[str, Any] | None = None,
    not_offered: NotOffered | None = None,
) -> tuple[list[tuple[str, list[str]]], list[str], list[str]]:
    """Which records of the decision records file ``path`` differ from what the exported
    ``rows`` (by id) give: ``(passage id, fields)`` of each record that differs from its
    row's (the fields of its ``annotate`` block as ``annotate.labels``; :data:`WORDED`
    compared only with ``tax``, the labels.yaml the export was made with; ``review``: the
    manifest's, as ``not_offered`` (:func:`row_fields`); a record holding none of
    :data:`ADDED_6_DEC_2026`, written before them, is
    compared without them), the ids of rows
    without a record (deleted), and of records naming no row or a row already met
    (added, copied). Raises OSError, ValueError (a line that is not JSON)."""
    differ: list[tuple[str, list[str]]] = []
    extra: list[str] = []
    met: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            found = json.loads(line)
            block = found.get("annotate") if isinstance(found, dict) else None
            pid = str((block or {}).get("passage_id") or (found or {}).get("puid"))
            row = rows.get(pid)
            if row is None or pid in met:
                extra.append(pid)
                continue
            met.add(pid)
            want: dict[str, Any] = row_fields(row, review, not_offered)
            if tax is not None:
                with contextlib.suppress(KeyError):  # another labels.yaml: words not compared
                    want.update(_worded(row, tax))
            fields = [
                k
                for k in dict.fromkeys([*want, *found])
                if k != "annotate"
                and (k in want or k not in WORDED)  # WORDED without tax: not compared
                and want.get(k) != found.get(k)
            ]
            got = found.get("annotate") if isinstance(found.get("annotate"), dict) else {}
            if not any(k in got for k in ADDED_6_DEC_2026):  # written before them
                want["annotate"] = {
                    k: v for k, v in want["annotate"].items() if k not in ADDED_6_DEC_2026
                }
            fields += [
                f"annotate.{k}"
                for k in dict.fromkeys([*want["annotate"], *got])
                if want["annotate"].get(k) != got.get(k)
            ]
            if fields:
                differ.append((pid, fields))
    return differ, sorted(rows.keys() - met), extra


def write_records(
    path: Path,
    rows: Iterable[dict[str, Any]],
    tax: Taxonomy,
    review: dict[str, Any] | None = None,
    not_offered: NotOffered | None = None,
) -> int:
    """Write one record per row to ``path`` (JSONL); returns the number written.
    ``review``, ``not_offered``: the export manifest's (:func:`row_fields`)."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            record_ = record(row, tax, review, not_offered)
            fh.write(json.dumps(record_, ensure_ascii=False) + "\n")
            n += 1
    return n


def manifest_entry(rows: int) -> dict[str, Any]:
    return {"file": FILE, "rows": rows, "schema": SCHEMA, "fields": "docs/decision-records.md"}
