"""Requests whose answer was lost on the way back from Label Studio.

A dropped or refused connection, a gateway's 502/503/504 or a read timeout
(:class:`~annotate.errors.StudioUnavailableError`) says nothing about whether the server
carried the request out. :func:`retry_lost` is the one loop that retries such a
request: it waits (:data:`LOST_RETRY_S`, then twice as long each time) and calls again,
:data:`LOST_ATTEMPTS` tries in all; the caller's ``send`` reads back what a lost try
made before it sends anything again, so a retry never makes a thing twice.

A server that is slow rather than gone may still be carrying the lost request out when
the read-back runs (a read timeout, a gateway's 502/504: ``still_working``); the request
then lands after the read-back and a re-send would make its work twice.
:func:`read_back` reads such a loss back :data:`SETTLE_READS` times, :data:`SETTLE_S`
apart, then twice as long each time, before the caller sends again; what lands later
still is found by the caller's reconciling read (:func:`late_loss` says when one is due)
or by the next run, which removes it.
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
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
)

from annotate.errors import StudioError, StudioUnavailableError

log = logging.getLogger(__name__)
T = TypeVar("T")

LOST_ATTEMPTS = 4  # tries in all of a request whose answer was lost
LOST_RETRY_S = 1.0  # the wait before the second try; doubled before each further one
# inside a retry_lost loop: a request made there (a read-back) is tried once, the loop
# around it retries (nested loops multiplied the tries and the waits)
_RETRYING: ContextVar[bool] = ContextVar("annotate_retrying_lost", default=False)
SETTLE_READS = 4  # read-backs of a lost request the server may still be carrying out
SETTLE_S = 1.0  # the wait before the second of them; doubled before each further one
# the loss the running retry_lost loop is retrying (None: the first try)
_LOSS: ContextVar[StudioUnavailableError | None] = ContextVar("annotate_lost", default=None)


def retry_lost(
    send: Callable[[int], T], what: str, *, also: tuple[type[StudioError], ...] = ()
) -> T:
    """``send(attempt)`` (attempt 1, 2 ...) until it returns; each time it raises
    :class:`StudioUnavailableError`, wait and call it again, :data:`LOST_ATTEMPTS`
    tries in all, waiting :data:`LOST_RETRY_S` s, then 2x, 4x ... (``tenacity``).
    ``send`` must, on an attempt above 1, first read back what the lost try did (the
    server may have carried it out) and send only what is still missing. ``what``
    names the request in the log and the error; ``also``: further errors retried the same
    way (e.g. StudioServerError for a project creation, which any server error may fail).

    Called inside another such loop (a read-back that retries its own requests), ``send``
    is called once: the outer loop retries.

    Returns what ``send`` returned. Raises StudioUnavailableError (or one of ``also``)
    when the last try fails too (its message, then the tries and the seconds spent);
    other errors at once, and so a StudioUnavailableError whose server is known ``gone``
    (the local server stopped: no retry can reach it).
    """
    if _RETRYING.get():
        return send(1)
    began = time.monotonic()

    def warn(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        _LOSS.set(exc if isinstance(exc, StudioUnavailableError) else None)  # for read_back
        why = exc.what.rstrip(".") if isinstance(exc, StudioError) else "no answer"
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
        retry=retry_if_exception(lambda exc: _retried(exc, also)),
        before_sleep=warn,
        reraise=True,
    )
    token = _RETRYING.set(True)
    loss_token = _LOSS.set(None)
    try:
        for attempt in retrying:
            with attempt:
                return send(attempt.retry_state.attempt_number)
    except (StudioUnavailableError, *also) as exc:
        if getattr(exc, "gone", False):
            raise  # tried once: nothing to say about tries
        raise type(exc)(
            f"{exc.what.rstrip('.')}; gave up on {what} after {LOST_ATTEMPTS} tries over "
            f"{time.monotonic() - began:.0f} s.",
            fix=exc.fix,
        ) from None
    finally:
        _LOSS.reset(loss_token)
        _RETRYING.reset(token)
    raise AssertionError("unreachable")  # tenacity returns or re-raises


def _retried(exc: BaseException, also: tuple[type[StudioError], ...]) -> bool:
    """Whether :func:`retry_lost` tries again after ``exc``: a lost answer (or one of
    ``also``), unless its server is known gone (``StudioUnavailableError.gone``)."""
    if isinstance(exc, StudioUnavailableError):
        return not exc.gone
    return isinstance(exc, also)


def late_loss() -> bool:
    """Whether the try of the running :func:`retry_lost` loop follows a loss whose request
    the server may still be carrying out (``still_working``): what it makes can land
    after this try's read-back, so a caller that sends again reconciles afterwards."""
    loss = _LOSS.get()
    return loss is not None and loss.still_working


def read_back(read: Callable[[], T], landed: Callable[[T], bool], what: str) -> T:
    """``read()``: what the lost request of the running :func:`retry_lost` try made.
    After a loss whose request the server may still be carrying out (:func:`late_loss`),
    read again until ``landed(result)``, :data:`SETTLE_READS` reads in all,
    :data:`SETTLE_S` s apart, then 2x, 4x ... (``tenacity``); otherwise (a dropped or
    refused connection: the server is not at work on it) read once. ``what`` names the
    request in the log.

    Returns the last read. Raises what ``read`` raises (StudioUnavailableError: the
    retry_lost loop counts it as a try)."""
    if not late_loss():
        return read()

    def note(state: RetryCallState) -> None:
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        log.info(
            "%s: nothing of the lost request found yet (the server may still be carrying "
            "it out); reading again in %.0f s (read %d of %d)",
            what,
            wait,
            state.attempt_number + 1,
            SETTLE_READS,
        )

    settling = Retrying(
        stop=stop_after_attempt(SETTLE_READS),
        wait=wait_exponential(multiplier=SETTLE_S, exp_base=2, min=0, max=3600),
        retry=retry_if_result(lambda found: not landed(found)),
        before_sleep=note,
        retry_error_callback=lambda state: state.outcome.result() if state.outcome else read(),
    )
    return settling(read)
