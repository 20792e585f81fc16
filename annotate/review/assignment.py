"""Who reviews what in a K-reviewer push: each passage to the least-loaded reviewers until
K hold it, the gold each queue gains, the room a graphic cap leaves, the push's reviewers.
Pure functions, no Label Studio call (:mod:`annotate.review.fanout` makes the push)."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from annotate.errors import InputError
from annotate.review.reviewers import (
    DEMO_EMAILS,
    did_you_mean,
)


def tiebreak(pid: str, email: str) -> str:
    """The order among equally loaded reviewers for passage ``pid``: a hash of the passage
    id and the reviewer's e-mail (the same on every run)."""
    return hashlib.sha256(f"{pid}\x00{email}".encode()).hexdigest()


def assign(
    passages: list[str],
    reviewers: list[str],
    k: int,
    holders: dict[str, set[str]],
    *,
    graphic: Collection[str] = (),
    room: dict[str, int] | None = None,
    held_back: dict[str, int] | None = None,
) -> dict[str, list[str]]:
    """Passage id -> the reviewers that must newly receive it so that K hold it.

    ``holders`` maps a passage id to the reviewers whose project already has it.
    ``room`` (``--max-graphic-per-reviewer``: :mod:`annotate.review.graphic_cap`): reviewer
    -> graphic passages their queue may still take; a passage of ``graphic`` goes only to
    reviewers with room (used up here), and ``held_back`` gets passage id -> the reviewers it
    lacks for want of room. None: no cap.
    """
    load = Counter({r: 0 for r in reviewers})
    for held in holders.values():
        load.update(r for r in held if r in load)
    todo: dict[str, list[str]] = {}
    for pid in passages:
        held = holders.get(pid, set())
        need = k - len(held)
        if need <= 0:
            continue
        free = [r for r in reviewers if r not in held]
        capped = room if room is not None and pid in graphic else None
        if capped is not None:
            fits = [r for r in free if capped.get(r, 0) > 0]
            if held_back is not None and len(fits) < min(need, len(free)):
                held_back[pid] = min(need, len(free)) - len(fits)
            free = fits
        chosen = sorted(free, key=lambda r: (load[r], tiebreak(pid, r)))[:need]
        for r in chosen:
            load[r] += 1
            if capped is not None:
                capped[r] -= 1
        todo[pid] = chosen
    return todo


def gold_wanted(regular: int, rate: float) -> int:
    """How many gold tasks a queue is to hold beside ``regular`` regular tasks: about
    ``rate / (1 - rate)`` per regular task, rounded up, at least one (more than a gold
    table holds where the table is small)."""
    wanted = round(rate * regular / (1 - rate), 9)  # 0.1 * 9 / 0.9 is 1.0000000000000002
    return max(1, math.ceil(wanted))


def gold_to_add(gold: list[str], present: Collection[str], regular: int, rate: float) -> list[str]:
    """The gold passages (of ``gold``, in the order every reviewer gets them) a reviewer's
    queue must gain to hold :func:`gold_wanted` of them (all where ``gold`` has fewer):
    ``regular`` counts the regular tasks of the largest queue of the push's reviewers
    after this push, those of earlier pushes included, so a second push into the same
    review set keeps the rate and every reviewer gets the same gold passages.
    ``present``: the passages the queue already holds."""
    return [pid for pid in gold[: gold_wanted(regular, rate)] if pid not in present]


@dataclass(frozen=True)
class GoldShare:
    """The gold a push adds (:func:`gold_share`). ``wanted``: the gold tasks a queue is to
    hold (:func:`gold_wanted`; more than the gold table has where it is small); ``adds``:
    reviewer -> the gold passages their queue gains."""

    wanted: int
    adds: dict[str, list[str]]


def gold_share(
    todo: Mapping[str, list[str]],
    people: list[str],
    projects: Mapping[str, Any],
    present: Mapping[str, set[str]],
    gold: list[str],
    rate: float,
) -> GoldShare:
    """The gold passages (:func:`gold_to_add`) each of ``people`` gains in a push that adds
    ``todo`` (passage id -> reviewers) to the queues ``projects`` (reviewer -> queue) that
    hold ``present`` (reviewer -> passage ids), reckoned on the regular tasks of the
    largest queue after the push, so each reviewer gets the same gold passages: queues
    differ by a task or more (K * passages over the reviewers; a re-run of a stopped push
    balances what is left). A reviewer without a queue who gets no passage gets none (no
    queue of gold tasks only). Without ``gold``: none, and ``wanted`` 0 (``rate`` unread)."""
    if not gold:
        return GoldShare(0, {e: [] for e in people})
    new_for = Counter(r for who in todo.values() for r in who)
    queued = {e for e in people if e in projects or new_for[e]}
    regular = max((len(present[e] - set(gold)) + new_for[e] for e in queued), default=0)
    adds = {e: gold_to_add(gold, present[e], regular, rate) if e in queued else [] for e in people}
    return GoldShare(gold_wanted(regular, rate), adds)


def within_room(add: list[str], graphic: Collection[str], room: int) -> list[str]:
    """``add`` (gold passages, in order) less the graphic ones beyond ``room``."""
    out: list[str] = []
    for pid in add:
        if pid in graphic:
            if room <= 0:
                continue
            room -= 1
        out.append(pid)
    return out


def pick_reviewers(
    accounts: list[str],
    chosen: list[str] | None,
    k: int,
    url: str,
    away: Collection[str] = (),
    leads: Collection[str] = (),
) -> tuple[list[str], list[str]]:
    """The reviewers of a push, and the demo accounts left out: every account (lower-cased
    emails, admin excluded) but the two `annotate demo` makes, those ``away`` (marked
    away in the review set by a hand-over) and the ``leads`` (`annotate reviewers add
    --lead`: :mod:`annotate.review.leads`), or those ``--reviewer`` named (demo accounts,
    away reviewers and leads too), each once however often or in whatever case it was typed.

    Raises InputError for a named email without an account, or fewer than ``k``.
    """
    demo = [e for e in accounts if e in DEMO_EMAILS]
    people = [e for e in accounts if e not in DEMO_EMAILS and e not in away and e not in leads]
    gone = [e for e in accounts if e not in DEMO_EMAILS and e in away]
    lead = [e for e in accounts if e not in DEMO_EMAILS and e not in away and e in leads]
    if chosen:
        demo = gone = lead = []
        people = list(dict.fromkeys(r.strip().lower() for r in chosen))
        unknown = [r for r in people if r not in accounts]
        if unknown:
            raise InputError(
                f"{unknown[0]} has no account on {url}, or was removed from its organization.",
                fix=f"{did_you_mean(unknown[0], accounts)}leave {unknown[0]} out of "
                f"--reviewer, or add the account: annotate reviewers add {unknown[0]}",
            )
    if len(people) < k:
        if chosen:
            raise InputError(
                f"{k} reviewers per passage need {k} different reviewers; --reviewer names "
                f"{len(people)} ({', '.join(people)}).",
                fix=f"name {k} different reviewers with --reviewer, or lower -k.",
            )
        out = [f"the demo accounts ({', '.join(demo)})"] if demo else []
        out += [f"{len(gone)} away in this review set ({', '.join(gone)})"] if gone else []
        out += [f"{len(lead)} lead(s) ({', '.join(lead)})"] if lead else []
        left = f" and {' and '.join(out)}, left out" if out else ""
        raise InputError(
            f"{k} reviewers per passage need {k} reviewer accounts; {url} has "
            f"{len(people)} besides the admin{left}.",
            fix="annotate reviewers add EMAIL (once per reviewer)"
            + ("; or name the demo accounts with --reviewer." if demo else ".")
            + (" An away reviewer named with --reviewer is back." if gone else "")
            + (" A lead named with --reviewer gets a queue too." if lead else ""),
        )
    return people, demo
