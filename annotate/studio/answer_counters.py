"""Label Studio's per-task answer counters, checked against its answers.

Label Studio stores each task's ``total_annotations`` (its answers, skips left out) in
the task's row, written by a Django signal when an answer is saved; the Data Manager's
filters (:meth:`annotate.studio.client.StudioClient.count_annotated_tasks`) and the task
listings (``review status``, late copies, hand-overs) read that stored counter. Label
Studio 1.23.2 deletes a project with every signal of its server process disconnected,
stashed and put back by a context manager that is not thread-safe
(``core/utils/common.py``, ``temporary_disconnect_all_signals``): after two deletions at
the same moment (two machines cleaning up copies of a project they made at once; this
machine's :func:`annotate.studio.lock.deletion_lock` cannot cover another's) the signals
stay disconnected until the server restarts, and no answer made meanwhile counts on its
task. Even one deletion disconnects them, for every thread of the server, while it runs:
an answer saved then is not counted on its task until a recount (the local server's
deletion-serialising app, :mod:`annotate.studio.server_patches`, prevents only the
lasting loss: reader57 #3).

A project's ``num_tasks_with_annotations`` is counted by the server from the answers
themselves at each reading (tasks with an answer that is not ground truth). Every such
task has ``total_annotations`` > 0 while the counters are kept, so a counters' count
below it means they are stale: read again with backoff (an answer saved between the two
readings), then :class:`StaleCountersError`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from annotate.errors import StudioError

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient

log = logging.getLogger(__name__)

COUNTER_READINGS = 3  # readings of both counts before the counters are called stale
COUNTER_WAIT_S = 1.0  # the wait after the first reading; doubled after each
COUNTER_WAIT_MAX_S = 4.0

FIX = (
    "Label Studio does not count on its task an answer saved while it deletes a project "
    "(any project of the server), and after two project deletions at the same moment it "
    "stops counting answers until it restarts (its signals stay disconnected; the local "
    "server of `annotate studio start` prevents only the latter): the local server: "
    "`annotate studio recount` (stops it, recounts, starts it again if it was running); a "
    "team server: its admin "
    "stops it, recounts the answers made meanwhile with `label-studio "
    "calculate_stats_all_orgs --from-scratch --data-dir DIR` (DIR: its data folder) and "
    "starts it again. Then run this again."
)


class StaleCountersError(StudioError):
    """Label Studio's stored per-task answer counters count fewer answered tasks than its
    answers show. ``counted``: tasks with ``total_annotations`` > 0 (Data Manager);
    ``answered``: the project's ``num_tasks_with_annotations`` (counted from the
    answers); ``project_id``: the project."""

    def __init__(self, project_id: int, counted: int, answered: int, readings: int) -> None:
        self.project_id, self.counted, self.answered = project_id, counted, answered
        super().__init__(
            f"Label Studio's answer counters of project {project_id} are behind its "
            f"answers: {answered} task(s) hold an answer (the project's "
            f"num_tasks_with_annotations) but {counted} are counted answered (tasks with "
            f"total_annotations > 0), {readings} readings apart; counts, listings and "
            "checks of answered tasks would be wrong.",
            fix=FIX,
        )


class _Behind(Exception):
    def __init__(self, counted: int, answered: int) -> None:
        super().__init__(f"{counted} counted, {answered} answered")
        self.counted, self.answered = counted, answered


def answered_tasks(client: StudioClient, project_id: int) -> int | None:
    """The project's ``num_tasks_with_annotations`` (tasks with an answer that is not
    ground truth, counted from the answers); None where the server does not give it."""
    value = client.get_project(project_id).get("num_tasks_with_annotations")
    return None if value is None else int(value)


def checked_count(client: StudioClient, project_id: int, count: Callable[[], int]) -> int:
    """``count()`` (tasks the stored counters count answered), once it is not below the
    project's answered tasks (:func:`answered_tasks`): both read up to
    :data:`COUNTER_READINGS` times, :data:`COUNTER_WAIT_S` s apart then 2x, 4x ...
    (``tenacity``). Raises :class:`StaleCountersError` after the last reading (and
    StudioError as the client's reads do)."""

    def read() -> int:
        # answered first: both only grow while the counters are kept, so an answer saved
        # between the two reads raises counted, never answered alone (counted read first,
        # a healthy server answering steadily looked stale: reader57 #2). Only an answer
        # deleted between them still can; the readings again cover that.
        answered = answered_tasks(client, project_id)
        counted = count()
        if answered is not None and counted < answered:
            raise _Behind(counted, answered)
        return counted

    def warn(state: object) -> None:
        outcome = getattr(state, "outcome", None)
        log.warning(
            "project %s: Label Studio's answer counters are behind its answers (%s); "
            "reading them again",
            project_id,
            outcome.exception() if outcome is not None else "",
        )

    retrying = Retrying(
        stop=stop_after_attempt(COUNTER_READINGS),
        wait=wait_exponential(multiplier=COUNTER_WAIT_S, max=COUNTER_WAIT_MAX_S),
        retry=retry_if_exception_type(_Behind),
        before_sleep=warn,
        sleep=lambda seconds: time.sleep(seconds),  # looked up at call time (tests patch it)
        reraise=True,
    )
    try:
        return retrying(read)
    except _Behind as behind:
        raise StaleCountersError(
            project_id, behind.counted, behind.answered, COUNTER_READINGS
        ) from None
