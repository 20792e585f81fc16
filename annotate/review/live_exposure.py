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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timezone
from typing import Any

from annotate.errors import AnnotateError, InputError, StudioUnavailableError
from annotate.review.exposure import exposure
from annotate.review.recent import recent_answers
from annotate.review.since import parse_since
from annotate.review.view import hiding_rule
from annotate.settings import GRAPHIC_LIMIT_ENV
from annotate.studio.client import StudioClient
from annotate.studio.projects import LIST_FIELDS, adjudication_set_of, review_set_of
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

# graphic passages one reviewer reads in a UTC day, over every project of the server,
# before status flags them: a team choice
DEFAULT_GRAPHIC_LIMIT = 25
NUMBERED = re.compile(r"(.+) #\d+")  # a numbered push's project: NAME #N


@dataclass(frozen=True)
class ReviewerExposure:
    """One pseudonym's answers from ``since`` on, summed over the days."""

    reviewer: str  # pseudonym
    answers: int
    graphic: int
    high_severity: int
    adjudications: int
    # the UTC days (``YYYY-MM-DD``) with more graphic passages than the limit -> that count,
    # counted over every project read (``everywhere``), not this one alone
    over: dict[str, int] = field(default_factory=dict)
    # the same pseudonym's sums over every project of the server read (this one and the
    # others: review sets, plain and numbered projects, adjudication projects): "answers",
    # "graphic", "high_severity", "adjudications"; empty when only this project was read
    everywhere: dict[str, int] = field(default_factory=dict)


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


COUNTS = ("answers", "graphic", "high_severity", "adjudications")


def reviewer_exposure(
    record: dict[str, object],
    limit: int,
    everywhere: Mapping[str, Mapping[str, Mapping[str, int]]] | None = None,
    owners: Iterable[str] | None = None,
) -> list[ReviewerExposure]:
    """Per pseudonym of ``record`` (:func:`annotate.review.exposure.exposure`, counted
    from ``--since`` on), the sums over its days and the days above ``limit`` graphic
    passages; by pseudonym. ``everywhere`` (given: the ``reviewers`` part of the records
    of every project read, summed, :func:`summed_days`): the days above the limit are
    counted in it, the reviewer's day over every project, and its sums are kept; and a
    pseudonym with no answer in ``record`` but answers elsewhere is listed too (zero here)
    when it is one of ``owners`` (a review set's queue owners: they work in it next), or,
    ``owners`` None (a plain or numbered project, open to anyone), when its day elsewhere
    is above ``limit``."""
    out = []
    days_of: dict[str, Mapping[str, Mapping[str, int]]] = dict(record.get("reviewers") or {})  # type: ignore[call-overload]
    wanted = None if owners is None else frozenset(owners)
    for name, days in (everywhere or {}).items():
        if name in days_of:
            continue
        over = any(c["graphic"] > limit for c in days.values())
        if (name in wanted) if wanted is not None else over:
            days_of[name] = {}  # no answer here: its day elsewhere is what the lead needs
    for name, days in sorted(days_of.items()):
        over_days = days if everywhere is None else everywhere.get(name, days)
        out.append(
            ReviewerExposure(
                reviewer=name,
                **{k: sum(c[k] for c in days.values()) for k in COUNTS},
                over={d: c["graphic"] for d, c in over_days.items() if c["graphic"] > limit},
                everywhere={}
                if everywhere is None
                else {k: sum(c[k] for c in over_days.values()) for k in COUNTS},
            )
        )
    return out


def summed_days(
    records: Iterable[Mapping[str, Any]],
) -> dict[str, dict[str, dict[str, int]]]:
    """The ``reviewers`` parts of several exposure records (one per project read) summed
    per pseudonym and day: a reviewer's day over every project."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for record in records:
        for name, days in (record.get("reviewers") or {}).items():
            for day, counts in days.items():
                cell = out.setdefault(name, {}).setdefault(day, dict.fromkeys(COUNTS, 0))
                for k in COUNTS:
                    cell[k] += int(counts.get(k) or 0)
    return out


def server_projects(client: StudioClient) -> list[str]:
    """The names every project of the server is read under: a review set's (its queues
    and ``NAME · adjudication``), a numbered push's (``NAME #1``, ...), a plain project's
    title; sorted."""
    names: set[str] = set()
    for proj in client.list_projects(include=LIST_FIELDS):
        title = str(proj.get("title") or "")
        name = review_set_of(proj) or adjudication_set_of(proj)
        if name is None:
            numbered = NUMBERED.fullmatch(title)
            name = numbered.group(1) if numbered else title
        names.add(name)
    return sorted(names)


def _record(
    client: StudioClient,
    project: str,
    tax: Taxonomy,
    *,
    salt: str,
    since: datetime,
) -> dict[str, Any]:
    got = recent_answers(client, project, tax, salt=salt, since=since)
    return exposure(
        got.rows,
        tax.severity_names,
        got.adjudications,
        counted_from=since,
        rule=hiding_rule(tax),
        recorded=got.hidden_by,
    )


def live_exposure(
    client: StudioClient,
    project: str,
    tax: Taxonomy,
    *,
    salt: str,
    since: datetime,
    limit: int,
    across: Sequence[str] | None = None,
    unread: list[str] | None = None,
    owners: Iterable[str] | None = None,
) -> list[ReviewerExposure]:
    """Every reviewer's (and the lead's) exposure in ``project`` (a review set, a plain or
    numbered project) from ``since`` (aware) on, read now and counted as an export's
    exposure.json counts it: answers, graphic passages, high-severity answers, and the UTC
    days above ``limit`` graphic passages. Reads only the answers since then and the other
    answers on their passages (:func:`annotate.review.recent.recent_answers`), not the
    whole project. ``across``: the other projects (names as ``project``) a reviewer's day
    is counted over too (:func:`server_projects`): the days above the limit are the
    reviewer's days over all of them (:attr:`ReviewerExposure.everywhere`); one that
    cannot be read (a name two kinds of project share, ...) is left out, its name added
    to ``unread``. ``owners``: see :func:`reviewer_exposure` (who is listed without an
    answer here). A numbered part (``NAME #2``) is read in its set ``NAME`` of ``across``
    too, so its answers count once in the day over every project, not twice.
    Raises what that raises (StudioError, ExportError)."""
    record = _record(client, project, tax, salt=salt, since=since)
    everywhere = None
    if across is not None:
        numbered = NUMBERED.fullmatch(project)
        whole = numbered.group(1) if numbered else None  # the set this part is read in
        records = [record]
        for other in across:
            if other == project:
                continue
            try:
                got = _record(client, other, tax, salt=salt, since=since)
            except StudioUnavailableError:
                raise  # the server gone: no count is right
            except AnnotateError as err:
                log.info("exposure: %r not read (%s)", other, err)
                if unread is not None:
                    unread.append(other)
                continue
            if other == whole:
                records[0] = got  # the whole set holds this part's answers: once, not twice
            else:
                records.append(got)
        everywhere = summed_days(records)
    found = reviewer_exposure(record, limit, everywhere, owners)
    for r in found:
        if r.over:
            log.info("%s above %d graphic passage(s) a day: %s", r.reviewer, limit, r.over)
    return found
