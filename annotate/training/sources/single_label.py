"""A labeled table's single-label ``label`` column (the Hugging Face convention) read as
the project's ``labels``: each row's one category.

A table without a ``labels`` column but with ``label`` is read so when its values are
labels.yaml category names: strings (``violent_threat``; one per row: a cell naming several,
``violent_threat,incitement``, is refused with the fix, a ``labels`` column), or ClassLabel
ids (``0``, ``1``) decoded with the names ``datasets`` records for the column (a Parquet
file written by ``Dataset.to_parquet`` keeps them in its schema; a ``save_to_disk``
DatasetDict in its features). A ClassLabel naming classes that are no categories, or ids
with no names to read them by (a CSV or JSONL export of a ClassLabel column), is refused
with the fix (a mapping file, or names). A ClassLabel naming only some categories supervises
those alone (as a mapping's ``known``): a ``none``/``violent_threat`` set says nothing of
the others.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from annotate._util.shown import shown
from annotate.errors import TrainingError
from annotate.taxonomy import Taxonomy, category_meant

log = logging.getLogger(__name__)

LABEL_COLUMN = "label"


def single_label(columns: list[str]) -> bool:
    """Whether a table of ``columns`` gives its labels as one ``label`` column (and no
    ``labels`` column, which wins when both are there)."""
    return "labels" not in columns and LABEL_COLUMN in columns


def class_names(features: Any) -> list[str] | None:
    """The ClassLabel names ``datasets`` ``features`` (a Features mapping, or None)
    record for the ``label`` column, in id order; None when it is no ClassLabel (names
    held as strings) or nothing is recorded."""
    feature = features.get(LABEL_COLUMN) if features is not None else None
    names = getattr(feature, "names", None)
    return [str(n) for n in names] if names else None


def check_class_names(path: Path, names: list[str], tax: Taxonomy) -> set[str]:
    """The categories a ClassLabel of ``names`` supervises (all of them, each a category
    of ``tax``); TrainingError naming the names that are no category of labels.yaml and
    the fix. Logs a warning when they are only some of the categories."""
    others = [n for n in names if n not in tax.category_names]
    if others:
        meant = [(n, m) for n in others if (m := category_meant(n, tax, typos=True))]
        hint = "; ".join(f"{m} for {n!r}" for n, m in meant)
        first = names.index(others[0])
        raise TrainingError(
            f"{path}: its single-label column 'label' is a ClassLabel of {', '.join(names)}; "
            f"{', '.join(others)} {'is' if len(others) == 1 else 'are'} no category of "
            f"labels.yaml ({', '.join(tax.category_names)}), so its ids cannot be read as "
            "categories.",
            fix=(f"did you mean {hint}? " if hint else "")
            + "pass --mapping FILE with a rule per class (e.g. `when: {label: "
            + f"{first}}}`, `labels: [CATEGORY]`, ids as the table stores them), or "
            "rename the ClassLabel names to labels.yaml's categories "
            "(`ds.cast_column('label', ClassLabel(names=[...]))`).",
        )
    partial = [c for c in tax.category_names if c not in names]
    if partial:
        log.warning(
            "%s: its 'label' ClassLabel names only %s of labels.yaml's categories: its rows "
            "supervise those alone, neither label nor negative for %s (a mapping file's "
            "`known:` says otherwise)",
            shown(path),
            ", ".join(names),
            ", ".join(partial),
        )
    return set(names)


def _is_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value == value and value.is_integer()
    return isinstance(value, str) and value.strip().lstrip("-").isdigit()


def label_cell(value: Any, names: list[str] | None, path: Path, where: str) -> Any:
    """A ``label`` cell as a ``labels`` cell: a ClassLabel id as ``[name]`` (``names``:
    the ClassLabel's), a string as it is (read as a ``labels`` cell: a category name;
    :func:`one_category` then refuses several), missing as None (the row's "no label"
    error follows). TrainingError for an id with no
    names to read it by, for -1 (``datasets``' "no label") and for an id out of range."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if not _is_id(value):
        return value
    number = int(float(value)) if not isinstance(value, str) else int(value.strip())
    if number == -1:
        raise TrainingError(
            f"{path}: {where} has 'label' -1, `datasets`' \"no label\" (an unlabeled row, as "
            "a test split often is); expected a category of labels.yaml.",
            fix="leave unlabeled rows out (`ds.filter(lambda r: r['label'] >= 0)`), or label them.",
        )
    if names is None:
        raise TrainingError(
            f"{path}: {where} has 'label' {value!r}: the column holds numbers and the file "
            "records no ClassLabel names to read them by (a CSV or JSON Lines file keeps "
            "none); expected category names of labels.yaml.",
            fix="write the category names in the column (`ds.map(lambda r: {'label': "
            "ds.features['label'].int2str(r['label'])})`), save it as Parquet with "
            "`ds.to_parquet`, which keeps the names, or pass --mapping FILE with a rule per "
            "id.",
        )
    if not 0 <= number < len(names):
        raise TrainingError(
            f"{path}: {where} has 'label' {number}, and its ClassLabel has {len(names)} "
            f"names (ids 0 to {len(names) - 1}).",
            fix="fix the row's label, or its ClassLabel names.",
        )
    return [names[number]]


def one_category(labels: Any, path: Path, where: str) -> Any:
    """``labels`` as read from a ``label`` cell (:func:`label_cell`, then
    :func:`~annotate.training.sources.tables.labels_cell`), checked to name at most one
    category: the column is each row's one category, so ``violent_threat,incitement``
    there is refused (TrainingError naming the row and the fix), not read as two."""
    if isinstance(labels, (list, tuple)):
        names = list(dict.fromkeys(str(x).strip() for x in labels if str(x).strip()))
        if len(names) > 1:
            raise TrainingError(
                f"{path}: {where} has {len(names)} categories in its single-label column "
                f"'label' ({', '.join(names[:5])}); that column holds each row's one "
                "category.",
                fix="write one category name per row in 'label'; for rows with several "
                "categories name the column 'labels' (comma-separated names or a JSON "
                "list), which is then read for every row.",
            )
    return labels
