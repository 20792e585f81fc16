"""Hand-overs that stopped midway, read from the server (`annotate review status`).

`annotate review reassign` copies a reviewer's open tasks into another reviewer's queue,
each copy with a provenance record in its meta (``annotate_handover``: the queue and
task it was copied from), and only then deletes the originals
(:func:`annotate.review.handover.reassign`). A run that stopped in between (killed,
Ctrl-C, the server gone) leaves those passages in both queues: K+1 holders, and the
former reviewer can still answer the original while the new one answers the copy. A
copy whose original is still in the queue it names is such a leftover; re-running the
same hand-over finishes it (it recognises the copies by their record: none is made
twice, the originals go, one answered meanwhile stays with its reviewer and its copy
goes). A copy and an original that were both answered are left as they are by a re-run
(each answer counts): their passage has one answer more than the review set's K
(:func:`answered_twice` names them, for status to show). Until a hand-over is finished,
:func:`open_counts` counts each passage it left in two queues once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotate.review.gold import GOLD_META_KEY

if TYPE_CHECKING:
    from annotate.review.handover import QueueStatus
    from annotate.review.queues import Queue

HANDOVER_META_KEY = "annotate_handover"


@dataclass(frozen=True)
class HandoverCopy:
    """A task of a queue that a hand-over copied from another queue's task."""

    task_id: int
    passage: str
    from_project: int
    from_task: int
    open: bool  # neither answered nor skipped
    answered: bool = False  # holds an answer (not only a skip)
    gold: bool = False  # a gold task (so is its original: the copy keeps its meta)


def handover_copy(task: dict[str, Any], passage: str, is_open: bool) -> HandoverCopy | None:
    """The hand-over record of ``task`` (None: no copy, or a record it cannot read)."""
    meta = task.get("meta") or {}
    record = meta.get(HANDOVER_META_KEY)
    if not isinstance(record, dict):
        return None
    try:
        return HandoverCopy(
            int(task["id"]),
            passage,
            int(record["from_project"]),
            int(record["from_task"]),
            is_open,
            answered=bool(int(task.get("total_annotations") or 0)),
            gold=GOLD_META_KEY in meta,
        )
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class UnfinishedHandover:
    """A hand-over from ``source`` to ``target`` that stopped after copying: ``passages``
    sit in both queues."""

    source: Queue
    target: Queue
    passages: tuple[str, ...]

    def command(self, project: str, *, source_leaving: bool = False) -> str | None:
        """The command that finishes it; None when the target's account was removed from
        the organization (a hand-over cannot give them tasks any more). ``source_leaving``:
        the source reviewer is being removed from the organization (offboarding), so
        whether the re-run marks them away does not matter: no ``--not-away``."""
        if self.target.email is None:
            return None
        src = self.source.email or self.source.alias
        # the re-run marks its source away as the first run did, unless told not to: a
        # reviewer not away now (an earlier --not-away, or back since) stays so
        keep = " --not-away" if self._not_away() and not source_leaving else ""
        return (
            f"annotate review reassign --project {project!r} --from {src} "
            f"--to {self.target.email}{keep}"
        )

    def _not_away(self) -> bool:
        return self.source.email is not None and not self.source.legacy and not self.source.away


def unfinished_handovers(found: Sequence[QueueStatus]) -> list[UnfinishedHandover]:
    """The hand-overs between the queues of ``found`` (one review set's
    :func:`annotate.review.handover.queue_status`) that stopped midway: copies whose
    original is still in its queue, unless both were answered or skipped."""

    def stopped(copy: HandoverCopy, source: QueueStatus) -> bool:
        if copy.from_task not in source.task_ids:
            return False  # finished: the original is gone
        # answered in both: a re-run leaves both answers
        return copy.open or copy.from_task in source.open_ids

    return [UnfinishedHandover(*pair) for pair in _copies_by_queue_pair(found, stopped)]


def _copies_by_queue_pair(
    found: Sequence[QueueStatus], wanted: Callable[[HandoverCopy, QueueStatus], bool]
) -> list[tuple[Queue, Queue, tuple[str, ...]]]:
    """(source queue, target queue, sorted passages) of the hand-over copies in
    ``found`` for which ``wanted(copy, status of the queue it was copied from)``, per pair
    of queues of the set, in project-id order; copies from a queue outside ``found`` or
    from their own queue are left out."""
    by_project = {int(st.queue.project["id"]): st for st in found}
    pairs: dict[tuple[int, int], list[str]] = {}
    for target in found:
        for copy in target.handover_copies:
            source = by_project.get(copy.from_project)
            if source is None or source is target or not wanted(copy, source):
                continue
            key = (copy.from_project, int(target.queue.project["id"]))
            pairs.setdefault(key, []).append(copy.passage)
    return [
        (by_project[src].queue, by_project[dst].queue, tuple(sorted(set(passages))))
        for (src, dst), passages in sorted(pairs.items())
    ]


@dataclass(frozen=True)
class AnsweredTwice:
    """Passages answered both in ``source``'s queue (the original task) and in
    ``target``'s (a copy an unfinished hand-over made before the original was answered):
    one answer more than the review set's K. A re-run of the hand-over leaves both."""

    source: Queue
    target: Queue
    passages: tuple[str, ...]


def answered_twice(found: Sequence[QueueStatus]) -> list[AnsweredTwice]:
    """The regular passages of ``found`` (one review set's
    :func:`annotate.review.handover.queue_status`) whose hand-over copy and original were
    both answered, per pair of queues. Gold tasks are left out: each answer there is
    checked against the gold key, a passage short of or above K they are not."""

    def both(copy: HandoverCopy, source: QueueStatus) -> bool:
        return not copy.gold and copy.answered and copy.from_task in source.answered_ids

    return [AnsweredTwice(*pair) for pair in _copies_by_queue_pair(found, both)]


@dataclass(frozen=True)
class OpenCount:
    """A queue's open tasks with each passage an unfinished hand-over left in two queues
    counted once: ``open`` (``gold`` and ``drafts`` among them) leaves out
    ``held_twice``, open tasks of the queue whose passage counts in the other queue."""

    open: int
    gold: int
    drafts: int
    held_twice: int


def open_counts(found: Sequence[QueueStatus]) -> dict[int, OpenCount]:
    """Queue project id -> its :class:`OpenCount`, for each queue of ``found`` (one review
    set's :func:`annotate.review.handover.queue_status`).

    Of a copy and its original both still there (a hand-over that stopped midway), one
    open task is not counted: the copy when both are open (its passage counts in the
    queue handed from, where it still is), the open one when the other was answered or
    skipped (a re-run of the hand-over deletes it: the passage is settled in the other
    queue). Both closed: both count (:func:`answered_twice`)."""
    by_project = {int(st.queue.project["id"]): st for st in found}
    skip: dict[int, set[int]] = {pid: set() for pid in by_project}
    gold: dict[int, set[int]] = {pid: set() for pid in by_project}
    for target in found:
        tid = int(target.queue.project["id"])
        for copy in target.handover_copies:
            source = by_project.get(copy.from_project)
            if source is None or source is target or copy.from_task not in source.task_ids:
                continue  # the hand-over finished (the original is gone), or its queue is
            if copy.open:  # open in both, or answered/skipped where it came from
                where, task = tid, copy.task_id
            elif copy.from_task in source.open_ids:  # answered or skipped as a copy
                where, task = copy.from_project, copy.from_task
            else:
                continue
            skip[where].add(task)
            if copy.gold:
                gold[where].add(task)
    out = {}
    for pid, st in by_project.items():
        out[pid] = OpenCount(
            open=st.open - len(skip[pid]),
            gold=st.open_gold - len(gold[pid]),
            drafts=st.open_drafts - len(skip[pid] & st.draft_ids),
            held_twice=len(skip[pid]),
        )
    return out
