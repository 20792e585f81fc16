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
import warnings
from datetime import date, datetime, timedelta, timezone
from typing import Any

# epoch numbers read as dates only when clearly seconds or milliseconds of 1973-03-03
# (1e8 seconds) to 2286-11-20 (1e10): 0 and other small numbers (sentinels, counts) are no
# date, and 1e10-1e11 could be either unit
_SECONDS = (1e8, 1e10)
_MILLISECONDS = (1e11, 1e13)
# seconds of 9999-12-31 to 10000-01-01 (253402300799, 253402300800: a "never" sentinel):
# within the milliseconds' range, but no date of 1978 (break12 L3)
_NEVER_SECONDS = (253402214400, 253402300800)
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_TIME = re.compile(r"\d:\d")
# a date written with its day and month as numbers before a year of four digits
# (03/04/2026, 25.03.2026 10:00, 4-3-2026, 10:00 4/3/2026): which comes first is the
# writer's convention
_NUMBERS_FIRST = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2\d{4}(?!\d)")
# the zone abbreviations read (US and UK, and central/eastern Europe's), as their UTC
# offset in hours; another (IST: India, Ireland or Israel?) makes the value no date
ZONES = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 1,
    "WET": 0,
    "WEST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
}
_TZINFOS = {name: timezone(timedelta(hours=hours), name) for name, hours in ZONES.items()}
# an offset written after UTC or GMT (``UTC+5``, ``GMT+05:30``, ``GMT +0530``): east of UTC
# as people write it, where dateutil reads the POSIX TZ convention (``UTC+5`` five hours
# west) and drops an offset after a space (``GMT +2``); rewritten as an ISO offset before
# dateutil reads the value (break12 M6: stored times 10-11 hours off)
_NAMED_OFFSET = re.compile(
    r"(?<![A-Za-z])(?:UTC|GMT)\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?(?![\d:])", re.IGNORECASE
)


def _iso_offsets(text: str) -> str | None:
    """``text`` with each ``UTC+N``/``GMT+HH:MM`` written as an ISO offset (``+NN:00``);
    None when an offset is no offset (over 14 hours, minutes over 59)."""
    bad = False

    def offset(found: re.Match[str]) -> str:
        nonlocal bad
        hours, minutes = int(found.group(2)), int(found.group(3) or 0)
        bad = bad or hours > 14 or minutes > 59
        sign = "-" if found.group(1) in "-−" else "+"
        return f" {sign}{hours:02d}:{minutes:02d}"

    rewritten = _NAMED_OFFSET.sub(offset, text)
    return None if bad else rewritten


DAY = "day"  # numeric_order: the first number can only be the day (25/03/2026)
MONTH = "month"  # the second can only be the day (03/25/2026)
EITHER = "either"  # both could be the month, and they differ (03/04/2026)


def numeric_order(value: Any) -> str | None:
    """Which number of a date written ``NN/NN/YYYY`` (``.`` or ``-`` between them too) is
    the day, as far as the value itself tells: :data:`DAY` (the first, above 12),
    :data:`MONTH` (the second, above 12), :data:`EITHER` (both 12 or below, and not the
    same); None for a value of another form, or one read alike either way (03/03/2026)."""
    if not isinstance(value, str):
        return None
    found = _NUMBERS_FIRST.search(value)
    if found is None:
        return None
    first, second = int(found.group(1)), int(found.group(3))
    if first > 12 and second <= 12:
        return DAY
    if second > 12 and first <= 12:
        return MONTH
    if first <= 12 and second <= 12 and first != second:
        return EITHER
    return None


def _written(moment: datetime, with_time: bool) -> str | None:
    """``moment`` in ISO 8601: one with a zone converted to UTC (``...Z``), so its day is
    the UTC day; one without kept without (its zone is not known); a date alone as
    ``YYYY-MM-DD``. None when its UTC time falls outside the years 1-9999 (a "never"
    sentinel such as ``9999-12-31T23:59:59-05:00`` or ``0001-01-01T00:00:00+05:00``): no
    date, so the value stays in meta as written (break11 H1: a traceback)."""
    if moment.tzinfo is not None:
        try:
            text = moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat()
        except (OverflowError, ValueError):
            return None
        return text + "Z"
    return moment.isoformat() if with_time else moment.date().isoformat()


def _epoch(number: float) -> str | None:
    if math.isnan(number) or math.isinf(number):
        return None
    size = abs(number)
    if _SECONDS[0] <= size < _SECONDS[1]:
        seconds = number
    elif _NEVER_SECONDS[0] <= size <= _NEVER_SECONDS[1]:
        return None
    elif _MILLISECONDS[0] <= size < _MILLISECONDS[1]:
        seconds = number / 1000
    else:
        return None
    return _written(datetime.fromtimestamp(seconds, timezone.utc), True)


_ABBREVIATION = re.compile(r"(?<![A-Za-z])([A-Z]{2,5})\s*$")


def unknown_zone(value: Any) -> str | None:
    """The time zone abbreviation ending ``value`` that made it no date (not one of
    :data:`ZONES`: ``IST``), for the warning to name; None when there is none, or the
    value is no date without it either."""
    if not isinstance(value, str):
        return None
    found = _ABBREVIATION.search(value.strip())
    if found is None or found.group(1) in ZONES:
        return None
    rest = value.strip()[: found.start()]
    return found.group(1) if iso_date(rest) is not None else None


def iso_date(value: Any, *, day_first: bool = False) -> str | None:
    """``value`` (a cell of a ``--date-column``) as an ISO 8601 date or timestamp, None
    when it is not a date. Read: a datetime or date (a typed Parquet column); an ISO 8601
    string; the common written forms dateutil reads (``03/01/2026``, month first as
    pandas reads it, day first with ``day_first``; ``2 Nov 2026 08:14``), which must give
    a year of four digits and a day (``2026`` or ``May`` alone is no date); a number, or a
    string of digits, of epoch seconds or milliseconds (1973-03-03 to 2286), or a whole number
    of eight digits in ISO's basic form (``20240101``, as the string is). A time with a zone is
    converted to UTC; a zone abbreviation is read when it is one of :data:`ZONES` (PST,
    EST, BST, CET, ...), another (IST) makes the value no date, as does a zoned time
    whose UTC time is outside the years 1-9999. ``day_first`` applies to the
    ``NN/NN/YYYY`` forms only (:func:`numeric_order`; a time before them too):
    ``2026/03/04`` stays 4 March whatever it says. A value whose first number cannot be a
    month (``25/03/2026``) is read day first either way."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _written(value, True)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and 19000101 <= value <= 22991231:  # 20240101: ISO's basic form
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            return None
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

    if (rewritten := _iso_offsets(text)) is None:
        return None
    text = rewritten
    first = day_first and _NUMBERS_FIRST.search(text) is not None
    try:  # two defaults: a day or month missing from the text shows as a difference
        with warnings.catch_warnings():
            # a zone abbreviation not in ZONES: dateutil warns and gives the local time
            # as if no zone were written; it is no date here (break11 M6)
            warnings.simplefilter("error", parser.UnknownTimezoneWarning)
            one = parser.parse(text, default=datetime(2000, 1, 1), dayfirst=first, tzinfos=_TZINFOS)
            two = parser.parse(text, default=datetime(2001, 2, 2), dayfirst=first, tzinfos=_TZINFOS)
    except (ValueError, OverflowError, TypeError, parser.UnknownTimezoneWarning):
        return None
    if one != two:
        return None
    return _written(one, bool(_TIME.search(text)))
