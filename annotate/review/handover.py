"""Who still has work in a review set, and handing a reviewer's open tasks to another.

A review set is one Label Studio project (queue) per reviewer (see
:mod:`annotate.review.fanout`), so a reviewer's open work is the tasks of their queue
nobody answered or skipped yet. :func:`queue_status` counts them per queue (one listing
of each queue's tasks; one more, of the tasks holding a draft, when some are open), and
says whether the reviewer's account is still a member.

:func:`reassign` moves the open tasks of one queue into another reviewer's queue (made
if they have none): each is imported there with its data, its meta (a gold task stays
gold) and its pre-annotations, plus a provenance record in its meta
(``annotate_handover``: from which reviewer, queue and task, when), then deleted from
the first queue. Blindness holds: a passage the new reviewer already holds (answered or
not) stays where it is and is reported (with up to three reviewers who hold none of
them, to hand them to), so nobody answers the same passage twice and K stays K. Answered
and skipped tasks never move: they are the departed reviewer's record and count in
export and agreement. A task answered while the move ran stays with its reviewer (its
copy is deleted again). Re-running after an interruption finishes the move (a copy
already made is recognised by its provenance record); a copy and its original that were
both answered before it are left as they are and reported (each answer counts: the
passage has K+1). An open task holding a draft (an answer started, not submitted: its
reviewer may be mid-answer) stays too, unless the caller discards drafts: moving deletes
the task with its drafts, and a draft cannot be handed on (Label Studio shows it to its
author only). The source reviewer is marked away in the review set (see
:func:`annotate.review.queues.set_away`): a later push that names no ``--reviewer``
gives them no new passages; unless the caller says they are not away (a lead rebalancing
the work of a reviewer still at it), which also clears an earlier hand-over's mark.
Gold moves only along with passages short of an answer; the open gold tasks of a
reviewer the hand-over leaves away with no open regular task are deleted (nobody would
answer them, and they would keep the round open: adjudicate refuses, export says the
review is under way).
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from annotate._util.progress import StageFn, advance, finish, stage
from annotate._util.server_time import earliest
from annotate.errors import InputError, StudioError
from annotate.review.collect import ADJUDICATION_SUFFIX
from annotate.review.gold import ALSO_REGULAR, GOLD_META_KEY, gold_key
from annotate.review.late_copies import drop_extra_copies
from annotate.review.leads import leads_of
from annotate.review.queue_tasks import check_import_answer, create_queue
from annotate.review.queues import (
    Queue,
    find_queues,
    migrate,
    recorded_k,
    set_away,
    unknown_salt_error,
)
from annotate.review.reviewer_rule import for_reviewer, reviewer_taxonomy
from annotate.review.reviewers import (
    DEMO_EMAILS,
    EMAIL_RE,
    did_you_mean,
    find_user,
    list_reviewers,
    signed_up_elsewhere,
)
from annotate.review.unfinished import HANDOVER_META_KEY, HandoverCopy, handover_copy
from annotate.review.view import order_queue_tab, without_scores
from annotate.studio.answer_guard import stale_tasks
from annotate.studio.client import StudioClient
from annotate.studio.drafts import tasks_with_drafts
from annotate.studio.guarded_delete import delete_open_tasks
from annotate.studio.lock import DEFAULT_WAIT_S, project_lock
from annotate.studio.projects import LIST_FIELDS, review_set_of
from annotate.studio.push import import_retrying
from annotate.studio.tasks import PASSAGE_ID_FIELD, PRIORITY_FIELD
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

STATUS_FIELDS = "id,data,meta,total_annotations,cancelled_annotations,created_at"


@dataclass(frozen=True)
class QueueStatus:
    """The work of one reviewer queue."""

    queue: Queue
    url: str
    tasks: int
    answered: int  # tasks with an answer of the reviewer
    skipped: int  # tasks the reviewer skipped (and did not answer)
    open: int  # neither answered nor skipped
    open_gold: int  # of ``open``, gold tasks
    open_drafts: int = 0  # of ``open``, tasks holding a draft (started, not submitted)
    # regular (not gold) passages of the queue, and those the reviewer answered
    passages: frozenset[str] = frozenset()
    answered_passages: frozenset[str] = frozenset()
    # regular passages of the queue with an open task (neither answered nor skipped)
    open_passages: frozenset[str] = frozenset()
    # gold passages that came in regular pre-labels too (a push skipped them)
    gold_also_regular: frozenset[str] = frozenset()
    # the queue's task ids, and those open: what an interrupted hand-over is told by
    # (:mod:`annotate.review.unfinished`)
    task_ids: frozenset[int] = frozenset()
    open_ids: frozenset[int] = frozenset()
    # the queue's tasks with an answer, and its open tasks holding a draft
    answered_ids: frozenset[int] = frozenset()
    draft_ids: frozenset[int] = frozenset()
    # its tasks that a hand-over copied from another queue
    handover_copies: tuple[HandoverCopy, ...] = ()
    # when its oldest open regular (not gold) task was made (the server's ISO time, UTC);
    # None: none open
    oldest_open: str | None = None
    # of ``answered``: tasks answered only by other accounts than the queue's reviewer
    # (the admin, a lead, a colleague who opened the queue; the reviewer neither answered
    # nor skipped them); 0 where the reviewer's account is not known
    answered_by_others: int = 0
    # the regular passages of those tasks: their answer is not the queue reviewer's, so it
    # does not count toward the passage's K (as export counts: passM55 #3)
    answered_by_others_passages: frozenset[str] = frozenset()

    @property
    def member(self) -> bool:
        """The reviewer's account is still in the organization."""
        return self.queue.email is not None


def _is_open(task: dict[str, Any]) -> bool:
    return not int(task.get("total_annotations") or 0) and not int(
        task.get("cancelled_annotations") or 0
    )


def _kept_for_a_draft(
    client: StudioClient, project_id: int, left: dict[int, dict[str, Any]], kept: list[int]
) -> set[int]:
    """Those of ``kept`` (tasks of ``project_id`` a guarded deletion of open tasks left:
    each in ``left``, the listing after it) that it kept for a draft, not for an answer
    or skip: open by their stored counters and holding no answer the counters miss. A
    server whose counters lost their signals keeps them at 0 for an answer made since,
    so such a task looked open, and its answer was reported as a draft (reader57b #7);
    its answers are read themselves (:func:`annotate.studio.answer_guard.stale_tasks`,
    one listing, only when a kept task looks open). Raises StudioError as it does."""
    looks_open = [tid for tid in kept if _is_open(left[tid])]
    if not looks_open:
        return set()
    return set(looks_open) - set(stale_tasks(client, project_id, looks_open))


def review_queues(client: StudioClient, project: str, salt: str) -> list[Queue]:
    """The queues of review set ``project``; InputError when it has none, or when it was
    pushed with another pseudonym salt (its reviewers would all look removed, and a
    hand-over would give a reviewer a second queue: passages they already hold)."""
    queues = find_queues(client, project, salt)
    if not queues:
        raise _not_a_review_set(client, project)
    error = unknown_salt_error(queues, project)
    if error is not None:
        raise error
    return queues


def _not_a_review_set(client: StudioClient, project: str) -> InputError:
    """What ``project`` is instead of a review set, and the review sets of a near name."""
    projects = client.list_projects(include=LIST_FIELDS)
    sets = sorted({name for p in projects if (name := review_set_of(p)) is not None})
    same = [p for p in projects if str(p.get("title")) == project]
    if same and (name := review_set_of(same[0])) is not None:
        return InputError(
            f"{project!r} is one reviewer's queue of the review set {name!r}.",
            fix=f"pass --project {name!r}.",
        )
    base = project.removesuffix(ADJUDICATION_SUFFIX)
    if same and base != project and base in sets:
        return InputError(
            f"{project!r} is the lead's adjudication project of the review set {base!r}.",
            fix=f"pass --project {base!r}.",
        )
    parts = sorted(
        (str(p.get("title")) for p in projects if _numbered_part(project, str(p.get("title")))),
        key=lambda t: int(t.rsplit("#", 1)[1]),
    )
    if same or parts:
        what = (
            f"a project split over {len(same) + len(parts)} numbered parts "
            f"({', '.join(repr(t) for t in [*(project,) * bool(same), *parts][:3])}"
            f"{', ...' if len(same) + len(parts) > 3 else ''}),"
            if parts
            else "a project"
        )
        return InputError(
            f"{project!r} is {what} pushed without --reviewers-per-task: every reviewer "
            "answers in the same tasks, so it has no reviewer queues to hand over.",
            fix="pass the name of a review set (`annotate push -k K` made it); `annotate "
            f"review status --project {base!r}` shows this project's open work (and the "
            "lead's).",
        )
    near = difflib.get_close_matches(project, sets, n=3, cutoff=0.6)
    return InputError(
        f"{project!r} is not a review set: no reviewer queue of that name at {client.url}.",
        fix=_names_fix(near, sets, "annotate push PRELABELS --project NAME -k K"),
    )


def _names_fix(near: list[str], names: list[str], push: str) -> str:
    """The fix of an unknown name: the ``near`` names, else up to five of ``names``, else
    the ``push`` command that makes one."""
    if near:
        return f"did you mean {' or '.join(repr(n) for n in near[:3])}?"
    if names:
        more = f" (and {len(names) - 5} more)" if len(names) > 5 else ""
        return f"pass one of {', '.join(repr(n) for n in names[:5])}{more}."
    return f"push one first: {push}."


def unknown_name_error(client: StudioClient, project: str) -> InputError | None:
    """`review status`'s error for a ``project`` that names nothing it reads: neither a
    review set nor a project (numbered parts, a queue and the lead's project included),
    with the closest names of both kinds (the review-set error offered review sets only,
    so a typo of a plain project's name got another review set as its fix). None when
    something has that name (its own error, e.g. a queue's, says what to pass)."""
    projects = client.list_projects(include=LIST_FIELDS)
    titles = {str(p.get("title")) for p in projects}
    sets = {name for p in projects if (name := review_set_of(p)) is not None}
    plain = set()
    for p in projects:
        title = str(p.get("title"))
        if review_set_of(p) is None and not title.endswith(ADJUDICATION_SUFFIX):
            head, sep, number = title.rpartition(" #")
            plain.add(head if sep and number.isdigit() else title)
    if project in titles or project in sets or project in plain:
        return None
    names = sorted(sets | plain)
    near = difflib.get_close_matches(project, names, n=3, cutoff=0.6)
    base = project.removesuffix(ADJUDICATION_SUFFIX)  # a lead's project not made yet
    near += [n for n in names if n.casefold() == base.casefold() and n not in near]
    return InputError(
        f"{project!r} is neither a review set nor a project at {client.url}.",
        fix=_names_fix(near, names, "annotate push PRELABELS --project NAME"),
    )


def _numbered_part(project: str, title: str) -> bool:
    """``title`` is ``PROJECT #N``: a part of a push split over numbered projects."""
    head, sep, number = title.rpartition(" #")
    return bool(sep) and head == project and number.isdigit() and not number.startswith("0")


def queue_status(
    client: StudioClient, project: str, salt: str, *, progress: StageFn | None = None
) -> list[QueueStatus]:
    """Tasks, answered, skipped and open tasks of every queue of review set ``project``,
    and how many open ones hold a draft (an answer started and not submitted: Label
    Studio keeps it per user, and the task counts neither as answered nor as skipped).
    ``progress`` (:func:`annotate._util.progress.stage`): the stage ``queues`` counts the
    tasks read (a few hundred a second from a local server: minutes for a large set)."""
    out: list[QueueStatus] = []
    reading = stage(progress, "queues", unit="task")
    for queue in review_queues(client, project, salt):
        pid = int(queue.project["id"])
        tasks = []
        for task in client.iter_tasks(pid, include=STATUS_FIELDS):
            tasks.append(task)
            advance(reading, 1)
        open_tasks = [t for t in tasks if _is_open(t)]
        drafted = tasks_with_drafts(client, pid) if open_tasks else set()
        answered = sum(1 for t in tasks if int(t.get("total_annotations") or 0))
        others = (
            answered_by_others(client, pid, queue.user_id)
            if answered and queue.user_id is not None
            else 0
        )
        out.append(
            QueueStatus(
                queue=queue,
                url=f"{client.url}/projects/{pid}/data",
                tasks=len(tasks),
                answered=answered,
                answered_by_others=others,
                answered_by_others_passages=(
                    passages_answered_by_others(client, pid, queue.user_id)
                    if others and queue.user_id is not None
                    else frozenset()
                ),
                skipped=sum(
                    1
                    for t in tasks
                    if not int(t.get("total_annotations") or 0)
                    and int(t.get("cancelled_annotations") or 0)
                ),
                open=len(open_tasks),
                open_gold=sum(1 for t in open_tasks if GOLD_META_KEY in (t.get("meta") or {})),
                open_drafts=sum(1 for t in open_tasks if int(t["id"]) in drafted),
                passages=frozenset(_passage(t) for t in tasks if _regular(t)),
                answered_passages=frozenset(
                    _passage(t)
                    for t in tasks
                    if _regular(t) and int(t.get("total_annotations") or 0)
                ),
                open_passages=frozenset(_passage(t) for t in open_tasks if _regular(t)),
                gold_also_regular=frozenset(
                    _passage(t) for t in tasks if (gold_key(t) or {}).get(ALSO_REGULAR)
                ),
                task_ids=frozenset(int(t["id"]) for t in tasks),
                open_ids=frozenset(int(t["id"]) for t in open_tasks),
                answered_ids=frozenset(
                    int(t["id"]) for t in tasks if int(t.get("total_annotations") or 0)
                ),
                draft_ids=frozenset(int(t["id"]) for t in open_tasks) & drafted,
                handover_copies=tuple(
                    c for t in tasks if (c := handover_copy(t, _passage(t), _is_open(t)))
                ),
                oldest_open=earliest(  # as times: the server's stamps vary in form
                    str(t["created_at"]) for t in open_tasks if _regular(t) and t.get("created_at")
                ),
            )
        )
    finish(reading)
    return sorted(out, key=lambda s: (not s.member, s.queue.name))


def _not_theirs(user_id: int) -> dict[str, Any]:
    """The Data Manager filter of the tasks whose annotations (skips included) are all by
    other accounts than ``user_id``."""
    return {
        "filter": "filter:tasks:annotators",
        "operator": "not_contains",
        "type": "List",
        "value": int(user_id),
    }


def passages_answered_by_others(
    client: StudioClient, project_id: int, user_id: int
) -> frozenset[str]:
    """The regular passages of the answered tasks of project ``project_id`` that account
    ``user_id`` neither answered nor skipped (:func:`answered_by_others` lists them): in a
    reviewer's queue, passages answered there only by another account."""
    return frozenset(
        _passage(t)
        for t in client.iter_answered_tasks(
            project_id, [_not_theirs(user_id)], include="id,data,meta"
        )
        if _regular(t)
    )


def answered_by_others(client: StudioClient, project_id: int, user_id: int) -> int:
    """The answered tasks of project ``project_id`` that account ``user_id`` neither
    answered nor skipped (one small Data Manager request: its ``annotators`` filter, the
    authors of a task's annotations, skips included): in a reviewer's queue, answers by
    another account. Raises what :meth:`StudioClient.count_answered_tasks` raises."""
    return client.count_answered_tasks(project_id, [_not_theirs(user_id)])


def _risk_order(task: dict[str, Any]) -> tuple[float, str]:
    """The order a push imports tasks in: by ``data.priority``, riskiest first (a task
    without one last), then by passage id."""
    value = (task.get("data") or {}).get(PRIORITY_FIELD)
    try:
        priority = float(value)
    except (TypeError, ValueError):
        priority = float("-inf")
    return (-priority, _passage(task))


def _passage(task: dict[str, Any]) -> str:
    return str((task.get("data") or {}).get(PASSAGE_ID_FIELD))


def _regular(task: dict[str, Any]) -> bool:
    return GOLD_META_KEY not in (task.get("meta") or {})


@dataclass(frozen=True)
class ShortOfK:
    """A review set's passages measured against its K (reviewers per passage)."""

    k: int | None  # None: not recorded (pushed before annotate recorded it)
    passages: int  # regular passages in the review set
    # passages with fewer than K answers by their queues' own reviewers (an answer made in
    # a queue by another account does not count: export counts alike, passM55 #3)
    short: int
    # of ``short``, passages in fewer than K queues: tasks never made (held back by
    # push --max-graphic-per-reviewer, or a push to fewer than K reviewers)
    unqueued: int = 0
    # of ``short``, passages in K queues or more with no task open and no answer by
    # another account: a reviewer skipped theirs, and a skipped task keeps its reviewer's
    # place (no push gives the passage another reviewer; a hand-over moves open tasks only)
    skipped: int = 0
    # of ``short``, passages in K queues or more with no task open, answered in a queue by
    # another account than its reviewer (export's answered_twice_by_one_account and
    # answered_by_another_account): not skipped, though no task is open (s56 left #5)
    by_others: int = 0


def short_of_k(found: list[QueueStatus]) -> ShortOfK:
    """How many passages of a review set have fewer answers than its recorded K, and how
    many of those fewer than K queues hold."""
    k = recorded_k([st.queue.project for st in found])
    answers: dict[str, int] = {}
    queues: dict[str, int] = {}
    for st in found:
        for pid in st.passages:
            own = pid in st.answered_passages and pid not in st.answered_by_others_passages
            answers[pid] = answers.get(pid, 0) + own
            queues[pid] = queues.get(pid, 0) + 1
    if k is None:
        return ShortOfK(k, len(answers), 0)
    short = [pid for pid, n in answers.items() if n < k]
    opened = frozenset().union(*(st.open_passages for st in found))
    by_others = frozenset().union(*(st.answered_by_others_passages for st in found))
    # in K queues or more, none open: answered by another account, else skipped (export's
    # order: open, then another account's answer, then a skip); an answer by another
    # account was counted as a skip too (s56 left #5)
    closed = [pid for pid in short if queues[pid] >= k and pid not in opened]
    return ShortOfK(
        k,
        len(answers),
        len(short),
        sum(1 for pid in short if queues[pid] < k),
        sum(1 for pid in closed if pid not in by_others),
        sum(1 for pid in closed if pid in by_others),
    )


@dataclass
class Handover:
    """What :func:`reassign` did."""

    source: Queue
    target: Queue
    target_url: str | None  # None: nothing moved and the target has no queue
    created_queue: bool = False  # the target had no queue in the review set
    moved: list[str] = field(default_factory=list)  # passages now in the target's queue
    gold_moved: int = 0
    # open passages the target already holds: left in the source queue (blindness)
    already_held: list[str] = field(default_factory=list)
    # answered while the move ran: left with their reviewer
    answered_meanwhile: list[str] = field(default_factory=list)
    # open gold tasks left in the source queue: the target holds them already, or no
    # passage short of an answer moved with them (gold checks a reviewer; no gold-only queue)
    gold_kept: list[str] = field(default_factory=list)
    # those of ``gold_kept`` left because the target holds the same gold passage (every
    # queue of a review set gets the same gold; nobody answers a passage twice)
    gold_held: list[str] = field(default_factory=list)
    # open gold tasks deleted from the source queue: its reviewer is away (or gone) and holds
    # no open regular task, so nobody would answer them and, left there, they would hold the
    # round open for good (adjudicate refuses, every export says the review is under way)
    gold_removed: list[str] = field(default_factory=list)
    # open tasks holding a draft (an answer the former reviewer started and did not
    # submit): left with them unless ``discard_drafts``; moving deletes the draft. A
    # passage the target holds is in ``already_held`` (or ``gold_kept``) too
    with_draft: list[str] = field(default_factory=list)
    drafts_discarded: int = 0
    # the source reviewer was marked away by this hand-over (a member, not already away):
    # later pushes into the review set that name no --reviewer leave them out
    marked_away: bool = False
    # ``not_away``: an earlier hand-over's away mark of the source reviewer was cleared
    away_cleared: bool = False
    # the target was away in the review set since then (an ISO time): no more, as they
    # took tasks; None: they were not, or took none (then they stay away)
    target_was_away: str | None = None
    # tasks of the source queue answered or skipped before the hand-over: theirs, kept
    source_closed: int = 0
    # regular passages an earlier, interrupted run copied whose copy and original were
    # both answered: left as they are (each answer counts: one more than K)
    answered_twice: list[str] = field(default_factory=list)
    # the --max-graphic-per-reviewer cap of the set's latest push made on this machine
    # (None: none, or not recorded: :func:`annotate.review.held_back.recorded_cap`), and
    # the target's open graphic tasks after the move (None: not counted, no cap or none moved)
    graphic_cap: int | None = None
    # the cap is the target's own (labels.yaml wellbeing.reviewers.EMAIL.max_graphic),
    # stricter than the set's
    own_graphic_cap: bool = False
    target_open_graphic: int | None = None
    # with ``already_held``: up to three member reviewers (no demo account, none away in
    # the review set) who hold none of those passages, reviewers without a queue first
    free_reviewers: list[str] = field(default_factory=list)
    # the target is marked lead (`annotate reviewers add --lead`): the tasks handed to them
    # make them a reviewer of those passages, which they would then adjudicate (lead59 #5)
    target_is_lead: bool = False

    @property
    def nothing_open(self) -> bool:
        """The source reviewer had no open task to hand on (all answered or skipped)."""
        return not (
            self.moved
            or self.already_held
            or self.with_draft
            or self.gold_kept
            or self.gold_removed
            or self.answered_meanwhile
            or self.drafts_discarded
        )


def _by_id(tasks: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {int(t["id"]): t for t in tasks}


def _copied_from(task: dict[str, Any], source_project: int) -> int | None:
    """The id of the task of ``source_project`` that ``task`` is a hand-over copy of."""
    record = (task.get("meta") or {}).get(HANDOVER_META_KEY) or {}
    if record.get("from_project") != source_project:
        return None
    return int(record["from_task"]) if record.get("from_task") is not None else None


def _copy_origin(task: dict[str, Any]) -> tuple[int, int] | None:
    """(project, task) ``task`` is a hand-over copy of; None: no copy."""
    record = (task.get("meta") or {}).get(HANDOVER_META_KEY) or {}
    if record.get("from_project") is None or record.get("from_task") is None:
        return None
    return int(record["from_project"]), int(record["from_task"])


def _free_reviewers(
    client: StudioClient,
    queues: list[Queue],
    members: set[str],
    taken_by: set[str],
    passages: list[str],
    most: int = 3,
    leads: frozenset[str] = frozenset(),
) -> list[str]:
    """Up to ``most`` e-mails of ``members`` (not in ``taken_by``, no demo account, no
    account of ``leads``, the lower-cased e-mails marked lead: a lead adjudicates and gets
    no queue; not away in the review set of ``queues``) whose queue holds none of
    ``passages``: the reviewers they can be handed to. Members without a queue come
    first (they hold nothing: no listing); then one task listing per queue until ``most``
    are found."""
    by_email = {q.email.lower(): q for q in queues if q.email}
    people = sorted(
        m for m in members if m not in taken_by and m not in DEMO_EMAILS and m not in leads
    )
    out = [m for m in people if m not in by_email][:most]
    wanted = set(passages)
    for email in people:
        queue = by_email.get(email)
        if len(out) >= most or queue is None or queue.away is not None:
            continue
        tasks = client.iter_tasks(int(queue.project["id"]), include="id,data")
        if not wanted & {_passage(t) for t in tasks}:
            out.append(email)
    return out


def _identified(client: StudioClient, queue: Queue, salt: str) -> Queue:
    """A queue made before pseudonyms whose reviewer left (known by e-mail only: Label
    Studio blanks a removed member's e-mail) with its reviewer's pseudonym, read from the
    author of an answer or skip in it; as it is when it holds none."""
    pid = int(queue.project["id"])
    for task in client.iter_tasks(pid, include=STATUS_FIELDS):
        if _is_open(task):
            continue
        for ann in client._get(f"api/tasks/{task['id']}/annotations/", "reading answers"):
            who = ann.get("completed_by")
            if isinstance(who, dict):
                who = who.get("id")
            if who is not None:
                from annotate.corpus.resolve import pseudonym

                uid = int(who)
                return Queue(pseudonym(uid, salt), None, uid, queue.project, legacy=True)
    return queue


def _check_no_unfinished_move(
    client: StudioClient,
    project: str,
    src: Queue,
    dest: Queue | None,
    queues: list[Queue],
    open_tasks: list[dict[str, Any]],
) -> None:
    """InputError when an interrupted hand-over of ``src``'s open tasks to a third
    reviewer left copies in their queue: moving the same tasks to ``dest`` too would give
    those passages K+1 holders."""
    src_id = int(src.project["id"])
    open_ids = {int(t["id"]) for t in open_tasks}
    skip = {src_id} | ({int(dest.project["id"])} if dest is not None else set())
    for queue in queues:
        if not open_ids or int(queue.project["id"]) in skip:
            continue
        copies = [
            t
            for t in client.iter_tasks(int(queue.project["id"]), include="id,meta")
            if _copied_from(t, src_id) in open_ids
        ]
        if copies:
            to = queue.email or "EMAIL"
            raise InputError(
                f"an earlier hand-over of {src.name}'s open tasks to {queue.name} was "
                f"interrupted: {len(copies)} are copied there and still open in {src.name}'s "
                "queue; moving them to another reviewer too would give them K+1 reviewers.",
                fix=f"finish that one first: annotate review reassign --project {project!r} "
                f"--from {src.alias} --to {to}",
            )


def _unknown_source(
    client: StudioClient, project: str, source: str, queues: list[Queue]
) -> InputError:
    """The error for a ``--from`` that names no queue of the review set: the e-mail of an
    account removed from the organization (Label Studio blanks it, so its queue is known
    by pseudonym only: the queues of removed accounts are named), a typo of a queue's
    e-mail (the one meant), or neither (every queue)."""
    wanted = source.strip().lower()
    removed = [q.alias for q in queues if q.email is None]
    if removed and EMAIL_RE.match(wanted) and signed_up_elsewhere(client, wanted):
        return InputError(
            f"--from {source}: that account was removed from the organization, and Label "
            "Studio blanks a removed member's e-mail, so its queue is known by pseudonym only "
            f"(queues of removed accounts in {project!r}: {', '.join(removed)}).",
            fix="pass --from r-… (`annotate reviewers remove` printed it; `annotate review "
            f"status --project {project!r}` shows each queue's work).",
        )
    known = ", ".join(q.name for q in queues)
    emails = [q.email for q in queues if q.email]
    return InputError(
        f"--from {source}: no queue of that reviewer in review set {project!r} (its "
        f"queues: {known}).",
        fix=f"{did_you_mean(wanted, emails)}name the reviewer by e-mail, or by pseudonym r-… "
        f"when the account was removed (`annotate review status --project {project!r}` "
        "lists them).",
    )


def _pick(queues: list[Queue], who: str) -> Queue | None:
    wanted = who.strip().lower()
    return next((q for q in queues if wanted in {q.alias.lower(), (q.email or "").lower()}), None)


def _predictions(client: StudioClient, project_id: int) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for pred in client._get("api/predictions/", "listing predictions", project=project_id):
        # a queue pushed before predictions went without scores holds them: the copy
        # a reviewer gets does not (annotate.review.view.without_scores)
        out.setdefault(int(pred["task"]), []).append(
            without_scores(
                {k: pred[k] for k in ("model_version", "result") if pred.get(k) is not None}
            )
        )
    return out


def reassign(
    client: StudioClient,
    project: str,
    source: str,
    target: str,
    tax: Taxonomy,
    *,
    salt: str,
    batch_size: int = 500,
    discard_drafts: bool = False,
    not_away: bool = False,
    allow_over_graphic_cap: bool = False,
    lock_wait_s: float = DEFAULT_WAIT_S,
    before_write: Callable[[], None] | None = None,
) -> Handover:
    """Move the open tasks of ``source``'s queue (an e-mail, or a pseudonym ``r-…`` for a
    reviewer removed from the organization) into ``target``'s queue (an e-mail of a
    member; their queue is made when they have none). See the module docstring.

    An open task holding a draft (an answer started and not submitted: the reviewer may
    be mid-answer) stays where it is and is reported, unless ``discard_drafts``: moving a
    task deletes it with its drafts, and a draft cannot be handed on (it is its author's,
    shown to nobody else).

    The source reviewer (a member) is marked away in the review set, unless ``not_away``:
    then they are not, and an earlier hand-over's mark is cleared (they are at work: later
    pushes that name no ``--reviewer`` give them passages). ``result.source.away`` is
    their mark afterwards.

    Gold moves only along with passages short of an answer. Once the hand-over leaves a
    reviewer who is not ``not_away`` (away, or removed) with open gold tasks alone, those
    are deleted (``result.gold_removed``; one holding a draft stays unless
    ``discard_drafts``): nobody would answer them, and open tasks keep the round open for
    good (adjudicate refuses, export says the review is under way). A later push naming the
    reviewer gives them gold again.

    A hand-over holds the review set's push lock (:func:`annotate.studio.lock.project_lock`,
    waiting up to ``lock_wait_s`` seconds): two at once, or one beside a push, made the
    reviewer handed to two queues (each found none and made one), which export, push and
    status then refuse.

    In a review set pushed with ``--max-graphic-per-reviewer N`` (as this machine recorded
    it: :func:`annotate.review.held_back.recorded_cap`), a hand-over that would leave the
    target with more than N open graphic tasks is refused before anything changes
    (:func:`graphic_cap_error`), unless ``allow_over_graphic_cap``: the cap is a wellbeing
    limit the lead set, and a hand-over moves every open task, graphic or not.

    ``before_write``: called once the reviewers are known, before the first change on
    the server (the CLI stores the pseudonym salt there: a refused run leaves none).

    Raises InputError for an unknown reviewer, a target without an account, the same
    reviewer twice, or a target the move would put above the graphic cap; StudioError
    when the lock is still held after ``lock_wait_s``.
    """
    with project_lock(client.url, project, wait_s=lock_wait_s, what="annotate review reassign"):
        return _reassign(
            client,
            project,
            source,
            target,
            tax,
            salt=salt,
            batch_size=batch_size,
            discard_drafts=discard_drafts,
            not_away=not_away,
            allow_over_graphic_cap=allow_over_graphic_cap,
            before_write=before_write,
        )


def _reassign(
    client: StudioClient,
    project: str,
    source: str,
    target: str,
    tax: Taxonomy,
    *,
    salt: str,
    batch_size: int,
    discard_drafts: bool,
    not_away: bool,
    allow_over_graphic_cap: bool = False,
    before_write: Callable[[], None] | None = None,
) -> Handover:
    queues = review_queues(client, project, salt)
    src = _pick(queues, source)
    if src is None:
        raise _unknown_source(client, project, source, queues)
    members = {str(u["email"]).lower() for u in list_reviewers(client)}
    dest_email = target.strip().lower()
    if dest_email not in members:
        if not EMAIL_RE.match(dest_email):
            raise InputError(
                f"--to {target!r} is not an e-mail address.",
                fix="pass the e-mail of the reviewer who takes the tasks (`annotate reviewers "
                "list` lists them).",
            )
        if find_user(client, dest_email) is not None:  # the admin: no reviewer
            raise InputError(
                f"--to {target}: that is the admin account annotate works with, not a reviewer "
                "account.",
                fix="pass a reviewer's e-mail (`annotate reviewers list`), or add one: "
                "annotate reviewers add EMAIL",
            )
        if signed_up_elsewhere(client, dest_email):  # removed from the organization
            raise InputError(
                f"--to {target}: that account is no member of the organization on {client.url} "
                "(it was removed from it, or belongs to another), so it cannot take tasks; "
                "Label Studio does not sign the same e-mail up again.",
                fix="pass the e-mail of a member (`annotate reviewers list`), or add the "
                "reviewer under another e-mail: annotate reviewers add EMAIL",
            )
        raise InputError(
            f"--to {target}: no reviewer account of that e-mail on {client.url}.",
            fix=f"{did_you_mean(dest_email, sorted(members))}add it first: "
            f"annotate reviewers add {dest_email}",
        )
    if dest_email == (src.email or ""):
        raise InputError(
            f"--from and --to name the same reviewer ({dest_email}).",
            fix="hand the tasks to another reviewer.",
        )
    if before_write is not None:  # queues named by e-mail are renamed next
        before_write()
    taken = {str(p.get("title")) for p in client.list_projects(include=LIST_FIELDS)}
    if src.legacy and src.user_id is None:  # named by the e-mail of a removed account
        src = _identified(client, src, salt)
    src = migrate(client, src, project, taken)  # a queue named by e-mail: by pseudonym
    dest = next((q for q in queues if q.email == dest_email), None)
    src_id = int(src.project["id"])
    held: dict[str, dict[str, Any]] = {}  # passage -> the target's task
    if dest is not None:
        dest = migrate(client, dest, project, taken)
        dest_pk = int(dest.project["id"])
        dest_tasks = list(client.iter_tasks(dest_pk, include=STATUS_FIELDS))
        # a copy an earlier run's lost request made after it was sent again: it goes
        made_twice = drop_extra_copies(
            client, dest_pk, dest_tasks, _copy_origin, lambda: tasks_with_drafts(client, dest_pk)
        )
        for task in dest_tasks:
            if int(task["id"]) not in made_twice:
                held[str((task.get("data") or {}).get(PASSAGE_ID_FIELD))] = task
    src_tasks = list(client.iter_tasks(src_id, include=STATUS_FIELDS))
    open_tasks = [t for t in src_tasks if _is_open(t)]
    _check_no_unfinished_move(client, project, src, dest, queues, open_tasks)
    # the reviewer is away (on leave, or gone): later pushes without --reviewer leave them
    # out; not so when the lead says they are still at work (--not-away)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    member = src.email is not None and not src.legacy
    marked_away = member and src.away is None and not not_away
    away_cleared = member and src.away is not None and not_away
    closed = {int(t["id"]) for t in src_tasks if not _is_open(t)}
    to_copy: list[dict[str, Any]] = []  # source tasks to copy into the target's queue
    done_before: dict[int, str] = {}  # source task id -> passage, copied by an earlier run
    already_held: list[str] = []  # open regular passages the target holds (blindness)
    gold_kept: list[str] = []  # open gold tasks left in the source queue
    gold_held: list[str] = []  # those of them the target holds
    drafted = tasks_with_drafts(client, src_id) if open_tasks else set()
    with_draft: list[str] = []  # open tasks holding a draft, left where they are
    stale_copies: list[int] = []  # copies of those an interrupted run made
    for task in sorted(open_tasks, key=lambda t: int(t["id"])):
        pid = str((task.get("data") or {}).get(PASSAGE_ID_FIELD))
        mine = held.get(pid)
        draft = int(task["id"]) in drafted and not discard_drafts
        if draft and (mine is None or _copied_from(mine, src_id) == int(task["id"])):
            with_draft.append(pid)
            if mine is not None:  # an earlier, interrupted run's copy: it goes
                stale_copies.append(int(mine["id"]))
        elif mine is None:
            to_copy.append(task)
        elif _copied_from(mine, src_id) == int(task["id"]):
            done_before[int(task["id"])] = pid  # copied, not yet deleted here
        else:
            # the target holds it; a draft on it keeps it with its reviewer all the same
            # (said too: handed to someone else, it would stay for the draft)
            if GOLD_META_KEY in (task.get("meta") or {}):
                gold_kept.append(pid)
                gold_held.append(pid)
            else:
                already_held.append(pid)
            if draft:
                with_draft.append(pid)
    regular = [t for t in to_copy if GOLD_META_KEY not in (t.get("meta") or {})]
    by_id = _by_id(open_tasks)
    if not regular and not any(
        GOLD_META_KEY not in (by_id[t].get("meta") or {}) for t in done_before
    ):
        # gold is a check on a reviewer, not a passage short of an answer: it moves only
        # with passages that do, so no queue of gold tasks alone (nor an empty one)
        gold_kept += [str(t["data"].get(PASSAGE_ID_FIELD)) for t in to_copy]
        to_copy = []
    if not allow_over_graphic_cap:  # refused before anything changes
        _check_graphic_room(
            client, project, queues, members, src, dest_email, held, to_copy, not_away, tax=tax
        )
    # marked whether or not a task moves: a reviewer who finished their work before
    # leaving is away all the same (the CLI says so when nothing moved)
    if src.email is not None:
        src = set_away(client, src, project, None if not_away else now)
    src_proj = client.get_project(src_id)
    created = dest is None and bool(to_copy)
    if dest is None:
        from annotate.corpus.resolve import pseudonym

        user = find_user(client, dest_email) or {}
        alias = pseudonym(int(user["id"]), salt)
        proj: dict[str, Any] = {}
        if created:
            proj = create_queue(
                client,
                project,
                alias,
                str(src_proj["label_config"]),
                str(src_proj.get("model_version") or ""),
                tax,
                taken,
                recorded_k([q.project for q in queues]),
            )
        dest = Queue(alias, dest_email, int(user["id"]), proj)
    dest_id = int(dest.project["id"]) if dest.project else None
    leads = frozenset(leads_of(client))  # accounts marked lead on this machine
    result = Handover(
        src,
        dest,
        f"{client.url}/projects/{dest_id}/data" if dest_id is not None else None,
        created_queue=created,
        already_held=already_held,
        gold_kept=gold_kept,
        gold_held=gold_held,
        with_draft=with_draft,
        marked_away=marked_away,
        away_cleared=away_cleared,
        source_closed=len(closed),
        target_is_lead=dest_email in leads,
    )
    if stale_copies:
        client.delete_tasks(stale_copies, project_id=dest_id)
    # copies an earlier, interrupted run made of tasks answered or skipped since: they
    # stay with their reviewer, so the copy goes (unless it was answered too)
    answered_copies: list[int] = []
    src_by_id = _by_id(src_tasks)
    for pid, mine in held.items():
        if (original := _copied_from(mine, src_id)) in closed:
            if _is_open(mine):
                answered_copies.append(int(mine["id"]))
                result.answered_meanwhile.append(pid)
            elif (
                _regular(mine)
                and int(mine.get("total_annotations") or 0)
                and int(src_by_id[original].get("total_annotations") or 0)
            ):
                log.warning("%s: answered in both %s's and %s's queue", pid, src.alias, dest.alias)
                result.answered_twice.append(pid)
    result.answered_twice.sort()
    if already_held:
        result.free_reviewers = _free_reviewers(
            client,
            queues,
            members,
            {src.email or "", dest_email},
            already_held,
            leads=leads,
        )
    if answered_copies:
        client.delete_tasks(answered_copies, project_id=dest_id)
    # riskiest first, as a push imports: "Label All Tasks" serves a queue by task id, so
    # the moved tasks come in priority order (a queue the hand-over makes: all of it)
    to_copy.sort(key=_risk_order)
    predictions = _predictions(client, src_id) if to_copy else {}
    batch: list[dict[str, Any]] = []
    for task in to_copy:
        meta = dict(task.get("meta") or {})
        meta[HANDOVER_META_KEY] = {
            "from": None if "@" in src.alias else src.alias,  # never an e-mail
            "from_project": src_id,
            "from_task": int(task["id"]),
            "at": now,
        }
        batch.append(
            {"data": task["data"], "meta": meta, "predictions": predictions.get(int(task["id"]))}
        )
    # a target with a stricter rule of their own (labels.yaml wellbeing.reviewers) gets
    # the moved tasks under it, before they are sent
    batch, _ = for_reviewer(batch, batch, reviewer_taxonomy(tax, dest_email))
    copies: dict[int, int] = {}  # source task id -> its copy in the target's queue
    # the target's queue held these tasks before: a task above them is a copy this run made
    floor = max((int(t["id"]) for t in held.values()), default=None)
    for start in range(0, len(batch), batch_size):
        assert dest_id is not None
        part = [{k: v for k, v in t.items() if v is not None} for t in batch[start:][:batch_size]]
        # a lost answer is retried, sending only the tasks the server did not copy
        answer = import_retrying(
            client,
            dest_id,
            [(str(t["data"].get(PASSAGE_ID_FIELD)), t) for t in part],
            f"{dest.project['title']!r}, tasks {start + 1}-{start + len(part)}",
            floor,
            sole=True,
        )
        check_import_answer(answer, part, str(dest.project["title"]))
        # by passage: after a lost answer, the ids need not come in the order sent
        for task in to_copy[start:][:batch_size]:
            pid = str(task["data"].get(PASSAGE_ID_FIELD))
            if pid not in answer.by_passage:
                raise StudioError(
                    f"Label Studio did not say which task it made of passage {pid} in "
                    f"{dest.project['title']!r}.",
                    fix="run the same `annotate review reassign` again: it finds the copies "
                    "made and finishes the move.",
                )
            copies[int(task["id"])] = answer.by_passage[pid]
        client.progress = f"{len(copies)} of {len(batch)} open task(s) copied to {dest.alias}"
    if not copies and not done_before:
        log.info("%s -> %s: nothing to move", src.alias, dest.alias)
        if not not_away:
            _drop_idle_gold(client, src, result, discard_drafts)
        return result
    if dest.away is not None:  # they take work: back, if they were away
        result.target_was_away = dest.away
        result.target = dest = set_away(client, dest, project, None)
    # answered or skipped while the copies were made: they stay with their reviewer
    still_open = {
        int(t["id"]) for t in client.iter_tasks(src_id, include=STATUS_FIELDS) if _is_open(t)
    }
    late = [tid for tid in copies if tid not in still_open]
    # a draft started while the copies were made: its reviewer is mid-answer, the task stays
    started = (tasks_with_drafts(client, src_id) - drafted) & set(copies) - set(late)
    if not discard_drafts and started:
        still_open -= started
        client.delete_tasks([copies[tid] for tid in started], project_id=dest_id)
        result.with_draft += [str(by_id[tid]["data"].get(PASSAGE_ID_FIELD)) for tid in started]
    if late:
        client.delete_tasks([copies[tid] for tid in late], project_id=dest_id)
    for tid in late:
        result.answered_meanwhile.append(str(by_id[tid]["data"].get(PASSAGE_ID_FIELD)))
    stale = [int(held[pid]["id"]) for tid, pid in done_before.items() if tid not in still_open]
    if stale:  # an earlier run's copies of tasks answered since: they stay with their reviewer
        client.delete_tasks(stale, project_id=dest_id)
        result.answered_meanwhile += [
            pid for tid, pid in done_before.items() if tid not in still_open
        ]
    gone = [tid for tid in [*copies, *done_before] if tid in still_open]
    # the server deletes only those still open then (and, unless drafts are discarded,
    # without a draft): one answered, skipped or started since the listing stays with its
    # reviewer, and its copy goes
    delete_open_tasks(client, src_id, gone, keep_drafted=not discard_drafts)
    left = {int(t["id"]): t for t in client.iter_tasks(src_id, include=STATUS_FIELDS)}
    stayed = [tid for tid in gone if tid in left]
    if stayed:
        client.delete_tasks(
            [copies[tid] if tid in copies else int(held[done_before[tid]]["id"]) for tid in stayed],
            project_id=dest_id,
        )
        drafted_since = _kept_for_a_draft(client, src_id, left, stayed)
        for tid in stayed:
            pid = str(by_id[tid]["data"].get(PASSAGE_ID_FIELD))
            (result.with_draft if tid in drafted_since else result.answered_meanwhile).append(pid)
        gone = [tid for tid in gone if tid not in left]
    result.drafts_discarded = len(drafted & set(gone))
    result.moved = [str(by_id[tid]["data"].get(PASSAGE_ID_FIELD)) for tid in gone]
    result.gold_moved = sum(1 for tid in gone if GOLD_META_KEY in (by_id[tid].get("meta") or {}))
    if result.moved and dest_id is not None and not created:
        # the moved tasks are the newest (ids): the queue's tab lists it by priority
        order_queue_tab(client, dest_id, tax)
    if result.moved and not (dest.project.get("model_version") or "") and dest_id is not None:
        model = str(src_proj.get("model_version") or "")
        if model and any(predictions.get(tid) for tid in gone):
            client.update_project(dest_id, model_version=model)
    log.info(
        "%s -> %s: %d task(s) moved, %d left (already held), %d answered meanwhile",
        src.alias,
        dest.alias,
        len(result.moved),
        len(result.already_held),
        len(result.answered_meanwhile),
    )
    if result.moved and dest_id is not None:
        _count_graphic(client, project, dest_id, result, tax, dest_email)
    if not not_away:
        _drop_idle_gold(client, src, result, discard_drafts)
    return result


ALLOW_OVER_GRAPHIC_CAP = "--allow-over-graphic-cap"


def _is_open_graphic(task: dict[str, Any]) -> bool:
    from annotate.review.exposure import is_graphic_task

    return _is_open(task) and is_graphic_task(task.get("data") or {})


def _check_graphic_room(
    client: StudioClient,
    project: str,
    queues: list[Queue],
    members: set[str],
    src: Queue,
    target: str,
    held: dict[str, dict[str, Any]],
    to_copy: list[dict[str, Any]],
    not_away: bool = False,
    *,
    tax: Taxonomy | None = None,
) -> None:
    """Raise :func:`graphic_cap_error` when moving ``to_copy`` into ``target``'s queue
    (``held``: its tasks by passage) leaves it above its graphic cap: the set's recorded
    one or the target's own (labels.yaml ``wellbeing.reviewers.EMAIL.max_graphic``), the
    stricter (``not_away``: the hand-over's --not-away, kept in the command the fix names)."""
    from annotate.review.graphic_cap import own_cap, reviewer_cap
    from annotate.review.held_back import recorded_cap

    moving = sum(1 for t in to_copy if _is_open_graphic(t))
    if not moving:
        return
    set_cap = recorded_cap(client.url, project)
    cap = reviewer_cap(set_cap, tax, target)
    if cap is None:
        return
    holds = sum(1 for t in held.values() if _is_open_graphic(t))
    if holds + moving <= cap:
        return
    room = _reviewers_with_room(
        client,
        queues,
        members,
        {src.email or "", target},
        lambda email: reviewer_cap(set_cap, tax, email),
        moving,
    )
    own = own_cap(tax, target)
    raise graphic_cap_error(
        project,
        src.name,
        src.email or src.alias,
        target,
        holds,
        moving,
        len(to_copy),
        cap,
        room,
        not_away=not_away,
        own=own is not None and (set_cap is None or own < set_cap),
    )


def _reviewers_with_room(
    client: StudioClient,
    queues: list[Queue],
    members: set[str],
    taken_by: set[str],
    cap_of: Callable[[str], int | None],
    moving: int,
    most: int = 3,
) -> list[str]:
    """Up to ``most`` member reviewers (no demo account, none away in the review set, none
    of ``taken_by``) whose queue has room under their cap (``cap_of(email)``, None: none)
    for ``moving`` more open graphic tasks: reviewers without a queue first, then one
    task listing per queue."""

    def may_take(email: str) -> bool:  # room under their cap in an empty queue
        cap = cap_of(email)
        return cap is None or moving <= cap

    by_email = {q.email.lower(): q for q in queues if q.email}
    people = sorted(
        m for m in members if m not in taken_by and m not in DEMO_EMAILS and may_take(m)
    )
    out = [m for m in people if m not in by_email][:most]
    for email in people:
        queue = by_email.get(email)
        if len(out) >= most or queue is None or queue.away is not None:
            continue
        cap = cap_of(email)
        if cap is None:
            out.append(email)
            continue
        tasks = client.iter_tasks(int(queue.project["id"]), include=STATUS_FIELDS)
        if sum(1 for t in tasks if _is_open_graphic(t)) + moving <= cap:
            out.append(email)
    return out


def graphic_cap_error(
    project: str,
    source: str,
    source_key: str,
    target: str,
    holds: int,
    moving: int,
    open_tasks: int,
    cap: int,
    room: list[str],
    *,
    not_away: bool = False,
    own: bool = False,
) -> InputError:
    """The refusal of a hand-over that would leave ``target`` (holding ``holds`` open
    graphic tasks) above the graphic ``cap`` of review set ``project``: ``moving`` of the
    ``open_tasks`` of ``source`` (as the terminal names them; ``source_key``: as --from
    takes them) to move are graphic; ``room``: reviewers with room; ``own``: ``cap`` is
    the target's own (labels.yaml ``wellbeing.reviewers.EMAIL.max_graphic``)."""
    others = (
        f"hand them to a reviewer with room for {moving} more ({', '.join(room)}: "
        f"`annotate review reassign --project {project!r} --from {source_key} "
        f"--to {room[0]}{' --not-away' if not_away else ''}`)"
        if room
        else "hand them to a reviewer with room under the cap (none of the set's other "
        f"reviewers has room for {moving} more), or push the set again later, once "
        "reviewers answered some"
    )
    return InputError(
        f"handing {source}'s {open_tasks} open task(s) in {project!r} to {target} would "
        f"leave {target} with {holds + moving} open graphic task(s) ({holds} now, {moving} "
        f"of those moved), above "
        + (
            f"{target}'s own cap of {cap} (labels.yaml wellbeing.reviewers: max_graphic {cap})"
            if own
            else f"the cap of {cap} the set was pushed with (push --max-graphic-per-reviewer {cap})"
        )
        + ". Nothing was moved.",
        fix=f"{others}; or pass {ALLOW_OVER_GRAPHIC_CAP} to move them all the same (tell "
        f"{target}: more graphic work than the cap allows).",
    )


def _count_graphic(
    client: StudioClient,
    project: str,
    dest_id: int,
    result: Handover,
    tax: Taxonomy,
    target: str,
) -> None:
    """Record the target's graphic cap (the stricter of ``push --max-graphic-per-reviewer``,
    as this machine recorded it, and ``target``'s own max_graphic in labels.yaml) and,
    when there is one, the target queue's open graphic tasks after the move: a hand-over
    moves every open task, so the target may end above the cap."""
    from annotate.review.graphic_cap import open_graphic, reviewer_cap
    from annotate.review.held_back import recorded_cap

    set_cap = recorded_cap(client.url, project)
    result.graphic_cap = reviewer_cap(set_cap, tax, target)
    result.own_graphic_cap = result.graphic_cap is not None and result.graphic_cap != set_cap
    if result.graphic_cap is not None:
        result.target_open_graphic = open_graphic(client, dest_id)
        if result.target_open_graphic > result.graphic_cap:
            log.info(
                "%s holds %d open graphic task(s) after the hand-over, above the cap of %d",
                result.target.alias,
                result.target_open_graphic,
                result.graphic_cap,
            )


def _drop_idle_gold(
    client: StudioClient, src: Queue, result: Handover, discard_drafts: bool
) -> None:
    """:func:`drop_idle_gold` of the hand-over's source queue: fills
    :attr:`Handover.gold_removed`, ``answered_meanwhile`` and ``with_draft``, and takes
    those passages off ``gold_kept``."""
    dropped = drop_idle_gold(client, src, discard_drafts=discard_drafts)
    result.with_draft.extend(dropped.with_draft)
    result.answered_meanwhile.extend(dropped.answered_meanwhile)
    settled = set(dropped.removed) | set(dropped.with_draft) | set(dropped.answered_meanwhile)
    if dropped.removed:
        result.gold_removed = dropped.removed
    result.gold_kept = [pid for pid in result.gold_kept if pid not in settled]
    result.gold_held = [pid for pid in result.gold_held if pid not in settled]


@dataclass
class DroppedGold:
    """What :func:`drop_idle_gold` did: passage ids of the gold tasks deleted
    (``removed``, sorted), and of those it left because they were answered or skipped
    (``answered_meanwhile``) or drafted (``with_draft``) between its listing and the
    delete request."""

    removed: list[str] = field(default_factory=list)
    answered_meanwhile: list[str] = field(default_factory=list)
    with_draft: list[str] = field(default_factory=list)


def drop_idle_gold(
    client: StudioClient, src: Queue, *, discard_drafts: bool = False
) -> DroppedGold:
    """Delete the open gold tasks of queue ``src`` when it holds no open regular task and
    its reviewer is away (or gone, or leaving: `annotate reviewers remove`): gold checks a
    reviewer and moves only along with passages short of an answer, so nobody would ever
    answer these, and open tasks left in a queue hold the round open for good
    (``annotate adjudicate`` refuses while reviewer queues hold open tasks; export and the
    report say the review is still under way). A push that names the reviewer again gives
    them gold again (it tops every queue up to the gold rate). A task holding a draft
    stays (its reviewer may be mid-answer), unless ``discard_drafts``; a task answered,
    skipped or (unless ``discard_drafts``) drafted meanwhile stays, up to the delete
    request itself (the server checks it there:
    :func:`annotate.studio.guarded_delete.delete_open_tasks`). Nothing is deleted when
    regular work is open in the queue."""
    out = DroppedGold()
    src_id = int(src.project["id"])
    still = [t for t in client.iter_tasks(src_id, include=STATUS_FIELDS) if _is_open(t)]
    if not still or any(GOLD_META_KEY not in (t.get("meta") or {}) for t in still):
        return out
    drafted = set() if discard_drafts else tasks_with_drafts(client, src_id)
    idle = [t for t in still if int(t["id"]) not in drafted]
    if not idle:
        return out
    # the server deletes only those still open (and without a draft) then: one answered,
    # skipped or started since the listings above stays with its answer
    delete_open_tasks(client, src_id, [int(t["id"]) for t in idle], keep_drafted=not discard_drafts)
    left = {int(t["id"]): t for t in client.iter_tasks(src_id, include=STATUS_FIELDS)}
    kept = [int(t["id"]) for t in idle if int(t["id"]) in left]
    drafted_since = _kept_for_a_draft(client, src_id, left, kept)
    for task in idle:  # answered, skipped or drafted meanwhile: said so, not deleted
        if int(task["id"]) in left:
            pid = str((task.get("data") or {}).get(PASSAGE_ID_FIELD))
            drafted = int(task["id"]) in drafted_since
            (out.with_draft if drafted else out.answered_meanwhile).append(pid)
    idle = [t for t in idle if int(t["id"]) not in left]
    if idle:
        log.info(
            "%s: %d open gold task(s) removed (away, no open regular task)", src.alias, len(idle)
        )
        out.removed = sorted(str((t.get("data") or {}).get(PASSAGE_ID_FIELD)) for t in idle)
    return out
