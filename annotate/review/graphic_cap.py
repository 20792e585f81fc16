"""Holding graphic work back: ``annotate push --max-graphic-per-reviewer N`` gives a
reviewer's queue at most N *open* graphic passages (hidden as graphic by the push: the
model's pre-label or a graphic-injury term, :func:`annotate.review.exposure.is_graphic_task`,
the rule that hides a passage behind its content warning). A queue is sorted riskiest
first, so without a cap a reviewer's first hour is the graphic passages of the whole
batch; with it, the rest of the batch's graphic passages wait for a later push, after
reviewers answered (or skipped) some.

The cap counts what the queues hold, not what this push adds: a graphic passage goes to
the reviewers with room left (:func:`annotate.review.assignment.assign`, riskiest first), so a
re-run (the same push, or one resumed after a failure) finds no more room and adds
nothing, and a passage is never queued twice for a reviewer. A passage held back from
some reviewers waits short of its K; a later push gives it to reviewers with room then.

One reviewer's own cap (labels.yaml ``wellbeing.reviewers.EMAIL.max_graphic``: a reviewer
back from leave, a new hire) applies to their queue the same way, the stricter of it and
the set-wide cap (:func:`reviewer_cap`); with no set-wide cap, only their queue is capped."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any

from annotate.review.exposure import is_graphic_task
from annotate.studio.client import StudioClient
from annotate.studio.tasks import PRIORITY_FIELD
from annotate.taxonomy import Taxonomy

# the room of a queue no cap applies to: more than any push holds
UNCAPPED = sys.maxsize


def open_graphic(client: StudioClient, project_id: int) -> int:
    """The graphic tasks of a queue with neither an answer nor a skip."""
    return sum(
        1
        for t in client.iter_tasks(
            project_id, include="id,data,total_annotations,cancelled_annotations"
        )
        if not int(t.get("total_annotations") or 0)
        and not int(t.get("cancelled_annotations") or 0)
        and is_graphic_task(t.get("data") or {})
    )


def own_cap(tax: Taxonomy | None, email: str) -> int | None:
    """``email``'s own cap (labels.yaml ``wellbeing.reviewers.EMAIL.max_graphic``, e-mail
    case aside), else None (and where ``tax`` is None)."""
    own = None if tax is None else tax.wellbeing.reviewer(email)
    return None if own is None else own.max_graphic


def reviewer_cap(set_cap: int | None, tax: Taxonomy | None, email: str) -> int | None:
    """The open graphic passages ``email``'s queue may hold: the stricter of ``set_cap``
    (``--max-graphic-per-reviewer``, or the one a push recorded) and their own
    (:func:`own_cap`); None where neither is set."""
    caps = [c for c in (set_cap, own_cap(tax, email)) if c is not None]
    return min(caps) if caps else None


def room_left(
    open_now: Mapping[str, int], cap: int | Mapping[str, int | None], reviewers: Iterable[str]
) -> dict[str, int]:
    """Reviewer -> graphic passages their queue may still take: ``cap`` (one for every
    queue, or reviewer -> their cap, None or missing: no cap, :data:`UNCAPPED` room) less
    its open graphic tasks (``open_now``; missing: no queue yet), never below 0."""
    people = list(reviewers)
    caps = cap if isinstance(cap, Mapping) else dict.fromkeys(people, cap)
    room = {}
    for r in people:
        mine = caps.get(r)
        room[r] = UNCAPPED if mine is None else max(0, mine - open_now.get(r, 0))
    return room


def riskiest_first(pids: Iterable[str], tasks: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """``pids`` in a queue's order: ``data.priority`` of ``tasks[pid]`` highest first, then
    passage id; so a cap keeps the riskiest graphic passages and holds back the rest."""
    return sorted(pids, key=lambda p: (-float(tasks[p]["data"].get(PRIORITY_FIELD) or 0), p))


def graphic_of(tasks: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """The passage ids of ``tasks`` (passage id -> task to push) hidden as graphic."""
    return frozenset(p for p, t in tasks.items() if is_graphic_task(t["data"]))
