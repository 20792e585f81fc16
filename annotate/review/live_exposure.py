"""Reviewer exposure while a round runs: the counts of ``exposure.json``
(:func:`annotate.review.exposure.exposure`, the one implementation), read live from Label
Studio for `annotate review status`, and the reviewers above a daily graphic limit.

The limit is a team choice, not a published standard: moderation guidance (e.g. the
Tech Coalition's employee resilience guidance) asks teams to limit and rotate graphic
exposure without giving a number, so :data:`DEFAULT_GRAPHIC_LIMIT` is a starting point
a lead sets with ``--graphic-limit`` or ``$ANNOTATE_GRAPHIC_LIMIT``."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from annotate.errors import InputError
from annotate.review.collect import collect
from annotate.review.exposure import exposure, exposure_since
from annotate.settings import GRAPHIC_LIMIT_ENV
from annotate.studio.client import StudioClient
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

# graphic passages one reviewer reads in a UTC day before status flags them: a team choice
DEFAULT_GRAPHIC_LIMIT = 25


@dataclass(frozen=True)
class ReviewerExposure:
    """One pseudonym's answers from ``since`` on, summed over the days."""

    reviewer: str  # pseudonym
    answers: int
    graphic: int
    high_severity: int
    adjudications: int
    # the UTC days (``YYYY-MM-DD``) with more graphic passages than the limit -> that count
    over: dict[str, int] = field(default_factory=dict)


def graphic_limit(given: int | None) -> int:
    """The daily graphic limit: ``given`` (``--graphic-limit``), else
    ``$ANNOTATE_GRAPHIC_LIMIT``, else :data:`DEFAULT_GRAPHIC_LIMIT`. Raises InputError for
    a value that is not a whole number of passages, 0 or more."""
    if given is not None:
        raw, where = str(given), "--graphic-limit"
    else:
        raw, where = os.environ.get(GRAPHIC_LIMIT_ENV, "").strip(), GRAPHIC_LIMIT_ENV
        if not raw:
            return DEFAULT_GRAPHIC_LIMIT
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise InputError(
            f"{where} is {raw!r}; expected the graphic passages a reviewer may read in a day, "
            "a whole number 0 or more.",
            fix=(
                f"e.g. --graphic-limit {DEFAULT_GRAPHIC_LIMIT}"
                if given is not None
                else f"export {GRAPHIC_LIMIT_ENV}={DEFAULT_GRAPHIC_LIMIT}, or unset it"
            )
            + f" ({DEFAULT_GRAPHIC_LIMIT} is the default).",
        )
    return value


def since_day(given: str | None, today: date | None = None) -> str:
    """``--since`` as a UTC day ``YYYY-MM-DD`` (default: today, UTC). Raises InputError
    for anything else, or a day after today."""
    now = today or datetime.now(UTC).date()
    if given is None:
        return now.isoformat()
    try:
        day = date.fromisoformat(given.strip())
    except ValueError:
        raise InputError(
            f"--since is {given!r}; expected a day as YYYY-MM-DD (UTC).",
            fix=f"e.g. --since {now.isoformat()} (today), or leave it out for today.",
        ) from None
    if day > now:
        raise InputError(
            f"--since is {day.isoformat()}, after today ({now.isoformat()}, UTC): no answer "
            "can be counted.",
            fix=f"use a day up to {now.isoformat()}.",
        )
    return day.isoformat()


def reviewer_exposure(record: dict[str, object], since: str, limit: int) -> list[ReviewerExposure]:
    """Per pseudonym of ``record`` (:func:`annotate.review.exposure.exposure`), the sums
    from ``since`` on and the days above ``limit`` graphic passages; by pseudonym."""
    out = []
    for name, days in sorted(exposure_since(record, since).items()):
        out.append(
            ReviewerExposure(
                reviewer=name,
                **{
                    k: sum(c[k] for c in days.values())
                    for k in ("answers", "graphic", "high_severity", "adjudications")
                },
                over={day: c["graphic"] for day, c in days.items() if c["graphic"] > limit},
            )
        )
    return out


def live_exposure(
    client: StudioClient, project: str, tax: Taxonomy, *, salt: str, since: str, limit: int
) -> list[ReviewerExposure]:
    """Every reviewer's (and the lead's) exposure in ``project`` (a review set, a plain or
    numbered project) from the UTC day ``since`` on, read now as an export reads it
    (:func:`annotate.review.collect.collect`): answers, graphic passages, high-severity
    answers, and the days above ``limit`` graphic passages. Raises what collect raises
    (StudioError, InputError for a salt that does not match the answers)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    got = collect(client, project, tax, salt=salt, exported_at=now)
    record = exposure([*got.rows, *got.gold_rows], tax.severity_names, got.adjudications)
    found = reviewer_exposure(record, since, limit)
    for r in found:
        if r.over:
            log.info("%s above %d graphic passage(s) a day: %s", r.reviewer, limit, r.over)
    return found
