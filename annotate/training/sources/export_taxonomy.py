"""An export's labels read under another labels.yaml: the export's own copy of the one it
was made with, and the migration labels.yaml declares from it (`annotate train` and
`evaluate` apply it to the export's rows, as `annotate export --labels` applies it to the
answers it reads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotate._util.shell import sh
from annotate.audit.taxonomy import TAXONOMY_FILE
from annotate.errors import TaxonomyError, TrainingError
from annotate.taxonomy import Migration, Taxonomy


def export_labels_copy(path: Path, manifest: dict[str, Any]) -> Path | None:
    """The labels.yaml the export ``path`` carries, written by export (manifest
    ``taxonomy.file``, else ``labels.yaml`` in the folder), or None when it has none."""
    named = (manifest.get("taxonomy") or {}).get("file") or TAXONOMY_FILE
    copy = path / str(named)
    return copy if copy.is_file() else None


def use_export_labels(path: Path, manifest: dict[str, Any], version: str) -> str:
    """The fix's words for training with the labels.yaml the export was made with:
    ``--labels EXPORT/labels.yaml`` where the export carries it, else ``--labels FILE``."""
    copy = export_labels_copy(path, manifest)
    if copy is not None:
        return f"--labels {sh(str(copy))}, the export's copy of labels.yaml {version}"
    return f"--labels FILE, version {version}" if version else "--labels FILE"


def export_migration(
    path: Path, manifest: dict[str, Any], version: str, tax: Taxonomy
) -> Migration | None:
    """The migration ``tax`` declares from ``version``, the labels.yaml the export
    ``path`` was made with (:meth:`annotate.taxonomy.Taxonomy.migration_from`); None when
    nothing needs mapping. Raises TrainingError for another major version without one,
    naming the migrations ``tax`` does declare and the two fixes."""
    try:
        return tax.migration_from(version or None)
    except TaxonomyError:
        pass
    declared = [m.from_version for m in tax.migrations]
    has = (
        f"it declares migrations from {', '.join(declared)} only"
        if declared
        else "it declares no `migrations:`"
    )
    newer = _major(version) > _major(tax.version)
    fix = (
        f"train with the labels.yaml the export was made with "
        f"({use_export_labels(path, manifest, version)})"
    )
    if not newer:  # an older export: a migration reads it, as export --labels would
        fix = (
            f"declare the renames in labels.yaml {tax.version}: `migrations: [{{from: {version}, "
            f"categories: {{OLD: NEW}}}}]` (train applies it to the export's rows, as "
            f"`annotate export --labels` does), or {fix}"
        )
    raise TrainingError(
        f"{path} was exported with labels.yaml {version}, and labels.yaml {tax.version} is "
        f"another major version (labels removed or renamed) with no migration from "
        f"{version}: {has}.",
        fix=f"{fix}.",
    )


def _major(version: str) -> int:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else 0


def migrate_rows(
    rows: list[dict[str, Any]], migration: Migration, tax: Taxonomy
) -> tuple[int, int]:
    """Rename, in place, the labels of export rows made under ``migration.from_version``
    into ``tax``'s (the resolved ``labels``, ``spans`` and ``severity``, ``model_labels``,
    each answer's categories and spans), as export reads an older answer
    (:func:`annotate.studio.pull.parse_result`: a category merged into the none label
    keeps it exclusive). Returns how many rows had a resolved label (``labels``,
    ``spans``, ``severity``) renamed, and how many others had only an answer's renamed
    (a reviewer's vote the resolution did not take: what the row trains on is unchanged,
    though a tie's masked categories come from the answers)."""
    from annotate.studio.pull import none_exclusive

    cats, spans, sev = migration.categories, migration.spans, migration.severity
    changed = answers_only = 0

    def categories(given: list[Any]) -> list[Any]:
        out = list(dict.fromkeys(cats.get(c, c) for c in given))
        merged = any(c != tax.none_label and cats.get(c) == tax.none_label for c in given)
        return none_exclusive(out, tax.none_label, merged=merged)

    def span_list(items: Any) -> Any:
        if not isinstance(items, list):
            return items
        return [
            {**s, "label": spans.get(s.get("label"), s.get("label"))} if isinstance(s, dict) else s
            for s in items
        ]

    def renamed(given: Any) -> Any:  # as chosen, or the model's: no exclusivity applied
        return (
            list(dict.fromkeys(cats.get(c, c) for c in given)) if isinstance(given, list) else given
        )

    for r in rows:
        before = (
            r.get("labels") or [],
            r.get("spans"),
            r.get("annotations") or [],
            r.get("severity"),
        )
        r["labels"] = categories(list(r.get("labels") or []))
        if "model_labels" in r:
            r["model_labels"] = renamed(r["model_labels"])
        if r.get("spans") is not None:
            r["spans"] = span_list(r["spans"])
        if isinstance(r.get("severity"), str):
            r["severity"] = sev.get(r["severity"], r["severity"])
        r["annotations"] = [
            {
                **a,
                "categories": categories(list(a.get("categories") or [])),
                **(
                    {"categories_answered": renamed(a["categories_answered"])}
                    if "categories_answered" in a
                    else {}
                ),
                "spans": span_list(a.get("spans")),
            }
            if isinstance(a, dict)
            else a
            for a in r.get("annotations") or []
        ]
        if before[::3] != (r["labels"], r.get("severity")) or before[1] != r.get("spans"):
            changed += 1
        elif before[2] != r["annotations"]:
            answers_only += 1
    return changed, answers_only


def migrated_names(names: set[str] | None, migration: Migration | None) -> set[str] | None:
    """The categories ``names`` (the export's labels.yaml's) under ``migration``."""
    if names is None or migration is None:
        return names
    return {migration.categories.get(n, n) for n in names}


def migration_said(record: dict[str, Any]) -> str:
    """A training record's ``taxonomy_migration`` in words: "category news_reporting ->
    journalism; span X -> Y (labels.yaml 1.0.0 -> 2.0.0, 43 passage(s) with labels
    renamed, 2 more with only a reviewer's answer renamed)" (a record written before the
    two were counted apart: "43 passage(s) renamed", both together)."""
    kinds = (("categories", "category"), ("spans", "span"), ("severity", "severity"))
    parts = [
        f"{word} {old} -> {new}"
        for kind, word in kinds
        for old, new in (record.get(kind) or {}).items()
    ]
    rows, votes = record.get("passages"), record.get("passages_only_answers_renamed")
    n = f", {rows:,} passage(s) renamed" if isinstance(rows, int) else ""
    if isinstance(rows, int) and isinstance(votes, int):  # counted apart since stop 57
        n = (
            f", {rows:,} passage(s) with labels renamed, {votes:,} more with only a "
            "reviewer's answer renamed"
        )
    return (
        f"{'; '.join(parts) or 'no label renamed'} (labels.yaml {record.get('from')} -> "
        f"{record.get('to')}{n})"
    )


def dropped_said(record: dict[str, Any]) -> str:
    """A training record's ``labels_dropped`` in words: "harassment (6 passage(s))"."""
    labels = record.get("labels") or {}
    return ", ".join(f"{name} ({n:,} passage(s))" for name, n in labels.items())


def taxonomy_read_lines(d: dict[str, Any]) -> list[str]:
    """The model card's lines (indented bullets' continuations) on how an export of a
    training record's ``training.data`` entry ``d`` was read under labels.yaml: the
    migration applied, the labels it had that labels.yaml lacks (dropped); [] for none."""
    lines = []
    if isinstance(d.get("taxonomy_migration"), dict):
        lines.append(
            "  Read through labels.yaml's migration from the export's version: "
            f"{migration_said(d['taxonomy_migration'])}."
        )
    if isinstance(d.get("labels_dropped"), dict):
        lines.append(
            f"  Labels of the export (labels.yaml {d['labels_dropped'].get('version')}) that "
            f"this model's labels.yaml lacks, not learned: {dropped_said(d['labels_dropped'])}."
        )
    return lines
