"""Export pull: what Label Studio gives back, parsed against the taxonomy.

Label Studio's export of a task (its data, annotations and predictions) -> reviewers'
votes (categories, evidence spans in code-point offsets, severity, comment); the
model's view of each annotation is :mod:`annotate.corpus.model_view`. Turning those
into corpus rows is :mod:`annotate.corpus.rows`.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from annotate.corpus.resolve import ReviewedSpan
from annotate.errors import ExportError
from annotate.studio.offsets import from_utf16
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.taxonomy import Taxonomy

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient

log = logging.getLogger(__name__)


def latest_annotations(task: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """One vote per reviewer: ``(reviewer id, their latest annotation)`` of a task from
    Label Studio's export, cancelled (skipped) annotations left out, oldest first."""
    latest: dict[Any, dict[str, Any]] = {}
    for ann in task.get("annotations") or []:
        if ann.get("was_cancelled"):
            continue
        by = ann.get("completed_by")
        user = by.get("id") if isinstance(by, dict) else by
        if user not in latest or str(ann.get("updated_at")) >= str(latest[user].get("updated_at")):
            latest[user] = ann
    return sorted(latest.items(), key=lambda kv: str(kv[1].get("created_at")))


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


SNAPSHOT_ATTEMPTS = 4


def consistent_snapshot(
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
