"""Thread context from earlier batches: the comments replies answer, read from the tasks
already in the project.

Moderation teams push a day's comments at a time, so most replies answer a comment of an
earlier batch, already a task of the project. A push reads every task's id, passage id and
document id anyway (:meth:`annotate.studio.staging.Staging.load_present`); this module
then reads, by id and page by page, only the tasks of the documents the file's replies
name that the file does not hold (:meth:`annotate.studio.client.StudioClient.iter_tasks_by_id`),
and, up the thread, of the documents those reply to (their task's ``parent_doc_id``), to
:data:`annotate.review.parents.THREAD_DEPTH` comments. Their texts go to the push's spool,
never all in memory; whether each carries a content warning is taken from the task, as
read or as the push's wellbeing refresh leaves it (a hidden parent stays a note).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from annotate.review.parents import PARENT_ID_FIELD, THREAD_DEPTH
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.studio.versions import task_index

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient
    from annotate.studio.staging import Staging

log = logging.getLogger(__name__)


def read_prior_parents(client: StudioClient, stage: Staging, text_field: str) -> int:
    """Record in ``stage`` (its tasks already read: ``load_present``) the passages of the
    comments up the file's replies' threads that the file does not hold but a task of
    the projects read does, level by level up to :data:`THREAD_DEPTH`; ``text_field``:
    the task field holding the passage's text (labels.yaml's). Returns how many tasks were
    read. Raises StudioError from the client."""
    read = 0
    for depth in range(1, THREAD_DEPTH + 1):
        if not stage.thread_level(depth):
            break
        for project_id, ids in stage.prior_tasks(depth):
            rows = []
            for task in client.iter_tasks_by_id(project_id, ids):
                data = task.get("data") or {}
                text, doc = data.get(text_field), data.get("doc_id")
                if not isinstance(text, str) or doc in (None, ""):
                    continue
                pid = data.get(PASSAGE_ID_FIELD)
                up = data.get(PARENT_ID_FIELD)
                rows.append(
                    (
                        str(doc),
                        task_index(data),
                        int(task["id"]),
                        "" if pid is None else str(pid),
                        text,
                        None if up in (None, "") else str(up),
                    )
                )
            read += stage.add_prior(rows)
    if read:
        log.info("read %d task(s) of earlier batches for the comments replies answer", read)
    return read
