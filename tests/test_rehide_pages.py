"""A push's wellbeing refresh reads its projects page by page and plans them on disk
(issue 11: push in constant memory; annotate.review.rehide_pages): the Python memory it
holds does not grow with the project, every page is read once, each changed task's
predictions are read on their own, and what it sends is what the in-memory plan
(annotate.review.rehide.refresh_hiding) sends. No server."""

from __future__ import annotations

import copy
import dataclasses
import json
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from annotate.review import rehide_pages
from annotate.review.parents import link_parents
from annotate.review.rehide import refresh_hiding
from annotate.review.view import link_neighbours
from annotate.studio.client import TaskListing
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from tests.test_graphic_backstop import _row, _with_wellbeing

BURN = _with_wellbeing("wellbeing:\n  hide_terms: [burn]\n")
LIBRARY = _with_wellbeing("wellbeing:\n  hide_terms: [library]\n")
MOSQUE = "Someone wrote on the community board that they would burn the mosque down."
NOTICE = "Please remember that the library will be closed on Monday for repairs."
PLAIN = "The bus timetable changes next week, so check the new times before you travel."
REPLY = "Reported it to the moderators, that kind of talk has no place here."
PAGE = 100  # tasks a listing request returns (the real client's is 1000)


def _document(tax: Any, doc: str, texts: list[str], parent: str | None) -> list[dict[str, Any]]:
    config = parse_label_config(tax.render_label_config())
    meta = {"meta": json.dumps({"parent_id": parent})} if parent else {}
    rows = [
        {**_row(t, 0.02, ["news_reporting"]), "id": f"{doc}-{i}", "doc_id": doc}
        | {"passage_index": i}
        | meta
        for i, t in enumerate(texts)
    ]
    tasks = [row_to_task(r, tax, config, where=r["id"]) for r in rows]
    link_neighbours(tasks, tax)
    return tasks


class Studio:
    """Projects of pushed tasks, generated a listing page at a time from a few templates
    (the fake holds no task it is not serving); records what is sent and read."""

    def __init__(self, sizes: dict[int, int], *, every: int = 50, keep: bool = True) -> None:
        self.sizes = sizes  # project id -> tasks (two a document)
        self.keep = keep  # keep what is sent (False: its task ids only, as memory is measured)
        self.every = every  # one document in ``every`` holds a passage the rules treat apart
        self.templates = {
            "plain": _document(BURN, "t", [PLAIN, PLAIN], None),
            "mosque": _document(BURN, "t", [MOSQUE, NOTICE], None),
        }
        self.changed: dict[int, dict[str, Any]] = {}  # task id -> data sent
        self.sent: set[int] = set()  # task ids sent data
        self.preds_sent: dict[int, list[Any]] = {}
        self.answered: set[int] = set()
        self.drafts: set[int] = set()
        self.pages: dict[int, int] = {}  # project id -> listing requests (all tasks)
        self.prediction_reads: set[int] = set()
        self.whole_project_reads = 0

    def first_id(self, pid: int) -> int:
        return 1 + sum(n for p, n in self.sizes.items() if p < pid)

    def task(self, pid: int, task_id: int) -> tuple[dict[str, Any], list[Any]]:
        k = task_id - self.first_id(pid)
        doc, index = divmod(k, 2)
        kind = "mosque" if doc % self.every == 0 else "plain"
        template = self.templates[kind][index]
        data = dict(template["data"])
        data.update(passage_id=f"p{pid}-{doc}-{index}", doc_id=f"p{pid}-d{doc}")
        return self.changed.get(task_id, data), template["predictions"][0]["result"]

    def iter_tasks(self, project_id: int, include: str = "", **params: Any) -> Iterator[dict]:
        if "draft_exists" in str(params.get("query")):
            yield from ({"id": i} for i in sorted(self.drafts))
            return
        assert "total_annotations" in include
        first = self.first_id(project_id)
        ids = range(first, first + self.sizes[project_id])
        for start in range(0, len(ids), PAGE):
            self.pages[project_id] = self.pages.get(project_id, 0) + 1
            page = []
            for task_id in ids[start : start + PAGE]:
                data, _ = self.task(project_id, task_id)
                done = int(task_id in self.answered)
                page.append(
                    {"id": task_id, "data": data, "total_annotations": done}
                    | {"cancelled_annotations": 0}
                )
            yield from page

    def project_of(self, task_id: int) -> int:
        return max(p for p in self.sizes if self.first_id(p) <= task_id)

    def list_task_predictions(self, task_id: int) -> list[dict[str, Any]]:
        self.prediction_reads.add(task_id)
        result = self.preds_sent.get(task_id) or self.task(self.project_of(task_id), task_id)[1]
        return [{"id": 10**6 + task_id, "task": task_id, "result": copy.deepcopy(result)}]

    def list_predictions(self, project_id: int) -> list[dict[str, Any]]:
        self.whole_project_reads += 1
        first = self.first_id(project_id)
        ids = range(first, first + self.sizes[project_id])
        return [p for i in ids for p in self.list_task_predictions(i)]

    def update_task_data(self, task_id: int, data: dict[str, Any]) -> None:
        self.sent.add(task_id)
        if self.keep:
            self.changed[task_id] = data

    def update_prediction(self, prediction_id: int, result: list[Any]) -> None:
        if self.keep:
            self.preds_sent[prediction_id - 10**6] = result


def _peak(tasks: int) -> tuple[int, Studio]:
    studio = Studio({1: tasks}, keep=False)
    tracemalloc.start()
    try:
        rehide_pages.refresh_projects(studio, [1], LIBRARY)
        return tracemalloc.get_traced_memory()[1], studio
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_project_and_each_page_is_read_once(
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(rehide_pages, "PAGE_ROWS", PAGE)
    small, _ = _peak(1_000)
    large, studio = _peak(4_000)
    # the in-memory plan held every task's data: ~4x; on disk, a page and one task's
    # look-ups (small slack for the counts' few examples and sqlite's statement cache)
    assert large < 1.5 * small, (small, large)
    assert studio.pages == {1: 4_000 // PAGE}  # the project listed once, page by page
    # each document of a mosque passage: the mosque now shown, the notice now hidden
    assert len(studio.sent) == 2 * (2_000 // studio.every)
    assert studio.prediction_reads == studio.sent  # the changed tasks' only
    assert studio.whole_project_reads == 0


class Unrecorded(Studio):
    """A :class:`Studio` that keeps no record of what it is sent or asked for (its own
    sets would grow with the changes the refresh sends)."""

    def list_task_predictions(self, task_id: int) -> list[dict[str, Any]]:
        found = super().list_task_predictions(task_id)
        self.prediction_reads.discard(task_id)
        return found

    def update_task_data(self, task_id: int, data: dict[str, Any]) -> None:
        return None


def _peak_every_document_changed(tasks: int, on_hidden: Any = None) -> tuple[int, int]:
    """(peak traced bytes, tasks hidden) of a refresh that hides one passage of every
    document and shows the other."""
    studio = Unrecorded({1: tasks}, keep=False, every=1)
    tracemalloc.start()
    try:
        given = {} if on_hidden is None else {"on_hidden": on_hidden}
        got = rehide_pages.refresh_projects(studio, [1], LIBRARY, **given)
        return tracemalloc.get_traced_memory()[1], got.hidden
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_tasks_it_hides(monkeypatch: Any) -> None:
    """s58 odds #5: the refresh kept (passage id, task id) of every task it hid in its
    result (``now_hidden``), for the push to mark: a list as long as the changes (peak
    0.64 MB for 1,000 tasks, 1.66 MB for 16,000, every document changed). The ids go to
    ``on_hidden`` a page at a time; the result counts them and names a few."""
    monkeypatch.setattr(rehide_pages, "PAGE_ROWS", PAGE)
    small, hid_small = _peak_every_document_changed(1_000)
    large, hid_large = _peak_every_document_changed(8_000)
    assert (hid_small, hid_large) == (500, 4_000)
    assert large < 1.3 * small, (small, large)
    pages: list[list[int]] = []
    _peak_every_document_changed(1_000, on_hidden=lambda ids: pages.append(list(ids)))
    assert [len(p) for p in pages] == [PAGE] * 5  # every hidden task, a page at a time
    assert len({i for p in pages for i in p}) == 500


def _listed(studio: Studio) -> list[tuple[int, TaskListing]]:
    out = []
    for pid in sorted(studio.sizes):
        for task in studio.iter_tasks(pid, include=rehide_pages.OPEN_FIELDS):
            data = task["data"]
            state = not task["total_annotations"]
            listing = TaskListing(task["id"], data["passage_id"], frozenset(), {}, data, state)
            out.append((pid, listing))
    return out


@pytest.mark.parametrize("drafts", [{7, 405}, set()], ids=["drafts", "no-drafts"])
def test_the_paged_refresh_sends_what_the_in_memory_plan_sends(drafts: set[int]) -> None:
    """Two projects (a numbered push), answered and drafted tasks, and a reply whose parent
    comment is in the other project: the same counts and the same data and predictions."""
    results = []
    handed: list[int] = []  # the task ids the paged refresh hid (on_hidden)
    for paged in (False, True):
        studio = Studio({1: 400, 2: 300}, every=3)
        studio.answered = {3, 5, 402}
        studio.drafts = set(drafts)
        # a reply in project 2 to a mosque document of project 1 (thread context)
        reply = _document(BURN, "t", [REPLY], "p1-d0")
        link_parents([*studio.templates["mosque"], *reply], BURN)
        studio.templates["reply"] = reply
        base = studio.task

        def task(pid: int, task_id: int, base: Any = base, studio: Studio = studio) -> Any:
            if task_id == 700 and task_id not in studio.changed:
                data = dict(studio.templates["reply"][0]["data"])
                data.update(passage_id="reply", doc_id="p2-reply", parent_doc_id="p1-d0")
                return data, studio.templates["reply"][0]["predictions"][0]["result"]
            return base(pid, task_id)

        studio.task = task  # type: ignore[method-assign]
        if paged:
            got = rehide_pages.refresh_projects(studio, [1, 2], LIBRARY, on_hidden=handed.extend)
        else:
            got = refresh_hiding(studio, _listed(studio), LIBRARY)
        results.append((got, studio.changed, studio.preds_sent))
    (mem, mem_data, mem_preds), (paged, paged_data, paged_preds) = results
    # the paged refresh keeps no list of the tasks it hid: it hands them over
    assert paged.now_hidden == [] and handed == [task for _, task in mem.now_hidden]
    assert dataclasses.replace(paged, now_hidden=mem.now_hidden) == mem
    assert paged.hidden and paged.shown and paged.answered_kept
    assert bool(paged.drafted_kept) == bool(drafts)
    assert paged_data == mem_data and paged_preds == mem_preds
    assert "context_parent" in paged_data[700]  # the reply's thread followed its parent
