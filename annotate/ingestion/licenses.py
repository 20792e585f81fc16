"""The licence or terms a document was obtained under: ``ingest --license`` for a whole
run, or a table's ``license``/``licence`` column per row (the row's own value wins).

Recorded in every passage's ``license`` column, carried by prelabel and push to the
export and summed in its manifest and audit report: an SPDX licence expression in its
canonical form (``mit`` -> ``MIT``, ``cc-by-4.0`` -> ``CC-BY-4.0``;
:func:`annotate._util.spdx.spdx_expression`), anything else (``licensed by Reuters,
internal use``: a contract's terms) as given, counted so that ingest warns, or refused with
``strict`` (``ingest --strict-license``). None means unknown (no licence recorded), never
an assumed one.
"""

from __future__ import annotations

from typing import Any

from annotate._util.licence_text import LICENSE_COLUMNS, MAX_LICENSE_CHARS, license_problem
from annotate._util.spdx import (
    SPDX_EXAMPLES,
    closest_spdx,
    recorded_license,
    spdx_expression,
    spdx_versions,
)
from annotate.errors import InputError

__all__ = [
    "LICENSE_COLUMNS",
    "MAX_LICENSE_CHARS",
    "check_license_option",
    "license_problem",
    "not_spdx_error",
    "recorded_license",
    "row_license",
]


def check_license_option(value: str | None, *, strict: bool = False) -> str | None:
    """``ingest --license``: the value stripped and, when it is an SPDX expression, in its
    canonical form (:func:`recorded_license`); None when not given. InputError when it is
    empty, holds a control character or is longer than :data:`MAX_LICENSE_CHARS`, and with
    ``strict`` when it is no SPDX expression."""
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
    spdx = spdx_expression(stripped)
    if spdx is None and strict:
        raise not_spdx_error(stripped, "--license")
    return spdx or stripped


def not_spdx_error(value: str, where: str) -> InputError:
    """The error of ``ingest --strict-license`` for a licence that is no SPDX expression,
    ``where`` naming its place (``--license``, or a table's row and column)."""
    close = closest_spdx(value)
    versions = spdx_versions(value)
    if versions:
        fix = f"write the version meant: one of {', '.join(repr(v) for v in versions)}; "
    elif close:
        fix = f"write {close!r} if that is the licence meant; "
    else:
        fix = "write the licence's SPDX identifier (https://spdx.org/licenses/); "
    fix += (
        "for contract terms no SPDX id names, write a LicenseRef (e.g. LicenseRef-"
        "vendor-contract-2026-07) and keep the contract beside the corpus; or leave out "
        "--strict-license to record free text as given (with a warning)."
    )
    return InputError(
        f"{where}: the licence {value[:80]!r} is not an SPDX licence expression; "
        f"--strict-license expects one ({SPDX_EXAMPLES}).",
        fix=fix,
    )


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
