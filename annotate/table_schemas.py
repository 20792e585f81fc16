"""Schemas of the tables between stages, declared once and checked at each stage's entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    from annotate.taxonomy import Taxonomy

PASSAGE_SCHEMA = pa.schema(
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
        pa.field("meta", pa.string()),  # JSON object: other document columns, kept as is
        # id of the first passage of its near-duplicate group (across documents), or None
        pa.field("near_dup_group", pa.string()),
    ]
)
PASSAGE_COLUMNS = PASSAGE_SCHEMA.names

PRELABEL_REQUIRED_INPUT = ("id", "text")
PRELABEL_COLUMNS = ("id", "text", "scores", "labels", "spans", "model_version")

SPAN_TYPE = pa.struct(
    [
        pa.field("start", pa.int64()),
        pa.field("end", pa.int64()),
        pa.field("label", pa.string()),
        pa.field("score", pa.float32()),
    ]
)


def prelabel_fields(tax: Taxonomy) -> list[pa.Field]:
    """The columns prelabel adds (in order), typed from the taxonomy."""
    return [
        pa.field("scores", pa.struct([pa.field(n, pa.float32()) for n in tax.category_names])),
        pa.field("labels", pa.list_(pa.string())),
        pa.field("spans", pa.list_(SPAN_TYPE)),
        pa.field("model_version", pa.string()),
    ]
