"""What `annotate review status` shows of a review set's queues at a glance: the counts per
state over every queue, the queue whose open work waits longest, and the queues with the
most open tasks (the rest counted, not listed), so that a set of many reviewers reads in a
screen; and the same as one JSON document for scripts.

Counts are as the per-queue lines count them (:func:`annotate.review.unfinished.open_counts`:
a passage an unfinished hand-over left in two queues counts once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from annotate._util.server_time import server_time, time_order
from annotate.defaults import DEFAULT_STATUS_TOP
from annotate.review.handover import QueueStatus
from annotate.review.unfinished import OpenCount

# queues listed by default; more are summed up in one line (--all lists them)
DEFAULT_TOP = DEFAULT_STATUS_TOP


@dataclass(frozen=True)
class QueueRow:
    """One reviewer queue as status shows it."""

    name: str  # e-mail and pseudonym, or the pseudonym of a removed account
    alias: str
    email: str | None  # None: the account was removed from the organization
    member: bool
    away: str | None  # when a hand-over marked them away (ISO time); None: not away
    url: str
    project_id: int
    tasks: int
    answered: int  # by the queue's reviewer
    skipped: int
    open: int  # gold and drafts among them; passages held in another queue too not counted
    gold: int
    drafts: int
    held_twice: int
    oldest_open: str | None  # when its oldest open regular task was made (ISO, UTC)
    # tasks answered only by other accounts (the admin, a lead, a colleague): not in
    # ``answered``
    answered_by_others: int = 0


@dataclass(frozen=True)
class Totals:
    """The counts per state over every queue of the set."""

    queues: int
    tasks: int
    answered: int
    skipped: int
    open: int
    gold: int
    drafts: int


@dataclass(frozen=True)
class Summary:
    """The queues `review status` lists (``shown``, most open tasks first, removed and
    away reviewers' queues with open work always among them) and those it only counts."""

    totals: Totals
    oldest: QueueRow | None  # the queue whose oldest open regular task is the oldest
    shown: list[QueueRow]
    hidden: list[QueueRow]


def queue_rows(found: Sequence[QueueStatus], opened: Mapping[int, OpenCount]) -> list[QueueRow]:
    """One :class:`QueueRow` per queue of ``found`` (in its order), with ``opened``'s
    counts (queue project id -> :class:`OpenCount`)."""
    rows = []
    for st in found:
        pid = int(st.queue.project["id"])
        c = opened[pid]
        rows.append(
            QueueRow(
                name=st.queue.name,
                alias=st.queue.alias,
                email=st.queue.email,
                member=st.member,
                away=st.queue.away,
                url=st.url,
                project_id=pid,
                tasks=st.tasks,
                answered=st.answered - st.answered_by_others,
                answered_by_others=st.answered_by_others,
                skipped=st.skipped,
                open=c.open,
                gold=c.gold,
                drafts=c.drafts,
                held_twice=c.held_twice,
                oldest_open=st.oldest_open,
            )
        )
    return rows


def totals(rows: Sequence[QueueRow]) -> Totals:
    """The sums over ``rows``."""
    return Totals(
        queues=len(rows),
        tasks=sum(r.tasks for r in rows),
        answered=sum(r.answered for r in rows),
        skipped=sum(r.skipped for r in rows),
        open=sum(r.open for r in rows),
        gold=sum(r.gold for r in rows),
        drafts=sum(r.drafts for r in rows),
    )


def oldest(rows: Sequence[QueueRow]) -> QueueRow | None:
    """The queue whose oldest open regular task is the oldest (ties: the first in
    ``rows``); None when no queue has one open."""
    waiting = [r for r in rows if r.oldest_open]
    return min(waiting, key=lambda r: time_order(r.oldest_open)) if waiting else None


def summarise(rows: Sequence[QueueRow], top: int | None = DEFAULT_TOP) -> Summary:
    """Which queues to list: every one, in ``rows``' order, when ``top`` is None or there
    are at most ``top``; else the ``top`` with the most open tasks (ties: the older oldest
    open task, then the name), most first, and besides them every queue of a removed or
    away reviewer that holds open tasks (someone must hand them on). A queue with no open
    task is never among the busiest: with nothing open, none is listed."""
    if top is None or len(rows) <= top:
        return Summary(totals(rows), oldest(rows), list(rows), [])
    ranked = sorted(rows, key=lambda r: (-r.open, time_order(r.oldest_open), r.name.casefold()))
    keep = {r.project_id for r in ranked[:top] if r.open}
    keep |= {r.project_id for r in rows if r.open and (not r.member or r.away)}
    shown = [r for r in ranked if r.project_id in keep]
    hidden = [r for r in rows if r.project_id not in keep]
    return Summary(totals(rows), oldest(rows), shown, hidden)


def age(stamp: str, now: datetime | None = None) -> str:
    """How long ago the server time ``stamp`` (ISO; no offset: UTC) was, coarsely:
    ``45 min``, ``5 h``, ``3 days``; ``stamp`` itself when it is no time."""
    when = server_time(stamp)
    if when is None:
        return stamp
    seconds = max(0.0, ((now or datetime.now(timezone.utc)) - when).total_seconds())
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} days"


def row_dict(row: QueueRow) -> dict[str, Any]:
    """A queue as the JSON status lists it."""
    return asdict(row)
