"""Schemas of the tables between stages, declared once and checked at each stage's entry."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from annotate.taxonomy import Taxonomy

PRELABEL_REQUIRED_INPUT = ("id", "text")
PRELABEL_COLUMNS = ("id", "text", "scores", "labels", "spans", "model_version")
# where a passage's document was read from (ingest writes them; None in passages ingested
# before 2026-12-04): prelabel carries them, push puts them in the task's data, export in
# every row and the manifest's ``input_files``
INPUT_COLUMNS = ("input_file", "input_row")
# prelabel's finding that the model cannot read a passage: mostly in a script, or
# identified as a language, none of its training languages is ("Arabic script (the model
# was trained on en text)"), None when not found (annotate.prelabeling.count_foreign);
# push tells the passage's reviewers, pre-selects no category or severity for it and
# queues it as the least certain, and keeps it in the task's data (annotate.studio.tasks)
LANGUAGE_WARNING_COLUMN = "model_language_warning"
# the prelabel run's record (compact JSON, the same on every row of a run): when it ran,
# on which input (SHA-256), with which model and settings (annotate.prelabeling.run_record)
PRELABEL_RUN_COLUMN = "prelabel_run"
# its key naming the model's harmful labels when none has a fitted threshold (all the
# fallback); absent otherwise (annotate push warns on it)
FALLBACK_THRESHOLDS_KEY = "fallback_thresholds"
# ingest --previous adds, on a passage of an edited document, the full text of each
# neighbour in the document (passage_index -1, +1) that the run does not write (dropped
# as a copy of an earlier run's passage), else None: push shows it as the task's context
NEIGHBOUR_COLUMNS = ("context_before", "context_after")


@cache
def _arrow_schemas() -> dict[str, Any]:
    """The pyarrow types, built on first use: importing pyarrow (and numpy) costs a
    command that reads JSONL, such as a push, about 0.3 s it does not need."""
    import pyarrow as pa

    passage = pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("passage_index", pa.int32(), nullable=False),
            pa.field("start", pa.int64(), nullable=False),
            pa.field("end", pa.int64(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("title", pa.string()),
            pa.field("source", pa.string()),
            pa.field("date", pa.string()),
            # JSON object: other document columns, kept as is; a subtitle cue's passage's
            # also holds its cue's "cue_start" and "cue_end" in seconds (since stop 55;
            # annotate.ingestion.subtitles.CUE_START)
            pa.field("meta", pa.string()),
            # id of the first passage of its near-duplicate group (across documents), or None
            pa.field("near_dup_group", pa.string()),
            # JSON {"count": N, "copies": [...]}: the exact copies of the passage's text
            # ingest dropped (other documents, or other places of its own), the first 100
            # in input order, each {"passage_id", "doc_id", "input_file", "input_row",
            # "start", "end"} (annotate.ingestion._copy_record); None when none was (or
            # --keep-duplicates kept them) and in passages ingested before 2026-12-05
            pa.field("exact_copies", pa.string()),
            # SHA-256 of the document's text the offsets index into (annotate.ingestion.
            # document_sha256); None in passages ingested before 2026-12
            pa.field("document_sha256", pa.string()),
            # the licence or terms the document was obtained under (ingest --license or a
            # table's license column; annotate.ingestion.licenses); None: not recorded, as
            # in passages ingested before 2026-12
            pa.field("license", pa.string()),
            # the input file the passage's document was read from, named as the run
            # record's inputs name it (relative to the input given: "a.csv",
            # "news/a.txt"; a saved dataset's split as "NAME[SPLIT]"), and the row of it,
            # as the readers' messages name it ("line 3" in JSONL, "row 2 (line 4)" in
            # CSV, "row 2" in Parquet or a dataset; None for a file that is one document,
            # .txt/.md); both None in passages ingested before 2026-12-04
            pa.field("input_file", pa.string()),
            pa.field("input_row", pa.string()),
            # JSON: the settings, input files' SHA-256 and annotate version the ingest ran
            # with (annotate.ingestion.record); None in passages ingested before 2026-12
            pa.field("ingest_run", pa.string()),
            # whether the passage's document is a conversation: its lines open with the
            # plain name labels (``Dave: ``) of 2 or more speakers, read on the whole
            # document (annotate.ingestion.turn_labels.is_conversation); prelabel then
            # reads such a label in front of a turn as no words of the message, also
            # when it is given some passages only (ingest --previous). None in passages
            # ingested before 2026-12-06 (prelabel judges from the passages it is given)
            pa.field("conversation", pa.bool_()),
        ]
    )
    span = pa.struct(
        [
            pa.field("start", pa.int64()),
            pa.field("end", pa.int64()),
            pa.field("label", pa.string()),
            pa.field("score", pa.float32()),
        ]
    )
    # ingest --redact adds what was masked in each passage (JSON: the settings, library
    # versions and placeholders by kind; annotate.audit.redact.passage_redaction)
    redacted = passage.append(pa.field("redaction", pa.string()))
    return {
        "PASSAGE_SCHEMA": passage,
        "PASSAGE_COLUMNS": passage.names,
        "REDACTED_PASSAGE_SCHEMA": redacted,
        "SPAN_TYPE": span,
    }


def __getattr__(name: str) -> Any:
    """``PASSAGE_SCHEMA`` (pyarrow schema of ingest's passages), ``PASSAGE_COLUMNS`` (its
    column names), ``REDACTED_PASSAGE_SCHEMA`` (with ``redaction``, ingest --redact),
    ``SPAN_TYPE`` (pyarrow struct of one evidence span)."""
    if name in ("PASSAGE_SCHEMA", "PASSAGE_COLUMNS", "REDACTED_PASSAGE_SCHEMA", "SPAN_TYPE"):
        return _arrow_schemas()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def with_neighbour_columns(schema: pa.Schema) -> pa.Schema:
    """``schema`` with the :data:`NEIGHBOUR_COLUMNS` (strings, None when not needed)."""
    import pyarrow as pa

    for name in NEIGHBOUR_COLUMNS:
        schema = schema.append(pa.field(name, pa.string()))
    return schema


def prelabel_fields(tax: Taxonomy) -> list[pa.Field]:
    """The columns prelabel adds (in order), typed from the taxonomy."""
    import pyarrow as pa

    return [
        pa.field("scores", pa.struct([pa.field(n, pa.float32()) for n in tax.category_names])),
        pa.field("labels", pa.list_(pa.string())),
        pa.field("spans", pa.list_(_arrow_schemas()["SPAN_TYPE"])),
        pa.field("model_version", pa.string()),
        pa.field(LANGUAGE_WARNING_COLUMN, pa.string()),
    ]
