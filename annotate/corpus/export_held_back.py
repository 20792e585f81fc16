"""The graphic passages a push held back from every queue of a review set
(``push --max-graphic-per-reviewer``), as the export records them in its manifest
(``passages_held_back``).

Such a passage has no task anywhere, so nothing the export reads from Label Studio counts
it: neither the rows nor the open-task counts (``tasks_unanswered_in_label_studio``). The
pushes record them on the machine that ran them (:mod:`annotate.review.held_back`); the
export reads that record, so an auditor reading only the corpus (its manifest, its
report) learns that passages are in no task and not in the corpus. Pushes made on another
machine are not seen (the record says so).

Absent from manifests written before 2026-12-04: not recorded (not "none").
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from annotate.audit.redact import Redactor

RECORDED_BY = "the record of the pushes made on the machine that exported ($ANNOTATE_HOME)"


def held_back_record(
    server: str,
    project: str,
    exported: Collection[str],
    redactor: Redactor | None = None,
) -> dict[str, Any]:
    """The manifest's ``passages_held_back``: the passages pushes into review set
    ``project`` on the Label Studio at ``server`` (its URL) held back from every queue,
    less ``exported`` (the rows' passage ids, before any pseudonym: answered since a later
    push queued them).

    Returns ``{"passages": int, "pushes": [{"prelabels": file name, "max_graphic_per_
    reviewer": int, "reviewers_per_task": int, "passages": int}, ...], "example": str |
    None, "recorded_by": str}``: ``pushes`` the pushes whose record holds them (the same
    pre-labels pushed again, with a cap above 0 or once queues have room, queues them),
    by file name only (the path would name the lead's machine; masked as text with
    ``redactor``); ``example`` one passage id, None with ``redactor`` (a held-back passage
    is no row, so no pseudonym covers its id, which may carry its document's). A record
    that cannot be read is logged by the reader and counts as none."""
    from annotate.review.held_back import held_back

    done = {str(i) for i in exported}
    pushes, waiting = [], set()
    for rec in held_back(server, project, done):
        name = Path(rec.prelabels).name
        pushes.append(
            {
                "prelabels": redactor.text(name) if redactor is not None else name,
                "max_graphic_per_reviewer": rec.max_graphic,
                "reviewers_per_task": rec.k,
                "passages": len(rec.passages),
            }
        )
        waiting.update(rec.passages)
    return {
        "passages": len(waiting),
        "pushes": pushes,
        "example": min(waiting) if waiting and redactor is None else None,
        "recorded_by": RECORDED_BY,
    }
