"""Tables in the project's own format: ``text`` and ``labels`` as taxonomy names, optional spans."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from annotate._util.shown import shown
from annotate.classifier.cue_sentences import recorded_cue_times, recorded_subtitles
from annotate.classifier.turn_text import recorded_conversation
from annotate.corpus.export_threads import row_parent
from annotate.corpus.schema import SPLITS
from annotate.errors import TrainingError
from annotate.taxonomy import Taxonomy, category_meant
from annotate.training.sources.examples import Example, gold_spans, whole_number
from annotate.training.sources.exports import EXPORT_ROW_COLUMNS, read_export_rows_file
from annotate.training.sources.single_label import (
    LABEL_COLUMN,
    check_class_names,
    class_names,
    label_cell,
    one_category,
    single_label,
)
from annotate.training.sources.tables import (
    labels_cell,
    native_delimiter,
    no_labels_column,
    no_text_column,
    parquet_features,
)

log = logging.getLogger(__name__)


def read_native(
    path: Path,
    tax: Taxonomy,
    seed: int,
    *,
    validation: float = 0.15,
    test: float = 0.15,
    near_dups: bool = True,
    name: str | None = None,
    found: dict[str, Any] | None = None,
) -> list[Example]:
    """The project's own labeled format. Rows without a ``split`` column are split by
    document by a seeded hash of the document key (:func:`annotate.corpus.splits.assign_splits`,
    as `annotate export` does), so every passage of a document lands in one split and keeps
    it when rows are added or relabelled (the key is the table's name and ``doc_id``, or
    the row number without one). Documents that share near-duplicate passages are split
    together, as one group: those a ``near_dup_group`` column links; in a table without
    that column, with ``near_dups``, those a MinHash LSH search over the rows to split
    links (:func:`split_near_dup_groups`), so a repost with a word added never lands in
    test while its original trains.

    ``name``: the table's name in its document keys, ids and source (None: the file's
    stem); `evaluate` passes the name a model was trained with for the same bytes under
    another file name, so that they split as they did in training. ``found``, when given,
    gets ``near_dup_documents``: how many documents the search put in a near-copy
    document's split group (0: the search changed no split); for a split file of an
    export, what :func:`read_export_rows_file` records (``taxonomy_migration``,
    ``labels_dropped``)."""
    from annotate.ingestion.readers import delimiter_name
    from annotate.tables import iter_rows_located, table_columns, table_format

    delimiter = native_delimiter(path)
    if delimiter is not None:  # a spreadsheet's ';' "CSV": read as such, and said
        log.warning(
            "%s: its header is separated by %s, not by commas: read it so%s.",
            shown(path),
            delimiter_name(delimiter),
            # the reason only ';' has: a '|' or tab is no spreadsheet's regional setting
            " (a spreadsheet's CSV where the comma is the decimal mark)"
            if delimiter == ";"
            else "",
        )
    columns = table_columns(path, delimiter=delimiter)
    if path.suffix.lower() != ".tsv" and {"scores", "model_version"} <= set(columns):
        # `annotate prelabel` output: its labels are the model's, not a reviewer's
        raise TrainingError(
            f"{path} is `annotate prelabel` output (it has 'scores' and 'model_version'): its "
            "'labels' are the model's own predictions, not reviewed labels.",
            fix="push it for review and pass the export (`annotate export --out DIR`, then "
            "--data DIR); a table of human labels must not carry the model's 'scores' and "
            "'model_version' columns.",
        )
    single = single_label(columns)  # a `label` column: each row's one category
    column = LABEL_COLUMN if single else "labels"  # the column the labels are read from
    if "labels" not in columns and not single:
        no_labels_column(path, columns, tax.category_names)
    if "text" not in columns and not set(columns) >= EXPORT_ROW_COLUMNS:
        no_text_column(path, columns)
    if set(columns) >= EXPORT_ROW_COLUMNS:
        return read_export_rows_file(path, tax, seed, validation=validation, test=test, found=found)
    names = set(tax.category_names)
    # a ClassLabel's names (ids decoded by them) and the categories its rows supervise
    parquet = single and table_format(path) == "parquet"
    ids_named = class_names(parquet_features(path)) if parquet else None
    supervised = check_class_names(path, ids_named, tax) if ids_named else names
    span_names = set(tax.span_names)
    stem = name or path.stem
    out = []
    counters: dict[str, int] = {}
    contradicted: list[str] = []  # rows labelled none together with another category
    # where: the row as an editor counts it (JSONL line M, CSV/TSV row N (line M), Parquet
    # row N), for messages; n (the row's position) stays in ids and document keys
    rows = iter_rows_located(path, delimiter=delimiter)  # a .tsv file: with tabs
    parents: list[str | None] = []  # each row's parent document (reply threads), or None
    named: dict[str, str] = {}  # a row's doc_id and id -> its document key
    for n, (where, row) in enumerate(rows, start=1):
        text = row.get("text")
        cell = (
            label_cell(row.get(LABEL_COLUMN), ids_named, path, where)
            if single
            else row.get("labels")
        )
        labels = labels_cell(cell, path, where, column)
        if single:
            labels = one_category(labels, path, where)
        if labels is not None and not isinstance(labels, (list, tuple)):
            raise TrainingError(
                f"{path}: {where} has {column!r} {labels!r} ({type(labels).__name__}); "
                + (
                    "expected a list of category names (or one string of them, comma-separated)."
                    if not single
                    else "expected a category name of labels.yaml."
                ),
                fix="write the labels as names of labels.yaml's categories, or pass --mapping "
                "FILE for a table in another format.",
            )
        if text is not None and not isinstance(text, str):
            raise TrainingError(
                # the row and the type only: training text may be graphic or personal, and
                # an object or list in the cell may hold it (stop 51)
                f"{path}: {where} has {_a(type(text).__name__)} in 'text'; expected a string "
                "(its value is not shown).",
                fix="store the text column as strings.",
            )
        if not isinstance(text, str) or not text.strip():
            raise TrainingError(
                f"{path}: {where} needs a non-empty 'text' and {column!r} (category names).",
                fix="fill them, or pass --mapping for a table in another format.",
            )
        if not labels:
            raise _no_labels_error(path, where, cell, tax, column)
        labels = [str(x).strip() for x in labels]
        bad = [x for x in labels if x not in names]
        if bad:
            meant = [(x, m) for x in bad if (m := category_meant(x, tax, typos=True))]
            hint = "; ".join(f"{m} for {x!r}" for x, m in meant)
            raise TrainingError(
                f"{path}: {where} has unknown label(s) {bad}; expected category names of "
                f"labels.yaml ({', '.join(tax.category_names)}).",
                fix=(f"did you mean {hint}? Otherwise " if hint else "")
                + "fix the labels, or pass --mapping FILE mapping this table's columns.",
            )
        if tax.none_label in labels and len(set(labels)) > 1:
            contradicted.append(where)
        doc = str(row.get("doc_id") or f"row{n}")
        idx = row.get("passage_index")
        if idx is None or idx == "":
            idx = counters.get(doc, 0)
        elif whole_number(idx) is None:
            raise TrainingError(
                f"{path}: {where} has 'passage_index' {idx!r}; expected a whole number >= 0.",
                fix="number each document's passages 0, 1, 2, ... or leave the column out.",
            )
        idx = whole_number(idx)
        counters[doc] = idx + 1
        split = row.get("split")
        if isinstance(split, str):
            split = split.strip().lower()
        elif isinstance(split, float) and split != split:  # NaN: a missing value
            split = None
        if split not in (None, "", *SPLITS):
            raise TrainingError(
                f"{path}: {where} has 'split' {split!r}; expected train, validation or test "
                "(or no value: the row's document is then split by a seeded hash).",
                fix="rename the split (e.g. dev -> validation), or drop the column to let "
                "annotate split by document.",
            )
        out.append(
            Example(
                text=text,
                labels=set(labels),
                known=set(supervised),
                split=split,
                source=stem,
                doc_key=f"{stem}:{doc}",
                index=int(idx),
                title=row.get("title") or None,
                spans=gold_spans(text, row.get("spans"), span_names, f"{path} {where}"),
                id=str(row.get("id") or f"{stem}:{n}"),
                meta={k: row.get(k) for k in ("genre", "severity") if k in row},
                near_dup_group=_group_value(row.get("near_dup_group"), stem),
                conversation=recorded_conversation(row),
                subtitles=recorded_subtitles(row),
                cue_start=(times := recorded_cue_times(row))[0],
                cue_end=times[1],
            )
        )
        out[-1].split = split if split in SPLITS else ""
        parents.append(row_parent(row))
        for name_of in (row.get("doc_id"), row.get("id")):
            if name_of not in (None, ""):
                named.setdefault(str(name_of), out[-1].doc_key)
    if contradicted:
        _warn_none_with_other(path, contradicted, tax)
    todo = [ex for ex in out if not ex.split]
    if todo:
        from annotate.corpus.splits import assign_splits, leakage_groups, thread_roots

        # documents a near_dup_group column links share a split (as in an export); a
        # document without one keeps its own key, hence the split it had before
        docs = [ex.doc_key for ex in todo]
        # and so do the comments of one reply thread (a parent column), as in an export
        up = [
            None if p is None else named.get(p, f"{stem}:{p}")
            for ex, p in zip(out, parents, strict=True)
            if not ex.split
        ]
        keys = leakage_groups(docs, [ex.near_dup_group for ex in todo], thread_roots(docs, up))
        if near_dups and "near_dup_group" not in columns:
            keys, merged = split_near_dup_groups(todo, keys)
            if merged:
                log.info(
                    "%s: %d documents share near-duplicate passages with another document "
                    "(MinHash search): each is split with its near-copies",
                    shown(path),
                    merged,
                )
            if found is not None:
                found["near_dup_documents"] = merged
        splits = assign_splits(keys, ratios=(1 - validation - test, validation, test), seed=seed)
        for ex, s in zip(todo, splits, strict=True):
            ex.split = s
    return out


def split_near_dup_groups(examples: list[Example], keys: list[str]) -> tuple[list[str], int]:
    """Each example's split group (``keys``: its document's, one per example) merged with
    those of the documents it shares a near-duplicate passage with, found by the MinHash
    LSH search the validation hold-out runs (ingest's index, word 3-gram Jaccard at least
    ``DEFAULT_NEAR_DUP_THRESHOLD``: :func:`annotate.training.validation_split.searched_groups`);
    and how many documents now share another document's group. A group takes the key of
    its first row in ``examples``' order (the table's), so a document with no near-copy
    keeps its own key and split, and a near-copy added below its original joins the
    original's split without moving it."""
    from annotate.corpus.splits import leakage_groups
    from annotate.training.validation_split import searched_groups

    log.info("near-duplicate search over %d passages (split by document)", len(examples))
    components = leakage_groups(keys, searched_groups(examples))
    first: dict[str, str] = {}
    for key, comp in zip(keys, components, strict=True):
        first.setdefault(comp, key)
    merged = [first[comp] for comp in components]
    moved = {ex.doc_key for ex, a, b in zip(examples, keys, merged, strict=True) if a != b}
    return merged, len(moved)


def _warn_none_with_other(path: Path, rows: list[str], tax: Taxonomy) -> None:
    """Warn that ``rows`` (where each is) of ``path`` label the none category ("nothing
    above applies") together with another one: a contradiction the export reads as an
    incomplete answer, which training would learn as both."""
    first = ", ".join(rows[:3]) + (f" and {len(rows) - 3} more" if len(rows) > 3 else "")
    log.warning(
        "%s: %d row(s) are labelled %r (%s) together with another category (%s): a "
        "contradiction; they are trained as labelled, so the %r head learns them as "
        "positives beside the other category. Fix: keep either %r or the other categories "
        "in each such row",
        shown(path),
        len(rows),
        tax.none_label,
        tax.category(tax.none_label).title,
        first,
        tax.none_label,
        tax.none_label,
    )


def _no_labels_error(
    path: Path, where: str, cell: Any, tax: Taxonomy, column: str = "labels"
) -> TrainingError:
    """The error of a row whose labels cell (``cell``, as read from ``column``: ``labels``,
    or a single-label table's ``label``) names no category: empty, or an empty list
    (``[]``, as pandas writes a list of none), which a user may have meant as "no harm":
    the taxonomy's none label is that."""
    none = tax.none_label
    found = (
        f"its {column!r} is {(cell.strip()[:60] if isinstance(cell, str) else cell)!r}"
        if (isinstance(cell, str) and cell.strip()) or isinstance(cell, (list, tuple))
        else f"its {column!r} is empty"
    )
    if column == "labels":
        fix = (
            f"write {none} in the 'labels' of a passage with no harm ({none}, or "
            f'["{none}"] as a list), its categories otherwise; or leave the row out.'
        )
    else:
        fix = (
            f"write {none} in the {column!r} of a passage with no harm, its one category "
            "otherwise; or leave the row out."
        )
    return TrainingError(
        f"{path}: {where} has no label ({found}); expected "
        + ("at least one category name" if column == "labels" else "a category name")
        + f" of labels.yaml ({none!r} for a passage with no harm).",
        fix=fix,
    )


def _group_value(value: Any, source: str) -> str | None:
    """A table's ``near_dup_group`` cell as a group key (``SOURCE:VALUE``), None when
    empty or missing (NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return f"{source}:{text}" if text else None


def _a(kind: str) -> str:
    """A type's name with its article, for an error: ``an int``, ``a dict``."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"
