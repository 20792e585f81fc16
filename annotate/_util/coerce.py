"""Lenient conversions of table cells (JSONL/CSV/Parquet values may be None, "" or NaN)."""

from __future__ import annotations

import json
import math
from typing import Any


def opt_str(value: Any) -> str | None:
    """``str(value)`` (dates as ISO 8601), or None for None and NaN. An empty string
    stays empty: callers that treat it as missing write ``opt_str(v) or None``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# floats hold every whole number up to 2**53 exactly; above it a float id may have lost digits
EXACT_FLOAT_INTEGERS = 2**53


def inexact_float_id(value: Any) -> bool:
    """Whether ``value`` is a whole number held as a float of 2**53 or more, whose last
    digits a float may have changed (:func:`id_str` keeps it as read)."""
    return isinstance(value, float) and value.is_integer() and abs(value) >= EXACT_FLOAT_INTEGERS


def id_str(value: Any) -> str | None:
    """A row's id as text: :func:`opt_str`, except that a whole number held as a float
    (``1.0``, as pandas stores an integer column with an empty cell, in Parquet or its
    JSON) is written as the integer (``1``), the id the column held before: the id of a
    row must not depend on whether another row's cell is empty. Other floats (``1.5``,
    whole numbers of 2**53 or more, whose digits a float may have changed) as
    :func:`opt_str` writes them; None for None and NaN. Bytes (a Parquet or Arrow
    ``binary`` column) are their text when they are printable UTF-8 (``b"x1"`` is
    ``x1``), else their lower-case hex (a 16-byte UUID is its 32 hex digits), never Python's
    ``b'...'``."""
    if isinstance(value, float) and value.is_integer() and not inexact_float_id(value):
        return str(int(value))
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.hex()
        return text if text.isprintable() else raw.hex()
    return opt_str(value)


def json_default(value: Any) -> str:
    """``json.dumps``'s ``default`` for a row's meta: bytes (a Parquet ``binary`` column:
    a parent id, as the row's own id) as :func:`id_str` writes them, so a reply's parent
    names its parent's document id; any other value as ``str`` writes it."""
    if isinstance(value, bytes | bytearray | memoryview):
        return id_str(value) or ""
    return str(value)


def json_cell(value: Any) -> Any:
    """A cell that may hold JSON as text (a CSV's ``scores`` column, a JSONL ``labels``
    written as a string): a string that parses as JSON is returned parsed (a dict, a
    list, a number ...), a string that does not as it is; any other value (already a
    dict or list, None, a number) as it is. Never raises."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def as_text(value: Any) -> Any:
    """A cell as a text column holds it: a number or a boolean as Python writes it (``5``,
    ``20240101``, ``True``, as :func:`opt_str` does), an object or a list as its JSON
    (``{"name": "BBC"}``, not Python's ``{'name': 'BBC'}``); a string, None, NaN or any
    other value is returned as it is (NaN and None read as null)."""
    if isinstance(value, float) and math.isnan(value):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def opt_int(value: Any) -> int | None:
    """``int(value)``, or None for None, "", NaN or a value that is not a number."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
