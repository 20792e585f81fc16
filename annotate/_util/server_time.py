"""Times a Label Studio server sends (a task's ``created_at``), compared as times, not as
text.

Label Studio writes them with Django REST framework's ``DateTimeField``:
``datetime.isoformat()`` in the server's ``TIME_ZONE`` (UTC by default), ``+00:00``
written ``Z``, and the fraction of a second left out when it is zero, so one listing holds
``2026-12-03T10:00:00Z`` beside ``2026-12-03T10:00:00.250000Z``; a server set to
another zone writes ``+01:00``. Compared as strings, ``...:00.250000Z`` sorts before
``...:00Z`` ('.' before 'Z'), and ``11:30+01:00`` after ``10:45Z``, which it precedes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone

# where a stamp that is no time sorts: after every time (:func:`time_order`), or before
# every time (:func:`recency`: never the latest)
_NO_TIME = datetime.max.replace(tzinfo=timezone.utc)
_NEVER = datetime.min.replace(tzinfo=timezone.utc)
# a fraction of a second: Python 3.10's fromisoformat reads 3 or 6 digits only
_FRACTION = re.compile(r"(?<=\d\d:\d\d:\d\d)\.(\d+)")


def server_time(stamp: object) -> datetime | None:
    """``stamp`` (ISO 8601 text: ``Z`` or an offset, any fraction of a second; no offset
    read as UTC) as an aware datetime in UTC; None when it is empty or no such time."""
    if not isinstance(stamp, str) or not stamp.strip():
        return None
    text = stamp.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    try:
        return when.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00+01:00: before the first UTC time
        return None


def time_order(stamp: object) -> datetime:
    """A sort key of ``stamp``: its time (:func:`server_time`); a stamp that is no time
    (or None) after every time."""
    when = server_time(stamp)
    return _NO_TIME if when is None else when


def recency(stamp: object) -> datetime:
    """A sort key of ``stamp`` for the latest of several (``max(..., key=recency)``): its
    time (:func:`server_time`); a stamp that is no time (or None) before every time."""
    when = server_time(stamp)
    return _NEVER if when is None else when


def earliest(stamps: Iterable[str]) -> str | None:
    """The stamp of the earliest time among ``stamps`` (as given: the server's text);
    the first of equal times; None when there is none. A stamp that is no time is
    chosen only when none is a time."""
    return min(stamps, key=time_order, default=None)
