"""A review set's reviewer queues in Label Studio as a K-reviewer push reads and fills
them: their task listings, a new queue, predictions added, the import answer checked
(:mod:`annotate.review.fanout` makes the push)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from annotate._util.progress import (
    ProgressFn,
    counted,
)
from annotate.errors import StudioError, StudioNotFoundError
from annotate.review.gold import GOLD_META_KEY
from annotate.review.late_copies import drop_repeated
from annotate.review.queues import (
    description,
    find_queues,
    marker,
    queue_title,
)
from annotate.review.view import (
    project_view_settings,
    set_up_views,
    set_up_views_unless_made,
    without_scores,
)
from annotate.studio import pushed_projects
from annotate.studio.client import (
    ImportAnswer,
    StudioClient,
    TaskListing,
    task_hidden,
    task_open,
)
from annotate.studio.project_copies import keep_oldest
from annotate.studio.projects import LIST_FIELDS
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)


def note_hidden(hidden_of: dict[str, bool | None], wanted: set[str], task: TaskListing) -> None:
    """Record whether a task of a passage some row carries as a neighbour carries a
    content warning (any of its tasks: hidden)."""
    if task.passage in wanted:
        hidden = task_hidden(task.data)
        if hidden is not None:
            hidden_of[task.passage] = bool(hidden_of.get(task.passage)) or hidden


def listing_reader(
    client: StudioClient, comma_free: bool
) -> Callable[[int], Iterator[TaskListing]]:
    """Every task of a project with its model versions and meta, in one listing of the
    tasks (model versions holding a comma cannot be read from it: the server joins them
    with commas; then the project's predictions are listed once too)."""
    if comma_free:
        return client.iter_task_listing

    def read(project_id: int) -> Iterator[TaskListing]:
        versions = client.prediction_versions(project_id)
        include = "id,data,meta,total_annotations,cancelled_annotations"
        for task in client.iter_tasks(project_id, include=include):
            data = dict(task.get("data") or {})
            pid = data.get(PASSAGE_ID_FIELD)
            yield TaskListing(
                int(task["id"]),
                "" if pid is None else str(pid),
                frozenset(versions.get(int(task["id"]), set())),
                dict(task.get("meta") or {}),
                data,
                task_open(task),
            )

    return read


def counted_listing(
    read: Callable[[int], Iterator[TaskListing]], progress: ProgressFn | None
) -> Callable[[int], Iterator[TaskListing]]:
    """``read`` telling ``progress`` of each task it lists (:func:`counted`)."""
    if progress is None:
        return read
    return lambda project_id: counted(read(project_id), progress)


def without_late_copies(
    client: StudioClient,
    project_id: int,
    read: Callable[[int], Iterator[TaskListing]],
    deleted: list[int],
) -> list[TaskListing]:
    """The queue's listing (``read``) less its late copies, which are deleted (added to
    ``deleted``): a second task of a passage that an earlier push's import request made
    after that push ended (a slow server), found as a passage listed twice as a regular
    task or twice as a gold task (tasks without a passage id aside) and deleted unless
    answered, skipped or drafted (:func:`annotate.review.late_copies.drop_repeated`)."""
    tasks = list(read(project_id))
    seen: set[tuple[str, bool]] = set()
    repeated: set[str] = set()
    for task in tasks:
        if task.passage:
            kind = (task.passage, GOLD_META_KEY in task.meta)
            if kind in seen:
                repeated.add(task.passage)
            seen.add(kind)
    gone = drop_repeated(client, project_id, repeated)
    deleted += sorted(gone)
    return [t for t in tasks if t.id not in gone]


def queues_of(client: StudioClient, project: str, alias: str) -> list[dict[str, Any]]:
    """The projects whose description marks them the queue of the reviewer of pseudonym
    ``alias`` in review set ``project`` (:func:`annotate.review.queues.marker`), oldest
    (smallest id) first: one listing of the projects' ids, titles and descriptions."""
    mark = marker(project, alias)
    return sorted(
        (
            p
            for p in client.list_projects(include=LIST_FIELDS)
            if mark in str(p.get("description") or "").splitlines()
        ),
        key=lambda p: int(p["id"]),
    )


def create_queue(
    client: StudioClient,
    project: str,
    alias: str,
    label_config: str,
    model_version: str,
    tax: Taxonomy,
    taken: set[str],
    k: int | None = None,
) -> dict[str, Any]:
    """The reviewer queue of review set ``project`` for the reviewer of pseudonym
    ``alias``: a new, empty one (its title is added to ``taken``; ``k``: the review set's
    reviewers per passage, recorded in its description), or the one another push made
    since this push listed the projects.

    Two pushes into one review set from two machines (or two lock folders: the push lock,
    :func:`annotate.studio.lock.project_lock`, is one machine's) both found no queue for
    a reviewer and each made one, so the reviewer had two queues, and every later command
    on the set refused it (:func:`annotate.studio.projects.project_set`: two queues of one
    reviewer). Label Studio Community has no transaction, unique title or conditional
    create to make one of them fail, so the queue is made idempotent by reading back:

    1. before creating, the projects are listed again: a queue of this reviewer found
       (another push made it since this push's listing) is used, none is made;
    2. after creating, they are listed again: of several queues of this reviewer, the
       oldest (smallest id) is the queue, and every other one still empty is deleted
       (:func:`annotate.studio.project_copies.keep_oldest`): this push's own when it is
       not the oldest (empty: made a moment ago, before any import; nothing else can
       know its id except a racing push's listing, which picks the oldest too), and the
       copies Label Studio on SQLite makes when it re-runs a creation that found its
       database locked (up to 15 times, a queue each; the answer names the last). A
       queue holding tasks is never deleted; one whose description as the server gives
       it does not mark it as this set's queue is not listed, so never deleted either.

    Each racing push compares after its own create, so the one whose queue has the
    larger id sees both and gives way: they end with one queue. Both may import the
    same passages into it (neither listed the other's tasks): the copies the push
    counts and the next push removes (:func:`annotate.review.fanout.repeated_left`).
    What is left: a server whose ids are not in commit order (Postgres hands out ids
    before a commit) where the push with the smaller id commits after the other's
    listing, so each sees only its own; `annotate review status` and export then name
    the two queues (:func:`annotate.studio.projects.project_set`)."""
    there = queues_of(client, project, alias)
    if there:
        log.info(
            "reviewer queue %s of %s: made by another push meanwhile, used", there[0]["id"], alias
        )
        return _queue_made(client, project, client.get_project(int(there[0]["id"])))
    title = queue_title(project, alias, taken)
    taken.add(title)
    proj = client.create_project(
        title,
        label_config,
        description=description(project, alias, k),
        model_version=model_version,
        show_collab_predictions=True,
        sampling="Sequential sampling",
        show_skip_button=True,
        **project_view_settings(tax),
    )
    mine = int(proj["id"])
    # the server may have run the creation several times (a queue each), and another
    # push may have made one: the oldest is kept, every other one still empty deleted
    found = keep_oldest(client, title, mine, lambda: queues_of(client, project, alias))
    if found.kept == mine:
        set_up_views(client, mine, tax, by_priority=True, reviewer=True)
        return _queue_made(client, project, proj)
    first = found.kept
    if mine in found.deleted:
        log.warning(
            "reviewer queue of %s: another queue of this reviewer (%d) was made at the same "
            "time, by another push or by the server repeating our request; the queue this "
            "push made (%s) was deleted, %d is used",
            alias,
            first,
            mine,
            first,
        )
    elif not _still_there(client, mine):  # another push deleted it as a copy of first
        log.warning(
            "reviewer queue of %s: the queue this push made (%s) is gone (deleted as a copy "
            "by a push that made the same queue at the same time); %d is used",
            alias,
            mine,
            first,
        )
    else:  # break5 B17: it said "deleted" here too, the duplicate left in place
        log.warning(
            "reviewer queue of %s: another push made queue %d at the same time; the "
            "queue this push made (%s) was left, not deleted: its description as the "
            "server gives it does not mark it as this set's queue. %d is used. Fix: "
            "delete project %s in Label Studio (it is empty), or later commands on the "
            "set refuse it (two queues of one reviewer)",
            alias,
            first,
            mine,
            first,
            mine,
        )
    set_up_views_unless_made(client, first, tax, by_priority=True, reviewer=True)
    return _queue_made(client, project, client.get_project(first))


def _still_there(client: StudioClient, project_id: int) -> bool:
    """Whether the project exists (a queue another push may have deleted as a copy)."""
    try:
        client.get_project(project_id)
    except StudioNotFoundError:
        return False
    return True


def _queue_made(client: StudioClient, project: str, proj: dict[str, Any]) -> dict[str, Any]:
    """``proj``, a queue of review set ``project`` this push fills, remembered as such
    (:mod:`annotate.studio.pushed_projects`)."""
    pushed_projects.remember(
        pushed_projects.server_of(client), project, {int(proj["id"]): str(proj["title"])}
    )
    return proj


def list_projects(client: StudioClient) -> list[dict[str, Any]]:
    """Every project of the organization (id, title, ...)."""
    return client.list_projects()


def reviewer_projects(
    client: StudioClient, project: str, salt: str | None = None
) -> dict[str, dict[str, Any]]:
    """Reviewer -> that reviewer's project of ``project`` (its id, title and description;
    empty: not a review set). The reviewer is named by their e-mail, or by their pseudonym
    when the account was removed (or its pseudonym is unknown under ``salt``, by default
    this machine's pseudonym salt).

    A reviewer project is recognised by the marker line its description ends with; see
    :mod:`annotate.review.queues`.
    """
    if salt is None:
        from annotate.corpus.salt import reviewer_salt

        salt = reviewer_salt()
    return {q.email or q.alias: q.project for q in find_queues(client, project, salt)}


def add_new_predictions(
    client: StudioClient,
    project_id: int,
    there: dict[str, tuple[int, frozenset[str]]],
    rows: dict[str, dict[str, Any]],
    batch_size: int,
) -> int:
    """Predictions of the pushed rows' model on tasks already in the project without one
    (a re-push pre-labelled by a newer model), as a plain push adds them; their number."""
    lacking = [
        {**without_scores(pred), "task": task_id}
        for pid, (task_id, found) in sorted(there.items())
        if pid in rows and str(rows[pid]["data"].get("model_version")) not in found
        for pred in rows[pid].get("predictions") or []
    ]
    added = 0
    for start in range(0, len(lacking), batch_size):
        added += client.import_predictions(project_id, lacking[start : start + batch_size])
    if added != len(lacking):
        raise StudioError(
            f"Label Studio created {added} of {len(lacking)} predictions of the new model on "
            f"tasks of project {project_id}.",
            fix="run the same push again (it sends only what is missing).",
        )
    return added


def check_import_answer(answer: ImportAnswer, sent: list[dict[str, Any]], title: str) -> None:
    """Label Studio's import answer against what was sent: every task, every prediction.

    Raises StudioError naming the shortfall (the server may drop predictions of a batch
    under load and still answer 201; see issue 12, item 3).
    """
    predictions = sum(len(t.get("predictions") or []) for t in sent)
    tasks = answer.task_count if answer.task_count is not None else len(answer.task_ids)
    if tasks != len(sent) or (
        answer.prediction_count is not None and answer.prediction_count < predictions
    ):
        raise StudioError(
            f"Label Studio created {tasks} of {len(sent)} task(s) and "
            f"{answer.prediction_count} of {predictions} prediction(s) in {title!r}.",
            fix="delete the tasks of that batch in the reviewer's project and push again.",
        )
