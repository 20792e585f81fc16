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
(each answer counts), so they are not reported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


def handover_copy(task: dict[str, Any], passage: str, is_open: bool) -> HandoverCopy | None:
    """The hand-over record of ``task`` (None: no copy, or a record it cannot read)."""
    record = (task.get("meta") or {}).get(HANDOVER_META_KEY)
    if not isinstance(record, dict):
        return None
    try:
        return HandoverCopy(
            int(task["id"]),
            passage,
            int(record["from_project"]),
            int(record["from_task"]),
            is_open,
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

    def command(self, project: str) -> str | None:
        """The command that finishes it; None when the target's account was removed from
        the organization (a hand-over cannot give them tasks any more)."""
        if self.target.email is None:
            return None
        src = self.source.email or self.source.alias
        # the re-run marks its source away as the first run did, unless told not to: a
        # reviewer not away now (an earlier --not-away, or back since) stays so
        keep = " --not-away" if self._not_away() else ""
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
    by_project = {int(st.queue.project["id"]): st for st in found}
    pairs: dict[tuple[int, int], list[str]] = {}
    for target in found:
        for copy in target.handover_copies:
            source = by_project.get(copy.from_project)
            if source is None or source is target or copy.from_task not in source.task_ids:
                continue  # finished (the original is gone), or its queue is
            if not copy.open and copy.from_task not in source.open_ids:
                continue  # answered in both: a re-run leaves both answers
            key = (copy.from_project, int(target.queue.project["id"]))
            pairs.setdefault(key, []).append(copy.passage)
    return [
        UnfinishedHandover(
            by_project[src].queue, by_project[dst].queue, tuple(sorted(set(passages)))
        )
        for (src, dst), passages in sorted(pairs.items())
    ]
