"""`annotate export`: every reviewed task of a project -> the reviewed corpus.

One row per reviewed passage (see :func:`annotate.corpus.schema.corpus_features`),
written as an HF DatasetDict (``hf/``, ClassLabel ids with names in the features),
Parquet (``parquet/{split}.parquet``, the same encoding) and JSONL
(``jsonl/{split}.jsonl``, label names), plus ``manifest.json`` with row counts, a
SHA-256 of every file, versions and the export time.

Everything is written to a hidden temporary directory next to ``out`` and renamed into
place at the end, so a failed export never leaves a directory that looks complete.
The export fails if the rows written differ from the number of tasks Label Studio
reports as annotated.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_output, atomic_write_text
from annotate._util.coerce import opt_int, opt_str
from annotate.audit.decision_records import manifest_entry as records_entry
from annotate.audit.decision_records import write_records
from annotate.audit.redact import RedactionSettings, Redactor, iter_redacted
from annotate.audit.report import write_report
from annotate.audit.taxonomy import taxonomy_record
from annotate.audit.verify import sha256_file as _sha256
from annotate.corpus.resolve import ReviewedSpan, pseudonym, resolve
from annotate.corpus.schema import SPLITS, corpus_features
from annotate.corpus.splits import DEFAULT_RATIOS, assign_splits
from annotate.errors import ExportError
from annotate.settings import SALT_ENV, annotate_home
from annotate.studio.client import StudioClient, connect
from annotate.studio.offsets import from_utf16
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.taxonomy import Taxonomy, TaxonomyRef, as_taxonomy

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = "annotate-corpus/1"


@dataclass
class ExportResult:
    out: Path
    rows: int
    splits: dict[str, int]
    annotations: int
    reviewers: int
    ties: int
    manifest: dict[str, Any] = field(default_factory=dict)


def export(
    project: str,
    out: str | os.PathLike[str],
    *,
    taxonomy: TaxonomyRef = None,
    client: StudioClient | None = None,
    seed: int = 0,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    salt: str | None = None,
    redact: RedactionSettings | None = None,
    decision_records: bool = False,
) -> ExportResult:
    """Pull every annotation of ``project`` and write the reviewed corpus into ``out``.

    ``out`` (a new directory, or a previous export, which is replaced atomically) gets
    ``hf/`` (a ``datasets.DatasetDict`` with train/validation/test splits, features from
    :func:`annotate.corpus.schema.corpus_features`), ``parquet/``, ``jsonl/`` and
    ``manifest.json`` (counts, versions, sha256 of every file). One row per reviewed
    passage: text and provenance, each reviewer's labels under a pseudonym (salted with
    ``salt``, default :func:`reviewer_salt`), the resolved labels (majority), the model's
    labels and the split (by document, ``ratios`` train/validation/test, ``seed``).
    ``taxonomy``: a loaded Taxonomy or a taxonomy file (None: the default labels.yaml);
    ``client``: default :func:`annotate.studio.client.connect`.

    Raises ExportError (``out`` is not a previous export, an annotation does not fit the
    taxonomy, the written rows differ from the annotated tasks), ProjectNotFoundError,
    StudioError, TaxonomyError.
    """
    out = Path(out)
    _check_target(out)
    tax = as_taxonomy(taxonomy)
    client = client or connect()
    proj = client.require_project(project)
    project_id = int(proj["id"])
    exported_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    salt = salt if salt is not None else reviewer_salt()

    tasks = client.export_snapshot(project_id)
    annotated = client.count_annotated_tasks(project_id)
    rows = [
        task_to_row(task, tax, salt=salt, exported_at=exported_at)
        for task in tasks
        if _usable(task.get("annotations") or [])
    ]
    if len(rows) != annotated:
        raise ExportError(
            f"Label Studio reports {annotated} annotated task(s) in project {project!r} but the "
            f"export snapshot gave {len(rows)}; nothing was written.",
            fix="annotations probably changed during the export: run the export again.",
        )
    rows.sort(key=lambda r: (r["doc_id"] or r["id"], r["passage_index"] or 0, r["id"]))
    splits = assign_splits(
        [r["doc_id"] or r["id"] for r in rows],
        [(r["labels"] or ["(unresolved)"])[0] for r in rows],
        ratios=ratios,
        seed=seed,
    )
    for row, split in zip(rows, splits, strict=True):
        row["split"] = split
    if redact is not None:
        rows = list(iter_redacted(rows, Redactor(redact)))

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": exported_at,
        "project": {"title": project, "id": project_id, "label_studio_url": client.url},
        "taxonomy": taxonomy_record(tax),
        "model_versions": sorted({r["model_version"] for r in rows if r["model_version"]}),
        "rows": {"total": len(rows), **{s: splits.count(s) for s in SPLITS}},
        "tasks_annotated_in_label_studio": annotated,
        "annotations": sum(len(r["annotations"]) for r in rows),
        "reviewers": len({a["reviewer"] for r in rows for a in r["annotations"]}),
        "label_ties": sum(r["label_tie"] for r in rows),
        "splits": {
            "ratios": dict(zip(SPLITS, ratios, strict=True)),
            "seed": seed,
            "grouped_by": "doc_id",
            "stratified_by": "first resolved label",
        },
        "label_encoding": {
            "hf": "ClassLabel ids, names in the dataset features",
            "parquet": "ClassLabel ids, HF features in the schema metadata",
            "jsonl": "label names",
        },
        "versions": _versions(client),
        "redaction": redact.record() if redact is not None else {"ran": False},
    }
    if decision_records:
        manifest["decision_records"] = records_entry(len(rows))
    _write_atomically(out, rows, tax, manifest)
    log.info("exported %d rows of project %r to %s", len(rows), project, out)
    return ExportResult(
        out=out,
        rows=len(rows),
        splits={s: splits.count(s) for s in SPLITS},
        annotations=manifest["annotations"],
        reviewers=manifest["reviewers"],
        ties=manifest["label_ties"],
        manifest=manifest,
    )


# ---- one task -> one row ------------------------------------------------------------
def _usable(annotations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in annotations if not a.get("was_cancelled")]


def _user_id(completed_by: Any) -> Any:
    return completed_by.get("id") if isinstance(completed_by, dict) else completed_by


def parse_result(
    result: list[dict[str, Any]], tax: Taxonomy, text: str, *, where: str
) -> dict[str, Any]:
    """Categories, spans (code-point offsets), severity and comment of one result list."""
    ui = tax.interface
    fix = "export with the labels.yaml the project was labelled with (--labels)."
    out: dict[str, Any] = {"categories": [], "spans": [], "severity": "", "comment": ""}
    for item in result:
        name = item.get("from_name")
        value = item.get("value") or {}
        if name == ui.categories:
            chosen = value.get("choices") or []
            bad = [c for c in chosen if c not in tax.category_names]
            if bad:
                raise ExportError(
                    f"{where}: category {bad[0]!r} is not in labels.yaml {tax.version}.", fix=fix
                )
            out["categories"] = [c for c in tax.category_names if c in chosen]
        elif name == ui.spans:
            for label in value.get("labels") or []:
                if label not in tax.span_names:
                    raise ExportError(
                        f"{where}: span label {label!r} is not in labels.yaml {tax.version}.",
                        fix=fix,
                    )
                try:
                    start = from_utf16(text, int(value["start"]))
                    end = from_utf16(text, int(value["end"]))
                except (KeyError, ValueError, TypeError) as exc:
                    raise ExportError(
                        f"{where}: span {value.get('start')}-{value.get('end')} does not fit the "
                        f"text ({exc}).",
                        fix="fix the region in Label Studio.",
                    ) from None
                out["spans"].append(ReviewedSpan(start, end, label, text[start:end]))
        elif name == ui.severity:
            chosen = value.get("choices") or []
            if chosen and chosen[0] not in tax.severity_names:
                raise ExportError(
                    f"{where}: severity {chosen[0]!r} is not in labels.yaml {tax.version}.",
                    fix=fix,
                )
            out["severity"] = chosen[0] if chosen else ""
        elif name == ui.comment:
            texts = value.get("text") or []
            out["comment"] = "\n".join(texts) if isinstance(texts, list) else str(texts)
    out["spans"].sort(key=lambda s: (s.start, s.end, s.label))
    return out


def _model_view(task: dict[str, Any], tax: Taxonomy) -> tuple[list[str], str]:
    data = task.get("data") or {}
    version = str(data.get("model_version") or "")
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    chosen = [p for p in predictions if p.get("model_version") == version] or predictions
    if chosen:
        pred = chosen[-1]
        for item in pred.get("result") or []:
            if item.get("from_name") == tax.interface.categories:
                choices = (item.get("value") or {}).get("choices") or []
                return [c for c in tax.category_names if c in choices], str(
                    pred.get("model_version") or version
                )
        return [], str(pred.get("model_version") or version)
    labels = data.get("model_labels") or []
    return [c for c in tax.category_names if c in labels], version


def task_to_row(
    task: dict[str, Any], tax: Taxonomy, *, salt: str, exported_at: str
) -> dict[str, Any]:
    """The corpus row of one reviewed task (label names; ``split`` is set later)."""
    data = task.get("data") or {}
    text = str(data.get(tax.interface.text_field) or "")
    task_id = int(task["id"])
    # one vote per reviewer: their latest annotation
    latest: dict[Any, dict[str, Any]] = {}
    for ann in _usable(task.get("annotations") or []):
        user = _user_id(ann.get("completed_by"))
        if user not in latest or str(ann.get("updated_at")) >= str(latest[user].get("updated_at")):
            latest[user] = ann
    model_labels, model_version = _model_view(task, tax)
    annotations: list[dict[str, Any]] = []
    parsed: list[dict[str, Any]] = []
    for user, ann in sorted(latest.items(), key=lambda kv: str(kv[1].get("created_at"))):
        where = f"task {task_id}, annotation {ann.get('id')}"
        p = parse_result(ann.get("result") or [], tax, text, where=where)
        parsed.append(p)
        annotations.append(
            {
                "reviewer": pseudonym(user, salt),
                "categories": p["categories"],
                "spans": [s.as_dict() for s in p["spans"]],
                "severity": p["severity"],
                "comment": p["comment"],
                "created_at": opt_str(ann.get("created_at")),
                "updated_at": opt_str(ann.get("updated_at")),
                "lead_time": None if ann.get("lead_time") is None else float(ann["lead_time"]),
                "agrees_with_model": set(p["categories"]) == set(model_labels),
            }
        )
    res = resolve(
        [p["categories"] for p in parsed],
        [p["severity"] for p in parsed],
        [p["spans"] for p in parsed],
        category_order=tax.category_names,
        severity_levels=tax.severity_names,
    )
    scores = data.get("model_scores") or {}
    created = [a["created_at"] for a in annotations if a["created_at"]]
    updated = [a["updated_at"] or a["created_at"] for a in annotations if a["created_at"]]
    return {
        "id": str(data.get(PASSAGE_ID_FIELD) or f"ls-task-{task_id}"),
        "text": text,
        "doc_id": opt_str(data.get("doc_id")),
        "title": opt_str(data.get("title")),
        "source": opt_str(data.get("source")),
        "date": opt_str(data.get("date")),
        "start": opt_int(data.get("start")),
        "end": opt_int(data.get("end")),
        "passage_index": opt_int(data.get("passage_index")),
        "annotations": annotations,
        "n_reviewers": len(annotations),
        "labels": res.labels,
        "label_tie": res.tie,
        "severity": res.severity,
        "spans": [s.as_dict() for s in res.spans],
        "model_labels": model_labels,
        "model_scores": {
            c: (None if scores.get(c) is None else float(scores[c])) for c in tax.category_names
        },
        "model_agreed": set(res.labels) == set(model_labels),
        "model_version": model_version,
        "taxonomy_version": tax.version,
        "ls_task_id": task_id,
        "first_annotated_at": min(created) if created else None,
        "last_annotated_at": max(updated) if updated else None,
        "exported_at": exported_at,
        "split": None,
    }


# ---- writing --------------------------------------------------------------------------
def reviewer_salt() -> str:
    """``$ANNOTATE_PSEUDONYM_SALT``, else a secret kept in ``$ANNOTATE_HOME/pseudonym_salt``.

    The same salt gives the same pseudonyms in every export; share it (not the mapping)
    between the people who export a project.
    """
    env = os.environ.get(SALT_ENV)
    if env:
        return env
    path = annotate_home() / "pseudonym_salt"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(16)
    atomic_write_text(path, value + "\n", private=True)
    return value


def _check_target(out: Path) -> None:
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).is_file())
    ):
        raise ExportError(
            f"{out} exists and is not a previous export (no {MANIFEST}); refusing to replace it.",
            fix="pass a new --out directory, or remove that one.",
        )


def _versions(client: StudioClient) -> dict[str, str | None]:
    def pkg(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    return {
        "annotate": pkg("annotate"),
        "label_studio_server": client.server_version(),
        "label_studio_sdk": pkg("label-studio-sdk"),
        "datasets": pkg("datasets"),
        "pyarrow": pkg("pyarrow"),
    }


def _verify(tmp: Path, counts: dict[str, int]) -> None:
    """Read the dataset back: what is renamed into place must load, with every row."""
    from datasets import load_from_disk

    loaded = load_from_disk(str(tmp / "hf"))
    found = {s: len(loaded[s]) for s in loaded}
    if found != counts:
        raise ExportError(
            f"the written dataset reads back with {found} rows, expected {counts}.",
            fix="check free disk space and run the export again.",
        )


def _write_atomically(
    out: Path, rows: list[dict[str, Any]], tax: Taxonomy, manifest: dict[str, Any]
) -> None:
    from datasets import Dataset, DatasetDict
    from datasets.utils import logging as ds_logging

    ds_logging.disable_progress_bar()  # library code: no bars of its own on the user's terminal
    try:
        with atomic_output(out) as tmp:
            features = corpus_features(tax)
            by_split = {s: [r for r in rows if r["split"] == s] for s in SPLITS}
            dsd = DatasetDict(
                {
                    s: Dataset.from_dict(
                        {k: [r[k] for r in part] for k in features}, features=features
                    )
                    for s, part in by_split.items()
                }
            )
            # one shard at least per split: datasets cannot load a split saved with zero shards
            dsd.save_to_disk(
                str(tmp / "hf"), num_shards={s: max(1, len(ds) // 100_000) for s, ds in dsd.items()}
            )
            _verify(tmp, {s: len(part) for s, part in by_split.items()})
            (tmp / "parquet").mkdir()
            (tmp / "jsonl").mkdir()
            for split, ds in dsd.items():
                ds.to_parquet(str(tmp / "parquet" / f"{split}.parquet"))
                with (tmp / "jsonl" / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
                    for row in by_split[split]:
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            if manifest.get("decision_records"):
                write_records(tmp / manifest["decision_records"]["file"], rows, tax)
            manifest["files"] = {
                str(p.relative_to(tmp)): {"sha256": _sha256(p), "bytes": p.stat().st_size}
                for p in sorted(tmp.rglob("*"))
                if p.is_file()
            }
            (tmp / MANIFEST).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            write_report(tmp, tmp / "report")  # derived from the files above, not in the manifest
    finally:
        ds_logging.enable_progress_bar()
