"""One text key for "the same passage, case and spacing aside": the audit report's
leakage check (texts in several splits of an export) and ``train``'s count of test
passages that a training or validation row also holds compare texts by it."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def folded(text: str) -> str:
    """``text`` lower-cased, each run of white space one space, stripped."""
    return _SPACE.sub(" ", str(text)).strip().lower()
