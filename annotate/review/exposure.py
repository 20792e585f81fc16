"""Reviewer wellbeing: who saw how much graphic or high-severity material, per day.

An answer counts as *graphic* when the model labelled the passage ``graphic_violence``
or scored it at least ``GRAPHIC_SCORE`` for it, or the reviewer chose that category;
as *high severity* when the reviewer's severity is at or above ``HIGH_LEVEL`` (by the
taxonomy's order). Days are UTC dates of the answer's creation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

GRAPHIC = "graphic_violence"
GRAPHIC_SCORE = 0.5
HIGH_LEVEL = "high"


def is_graphic_passage(model_labels: Sequence[str], scores: dict[str, Any]) -> bool:
    """Whether the model flags a passage as graphic (used to hide it until revealed)."""
    score = scores.get(GRAPHIC)
    return GRAPHIC in model_labels or (score is not None and float(score) >= GRAPHIC_SCORE)


def exposure(rows: Sequence[dict[str, Any]], severity_levels: Sequence[str]) -> dict[str, Any]:
    """``{"reviewers": {pseudonym: {day: {"answers", "graphic", "high_severity"}}}}``."""
    high = (
        severity_levels.index(HIGH_LEVEL)
        if HIGH_LEVEL in severity_levels
        else len(severity_levels) - 1
    )
    rank = {name: i for i, name in enumerate(severity_levels)}
    out: dict[str, dict[str, dict[str, int]]] = {}
    for row in rows:
        graphic_row = is_graphic_passage(
            row.get("model_labels") or [], row.get("model_scores") or {}
        )
        for ann in row["annotations"]:
            day = str(ann.get("created_at") or "unknown")[:10]
            cell = out.setdefault(ann["reviewer"], {}).setdefault(
                day, {"answers": 0, "graphic": 0, "high_severity": 0}
            )
            cell["answers"] += 1
            cell["graphic"] += int(graphic_row or GRAPHIC in ann["categories"])
            cell["high_severity"] += int(rank.get(ann.get("severity") or "", -1) >= high)
    return {
        "graphic": f"model label {GRAPHIC}, model score >= {GRAPHIC_SCORE}, or reviewer chose it",
        "high_severity": f"reviewer severity >= {HIGH_LEVEL}",
        "daily_cap": "not enforced by the server (Label Studio Community has no per-user quota)",
        "reviewers": {name: dict(sorted(days.items())) for name, days in sorted(out.items())},
    }
