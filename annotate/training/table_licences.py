"""The licences of a table in the project's own format given as training data, for the
model card (an export's come from its manifest: ``sources.export_provenance``).

A row's licence is its ``license`` (or ``licence``) column, as ingest writes it on every
passage, normalised as ingest, prelabel and push record it
(:func:`annotate._util.licence_tally.pushed_license`: an SPDX expression in its canonical
form, other terms as given); a row without a value counts as ``unknown``. A Parquet table
without such a column may state one licence for the whole file in its key-value metadata
(``license``/``licence``). A table with neither records no licence: :func:`table_licences`
gives None, and the card says "licence not recorded".

The project's own data (``data/project/*.jsonl`` of the annotate source checkout: passages
the project wrote itself, see ``data/project/README.md``) has no licence column; its
licence is the project's, read from the checkout's ``pyproject.toml`` (``[project]
license``): :func:`project_data_licence` (passD51 D3: the card said "licence not recorded"
for ~2,700 project-written passages).
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path

from annotate._util.licence_tally import pushed_license
from annotate._util.licence_text import LICENSE_COLUMNS

log = logging.getLogger(__name__)

UNKNOWN = "unknown"  # rows without a licence, as an export's tally names them


def table_licences(path: Path, delimiter: str | None = None) -> dict[str, int] | None:
    """Rows per licence of the table at ``path`` (``{"CC-BY-4.0": 10, "unknown": 4}``,
    most first, then by name), read as ``sources.read_native`` reads its rows; None when
    the table records no licence (no licence column in any row, no Parquet metadata);
    ``delimiter``: of a CSV file, as ``sources.native_delimiter`` finds it."""
    from annotate.tables import iter_rows_located

    rows = iter_rows_located(path, delimiter=delimiter)  # a .tsv file: with tabs
    tally: Counter[str] = Counter()
    has_column = False
    for _, row in rows:
        column = next((c for c in LICENSE_COLUMNS if c in row), None)
        has_column = has_column or column is not None
        value = pushed_license(row.get(column)) if column is not None else None
        tally[value or UNKNOWN] += 1
    if not has_column:
        whole = _parquet_licence(path)
        if whole is None:
            return None
        tally = Counter({whole: sum(tally.values())})
    return dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))


PROJECT_DATA = ("data", "project")  # the checkout's project-written data folder
PROJECT_LICENCE_SOURCE = "project-written data: the annotate project's licence, pyproject.toml"


def project_data_licence(path: Path) -> str | None:
    """The licence of the annotate project (its checkout's ``pyproject.toml`` ``[project]
    license``: ``{text = ...}``, or a string) when ``path`` is a table of the checkout's
    ``data/project`` folder, the data the project wrote itself; None otherwise (an
    installed package, a table elsewhere, no licence stated there)."""
    from annotate.settings import PROJECT_ROOT, in_checkout

    if not in_checkout():
        return None
    folder = PROJECT_ROOT.joinpath(*PROJECT_DATA).resolve()
    if path.resolve().parent != folder:
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 (the `tomli` dependency)
        import tomli as tomllib

    try:
        meta = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.debug("pyproject.toml not read (%s)", exc)
        return None
    value = (meta.get("project") or {}).get("license")
    if isinstance(value, dict):
        value = value.get("text")
    return pushed_license(value) if isinstance(value, str) and value.strip() else None


def _parquet_licence(path: Path) -> str | None:
    """The licence a Parquet file's key-value metadata states for all its rows, or None
    (not Parquet, no such key, unreadable: logged)."""
    if path.suffix.lower() != ".parquet":
        return None
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception as exc:  # the reader of its rows says what is wrong with it
        log.debug("%s: no Parquet metadata read (%s)", path, exc)
        return None
    for key in LICENSE_COLUMNS:
        raw = meta.get(key.encode())
        if raw is not None:
            return pushed_license(raw.decode("utf-8", errors="replace"))
    return None


__all__ = ["PROJECT_LICENCE_SOURCE", "UNKNOWN", "project_data_licence", "table_licences"]
