"""A changed wellbeing rule applied to the tasks already waiting in reviewers' queues.

labels.yaml ``wellbeing`` (``hide_graphic_score``, ``hide_harmful_score``, ``hide_terms``)
decides which passages open behind a content warning. A push builds its own tasks under
the rule in force; :func:`refresh_hiding` brings the tasks a push finds already queued
up to that rule too, so "the next push applies it" holds for passages not yet answered:

- an *open* task (no answer, no skip) gets the content warning, grid preview,
  ``graphic_hidden_by`` and neighbour context the rule gives it now (from its own
  ``model_labels``, ``model_scores`` and text, as the push computed them), and its
  predictions the "Show the passage" tick when it is now shown, none (and span results
  without their copy of the text) when it is now hidden;
- an *answered or skipped* task keeps what its reviewer saw: its ``graphic_hidden_by``
  is the record of it (exposure counts from it). Those the rule would now treat otherwise
  are counted, not changed;
- a task holding a *draft* (an answer started in the editor and not submitted) is kept as
  an answered one is: its reviewer has read it under the view it was opened with, and the
  answer submitted from the draft is counted by that view. Those the rule would now treat
  otherwise are counted (``drafted_kept``), not changed.

What it cannot change: a task a reviewer has open in the browser while the push runs
keeps the view it was opened with until it is opened again (Label Studio reads the task
when it opens it); a task annotate did not make (no ``model_labels``) is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotate.review.exposure import HIDDEN_BY_FIELD
from annotate.review.parents import (
    PARENT_FIELD,
    PARENT_HEADER_FIELD,
    PARENT_ID_FIELD,
    thread_chain,
    thread_header,
    thread_text,
)
from annotate.review.view import (
    REVEAL,
    UNKNOWN_NEIGHBOUR,
    context_text,
    graphic_reason,
    reveal_result,
    view_fields,
)
from annotate.studio.client import TaskListing
from annotate.studio.drafts import tasks_with_drafts
from annotate.studio.shown_text import passage_text
from annotate.studio.tasks import PASSAGE_ID_FIELD, without_region_text
from annotate.table_schemas import LANGUAGE_WARNING_COLUMN
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

VIEW_KEYS = ("warning", "preview", HIDDEN_BY_FIELD)
CONTEXT_KEYS = ("context_before", "context_after")
EXAMPLES = 3
OPEN_FIELDS = "id,data,total_annotations,cancelled_annotations"


@dataclass
class HidingRefresh:
    """What :func:`refresh_hiding` changed in the queues, in tasks (a passage queued for
    K reviewers counts K times)."""

    hidden: int = 0  # open tasks shown before, hidden behind a content warning now
    shown: int = 0  # open tasks hidden before, shown at once now
    reason: int = 0  # open tasks hidden before and now, with another warning (why)
    context: int = 0  # open tasks whose neighbour context alone changed
    # answered or skipped tasks the rule now treats otherwise: kept as their reviewer saw
    # them (their graphic_hidden_by records it)
    answered_kept: int = 0
    # open tasks holding a reviewer's draft the rule now treats otherwise: kept as the
    # reviewer opened them (the answer submitted from the draft counts by that view)
    drafted_kept: int = 0
    # the first passages of each change: "hidden", "shown" -> passage ids
    examples: dict[str, list[str]] = field(default_factory=dict)
    # (passage id, task id) of every open task hidden now: a neighbour's context in the
    # tasks the same push makes must hide it too (a push read it as shown). Kept by the
    # in-memory refresh (:func:`refresh_hiding`, a review set's queues, already in memory
    # whole) only: the paged refresh of a plain push hands the task ids to its caller a
    # page at a time (:func:`annotate.review.rehide_pages.refresh_projects`'s
    # ``on_hidden``), so its memory does not grow with the changes; ``hidden`` counts
    # them and ``examples`` names a few either way
    now_hidden: list[tuple[str, int]] = field(default_factory=list)
    keep_now_hidden: bool = field(default=True, compare=False, repr=False)

    @property
    def updated(self) -> int:
        return self.hidden + self.shown + self.reason + self.context

    def __bool__(self) -> bool:
        return bool(self.updated or self.answered_kept or self.drafted_kept)

    def merge(self, other: HidingRefresh) -> None:
        """Add ``other``'s counts, examples and hidden tasks to these."""
        for name in ("hidden", "shown", "reason", "context", "answered_kept", "drafted_kept"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, passages in other.examples.items():
            for passage in passages:
                self._note(kind, passage)
        self.now_hidden += other.now_hidden

    def _note(self, kind: str, passage: str) -> None:
        found = self.examples.setdefault(kind, [])
        if len(found) < EXAMPLES and passage not in found:
            found.append(passage)


def is_open(task: Mapping[str, Any]) -> bool:
    """No answer and no skip: ``open`` True (:attr:`annotate.studio.client.TaskListing.
    open`; None, not known, is not open)."""
    return task.get("open") is True


def wanted_view(
    data: Mapping[str, Any], tax: Taxonomy, *, blind: bool = False
) -> dict[str, str] | None:
    """``warning``, ``preview`` and ``graphic_hidden_by`` of a pushed task's ``data``
    under ``tax``'s rule (as :func:`annotate.studio.tasks.row_to_task` gives them: the
    terms looked for in the passage as ingested, the warning's preview on the text
    shown); None for a task without ``model_labels`` (not made by a push)."""
    labels = data.get("model_labels")
    if not isinstance(labels, list):
        return None
    scores = data.get("model_scores")
    scores = scores if isinstance(scores, dict) else {}
    shown = str(data.get(tax.interface.text_field) or "")
    raw = passage_text(data, tax.interface.text_field)
    names = [str(x) for x in labels]
    graphic = graphic_reason(names, scores, str(raw or ""), tax)
    # a passage the model cannot read (the push kept prelabel's model_language_warning in
    # the data) stays hidden whatever its scores say
    unreadable = str(data.get(LANGUAGE_WARNING_COLUMN) or "")
    view = view_fields(
        shown, names, scores, tax, graphic=graphic, blind=blind, unreadable=unreadable
    )
    return {k: view[k] for k in VIEW_KEYS}


def _place(data: Mapping[str, Any]) -> tuple[str, int] | None:
    doc, index = data.get("doc_id"), data.get("passage_index")
    if doc in (None, "") or index is None:
        return None
    try:
        return str(doc), int(index)
    except (TypeError, ValueError):
        return None


# a passage as a neighbour's context shows it: its text, whether it is hidden now (any of
# its tasks), its passage id (the note of a hidden one names it)
Neighbour = tuple[str, bool, str | None]


def neighbour_entry(
    data: Mapping[str, Any], view: Mapping[str, str] | None, field_name: str
) -> tuple[tuple[str, int], Neighbour] | None:
    """A task's place in its document (document id, passage index) and what a neighbour's
    context shows of it under the rule now (``view``: :func:`wanted_view`); None for a task
    without a place or text. Answered or not, a neighbour shows in an open task's context
    as the rule now shows it (its own task, answered, keeps its warning)."""
    place = _place(data)
    if place is None or not isinstance(data.get(field_name), str):
        return None
    hidden = bool(view["warning"]) if view is not None else bool(data.get("warning"))
    pid = data.get(PASSAGE_ID_FIELD)
    return place, (str(data[field_name]), hidden, None if pid is None else str(pid))


def thread_parent(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """(document id, the comment it replies to) of a task of a reply, else None."""
    place = _place(data)
    if place is not None and data.get(PARENT_ID_FIELD):
        return place[0], str(data[PARENT_ID_FIELD])
    return None


def plan(
    tasks: Iterable[Mapping[str, Any]],
    tax: Taxonomy,
    *,
    blind: bool = False,
    only: Callable[[Mapping[str, Any]], bool] | None = None,
) -> tuple[list[tuple[Mapping[str, Any], dict[str, Any], str]], HidingRefresh]:
    """What :func:`refresh_hiding` sends, without sending it: ``[(task, new data, change)]``
    for the open tasks of ``tasks`` (dicts with ``id``, ``data`` and ``open``: whether it
    has neither an answer nor a skip; a review set's every queue, so a neighbour in another
    reviewer's queue is known) whose wellbeing fields differ from the rule's, ``change``
    one of "hidden", "shown", "reason", "context"; and the counts. A task with ``draft``
    True (it holds a reviewer's draft) is kept as an answered one is. Held in memory:
    :mod:`annotate.review.rehide_pages` plans a whole project's tasks on disk. ``only``:
    plan (and count) just the tasks it keeps, the others read as neighbours under ``tax``
    (one reviewer's queue under their own rule: :mod:`annotate.review.reviewer_rule`)."""
    tasks = list(tasks)
    field_name = tax.interface.text_field
    views: dict[int, dict[str, str] | None] = {}
    neighbours: dict[tuple[str, int], Neighbour] = {}
    for task in tasks:
        data = task.get("data") or {}
        view = wanted_view(data, tax, blind=blind)
        views[int(task["id"])] = view
        entry = neighbour_entry(data, view, field_name)
        if entry is not None:
            place, (text, hidden, pid) = entry
            neighbours[place] = (text, neighbours.get(place, ("", False, None))[1] or hidden, pid)
    # a parent comment's passages by document, in order (annotate.review.parents)
    by_doc: dict[str, list[tuple[int, Neighbour]]] = {}
    for (doc, index), shown in neighbours.items():
        by_doc.setdefault(doc, []).append((index, shown))
    # the comment each document replies to (up a reply's thread: thread_chain)
    up: dict[str, str | None] = {}
    for task in tasks:
        if (link := thread_parent(task.get("data") or {})) is not None:
            up.setdefault(*link)
    out: list[tuple[Mapping[str, Any], dict[str, Any], str]] = []
    counts = HidingRefresh()
    for task in tasks:
        if only is not None and not only(task):
            continue
        step = plan_task(task, views[int(task["id"])], neighbours, by_doc, up, counts)
        if step is not None:
            out.append((task, *step))
    return out, counts


def plan_task(
    task: Mapping[str, Any],
    view: Mapping[str, str] | None,
    neighbours: Mapping[tuple[str, int], Neighbour],
    by_doc: Mapping[str, list[tuple[int, Neighbour]]],
    up: Mapping[str, str | None],
    counts: HidingRefresh,
) -> tuple[dict[str, Any], str] | None:
    """One task of :func:`plan`: (new data, change) when it is open and its wellbeing
    fields differ from the rule's ``view``, else None; ``counts`` counted. ``neighbours``:
    (document id, passage index) -> :data:`Neighbour` of every task planned; ``by_doc``:
    document id -> its [(passage index, Neighbour)] in index order; ``up``: document id ->
    the comment it replies to."""
    data = task.get("data") or {}
    if view is None:
        return None
    passage = str(data.get("passage_id") or f"task {task['id']}")
    was, now = bool(data.get("warning")), bool(view["warning"])
    if not is_open(task) or task.get("draft"):
        if was != now or str(data.get(HIDDEN_BY_FIELD) or "") != view[HIDDEN_BY_FIELD]:
            if is_open(task):
                counts.drafted_kept += 1
            else:
                counts.answered_kept += 1
        return None
    new = {**data, **view}
    place = _place(data)
    if place is not None:
        doc, index = place
        for key, other, side in (
            ("context_before", index - 1, "before"),
            ("context_after", index + 1, "after"),
        ):
            # a context the push filled (a neighbour of its file); one it left empty,
            # or a note for a neighbour of unknown warning, stays as it is
            if data.get(key) and data.get(key) != UNKNOWN_NEIGHBOUR:
                found = neighbours.get((doc, other))
                if found is not None:
                    text, hidden, pid = found
                    new[key] = context_text(text, sensitive=hidden, side=side, passage=pid)
    parent = data.get(PARENT_ID_FIELD)
    if parent and data.get(PARENT_FIELD) and str(parent) in by_doc:
        # the comments it replies to, as the rule now shows them (a note when hidden)
        new[PARENT_FIELD], new[PARENT_HEADER_FIELD] = _thread(
            str(parent), by_doc, up, None if place is None else place[0]
        )
    if new == data:
        return None
    if was != now:
        change = "hidden" if now else "shown"
    elif any(new.get(k) != data.get(k) for k in VIEW_KEYS):
        change = "reason"
    else:
        change = "context"
    setattr(counts, change, getattr(counts, change) + 1)
    counts._note(change, passage)
    if change == "hidden" and counts.keep_now_hidden:
        counts.now_hidden.append((str(data.get("passage_id") or ""), int(task["id"])))
    return new, change


def _thread(
    parent: str,
    by_doc: Mapping[str, list[tuple[int, Neighbour]]],
    up: Mapping[str, str | None],
    own: str | None,
) -> tuple[str, str]:
    """A reply's thread text and heading (:func:`annotate.review.parents.thread_text`)
    from the passages of ``by_doc`` (document -> [(index, (text, hidden now, passage
    id))]), up the thread by ``up`` from ``parent``; ends at a document not there."""
    shown: list[tuple[str, list[tuple[str, bool, str]] | None]] = []
    for doc in thread_chain(parent, up, own):
        passages = by_doc.get(doc)
        parts = [(t, h, p or "") for _, (t, h, p) in sorted(passages)] if passages else None
        shown.append((doc, parts))
        if parts is None:
            break
    return thread_text(shown), thread_header([d for d, parts in shown if parts] or [parent])


def prediction_result(result: Sequence[Any], hidden: bool, tax: Taxonomy) -> list[Any]:
    """A prediction's ``result`` for a task now ``hidden`` (no reveal tick, spans without
    their copy of the text) or shown (the reveal tick, added once)."""
    rest = [r for r in result if not (isinstance(r, Mapping) and r.get("from_name") == REVEAL)]
    if hidden:
        return [without_region_text(dict(r)) if isinstance(r, Mapping) else r for r in rest]
    return [*rest, reveal_result(tax)]


def refresh_hiding(
    client: Any,
    listed: Sequence[tuple[int, TaskListing]],
    tax: Taxonomy,
    *,
    dry_run: bool = False,
    blind: bool = False,
    tax_of: Mapping[int, Taxonomy] | None = None,
) -> HidingRefresh:
    """Bring the open tasks of ``listed`` (project id, the task as the push listed it: a
    review set's every queue) up to ``tax``'s wellbeing rule (see the module): their
    data's warning, preview, ``graphic_hidden_by`` and context, and their predictions'
    reveal tick. Answered and
    skipped tasks are left as their reviewer saw them (counted in ``answered_kept`` when
    the rule would now treat them otherwise). Only what differs is sent; ``dry_run``:
    nothing is. ``blind``: the tasks are a review set's queues, whose warnings name the
    reason without the model's score (:func:`annotate.review.view.warning_reasons`). A task
    holding a draft is kept as an answered one is (counted in ``drafted_kept``): the
    projects of the tasks to change are listed once more for their drafts. ``tax_of``:
    project id -> the rule of its reviewer where it is not ``tax``'s (labels.yaml
    ``wellbeing.reviewers``: :func:`annotate.review.reviewer_rule.reviewer_taxonomy`).
    Raises StudioError from the client."""
    project_of = {t.id: pid for pid, t in listed}
    tasks = [{"id": t.id, "data": t.data, "open": t.open} for _, t in listed]
    todo, counts = _plan_each(tasks, tax, blind, tax_of or {}, project_of)
    if todo:
        drafted: set[int] = set()
        for pid in sorted({project_of[int(t["id"])] for t, _, _ in todo}):
            drafted |= tasks_with_drafts(client, pid)
        if drafted:
            for t in tasks:
                t["draft"] = int(t["id"]) in drafted
            todo, counts = _plan_each(tasks, tax, blind, tax_of or {}, project_of)
    if dry_run or not todo:
        return counts
    predictions: dict[int, list[dict[str, Any]]] = {}
    for pid in sorted({project_of[int(t["id"])] for t, _, _ in todo}):
        for pred in client.list_predictions(pid):
            if pred.get("task") is not None:
                predictions.setdefault(int(pred["task"]), []).append(pred)
    for task, new, change in todo:
        own = (tax_of or {}).get(project_of[int(task["id"])], tax)
        apply_change(
            client, int(task["id"]), new, change, predictions.get(int(task["id"]), []), own
        )
    log_refresh(counts)
    return counts


def _plan_each(
    tasks: list[dict[str, Any]],
    tax: Taxonomy,
    blind: bool,
    tax_of: Mapping[int, Taxonomy],
    project_of: Mapping[int, int],
) -> tuple[list[tuple[Mapping[str, Any], dict[str, Any], str]], HidingRefresh]:
    """:func:`plan` of ``tasks``, each project's under its rule (``tax_of``, else
    ``tax``); every task read as a neighbour under the rule of the task planned."""
    if not tax_of:
        return plan(tasks, tax, blind=blind)
    todo: list[tuple[Mapping[str, Any], dict[str, Any], str]] = []
    counts = HidingRefresh()
    for own in [tax, *{id(t): t for t in tax_of.values()}.values()]:

        def mine(task: Mapping[str, Any], own: Taxonomy = own) -> bool:
            return tax_of.get(project_of[int(task["id"])], tax) is own

        steps, found = plan(tasks, own, blind=blind, only=mine)
        todo += steps
        counts.merge(found)
    return todo, counts


def apply_change(
    client: Any,
    task_id: int,
    new: dict[str, Any],
    change: str,
    predictions: Sequence[Mapping[str, Any]],
    tax: Taxonomy,
) -> None:
    """Send one change :func:`plan` found: the task's new ``data``, and for a task now
    hidden or shown its ``predictions``' reveal tick. Raises StudioError from the client."""
    client.update_task_data(task_id, new)
    if change not in ("hidden", "shown"):
        return
    for pred in predictions:
        result = prediction_result(pred.get("result") or [], change == "hidden", tax)
        if result != (pred.get("result") or []):
            client.update_prediction(int(pred["id"]), result)


def log_refresh(counts: HidingRefresh) -> None:
    log.info(
        "wellbeing rule applied to open tasks: %d hidden, %d shown, %d other warning, "
        "%d context; %d answered and %d drafted task(s) kept as seen",
        counts.hidden,
        counts.shown,
        counts.reason,
        counts.context,
        counts.answered_kept,
        counts.drafted_kept,
    )
