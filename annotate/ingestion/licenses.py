"""The licence or terms a document was obtained under: ``ingest --license`` for a whole
run, or a table's ``license``/``licence`` column per row (the row's own value wins).

Recorded as given (an SPDX identifier such as ``CC-BY-4.0``, or free text such as
``internal: vendor contract 2026-07``) in every passage's ``license`` column, carried by
prelabel and push to the export and summed in its manifest and audit report. None means
unknown (no licence recorded), never an assumed one.
"""

from __future__ import annotations

from typing import Any

from annotate._util.licence_text import LICENSE_COLUMNS, MAX_LICENSE_CHARS, license_problem
from annotate.errors import InputError

__all__ = [
    "LICENSE_COLUMNS",
    "MAX_LICENSE_CHARS",
    "check_license_option",
    "license_problem",
    "row_license",
]


def check_license_option(value: str | None) -> str | None:
    """``ingest --license``: the value stripped (None when not given). InputError when it
    is empty, holds a control character or is longer than :data:`MAX_LICENSE_CHARS`."""
    if value is None:
        return None
    stripped = value.strip()
    problem = license_problem(stripped)
    if problem:
        raise InputError(
            f"--license {value[:60]!r}: expected the licence or terms the documents were "
            f"obtained under (an SPDX identifier such as CC-BY-4.0, or a short text), found "
            f"{problem}.",
            fix="pass one line, e.g. --license CC-BY-4.0 or --license 'vendor contract "
            "2026-07', or leave --license out (the licence is then recorded as unknown).",
        )
    return stripped


def row_license(value: Any, where: str, column: str) -> str | None:
    """A table row's licence cell: the text stripped, None when null or blank (unknown).
    InputError when it is not text (a number, a list) or is not one short line."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(
            f"{where}: column {column!r} holds {type(value).__name__} ({str(value)[:60]}), "
            "expected the licence as text.",
            fix=f"write the licence as a string (an SPDX identifier such as CC-BY-4.0), or "
            f"rename the column if {column!r} holds something else.",
        )
    stripped = value.strip()
    if not stripped:
        return None
    problem = license_problem(stripped)
    if problem:
        raise InputError(
            f"{where}: column {column!r} holds {problem}, expected the licence the "
            "document was obtained under (an SPDX identifier or a short text).",
            fix="keep the licence to one short line (the licence's full text belongs "
            "elsewhere), or rename the column if it holds something else.",
        )
    return stripped
