"""The settings an ingest run records with its passages, so that a later run given them
with ``--previous`` can tell whether the two runs' passages compare.

They are written, once the passages file is in place, to a sidecar ``NAME.ingest.json``
beside it (``passages.jsonl.ingest.json``), with the file's size in bytes: a sidecar
whose size no longer matches its file was left by an earlier run of the same ``--out``
(or the file was rewritten since) and is ignored. Files written before ingest recorded
them (and tables other commands wrote: pre-labels, exported corpora) have none; their
masking is still known from their ``redaction`` column.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_write_text
from annotate.tables import iter_rows

log = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".ingest.json"
RECORD_VERSION = 1
# what makes the same document give other passages (other texts, other ids)
SPLITTER = ("max_chars", "min_chars")
# the parts of the redaction settings that change what a masked text reads
REDACTION = ("kinds", "placeholders", "phone_regions")


def settings_record(
    *,
    max_chars: int,
    min_chars: int,
    text_column: str,
    id_column: str | None,
    redaction: dict[str, Any] | None,
    tables: bool = False,
) -> dict[str, Any]:
    """What an ingest run records (``redaction``: ``RedactionSettings.record()``, or None
    without ``--redact``; ``tables``: whether it read table inputs, whose text and id
    columns are recorded, None otherwise)."""
    from annotate import __version__

    return {
        "record_version": RECORD_VERSION,
        "annotate": __version__,
        "max_chars": max_chars,
        "min_chars": min_chars,
        "tables": tables,
        "text_column": text_column if tables else None,
        "id_column": id_column if tables else None,
        "redaction": None if redaction is None else {k: redaction.get(k) for k in REDACTION},
    }


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_sidecar(path: Path, record: dict[str, Any]) -> None:
    """The record of the passages file ``path`` (just written) beside it, with its size."""
    body = {**record, "bytes": path.stat().st_size}
    atomic_write_text(sidecar(path), json.dumps(body, indent=1, sort_keys=True) + "\n")


def read_record(path: Path) -> dict[str, Any] | None:
    """The settings recorded with the passages file ``path``, or None (none recorded, or
    a sidecar that no longer matches its file)."""
    side = sidecar(path)
    if not side.is_file():
        return None
    record = _parsed(side.read_text(encoding="utf-8", errors="replace"), side)
    if record is not None and record.get("bytes") != path.stat().st_size:
        log.info(
            "%s does not match %s (written for a file of %s bytes, it has %d): ignored",
            side,
            path,
            record.get("bytes"),
            path.stat().st_size,
        )
        return None
    return record


def _parsed(text: str | None, where: Path) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        log.info("%s: unreadable ingest settings record, ignored", where)
        return None
    return record if isinstance(record, dict) else None


def row_redaction(path: Path) -> dict[str, Any] | None:
    """The redaction settings of the first passage of ``path`` that records them (its
    ``redaction`` column, which every ``ingest --redact`` wrote): ``REDACTION`` keys."""
    for row in iter_rows(path):
        value = row.get("redaction")
        if value in (None, ""):
            continue
        try:
            parsed = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            return None
        if isinstance(parsed, dict):
            return {k: parsed.get(k) for k in REDACTION}
        return None
    return None
