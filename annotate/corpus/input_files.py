"""The export manifest's ``input_files``: which raw input files the exported rows were
read from (the rows' ``input_file``, as ingest's run record names each file), so an
auditor can trace a row back to the input by its ``input_file`` and ``input_row``.

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


def input_files_report(
    rows: Sequence[dict[str, Any]],
    *,
    masked_by_export_redact: bool = False,
    inline: int | None = None,
) -> dict[str, Any]:
    """The manifest's ``input_files``: ``of`` (what it counts), ``files`` (input file
    name -> rows read from it, sorted by name) when there are at most ``inline`` files
    (default :data:`INPUT_FILES_INLINE`),
    else ``listing`` (``{"file", "of", "files", "rows", "sha256"}``: the listing the
    export writes beside the manifest, :func:`write_input_files_listing`, which fills in
    ``sha256``), ``rows_without`` (rows with no ``input_file``: ingested before ingest
    recorded it), ``rows_without_row`` (rows with a file but no ``input_row``: a .txt/.md
    file is one document) and ``masked_by_export_redact`` (the names are as ``export
    --redact`` masked them, so two files masked alike are counted as one). Logs the rows
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
    "input_files_report",
    "write_input_files_listing",
]
