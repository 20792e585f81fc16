"""Reading tables (CSV/TSV/JSONL/JSON/Parquet, saved HF datasets) and their list-valued cells."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, NoReturn

from annotate.errors import TrainingError

# ---- readers ----------------------------------------------------------------------------
READ_FORMATS = ("csv", "tsv", "jsonl", "json", "parquet")


# the kind a training source record gives a `save_to_disk` DatasetDict read with its splits
SAVED_DATASET = "saved dataset"


def read_frame(
    path: Path, sep: str | None = None, fmt: str | None = None, skipinitialspace: bool = False
):
    import pandas as pd

    if path.is_dir():
        return _read_saved_dataset(path)
    if path.is_file() and path.stat().st_size == 0:
        raise TrainingError(f"{path}: the file is empty.", fix="pass a file with rows.")
    suffix = path.suffix.lower()
    if fmt is None:
        fmt = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
        fmt = fmt.get(suffix) or ("tsv" if suffix in (".tsv", ".tab") else "csv")
    try:
        if fmt == "parquet":
            return pd.read_parquet(path)
        if fmt == "jsonl":
            return pd.read_json(path, lines=True, dtype=False)
        if fmt == "json":
            return pd.read_json(path, dtype=False)
        return pd.read_csv(
            path,
            sep=sep or ("\t" if fmt == "tsv" else ","),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=skipinitialspace,
        )
    except (OSError, ValueError) as exc:
        if fmt == "json" and "Trailing data" in str(exc):
            # JSON Lines under a .json name (CrowdCounter's Train.json, many dumps)
            raise TrainingError(
                f"{path}: cannot read the table as one JSON document ({exc}): it looks like "
                "JSON Lines, one object per line.",
                fix="add `format: jsonl` to the mapping file.",
            ) from None
        raise TrainingError(
            f"{path}: cannot read the table as {fmt} ({exc}).",
            fix="set the mapping's `format:` (csv, tsv, jsonl, json, parquet) and `sep:` to "
            "match the file.",
        ) from None


def saved_dataset_files(path: Path) -> list[Path]:
    """The Arrow files of a ``datasets`` ``save_to_disk`` folder (a Dataset or a
    DatasetDict), sorted; empty for any other folder."""
    if (path / "dataset_dict.json").is_file():
        return sorted(path.glob("*/*.arrow"))
    if (path / "state.json").is_file():
        return sorted(path.glob("*.arrow"))
    return []


def _read_saved_dataset(path: Path):
    """A ``datasets`` ``save_to_disk`` folder as one frame: a DatasetDict's splits
    concatenated (the mapping's ``split`` assigns rows, as for any table; the saved split
    is the ``_split`` column, which rules may match). Raises TrainingError for any other
    folder."""
    import pandas as pd

    if not saved_dataset_files(path):
        raise TrainingError(
            f"{path} is a folder, not a table nor a `datasets` save_to_disk folder.",
            fix="pass a CSV, TSV, JSONL, JSON or Parquet file (a glob such as "
            "'folder/*.csv' reads several), or a folder written by `save_to_disk`.",
        )
    from datasets import DatasetDict, load_from_disk

    try:
        saved = load_from_disk(str(path))
    except (OSError, ValueError) as exc:
        raise TrainingError(f"{path}: cannot read the saved dataset ({exc}).") from None
    if isinstance(saved, DatasetDict):
        frames = [ds.to_pandas().assign(_split=name) for name, ds in saved.items()]
        return pd.concat(frames, ignore_index=True)
    return saved.to_pandas()


def parquet_features(path: Path) -> Any:
    """The `datasets` Features a Parquet file records in its schema (``Dataset.to_parquet``
    writes them; an export's split file: ClassLabel names), or None."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(b"huggingface")
    if not raw:
        return None
    try:
        from datasets import Features

        return Features.from_dict(json.loads(raw)["info"]["features"])
    except (ValueError, KeyError, TypeError):
        return None


def is_pattern(path: Path) -> bool:
    """Whether ``path`` is a glob pattern (``*``, ``?`` or ``[``), not one file's name."""
    return any(c in str(path) for c in "*?[")


def glob_paths(path: Path) -> list[Path]:
    if not is_pattern(path):
        return [path]
    anchor = Path(path.anchor) if path.is_absolute() else Path()
    pattern = str(path.relative_to(anchor)) if path.is_absolute() else str(path)
    return sorted(p for p in anchor.glob(pattern) if p.is_file())


def native_delimiter(path: Path) -> str | None:
    """The field separator to read the CSV (or .tsv) table ``path`` with when its header,
    read with the default one (:func:`annotate.tables.csv_delimiter`), is one cell that
    another separator splits into columns that include 'labels' (a spreadsheet's "CSV"
    where the comma is the decimal mark: ``text;labels;doc_id``); None otherwise (not
    CSV, one column, read as is)."""
    from annotate.ingestion.readers import DELIMITERS
    from annotate.tables import csv_delimiter, table_columns, table_format

    if table_format(path) != "csv":
        return None
    columns = table_columns(path)
    if len(columns) != 1:
        return None
    read_with = csv_delimiter(path)
    for sep in DELIMITERS:
        if sep != read_with and sep in columns[0]:
            header = next(csv.reader([columns[0]], delimiter=sep), [])
            if "labels" in (c.strip() for c in header):
                return sep
    return None


def labels_cell(value: Any, path: Path, where: str, column: str = "labels") -> Any:
    """A ``labels`` cell as a list of names: a string comma- (or ';'-) separated, or a
    JSON list (``["incitement", "violent_threat"]``, as pandas and most tools write a list
    to CSV; a Python list's repr too); a list of lists (a nested-list Parquet column)
    flattened; anything else returned as is for the caller to refuse. ``column``: the
    column the cell was read from, as errors name it (``label`` for a single-label
    table)."""
    if isinstance(value, str):
        cell = value.strip()
        if cell.startswith("[") or cell.endswith("]"):
            return _list_cell(cell, path, where, column)
        return [x for x in cell.replace(";", ",").split(",") if x.strip()]
    if isinstance(value, (list, tuple)):
        flat: list[Any] = []
        for item in value:
            if isinstance(item, (list, tuple)):
                flat.extend(item)
            elif isinstance(item, str) and item.strip().startswith("["):
                flat.extend(_list_cell(item.strip(), path, where, column))
            else:
                flat.append(item)
        return flat
    return value


def _list_cell(cell: str, path: Path, where: str, column: str = "labels") -> list[Any]:
    """A labels cell (of ``column``) that looks like a list (``[...]``, or opening with
    ``[`` or closing with ``]``) as its items (JSON, else a Python literal); a
    TrainingError naming what it looks like when it is neither (a bracket missing: said
    so)."""
    import ast

    single = column != "labels"  # a single-label table's `label`: one name, no list
    fix = (
        'write it as a JSON list of names (["incitement", "violent_threat"]) or '
        "comma-separated (incitement,violent_threat)."
        if not single
        else "write the row's one category name, without brackets (violent_threat)."
    )
    if not (cell.startswith("[") and cell.endswith("]")):
        opens = cell.startswith("[")
        missing = "closing ']'" if opens else "opening '['"
        mended = f"{cell}]" if opens else f"[{cell}"
        raise TrainingError(
            f"{path}: {where} has {column!r} {cell[:60]!r}, a list with no {missing} (a "
            "broken list, not a category name).",
            fix=(
                f"add the missing bracket ({mended}), or "
                if len(mended) <= 80 and not single
                else ""
            )
            + fix,
        )
    try:
        items = json.loads(cell)
    except ValueError:
        try:
            items = ast.literal_eval(cell)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            items = None
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise TrainingError(
            f"{path}: {where} has {column!r} {cell[:60]!r}, which looks like a list but is "
            "not a JSON list of category names.",
            fix=fix,
        )
    return items


# column names people give a table's text and labels (the fix then says which to rename)
_MEANT_AS = {
    "labels": ("label", "category", "categories", "class", "classes", "tags", "tag"),
    "text": ("content", "body", "message", "post", "sentence", "comment", "tweet", "passage"),
}


def column_meant(columns: list[str], wanted: str) -> str | None:
    """The column of ``columns`` most likely meant as ``wanted`` ("labels" or "text"): a
    usual other name (``label``, ``category``; ``content``, ``body``, ...) in any case, or
    a close spelling (difflib); None when none is."""
    import difflib

    usual = {name.lower() for name in _MEANT_AS.get(wanted, ())} | {wanted}
    for column in columns:
        if column.strip().lower() in usual and column != wanted:
            return column
    close = difflib.get_close_matches(wanted, [c for c in columns if c != wanted], n=1, cutoff=0.75)
    return close[0] if close else None


def no_text_column(path: Path, columns: list[str]) -> NoReturn:
    """TrainingError for a labeled table without a ``text`` column: said of the table,
    with the columns found, not of its first row ("row 1 needs a non-empty 'text'" read as
    if the row were empty: stop 49 audit A16)."""
    shown = ", ".join(repr(c) for c in columns[:8]) + (", ..." if len(columns) > 8 else "")
    meant = column_meant(columns, "text")
    raise TrainingError(
        f"{path} has no 'text' column (found {shown or 'no columns'}).",
        fix=(f"rename the column {meant!r} to 'text'" if meant else "add a 'text' column")
        + ", or pass --mapping FILE naming the columns of a table in another format.",
    )


def no_labels_column(
    path: Path, columns: list[str], categories: list[str] | None = None
) -> NoReturn:
    """TrainingError for a table without labels (``columns``: its columns; of a JSONL file,
    its first row's keys): most often ingest's passages, given before any review; a CSV
    header that looks separated by another delimiter is said to be; a column of another
    name meant as the labels (``label``, ``category``) and one column per category
    (``categories``: the taxonomy's names) are named in the fix (stop 49 audit A8)."""
    from annotate.ingestion.readers import DELIMITERS, delimiter_name
    from annotate.tables import csv_delimiter, table_format

    if len(columns) == 1 and table_format(path) == "csv":
        read_with = csv_delimiter(path)
        found = [d for d in DELIMITERS if d != read_with and d in columns[0]]
        if found:
            raise TrainingError(
                f"{path} has no 'labels' column: its header {columns[0]!r} looks separated "
                f"by {delimiter_name(found[0])}, not by {delimiter_name(read_with)}, and "
                "read so it has no 'labels' column either.",
                fix="save it as comma-separated CSV with a 'labels' column of labels.yaml's "
                "category names, or pass --mapping FILE (with `sep:`) naming its columns.",
            )
    shown = ", ".join(repr(c) for c in columns[:8]) + (", ..." if len(columns) > 8 else "")
    one_hot = [c for c in columns if c in (categories or [])]
    # the example names two categories that can go together (not the none label)
    pair = [c for c in one_hot if c != "none"][:2] or one_hot[:2]
    if len(one_hot) >= 2:
        raise TrainingError(
            f"{path} has no 'labels' column but one column per category "
            f"({', '.join(one_hot[:6])}{', ...' if len(one_hot) > 6 else ''}).",
            fix="give it a 'labels' column listing each row's categories (e.g. "
            f"'{','.join(pair)}' or a JSON list), or pass --mapping FILE with a rule "
            "per column (`when: {COLUMN: '1'}`, `labels: [CATEGORY]`).",
        )
    meant = column_meant(columns, "labels")
    if meant is not None:
        text = column_meant(columns, "text") if "text" not in columns else None
        also = f" and the column {text!r} to 'text'" if text else ""
        raise TrainingError(
            f"{path} has no 'labels' column (found {shown}).",
            fix=f"rename the column {meant!r} to 'labels' (each row's categories: names from "
            f"labels.yaml, comma-separated or a JSON list){also}, or pass --mapping FILE for "
            "a table in another format.",
        )
    ingested = "document_sha256" in columns or {"doc_id", "passage_index"} <= set(columns)
    what = (
        "it looks like `annotate ingest` output, passages nobody has labeled yet"
        if ingested
        else "training and evaluation need each passage's reviewed categories"
    )
    raise TrainingError(
        f"{path} has no 'labels' column (found {shown or 'no columns'}): {what}.",
        fix="pre-label it, push it for review and pass the export (`annotate prelabel`, "
        "`annotate push`, `annotate export --out DIR`, then --data DIR); or add a 'labels' "
        "column of labels.yaml's category names, or pass --mapping FILE for a table in "
        "another format.",
    )
