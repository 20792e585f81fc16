"""SPDX licence expressions (``CC-BY-4.0``, ``MIT OR Apache-2.0``), recognised and written
in their canonical form by ``license-expression`` (nexB/AboutCode; it ships the SPDX
licence list, so nothing is fetched): ``mit`` -> ``MIT``, ``cc-by-4.0`` -> ``CC-BY-4.0``,
``gpl-2.0+`` -> ``GPL-2.0-or-later``. User-defined references (``LicenseRef-reuters``,
SPDX spec 2.3 annex D) are SPDX too. Anything else (``licensed by Reuters, internal use``)
is free text: ingest keeps it as given and warns (:mod:`annotate.ingestion.licenses`).

The library is imported on first use (about 0.15 s to load its index)."""

from __future__ import annotations

import difflib
import re
from functools import cache, lru_cache
from typing import Any

# SPDX spec 2.3 annex D: a user-defined licence reference, optionally in another document
LICENSE_REF = re.compile(r"(?:DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+")
SPDX_EXAMPLES = "CC-BY-4.0, MIT OR Apache-2.0, or LicenseRef-NAME for contract terms"


@cache
def _licensing() -> Any:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@lru_cache(maxsize=4096)
def spdx_expression(text: str) -> str | None:
    """``text`` as a canonical SPDX licence expression (ids as the SPDX list spells them,
    operators upper-case, one space between tokens), or None when it is not one: a word
    that is no SPDX id (``Apache 2.0``, ``public domain``), bad syntax (``MIT AND``), an
    exception outside ``WITH``. ``LicenseRef-``/``DocumentRef-`` ids are kept as written."""
    from license_expression import ExpressionError

    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=False, strict=True)
    except ExpressionError:
        return None
    if parsed is None:
        return None
    unknown = licensing.unknown_license_keys(parsed)
    if any(not LICENSE_REF.fullmatch(key) for key in unknown):
        return None
    if not unknown and licensing.validate(text, strict=True).errors:
        return None
    return str(parsed.render())


@lru_cache(maxsize=1024)
def closest_spdx(text: str) -> str | None:
    """The SPDX list id closest to ``text`` (``Apache 2.0`` -> ``Apache-2.0``, ``CC BY 4.0`` ->
    ``CC-BY-4.0``), for a message's fix; None when none is close (difflib ratio 0.85)."""
    index = {key.lower(): key for key in _spdx_ids()}
    wanted = re.sub(r"[\s_]+", "-", text.strip().lower())
    if wanted in index:
        return index[wanted]
    found = difflib.get_close_matches(wanted, list(index), n=1, cutoff=0.85)
    return index[found[0]] if found else None


@cache
def _spdx_ids() -> tuple[str, ...]:
    licensing = _licensing()
    keys = {str(sym.key) for sym in licensing.known_symbols.values()}
    return tuple(sorted(k for k in keys if not k.startswith("LicenseRef-")))  # SPDX list ids


def recorded_license(value: str) -> tuple[str, bool]:
    """What ingest, prelabel and push record for a licence (one line, stripped): (its
    canonical SPDX form, True) for an SPDX expression, else (``value`` as given, False)."""
    spdx = spdx_expression(value)
    return (spdx, True) if spdx is not None else (value, False)
