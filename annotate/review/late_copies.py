"""Tasks a lost request made twice: a slow server carried out a copy or import request
whose answer the client had given up on, after the client had sent it again (or after
the command ended). The next run of the command finds them here and deletes them
(`review reassign`, `adjudicate`; `push` and `push -k` by :func:`drop_repeated`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from annotate.review.gold import GOLD_META_KEY
from annotate.studio.client import StudioClient
from annotate.studio.drafts import tasks_with_drafts
from annotate.studio.tasks import PASSAGE_ID_FIELD

log = logging.getLogger(__name__)


def passage_of(task: dict[str, Any]) -> str | None:
    """The passage id of a task (its ``data``), the key of a late copy of a task annotate
    imported; None for a task without one (made by hand or by another tool: a copy of
    nothing, never deleted as one)."""
    pid = (task.get("data") or {}).get(PASSAGE_ID_FIELD)
    return None if pid is None or str(pid) == "" else str(pid)


def _answered(task: dict[str, Any]) -> bool:
    return bool(
        int(task.get("total_annotations") or 0) or int(task.get("cancelled_annotations") or 0)
    )


def extra_copies(
    tasks: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Hashable | None]
) -> list[int]:
    """The ids of the tasks (each with ``id`` and, when listed, ``total_annotations`` and
    ``cancelled_annotations``) that repeat another task's ``key`` (None: the task is no
    copy of anything) and hold no answer nor skip: of each key the oldest task and every
    answered one are kept. Ascending."""
    by_key: dict[Hashable, list[dict[str, Any]]] = {}
    for task in tasks:
        k = key(task)
        if k is not None:
            by_key.setdefault(k, []).append(task)
    extra: list[int] = []
    for group in by_key.values():
        group.sort(key=lambda t: int(t["id"]))
        extra += [int(t["id"]) for t in group[1:] if not _answered(t)]
    return sorted(extra)


def drop_extra_copies(
    client: StudioClient,
    project_id: int,
    tasks: Iterable[dict[str, Any]],
    key: Callable[[dict[str, Any]], Hashable | None],
    drafted: Callable[[], set[int]],
) -> set[int]:
    """Delete the :func:`extra_copies` of ``project_id``'s ``tasks`` but those holding a
    draft (``drafted()``: the project's tasks with one, asked only when there are
    extras); the ids deleted."""
    extra = extra_copies(tasks, key)
    if not extra:
        return set()
    held = drafted()
    gone = [t for t in extra if t not in held]
    if gone:
        log.warning(
            "project %s: %d task(s) repeat another (made by another push importing at the "
            "same time, or by a request whose answer was lost and which the server carried "
            "out late: after it was sent again, or after the command ended); deleting them",
            project_id,
            len(gone),
        )
        client.delete_tasks(gone, project_id=project_id)
    return set(gone)


def drop_repeated(client: StudioClient, project_id: int, repeated: set[str]) -> set[int]:
    """Delete the late copies among ``project_id``'s tasks of the ``repeated`` passages
    (passage ids a listing found more than once there, as regular tasks or as gold tasks:
    copies a request whose answer was lost made after the command that sent it ended,
    which a later push finds). Of each passage the oldest task and every task answered,
    skipped or holding a draft are kept; a gold task is a copy only of a gold task of its
    passage (gold tasks were never deleted: a reviewer got the same gold passage twice),
    and tasks without a passage id are never touched (one more listing of the project,
    with answer counts; one of its drafts when there are extras). Returns the ids
    deleted. Raises StudioError as the listings and deletions do."""
    if not repeated:
        return set()

    def key(task: dict[str, Any]) -> tuple[str, bool] | None:
        pid = passage_of(task)
        if pid is None or pid not in repeated:
            return None
        return pid, GOLD_META_KEY in (task.get("meta") or {})

    tasks = client.iter_tasks(
        project_id, include="id,data,meta,total_annotations,cancelled_annotations"
    )
    return drop_extra_copies(
        client, project_id, tasks, key, lambda: tasks_with_drafts(client, project_id)
    )
