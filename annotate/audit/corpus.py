"""Read an exported corpus back: the rows of ``jsonl/*.jsonl``, the manifest, optional extras.

The report is computed from these files alone, so it can be regenerated from an export
without Label Studio. Extras written by other export options are read when present:
``agreement.json`` (inter-reviewer agreement, with gold accuracy under ``gold``),
``exposure.json`` (per reviewer and day) and ``gold*.json`` (accuracy on gold items).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.audit.verify import VerifyError, read_manifest
from annotate.corpus.schema import SPLITS

# what the report reads of every row (every export since the first writes them)
ROW_FIELDS = (
    "id",
    "text",
    "labels",
    "annotations",
    "severity",
    "label_tie",
    "model_labels",
    "model_agreed",
)


@dataclass
class Corpus:
    path: Path
    manifest: dict[str, Any]
    rows: list[dict[str, Any]]  # JSONL rows (label names), each with its ``split``
    agreement: dict[str, Any] | None = None
    gold: dict[str, dict[str, Any]] = field(default_factory=dict)  # file name -> content
    exposure: dict[str, Any] | None = None


def _json_or_none(path: Path) -> Any:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerifyError(
            f"{path} is not valid JSON ({exc}).", fix="re-export the corpus."
        ) from None


def load_corpus(path: str | Path) -> Corpus:
    """Rows, manifest and extras of the corpus at ``path``.

    Raises:
        VerifyError: no manifest, a JSONL line that is not valid JSON or not a corpus row
            (:data:`ROW_FIELDS`), or an extra file that is not valid JSON.
    """
    path = Path(path)
    manifest = read_manifest(path)
    splits = [s for s in (manifest.get("rows") or {}) if s != "total"] or list(SPLITS)
    rows: list[dict[str, Any]] = []
    for split in splits:
        file = path / "jsonl" / f"{split}.jsonl"
        if not file.is_file():
            continue
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise VerifyError(
                    f"{file}:{n} is not valid JSON ({exc}).", fix="re-export the corpus."
                ) from None
            missing = [f for f in ROW_FIELDS if f not in row] if isinstance(row, dict) else []
            if not isinstance(row, dict) or missing:
                raise VerifyError(
                    f"{file}:{n} is not a corpus row"
                    + (f" (no {', '.join(map(repr, missing))})." if missing else "."),
                    fix="restore the file as exported, or export again (`annotate verify` "
                    "names what changed since the export).",
                )
            row["split"] = row.get("split") or split
            rows.append(row)
    agreement = _json_or_none(path / "agreement.json")
    exposure = _json_or_none(path / "exposure.json")
    gold = {
        p.name: content
        for p in sorted(path.glob("gold*.json"))
        if isinstance(content := _json_or_none(p), dict)
    }
    return Corpus(
        path=path,
        manifest=manifest,
        rows=rows,
        agreement=agreement if isinstance(agreement, dict) else None,
        gold=gold,
        exposure=exposure if isinstance(exposure, dict) else None,
    )


@dataclass(frozen=True)
class TaxonomyView:
    """What the report needs of the taxonomy, as the export recorded it."""

    categories: list[str]
    severities: list[str]
    harmful: list[str]  # categories of the taxonomy's "harmful" group
    recorded: bool  # False: the manifest has no label lists; derived from the rows
    spans: tuple[str, ...] = ()  # evidence span labels (manifest's, else seen in the rows)


def taxonomy_view(corpus: Corpus) -> TaxonomyView:
    """Category/severity names and the harmful group, from the manifest's ``taxonomy``.

    Exports that predate those fields fall back to the names seen in the rows (then no
    category is known to be harmful).
    """
    tax = corpus.manifest.get("taxonomy") or {}
    cats = tax.get("categories")
    if isinstance(cats, list) and cats:
        return TaxonomyView(
            categories=[c["name"] for c in cats],
            severities=list(tax.get("severity") or []),
            harmful=[c["name"] for c in cats if c.get("group") == "harmful"],
            recorded=True,
            spans=tuple(tax.get("spans") or _span_labels_seen(corpus.rows)),
        )
    seen = sorted({c for r in corpus.rows for c in r["labels"] + r["model_labels"]})
    sev = sorted({r["severity"] for r in corpus.rows if r["severity"]})
    return TaxonomyView(
        categories=seen,
        severities=sev,
        harmful=[],
        recorded=False,
        spans=tuple(_span_labels_seen(corpus.rows)),
    )


def _span_labels_seen(rows: list[dict[str, Any]]) -> list[str]:
    """The span labels reviewers used in ``rows``, sorted."""
    return sorted(
        {str(s["label"]) for r in rows for a in r["annotations"] for s in a.get("spans") or []}
    )
