"""Pre-label: passages in, the model's view of each passage out.

Streams the input table, groups rows into whole documents (so the classifier sees a
passage's neighbours and title), predicts in chunks and writes one row per passage:
the input columns, then ``scores``, ``labels``, ``spans`` and ``model_version``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from annotate._util.chunks import document_chunks
from annotate._util.coerce import opt_int, opt_str
from annotate._util.progress import ProgressFn
from annotate.classifier.base import Classifier, PassageInput
from annotate.errors import InputError, ModelError
from annotate.table_schemas import (
    PASSAGE_SCHEMA,
    PRELABEL_COLUMNS,
    PRELABEL_REQUIRED_INPUT,
    prelabel_fields,
)
from annotate.tables import TableWriter, iter_rows, require_columns, table_columns, table_format
from annotate.taxonomy import Taxonomy, TaxonomyRef, as_taxonomy

log = logging.getLogger(__name__)

CHUNK_SIZE = 2048  # passages per classifier call; bounds memory, not speed


@dataclass
class PrelabelStats:
    passages: int = 0
    flagged: int = 0  # passages with at least one harmful label
    model_version: str = ""


def _validated(rows: Iterable[dict[str, Any]], path: Path) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        pid, text = row.get("id"), row.get("text")
        if pid is None or str(pid).strip() == "":
            raise InputError(
                f"{path}: row {n} has no 'id'.",
                fix="give every row a unique id (annotate ingest assigns them).",
            )
        pid = str(pid)
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                f"{path}: row {n} (id {pid!r}) has no text; expected a non-empty string in 'text'.",
                fix="drop empty rows or fill their text.",
            )
        if pid in seen:
            raise InputError(
                f"{path}: id {pid!r} appears twice (again at row {n}); ids must be unique.",
                fix="deduplicate the table or re-create it with `annotate ingest`.",
            )
        seen.add(pid)
        row["id"] = pid
        yield row


def check_classifier(clf: Classifier, tax: Taxonomy) -> None:
    if list(clf.labels) != tax.category_names:
        missing = [c for c in tax.category_names if c not in clf.labels]
        extra = [c for c in clf.labels if c not in tax.category_names]
        raise ModelError(
            f"model {clf.version!r} labels do not match labels.yaml {tax.version}: "
            f"missing {missing}, unknown {extra}, model order {list(clf.labels)}.",
            fix="retrain the model with `annotate train` on this taxonomy, or pass the "
            "labels.yaml it was trained with (--labels).",
        )


def _output_schema(path: Path, first_rows: list[dict[str, Any]], tax: Taxonomy) -> pa.Schema:
    """Carried input columns (typed) followed by the prelabel columns."""
    added = prelabel_fields(tax)
    added_names = {f.name for f in added}
    if table_format(path) == "parquet":
        carried = [f for f in pq.ParquetFile(path).schema_arrow if f.name not in added_names]
    else:
        known = {f.name: f for f in PASSAGE_SCHEMA}
        inferred = pa.Table.from_pylist(first_rows).schema
        carried = []
        for f in inferred:
            if f.name in added_names:
                continue
            if f.name in known:
                carried.append(known[f.name].with_nullable(True))
            elif pa.types.is_null(f.type):
                carried.append(pa.field(f.name, pa.string()))
            else:
                carried.append(f)
    return pa.schema([*carried, *added])


def prelabel(
    input_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    taxonomy: TaxonomyRef = None,
    classifier: Classifier | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: ProgressFn | None = None,
) -> PrelabelStats:
    """Pre-label every passage of ``input_path`` and write ``out`` atomically.

    ``input_path``: ingest output, or any JSONL/CSV/Parquet table with ``id`` and
    ``text`` (other columns are carried through). ``out``: .jsonl or .parquet, one row
    per passage: the input columns, ``scores`` {category: probability in [0, 1]},
    ``labels`` [category names], ``spans`` [{start, end, label, score}] (character
    offsets into ``text``) and ``model_version``. ``model``: a model directory or hub id
    (default: the shipped default model, see :func:`annotate.settings.default_model_dir`);
    ``classifier`` replaces ``model`` with a loaded one. ``taxonomy``: a loaded
    Taxonomy or the path of a taxonomy file (None: the default labels.yaml).
    ``progress(n)`` is called as passages are scored. Passages go to the model in chunks
    of about ``chunk_size`` that never cut a document.

    Raises InputError (missing/empty input, bad output name), SchemaError (missing
    columns), TaxonomyError, ModelError (model unloadable or not matching the taxonomy).
    """
    path = Path(input_path)
    out_path = Path(out)
    table_format(out_path, output=True)  # fail on a bad output name before any work
    if not path.is_file():
        raise InputError(f"{path}: no such file.", fix="check the path (ingest writes it).")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty.", fix="re-run `annotate ingest`.")
    require_columns(
        path, table_columns(path), PRELABEL_REQUIRED_INPUT, produced_by="annotate ingest"
    )
    tax = as_taxonomy(taxonomy)
    if classifier is None:
        from annotate.classifier import load_classifier

        classifier = load_classifier(model, tax)
    check_classifier(classifier, tax)
    harmful = set(tax.harmful)
    stats = PrelabelStats(model_version=classifier.version)
    with TableWriter(out_path) as writer:
        rows = _validated(iter_rows(path), path)
        for chunk in document_chunks(rows, chunk_size, lambda r: r.get("doc_id")):
            if writer.schema is None and writer.format == "parquet":
                writer.schema = _output_schema(path, chunk, tax)
            inputs = [
                PassageInput(
                    id=row["id"],
                    text=row["text"],
                    doc_id=opt_str(row.get("doc_id")),
                    title=opt_str(row.get("title")),
                    passage_index=opt_int(row.get("passage_index")),
                )
                for row in chunk
            ]
            preds = classifier.predict(inputs, progress=progress)
            if len(preds) != len(inputs):
                raise ModelError(
                    f"model {classifier.version!r} returned {len(preds)} predictions for "
                    f"{len(inputs)} passages.",
                    fix="this is a bug in the classifier backend; report it.",
                )
            out_rows = []
            for row, pred in zip(chunk, preds, strict=True):
                carried = {k: v for k, v in row.items() if k not in PRELABEL_COLUMNS[2:]}
                carried.update(
                    scores={k: round(float(pred.scores[k]), 6) for k in tax.category_names},
                    labels=list(pred.labels),
                    spans=[s.as_dict() for s in pred.spans],
                    model_version=classifier.version,
                )
                out_rows.append(carried)
                stats.flagged += bool(harmful.intersection(pred.labels))
            writer.write(out_rows)
            stats.passages += len(out_rows)
    log.info(
        "pre-labelled %d passages with %s (%d flagged harmful)",
        stats.passages,
        stats.model_version,
        stats.flagged,
    )
    return stats
