"""The export manifest's ``input_files``: which raw input files the exported rows were
read from (the rows' ``input_file``, as ingest's run record names each file), so an
auditor can trace a row back to the input by its ``input_file`` and ``input_row``.

Input files that gave no row are listed too (``files_without_rows``), each with why, so
an auditor sees every file that went in: those ingest left out (its run record's
``skipped_files``: not UTF-8, binary, unreadable, of a type it does not read; ``left out at
ingest: PROBLEM``) and those no passage was written of (``files_without_passages``:
empty, exact copies only, near-duplicates dropped), from the records of the ingest runs
that cut the corpus's rows (the manifest's ``ingest_runs``), less the files that gave
rows through another run. A record lists at most its first 1,000 such files, and a run
whose record came without its lists (the task of its first passage not exported) gives
only their count: both are counted in ``not_listed``. Files that gave passages none of
which is exported (not pushed, or left out by export) are not named by any record: the
runs' own count of the files they read (``files_read_by_runs``) shows the gap.

Rows whose passages were ingested before ingest recorded them (2026-12-04) have neither:
they are counted in ``rows_without``, never given a file guessed from ``source`` or
``doc_id``.

Up to :data:`INPUT_FILES_INLINE` files are listed in the manifest itself (``files``: name
-> rows). A corpus read from more (a folder of 100,000 posts) would make the manifest,
which every reader of the export loads whole, megabytes of file names; its files are
listed instead in :data:`INPUT_FILES_LISTING` beside the manifest, one JSON line per file
(``{"file": NAME, "rows": N}``, sorted by name, written as the rows are written), and the
manifest keeps ``listing``: the file's name, the number of files and rows it lists and
its SHA-256 (the manifest's ``files`` table checksums it too, so ``annotate verify``
checks it). ``files`` is then absent, not a partial list.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

INPUT_FILES_OF = (
    "the input file each exported row's document was read from, as `annotate ingest` named "
    "it in its run record (relative to the input given; a saved dataset's split as "
    "NAME[SPLIT]), with the rows read from it; each row's input_row says where in the file "
    "(null for a file that is one document)"
)
# how the rows' input_row and a positional document id or source count (two conventions
# that read alike: `comments.csv#2` and `row 3 (line 4)` are the same row)
INPUT_ROW_COUNTED = (
    "input_row counts from 1, as an editor does (`line M`: JSONL, blank lines counted; "
    "`row N (line M)`: CSV/TSV data row N; `row N`: Parquet, a dataset split); a doc_id or "
    "source `FILE#I` (a row named by position) counts rows from 0, blank JSONL lines not "
    "counted: `FILE#I` is `row I+1`"
)
# input files listed in the manifest itself (about 50 bytes each); more go to the listing
INPUT_FILES_INLINE = 1_000
INPUT_FILES_LISTING = "input_files.jsonl"
LISTING_OF = (
    'one JSON line per input file, {"file": NAME, "rows": N}, sorted by name (UTF-8, '
    "newline-terminated); sha256 is of the file's bytes"
)


def _count(rows: Iterable[dict[str, Any]]) -> tuple[Counter[str], int, int]:
    """Rows per ``input_file``; rows without one; rows with one but no ``input_row``."""
    files: Counter[str] = Counter()
    missing = no_row = 0
    for row in rows:
        name = row.get("input_file")
        if not name:
            missing += 1
            continue
        files[str(name)] += 1
        no_row += not row.get("input_row")
    return files, missing, no_row


WITHOUT_ROWS_OF = (
    "input files of the ingest runs that gave no row of this export, with why (from the "
    "runs' records: skipped_files, files_without_passages), by name"
)
FILES_READ_OF = (
    "input files the ingest runs read or left out, by their own records (inputs.files plus "
    "skipped_files; a file in two runs counted twice): files beyond those named in files "
    "and files_without_rows gave passages none of which is in this export (not pushed, or "
    "left out by export)"
)


def files_without_rows(
    runs: Sequence[dict[str, Any]], with_rows: Iterable[str]
) -> tuple[list[dict[str, Any]], int, int]:
    """(each input file the ingest run records ``runs`` name as left out or without
    passages, less those in ``with_rows``, as ``{"file", "why", "run"}`` sorted by name;
    how many more their records count but do not list; how many files the runs read or
    left out by their own count)."""
    found: dict[str, dict[str, Any]] = {}
    not_listed = read = 0
    for run in runs:
        if not isinstance(run, dict):
            continue
        rid = run.get("run")
        inputs = run.get("inputs")
        read += int(inputs.get("files") or 0) if isinstance(inputs, dict) else 0
        skipped = run.get("skipped_files")
        if isinstance(skipped, list):
            read += len(skipped)
            for entry in skipped:
                if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                    why = f"left out at ingest: {entry.get('problem') or 'not read'}"
                    found.setdefault(entry["file"], {"file": entry["file"], "why": why, "run": rid})
        elif isinstance(skipped, dict):  # its summary: the list was on an unexported row
            read += int(skipped.get("files") or 0)
            not_listed += int(skipped.get("files") or 0)
        without = run.get("files_without_passages")
        if isinstance(without, dict):
            listed = without.get("first") if isinstance(without.get("first"), list) else []
            for entry in listed:
                if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                    found.setdefault(
                        entry["file"],
                        {"file": entry["file"], "why": str(entry.get("why")), "run": rid},
                    )
            not_listed += max(0, int(without.get("count") or 0) - len(listed))
    for name in set(with_rows):
        found.pop(name, None)  # rows from another run (or another file masked alike)
    return [found[name] for name in sorted(found)], not_listed, read


ROWS_WITHOUT_TEXT_OF = (
    "table rows the ingest runs skipped for having no text (null, empty or blank text, or "
    "no text field), from the runs' records (rows_without_text): how many, and the first "
    "each run named, by input_file and input_row; a row that several runs read from the same "
    "file (same SHA-256) is counted once, its runs listed in runs"
)


def rows_without_text(runs: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The manifest's ``input_files.rows_without_text``: the table rows the ingest runs
    ``runs`` skipped for no text (their records' ``rows_without_text``), counted, and those
    the records name (``{"input_file", "input_row", "why", "run"}``; ``not_listed``: the
    others); None when no run skipped one. A row two runs read from the same file (same
    ``input_file``, ``input_row`` and the file's ``input_sha256``: a ``--previous`` run
    and the next one both given the same JSONL) is one row, counted and listed once, with
    ``runs`` naming every run that skipped it (passI53 I4: the report named
    ``posts.jsonl line 6`` twice); rows of records without ``input_sha256`` (older
    runs) are kept apart."""
    count = not_listed = 0
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, Any], dict[str, Any]] = {}
    for run in runs:
        found = run.get("rows_without_text") if isinstance(run, dict) else None
        if not isinstance(found, dict):
            continue
        n = int(found.get("count") or 0)
        listed = [r for r in found.get("first") or [] if isinstance(r, dict)]
        count += n
        not_listed += max(0, n - len(listed))
        for r in listed:
            key = (str(r.get("input_file")), str(r.get("input_row")), r.get("input_sha256"))
            if key[2] is not None and key in seen:
                count -= 1
                earlier = seen[key]
                earlier["runs"] = [*earlier.get("runs", [earlier["run"]]), run.get("run")]
                continue
            rows.append({**r, "run": run.get("run")})
            if key[2] is not None:
                seen[key] = rows[-1]
    if not count:
        return None
    return {"of": ROWS_WITHOUT_TEXT_OF, "count": count, "rows": rows, "not_listed": not_listed}


def input_files_report(
    rows: Sequence[dict[str, Any]],
    *,
    masked_by_export_redact: bool = False,
    inline: int | None = None,
    runs: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The manifest's ``input_files``: ``of`` (what it counts), ``files`` (input file
    name -> rows read from it, sorted by name) when there are at most ``inline`` files
    (default :data:`INPUT_FILES_INLINE`),
    else ``listing`` (``{"file", "of", "files", "rows", "sha256"}``: the listing the
    export writes beside the manifest, :func:`write_input_files_listing`, which fills in
    ``sha256``), ``rows_without`` (rows with no ``input_file``: ingested before ingest
    recorded it), ``rows_without_row`` (rows with a file but no ``input_row``: a .txt/.md
    file is one document) and ``masked_by_export_redact`` (the names are as ``export
    --redact`` masked them, so two files masked alike are counted as one). With ``runs``
    (the manifest's ``ingest_runs.runs``): ``files_without_rows`` (the input files that
    gave no row, each with why, :func:`files_without_rows`; the first ``inline`` listed,
    the rest counted in ``not_listed``), ``files_read_by_runs`` and, when a run skipped
    table rows for no text, ``rows_without_text`` (:func:`rows_without_text`). Logs the rows
    without a file, once. Memory: one count per distinct file."""
    files, missing, no_row = _count(rows)
    if missing:
        log.info(
            "%d of %d row(s) have no input_file (their passages were ingested before ingest "
            "recorded it): the column is null for them",
            missing,
            len(rows),
        )
    record: dict[str, Any] = {"of": INPUT_FILES_OF, "input_row_counted": INPUT_ROW_COUNTED}
    if len(files) <= (INPUT_FILES_INLINE if inline is None else inline):
        record["files"] = dict(sorted(files.items()))
    else:
        log.info(
            "the rows were read from %d input files: listed in %s beside the manifest, not in it",
            len(files),
            INPUT_FILES_LISTING,
        )
        record["listing"] = {
            "file": INPUT_FILES_LISTING,
            "of": LISTING_OF,
            "files": len(files),
            "rows": sum(files.values()),
            "sha256": None,  # filled in as the listing is written
        }
    record["rows_without"] = missing
    record["rows_without_row"] = no_row
    record["masked_by_export_redact"] = masked_by_export_redact
    if runs:
        without, not_listed, read = files_without_rows(runs, files)
        most = INPUT_FILES_INLINE if inline is None else inline
        record["files_without_rows"] = {
            "of": WITHOUT_ROWS_OF,
            "count": len(without) + not_listed,
            "files": without[:most],
            "not_listed": not_listed + max(0, len(without) - most),
        }
        record["files_read_by_runs"] = {"of": FILES_READ_OF, "count": read}
        if skipped_rows := rows_without_text(runs):
            record["rows_without_text"] = skipped_rows
    return record


def write_input_files_listing(path: Path, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Write the listing of the input files ``rows`` were read from to ``path`` (see
    :data:`LISTING_OF`), line by line; return ``{"files", "rows", "sha256"}`` of what was
    written (for the manifest's ``input_files.listing``). Raises OSError."""
    files, _, _ = _count(rows)
    digest = hashlib.sha256()
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for name in sorted(files):
            line = json.dumps({"file": name, "rows": files[name]}, ensure_ascii=False) + "\n"
            fh.write(line)
            digest.update(line.encode("utf-8"))
    return {"files": len(files), "rows": sum(files.values()), "sha256": digest.hexdigest()}


__all__ = [
    "INPUT_FILES_INLINE",
    "INPUT_FILES_LISTING",
    "INPUT_FILES_OF",
    "INPUT_ROW_COUNTED",
    "files_without_rows",
    "input_files_report",
    "rows_without_text",
    "write_input_files_listing",
]
