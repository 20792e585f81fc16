"""The wellbeing refresh of :mod:`annotate.review.rehide` over whole projects, page by page.

A push brings every open task of the projects it pushes into up to labels.yaml's wellbeing
rule (:func:`refresh_projects`). Planning a task needs its neighbours' and its thread's
passages, which may sit anywhere in the project, so the tasks are read once, a page at a
time, into a temporary SQLite database (their data, the view the rule gives them, their
place in their document, the comment they reply to), and planned from there one task at a
time with indexed look-ups. Memory holds a page of tasks and the look-ups of one task,
whatever the project's size; disk holds the project's task data once. Each changed task's
predictions are read on their own (one request each), never a project's at once.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from annotate._util.scratch import scratch_dir
from annotate.review.rehide import (
    OPEN_FIELDS,
    HidingRefresh,
    Neighbour,
    apply_change,
    log_refresh,
    neighbour_entry,
    plan_task,
    thread_parent,
    wanted_view,
)
from annotate.studio.client import task_open
from annotate.studio.drafts import draft_task_ids
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

PAGE_ROWS = 1000  # tasks written to, or read from, the database at a time

_SCHEMA = """
CREATE TABLE tasks (
    seq INTEGER PRIMARY KEY,  -- the order read: project by project, ascending task id
    id INTEGER NOT NULL,
    project INTEGER NOT NULL,
    open INTEGER,             -- 1 open, 0 answered or skipped, NULL not known
    data TEXT NOT NULL,       -- JSON
    view TEXT                 -- JSON of wanted_view, NULL: not a pushed task
);
CREATE TABLE neighbours (
    doc TEXT NOT NULL, idx INTEGER NOT NULL, text TEXT NOT NULL, hidden INTEGER NOT NULL,
    pid TEXT, PRIMARY KEY (doc, idx)
);
CREATE TABLE up (doc TEXT PRIMARY KEY, parent TEXT NOT NULL);
CREATE TABLE drafts (id INTEGER PRIMARY KEY);
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY, project INTEGER NOT NULL, id INTEGER NOT NULL,
    data TEXT NOT NULL, change TEXT NOT NULL
);
"""


class _Neighbours(Mapping[tuple[str, int], Neighbour]):
    """(document id, passage index) -> :data:`Neighbour`, read from the database."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getitem__(self, key: tuple[str, int]) -> Neighbour:
        row = self.db.execute(
            "SELECT text, hidden, pid FROM neighbours WHERE doc = ? AND idx = ?",
            (key[0], int(key[1])),
        ).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0]), bool(row[1]), row[2]

    def __iter__(self) -> Iterator[tuple[str, int]]:
        for doc, idx in self.db.execute("SELECT doc, idx FROM neighbours"):
            yield str(doc), int(idx)

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM neighbours").fetchone()[0])


class _ByDoc(Mapping[str, list[tuple[int, Neighbour]]]):
    """Document id -> its [(passage index, :data:`Neighbour`)] in index order."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getitem__(self, doc: str) -> list[tuple[int, Neighbour]]:
        rows = self.db.execute(
            "SELECT idx, text, hidden, pid FROM neighbours WHERE doc = ? ORDER BY idx", (doc,)
        ).fetchall()
        if not rows:
            raise KeyError(doc)
        return [(int(i), (str(t), bool(h), p)) for i, t, h, p in rows]

    def __contains__(self, doc: object) -> bool:
        found = self.db.execute("SELECT 1 FROM neighbours WHERE doc = ? LIMIT 1", (doc,))
        return found.fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        for (doc,) in self.db.execute("SELECT DISTINCT doc FROM neighbours"):
            yield str(doc)

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(DISTINCT doc) FROM neighbours").fetchone()[0])


class _Up(Mapping[str, "str | None"]):
    """Document id -> the comment it replies to."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getitem__(self, doc: str) -> str | None:
        row = self.db.execute("SELECT parent FROM up WHERE doc = ?", (doc,)).fetchone()
        if row is None:
            raise KeyError(doc)
        return str(row[0])

    def __iter__(self) -> Iterator[str]:
        for (doc,) in self.db.execute("SELECT doc FROM up"):
            yield str(doc)

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM up").fetchone()[0])


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _read(db: sqlite3.Connection, client: Any, project_ids: Sequence[int], tax: Taxonomy) -> None:
    """Every task of the projects into the database, a page at a time."""
    field_name = tax.interface.text_field
    for pid in project_ids:
        listing = client.iter_tasks(int(pid), include=OPEN_FIELDS)
        for page in _chunks(listing, PAGE_ROWS):
            tasks, neighbours, up = [], [], []
            for task in page:
                data = dict(task.get("data") or {})
                view = wanted_view(data, tax)
                state = task_open(task)
                tasks.append(
                    (
                        int(task["id"]),
                        int(pid),
                        None if state is None else int(state),
                        json.dumps(data, ensure_ascii=False),
                        None if view is None else json.dumps(view, ensure_ascii=False),
                    )
                )
                if (entry := neighbour_entry(data, view, field_name)) is not None:
                    (doc, idx), (text, hidden, passage) = entry
                    neighbours.append((doc, idx, text, int(hidden), passage))
                if (link := thread_parent(data)) is not None:
                    up.append(link)
            db.executemany(
                "INSERT INTO tasks (id, project, open, data, view) VALUES (?, ?, ?, ?, ?)", tasks
            )
            # the last task of a place gives its text and passage id, any of them hides it
            # (as annotate.review.rehide.plan merges them)
            db.executemany(
                "INSERT INTO neighbours VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc, idx) DO UPDATE "
                "SET text = excluded.text, pid = excluded.pid, "
                "hidden = max(neighbours.hidden, excluded.hidden)",
                neighbours,
            )
            db.executemany("INSERT OR IGNORE INTO up VALUES (?, ?)", up)  # the first wins
            db.commit()


def _walk(
    db: sqlite3.Connection, counts: HidingRefresh
) -> Iterator[tuple[int, int, dict[str, Any], str]]:
    """(project id, task id, new data, change) of each task to change, in the order read;
    ``counts`` counted as it goes. Tasks in ``drafts`` are kept as answered ones are."""
    neighbours, by_doc, up = _Neighbours(db), _ByDoc(db), _Up(db)
    last = 0
    while True:
        # a page at a time (a cursor left open across the look-ups and the requests of
        # the changes is avoided: each page is read whole, then planned)
        page = db.execute(
            "SELECT seq, id, project, open, data, view, id IN (SELECT id FROM drafts) "
            "FROM tasks WHERE seq > ? ORDER BY seq LIMIT ?",
            (last, PAGE_ROWS),
        ).fetchall()
        if not page:
            return
        last = int(page[-1][0])
        for _, task_id, project, state, data, view, draft in page:
            task = {
                "id": task_id,
                "data": json.loads(data),
                "open": None if state is None else bool(state),
                "draft": bool(draft),
            }
            wanted = None if view is None else json.loads(view)
            step = plan_task(task, wanted, neighbours, by_doc, up, counts)
            if step is not None:
                yield int(project), int(task_id), *step


def _read_pending(
    db: sqlite3.Connection, pending: Iterable[Mapping[str, Any]], tax: Taxonomy
) -> None:
    """Passages the push is about to send (their ``data``) as neighbours and thread
    comments, where no task already holds their place; never planned themselves."""
    field_name = tax.interface.text_field
    for page in _chunks(pending, PAGE_ROWS):
        neighbours, up = [], []
        for data in page:
            entry = neighbour_entry(data, wanted_view(data, tax), field_name)
            if entry is not None:
                (doc, idx), (text, hidden, passage) = entry
                neighbours.append((doc, idx, text, int(hidden), passage))
            if (link := thread_parent(data)) is not None:
                up.append(link)
        db.executemany(
            "INSERT INTO neighbours VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc, idx) DO NOTHING",
            neighbours,
        )
        db.executemany("INSERT OR IGNORE INTO up VALUES (?, ?)", up)
        db.commit()


def _changes(db: sqlite3.Connection) -> Iterator[tuple[int, int, dict[str, Any], str]]:
    """The changes :func:`_walk` planned, as it yielded them, a page at a time."""
    last = 0
    while True:
        page = db.execute(
            "SELECT seq, project, id, data, change FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
            (last, PAGE_ROWS),
        ).fetchall()
        if not page:
            return
        last = int(page[-1][0])
        for _, project, task_id, data, change in page:
            yield int(project), int(task_id), json.loads(data), str(change)


def refresh_projects(
    client: Any,
    project_ids: Sequence[int],
    tax: Taxonomy,
    pending: Iterable[Mapping[str, Any]] = (),
    on_hidden: Callable[[list[int]], None] | None = None,
) -> HidingRefresh:
    """:func:`annotate.review.rehide.refresh_hiding` over every task of these projects (a
    plain or numbered push's), read once more page by page with their answer and skip
    counts (the push's own listing holds no data), planned on disk: memory does not grow
    with the projects. The projects holding a task to change are listed once more for
    their drafts (a task holding one is kept as an answered one is, and the tasks are
    planned again; none: the changes planned are sent); each task now hidden
    or shown has its predictions read on their own. ``pending``: the ``data`` of the
    passages the push sends next (:meth:`annotate.studio.staging.Staging.
    pending_passages`), read as neighbours and thread comments where no task holds their
    place: a reply whose parent comment the push (one cut short, run again) sent part of
    keeps the whole comment, not the part already there. ``on_hidden``: given the ids of
    the open tasks now hidden, at most :data:`PAGE_ROWS` at a time, once they are sent
    (a push marks them for the neighbours its rows carry); the result keeps no list of
    them (``now_hidden`` stays empty; ``hidden`` counts them, ``examples`` names a few),
    so memory does not grow with the changes either. Raises StudioError from the
    client."""
    with scratch_dir("rehide") as tmp:
        db = sqlite3.connect(Path(tmp) / "tasks.sqlite")
        try:
            db.executescript(_SCHEMA)
            _read(db, client, project_ids, tax)
            _read_pending(db, pending, tax)
            counts = HidingRefresh(keep_now_hidden=False)
            for project, task_id, new, change in _walk(db, counts):  # one at a time
                db.execute(
                    "INSERT INTO changes (project, id, data, change) VALUES (?, ?, ?, ?)",
                    (project, task_id, json.dumps(new, ensure_ascii=False), change),
                )
            db.commit()
            projects = [int(p) for (p,) in db.execute("SELECT DISTINCT project FROM changes")]
            if not projects:
                return counts
            for pid in sorted(projects):
                ids = draft_task_ids(client, pid)
                for chunk in _chunks(((i,) for i in ids), PAGE_ROWS):
                    db.executemany("INSERT OR IGNORE INTO drafts VALUES (?)", chunk)
            db.commit()
            if db.execute("SELECT 1 FROM drafts LIMIT 1").fetchone() is None:
                todo = _changes(db)  # no draft anywhere: the plan stands
            else:  # planned again, tasks holding a draft kept
                counts = HidingRefresh(keep_now_hidden=False)
                todo = _walk(db, counts)
            hidden: list[int] = []  # of the page of changes being sent
            for _, task_id, new, change in todo:
                shown = change in ("hidden", "shown")
                preds = client.list_task_predictions(task_id) if shown else []
                apply_change(client, task_id, new, change, preds, tax)
                if change == "hidden" and on_hidden is not None:
                    hidden.append(task_id)
                    if len(hidden) >= PAGE_ROWS:
                        on_hidden(hidden)
                        hidden = []
            if hidden and on_hidden is not None:
                on_hidden(hidden)
            if counts.updated:
                log_refresh(counts)
            return counts
        finally:
            db.close()
