"""Reviewer wellbeing: who saw how much graphic or high-severity material, per day.

An answer counts as *graphic* when the passage was hidden as graphic where it was
answered: a task of it holding an answer records so in ``graphic_hidden_by``, written by
the push that made (or last brought up to date) the task, so what reviewers were shown
counts, whatever labels.yaml the command reads now (a task pushed before that field:
:class:`HidingRule` applied to the model and text, the model labelled it
``graphic_violence``, scored it at least the hiding threshold for it, or its text holds a
graphic-injury term); or when anyone who answered the passage (a reviewer or the lead)
chose that category: every reader of the passage read it, whatever they answered (the
lead's view hides it by the same rule);
as *high severity* when the reviewer's severity is at or above ``HIGH_LEVEL`` (by the
taxonomy's order). Days are UTC dates of the answer's creation.

The lead's answers in ``NAME · adjudication`` count too (the lead reads the most
disputed passages): each is an answer of the lead's pseudonym, counted again under
``adjudications``, and ``roles`` says who answered as a reviewer, as the lead
(``adjudication``) or both.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from annotate._util.server_time import server_time
from annotate.review.graphic_terms import DEFAULT_HIDE_TERMS, graphic_term

GRAPHIC = "graphic_violence"
# the graphic score at or above which a passage is hidden, below the model's own label
# threshold (0.3446 in models/default): a miss costs a reviewer more than a false hide.
# Measured on the project's test split, the regression fixtures, CrisisLexT26 and
# CrowdCounter (benchmarks/README.md, "Hiding backstop"; benchmarks/wellbeing_hiding.py).
HIDE_GRAPHIC_SCORE = 0.1
# the task field that says why a push hid a passage as graphic ("" when it did not)
HIDDEN_BY_FIELD = "graphic_hidden_by"
HIGH_LEVEL = "high"
ROLES = ("reviewer", "adjudication")


@dataclass(frozen=True)
class HidingRule:
    """When a passage is hidden as graphic: the model labels it ``graphic_violence``,
    scores it at least ``graphic_score`` (a probability in [0, 1]) for it, or its text
    holds one of ``terms`` (:func:`annotate.review.graphic_terms.graphic_term`; empty: no
    term backstop). labels.yaml ``wellbeing`` sets both
    (:func:`annotate.review.view.hiding_rule`)."""

    graphic_score: float = HIDE_GRAPHIC_SCORE
    terms: tuple[str, ...] = DEFAULT_HIDE_TERMS
    # said after a score reason when this is one reviewer's stricter rule (labels.yaml
    # wellbeing.reviewers): "" for the set-wide rule
    note: str = ""

    def reason(self, model_labels: Sequence[str], scores: Mapping[str, Any], text: str) -> str:
        """Why the passage is hidden as graphic, for the task and its warning: ``"model
        label graphic_violence"``, ``"model graphic score 0.12 >= 0.1"`` or ``"term
        \u201climbs\u201d"`` (the first that applies; a score reason ends with `` (note)`` under
        one reviewer's own rule); "" when it is not."""
        if GRAPHIC in model_labels:
            return f"model label {GRAPHIC}"
        score = _number(scores.get(GRAPHIC))
        if score is not None and score >= self.graphic_score:
            said = f"model graphic score {score:.3g} >= {self.graphic_score:g}"
            return f"{said} ({self.note})" if self.note else said
        term = graphic_term(text, self.terms) if text and self.terms else None
        return f"term \u201c{term}\u201d" if term else ""

    def describe(self) -> str:
        """The rule in words (exposure.json's ``graphic`` key)."""
        terms = f", a graphic-injury term ({len(self.terms)} listed)" if self.terms else ""
        return f"model label {GRAPHIC}, model score >= {self.graphic_score:g}{terms}"


DEFAULT_RULE = HidingRule()


def _number(value: Any) -> float | None:
    try:
        score = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(score) else score


def is_graphic_passage(
    model_labels: Sequence[str],
    scores: Mapping[str, Any],
    text: str = "",
    rule: HidingRule = DEFAULT_RULE,
) -> bool:
    """Whether a passage is hidden as graphic until revealed (:meth:`HidingRule.reason`;
    ``text`` "": the model's part of the rule only)."""
    return bool(rule.reason(model_labels, scores, text))


def is_graphic_task(
    data: Mapping[str, Any], rule: HidingRule = DEFAULT_RULE, text_field: str = "text"
) -> bool:
    """Whether a task a push made is hidden as graphic: its ``graphic_hidden_by`` field
    (what the push decided, under the rule of that push), or for a task of a push before
    that field, ``rule`` applied to its ``model_labels``, ``model_scores`` and text (the
    ``text_field`` field); False for a task without any of them (a gold task of an older
    push, one annotate did not make)."""
    if isinstance(data.get(HIDDEN_BY_FIELD), str):
        return bool(data[HIDDEN_BY_FIELD])
    labels = data.get("model_labels")
    scores = data.get("model_scores")
    return is_graphic_passage(
        [str(x) for x in labels] if isinstance(labels, list) else [],
        scores if isinstance(scores, dict) else {},
        str(data.get(text_field) or ""),
        rule,
    )


def exposure(
    rows: Sequence[dict[str, Any]],
    severity_levels: Sequence[str],
    adjudications: Sequence[dict[str, Any]] = (),
    *,
    counted_from: datetime | None = None,
    rule: HidingRule = DEFAULT_RULE,
    recorded: Mapping[int, str | None] | None = None,
) -> dict[str, Any]:
    """``{"reviewers": {pseudonym: {day: {"answers", "graphic", "high_severity",
    "adjudications"}}}, "roles": {pseudonym: ["reviewer", "adjudication"]}}``.

    ``adjudications``: the lead's answers (:attr:`annotate.review.collect.Collected.
    adjudications`), each on the passage ``passage`` of ``rows``. ``counted_from`` (an
    aware datetime; `annotate review status --since`): only answers created then or later
    are counted (one without a readable ``created_at`` is not); every answer still says
    whether its passage is graphic. ``recorded``: Label Studio task id -> the task's
    ``graphic_hidden_by`` (None: the task records none), for the tasks of the answers'
    ``ls_task_id``: a passage is graphic when one of them records it hidden as graphic, not
    when all of them record it shown. ``rule``: when a passage none of whose answers' tasks
    records it is graphic, by the model or its text (each row's ``model_labels``,
    ``model_scores`` and ``text``)."""
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
    by_rule = 0  # rows none of whose answers' tasks records whether it was hidden
    for row in rows:
        shown = _recorded(row, recorded or {})
        by_rule += shown is None
        graphic_row = (
            (
                shown
                if shown is not None
                else is_graphic_passage(
                    row.get("model_labels") or [],
                    row.get("model_scores") or {},
                    str(row.get("text") or ""),
                    rule,
                )
            )
            or any(GRAPHIC in ann["categories"] for ann in row["annotations"])
            or str(row.get("id")) in lead_chose
        )
        graphic_rows[str(row.get("id"))] = graphic_row
        for ann in row["annotations"]:
            count(ann, graphic_row, "reviewer")
    for ann in adjudications:
        count(ann, graphic_rows.get(str(ann.get("passage")), False), "adjudication")
    # what reviewers were shown, recorded on the tasks: the same whatever labels.yaml the
    # command reads; the rule of that labels.yaml is named only where it decided a passage
    hidden = "hidden as graphic where it was answered (the task's graphic_hidden_by)"
    if by_rule:
        hidden += f"; {by_rule} passage(s) of tasks pushed before that record: {rule.describe()}"
    return {
        "graphic": f"{hidden}, or anyone who answered the passage (a reviewer or the lead) "
        "chose it",
        "high_severity": f"reviewer severity >= {HIGH_LEVEL}",
        "adjudications": "the lead's answers in the adjudication project (also in answers)",
        "daily_cap": "not enforced by the server (Label Studio Community has no per-user quota)",
        "reviewers": {name: dict(sorted(days.items())) for name, days in sorted(out.items())},
        "roles": {name: sorted(r, key=ROLES.index) for name, r in sorted(roles.items())},
    }


def _recorded(row: Mapping[str, Any], recorded: Mapping[int, str | None]) -> bool | None:
    """Whether ``row``'s passage was hidden as graphic by the records of its answers' tasks
    (``recorded``, by task id): True when one records it hidden, False when all record it
    shown, None when one records nothing (pushed before ``graphic_hidden_by``; the rule
    decides)."""
    states = [recorded.get(_task_id(a)) for a in row.get("annotations") or []]
    if any(isinstance(s, str) and s for s in states):
        return True
    if states and all(isinstance(s, str) for s in states):
        return False
    return None


def _task_id(ann: Mapping[str, Any]) -> int:
    try:
        return int(ann.get("ls_task_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1


def recorded_hiding(tasks: Iterable[Mapping[str, Any]]) -> dict[int, str | None]:
    """Task id -> its ``graphic_hidden_by`` (None: none recorded), for :func:`exposure`'s
    ``recorded``; ``tasks``: Label Studio tasks with ``id`` and ``data``."""
    out: dict[int, str | None] = {}
    for task in tasks:
        value = (task.get("data") or {}).get(HIDDEN_BY_FIELD)
        out[int(task["id"])] = value if isinstance(value, str) else None
    return out


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
