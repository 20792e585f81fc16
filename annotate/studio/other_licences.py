"""Passages of a push's file already in Label Studio whose task records another licence
than the file's row (or none): push leaves a task there as it is, so the export keeps the
task's licence, and push warns. One rule, in SQL, for both kinds of push: the plain push
runs it on its staging database (:meth:`annotate.studio.staging.Staging.other_licences`,
out of core), a review-set push on its listing of the set's queues, loaded into a
throwaway in-memory DuckDB (:func:`other_licences_of`).

The rule: a passage counts when the file's row records a licence (not null, not empty) and
a task of it records another one or none (``IS DISTINCT FROM``); each passage counts once,
however many tasks hold it. Its example names its lowest task id with that task's own
licence, examples in file order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

# the columns the rule reads: the file's rows and the tasks already there
STAGED_COLUMNS = (("pid", "VARCHAR"), ("seq", "BIGINT"), ("license", "VARCHAR"))
PRESENT_COLUMNS = (("pid", "VARCHAR"), ("task_id", "BIGINT"), ("license", "VARCHAR"))

_DIFFERING = (
    "FROM staged s JOIN present p USING (pid) WHERE s.license IS NOT NULL "
    "AND p.license IS DISTINCT FROM s.license"
)


def other_licences(
    db: duckdb.DuckDBPyConnection, examples: int = 3
) -> tuple[int, list[tuple[str, int, str | None, str]]]:
    """The rule (see the module docstring) over ``db``'s tables ``staged`` (the file's
    rows: :data:`STAGED_COLUMNS`, ``license`` null where the row records none, ``seq`` its
    place in the file) and ``present`` (the tasks there: :data:`PRESENT_COLUMNS`, the
    task's licence as :func:`annotate.corpus.licenses.task_license` reads it). Returns
    (passages, the first ``examples`` in file order as (passage id, its lowest differing
    task id, that task's licence, the file's))."""
    row = db.execute(f"SELECT count(DISTINCT pid) {_DIFFERING}").fetchone()
    shown = db.execute(
        # arg_min_null: the lowest task's own licence, null included (arg_min skips nulls)
        f"SELECT pid, min(p.task_id), arg_min_null(p.license, p.task_id), "
        f"any_value(s.license) {_DIFFERING} GROUP BY pid ORDER BY min(s.seq) LIMIT ?",
        [examples],
    ).fetchall()
    return (int(row[0]) if row else 0), [
        (str(pid), int(t), None if tl is None else str(tl), str(fl)) for pid, t, tl, fl in shown
    ]


def other_licences_of(
    file_licences: Mapping[str, Any],
    there: Iterable[tuple[str, int, str | None]],
    examples: int = 3,
) -> tuple[int, list[tuple[str, int, str | None, str]]]:
    """:func:`other_licences` for a review-set push: ``file_licences`` maps each passage id
    of the file to the licence its row records, in file order (None or "": none recorded);
    ``there`` gives (passage id, task id, the task's licence) of the tasks already in the
    set's queues. Both are loaded into an in-memory DuckDB (one columnar insert each)."""
    import duckdb

    staged: dict[str, list[Any]] = {"pid": [], "seq": [], "license": []}
    for seq, (pid, lic) in enumerate(file_licences.items(), start=1):
        staged["pid"].append(str(pid))
        staged["seq"].append(seq)
        staged["license"].append(lic if isinstance(lic, str) and lic else None)
    present: dict[str, list[Any]] = {"pid": [], "task_id": [], "license": []}
    for pid, task_id, lic in there:
        present["pid"].append(str(pid))
        present["task_id"].append(int(task_id))
        present["license"].append(lic)
    with duckdb.connect(":memory:") as db:
        for name, spec, columns in (
            ("staged", STAGED_COLUMNS, staged),
            ("present", PRESENT_COLUMNS, present),
        ):
            db.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in spec)})")
            select = ", ".join(f"unnest(?::{t}[])" for _, t in spec)
            db.execute(f"INSERT INTO {name} SELECT {select}", [columns[c] for c, _ in spec])
        return other_licences(db, examples)
