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

import hashlib
import importlib.metadata
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from annotate.corpus.model_view import (
    ModelView,
    agrees,
    annotation_model_view,
    task_model_view,
)
from annotate.corpus.resolve import Span, pseudonym, resolve
from annotate.corpus.schema import SPLITS, corpus_features
from annotate.corpus.splits import DEFAULT_RATIOS, assign_splits
from annotate.errors import ExportError
from annotate.studio.client import StudioClient, connect
from annotate.studio.connection import annotate_home
from annotate.studio.tasks import PASSAGE_ID_FIELD, from_utf16
from annotate.taxonomy import Taxonomy, load_taxonomy

log = logging.getLogger(__name__)

SALT_ENV = "ANNOTATE_PSEUDONYM_SALT"
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
    labels: str | os.PathLike[str] | None = None,
    taxonomy: Taxonomy | None = None,
    client: StudioClient | None = None,
    seed: int = 0,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    salt: str | None = None,
) -> ExportResult:
    """Pull every annotation of ``project`` and write the reviewed corpus into ``out``."""
    out = Path(out)
    _check_target(out)
    tax = taxonomy or load_taxonomy(labels)
    client = client or connect()
    proj = client.require_project(project)
    project_id = int(proj["id"])
    exported_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    salt = salt if salt is not None else reviewer_salt()

    tasks, annotated = _consistent_snapshot(client, project_id, project)
    rows = [
        task_to_row(task, tax, salt=salt, exported_at=exported_at)
        for task in merge_duplicate_passages(tasks)
    ]
    rows.sort(key=lambda r: (r["doc_id"] or r["id"], r["passage_index"] or 0, r["id"]))
    splits = assign_splits(
        [r["doc_id"] or r["id"] for r in rows],
        [(r["labels"] or ["(unresolved)"])[0] for r in rows],
        ratios=ratios,
        seed=seed,
    )
    for row, split in zip(rows, splits, strict=True):
        row["split"] = split

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": exported_at,
        "project": {"title": project, "id": project_id, "label_studio_url": client.url},
        "taxonomy": {"name": tax.name, "version": tax.version},
        "model_versions": model_versions(tasks),
        "model_versions_credited": sorted(
            {a["model_version"] for r in rows for a in r["annotations"] if a["model_version"]}
        ),
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
    }
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


SNAPSHOT_ATTEMPTS = 4


def _consistent_snapshot(
    client: StudioClient, project_id: int, project: str, attempts: int = SNAPSHOT_ATTEMPTS
) -> tuple[list[dict[str, Any]], int]:
    """The reviewed tasks of a snapshot that agrees with the server's annotated-task count.

    Reviewers annotating during the export make the count and the snapshot differ; the
    snapshot is taken again (up to ``attempts`` times, counting before and after) before
    :class:`ExportError` is raised.
    """
    found = annotated = 0
    for attempt in range(1, attempts + 1):
        before = client.count_annotated_tasks(project_id)
        tasks = [
            t for t in client.export_snapshot(project_id) if _usable(t.get("annotations") or [])
        ]
        annotated = client.count_annotated_tasks(project_id)
        found = len(tasks)
        if found == annotated == before:
            return tasks, annotated
        log.warning(
            "snapshot %d of project %r gave %d annotated tasks, the server counts %d then %d; "
            "reviewers are probably annotating: taking it again",
            attempt,
            project,
            found,
            before,
            annotated,
        )
        time.sleep(min(1.0 * attempt, 5.0))
    raise ExportError(
        f"Label Studio reports {annotated} annotated task(s) in project {project!r} but the "
        f"export snapshot gave {found}, {attempts} times; nothing was written.",
        fix="annotations kept changing during the export: run it again when reviewers pause.",
    )


def model_versions(tasks: list[dict[str, Any]]) -> list[str]:
    """Every model version with a prediction on an exported task (and each task's own)."""
    found = {str((t.get("data") or {}).get("model_version") or "") for t in tasks}
    for task in tasks:
        for pred in task.get("predictions") or []:
            if isinstance(pred, dict):
                found.add(str(pred.get("model_version") or ""))
    return sorted(found - {""})


def merge_duplicate_passages(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One task per passage id: the annotations of tasks repeating a passage are pooled.

    A passage imported twice (e.g. by concurrent pushes of an older version) may have been
    reviewed in both tasks; writing both would put one passage in the corpus twice, with
    conflicting labels. The oldest task is kept, with every annotation and prediction of
    its duplicates, so the reviewers' votes are resolved together.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for task in sorted(tasks, key=lambda t: int(t["id"])):
        pid = (task.get("data") or {}).get(PASSAGE_ID_FIELD)
        key = str(pid) if pid not in (None, "") else f"ls-task-{task['id']}"
        groups.setdefault(key, []).append(task)
    merged: list[dict[str, Any]] = []
    for pid, group in groups.items():
        if len(group) == 1:
            merged.append(group[0])
            continue
        log.warning(
            "passage %r is in %d tasks (%s); their annotations are exported as one row",
            pid,
            len(group),
            ", ".join(str(t["id"]) for t in group),
        )
        base = dict(group[0])
        base["annotations"] = [a for t in group for a in t.get("annotations") or []]
        base["predictions"] = [p for t in group for p in t.get("predictions") or []]
        merged.append(base)
    return merged


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
                start, end = span_offsets(value, text, where=where)
                out["spans"].append(Span(start, end, label, text[start:end]))
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


def span_offsets(value: dict[str, Any], text: str, *, where: str) -> tuple[int, int]:
    """Code-point (start, end) of a Label Studio text region.

    Label Studio counts code points, so the offsets are taken as they are. A region whose
    offsets do not fit, or whose ``text`` does not match, but which fits and matches when
    read as UTF-16 units is a pre-annotation pushed by an older version of this tool
    (which sent UTF-16 units) and is read that way. Raises :class:`ExportError` naming
    the region when neither reading fits the text.
    """
    fix = "fix or delete the region in Label Studio, then export again."
    try:
        start, end = int(value["start"]), int(value["end"])
    except (KeyError, ValueError, TypeError):
        raise ExportError(
            f"{where}: span {value.get('start')}-{value.get('end')} has no integer offsets.",
            fix=fix,
        ) from None
    fits = 0 <= start <= end <= len(text)
    shown = value.get("text")
    if fits and (not isinstance(shown, str) or text[start:end] == shown):
        return start, end
    legacy: tuple[int, int] | None
    try:
        legacy = from_utf16(text, start), from_utf16(text, end)
    except ValueError:
        legacy = None
    if legacy is not None and isinstance(shown, str) and text[legacy[0] : legacy[1]] == shown:
        return legacy
    if not fits:
        raise ExportError(
            f"{where}: span {start}-{end} does not fit the text ({len(text)} characters).",
            fix=fix,
        )
    log.warning(
        "%s: region text %r differs from the passage's characters %d-%d (%r); offsets kept",
        where,
        shown,
        start,
        end,
        text[start:end],
    )
    return start, end


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


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
    annotations: list[dict[str, Any]] = []
    parsed: list[dict[str, Any]] = []
    views: list[ModelView] = []
    for user, ann in sorted(latest.items(), key=lambda kv: str(kv[1].get("created_at"))):
        where = f"task {task_id}, annotation {ann.get('id')}"
        p = parse_result(ann.get("result") or [], tax, text, where=where)
        view = annotation_model_view(ann, task, tax, parse_result)
        parsed.append(p)
        views.append(view)
        annotations.append(
            {
                "reviewer": pseudonym(user, salt),
                "categories": p["categories"],
                "spans": [s.as_dict() for s in p["spans"]],
                "severity": p["severity"],
                "comment": p["comment"],
                "created_at": _str_or_none(ann.get("created_at")),
                "updated_at": _str_or_none(ann.get("updated_at")),
                "lead_time": None if ann.get("lead_time") is None else float(ann["lead_time"]),
                "model_version": view.version,
                "agrees_with_model": agrees(p["categories"], p["severity"], p["spans"], view, tax),
            }
        )
    # the row credits the prediction the latest reviewer started from
    model = views[-1] if views else task_model_view(task, tax, parse_result)
    res = resolve(
        [p["categories"] for p in parsed],
        [p["severity"] for p in parsed],
        [p["spans"] for p in parsed],
        category_order=tax.category_names,
        severity_levels=tax.severity_names,
    )
    # the task holds the scores of the model it was pushed with; another model's are unknown
    scores = (data.get("model_scores") or {}) if model.version == data.get("model_version") else {}
    created = [a["created_at"] for a in annotations if a["created_at"]]
    updated = [a["updated_at"] or a["created_at"] for a in annotations if a["created_at"]]
    return {
        "id": str(data.get(PASSAGE_ID_FIELD) or f"ls-task-{task_id}"),
        "text": text,
        "doc_id": _str_or_none(data.get("doc_id")),
        "title": _str_or_none(data.get("title")),
        "source": _str_or_none(data.get("source")),
        "date": _str_or_none(data.get("date")),
        "start": _int_or_none(data.get("start")),
        "end": _int_or_none(data.get("end")),
        "passage_index": _int_or_none(data.get("passage_index")),
        "annotations": annotations,
        "n_reviewers": len(annotations),
        "labels": res.labels,
        "label_tie": res.tie,
        "severity": res.severity,
        "spans": [s.as_dict() for s in res.spans],
        "model_labels": model.categories,
        "model_severity": model.severity,
        "model_spans": [s.as_dict() for s in model.spans],
        "model_scores": {
            c: (None if scores.get(c) is None else float(scores[c])) for c in tax.category_names
        },
        "model_agreed": agrees(res.labels, res.severity, res.spans, model, tax),
        "model_version": model.version,
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
    tmp = path.with_suffix(".tmp")
    tmp.write_text(value + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    os.replace(tmp, path)
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}-{secrets.token_hex(3)}"
    try:
        features = corpus_features(tax)
        by_split = {s: [r for r in rows if r["split"] == s] for s in SPLITS}
        dsd = DatasetDict(
            {
                s: Dataset.from_dict({k: [r[k] for r in part] for k in features}, features=features)
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
        manifest["files"] = {
            str(p.relative_to(tmp)): {"sha256": _sha256(p), "bytes": p.stat().st_size}
            for p in sorted(tmp.rglob("*"))
            if p.is_file()
        }
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(3)}"
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        ds_logging.enable_progress_bar()
