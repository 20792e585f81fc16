"""Reviewer wellbeing: who saw how much graphic or high-severity material, per day.

An answer counts as *graphic* when the model labelled the passage ``graphic_violence``
or scored it at least ``GRAPHIC_SCORE`` for it, or anyone who answered the passage (a
reviewer or the lead) chose that category: every reader of the passage read it, whatever
they answered (the lead's view hides it by the same rule);
as *high severity* when the reviewer's severity is at or above ``HIGH_LEVEL`` (by the
taxonomy's order). Days are UTC dates of the answer's creation.

The lead's answers in ``NAME · adjudication`` count too (the lead reads the most
disputed passages): each is an answer of the lead's pseudonym, counted again under
``adjudications``, and ``roles`` says who answered as a reviewer, as the lead
(``adjudication``) or both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from annotate._util.server_time import server_time

GRAPHIC = "graphic_violence"
GRAPHIC_SCORE = 0.5
HIGH_LEVEL = "high"
ROLES = ("reviewer", "adjudication")


def is_graphic_passage(model_labels: Sequence[str], scores: dict[str, Any]) -> bool:
    """Whether the model flags a passage as graphic (used to hide it until revealed)."""
    score = scores.get(GRAPHIC)
    return GRAPHIC in model_labels or (score is not None and float(score) >= GRAPHIC_SCORE)


def is_graphic_task(data: Mapping[str, Any]) -> bool:
    """Whether a task a push made is graphic by its model pre-label (the task's
    ``model_labels`` and ``model_scores`` fields, :func:`is_graphic_passage`); False for a
    task without them (a gold task of an older push, one annotate did not make)."""
    labels = data.get("model_labels")
    scores = data.get("model_scores")
    return is_graphic_passage(
        [str(x) for x in labels] if isinstance(labels, list) else [],
        scores if isinstance(scores, dict) else {},
    )


def exposure(
    rows: Sequence[dict[str, Any]],
    severity_levels: Sequence[str],
    adjudications: Sequence[dict[str, Any]] = (),
    *,
    counted_from: datetime | None = None,
) -> dict[str, Any]:
    """``{"reviewers": {pseudonym: {day: {"answers", "graphic", "high_severity",
    "adjudications"}}}, "roles": {pseudonym: ["reviewer", "adjudication"]}}``.

    ``adjudications``: the lead's answers (:attr:`annotate.review.collect.Collected.
    adjudications`), each on the passage ``passage`` of ``rows``. ``counted_from`` (an
    aware datetime; `annotate review status --since`): only answers created then or later
    are counted (one without a readable ``created_at`` is not); every answer still says
    whether its passage is graphic."""
    high = (
        severity_levels.index(HIGH_LEVEL)
        if HIGH_LEVEL in severity_levels
        else len(severity_levels) - 1
    )
    rank = {name: i for i, name in enumerate(severity_levels)}
    out: dict[str, dict[str, dict[str, int]]] = {}
    roles: dict[str, set[str]] = {}

    def count(ann: dict[str, Any], graphic_row: bool, role: str) -> None:
        if counted_from is not None and not _created_from(ann, counted_from):
            return
        day = _utc_day(ann.get("created_at"))
        cell = out.setdefault(ann["reviewer"], {}).setdefault(
            day, {"answers": 0, "graphic": 0, "high_severity": 0, "adjudications": 0}
        )
        cell["answers"] += 1
        cell["adjudications"] += int(role == "adjudication")
        cell["graphic"] += int(graphic_row or GRAPHIC in ann["categories"])
        cell["high_severity"] += int(rank.get(ann.get("severity") or "", -1) >= high)
        roles.setdefault(ann["reviewer"], set()).add(role)

    graphic_rows: dict[str, bool] = {}
    lead_chose = {str(a.get("passage")) for a in adjudications if GRAPHIC in a["categories"]}
    for row in rows:
        graphic_row = (
            is_graphic_passage(row.get("model_labels") or [], row.get("model_scores") or {})
            or any(GRAPHIC in ann["categories"] for ann in row["annotations"])
            or str(row.get("id")) in lead_chose
        )
        graphic_rows[str(row.get("id"))] = graphic_row
        for ann in row["annotations"]:
            count(ann, graphic_row, "reviewer")
    for ann in adjudications:
        count(ann, graphic_rows.get(str(ann.get("passage")), False), "adjudication")
    return {
        "graphic": f"model label {GRAPHIC}, model score >= {GRAPHIC_SCORE}, or anyone who "
        "answered the passage (a reviewer or the lead) chose it",
        "high_severity": f"reviewer severity >= {HIGH_LEVEL}",
        "adjudications": "the lead's answers in the adjudication project (also in answers)",
        "daily_cap": "not enforced by the server (Label Studio Community has no per-user quota)",
        "reviewers": {name: dict(sorted(days.items())) for name, days in sorted(out.items())},
        "roles": {name: sorted(r, key=ROLES.index) for name, r in sorted(roles.items())},
    }


def _utc_day(stamp: object) -> str:
    """The UTC date (``YYYY-MM-DD``) of a server time (:func:`annotate._util.server_time.
    server_time`: any offset the server wrote), ``"unknown"`` when it is no time. Not the
    first 10 characters of the text: ``2026-12-03T01:30:00+05:00`` is 2 December in UTC."""
    when = server_time(stamp)
    return "unknown" if when is None else when.date().isoformat()


def _created_from(ann: dict[str, Any], start: datetime) -> bool:
    """Whether answer ``ann`` was created at ``start`` or later (False: unreadable time)."""
    when = server_time(ann.get("created_at"))
    return when is not None and when >= start
