"""The distinct values of one column of a passages file and their rows (what ``ingest
--previous`` reads of an earlier file's ``ingest_run``: :func:`annotate.ingestion.record.
recorded_runs`), by the faster reader for the file.

A JSONL file up to :data:`SMALL_FILE_BYTES` is read by pyarrow (the one column, counted
in Python); a larger one, and any Parquet file, by DuckDB, which groups the column as it
streams it, so memory does not grow with the file. Measured as `ingest --previous FILE`
runs it (DuckDB already imported by ingest; gab-hate-corpus passages; 2 cores, load
average 5): 200 rows (0.2 MB JSONL) DuckDB 0.20-0.31 s, pyarrow 0.015-0.022 s; 22,000
rows (21 MB JSONL) DuckDB 0.75-1.1 s, pyarrow 0.30-0.40 s; 110,000 rows (103 MB JSONL)
about 1 s either way (read alone); Parquet, 200 or 22,000 rows, DuckDB 0.12-0.32 s,
pyarrow 0.75-1.4 s (its first Parquet read of the process). A line either reader
refuses is read again row by row by the table readers, whose error names it.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# a JSONL file of at most this many bytes is read by pyarrow (its column held in memory:
# about 400 bytes a row of ingest_run, some 30 MB at this size), a larger one by DuckDB
SMALL_FILE_BYTES = 64 << 20
_JSON_BLOCK = 16 << 20  # pyarrow's JSON blocks: a row must fit in one (default 1 MiB)


def column_counts(path: Path, column: str, fmt: str) -> list[tuple[Any, int]]:
    """``(value, rows)`` for each distinct value of ``column`` in the table ``path``
    (``fmt``: ``parquet`` or ``jsonl``), None for a missing or null value; in JSONL, an
    object value comes back as its JSON text (as DuckDB reads it as text)."""
    small = fmt != "parquet" and path.stat().st_size <= SMALL_FILE_BYTES
    try:
        return _by_pyarrow(path, column) if small else _by_duckdb(path, column, fmt)
    except _Unreadable as exc:  # a line the reader cannot parse (or over its size limit)
        log.info("%s: %s read row by row (%s)", path, column, exc)
        return list(_row_by_row(path, column).items())


class _Unreadable(Exception):
    """A line (or value) pyarrow or DuckDB cannot read: read again row by row."""


def _by_pyarrow(path: Path, column: str) -> list[tuple[Any, int]]:
    """A JSONL file's column, read whole by pyarrow and counted in Python (importing
    pyarrow.compute for it cost more than the read of a small file: 0.15 s)."""
    import pyarrow as pa
    import pyarrow.json as pj

    try:
        table = pj.read_json(
            path,
            read_options=pj.ReadOptions(block_size=_JSON_BLOCK),
            parse_options=pj.ParseOptions(
                explicit_schema=pa.schema([(column, pa.string())]),
                unexpected_field_behavior="ignore",  # only this column is parsed
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _Unreadable(str(exc)) from exc
    return list(Counter(table.column(column).to_pylist()).items())


def _by_duckdb(path: Path, column: str, fmt: str) -> list[tuple[Any, int]]:
    import duckdb

    if fmt == "parquet":
        source = "read_parquet(?)"
    else:
        # only this column is parsed into the result; other keys are skipped
        source = f"read_json(?, format='newline_delimited', columns={{'{column}': 'VARCHAR'}})"
    try:
        with duckdb.connect() as con:
            sql = f"SELECT {column}, count(*) FROM {source} GROUP BY 1"
            return con.execute(sql, [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise _Unreadable(str(exc)) from exc


def _row_by_row(path: Path, column: str) -> Counter[Any]:
    """Each value of ``column`` and its rows, streamed row by row (the table readers'
    errors name a bad line)."""
    from annotate.tables import iter_rows

    counts: Counter[Any] = Counter()
    for row in iter_rows(path):
        value = row.get(column)
        counts[json.dumps(value) if isinstance(value, dict) else value] += 1
    return counts
