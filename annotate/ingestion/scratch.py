"""One ingest's scratch database: DuckDB in a temporary directory, capped in memory.

Ingest state that grows with the corpus (exact-duplicate digests, document ids and their
inputs, the near-duplicate band index) lives in tables of this database, not in Python
structures. DuckDB keeps at most ``MEMORY_LIMIT`` of it in memory
(``GROUP_MEMORY_LIMIT``, then up to 1GB as needed, while near-duplicates are grouped)
and spills the rest to the directory, so memory stays bounded however large the corpus.
Every per-chunk query joins the chunk (the small side, which DuckDB hashes) against a
table it streams, so none needs the table in memory; disk holds about
``8 * (bands + 2)`` bytes per passage for the band index, 16 per distinct passage for
the digests, and per document its id, its input's number and its row (``row 3 (line 4)``).
The directory is removed afterwards.

Chunks go to DuckDB as columns of NumPy arrays (:data:`Columns`), which it scans in
place, not as Arrow tables: pyarrow imports pandas (0.5-1 s of CPU) the first time it
builds an array from Python objects, whatever the objects. DuckDB 2 scans the arrays
without pandas (DuckDB 1.x imports it to scan them: the same rows, the old cost).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np

from annotate._util.scratch import MEMORY_ENV as MEMORY_ENV  # re-exported
from annotate._util.scratch import memory_limit, scratch_dir

MEMORY_LIMIT = "16MB"  # streaming inserts and probes: a chunk joined against a table
GROUP_MEMORY_LIMIT = "64MB"  # near-duplicate grouping, whose joins grow with the candidates
# the limits near-duplicate grouping raises to in turn, each when a statement runs out at
# the one before: a low threshold (0.1: 64 bands of one row) makes buckets of most
# passages, whose aggregation outgrew 64MB at 25,000 passages (break12 M1); bounded
GROUP_MEMORY_LIMITS = (GROUP_MEMORY_LIMIT, "256MB", "1GB")
THREADS = 1  # the work here is small next to Python's; more threads, more memory

# column name -> equally long 1-D array (int64 / int32; strings: dtype object), in the
# order of the table's columns
Columns = Mapping[str, np.ndarray]


def strings(values: Sequence[str]) -> np.ndarray:
    """A column of strings: (len(values),) dtype object (a fixed-width NumPy string
    array would take the longest string's width for every row)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@contextmanager
def scratch_database() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh DuckDB connection on a database in a temporary directory, removed afterwards."""
    with scratch_dir("ingest-db") as tmp:
        db = duckdb.connect(str(Path(tmp) / "ingest.duckdb"))
        try:
            db.execute(f"SET memory_limit = '{memory_limit(MEMORY_LIMIT)}'")
            db.execute(f"SET threads = {THREADS}")
            db.execute(f"SET temp_directory = '{Path(tmp) / 'spill'}'")
            db.execute("SET preserve_insertion_order = false")
            yield db
        finally:
            db.close()


def insert(db: duckdb.DuckDBPyConnection, name: str, table: Columns) -> None:
    """Append the rows of ``table`` to the table ``name`` (same columns, same order)."""
    db.register("_chunk", table)
    try:
        db.execute(f"INSERT INTO {name} SELECT * FROM _chunk")
    finally:
        db.unregister("_chunk")


def query(db: duckdb.DuckDBPyConnection, sql: str, table: Columns) -> list[tuple[object, ...]]:
    """Rows of ``sql``, in which ``_chunk`` names the columns ``table``.

    A statement that runs out of the memory limit runs again with each of
    ``GROUP_MEMORY_LIMITS`` in turn, then the limit goes back to what it was: how much a
    join reserves depends on its plan, hence on the keys' hashes (a semi join of 4 document
    ids against 44 reserved 6.4 MiB of 16 MB, the same files in another folder did not;
    newuser59), so no fixed cap is safe for every chunk. A limit the user set
    (``$ANNOTATE_DUCKDB_MEMORY``) is kept: DuckDB's OutOfMemoryException then propagates,
    which the CLI turns into one line naming the setting."""
    db.register("_chunk", table)
    try:
        try:
            return db.execute(sql).fetchall()
        except duckdb.OutOfMemoryException:
            if os.environ.get(MEMORY_ENV, "").strip():
                raise
        (before,) = db.execute("SELECT current_setting('memory_limit')").fetchall()
        try:
            for limit in GROUP_MEMORY_LIMITS[:-1]:
                db.execute(f"SET memory_limit = '{limit}'")
                try:
                    return db.execute(sql).fetchall()
                except duckdb.OutOfMemoryException:
                    continue
            # bounded: running out here propagates, and the CLI says how to raise it
            db.execute(f"SET memory_limit = '{GROUP_MEMORY_LIMITS[-1]}'")
            return db.execute(sql).fetchall()
        finally:
            _restore_limit(db, str(before[0]))
    finally:
        db.unregister("_chunk")


def _restore_limit(db: duckdb.DuckDBPyConnection, shown: str) -> None:
    """Set the memory limit DuckDB showed as ``shown`` (``15.2 MiB``) again: as the size it
    was set with when it is one of this module's (``16MB``; setting the rounded text
    itself would lower it a little each time), else as shown."""
    for given in (memory_limit(MEMORY_LIMIT), *GROUP_MEMORY_LIMITS):
        db.execute(f"SET memory_limit = '{given}'")
        if db.execute("SELECT current_setting('memory_limit')").fetchall() == [(shown,)]:
            return
    db.execute(f"SET memory_limit = '{shown}'")
