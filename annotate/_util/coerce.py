"""Lenient conversions of table cells (JSONL/CSV/Parquet values may be None, "" or NaN)."""

from __future__ import annotations

import math
from typing import Any


def opt_str(value: Any) -> str | None:
    """``str(value)`` (dates as ISO 8601), or None for None and NaN. An empty string
    stays empty: callers that treat it as missing write ``opt_str(v) or None``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def opt_int(value: Any) -> int | None:
    """``int(value)``, or None for None, "", NaN or a value that is not a number."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
