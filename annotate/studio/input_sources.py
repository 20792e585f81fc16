"""Which input file a passage was ingested from, as push compares a task's with a row's.

Ingest records the file's name (``input_file``: relative to the folder it was read from,
so ``ingest data/discord/posts.jsonl`` and ``cd data/discord; ingest posts.jsonl`` both
record ``posts.jsonl``) and, in the run record on every row and task (``ingest_run``), the
folder holding it (``sources_folders``). Two platforms' exports of one name
(``discord/posts.jsonl``, ``reddit/posts.jsonl``) differed in nothing push compared
(break5 B4): the name now carries the last component of that folder, ``posts.jsonl (in
discord/)``, when the run read from one folder. Two names differ as sources when the file
names differ, or both name a folder and the folders differ: a file ingested again from
another folder (moved, another machine) counts as another source; one of a run that read
several folders, or recorded none, is told by its name alone. A source re-exported under
another name (``posts-12-05.jsonl``, ``posts-12-06.jsonl``) still counts as another
file: nothing recorded tells the two cases apart."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

# " (in discord/)" after the file name: the folder it was read from (its last component)
_FOLDER = re.compile(r" \(in [^()]*/\)$")
# the same rule as SQL over two such names (DuckDB), ``a`` and ``b`` being column names
SQL_FOLDER = r" \(in [^()]*/\)$"


def differ_sql(a: str, b: str) -> str:
    """A DuckDB condition true when the input files ``a`` and ``b`` (columns of names as
    :func:`input_file_of` gives them) are other sources (:func:`other_source`)."""
    return (
        f"{a} <> {b} AND (regexp_replace({a}, '{SQL_FOLDER}', '') <> "
        f"regexp_replace({b}, '{SQL_FOLDER}', '') OR (regexp_matches({a}, '{SQL_FOLDER}') "
        f"AND regexp_matches({b}, '{SQL_FOLDER}')))"
    )


def other_source(a: str, b: str) -> bool:
    """Whether two input files (as :func:`input_file_of` gives them) are other sources:
    their names differ, or both name their folder and the folders differ."""
    if a == b:
        return False
    if _FOLDER.sub("", a) != _FOLDER.sub("", b):
        return True
    return _FOLDER.search(a) is not None and _FOLDER.search(b) is not None


def input_file_of(data: Any) -> str | None:
    """The ``input_file`` a row or a task's data records (ingest's: the file it read the
    document from), with the folder it was read from when its ``ingest_run`` names one
    (``posts.jsonl (in discord/)``); None when none is recorded (older files, tables not
    made by ingest)."""
    value = data.get("input_file") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        return None
    run = data.get("ingest_run")
    folder = _run_folder(run) if isinstance(run, str) and run else None
    return f"{value} (in {folder}/)" if folder else value


@lru_cache(maxsize=256)
def _run_folder(run: str) -> str | None:
    """The last component of the one folder an ingest run record (JSON text) read its
    files from; None when it names none or several (a run's rows share one record, so
    this is parsed once per run)."""
    try:
        record = json.loads(run)
    except ValueError:
        return None
    folders = None
    if isinstance(record, dict):  # a task's record names the folders' last parts only
        folders = record.get("sources_folders") or record.get("sources_folder_names")
    if not isinstance(folders, list) or len(folders) != 1 or not isinstance(folders[0], str):
        return None
    name = folders[0].rstrip("/\\").replace("\\", "/").rpartition("/")[2]
    return name or None
