"""`annotate push`: pre-labelled passages -> a Label Studio project, with predictions.

The project (title = ``--project``) is created or updated from labels.yaml. Tasks are
imported in batches, riskiest and least certain first (task ids follow import order,
and ``data.priority`` is a sortable column). A push is idempotent and resumable: the
passage ids already in the project are read back from the server before anything is
imported, and only the missing passages are sent. Pushes into one project from this
machine run one at a time (:mod:`annotate.studio.lock`); after importing, the project is
re-read and reconciled (one task per passage, each with its prediction).
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
    TaxonomyError,
)
from annotate.review.view import link_neighbours, project_view_settings, set_up_views
from annotate.studio.client import StudioClient, connect
from annotate.studio.label_config import parse_label_config
from annotate.studio.lock import DEFAULT_WAIT_S, project_lock
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
    predictions_repaired: int = 0  # predictions the server dropped on import, sent again
    duplicates_removed: int = 0  # tasks of this run that another run had also created
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
    lock_wait_s: float = DEFAULT_WAIT_S,
) -> PushResult:
    """Create/update ``project`` and import the passages of ``prelabels`` not yet in it.

    ``prelabels``: a prelabel table (JSONL/Parquet, see :func:`annotate.prelabeling.prelabel`).
    The project's labeling config is rendered from ``taxonomy`` (a loaded Taxonomy or a
    taxonomy file; None: the default labels.yaml). Tasks are imported riskiest first, in
    batches of ``batch_size`` (one request each). Passages already in the project (by
    ``passage_id``) are skipped, so a re-run resumes. ``client``: default
    :func:`annotate.studio.client.connect`.

    ``on_error`` says what a batch the server refuses does: ``"continue"`` splits it until
    only the bad rows fail, records each in ``PushResult.failed``/``errors`` and goes on;
    ``"stop"`` does the same and imports no more; ``"raise"`` raises its StudioError at
    once.

    Pushes into the same project from this machine run one at a time: a second one
    waits up to ``lock_wait_s`` seconds, then raises StudioError. After importing, the
    project is re-read: every passage of the file must be there exactly once with this
    model's prediction; duplicates this run made (a push elsewhere at the same time) are
    removed, predictions the server dropped are sent again, and whatever is still
    missing is counted in ``failed`` and named in ``errors``. A title shared by several
    projects raises StudioError naming them; dropping or renaming labels of a project
    with annotations raises TaxonomyError. An unreachable server or a refused
    token always raises. ``progress(n)`` is called with each batch's size;
    ``after_batch(batch_number, task_ids)`` after each imported batch.

    Raises InputError (bad table, batch_size < 1, unknown on_error), SchemaError,
    PredictionError (a row that does not fit the labeling config), TaxonomyError,
    StudioError and its subclasses.
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
    with project_lock(client.url, project, wait_s=lock_wait_s):
        return _push_locked(
            client,
            project,
            tasks,
            tax,
            label_config,
            model_version,
            batch_size=batch_size,
            on_error=on_error,
            progress=progress,
            after_batch=after_batch,
        )


def _push_locked(
    client: StudioClient,
    project: str,
    tasks: list[dict[str, Any]],
    tax: Taxonomy,
    label_config: str,
    model_version: str,
    *,
    batch_size: int,
    on_error: OnError,
    progress: ProgressFn | None,
    after_batch: Callable[[int, list[int]], None] | None,
) -> PushResult:
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

    existing = task_ids_by_passage(client, project_id)
    todo = [t for t in tasks if t["data"][PASSAGE_ID_FIELD] not in existing]
    result.skipped = len(tasks) - len(todo)
    log.info(
        "project %r (id %d): %d passages, %d already there, %d to import",
        project,
        project_id,
        len(tasks),
        result.skipped,
        len(todo),
    )

    mine: set[int] = set()  # task ids this run created
    failed: dict[str, str] = {}  # passage id -> why the server refused it
    for number, start in enumerate(range(0, len(todo), batch_size), start=1):
        batch = todo[start : start + batch_size]
        ids, refused = _import_bisecting(client, project_id, batch, number, on_error)
        mine.update(ids)
        failed.update(refused)
        result.created += len(ids)
        advance(progress, len(batch))
        if refused and on_error == "stop":
            for task in todo[start + batch_size :]:
                failed[task["data"][PASSAGE_ID_FIELD]] = "not sent (--on-error stop)"
            break
        if after_batch is not None:
            after_batch(number, ids)

    _reconcile(client, project_id, tasks, mine, failed, result, batch_size)

    # predictions of this model version are shown to reviewers as pre-annotations
    if proj.get("model_version") != model_version:
        client.update_project(project_id, model_version=model_version)
    return result


def task_ids_by_passage(client: StudioClient, project_id: int) -> dict[str, list[int]]:
    """Passage id -> the ids of its tasks in the project (more than one: a duplicate)."""
    out: dict[str, list[int]] = {}
    for task in client.iter_tasks(project_id):
        pid = str((task.get("data") or {}).get(PASSAGE_ID_FIELD))
        out.setdefault(pid, []).append(int(task["id"]))
    for ids in out.values():
        ids.sort()
    return out


def _import_bisecting(
    client: StudioClient,
    project_id: int,
    batch: list[dict[str, Any]],
    number: int,
    on_error: OnError = "continue",
) -> tuple[list[int], dict[str, str]]:
    """Import ``batch``; when the server refuses it, split it until only bad rows fail.

    Returns the created task ids and {passage id: the server's reason} for each refused
    row. An import answer that reports fewer tasks or predictions than were sent is
    logged; :func:`_reconcile` repairs or reports the shortfall.
    """
    try:
        answer = client.import_tasks(project_id, batch)
    except (StudioUnavailableError, StudioAuthError):
        raise
    except StudioError as exc:
        if on_error == "raise":
            raise
        if len(batch) == 1:
            pid = batch[0]["data"][PASSAGE_ID_FIELD]
            log.error("batch %d: passage %r refused: %s", number, pid, exc.what)
            return [], {pid: exc.what}
        log.warning(
            "batch %d (%d tasks) refused; splitting it to find the bad rows", number, len(batch)
        )
        half = len(batch) // 2
        left_ids, left_bad = _import_bisecting(client, project_id, batch[:half], number, on_error)
        right_ids, right_bad = _import_bisecting(client, project_id, batch[half:], number, on_error)
        return left_ids + right_ids, {**left_bad, **right_bad}
    sent_predictions = sum(len(t.get("predictions") or []) for t in batch)
    created = len(answer.task_ids) if answer.task_count is None else answer.task_count
    if created != len(batch) or len(answer.task_ids) != len(batch):
        log.warning(
            "batch %d: sent %d tasks, Label Studio created %d (returned %d ids)",
            number,
            len(batch),
            created,
            len(answer.task_ids),
        )
    if answer.prediction_count is not None and answer.prediction_count != sent_predictions:
        log.warning(
            "batch %d: sent %d predictions, Label Studio created %d; they are re-checked "
            "and sent again after the import",
            number,
            sent_predictions,
            answer.prediction_count,
        )
    return answer.task_ids, {}


def _reconcile(
    client: StudioClient,
    project_id: int,
    tasks: list[dict[str, Any]],
    mine: set[int],
    failed: dict[str, str],
    result: PushResult,
    batch_size: int,
) -> None:
    """Re-read the project: one task per passage, each with its prediction, or an error."""
    by_passage = task_ids_by_passage(client, project_id)
    extra: list[int] = []
    for pid, ids in by_passage.items():
        for task_id in ids[1:]:  # the oldest task of a passage is kept
            if task_id in mine:
                extra.append(task_id)
            else:
                log.warning(
                    "passage %r is in project %d %d times (task ids %s), not all made by this "
                    "push; left alone",
                    pid,
                    project_id,
                    len(ids),
                    ids,
                )
    if extra:
        log.warning(
            "%d task(s) of this push duplicate passages another run imported at the same "
            "time; deleting them",
            len(extra),
        )
        client.delete_tasks(extra)
        result.duplicates_removed = len(extra)
        result.created -= len(extra)
        extra_set = set(extra)
        by_passage = {
            pid: [i for i in ids if i not in extra_set] for pid, ids in by_passage.items()
        }
    kept = {pid: ids[0] for pid, ids in by_passage.items() if ids}

    added_new, repaired = _add_missing_predictions(
        client, project_id, tasks, kept, mine, batch_size
    )
    result.predictions_added, result.predictions_repaired = added_new, repaired

    versions = client.prediction_versions(project_id) if tasks else {}
    problems: dict[str, str] = dict(failed)
    for task in tasks:
        pid = task["data"][PASSAGE_ID_FIELD]
        if pid in problems:
            continue
        task_id = kept.get(pid)
        if task_id is None:
            problems[pid] = "not in the project after the import"
            continue
        for pred in task["predictions"]:
            if pred["model_version"] not in versions.get(task_id, set()):
                problems[pid] = (
                    f"task {task_id} has no prediction of model {pred['model_version']!r}"
                )
    result.failed = len(problems)
    result.errors = [f"passage {pid!r}: {why}" for pid, why in problems.items()]


def _add_missing_predictions(
    client: StudioClient,
    project_id: int,
    tasks: list[dict[str, Any]],
    kept: dict[str, int],
    mine: set[int],
    batch_size: int,
) -> tuple[int, int]:
    """Give every task of the file the prediction of its row's model, if it lacks it.

    Re-pushing the same file adds nothing; re-pushing a newer model's pre-labels of the
    same passages adds that model's predictions (so reviewers can switch to it); a
    prediction the server dropped while importing a task is sent again. Returns
    (added to tasks that were already there, repaired on tasks of this run).
    """
    versions = client.prediction_versions(project_id)
    missing = []
    for task in tasks:
        task_id = kept.get(task["data"][PASSAGE_ID_FIELD])
        if task_id is None:
            continue
        for pred in task["predictions"]:
            if pred["model_version"] not in versions.get(task_id, set()):
                missing.append({**pred, "task": task_id})
    added = repaired = 0
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        created = client.import_predictions(project_id, batch)
        if created < len(batch):
            log.warning("Label Studio created %d of %d predictions", created, len(batch))
        ours = sum(1 for p in batch if p["task"] in mine)
        repaired_here = min(ours, created)
        repaired += repaired_here
        added += created - repaired_here
    if missing:
        log.info(
            "added %d predictions of a new model to existing tasks, re-sent %d dropped ones",
            added,
            repaired,
        )
    return added, repaired


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
    link_neighbours(tasks, tax)  # previous/next passage of the same document
    tasks.sort(key=lambda t: (-t["data"][PRIORITY_FIELD], t["data"][PASSAGE_ID_FIELD]))
    return tasks


def _ensure_project(
    client: StudioClient, title: str, label_config: str, tax: Taxonomy, model_version: str
) -> tuple[dict[str, Any], bool]:
    description = (
        f"{tax.name} {tax.version}: pre-labelled passages, riskiest and least certain first. "
        "Created by annotate push."
    )
    proj = client.find_project(title)  # several with this title: an error naming them
    if proj is None:
        proj = client.create_project(
            title,
            label_config,
            description=description,
            model_version=model_version,
            show_collab_predictions=True,
            sampling="Sequential sampling",
            show_skip_button=True,
            **project_view_settings(tax),
        )
        set_up_views(client, int(proj["id"]), tax)
        log.info("created project %r (id %s)", title, proj["id"])
        return _keep_oldest(client, title, proj)
    if _normalise(proj.get("label_config", "")) != _normalise(label_config):
        check_label_change(client, proj, label_config, tax)
        log.info("updating the labeling config of project %r from labels.yaml", title)
        client.update_project(int(proj["id"]), label_config=label_config)
    if proj.get("expert_instruction") != project_view_settings(tax)["expert_instruction"]:
        client.update_project(int(proj["id"]), **project_view_settings(tax))
    if not proj.get("show_collab_predictions", True):
        client.update_project(int(proj["id"]), show_collab_predictions=True)
    return proj, False


def _keep_oldest(
    client: StudioClient, title: str, proj: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Server-side re-check after creating a project: a run elsewhere may have made one too.

    The oldest project of the title wins; ours, still empty, is deleted if it is not it.
    """
    same = client.find_projects(title)
    if len(same) <= 1 or int(same[0]["id"]) == int(proj["id"]):
        return proj, True
    log.warning(
        "another run created project %r (id %s) at the same time; using it and deleting ours "
        "(id %s)",
        title,
        same[0]["id"],
        proj["id"],
    )
    client.delete_project(int(proj["id"]))
    return client.get_project(int(same[0]["id"])), False


def label_values(label_config: str) -> dict[str, frozenset[str]]:
    """Control name -> the values (choices, labels) it offers, from a labeling config."""
    config = parse_label_config(label_config)
    return {name: c.values for name, c in config.controls.items() if c.values}


def check_label_change(
    client: StudioClient, proj: dict[str, Any], label_config: str, tax: Taxonomy
) -> None:
    """Refuse to drop or rename labels of a project that already holds annotations.

    Adding labels is allowed (old answers still read); removing or renaming one would
    make reviewed answers unreadable under the new labels.yaml. Raises
    :class:`TaxonomyError` naming the labels that would disappear.
    """
    old = label_values(str(proj.get("label_config") or ""))
    new = label_values(label_config)
    lost = sorted(
        f"{name}:{value}" for name, values in old.items() for value in values - new.get(name, set())
    )
    if not lost:
        return
    annotated = client.count_annotated_tasks(int(proj["id"]))
    if annotated == 0:
        log.warning("labels %s leave project %r (no annotations yet)", lost, proj.get("title"))
        return
    raise TaxonomyError(
        f"labels.yaml {tax.version} drops or renames label(s) {', '.join(lost)} that project "
        f"{proj.get('title')!r} uses; it holds {annotated} annotated task(s) and its labeling "
        "config was left unchanged.",
        fix="push with the labels.yaml the project was made with (--labels), or push into a new "
        "project (--project) and move reviewed work there deliberately.",
    )


def _normalise(xml: str) -> str:
    return "".join(xml.split())
