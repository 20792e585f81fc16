"""`annotate push`: pre-labelled passages -> a Label Studio project, with predictions.

The project (title = ``--project``) is created or updated from labels.yaml. Tasks are
imported in batches, riskiest and least certain first (task ids follow import order,
and ``data.priority`` is a sortable column). A push is idempotent and resumable: the
passage ids already in the project are read back from the server before anything is
imported, and only the missing passages are sent.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from annotate._util.progress import ProgressFn, advance
from annotate.errors import (
    InputError,
    PredictionError,
    StudioAuthError,
    StudioError,
    StudioUnavailableError,
)
from annotate.studio.client import StudioClient, connect
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import PASSAGE_ID_FIELD, PRIORITY_FIELD, row_to_task
from annotate.table_schemas import PRELABEL_COLUMNS
from annotate.tables import iter_rows, require_columns, table_columns
from annotate.taxonomy import Taxonomy, TaxonomyRef, as_taxonomy

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000

OnError = Literal["continue", "stop", "raise"]
ON_ERROR: tuple[OnError, ...] = ("continue", "stop", "raise")


@dataclass
class PushResult:
    project_id: int
    project: str
    project_url: str
    model_version: str
    total: int = 0
    created: int = 0
    skipped: int = 0
    predictions_added: int = 0  # new-model predictions added to tasks already there
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    project_created: bool = False


def push(
    prelabels: str | os.PathLike[str],
    project: str,
    *,
    taxonomy: TaxonomyRef = None,
    client: StudioClient | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_error: OnError = "continue",
    progress: ProgressFn | None = None,
    after_batch: Callable[[int, list[int]], None] | None = None,
) -> PushResult:
    """Create/update ``project`` and import the passages of ``prelabels`` not yet in it.

    ``prelabels``: a prelabel table (JSONL/Parquet, see :func:`annotate.prelabeling.prelabel`).
    The project's labeling config is rendered from ``taxonomy`` (a loaded Taxonomy or a
    taxonomy file; None: the default labels.yaml). Tasks are imported riskiest first, in
    batches of ``batch_size`` (one request each). Passages already in the project (by
    ``passage_id``) are skipped, so a re-run resumes. ``client``: default
    :func:`annotate.studio.client.connect`.

    ``on_error`` says what a batch the server refuses does: ``"continue"`` records it in
    ``PushResult.failed``/``errors`` and goes on; ``"stop"`` records it and imports no
    more; ``"raise"`` raises its StudioError at once. An unreachable server or a refused
    token always raises. ``progress(n)`` is called with each batch's size;
    ``after_batch(batch_number, task_ids)`` after each imported batch.

    Raises InputError (bad table, batch_size < 1, unknown on_error), SchemaError,
    PredictionError (a row that does not fit the labeling config), StudioError and its
    subclasses.
    """
    if batch_size < 1:
        raise InputError(
            f"batch size must be at least 1, found {batch_size}.", fix="--batch-size 500"
        )
    if on_error not in ON_ERROR:
        raise InputError(
            f"on_error must be one of {', '.join(ON_ERROR)}, found {on_error!r}.",
            fix="--on-error continue",
        )
    path = Path(prelabels)
    tax = as_taxonomy(taxonomy)
    label_config = tax.render_label_config()
    config = parse_label_config(label_config)

    tasks = _read_tasks(path, tax, config)
    versions = Counter(t["data"]["model_version"] for t in tasks)
    model_version = versions.most_common(1)[0][0]
    if len(versions) > 1:
        log.warning(
            "%s holds %d model versions; the project shows %r", path, len(versions), model_version
        )

    client = client or connect()
    proj, created_project = _ensure_project(client, project, label_config, tax, model_version)
    project_id = int(proj["id"])
    result = PushResult(
        project_id=project_id,
        project=project,
        project_url=f"{client.url}/projects/{project_id}/data",
        model_version=model_version,
        total=len(tasks),
        project_created=created_project,
    )

    existing = {
        str(t.get("data", {}).get(PASSAGE_ID_FIELD)): int(t["id"])
        for t in client.iter_tasks(project_id)
    }
    todo = [t for t in tasks if t["data"][PASSAGE_ID_FIELD] not in existing]
    if len(todo) < len(tasks):
        result.predictions_added = _add_new_model_predictions(
            client, project_id, tasks, existing, batch_size
        )
    result.skipped = len(tasks) - len(todo)
    log.info(
        "project %r (id %d): %d passages, %d already there, %d to import",
        project,
        project_id,
        len(tasks),
        result.skipped,
        len(todo),
    )

    for number, start in enumerate(range(0, len(todo), batch_size), start=1):
        batch = todo[start : start + batch_size]
        try:
            ids = client.import_tasks(project_id, batch)
        except (StudioUnavailableError, StudioAuthError):
            raise
        except StudioError as exc:
            if on_error == "raise":
                raise
            result.failed += len(batch)
            first = batch[0]["data"][PASSAGE_ID_FIELD]
            result.errors.append(f"batch {number} (from passage {first!r}): {exc.what}")
            log.error("batch %d failed: %s", number, exc)
            if on_error == "stop":
                break
            advance(progress, len(batch))
            continue
        if len(ids) != len(batch):
            log.warning("batch %d: sent %d tasks, server created %d", number, len(batch), len(ids))
        result.created += len(ids)
        advance(progress, len(batch))
        if after_batch is not None:
            after_batch(number, ids)

    # predictions of this model version are shown to reviewers as pre-annotations
    if proj.get("model_version") != model_version:
        client.update_project(project_id, model_version=model_version)
    return result


def _add_new_model_predictions(
    client: StudioClient,
    project_id: int,
    tasks: list[dict[str, Any]],
    existing: dict[str, int],
    batch_size: int,
) -> int:
    """Give tasks already in the project the predictions of a model they lack.

    Re-pushing the same file adds nothing; re-pushing a newer model's pre-labels of the
    same passages adds that model's predictions, so reviewers can switch to it.
    """
    versions = client.prediction_versions(project_id)
    missing = []
    for task in tasks:
        task_id = existing.get(task["data"][PASSAGE_ID_FIELD])
        if task_id is None:
            continue
        for pred in task["predictions"]:
            if pred["model_version"] not in versions.get(task_id, set()):
                missing.append({**pred, "task": task_id})
    added = 0
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        created = client.import_predictions(project_id, batch)
        if created < len(batch):
            log.warning("Label Studio created %d of %d predictions", created, len(batch))
        added += created
    if missing:
        log.info("added %d predictions of a new model to existing tasks", added)
    return added


def _read_tasks(path: Path, tax: Taxonomy, config: Any) -> list[dict[str, Any]]:
    """Every row converted and validated before anything is sent; riskiest first."""
    require_columns(path, table_columns(path), PRELABEL_COLUMNS, produced_by="annotate prelabel")
    tasks: list[dict[str, Any]] = []
    seen: set[str] = set()
    duplicates = 0
    for number, row in enumerate(iter_rows(path), start=1):
        where = f"{path.name} row {number} (id {row.get('id')!r})"
        task = row_to_task(row, tax, config, where=where)
        pid = task["data"][PASSAGE_ID_FIELD]
        if pid in seen:
            duplicates += 1
            continue
        seen.add(pid)
        tasks.append(task)
    if duplicates:
        raise PredictionError(
            f"{path}: {duplicates} row(s) repeat a passage id already in the file.",
            fix="make passage ids unique (ingest derives them from document id and position).",
        )
    tasks.sort(key=lambda t: (-t["data"][PRIORITY_FIELD], t["data"][PASSAGE_ID_FIELD]))
    return tasks


def _ensure_project(
    client: StudioClient, title: str, label_config: str, tax: Taxonomy, model_version: str
) -> tuple[dict[str, Any], bool]:
    description = (
        f"{tax.name} {tax.version}: pre-labelled passages, riskiest and least certain first. "
        "Created by annotate push."
    )
    proj = client.find_project(title)
    if proj is None:
        proj = client.create_project(
            title,
            label_config,
            description=description,
            model_version=model_version,
            show_collab_predictions=True,
            sampling="Sequential sampling",
            show_skip_button=True,
        )
        log.info("created project %r (id %s)", title, proj["id"])
        return proj, True
    if _normalise(proj.get("label_config", "")) != _normalise(label_config):
        log.info("updating the labeling config of project %r from labels.yaml", title)
        client.update_project(int(proj["id"]), label_config=label_config)
    if not proj.get("show_collab_predictions", True):
        client.update_project(int(proj["id"]), show_collab_predictions=True)
    return proj, False


def _normalise(xml: str) -> str:
    return "".join(xml.split())
