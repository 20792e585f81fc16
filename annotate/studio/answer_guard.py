"""Refuse to delete tasks whose stored answer counters are behind their answers.

Every deletion of tasks (late copies and duplicates after a push, hand-overs, guarded
deletions of open tasks) is decided from listings that read each task's stored counters
(``total_annotations``, ``cancelled_annotations``, ``is_labeled`` and the Data Manager
filters on them). A Label Studio 1.23.2 server whose signals were lost (two project
deletions at once, :mod:`annotate.studio.answer_counters`) keeps those at 0 for every
answer made since, so such a task looks unanswered and would be deleted with its answers.

Before deleting, :func:`refuse_stale_counters` reads the tasks' ``annotations_ids`` (the
Data Manager computes it from the answers themselves at each reading, not from the
counters), :data:`annotate.studio.client.BY_ID_PAGE` tasks a request, and refuses the
whole deletion (nothing deleted) when any task holds more answers and skips than its
counters say. A deletion of open tasks only (Data Manager filters that keep every task
holding an answer id, :mod:`annotate.studio.guarded_delete`) is protected by its filter
whatever the counters say: :func:`without_stale` drops those tasks from it (logged), and
the rest is deleted (reader57 #4).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from annotate.errors import StudioError
from annotate.studio.answer_counters import FIX

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient

log = logging.getLogger(__name__)

GUARD_FIELDS = "id,total_annotations,cancelled_annotations,annotations_ids"
SHOWN = 10  # task ids named in the error


class DeletionRefusedError(StudioError):
    """Some tasks to delete hold answers (or skips) their stored counters do not count.
    ``project_id``: the project; ``task_ids``: those tasks, ascending; nothing was deleted."""

    def __init__(self, project_id: int, task_ids: Sequence[int]) -> None:
        self.project_id, self.task_ids = project_id, list(task_ids)
        shown = ", ".join(str(t) for t in self.task_ids[:SHOWN])
        more = f" and {len(self.task_ids) - SHOWN} more" if len(self.task_ids) > SHOWN else ""
        super().__init__(
            f"Refusing to delete tasks of project {project_id}: {len(self.task_ids)} of them "
            f"(ids {shown}{more}) hold answers or skips that Label Studio's stored counters "
            "(total_annotations, cancelled_annotations) do not count, so they could have "
            "been taken for unanswered; nothing was deleted.",
            fix=FIX,
        )


def answers_held(task: Mapping[str, Any]) -> int:
    """The answers and skips of a listed task, from its ``annotations_ids`` (ids joined by
    commas, or a list; the server cuts the text at 500 characters, so a long one counts
    low)."""
    value = task.get("annotations_ids")
    if isinstance(value, list):
        return len([v for v in value if v is not None])
    return len(re.findall(r"\d+", str(value or "")))


def counted(task: Mapping[str, Any]) -> int:
    """The answers and skips a listed task's stored counters count."""
    return int(task.get("total_annotations") or 0) + int(task.get("cancelled_annotations") or 0)


def stale_tasks(client: StudioClient, project_id: int, task_ids: Sequence[int]) -> list[int]:
    """Those of ``task_ids`` (of ``project_id``) whose answers and skips outnumber their
    stored counters, ascending. Raises StudioError as the listing does."""
    # fields="all": the Data Manager computes annotations_ids only then (label-studio 1.23.2)
    listed = client.iter_tasks_by_id(project_id, task_ids, include=GUARD_FIELDS, fields="all")
    return [int(t["id"]) for t in listed if answers_held(t) > counted(t)]


def refuse_stale_counters(client: StudioClient, project_id: int, task_ids: Sequence[int]) -> None:
    """Raise :class:`DeletionRefusedError` when any of ``task_ids`` holds answers its
    counters do not count (see :func:`stale_tasks`); StudioError as the listing does."""
    stale = stale_tasks(client, project_id, task_ids)
    if stale:
        log.error("project %s: %d task(s) to delete hold uncounted answers", project_id, len(stale))
        raise DeletionRefusedError(project_id, stale)


def without_stale(client: StudioClient, project_id: int, task_ids: Sequence[int]) -> list[int]:
    """``task_ids`` (of ``project_id``) without those whose answers its counters miss
    (:func:`stale_tasks`), in their order; the dropped ones logged with the fix. For a
    deletion whose filter keeps answered tasks anyway (``annotations_ids`` empty): an
    open-task clean-up on a stale server then goes on with the truly open tasks instead of
    being refused. Raises StudioError as the listing does."""
    stale = set(stale_tasks(client, project_id, task_ids))
    if stale:
        log.warning(
            "project %s: %d task(s) hold answers or skips Label Studio's stored counters do "
            "not count (ids %s); kept, the other open tasks deleted. %s",
            project_id,
            len(stale),
            ", ".join(str(t) for t in sorted(stale)[:SHOWN]),
            FIX,
        )
    return [int(t) for t in task_ids if int(t) not in stale]


def keeps_answered(filters: Mapping[str, Any] | None) -> bool:
    """Whether Data Manager ``filters`` match only tasks with no answer id (an ``and`` of
    items holding ``annotations_ids`` ``empty``), computed from the answers themselves:
    such a deletion keeps answered tasks whatever their counters say."""
    if not filters or filters.get("conjunction", "and") != "and":
        return False
    return any(
        item.get("filter") == "filter:tasks:annotations_ids"
        and item.get("operator") == "empty"
        and item.get("value") is True
        for item in filters.get("items") or []
    )
