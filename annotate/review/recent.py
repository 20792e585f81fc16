"""The answers a project got since a time, read without reading the whole project: what
`annotate review status` counts exposure from while a round runs.

An export reads every task of every project (:func:`annotate.review.collect.collect`:
a snapshot export of each, its task list, its skips), so a status that reused it grew with
the project's history: every answer ever given, to count today's. Here Label Studio is
asked only for

1. the answered tasks *touched* since ``since`` in each project of the name (its queues,
   or its one or numbered projects) and in ``NAME · adjudication``: a task's
   ``updated_at`` moves whenever an answer on it is saved, so these hold every answer
   created since then (and some older ones, left out when counted);
2. the other answered tasks of those passages (a passage's copies in other queues, a
   duplicate task, its adjudication task), found by passage id among the tasks not
   touched since then: whether a passage is graphic depends on what anyone who answered
   it chose, whenever they did;
3. the tasks answered while 1. and 2. were read: a task of 2.'s projects answered after
   1.'s listing passed it (or, in a project 1. had nothing to list in, after 1. began) is
   touched since ``since`` when 2.'s listing, of the tasks touched before it, comes to it,
   so neither read it, and its earlier answers on a passage of 1. went unread. The ids of
   the answered tasks touched since ``since`` in those projects are listed once more
   (ids only), and those read by neither are read, by id, when their passage is one of 1.
   (a task read by neither whose passage is not: no answer of it came before the read
   began).

Both are Data Manager listings filtered by the server (``updated_at``, ``total_annotations``,
a ``data.passage_id`` pattern), so the requests and bytes grow with the answers since
``since`` and the reviewers, not with the tasks in the projects; a project whose answered
tasks are mostly recent (``--since`` long ago) is read by one snapshot export instead,
as an export reads it. The tasks are then made
rows and lead answers as an export makes them (:func:`annotate.corpus.rows.task_to_row`,
:func:`annotate.studio.pull.latest_annotations`), one passage's copies merged into one row.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from annotate._util.server_time import recency
from annotate.corpus.offered import not_offered_in
from annotate.corpus.resolve import NotOffered, pseudonym
from annotate.corpus.rows import task_to_row
from annotate.review.collect import (
    adjudication_title,
    latest_lead_answer,
    stamp_project_versions,
    usable_annotations,
)
from annotate.review.exposure import recorded_hiding
from annotate.studio.client import StudioClient
from annotate.studio.projects import project_set
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

# bytes one ``data.passage_id`` pattern takes in the request's URL, as sent: JSON inside
# the query, then percent-encoded, so a regex-escaped ``-`` or ``.`` takes 7 (``%5C%5C-``)
# and a non-ASCII letter 8 (``%5Cu0436``); servers and proxies cap a request line at
# 4-8 KB (gunicorn 4 KB, nginx 8 KB: a longer one is refused, 414)
PATTERN_URL_BYTES = 3000
# recent answered tasks of a project from which one snapshot export of all its answered
# tasks is read instead (when they are at least half of them): the Data Manager's full
# task pages cost more per task than a snapshot
SNAPSHOT_FROM = 300
# passage-id look-ups (patterns x projects) above which the projects holding older answers
# are read by one snapshot each instead
MAX_LOOKUPS = 60


@dataclass
class Recent:
    """What :func:`recent_answers` read: rows (gold ones too) and the lead's answers, as
    :func:`annotate.review.exposure.exposure` takes them."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    adjudications: list[dict[str, Any]] = field(default_factory=list)
    tasks: int = 0  # tasks read (a task read twice counts twice)
    # the reviewers' tasks' graphic_hidden_by by task id (exposure's ``recorded``)
    hidden_by: dict[int, str | None] = field(default_factory=dict)


def _passage(task: dict[str, Any]) -> str:
    data = task.get("data") or {}
    return str(data.get(PASSAGE_ID_FIELD) or f"ls-task-{task['id']}")


def touched_since(since: datetime, *, before: bool = False) -> dict[str, Any]:
    """The Data Manager filter of tasks updated at ``since`` (aware) or later; with
    ``before``, of those updated before it (the others)."""
    # the server's format, ``%Y-%m-%dT%H:%M:%S.%fZ``; isoformat, as strftime writes a year
    # before 1000 with fewer than the four digits the server reads
    stamp = (
        since.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    )
    return {
        "filter": "filter:tasks:updated_at",
        "operator": "less" if before else "greater_or_equal",
        "type": "Datetime",
        "value": stamp,
    }


def task_filter(task_id: int) -> dict[str, Any]:
    """The Data Manager filter of the task whose id is ``task_id``."""
    return {"filter": "filter:tasks:id", "operator": "equal", "type": "Number", "value": task_id}


def passage_filter(pattern: str) -> dict[str, Any]:
    """The Data Manager filter of tasks whose ``data.passage_id`` matches ``pattern`` (one
    of :func:`passage_patterns`)."""
    return {
        "filter": f"filter:tasks:data.{PASSAGE_ID_FIELD}",
        "operator": "regex",
        "type": "String",
        "value": pattern,
    }


def url_bytes(text: str) -> int:
    """How many bytes ``text``, a string value of a Data Manager query, takes in a URL:
    JSON-escaped (ASCII only, as :func:`json.dumps` writes the query), then
    percent-encoded (an upper bound: every reserved character encoded)."""
    return len(quote(json.dumps(text)[1:-1], safe=""))


def passage_patterns(passages: Iterable[str], limit: int = PATTERN_URL_BYTES) -> list[str]:
    """Regular expressions that together match exactly ``passages`` (whole ids), each
    taking at most about ``limit`` bytes in a request's URL (:func:`url_bytes`; one id
    longer than that is a pattern alone); sorted, so the same passages give the same
    requests."""
    out: list[str] = []
    chunk: list[str] = []
    size = 0
    for pid in sorted(set(passages)):
        part = re.escape(pid)
        cost = url_bytes(part) + url_bytes("|")
        if chunk and size + cost > limit:
            out.append(f"^({'|'.join(chunk)})$")
            chunk, size = [], 0
        chunk.append(part)
        size += cost
    if chunk:
        out.append(f"^({'|'.join(chunk)})$")
    return out


def _keep(
    client: StudioClient,
    proj: dict[str, Any],
    tasks: Iterable[dict[str, Any]],
    got: Recent,
    into: dict[int, dict[str, Any]],
) -> None:
    """``tasks`` of project ``proj``, each answer stamped with the labels.yaml version it
    was made under, as export stamps them (:func:`annotate.review.collect.
    stamp_project_versions`; ``proj`` read with its config already), into ``into``."""
    pid = int(proj["id"])
    listed = list(tasks)
    got.tasks += len(listed)
    stamp_project_versions(client, proj, listed)
    for task in listed:
        task.setdefault("project", pid)
        into.setdefault(int(task["id"]), task)


def recent_answers(
    client: StudioClient, project: str, tax: Taxonomy, *, salt: str, since: datetime
) -> Recent:
    """Rows and lead answers of ``project`` (a review set, a plain or numbered project)
    holding every answer created at ``since`` (aware) or later, and every other answer on
    those passages (see the module). Raises StudioError (ProjectNotFoundError for a name
    that is no project) and ExportError for an answer whose result cannot be read, as
    an export does."""
    members = project_set(client, project)
    projects = members.projects or [client.require_project(project)]
    # the listing holds no labeling config: each project read once for its version history
    projects = [p if "label_config" in p else client.get_project(int(p["id"])) for p in projects]
    lead = client.find_project(adjudication_title(project))
    if lead is not None:
        lead = client.get_project(int(lead["id"]))  # its label_config: the answers' version
    got = Recent()
    reviewer_tasks: dict[int, dict[str, Any]] = {}
    lead_tasks: dict[int, dict[str, Any]] = {}
    recent, older = [touched_since(since)], [touched_since(since, before=True)]
    parts = [(p, reviewer_tasks) for p in projects]
    if lead is not None:
        parts.append((lead, lead_tasks))
    rest = []  # the projects holding answered tasks not read yet
    for proj, into in parts:
        new = client.count_answered_tasks(int(proj["id"]), recent)
        old = client.count_answered_tasks(int(proj["id"]), older)
        if new >= SNAPSHOT_FROM and new >= old:  # most is recent: one snapshot reads it all
            _keep(client, proj, client.export_snapshot(int(proj["id"])), got, into)
            continue
        if new:
            _keep(client, proj, client.iter_answered_tasks(int(proj["id"]), recent), got, into)
        if old:
            rest.append((proj, into))
    passages = {_passage(t) for t in [*reviewer_tasks.values(), *lead_tasks.values()]}
    patterns = passage_patterns(passages) if rest else []
    if len(patterns) * len(rest) > MAX_LOOKUPS:  # many recent passages: snapshots cost less
        for proj, into in rest:
            _keep(client, proj, client.export_snapshot(int(proj["id"])), got, into)
        patterns = []
    for pattern in patterns:
        by_id = [*older, passage_filter(pattern)]  # the tasks read above: not read twice
        for proj, into in rest:
            _keep(client, proj, client.iter_answered_tasks(int(proj["id"]), by_id), got, into)
    if patterns:  # 3. (see the module); a snapshot read everything of its project
        _read_missed(client, rest, recent, passages, got)
    # answers do not vote on categories their config did not offer, as export resolves
    # them (collect); the projects were read with their configs above: no request
    listed = [*projects, *([] if lead is None else [lead])]
    not_offered = not_offered_in(listed, list(reviewer_tasks.values()), tax)
    got.rows = _rows(reviewer_tasks.values(), tax, salt, not_offered)
    got.hidden_by = recorded_hiding(reviewer_tasks.values())
    got.adjudications = _lead_answers(lead_tasks.values(), {r["id"] for r in got.rows}, tax, salt)
    log.info(
        "exposure since %s: %d task(s) read, %d passage(s)",
        since.isoformat(),
        got.tasks,
        len(got.rows),
    )
    return got


def _read_missed(
    client: StudioClient,
    rest: list[tuple[dict[str, Any], dict[int, dict[str, Any]]]],
    recent: list[dict[str, Any]],
    passages: set[str],
    got: Recent,
) -> None:
    """Step 3 of the module: the tasks of the projects of ``rest`` (project, the tasks read
    of its kind) touched since the cut (``recent``: its filter) that neither listing read,
    into ``got``'s tasks when their passage is one of ``passages``."""
    read = {tid for _, into in rest for tid in into}
    for proj, into in rest:
        pid = int(proj["id"])
        missed = [tid for tid in client.iter_answered_ids(pid, recent) if tid not in read]
        for tid in missed:
            found = list(client.iter_answered_tasks(pid, [task_filter(tid)]))
            if found:
                log.info("task %d answered while the answers were read: read again", tid)
            _keep(client, proj, [t for t in found if _passage(t) in passages], got, into)


def _rows(
    tasks: Iterable[dict[str, Any]],
    tax: Taxonomy,
    salt: str,
    not_offered: NotOffered | None = None,
) -> list[dict[str, Any]]:
    """One row per passage: its tasks' answers (skips left out) merged, as collect merges
    a review set's copies; ``not_offered`` (version of answers -> the categories its
    labeling config did not offer): those answers do not vote on them, as in export."""
    merged: dict[str, dict[str, Any]] = {}
    for task in sorted(tasks, key=lambda t: int(t["id"])):
        usable = usable_annotations(task.get("annotations") or [])
        if not usable:
            continue
        key = _passage(task)
        if key not in merged:
            merged[key] = {**task, "annotations": list(usable)}
        else:
            merged[key]["annotations"] += usable
            merged[key]["predictions"] = list(merged[key].get("predictions") or []) + list(
                task.get("predictions") or []
            )
    return [task_to_row(t, tax, salt=salt, not_offered=not_offered) for t in merged.values()]


def _lead_answers(
    tasks: Iterable[dict[str, Any]], rows: set[str], tax: Taxonomy, salt: str
) -> list[dict[str, Any]]:
    """The lead's latest answer of each adjudication task on a passage of ``rows``, as
    :attr:`annotate.review.collect.Collected.adjudications` lists them."""
    out: dict[str, dict[str, Any]] = {}
    for task in sorted(tasks, key=lambda t: int(t["id"])):
        if _passage(task) not in rows:
            continue
        answer = latest_lead_answer(task, tax)
        if answer is None:
            continue
        user, ann, parsed = answer
        if recency(ann.get("updated_at")) < recency(out.get(_passage(task), {}).get("updated_at")):
            continue  # a passage in two adjudication tasks: its latest answer, as collect
        out[_passage(task)] = {
            "passage": _passage(task),
            "reviewer": pseudonym(user, salt),
            "categories": list(parsed["categories"]),
            "severity": parsed["severity"],
            "created_at": ann.get("created_at"),
            "updated_at": ann.get("updated_at"),
        }
    return list(out.values())
