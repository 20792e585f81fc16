"""Whether ``annotate evaluate --seed`` can change anything for the given data: the seed
splits project tables by a hash of each document, and only the rows that carry no
split of their own. An ``annotate export`` (its folder, or a split file of it) keeps the
splits it was exported with; so does a table every row of which names its split."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotate.corpus.schema import SPLITS


def carries_its_splits(path: Path, mapped: bool = False) -> bool:
    """True when every row ``path`` gives keeps a split of its own whatever the seed: an
    ``annotate export`` folder or a file inside one, or (not ``mapped``: a mapping file
    has its own split rules) a table file whose every row has a ``split`` of train,
    validation or test. False for anything else, or a file it cannot read (the
    evaluation itself says what is wrong with it)."""
    from annotate.training.sources import export_holding, is_export_dir

    if is_export_dir(path) or export_holding(path) is not None:
        return True
    if mapped or not path.is_file():
        return False
    from annotate.errors import AnnotateError
    from annotate.tables import iter_rows_located, table_columns
    from annotate.training.sources import native_delimiter

    try:
        delimiter = native_delimiter(path)  # a ';'-separated CSV: read as training reads it
        if "split" not in table_columns(path, delimiter=delimiter):
            return False
        rows = iter_rows_located(path, delimiter=delimiter)
        return all(row.get("split") in SPLITS for _, row in rows)
    except (AnnotateError, OSError, ValueError):  # evaluate itself says what is wrong
        return False


def seed_has_no_effect(paths: Sequence[Path], mapped: Sequence[bool] = ()) -> bool:
    """True when ``paths`` (``--data``, at least one) all :func:`carries_its_splits`
    (``mapped``: per path, whether ``--mapping`` applies to it)."""
    flags = list(mapped) or [False] * len(paths)
    return bool(paths) and all(
        carries_its_splits(Path(p), m) for p, m in zip(paths, flags, strict=True)
    )
