"""`annotate review status --json`: one document of one shape for a review set (reviewer
queues) and for a name pushed without ``--reviewers-per-task`` (one project, or numbered
ones), so that a script reads the same keys of either (docs/review.md, "review status").

Every key is present in both kinds; one that does not apply to a kind holds an empty
list or null, never a made-up count (a plain project has no K, so nothing is "short of
K"). ``format`` names the shape (:data:`STATUS_FORMAT`); a change that drops or renames
a key changes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any, Literal

from annotate._util.server_time import time_order
from annotate.review.project_status import LeadStatus, PartStatus
from annotate.review.status_summary import QueueRow, Summary, row_dict

STATUS_FORMAT = "annotate-review-status/1"
Kind = Literal["review_set", "projects"]
# the top-level keys of every status document, in both kinds
KEYS = (
    "format",
    "project",
    "kind",
    "reviewers_per_task",
    "totals",
    "oldest_open",
    "queues",
    "projects",
    "lead",
    "short_of_k",
    "held_back",
    "held_back_pruned",
    "deleted_queues",
    "exposure",
    "contradictions",
    "answers_written_by_another_account",
)
# the keys of ``totals``
TOTAL_KEYS = ("projects", "queues", "tasks", "answered", "skipped", "open", "gold", "drafts")


def review_set_document(
    project: str,
    *,
    k: int | None,
    summary: Summary,
    rows: Sequence[QueueRow],
    lead: LeadStatus | None,
    short_of_k: Mapping[str, Any],
    held_back: list[dict[str, Any]],
    held_back_pruned: Mapping[str, Any] | None,
    exposure: Mapping[str, Any],
    deleted_queues: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The status of review set ``project``: its queues (``rows``, counted over in
    ``summary``), K, the lead's project, the passages short of K, the held-back record,
    ``exposure`` (``{"exposure": {...}, "contradictions": {...},
    "answers_written_by_another_account": {...}}`` as the CLI builds it)
    and the queues a push from this machine made that are gone from the server
    (``deleted_queues``: ``project_id``, ``title``, ``reviewer``: e-mail or None). Keys:
    :data:`KEYS`."""
    t = summary.totals
    oldest = summary.oldest
    return _document(
        project,
        "review_set",
        reviewers_per_task=k,
        totals={**asdict(t), "projects": t.queues},
        oldest_open=None
        if oldest is None or not oldest.oldest_open
        else {
            "queue": oldest.name,
            "project_id": oldest.project_id,
            "url": oldest.url,
            "created_at": oldest.oldest_open,
        },
        queues=[row_dict(r) for r in rows],
        projects=[],
        lead=lead,
        short_of_k=dict(short_of_k),
        held_back=held_back,
        held_back_pruned=None if held_back_pruned is None else dict(held_back_pruned),
        deleted_queues=[dict(q) for q in deleted_queues],
        exposure=exposure,
    )


def projects_document(
    project: str,
    *,
    parts: Sequence[PartStatus],
    lead: LeadStatus | None,
    held_back: list[dict[str, Any]],
    exposure: Mapping[str, Any],
) -> dict[str, Any]:
    """The status of ``project`` pushed without ``--reviewers-per-task``: its projects
    (``parts``, in fill order), the lead's project and ``exposure``; no queues, no K
    (``reviewers_per_task`` and ``short_of_k`` null), no gold (0). Keys: :data:`KEYS`."""
    waiting = [p for p in parts if p.oldest_open]
    oldest = min(waiting, key=lambda p: time_order(p.oldest_open)) if waiting else None
    return _document(
        project,
        "projects",
        reviewers_per_task=None,
        totals={
            "projects": len(parts),
            "queues": 0,
            "tasks": sum(p.tasks for p in parts),
            "answered": sum(p.answered for p in parts),
            "skipped": sum(p.skipped for p in parts),
            "open": sum(p.open for p in parts),
            "gold": 0,
            "drafts": sum(p.open_drafts for p in parts),
        },
        oldest_open=None
        if oldest is None
        else {
            "queue": None,
            "project_id": oldest.project_id,
            "url": oldest.url,
            "created_at": oldest.oldest_open,
        },
        queues=[],
        projects=[asdict(p) for p in parts],
        lead=lead,
        short_of_k=None,
        held_back=held_back,
        held_back_pruned=None,
        deleted_queues=[],
        exposure=exposure,
    )


def _document(
    project: str,
    kind: Kind,
    *,
    lead: LeadStatus | None,
    exposure: Mapping[str, Any],
    **fields: Any,
) -> dict[str, Any]:
    doc = {
        "format": STATUS_FORMAT,
        "project": project,
        "kind": kind,
        "lead": None if lead is None else asdict(lead),
        **fields,
        **exposure,
    }
    assert tuple(sorted(doc)) == tuple(sorted(KEYS)), sorted(set(doc) ^ set(KEYS))
    assert tuple(sorted(doc["totals"])) == tuple(sorted(TOTAL_KEYS))
    return doc
