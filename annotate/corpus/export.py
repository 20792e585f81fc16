"""`annotate export`: every reviewed task of a project -> the reviewed corpus.

One row per reviewed passage (see :func:`annotate.corpus.schema.corpus_features`),
written as an HF DatasetDict (``hf/``, ClassLabel ids with names in the features),
Parquet (``parquet/{split}.parquet``, the same encoding) and JSONL
(``jsonl/{split}.jsonl``, label names), plus ``manifest.json`` with row counts, a
SHA-256 of every file, versions and the export time.

Everything is written to a hidden temporary directory next to ``out`` and renamed into
place at the end, so a failed export never leaves a directory that looks complete.
The snapshot must agree with the number of tasks Label Studio reports as annotated; a
snapshot taken while reviewers work is taken again, and the export fails (writing
nothing) if they still differ. A passage found in several tasks is written once.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_output, atomic_write_text
from annotate.corpus.rows import task_to_row
from annotate.corpus.schema import SPLITS, corpus_features
from annotate.corpus.splits import DEFAULT_RATIOS, assign_splits
from annotate.errors import ExportError
from annotate.settings import SALT_ENV, annotate_home
from annotate.studio.client import StudioClient, connect
from annotate.studio.pull import latest_annotations
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


# ---- reading ----------------------------------------------------------------------------
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
        tasks = [t for t in client.export_snapshot(project_id) if latest_annotations(t)]
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
            manifest["files"] = {
                str(p.relative_to(tmp)): {"sha256": _sha256(p), "bytes": p.stat().st_size}
                for p in sorted(tmp.rglob("*"))
                if p.is_file()
            }
            (tmp / MANIFEST).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
    finally:
        ds_logging.enable_progress_bar()
