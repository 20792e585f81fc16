"""The re-posts push left out, as the export manifest records them for an audit.

``annotate push`` does not send a passage whose exact text a task of the project already
holds under another passage id (a statement re-posted under another document); the task
holding the text records it in its ``meta`` (:mod:`annotate.studio.reposts`: passage and
document id, at most :data:`~annotate.studio.reposts.MAX_RECORDED` per task). Export
reads those records from the task listing it reads anyway
(:func:`annotate.review.collect.task_states`, no extra request) and writes the manifest's
``reposts`` (:func:`reposts_record`): each left-out passage id mapped to the passage and
task whose text it repeats, so an auditor can tell why an ingested passage has no row.
The corpus keeps the text once, under the passage that was pushed: a row per re-post would
repeat the same text and answers (counted twice in statistics, agreement, exposure and
training), so none is written; the mapping says which passage to read instead.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from annotate.studio.reposts import MAX_RECORDED, REPOSTS_META_KEY

log = logging.getLogger(__name__)

REPOSTS_OF = (
    "passages `annotate push` left out because a task already held their exact text under "
    "another passage id (a re-post; `push --keep-reposts` pushes them), as the task holding "
    f"the text records them in its meta {REPOSTS_META_KEY!r} (at most {MAX_RECORDED} per task)"
)


@dataclass(frozen=True)
class HeldReposts:
    """One task's record: the task, its passage, whether it is gold, what it lists."""

    project_id: int
    task_id: int
    passage_id: str
    gold: bool
    listed: list[dict[str, Any]]


@dataclass
class RepostsSeen:
    """Gathers the re-post records of the tasks listed (call it with each listed task: its
    Label Studio project id, passage id, whether it is a gold task, and the task with its
    ``meta``) and every passage id seen (a recorded re-post with a task of its own was
    pushed later, with ``--keep-reposts``)."""

    held: list[HeldReposts] = field(default_factory=list)
    passages: set[str] = field(default_factory=set)

    def __call__(self, project_id: int, passage_id: str, gold: bool, task: dict[str, Any]) -> None:
        self.passages.add(passage_id)
        meta = task.get("meta")
        listed = meta.get(REPOSTS_META_KEY) if isinstance(meta, dict) else None
        if isinstance(listed, list) and listed:
            entries = [r for r in listed if isinstance(r, dict) and r.get("passage_id")]
            self.held.append(HeldReposts(project_id, int(task["id"]), passage_id, gold, entries))


def reposts_record(seen: RepostsSeen, exported: Collection[str]) -> dict[str, Any]:
    """The manifest's ``reposts``, from the records ``seen`` and the ids of the corpus rows
    (``exported``)::

        {"of": REPOSTS_OF,
         "passages": 2,            # re-posts left out (each once), no task of their own
         "by_passage": {REPOST_ID: {"repost_of": HOLDER_ID, "doc_id": DOC,
                                    "ls_project_id": 12, "ls_task_id": 345,
                                    "holder": "in_corpus" | "gold" | "not_in_corpus"}},
         "texts": 1,               # passages (holders) whose text they repeat
         "texts_in_corpus": 1,     # of those, with a corpus row
         "pushed_later": 0,        # recorded re-posts that have a task of their own now
         "max_listed_per_task": 100,
         "tasks_at_cap": [{"ls_project_id", "ls_task_id", "repost_of"}]}

    ``holder``: the passage whose text the re-post repeats has a row (``in_corpus``), is a
    gold passage (never a row), or has no row (``not_in_corpus``: nobody answered it yet,
    or it was only skipped). ``tasks_at_cap``: tasks whose list holds the most a push
    records; later re-posts of their text are counted by push but not listed, so
    ``passages`` is a lower bound when it is not empty. A re-post recorded on two tasks
    (each of a review set's queues, a push of ``NAME #2``) maps to the first by project
    and task id."""
    exported = set(exported)
    by_passage: dict[str, dict[str, Any]] = {}
    holders: set[str] = set()
    pushed_later: set[str] = set()
    at_cap: list[dict[str, Any]] = []
    for held in sorted(seen.held, key=lambda h: (h.project_id, h.task_id)):
        where = {"ls_project_id": held.project_id, "ls_task_id": held.task_id}
        if len(held.listed) >= MAX_RECORDED:
            at_cap.append({**where, "repost_of": held.passage_id})
        status = (
            "gold" if held.gold else "in_corpus" if held.passage_id in exported else "not_in_corpus"
        )
        for entry in held.listed:
            pid = str(entry["passage_id"])
            if pid in seen.passages:
                pushed_later.add(pid)
                continue
            if pid in by_passage:
                continue
            doc = entry.get("doc_id")
            by_passage[pid] = {
                "repost_of": held.passage_id,
                "doc_id": None if doc is None else str(doc),
                **where,
                "holder": status,
            }
            holders.add(held.passage_id)
    if by_passage:
        log.info(
            "%d re-posted passage(s) were left out by push (their text is held by %d "
            "passage(s)); the manifest's reposts maps each to the passage it repeats",
            len(by_passage),
            len(holders),
        )
    return {
        "of": REPOSTS_OF,
        "passages": len(by_passage),
        "by_passage": dict(sorted(by_passage.items())),
        "texts": len(holders),
        "texts_in_corpus": len(holders & exported),
        "pushed_later": len(pushed_later),
        "max_listed_per_task": MAX_RECORDED,
        "tasks_at_cap": at_cap,
    }
