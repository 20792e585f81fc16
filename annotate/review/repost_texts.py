"""The texts a review set's tasks hold, as a K-reviewer push finds re-posts (a passage
whose text a task of another passage holds) and passages of renamed documents in them
(:mod:`annotate.review.fanout` makes the push)."""

from __future__ import annotations

import logging
import os
from typing import Any

from annotate._util.passage_ids import text_key
from annotate._util.renamed_ids import earlier_document_id
from annotate.studio.client import TaskListing
from annotate.studio.reposts import repost_where
from annotate.studio.shown_text import passage_text
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.studio.versions import task_index

# logged as the push's (`-vv` shows the logger's name)
log = logging.getLogger("annotate.review.fanout")


# the oldest task holding a text: (passage id, project id, task id, meta, document id,
# passage index)
HeldText = tuple[str, int, int, dict[str, Any], str | None, int | None]


def note_text(
    texts: dict[int, HeldText],
    field_name: str,
    project_id: int,
    task: TaskListing,
) -> None:
    """Record the task's text (its ``text_key``) unless an older task holds it."""
    text = passage_text(task.data, field_name)  # a subtitle cue's: as ingested
    if isinstance(text, str):
        key = text_key(text)
        if key not in texts or task.id < texts[key][2]:
            doc = doc_of(task.data)
            texts[key] = (task.passage, project_id, task.id, task.meta, doc, task_index(task.data))


def renamed_passages(
    tasks: list[dict[str, Any]],
    unqueued: set[str],
    texts: dict[int, HeldText],
    field_name: str,
) -> list[tuple[str, str, str, int]]:
    """(passage id, its document id, the holding task's, task id) of each passage of
    ``tasks`` not yet in the set (``unqueued``) whose text the set holds under the
    document id an earlier annotate gave it (:mod:`annotate._util.renamed_ids`), in file
    order."""
    in_file = {str(t["data"][PASSAGE_ID_FIELD]) for t in tasks}
    found: list[tuple[str, str, str, int]] = []
    for task in tasks:
        data = task["data"]
        pid = str(data[PASSAGE_ID_FIELD])
        held = texts.get(text_key(str(passage_text(data, field_name))))
        if pid not in unqueued or held is None or held[0] in in_file:
            continue
        doc = doc_of(data)
        if earlier_document_id(doc, task_index(data), held[4], held[5]):
            found.append((pid, str(doc), str(held[4]), held[2]))
    return found


def reposts_in(
    tasks: list[dict[str, Any]],
    unqueued: set[str],
    texts: dict[int, HeldText],
    field_name: str,
    prelabels: str | os.PathLike[str],
    located: dict[str, str],
) -> list[tuple[str, str, int, int]]:
    """(passage id, where it is: its document and line (:func:`annotate.studio.reposts.
    repost_where`, ``located``: passage id -> its place in the file), project id, task id)
    of each passage of ``tasks`` not yet in the set (``unqueued``) whose text a task of a
    passage outside the file holds (``texts``: text key -> the oldest task holding it, as
    :func:`note_text` records them), riskiest first; each is logged."""
    in_file = {str(t["data"][PASSAGE_ID_FIELD]) for t in tasks}
    found: list[tuple[str, str, int, int]] = []
    for task in tasks:
        pid = str(task["data"][PASSAGE_ID_FIELD])
        held = texts.get(text_key(str(passage_text(task["data"], field_name))))
        if pid in unqueued and held is not None and held[0] not in in_file:
            where = repost_where(doc_of(task["data"]), located.get(pid), prelabels)
            found.append((pid, where, held[1], held[2]))
            log.info(
                "re-post left out: passage %r (%s) has the text of task %d (passage %r) "
                "of project %d",
                pid,
                where,
                held[2],
                held[0],
                held[1],
            )
    if found:
        log.info(  # the CLI prints it (from the result): logged, not warned
            "%d re-posted passage(s) of %s left out: a task of the review set holds the same "
            "text under another passage id (keep_reposts pushes them)",
            len(found),
            prelabels,
        )
    return found


def doc_of(data: dict[str, Any]) -> str | None:
    """A task's document id (its data's ``doc_id``); None when it has none."""
    doc = data.get("doc_id")
    return None if doc in (None, "") else str(doc)
