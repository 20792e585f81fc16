"""``--since`` of the review commands, one parser: `annotate escalations --since` and
`annotate review status --since` take the same values, an ISO 8601 date or date-time
(``2026``, ``2026-11``, ``2026-11-30``, ``2026-11-30T14:00``, ``...Z``, ``...+01:00``),
UTC unless it has an offset."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from annotate.errors import InputError

EXAMPLES = "e.g. --since 2026-11-30 or --since 2026-11-30T14:00 (UTC unless an offset such as "
EXAMPLES += "+01:00 is given)"


def iso_time(text: str) -> datetime:
    """``datetime.fromisoformat`` that also takes a trailing ``Z`` (Python 3.10 does not)
    and the reduced dates ``YYYY`` and ``YYYY-MM`` (their first day), as an aware
    datetime (UTC when the text has no offset). Raises ValueError."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        text += "-01-01"
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def parse_since(since: str) -> datetime:
    """``--since`` as an aware datetime (see the module). Raises InputError for anything
    else (e.g. ``yesterday``, ``30/11/2026``, or a time that is out of range in UTC:
    ``0001-01-01T00:00+01:00``), naming what was expected and found, with an example."""
    try:
        when = iso_time(since)
    except ValueError:
        raise InputError(
            f"--since expects an ISO date or time, found {since!r}.",
            fix=f"{EXAMPLES}.",
        ) from None
    try:
        when.astimezone(timezone.utc)  # compared, and sent to Label Studio, in UTC
    except OverflowError:
        raise InputError(
            f"--since is {since!r}, which is out of range in UTC (before year 1 or after "
            "year 9999 once its offset is applied).",
            fix=f"{EXAMPLES}.",
        ) from None
    return when
