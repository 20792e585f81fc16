"""Passages of earlier ingest runs, read before a new run (``annotate ingest --previous``).

A corpus reviewed in batches gets re-posts: Tuesday's statement copied into Friday's
forum dump. Read into the new run's seen-store and near-duplicate index first (they come
first in input order, so they are the "first" of equal texts and of near-duplicate
groups), the earlier passages make the new run drop exact copies of them and give a
near-copy the earlier passage's id as ``near_dup_group`` (``--drop-near-duplicates``
drops it): reviewers are not sent what they already reviewed. Nothing of the earlier
runs is written again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from annotate.errors import InputError
from annotate.ingestion.near_dups import NearDupIndex
from annotate.ingestion.seen import SeenStore, text_digest
from annotate.tables import batched, iter_rows, require_columns, table_columns, table_format

log = logging.getLogger(__name__)

COLUMNS = ("id", "doc_id", "text")
CHUNK = 5000


def check_previous(paths: Sequence[Path], out: Path, *, redact: bool = False) -> None:
    """Fail before any work unless each path is a passages table (JSONL/Parquet with
    ``id``, ``doc_id``, ``text``, as ``annotate ingest`` writes) other than ``out``, written
    with ``--redact`` exactly when this run masks personal data (``redact``; otherwise
    no copy of a passage holding an e-mail or a phone number would match).
    Raises InputError, SchemaError."""
    for path in paths:
        if path.resolve() == out.resolve():
            raise InputError(
                f"--previous {path} is this run's --out: the new passages would be compared "
                "with the file they replace, and every one of them dropped.",
                fix="write this run to a new file (e.g. passages-batch2.jsonl) and keep "
                "--previous for the earlier runs' files.",
            )
        if path.is_dir():
            raise InputError(
                f"--previous {path} is a folder; expected the passages file of an earlier "
                "ingest (.jsonl or .parquet).",
                fix="pass the --out file of the earlier `annotate ingest` run (of an exported "
                "corpus: its jsonl/*.jsonl files, one --previous each).",
            )
        if not path.is_file():
            raise InputError(
                f"--previous {path}: no such file; expected the passages file of an earlier "
                "ingest (.jsonl or .parquet).",
                fix="pass the --out file of the earlier `annotate ingest` run.",
            )
        table_format(path)
        try:
            columns = table_columns(path)
        except StopIteration:  # an empty JSONL: an earlier run that kept no passage
            continue
        require_columns(
            path,
            columns,
            COLUMNS,
            produced_by="annotate ingest",
            fix="pass the --out file of an earlier `annotate ingest` run, not its input.",
        )
        if "ingest_redaction" in columns:  # an exported corpus: says so per row, not here
            continue
        if ("redaction" in columns) != redact:
            was, now = ("with", "without") if redact is False else ("without", "with")
            raise InputError(
                f"--previous {path} was ingested {was} --redact and this run is {now} it: "
                "passages holding personal data would not match their earlier copies, "
                "which reviewers would be sent again.",
                fix=(
                    "add --redact (with the earlier run's settings)"
                    if not redact
                    else "leave out --redact, or re-ingest the earlier documents with it"
                )
                + " so both runs mask the same way.",
            )


def remember_previous(
    paths: Sequence[Path], seen: SeenStore | None, index: NearDupIndex | None
) -> int:
    """Read the passages of ``paths`` into ``seen`` (their texts count as seen: exact
    copies in the new run are duplicates) and ``index`` (near-duplicate search), before
    the new run's passages. Returns how many passages were read."""
    count = 0
    for path in paths:
        for batch in batched(iter_rows(path), CHUNK):
            texts = [str(r["text"] or "") for r in batch]
            docs = [str(r["doc_id"]) for r in batch]
            if seen is not None:
                seen.remember_previous([text_digest(t) for t in texts])
                seen.remember_previous_docs(docs)
            if index is not None:
                index.add([str(r["id"]) for r in batch], docs, texts)
            count += len(batch)
    if index is not None:
        index.new_run()  # a new run's first document is never one of the earlier runs'
    log.info("read %d passage(s) of %d earlier ingest run(s)", count, len(paths))
    return count
