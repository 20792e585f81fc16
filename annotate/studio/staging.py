"""Out-of-core staging of a push: tasks, their order and what the server already holds.

A push of millions of passages must not hold them in Python. Every row of the prelabel
table is checked (:func:`annotate.studio.tasks.check_task_row`: everything
:func:`annotate.studio.tasks.row_to_task` checks) one chunk at a time, before anything is
sent. The row as read with its check's values (pickled), and what its neighbours show of
it, are appended to a spool file in a temporary directory; a DuckDB database beside it
holds only the keys: passage id, priority, document position and where both lie in the
spool. Sorting by priority, linking neighbours, leaving out passages already in Label
Studio (read page by page into the same database), leaving out re-posts (a passage whose
text a task of another passage already holds: 128-bit digests of texts, never the texts)
and finding duplicates are SQL over those keys (DuckDB spills to disk beyond
``memory_limit``); a batch's tasks are built from the spool when it is read
(:meth:`Staging.todo`), so a push builds the next batch while the server imports the last.
Python holds one chunk or one or two batches at a time, and memory does not grow with the
file.
"""

from __future__ import annotations

import errno
import json
import logging
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic_core import to_json

from annotate._util.licence_tally import LicenceTally
from annotate._util.passage_ids import passage_id, text_key
from annotate._util.progress import ProgressFn, advance
from annotate._util.renamed_ids import FLOAT_ID_SUFFIX
from annotate._util.scratch import memory_limit, scratch_dir
from annotate.errors import PredictionError
from annotate.review.parents import (
    PARENT_FIELD,
    PARENT_HEADER_FIELD,
    copied_docs,
    parent_doc_id,
    thread_chain,
    thread_header,
    thread_text,
)
from annotate.review.view import carried_context, context_text
from annotate.studio.input_sources import differ_sql, input_file_of
from annotate.studio.label_config import LabelConfig
from annotate.studio.other_licences import other_licences
from annotate.studio.reposts import REPOSTS_META_KEY, listed_reposts
from annotate.studio.shown_text import shown_for_row
from annotate.studio.tasks import (
    LICENSE_FIELD,
    MODEL_DATA_FIELDS,
    RowValues,
    check_config_fits,
    check_task_row,
    exact_copies_of,
    pushed_doc_id,
    require_prelabels,
    row_to_task,
)
from annotate.table_schemas import NEIGHBOUR_COLUMNS
from annotate.tables import iter_rows_located
from annotate.taxonomy import Taxonomy

if TYPE_CHECKING:  # imported where a push stages: review commands import push, not DuckDB
    import duckdb

log = logging.getLogger(__name__)

CHUNK_ROWS = 5000  # rows converted in Python before they go to DuckDB
MEMORY_LIMIT = "64MB"  # DuckDB's own memory; beyond it, sorts and joins spill to disk

# column name -> DuckDB type of each table a chunk is inserted into
_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "staged": (
        ("pid", "VARCHAR"),
        ("priority", "DOUBLE"),
        ("doc_id", "VARCHAR"),
        ("pidx", "BIGINT"),
        ("ctx_len", "BIGINT"),  # what the passage after it shows of it (head), in bytes
        ("tail_len", "BIGINT"),  # what the passage before it shows (tail), right after
        ("model_version", "VARCHAR"),
        ("spool_off", "BIGINT"),
        ("spool_len", "BIGINT"),
        ("seq", "BIGINT"),
        ("located", "VARCHAR"),  # where an editor finds the row: line M, row N (line M)...
        ("digest", "HUGEINT"),  # the text's (annotate._util.passage_ids.text_key)
        ("row_doc", "VARCHAR"),  # the row's document id, as written (None: none)
        # a neighbour the file does not hold, carried by the row (ingest --previous,
        # NEIGHBOUR_COLUMNS): its passage id and its text's place in the spool
        ("before_pid", "VARCHAR"),
        ("before_off", "BIGINT"),
        ("before_len", "BIGINT"),
        ("after_pid", "VARCHAR"),
        ("after_off", "BIGINT"),
        ("after_len", "BIGINT"),
        ("license", "VARCHAR"),  # the row's licence (None: none recorded)
        ("input_file", "VARCHAR"),  # the file ingest read it from (None: none recorded)
        # thread context (annotate.review.parents): the row's document id as ingest wrote
        # it, the document id of the comment it replies to (None: none), and whether the
        # passage carries a content warning (a reply shows a note instead of its text)
        ("ingest_doc", "VARCHAR"),
        ("parent_doc", "VARCHAR"),
        ("hidden", "BOOLEAN"),
    ),
    "present": (
        ("pid", "VARCHAR"),
        ("project_id", "BIGINT"),
        ("task_id", "BIGINT"),
        ("versions", "VARCHAR[]"),
        ("doc_id", "VARCHAR"),  # the task's document (None: a task without one)
        ("hidden", "BOOLEAN"),  # the task carries a content warning (None: not read)
        ("digest", "HUGEINT"),  # its text's text_key (None: not read, or no text)
        ("meta", "VARCHAR"),  # its meta as JSON, when it has one ("{}": none; None: not read)
        ("pidx", "BIGINT"),  # its data's passage_index (None: none, or not read)
        ("license", "VARCHAR"),  # the licence its data records (None: none, or not read)
        ("input_file", "VARCHAR"),  # the file ingest read it from (None: none, or not read)
    ),
    # the documents ingest dropped as exact copies of a staged passage (its
    # exact_copies): where the copy started in that document and the passage's seq; a
    # reply to such a document shows the passage kept (break13 #5)
    "copies": (("doc", "VARCHAR"), ("start", "BIGINT"), ("seq", "BIGINT")),
    # the documents of replies' threads (annotate.review.parents) not in the file, found
    # among the tasks already in the project (an earlier batch): each passage's task, its
    # place, what a neighbour after it shows of it (head) in the spool, and the document
    # it replies to (its task's parent_doc_id; None: none); the content warning is read
    # from ``present`` when the plan is made (a push may hide it after reading)
    "prior": (
        ("doc", "VARCHAR"),
        ("pidx", "BIGINT"),
        ("task_id", "BIGINT"),
        ("pid", "VARCHAR"),
        ("off", "BIGINT"),
        ("len", "BIGINT"),
        ("up", "VARCHAR"),
    ),
    # the documents replies' threads name, by how far up (1: a parent), as looked up
    "wanted": (("doc", "VARCHAR"), ("depth", "BIGINT")),
    "mine": (("task_id", "BIGINT"),),
    "failed": (("n", "BIGINT"), ("pid", "VARCHAR"), ("why", "VARCHAR")),
}


def repeated_ids_error(path: Path, pid: str, first: str, again: str, rows: int) -> PredictionError:
    """The error of a pre-labels file that gives a passage id twice: the first such id, its
    first row and the row that repeats it (``first``/``again`` as
    :func:`annotate.tables.iter_rows_located` names rows: ``line M``, ``row N (line M)``),
    and how many rows repeat an id in all."""
    return PredictionError(
        f"{path}: passage id {pid!r} is on {first} and again on {again} ({rows} row(s) "
        "repeat a passage id already in the file); expected each passage once.",
        fix="make passage ids unique (ingest derives a passage's id from its document id and "
        "its text, not its position: an edited text gets another id, and a repeated id is most "
        "often one passage given twice, as in files joined): remove the repeated rows, or "
        "re-create the file with `annotate ingest` and `annotate prelabel`.",
    )


class Staging:
    """A DuckDB database of one push (see the module docstring)."""

    def __init__(self, db: duckdb.DuckDBPyConnection, spool: IO[bytes]) -> None:
        self.db = db
        self.spool = spool  # task JSON, one after the other (UTF-8)
        for table, columns in _COLUMNS.items():
            db.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t in columns)})")
        self._failed = 0
        self.path: Path | None = None  # the file staged (messages name it)
        # rows shown without their subtitle markup (annotate.studio.shown_text)
        self.shown_cues = 0

    # ---- the file ------------------------------------------------------------------
    def stage_file(
        self,
        path: Path,
        tax: Taxonomy,
        config: LabelConfig,
        progress: ProgressFn | None = None,
    ) -> int:
        """Check every row of ``path`` and stage it; returns the number of rows
        (``progress``: told of them a chunk at a time).

        Every check :func:`annotate.studio.tasks.row_to_task` makes runs here, before
        anything is sent (:func:`annotate.studio.tasks.check_task_row` on every row,
        :func:`annotate.studio.tasks.check_config_fits` once); the tasks themselves are
        built batch by batch, when :meth:`todo` reads them. Raises
        what ``row_to_task`` raises for a bad row, and PredictionError when passage ids
        repeat.
        """
        require_prelabels(path)
        self._tax, self._config, self._name = tax, config, str(path)
        self.path = path
        field = tax.interface.text_field
        chunk: list[dict[str, Any]] = []
        copies: list[dict[str, Any]] = []  # (annotate.review.parents.copied_docs)
        licences = LicenceTally()  # as ingest and prelabel record them (row_to_task alike)
        total = 0
        self.spool.seek(0, 2)
        offset = self.spool.tell()
        check_config_fits(tax, config)
        for number, (located, row) in enumerate(iter_rows_located(path), start=1):
            where = f"{path} {located} (id {row.get('id')!r})"
            keys = check_task_row(row, tax, where=where)
            if number == 1:  # what does not depend on the row (task fields the config shows)
                row_to_task(row, tax, config, where=where)
            index = row.get("passage_index")
            doc = pushed_doc_id(row)  # as its task carries it (ingest --redact: doc_key)
            ingest_doc = row.get("doc_id")  # what ingest made the passage ids of
            licence = licences(row.get(LICENSE_FIELD))
            # the row as read (any value type) with its check's values (its task is built
            # from them), and what neighbours show of it
            blob = pickle.dumps((row, tuple(keys.values)), protocol=pickle.HIGHEST_PROTOCOL)
            # neighbours read a subtitle cue as its task shows it: without markup
            shown = shown_for_row(row)
            text = str(row[field]) if shown is None else shown.shown
            self.shown_cues += shown is not None
            # a hidden one's note names its passage id (the task's, as row_to_task sets it)
            pid = str(row["id"])
            ctx = context_text(text, sensitive=keys.sensitive, passage=pid).encode("utf-8")
            tail = context_text(text, sensitive=keys.sensitive, side="before", passage=pid)
            tail = tail.encode("utf-8")
            self.spool.write(blob)
            self.spool.write(ctx)
            self.spool.write(tail)
            row_off, offset = offset, offset + len(blob) + len(ctx) + len(tail)
            carried = {}
            for side, column in zip(("before", "after"), NEIGHBOUR_COLUMNS, strict=True):
                text = row.get(column)
                ok = isinstance(text, str) and text != "" and ingest_doc not in (None, "")
                raw = text.encode("utf-8") if ok else b""
                self.spool.write(raw)
                carried[f"{side}_pid"] = passage_id(str(ingest_doc), text) if ok else None
                carried[f"{side}_off"] = offset if ok else None
                carried[f"{side}_len"] = len(raw) if ok else None
                offset += len(raw)
            chunk.append(
                {
                    **carried,
                    "pid": keys.passage_id,
                    "priority": keys.priority,
                    "doc_id": None if doc in (None, "") or index is None else str(doc),
                    "pidx": None if index is None else int(index),
                    "ctx_len": len(ctx),
                    "tail_len": len(tail),
                    "model_version": keys.model_version,
                    "spool_off": row_off,
                    "spool_len": len(blob),
                    "seq": number,
                    "located": located,
                    "digest": text_key(str(row[field])),
                    "row_doc": None if doc in (None, "") else str(doc),
                    # as row_to_task puts it in the task
                    "license": licence,
                    "input_file": input_file_of(row),
                    "ingest_doc": None if ingest_doc in (None, "") else str(ingest_doc),
                    "parent_doc": parent_doc_id(row),
                    "hidden": keys.sensitive,
                }
            )
            if row.get("exact_copies"):  # named as the task names them (keyed: reader57b #3)
                copies += [
                    {"doc": d, "start": s, "seq": number}
                    for d, s in copied_docs(exact_copies_of(row))
                ]
            if len(chunk) >= CHUNK_ROWS:
                total += self._insert_staged(chunk)
                advance(progress, len(chunk))
                chunk = []
            if len(copies) >= CHUNK_ROWS:
                self._insert("copies", {c: [r[c] for r in copies] for c, _ in _COLUMNS["copies"]})
                copies = []
        total += self._insert_staged(chunk)
        if copies:
            self._insert("copies", {c: [r[c] for r in copies] for c, _ in _COLUMNS["copies"]})
        advance(progress, len(chunk))
        self.spool.flush()
        duplicates = self._scalar("SELECT count(*) - count(DISTINCT pid) FROM staged")
        if duplicates:
            # the first repeat in file order: the id's first row and that repeat's
            pid, first, again = self.db.execute(
                "SELECT pid, list(located ORDER BY seq)[1], list(located ORDER BY seq)[2] "
                "FROM staged GROUP BY pid HAVING count(*) > 1 "
                "ORDER BY list(seq ORDER BY seq)[2] LIMIT 1"
            ).fetchall()[0]
            raise repeated_ids_error(path, str(pid), str(first), str(again), duplicates)
        # threads are linked by the ids the tasks carry (a keyed doc_key under ingest
        # --redact); a reply of a file ingested before ingest keyed parent ids names its
        # parent by the raw id: the file's own documents map it to theirs
        self.db.execute(
            "UPDATE staged SET parent_doc = m.row_doc FROM (SELECT DISTINCT ingest_doc, "
            "row_doc FROM staged WHERE ingest_doc <> row_doc) m "
            "WHERE staged.parent_doc = m.ingest_doc"
        )
        licences.log(log, str(path))
        return total

    def _task(self, off: int, length: int, located: str) -> dict[str, Any]:
        """The task of the staged row at ``off`` (``located`` in the file, as
        :func:`annotate.tables.iter_rows_located` names it), built now; its checks ran when
        it was staged."""
        self.spool.seek(off)
        # this push's own spool, written above: the row as read and its check's values
        row, values = pickle.loads(self.spool.read(length))  # a plain tuple pickles faster
        where = f"{self._name} {located} (id {row.get('id')!r})"
        checked = RowValues(*values)
        return row_to_task(row, self._tax, self._config, where=where, checked=checked)

    def _insert_staged(self, rows: list[dict[str, Any]]) -> int:
        if rows:
            self._insert("staged", {c: [r[c] for r in rows] for c, _ in _COLUMNS["staged"]})
        return len(rows)

    def model_versions(self) -> list[tuple[str, int]]:
        """(model version, rows) of the file, most rows first."""
        return self.db.execute(
            "SELECT model_version, count(*) AS n FROM staged GROUP BY 1 ORDER BY n DESC, 1"
        ).fetchall()  # type: ignore[return-value]

    # ---- what the server holds -----------------------------------------------------
    def mark_hidden(self, task_ids: Iterable[int]) -> None:
        """Record that these tasks of ``present`` carry a content warning now (a push
        brought them up to labels.yaml's wellbeing rule after reading them:
        :mod:`annotate.review.rehide`), so neighbours carried by rows show a note."""
        for task_id in task_ids:
            self.db.execute("UPDATE present SET hidden = TRUE WHERE task_id = ?", [int(task_id)])

    def load_present(
        self,
        project_id: int,
        tasks: Iterable[tuple[Any, ...]],
    ) -> int:
        """Record (task id, passage id, versions[, document id[, whether the task carries
        a content warning[, its text's :func:`annotate._util.passage_ids.text_key`[, its
        meta[, its passage index[, its licence[, its input file]]]]]]]) of a project,
        chunk by chunk."""
        chunk: list[dict[str, Any]] = []
        total = 0
        for task_id, pid, versions, *more in tasks:
            doc_id = more[0] if more else None
            chunk.append(
                {
                    "pid": pid,
                    "project_id": project_id,
                    "task_id": task_id,
                    "versions": sorted(versions),
                    "doc_id": None if doc_id in (None, "") else str(doc_id),
                    "hidden": more[1] if len(more) > 1 else None,
                    "digest": more[2] if len(more) > 2 else None,
                    "meta": json.dumps(more[3]) if len(more) > 3 else None,
                    "pidx": None if len(more) < 5 or more[4] is None else int(more[4]),
                    "license": more[5] if len(more) > 5 else None,
                    "input_file": more[6] if len(more) > 6 else None,
                }
            )
            if len(chunk) >= CHUNK_ROWS:
                total += self._insert_present(chunk)
                chunk = []
        return total + self._insert_present(chunk)

    def _insert_present(self, rows: list[dict[str, Any]]) -> int:
        if rows:
            self._insert("present", {c: [r[c] for r in rows] for c, _ in _COLUMNS["present"]})
        return len(rows)

    def clear_present(self, project_id: int | None = None, after: int | None = None) -> None:
        """Forget what was read: of every project, or of ``project_id`` (only its tasks
        with an id above ``after``, when given)."""
        if project_id is None:
            self.db.execute("DELETE FROM present")
        else:
            self.db.execute(
                "DELETE FROM present WHERE project_id = ? AND task_id > ?",
                [project_id, -1 if after is None else after],
            )

    def max_task_id(self, project_id: int) -> int:
        """The largest task id read from a project (0: none)."""
        return self._scalar("SELECT max(task_id) FROM present WHERE project_id = ?", project_id)

    def repeated_passages(self, project_id: int) -> set[str]:
        """The passage ids ``project_id`` holds more than one task of, as read (tasks
        without a passage id left out)."""
        rows = self.db.execute(
            "SELECT pid FROM present WHERE project_id = ? AND pid <> '' "
            "GROUP BY pid HAVING count(*) > 1",
            [project_id],
        ).fetchall()
        return {str(r[0]) for r in rows}

    def already_there(self) -> dict[int, tuple[int, float, float]]:
        """Project id -> (how many passages of the file it holds, as read, and their
        highest and lowest priority): what an earlier run of the same push (one cut short)
        put there, which this one leaves out."""
        rows = self.db.execute(
            "SELECT p.project_id, count(DISTINCT s.pid), max(s.priority), min(s.priority) "
            "FROM staged s JOIN present p ON p.pid = s.pid GROUP BY p.project_id"
        ).fetchall()
        return {int(pid): (int(n), float(hi), float(lo)) for pid, n, hi, lo in rows}

    def pending_passages(self) -> Iterator[dict[str, Any]]:
        """The ``data`` of the file's tasks not yet in the projects read whose document
        has a task there (built as the push will send them, without their neighbours'
        context), page by page: the rest of a document an earlier run of the push, cut
        short, sent part of. A wellbeing refresh of the tasks already there
        (:mod:`annotate.review.rehide_pages`) reads their neighbours and their threads'
        comments among them, as this push will hold them."""
        after = -1
        while True:
            rows = self.db.execute(
                "SELECT seq, spool_off, spool_len, located FROM staged "
                "WHERE seq > ? AND doc_id IN (SELECT doc_id FROM present) "
                "AND pid NOT IN (SELECT pid FROM present) ORDER BY seq LIMIT ?",
                [after, CHUNK_ROWS],
            ).fetchall()
            if not rows:
                return
            after = int(rows[-1][0])
            for _, off, length, located in rows:
                yield self._task(off, length, located)["data"]

    def present_count(self, project_id: int) -> int:
        return self._scalar("SELECT count(*) FROM present WHERE project_id = ?", project_id)

    # ---- threads: parents pushed before ----------------------------------------------
    def thread_level(self, depth: int) -> int:
        """Record the documents ``depth`` comments up the threads of the file's replies
        not yet in Label Studio (1: their parents; then the documents those reply to,
        as the file's rows or the tasks :meth:`add_prior` recorded name them), those not
        recorded at a lower depth; returns how many of them the file does not hold (to
        look up among the tasks read: :meth:`prior_tasks`)."""
        if depth == 1:
            self.db.execute(
                "INSERT INTO wanted SELECT DISTINCT parent_doc, 1 FROM staged "
                "WHERE parent_doc IS NOT NULL AND pid NOT IN (SELECT pid FROM present)"
            )
        else:
            self.db.execute(
                "INSERT INTO wanted SELECT DISTINCT up, ? FROM ("
                "SELECT parent_doc AS up FROM staged WHERE row_doc IN "
                "(SELECT doc FROM wanted WHERE depth = ?) "
                "UNION ALL SELECT up FROM prior WHERE doc IN "
                "(SELECT doc FROM wanted WHERE depth = ?)) "
                "WHERE up IS NOT NULL AND up NOT IN (SELECT doc FROM wanted)",
                [depth, depth - 1, depth - 1],
            )
        return self._scalar(f"SELECT count(*) {self._elsewhere()}", depth)

    def _elsewhere(self) -> str:
        """FROM ... WHERE of the documents recorded at a depth (the one parameter) that
        the file holds no passage of, nor names as an exact copy."""
        return (
            "FROM wanted WHERE depth = ? AND doc NOT IN (SELECT row_doc FROM staged "
            "WHERE row_doc IS NOT NULL) AND doc NOT IN (SELECT doc FROM copies)"
        )

    def prior_tasks(self, depth: int, page: int = 200) -> Iterator[tuple[int, list[int]]]:
        """(project id, task ids) of the tasks read (``present``) holding the passages of
        the documents :meth:`thread_level` recorded at ``depth`` that the file does not
        hold: one task a passage (the oldest), at most ``page`` ids a tuple, by project."""
        self.db.execute("DROP TABLE IF EXISTS lookup")
        self.db.execute(
            "CREATE TABLE lookup AS SELECT arg_min(project_id, task_id) AS project_id, "
            "min(task_id) AS task_id FROM present "
            f"WHERE doc_id IN (SELECT doc {self._elsewhere()}) "
            "GROUP BY doc_id, coalesce(pidx, -1) ORDER BY 1, 2",
            [depth],
        )
        after = (-1, -1)
        while True:
            rows = self.db.execute(
                "SELECT project_id, task_id FROM lookup WHERE (project_id, task_id) > (?, ?) "
                "ORDER BY 1, 2 LIMIT ?",
                [*after, CHUNK_ROWS],
            ).fetchall()
            if not rows:
                return
            by_project: dict[int, list[int]] = {}
            for project_id, task_id in rows:
                by_project.setdefault(int(project_id), []).append(int(task_id))
            for project_id, ids in by_project.items():
                for start in range(0, len(ids), page):
                    yield project_id, ids[start : start + page]
            after = (int(rows[-1][0]), int(rows[-1][1]))

    def add_prior(self, rows: Iterable[tuple[str, int | None, int, str, str, str | None]]) -> int:
        """Record tasks :meth:`prior_tasks` named, as read: (document id, passage index
        (None: none), task id, passage id, text as its task shows it, the document it
        replies to (None: none)); their text (what a neighbour after it shows of it) goes
        to the spool. Returns how many."""
        out: list[dict[str, Any]] = []
        self.spool.seek(0, 2)
        offset = self.spool.tell()
        for doc, index, task_id, pid, text, up in rows:
            head = context_text(text, sensitive=False, passage=pid).encode("utf-8")
            self.spool.write(head)
            out.append(
                {
                    "doc": doc,
                    "pidx": -1 if index is None else int(index),
                    "task_id": int(task_id),
                    "pid": pid,
                    "off": offset,
                    "len": len(head),
                    "up": None if up in (None, "") else str(up),
                }
            )
            offset += len(head)
        self.spool.flush()
        if out:
            self._insert("prior", {c: [r[c] for r in out] for c, _ in _COLUMNS["prior"]})
        return len(out)

    # ---- the push ------------------------------------------------------------------
    def plan(self, *, keep_reposts: bool = False) -> int:
        """Order the passages not yet in Label Studio, riskiest first; returns how many.

        A re-post is left out unless ``keep_reposts``: a passage whose text (its
        ``text_key``, the key ingest drops exact duplicates by) a task already holds under
        the id of a passage the file does not have (the same statement in another document,
        ingested without ``--previous``); :meth:`reposts` says which. A task of a passage
        of the file does not count, so a push cut short and run again leaves out what the
        whole push would have left out, no more.

        A passage already there under the document id an earlier annotate gave it is left
        out whatever ``keep_reposts`` says, and is no re-post (:meth:`renamed`).
        """
        self.db.execute("DROP TABLE IF EXISTS renamed")
        self.db.execute(  # the same passage under the id an earlier version gave it
            "CREATE TABLE renamed AS SELECT s.pid, s.seq, any_value(s.row_doc) AS doc, "
            "arg_min(p.doc_id, p.task_id) AS held_doc, min(p.task_id) AS task_id "
            "FROM staged s JOIN present p ON p.digest = s.digest AND p.pidx = s.pidx "
            f"AND p.doc_id = s.row_doc || '{FLOAT_ID_SUFFIX}' "
            "WHERE s.pid NOT IN (SELECT pid FROM present) "
            "AND p.pid NOT IN (SELECT pid FROM staged) GROUP BY s.pid, s.seq"
        )
        self.db.execute("DROP TABLE IF EXISTS reposts")
        self.db.execute(  # the oldest task holding the text names where it is
            "CREATE TABLE reposts AS SELECT s.pid, s.located, s.seq, any_value(s.row_doc) AS doc, "
            "arg_min(p.project_id, p.task_id) AS project_id, min(p.task_id) AS task_id, "
            "arg_min(p.pid, p.task_id) AS held_pid, arg_min(p.meta, p.task_id) AS held_meta, "
            "arg_min(p.doc_id, p.task_id) AS held_doc, arg_min(p.pidx, p.task_id) AS held_pidx, "
            "any_value(s.pidx) AS pidx "
            "FROM staged s JOIN present p "
            "ON p.digest = s.digest WHERE NOT ? AND s.pid NOT IN (SELECT pid FROM present) "
            "AND s.pid NOT IN (SELECT pid FROM renamed) "
            "AND p.pid NOT IN (SELECT pid FROM staged) GROUP BY s.pid, s.located, s.seq",
            [keep_reposts],
        )
        self.db.execute("DROP TABLE IF EXISTS todo")
        self.db.execute("DROP TABLE IF EXISTS pos")
        self.db.execute(  # one passage per document position: the file's last, as before
            "CREATE TABLE pos AS SELECT doc_id, pidx, arg_max(spool_off + spool_len, seq) AS "
            "ctx_off, arg_max(ctx_len, seq) AS ctx_len, arg_max(tail_len, seq) AS tail_len "
            "FROM staged "
            "WHERE doc_id IS NOT NULL AND pidx IS NOT NULL GROUP BY doc_id, pidx"
        )
        # an external sort (spills to disk); the table keeps its rows in that order, so
        # rowid is the position in the plan
        self.db.execute("SET preserve_insertion_order = true")
        # a neighbour the file does not hold but the row carries (ingest --previous): its
        # own task (a passage of an earlier batch, pushed before) says whether it carries
        # a content warning; bool_or is NULL when no task of it says (unknown)
        self.db.execute("DROP TABLE IF EXISTS carried_hidden")
        self.db.execute(  # only the passages rows carry: none in a push without them
            "CREATE TABLE carried_hidden AS SELECT pid, bool_or(hidden) AS hidden FROM present "
            "WHERE pid IN (SELECT before_pid FROM staged WHERE before_pid IS NOT NULL UNION "
            "SELECT after_pid FROM staged WHERE after_pid IS NOT NULL) GROUP BY pid"
        )
        # the comments of replies' threads (annotate.review.parents): each document's
        # passages (one per position: the file's last), what a neighbour after it shows
        # of each (head), in order, whether each carries a warning and the document it
        # replies to: of the file; of a document with no passage of its own in the file
        # that ingest dropped as an exact copy of passages kept (their exact_copies name
        # it): those passages, by where the copy started in it (break13 #5); of one the
        # file does not hold, the tasks already in the project (an earlier batch: prior,
        # its warning as read or refreshed now; a task without one shows a note)
        self.db.execute("DROP TABLE IF EXISTS threads")
        named = (
            "(SELECT parent_doc FROM staged WHERE parent_doc IS NOT NULL "
            "UNION SELECT up FROM prior WHERE up IS NOT NULL)"
        )
        in_file = "(SELECT row_doc FROM staged WHERE row_doc IS NOT NULL)"
        self.db.execute(  # only the documents threads name: none in a push without them
            "CREATE TABLE threads AS SELECT doc, list(off ORDER BY pidx) AS offs, "
            "list(len ORDER BY pidx) AS lens, list(hidden ORDER BY pidx) AS hidden, "
            "list(pid ORDER BY pidx) AS pids, max(up) AS up FROM ("
            "SELECT row_doc AS doc, coalesce(pidx, -1) AS pidx, "
            "arg_max(spool_off + spool_len, seq) AS off, arg_max(ctx_len, seq) AS len, "
            "arg_max(hidden, seq) AS hidden, arg_max(pid, seq) AS pid, "
            "max(parent_doc) AS up FROM staged "
            f"WHERE row_doc IN {named} GROUP BY 1, 2 "
            "UNION ALL "
            "SELECT c.doc, c.start AS pidx, "
            "arg_max(s.spool_off + s.spool_len, s.seq) AS off, arg_max(s.ctx_len, s.seq) AS len, "
            "arg_max(s.hidden, s.seq) AS hidden, arg_max(s.pid, s.seq) AS pid, NULL AS up "
            "FROM copies c JOIN staged s ON s.seq = c.seq "
            f"WHERE c.doc IN {named} AND c.doc NOT IN {in_file} GROUP BY 1, 2 "
            "UNION ALL "
            "SELECT r.doc, r.pidx, r.off, r.len, coalesce(p.hidden, TRUE) AS hidden, r.pid, r.up "
            "FROM prior r LEFT JOIN (SELECT task_id, bool_or(hidden) AS hidden FROM present "
            "GROUP BY task_id) p USING (task_id) "
            f"WHERE r.doc NOT IN {in_file} AND r.doc NOT IN (SELECT doc FROM copies)"
            ") GROUP BY doc"
        )
        self.db.execute(
            """
            CREATE TABLE todo AS
            SELECT s.pid, s.spool_off, s.spool_len, s.located,
                   b.ctx_off + b.ctx_len AS before_off, b.tail_len AS before_len,
                   a.ctx_off AS after_off, a.ctx_len AS after_len,
                   s.before_off AS carried_before_off, s.before_len AS carried_before_len,
                   hb.hidden AS carried_before_hidden, s.before_pid AS carried_before_pid,
                   s.after_off AS carried_after_off, s.after_len AS carried_after_len,
                   ha.hidden AS carried_after_hidden, s.after_pid AS carried_after_pid,
                   s.parent_doc, s.row_doc AS own_doc,
                   t1.offs AS offs1, t1.lens AS lens1, t1.hidden AS hidden1, t1.pids AS pids1,
                   t1.up AS up1,
                   t2.offs AS offs2, t2.lens AS lens2, t2.hidden AS hidden2, t2.pids AS pids2,
                   t2.up AS up2,
                   t3.offs AS offs3, t3.lens AS lens3, t3.hidden AS hidden3, t3.pids AS pids3
            FROM staged s
            LEFT JOIN pos b ON b.doc_id = s.doc_id AND b.pidx = s.pidx - 1
            LEFT JOIN pos a ON a.doc_id = s.doc_id AND a.pidx = s.pidx + 1
            LEFT JOIN carried_hidden hb ON hb.pid = s.before_pid
            LEFT JOIN carried_hidden ha ON ha.pid = s.after_pid
            LEFT JOIN threads t1 ON t1.doc = s.parent_doc
            LEFT JOIN threads t2 ON t2.doc = t1.up
            LEFT JOIN threads t3 ON t3.doc = t2.up
            WHERE s.pid NOT IN (SELECT pid FROM present)
              AND s.pid NOT IN (SELECT pid FROM reposts)
              AND s.pid NOT IN (SELECT pid FROM renamed)
            ORDER BY s.priority DESC, s.pid
            """
        )
        self.db.execute("SET preserve_insertion_order = false")
        return self._scalar("SELECT count(*) FROM todo")

    def renamed(self, examples: int = 3) -> tuple[int, list[tuple[str, str, str, int]]]:
        """Passages :meth:`plan` left out because a task holds them under the document id
        an earlier annotate wrote for a whole-number id read as a float (``7.0`` then,
        ``7`` now: the rule of :mod:`annotate._util.renamed_ids`, in SQL). Pushing them
        would give each passage a second task. Returns (how many, the first few in file
        order as (passage id, its document id, the task's document id, task id))."""
        count = self._scalar("SELECT count(*) FROM renamed")
        rows = self.db.execute(
            "SELECT pid, doc, held_doc, task_id FROM renamed ORDER BY seq LIMIT ?", [examples]
        ).fetchall()
        return count, [(str(p), str(d), str(h), int(t)) for p, d, h, t in rows]

    def repost_count(self) -> int:
        """How many passages :meth:`plan` left out as re-posts."""
        return self._scalar("SELECT count(*) FROM reposts")

    def moved_documents(self, examples: int = 3) -> tuple[int, list[tuple[str, str]]]:
        """Of the re-posts :meth:`plan` left out, those whose task holds the same passage
        of the same document under another path: the same place (passage index), and one
        document id ends with ``/`` and the other (``sub/ar.txt`` here, ``docs/sub/ar.txt``
        on the task: ingest given the folder's sub-folder, or the folder from above,
        names documents relative to what it was given; passG52 G10). Returns (how many,
        the first few distinct (document id here, the task's) in file order)."""
        where = (
            "doc IS NOT NULL AND held_doc IS NOT NULL AND doc <> held_doc "
            "AND pidx IS NOT DISTINCT FROM held_pidx "
            "AND (ends_with(held_doc, '/' || doc) OR ends_with(doc, '/' || held_doc))"
        )
        count = self._scalar(f"SELECT count(*) FROM reposts WHERE {where}")
        rows = self.db.execute(
            f"SELECT doc, held_doc, min(seq) AS first FROM reposts WHERE {where} "
            "GROUP BY doc, held_doc ORDER BY first LIMIT ?",
            [examples],
        ).fetchall()
        return count, [(str(d), str(h)) for d, h, _ in rows]

    def reposts(self) -> Iterator[tuple[str, str, int, int, str, str | None]]:
        """(passage id, where in the file, project id, task id, that task's passage id,
        the passage's document id (None: none)) of each passage :meth:`plan` left out as a
        re-post, in file order, page by page: the task is the oldest holding the same text."""
        seq = -1
        while True:
            rows = self.db.execute(
                "SELECT seq, pid, located, project_id, task_id, held_pid, doc FROM reposts "
                "WHERE seq > ? ORDER BY seq LIMIT ?",
                [seq, CHUNK_ROWS],
            ).fetchall()
            if not rows:
                return
            for _, pid, located, project_id, task_id, held, doc in rows:
                yield str(pid), str(located), int(project_id), int(task_id), str(held), doc
            seq = rows[-1][0]

    def reposts_by_task(
        self,
    ) -> Iterator[tuple[int, list[tuple[str, str | None]], dict[str, Any] | None, set[str]]]:
        """What :func:`annotate.studio.reposts.record_reposts` writes after the push: (task
        id, [(passage id, document id), ...], the task's meta as read (None: not read),
        passage ids placed) of each task holding the text of re-posts :meth:`plan` left out,
        or whose meta lists as left out a passage of the file that has a task of its own now
        (pushed with ``--keep-reposts``, or before), page by page. Call after the import:
        a passage the server refused or that was not sent is not placed."""
        stale = dict(self._stale_records())
        after = -1
        while True:
            rows = self.db.execute(
                "SELECT task_id, list(pid ORDER BY seq), list(doc ORDER BY seq), "
                "any_value(held_meta) FROM reposts "
                "WHERE task_id > ? "
                "GROUP BY task_id ORDER BY task_id LIMIT ?",
                [after, CHUNK_ROWS],
            ).fetchall()
            if not rows:
                break
            for task_id, pids, docs, meta in rows:
                known = None if meta is None else json.loads(meta)
                placed = stale.pop(int(task_id), (None, set()))[1]
                yield int(task_id), list(zip(pids, docs, strict=True)), known, placed
            after = int(rows[-1][0])
        for task_id in sorted(stale):
            meta, placed = stale[task_id]
            yield task_id, [], meta, placed

    def _stale_records(self) -> Iterator[tuple[int, tuple[dict[str, Any], set[str]]]]:
        """(task id, (its meta, the passage ids it lists as re-posts that have a task of
        their own now)) of tasks read whose meta lists such passages: a passage of the file
        not left out as a re-post by this push, nor refused or unsent."""
        after = -1
        while True:
            rows = self.db.execute(
                "SELECT task_id, any_value(meta) FROM present WHERE task_id > ? AND meta LIKE ? "
                "GROUP BY task_id ORDER BY task_id LIMIT ?",
                [after, f"%{REPOSTS_META_KEY}%", CHUNK_ROWS],
            ).fetchall()
            if not rows:
                return
            metas = {int(t): json.loads(m) for t, m in rows}
            listed = {t: listed_reposts(m) for t, m in metas.items()}
            wanted = sorted({pid for pids in listed.values() for pid in pids})
            placed = {
                str(r[0])
                for r in self.db.execute(
                    "SELECT pid FROM staged WHERE pid IN (SELECT unnest(?::VARCHAR[])) "
                    "AND pid NOT IN (SELECT pid FROM reposts) "
                    "AND pid NOT IN (SELECT pid FROM failed)",
                    [wanted],
                ).fetchall()
            }
            for task_id, pids in listed.items():
                if found := placed.intersection(pids):
                    yield task_id, (metas[task_id], found)
            after = int(rows[-1][0])

    def unknown_neighbours(self) -> int:
        """Tasks of the plan that show :data:`annotate.review.view.UNKNOWN_NEIGHBOUR` for a
        neighbour the row carries: no task of that passage in the projects read says
        whether it carries a content warning."""
        return self._scalar(
            "SELECT count(*) FROM todo WHERE (before_off IS NULL AND carried_before_off IS "
            "NOT NULL AND carried_before_hidden IS NULL) OR (after_off IS NULL AND "
            "carried_after_off IS NOT NULL AND carried_after_hidden IS NULL)"
        )

    def other_licences(
        self, examples: int = 3
    ) -> tuple[int, list[tuple[str, int, str | None, str]]]:
        """Passages of the file already in Label Studio whose task records another licence
        than the file's row (or none): push leaves such a task as it is, so the export
        keeps the task's. The rule of :func:`annotate.studio.other_licences.other_licences`
        (a review-set push's too) on this database's ``staged`` and ``present``."""
        return other_licences(self.db, examples)

    def other_texts(self, examples: int = 3) -> tuple[int, list[tuple[str, int, str]]]:
        """Passages of the file already in Label Studio under their id whose task holds
        another text than the file's row (compared by their ``text_key`` digests, never the
        texts: a table with its own ids, corrected or masked by hand, pushed again): push
        leaves such a task as it is, so reviewers label its old text. Returns (passages,
        the first ``examples`` in file order as (passage id, its lowest such task id, where
        the row is in the file))."""
        differing = (
            "FROM staged s JOIN present p USING (pid) WHERE s.digest IS NOT NULL "
            "AND p.digest IS NOT NULL AND p.digest <> s.digest"
        )
        count = self._scalar(f"SELECT count(DISTINCT pid) {differing}")
        shown = self.db.execute(
            f"SELECT pid, min(p.task_id), arg_min(s.located, s.seq) {differing} "
            "GROUP BY pid ORDER BY min(s.seq) LIMIT ?",
            [examples],
        ).fetchall()
        return count, [(str(pid), int(t), str(where)) for pid, t, where in shown]

    def other_sources(self, examples: int = 3) -> tuple[int, list[tuple[str, int, str, str]]]:
        """Passages of the file already in Label Studio under their id whose task was
        ingested from another input file (``input_file``, both recorded, with its folder
        where the run record names one: :mod:`annotate.studio.input_sources`): most likely two
        sources whose document ids coincide (two platforms' tables whose ids both count
        from 1, a row of each with the same text: the same passage id), so push skips the
        file's passage as "already there" and its provenance is recorded nowhere (or one
        source's export taken again under another name). A join on ``staged`` and
        ``present``, out of core like the rest. Returns (passages, the first ``examples``
        in file order as (passage id, its lowest such task id, that task's input file,
        the row's))."""
        differing = (
            "FROM staged s JOIN present p USING (pid) WHERE s.input_file IS NOT NULL "
            f"AND p.input_file IS NOT NULL AND {differ_sql('p.input_file', 's.input_file')}"
        )
        count = self._scalar(f"SELECT count(DISTINCT pid) {differing}")
        shown = self.db.execute(
            f"SELECT pid, min(p.task_id), arg_min(p.input_file, p.task_id), "
            f"any_value(s.input_file) {differing} GROUP BY pid ORDER BY min(s.seq) LIMIT ?",
            [examples],
        ).fetchall()
        return count, [(str(pid), int(t), str(a), str(b)) for pid, t, a, b in shown]

    def other_versions(self, examples: int = 3) -> tuple[int, int, list[tuple[str, int]]]:
        """Tasks already in Label Studio that hold an earlier version of a passage of the
        file (the document was edited, or split otherwise, since it was pushed): (tasks,
        documents, a few (document id, task id) examples). The SQL of
        :func:`annotate.studio.versions.is_earlier_version`: a task of a document of the
        file whose passage the file does not hold nor carries as a row's neighbour, when
        the file holds the whole document (no row of it carries a neighbour), a row of it
        at the task's position, or ends the document before that position (the row at the
        file's last position of it carries no neighbour after it)."""
        where = (
            "FROM present p JOIN (SELECT doc_id, bool_and(before_pid IS NULL AND after_pid IS "
            "NULL) AS whole, max(pidx) AS last, max(pidx) FILTER (WHERE after_pid IS NOT "
            "NULL) AS last_open FROM staged WHERE doc_id IS NOT NULL GROUP BY doc_id) d "
            "USING (doc_id) WHERE p.pid NOT IN (SELECT pid FROM staged) AND (p.doc_id, p.pid) "
            "NOT IN (SELECT (doc_id, before_pid) FROM staged WHERE doc_id IS NOT NULL AND "
            "before_pid IS NOT NULL UNION SELECT (doc_id, after_pid) FROM staged WHERE doc_id "
            "IS NOT NULL AND after_pid IS NOT NULL) AND "
            "(d.whole OR (p.doc_id, p.pidx) IN (SELECT (doc_id, pidx) FROM staged WHERE doc_id "
            "IS NOT NULL) OR (p.pidx > d.last AND (d.last_open IS NULL OR d.last_open < d.last)))"
        )
        row = self.db.execute(f"SELECT count(*), count(DISTINCT doc_id) {where}").fetchone()
        tasks, docs = (int(row[0]), int(row[1])) if row else (0, 0)
        shown = self.db.execute(
            f"SELECT doc_id, min(task_id) {where} GROUP BY doc_id ORDER BY doc_id LIMIT ?",
            [examples],
        ).fetchall()
        return tasks, docs, [(str(d), int(t)) for d, t in shown]

    def todo(self, start: int, size: int) -> list[tuple[str, str]]:
        """(passage id, task JSON) of tasks ``start`` .. ``start + size - 1`` (0-based) of
        the plan, with their neighbours' context; the JSON is compact and ready to send.

        The tasks are built here (about 0.15 ms each on this project's machines), so a
        push can build the next batch while the server imports the last one."""
        rows = self.db.execute(
            "SELECT pid, spool_off, spool_len, located, before_off, before_len, "
            "carried_before_off, carried_before_len, carried_before_hidden, "
            "carried_before_pid, after_off, after_len, carried_after_off, carried_after_len, "
            "carried_after_hidden, carried_after_pid, parent_doc, own_doc, "
            "offs1, lens1, hidden1, pids1, up1, offs2, lens2, hidden2, pids2, up2, "
            "offs3, lens3, hidden3, pids3 "
            "FROM todo WHERE rowid >= ? AND rowid < ? ORDER BY rowid",
            [start, start + size],
        ).fetchall()
        out = []
        for pid, off, length, located, *sides in rows:
            task = self._task(off, length, located)
            data = task["data"]
            data["context_before"] = self._context(*sides[:6], side="before")
            data["context_after"] = self._context(*sides[6:12], side="after")
            if sides[12] is not None:  # a reply: the comments it answers, or a note
                data[PARENT_FIELD], data[PARENT_HEADER_FIELD] = self._thread(*sides[12:])
            out.append((str(pid), _dumps(task)))
        return out

    def _context(
        self,
        off: int | None,
        length: int | None,
        carried_off: int | None,
        carried_len: int | None,
        hidden: bool | None,
        carried_pid: str | None = None,
        *,
        side: str,
    ) -> str:
        """What a task shows of one neighbour: the neighbour's row in the file (as it
        shows itself to neighbours), else the neighbour's text the row carries
        (:data:`annotate.table_schemas.NEIGHBOUR_COLUMNS`) shown the same way, its content
        warning as its own task has it (``hidden``; None: unknown, a note instead; the
        note of a hidden one names ``carried_pid``, its passage id);
        ``side``: which neighbour it is ("before": its tail is read, "after": its head,
        :func:`annotate.review.view.context_text`)."""
        if off is not None and length is not None:
            return self._read_text(off, length)
        if carried_off is None or carried_len is None:
            return ""
        text = self._read_text(carried_off, carried_len)
        return carried_context(text, hidden, side=side, passage=carried_pid)

    def _thread(self, parent: str, own: str | None, *levels: Any) -> tuple[str, str]:
        """What a reply shows of the comments it answers and their heading
        (:func:`annotate.review.parents.thread_text` and ``thread_header``): ``parent``,
        its document id; ``own``, the reply's; ``levels``, of the parent and the two above
        it, each (offsets, lengths: what a neighbour after each passage shows of it, in
        order; whether each carries a content warning; passage ids), and for the first
        two the document it replies to; no offsets: not found (the parent: a note)."""
        found = [levels[0:4], levels[5:9], levels[10:14]]
        up = {parent: levels[4]}
        if levels[4] is not None:
            up[str(levels[4])] = levels[9]
        chain = thread_chain(parent, up, own)
        shown: list[tuple[str, list[tuple[str, bool, str]] | None]] = []
        for doc, (offs, lens, hidden, pids) in zip(chain, found, strict=False):
            parts = None
            if offs and lens:
                parts = [
                    (self._read_text(o, n), bool(h), str(p))
                    for o, n, h, p in zip(offs, lens, hidden or [], pids or [], strict=True)
                ]
            shown.append((str(doc), parts))
            if parts is None:
                break
        ids = [d for d, parts in shown if parts] or [parent]
        return thread_text(shown), thread_header(ids)

    def _read_text(self, off: int, length: int) -> str:
        self.spool.seek(off)
        return self.spool.read(length).decode("utf-8")

    def todo_pids(self, start: int) -> Iterator[str]:
        """Passage ids of the plan from ``start`` (0-based) on, page by page."""
        while True:
            rows = self.db.execute(
                "SELECT pid FROM todo WHERE rowid >= ? ORDER BY rowid LIMIT ?", [start, CHUNK_ROWS]
            ).fetchall()
            if not rows:
                return
            yield from (r[0] for r in rows)
            start += len(rows)

    def add_mine(self, task_ids: list[int]) -> None:
        """Record task ids this push created (one columnar insert: executemany is a
        statement per row in DuckDB, 4.5 s for 1,000 ids)."""
        if task_ids:
            self._insert("mine", {"task_id": [int(t) for t in task_ids]})

    def mine_count(self) -> int:
        return self._scalar("SELECT count(*) FROM mine")

    def add_failed(self, failed: dict[str, str]) -> None:
        if failed:
            n = len(failed)
            columns = {
                "n": list(range(self._failed, self._failed + n)),
                "pid": list(failed),
                "why": list(failed.values()),
            }
            self._insert("failed", columns)
            self._failed += n

    def failures(self) -> Iterator[tuple[str, str]]:
        """(passage id, why) of the rows the server refused or that were not sent."""
        for pid, why in self.db.execute("SELECT pid, why FROM failed ORDER BY n").fetchall():
            yield str(pid), str(why)

    # ---- reconciliation ------------------------------------------------------------
    def extra_tasks(self) -> tuple[list[int], list[tuple[str, list[int]]]]:
        """Second and later tasks of a passage: (this run's, to delete), (others, by passage).

        The oldest task (lowest id) of a passage is kept.
        """
        self.db.execute("DROP TABLE IF EXISTS ranked")
        self.db.execute(
            "CREATE TABLE ranked AS SELECT *, row_number() OVER (PARTITION BY pid "
            "ORDER BY task_id) AS k FROM present"
        )
        ours = [
            r[0]
            for r in self.db.execute(
                "SELECT task_id FROM ranked WHERE k > 1 AND task_id IN (SELECT task_id FROM mine) "
                "ORDER BY task_id"
            ).fetchall()
        ]
        others = self.db.execute(
            "SELECT pid, list(task_id ORDER BY task_id) FROM present WHERE pid IN "
            "(SELECT pid FROM ranked WHERE k > 1 AND task_id NOT IN (SELECT task_id FROM mine)) "
            "GROUP BY pid ORDER BY pid LIMIT 100"
        ).fetchall()
        return ours, [(str(p), list(ids)) for p, ids in others]

    def by_project(self, task_ids: list[int]) -> dict[int, list[int]]:
        """These present tasks, by their project (for deletions, which go project by
        project)."""
        found: dict[int, list[int]] = {}
        if task_ids:
            for project_id, task_id in self.db.execute(
                "SELECT project_id, task_id FROM present WHERE task_id IN "
                "(SELECT unnest(?::BIGINT[])) ORDER BY project_id, task_id",
                [[int(t) for t in task_ids]],
            ).fetchall():
                found.setdefault(int(project_id), []).append(int(task_id))
        return found

    def drop_present(self, task_ids: list[int]) -> None:
        if task_ids:
            self.db.execute(
                "DELETE FROM present WHERE task_id IN (SELECT unnest(?::BIGINT[]))",
                [[int(t) for t in task_ids]],
            )

    def _kept(self) -> str:
        return (
            "(SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY pid ORDER BY task_id) "
            "AS k FROM present) WHERE k = 1)"
        )

    def missing_predictions(self) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """(project id, predictions with ``task``) for kept tasks lacking their row's model;
        each with ``_ours`` (a task this run made) and ``_model_data`` (the row's
        :data:`MODEL_DATA_FIELDS`), which are not sent."""
        self.db.execute("DROP TABLE IF EXISTS lacking")
        self.db.execute(
            f"""
            CREATE TABLE lacking AS
            SELECT row_number() OVER (ORDER BY k.project_id, k.task_id) AS rn,
                   k.project_id, k.task_id, s.spool_off, s.spool_len, s.located,
                   k.task_id IN (SELECT task_id FROM mine) AS ours
            FROM staged s JOIN {self._kept()} k USING (pid)
            WHERE NOT list_contains(k.versions, s.model_version)
            """
        )
        start = 0
        while True:
            rows = self.db.execute(
                "SELECT project_id, task_id, spool_off, spool_len, located, ours FROM lacking "
                "WHERE rn > ? ORDER BY rn LIMIT ?",
                [start, CHUNK_ROWS],
            ).fetchall()
            if not rows:
                return
            start += len(rows)
            by_project: dict[int, list[dict[str, Any]]] = {}
            for project_id, task_id, off, length, located, ours in rows:
                task = self._task(off, length, located)
                # the task's grid columns of this model (push puts them in the task data
                # once the prediction is there: the columns follow the prediction shown)
                model_data = {k: task["data"][k] for k in MODEL_DATA_FIELDS if k in task["data"]}
                for pred in task["predictions"]:
                    by_project.setdefault(int(project_id), []).append(
                        {
                            **pred,
                            "task": int(task_id),
                            "_ours": bool(ours),
                            "_model_data": model_data,
                        }
                    )
            yield from by_project.items()

    def problems(self) -> Iterator[tuple[str, str]]:
        """(passage id, why) of every passage of the file not in place after the push."""
        yield from self.failures()
        query = f"""
            SELECT s.pid, k.task_id, s.model_version
            FROM staged s LEFT JOIN {self._kept()} k USING (pid)
            WHERE s.pid NOT IN (SELECT pid FROM failed)
              AND s.pid NOT IN (SELECT pid FROM reposts)
              AND (k.task_id IS NULL OR NOT list_contains(k.versions, s.model_version))
            ORDER BY s.pid
        """
        for pid, task_id, version in self.db.execute(query).fetchall():
            if task_id is None:
                yield str(pid), "not in the project after the import"
            else:
                yield str(pid), f"task {task_id} has no prediction of model {version!r}"

    def _insert(self, name: str, columns: dict[str, list[Any]]) -> None:
        """One columnar insert of equally long column lists, passed to DuckDB as list
        parameters and unnested side by side: no pyarrow table, whose construction
        imports pandas (about 1.7 s of a small push here)."""
        spec = _COLUMNS[name]
        select = ", ".join(f"unnest(?::{kind}[])" for _, kind in spec)
        self.db.execute(f"INSERT INTO {name} SELECT {select}", [columns[c] for c, _ in spec])

    def _scalar(self, query: str, *params: Any) -> int:
        rows = self.db.execute(query, list(params)).fetchall()
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0


@contextmanager
def staging(threads: int = 1) -> Iterator[Staging]:
    """A fresh staging database in a temporary directory, removed afterwards."""
    import duckdb

    with scratch_dir("push") as tmp:
        db = duckdb.connect(str(Path(tmp) / "push.duckdb"))
        try:
            with (Path(tmp) / "tasks.spool").open("w+b") as spool:
                db.execute(f"SET memory_limit = '{memory_limit(MEMORY_LIMIT)}'")
                db.execute(f"SET threads = {int(threads)}")  # fewer threads: less memory to sort
                db.execute(f"SET temp_directory = '{Path(tmp) / 'spill'}'")
                db.execute("SET preserve_insertion_order = false")
                yield Staging(db, spool)
        except OSError as exc:
            # a full disk under the spool's buffered writes names no file: name the
            # temporary folder, which the command's error then says how to move (TMPDIR)
            if exc.errno in _DISK_FULL and exc.filename is None:
                raise OSError(exc.errno, exc.strerror, str(tmp)) from exc
            raise
        finally:
            db.close()


_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


# one encoder for every task (json.dumps builds one per call); a task is a tree built
# here, never circular, so the encoder skips the check (same output, ~10% less CPU)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _dumps(task: dict[str, Any]) -> str:
    """Compact JSON of a task, exactly as the standard library writes it
    (``json.dumps(task, ensure_ascii=False, separators=(",", ":"))``).

    pydantic_core's encoder (Rust; pydantic is a dependency) writes the same text for
    str, int, bool and None and for lists and dicts of them, and for every float but
    those of magnitude below 1e-4 (``0.00001`` where the standard library writes
    ``1e-05``): compared on every code point, on 10**6 rounded scores and on 1.2 million
    random floats in [1e-4, 1e16). It takes ~10 µs a task against ~35 µs, while the
    check of every value's type (:func:`_plain`) takes ~8 µs, so a task that holds only
    such values goes through it; any other (a tiny score, a NaN, a date) through the
    standard library, as does one it cannot write (a lone surrogate).
    """
    if _plain(task):
        try:
            return to_json(task).decode("utf-8")
        except ValueError:
            pass
    return _ENCODER.encode(task)


def _plain(task: Any) -> bool:
    """Whether every value in ``task`` is a str, int, bool, None, a float that is 0 or of
    magnitude in [1e-4, 1e16), or a list or dict of those (keys: the task's own, str)."""
    stack: list[Any] = [[task]]
    while stack:
        node = stack.pop()
        for value in node.values() if type(node) is dict else node:
            kind = type(value)
            if kind is str or kind is int or value is None or kind is bool:
                continue
            if kind is float:
                if value == 0.0 or 1e-4 <= abs(value) < 1e16:  # False for NaN
                    continue
                return False
            if kind is dict or kind is list:
                stack.append(value)
                continue
            return False
    return True
