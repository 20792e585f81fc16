"""The record a push leaves of the re-posts it left out, on the task that holds their text.

A push does not send a passage whose exact text a task of another passage already holds
(:mod:`annotate.studio.staging`, :func:`annotate.review.fanout.push_review`). So that an
audit finds what was left out, and where the statement was posted again, the task holding
the text gets, in its ``meta`` (not shown to reviewers; in Label Studio's own exports and
the API), ``annotate_reposts``: a list of ``{"passage_id", "doc_id"}`` of the passages left
out, merged by passage id (a re-run adds nothing), at most :data:`MAX_RECORDED` of them (a
statement spammed thousands of times: the first ones; the push's count and log have all).
A later push that gives such a passage a task of its own (``--keep-reposts``) takes it off
that list, in the same request as any it adds (export still reports, as ``pushed_later``,
entries a push made before that left behind).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterable
from typing import Any, Protocol

from annotate._util.shown import shown

log = logging.getLogger(__name__)

REPOSTS_META_KEY = "annotate_reposts"
MAX_RECORDED = 100  # re-posts listed on one task; beyond it only counted


class _Client(Protocol):
    def get_task_meta(self, task_id: int) -> dict[str, Any]: ...

    def update_task_meta(self, task_id: int, meta: dict[str, Any]) -> None: ...


def repost_where(
    doc: str | None, located: str | None, file: str | os.PathLike[str] | None = None
) -> str:
    """Where a person finds a re-post left out, as every push path names it: its document
    and its place in the pushed ``file`` (``document D; row N of FILE``: the row is the
    table's, not the document's; either alone when the other is unknown; ``unknown`` when
    both are; without ``file``, ``document D, line M``)."""
    if located and file is not None:
        located = f"{located} of {shown(file)}"
    parts = ([f"document {doc}"] if doc not in (None, "") else []) + ([located] if located else [])
    return ("; " if file is not None else ", ").join(parts) or "unknown"


def merged(
    meta: dict[str, Any],
    reposts: Iterable[tuple[str, str | None]],
    placed: Collection[str] = (),
) -> dict[str, Any] | None:
    """``meta`` with the re-posts ``(passage id, document id)`` recorded and those of
    ``placed`` (passage ids that have a task of their own now) taken off the list (the
    key goes when the list empties); None when there is nothing to write (every re-post
    recorded already, none placed listed)."""
    before = [dict(r) for r in meta.get(REPOSTS_META_KEY) or [] if isinstance(r, dict)]
    listed = [r for r in before if str(r.get("passage_id")) not in placed]
    changed = len(listed) != len(before)
    known = {str(r.get("passage_id")) for r in listed}
    for pid, doc in reposts:
        if pid in known or pid in placed or len(listed) >= MAX_RECORDED:
            continue
        known.add(pid)
        listed.append({"passage_id": pid, "doc_id": doc})
        changed = True
    if not changed:
        return None
    rest = {k: v for k, v in meta.items() if k != REPOSTS_META_KEY}
    return {**rest, REPOSTS_META_KEY: listed} if listed else rest


def listed_reposts(meta: dict[str, Any] | None) -> list[str]:
    """Passage ids a task's ``meta`` records as re-posts of its text ([]: none)."""
    entries = (meta or {}).get(REPOSTS_META_KEY)
    if not isinstance(entries, list):
        return []
    return [str(r["passage_id"]) for r in entries if isinstance(r, dict) and "passage_id" in r]


def record_reposts(
    client: _Client,
    by_task: Iterable[
        tuple[int, list[tuple[str, str | None]], dict[str, Any] | None, Collection[str]]
    ],
) -> int:
    """Record on each task the re-posts of its text and take off its list those that have
    a task of their own now (``(task id, [(passage id, document id), ...], the task's meta
    as listed, passage ids placed)``, each task once; meta None: read here, one request).
    Returns how many tasks were updated (one request each). Raises StudioError (a re-run
    records what is missing)."""
    updated = 0
    for task_id, reposts, meta, placed in by_task:
        if meta is None:
            meta = client.get_task_meta(task_id)
        new = merged(meta, reposts, placed)
        if new is not None:
            client.update_task_meta(task_id, new)
            updated += 1
    if updated:
        log.info("updated the re-posts recorded on %d task(s) (meta %r)", updated, REPOSTS_META_KEY)
    return updated
