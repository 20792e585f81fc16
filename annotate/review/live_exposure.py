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
from datetime import datetime, time, timezone

from annotate.errors import InputError
from annotate.review.exposure import exposure
from annotate.review.recent import recent_answers
from annotate.review.since import parse_since
from annotate.review.view import hiding_rule
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


def since_time(given: str | None, now: datetime | None = None) -> datetime:
    """``--since`` as an aware datetime: :func:`annotate.review.since.parse_since` (the
    parser of `annotate escalations --since`: an ISO date or time, UTC unless it has an
    offset); default: the start of today, UTC. Raises InputError for anything else, or a
    time after ``now``."""
    now = now or datetime.now(timezone.utc)
    if given is None:
        return datetime.combine(now.date(), time(), tzinfo=timezone.utc)
    start = parse_since(given)
    if start > now:
        raise InputError(
            f"--since is {given!r} "
            f"({start.astimezone(timezone.utc).isoformat(timespec='seconds')} UTC), "
            f"after now ({now.isoformat(timespec='seconds')}): no answer can be counted.",
            fix=f"use a date or time up to now, e.g. --since {now.date().isoformat()} (today).",
        )
    return start


def reviewer_exposure(record: dict[str, object], limit: int) -> list[ReviewerExposure]:
    """Per pseudonym of ``record`` (:func:`annotate.review.exposure.exposure`, counted
    from ``--since`` on), the sums over its days and the days above ``limit`` graphic
    passages; by pseudonym."""
    out = []
    days_of: dict[str, dict[str, dict[str, int]]] = record.get("reviewers") or {}  # type: ignore[assignment]
    for name, days in sorted(days_of.items()):
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
    client: StudioClient, project: str, tax: Taxonomy, *, salt: str, since: datetime, limit: int
) -> list[ReviewerExposure]:
    """Every reviewer's (and the lead's) exposure in ``project`` (a review set, a plain or
    numbered project) from ``since`` (aware) on, read now and counted as an export's
    exposure.json counts it: answers, graphic passages, high-severity answers, and the UTC
    days above ``limit`` graphic passages. Reads only the answers since then and the other
    answers on their passages (:func:`annotate.review.recent.recent_answers`), not the
    whole project. Raises what that raises (StudioError, ExportError)."""
    got = recent_answers(client, project, tax, salt=salt, since=since)
    record = exposure(
        got.rows,
        tax.severity_names,
        got.adjudications,
        counted_from=since,
        rule=hiding_rule(tax),
    )
    found = reviewer_exposure(record, limit)
    for r in found:
        if r.over:
            log.info("%s above %d graphic passage(s) a day: %s", r.reviewer, limit, r.over)
    return found
