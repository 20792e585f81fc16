"""One project per creation: the copies of a project made at the same time, cleaned up
right after making it. Push (a main project), a review-set push (a reviewer queue) and
adjudicate (the lead's project) share it.

Label Studio on SQLite re-runs a request that found its database locked
(``DatabaseIsLockedRetryMiddleware``, up to 15 times): a project creation stores its
project (``Project.save`` commits), then fails on a later write of the same request (its
onboarding steps, its summary) and is carried out again, so one request makes two
projects or more and the answer names the last (CI 53b: 29, 32 and 34 of one request).
Another run making the same project at the same moment (another machine; the push lock
is one machine's) makes one too. Label Studio Community has no transaction, unique
title or conditional create, so the creator reads back: of the projects of the new
title (or whatever marks them as the same project, a reviewer queue's description
line), the oldest (lowest id) is kept, so that every run that made it at once takes the
same one, and every other one still empty is deleted, whichever run made it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotate.errors import StudioNotFoundError
from annotate.studio.client import StudioClient

log = logging.getLogger(__name__)

KEEP_CHECKS = 3  # listings of a new project's copies read by keep_oldest before it stops


@dataclass(frozen=True)
class Kept:
    """What :func:`keep_oldest` found: the project ``kept`` (the oldest), whether the
    caller's project was ``listed`` among the copies at the first reading (False: deleted
    already by another run's clean-up, or not one of them: a reviewer queue whose
    description the server did not keep), and the copies ``deleted`` (or found gone),
    the caller's included when it was not the oldest."""

    kept: int
    listed: bool
    deleted: tuple[int, ...]


def keep_oldest(
    client: StudioClient,
    title: str,
    mine: int,
    listing: Callable[[], list[dict[str, Any]]] | None = None,
) -> Kept:
    """After this run made the project ``mine`` of ``title`` (a title, or queue, that had
    no project when it looked): the oldest of its copies is kept and every other copy
    still empty is deleted, ours and the server's alike (one another run deleted first
    is taken as gone). ``listing``: the copies, oldest first (default: the projects
    titled ``title``). The copies are read again until only the kept one is left
    (:data:`KEEP_CHECKS` readings: a creation of another run that lands meanwhile is that
    run's to clean up after its own creation, as this one does). A copy holding tasks
    (so answers too) is never deleted: it is left, logged, for the caller or the user
    (a title of several projects is an error naming them). Nothing listed: ours is not
    listed yet, nor any other copy, and is kept."""
    read = listing if listing is not None else (lambda: client.find_projects(title))
    kept, listed, deleted = mine, True, []
    for check in range(1, KEEP_CHECKS + 1):
        same = read()
        if not same:
            break
        kept = int(same[0]["id"])
        if check == 1:
            listed = any(int(p["id"]) == mine for p in same)
        extra = [int(p["id"]) for p in same[1:]]
        dropped = drop_empty_copies(client, title, kept, extra, mine)
        deleted += [pid for pid in dropped if pid not in deleted]
        if not dropped:
            break
    return Kept(kept, listed, tuple(deleted))


def tasks_held(client: StudioClient, project_id: int) -> int:
    """How many tasks the project holds: its ``task_number``, else (an answer without
    it) whether its task listing names one. Raises StudioNotFoundError when it is gone."""
    count = client.get_project(project_id).get("task_number")
    if count is not None:
        return int(count)
    return int(next(iter(client.iter_tasks(project_id, include="id")), None) is not None)


def drop_empty_copies(
    client: StudioClient, title: str, kept: int, copies: list[int], mine: int
) -> list[int]:
    """Delete each project of ``copies`` (of ``title``, newer than ``kept``) that holds no
    task, tolerating one deleted meanwhile; one holding tasks is left and logged. Each is
    warned of but ours (``mine``: its caller says so). Returns those deleted (or found
    gone)."""
    dropped: list[int] = []
    for pid in copies:
        try:
            tasks = tasks_held(client, pid)
        except StudioNotFoundError:  # deleted meanwhile (its own run's check)
            dropped.append(pid)
            continue
        if tasks:
            log.warning(
                "project %r (id %s), made at the same time as the one kept (id %s), holds %d "
                "task(s): left as it is",
                title,
                pid,
                kept,
                tasks,
            )
            continue
        log.log(
            logging.INFO if pid == mine else logging.WARNING,
            "deleting project %r (id %s), an empty copy made at the same time as the one "
            "kept (id %s): by the server repeating a creation or by a run elsewhere",
            title,
            pid,
            kept,
        )
        delete_gone_ok(client, pid)
        dropped.append(pid)
    return dropped


def delete_gone_ok(client: StudioClient, project_id: int) -> None:
    """Delete a project that another run making its title may have deleted already."""
    try:
        client.delete_project(project_id)
    except StudioNotFoundError:
        log.info("project %s was deleted already", project_id)
