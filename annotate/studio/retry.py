"""Requests whose answer was lost on the way back from Label Studio.

A dropped or refused connection, a gateway's 502/503/504 or a read timeout
(:class:`~annotate.errors.StudioUnavailableError`) says nothing about whether the server
carried the request out. :func:`retry_lost` is the one loop that retries such a
request: it waits (:data:`LOST_RETRY_S`, then twice as long each time) and calls again,
:data:`LOST_ATTEMPTS` tries in all; the caller's ``send`` reads back what a lost try
made before it sends anything again, so a retry never makes a thing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from annotate.errors import StudioUnavailableError

log = logging.getLogger(__name__)
T = TypeVar("T")

LOST_ATTEMPTS = 4  # tries in all of a request whose answer was lost
LOST_RETRY_S = 1.0  # the wait before the second try; doubled before each further one
# inside a retry_lost loop: a request made there (a read-back) is tried once, the loop
# around it retries (nested loops multiplied the tries and the waits)
_RETRYING: ContextVar[bool] = ContextVar("annotate_retrying_lost", default=False)


def retry_lost(send: Callable[[int], T], what: str) -> T:
    """``send(attempt)`` (attempt 1, 2 ...) until it returns; each time it raises
    :class:`StudioUnavailableError`, wait and call it again, :data:`LOST_ATTEMPTS`
    tries in all, waiting :data:`LOST_RETRY_S` s, then 2x, 4x ... (``tenacity``).
    ``send`` must, on an attempt above 1, first read back what the lost try did (the
    server may have carried it out) and send only what is still missing. ``what``
    names the request in the log and the error.

    Called inside another such loop (a read-back that retries its own requests), ``send``
    is called once: the outer loop retries.

    Returns what ``send`` returned. Raises StudioUnavailableError when the last try
    fails too (its message, then the tries and the seconds spent); other errors at once.
    """
    if _RETRYING.get():
        return send(1)
    began = time.monotonic()

    def warn(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        why = exc.what.rstrip(".") if isinstance(exc, StudioUnavailableError) else "no answer"
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "%s: %s; trying again in %.0f s (try %d of %d)",
            what,
            why,
            wait,
            state.attempt_number + 1,
            LOST_ATTEMPTS,
        )

    retrying = Retrying(
        stop=stop_after_attempt(LOST_ATTEMPTS),
        wait=wait_exponential(multiplier=LOST_RETRY_S, exp_base=2, min=0, max=3600),
        retry=retry_if_exception_type(StudioUnavailableError),
        before_sleep=warn,
        reraise=True,
    )
    token = _RETRYING.set(True)
    try:
        for attempt in retrying:
            with attempt:
                return send(attempt.retry_state.attempt_number)
    except StudioUnavailableError as exc:
        raise StudioUnavailableError(
            f"{exc.what.rstrip('.')}; gave up on {what} after {LOST_ATTEMPTS} tries over "
            f"{time.monotonic() - began:.0f} s.",
            fix=exc.fix,
        ) from None
    finally:
        _RETRYING.reset(token)
    raise AssertionError("unreachable")  # tenacity returns or re-raises
