"""The export manifest's ``input_files``: which raw input files the exported rows were
read from (the rows' ``input_file``, as ingest's run record names each file), so an
auditor can trace a row back to the input by its ``input_file`` and ``input_row``.

Rows whose passages were ingested before ingest recorded them (2026-12-04) have neither:
they are counted in ``rows_without``, never given a file guessed from ``source`` or
``doc_id``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)

INPUT_FILES_OF = (
    "the input file each exported row's document was read from, as `annotate ingest` named "
    "it in its run record (relative to the input given; a saved dataset's split as "
    "NAME[SPLIT]), with the rows read from it; each row's input_row says where in the file "
    "(null for a file that is one document)"
)


def input_files_report(
    rows: Sequence[dict[str, Any]], *, masked_by_export_redact: bool = False
) -> dict[str, Any]:
    """The manifest's ``input_files``: ``of`` (what it counts), ``files`` (input file
    name -> rows read from it, sorted by name), ``rows_without`` (rows with no
    ``input_file``: ingested before ingest recorded it), ``rows_without_row`` (rows with
    a file but no ``input_row``: a .txt/.md file is one document) and
    ``masked_by_export_redact`` (the names are as ``export --redact`` masked them, so two
    files masked alike are counted as one). Logs the rows without a file, once."""
    files: Counter[str] = Counter()
    missing = no_row = 0
    for row in rows:
        name = row.get("input_file")
        if not name:
            missing += 1
            continue
        files[str(name)] += 1
        no_row += not row.get("input_row")
    if missing:
        log.info(
            "%d of %d row(s) have no input_file (their passages were ingested before ingest "
            "recorded it): the column is null for them",
            missing,
            len(rows),
        )
    return {
        "of": INPUT_FILES_OF,
        "files": dict(sorted(files.items())),
        "rows_without": missing,
        "rows_without_row": no_row,
        "masked_by_export_redact": masked_by_export_redact,
    }


__all__ = ["INPUT_FILES_OF", "input_files_report"]
