"""Delete tasks only while they are still open: neither answered nor skipped (and, unless
told otherwise, holding no draft), checked by the server in the delete request itself.

A listing that finds a task open and a delete sent after it leave a window in which a
reviewer can submit an answer, skip, or start a draft; Label Studio deletes a task with
its annotations and drafts, so that answer was lost. The Data Manager's ``delete_tasks``
action applies filters to the tasks it is given, so the check and the delete are one
request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotate.studio.client import StudioClient


def _item(column: str, kind: str, value: Any) -> dict[str, Any]:
    return {"filter": f"filter:tasks:{column}", "operator": "equal", "type": kind, "value": value}


def open_filters(*, keep_drafted: bool = True) -> dict[str, Any]:
    """Data Manager filters that match a task with no annotation, no skip and (with
    ``keep_drafted``) no draft by anyone: by its counters and by its answers' ids."""
    items = [
        _item("total_annotations", "Number", 0),
        _item("cancelled_annotations", "Number", 0),
        # computed from the answers themselves, not the stored counters above, which a
        # server that lost its signals keeps at 0 (annotate.studio.answer_guard)
        {
            "filter": "filter:tasks:annotations_ids",
            "operator": "empty",
            "type": "Unknown",
            "value": True,
        },
    ]
    if keep_drafted:
        items.append(_item("draft_exists", "Boolean", False))
    return {"conjunction": "and", "items": items}


def delete_open_tasks(
    client: StudioClient, project_id: int, task_ids: Sequence[int], *, keep_drafted: bool = True
) -> None:
    """Delete those of ``task_ids`` (tasks of ``project_id``) that are still open when the
    server deletes them: an answer, a skip or (with ``keep_drafted``) a draft made since
    the caller listed them keeps the task. The caller lists the project again to learn
    which went. Raises StudioError as the deletion does."""
    client.delete_tasks(
        task_ids, project_id=project_id, filters=open_filters(keep_drafted=keep_drafted)
    )
