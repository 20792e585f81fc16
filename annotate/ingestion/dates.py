"""The values of ``ingest --date-column`` read as dates (break9 N1, N4).

A value of the column a user named as the rows' date became the passage's ``date`` as
written, whatever it held: an e-mail address (or, with ``--date-column`` naming the text
column, the whole text) went into ``date`` unmasked under ``--redact``, and ``03/01/2026``
or ``1735689600`` gave decision records no ``content_date``. :func:`iso_date` reads a
value as a date or says it is not one (None); the caller keeps a value that is not a date
in ``meta``, where ``--redact`` masks it.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timezone
from typing import Any

# epoch numbers read as dates only when clearly seconds or milliseconds of 2001-2286
_SECONDS = (1e9, 1e10)
_MILLISECONDS = (1e12, 1e13)
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_TIME = re.compile(r"\d:\d")


def _written(moment: datetime, with_time: bool) -> str:
    """``moment`` in ISO 8601: one with a zone converted to UTC (``...Z``), so its day is
    the UTC day; one without kept without (its zone is not known); a date alone as
    ``YYYY-MM-DD``."""
    if moment.tzinfo is not None:
        text = moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat()
        return text + "Z"
    return moment.isoformat() if with_time else moment.date().isoformat()


def _epoch(number: float) -> str | None:
    if math.isnan(number) or math.isinf(number):
        return None
    size = abs(number)
    if _SECONDS[0] <= size < _SECONDS[1]:
        seconds = number
    elif _MILLISECONDS[0] <= size < _MILLISECONDS[1]:
        seconds = number / 1000
    else:
        return None
    return _written(datetime.fromtimestamp(seconds, timezone.utc), True)


def iso_date(value: Any) -> str | None:
    """``value`` (a cell of a ``--date-column``) as an ISO 8601 date or timestamp, None
    when it is not a date. Read: a datetime or date (a typed Parquet column); an ISO 8601
    string; the common written forms dateutil reads (``03/01/2026``, month first as
    pandas reads it; ``2 Nov 2026 08:14``), which must give a year of four digits and a
    day (``2026`` or ``May`` alone is no date); a number, or a string of digits, of epoch
    seconds or milliseconds (2001-2286). A time with a zone is converted to UTC."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _written(value, True)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:  # 2026-11-02, and ISO's basic form 20261102
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    if _NUMBER.fullmatch(text):
        return _epoch(float(text))
    try:
        return _written(datetime.fromisoformat(text.replace("z", "Z")), True)
    except ValueError:
        pass
    if not _YEAR.search(text):
        return None
    from dateutil import parser

    try:  # two defaults: a day or month missing from the text shows as a difference
        one = parser.parse(text, default=datetime(2000, 1, 1))
        two = parser.parse(text, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if one != two:
        return None
    return _written(one, bool(_TIME.search(text)))
