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

    if _versionless(text):
        return None
    # a user-defined LicenseRef the library knows as an alias (LicenseRef-GPL ->
    # GPL-1.0-or-later) is the user's own reference: kept as written
    kept = sorted({r for r in LICENSE_REF.findall(text) if r.lower() in _ref_aliases()})
    for n, ref in enumerate(kept):
        text = _whole(ref).sub(f"LicenseRef-annotate-kept-{n}", text)
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
    rendered = str(parsed.render())
    for n, ref in enumerate(kept):
        rendered = _whole(f"LicenseRef-annotate-kept-{n}").sub(ref, rendered)
    return rendered


def _whole(word: str) -> re.Pattern[str]:
    """``word`` as a whole token of a licence expression."""
    return re.compile(r"(?<![\w.:-])" + re.escape(word) + r"(?![\w.-])")


@cache
def _ref_aliases() -> frozenset[str]:
    """``LicenseRef-`` aliases (lower case) the licence library rewrites to an SPDX id."""
    return frozenset(
        str(alias).lower()
        for sym in _licensing().known_symbols.values()
        for alias in (getattr(sym, "aliases", ()) or ())
        if str(alias).startswith("LicenseRef-")
    )


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


OPERATORS = frozenset({"and", "or", "with"})


def _versionless(text: str) -> list[str]:
    """The words of ``text`` that the licence library reads as a versioned SPDX id though
    they name no version (``GPL`` -> ``GPL-1.0-or-later``): a licence grant the user never
    gave, so no SPDX expression (kept as given, with a warning naming the versions:
    :func:`licence_hint`)."""
    words = re.findall(r"[^\s()]+", text)
    return [w for w in words if w.lower() not in OPERATORS and w.lower() in _versionless_aliases()]


@cache
def _versionless_aliases() -> frozenset[str]:
    """Aliases (lower case) of the licence library with no digit for an SPDX id with a
    version (``gpl`` for GPL-1.0-or-later); user-defined ``LicenseRef-`` names aside."""
    out: set[str] = set()
    for sym in _licensing().known_symbols.values():
        key = str(sym.key)
        if not re.search(r"\d", key):
            continue
        for alias in getattr(sym, "aliases", ()) or ():
            alias = str(alias)
            if not re.search(r"\d", alias) and not alias.startswith("LicenseRef-"):
                out.add(alias.lower())
    return frozenset(out)


def spdx_versions(text: str, shown: int = 4) -> list[str]:
    """The SPDX ids of the licence family ``text`` names without a version, newest last
    (``GPL`` -> GPL-2.0-only, GPL-2.0-or-later, GPL-3.0-only, GPL-3.0-or-later; ``CC BY``
    -> CC-BY-2.0 ... CC-BY-4.0): the last ``shown`` of them; [] when ``text`` holds a
    version or names no such family."""
    family = re.sub(r"[\s_]+", "-", text.strip())
    if not family or re.search(r"\d", family) or family.lower() in {k.lower() for k in _spdx_ids()}:
        return []
    shape = re.compile(re.escape(family) + r"-(\d+(?:\.\d+)*)(?:-only|-or-later|-Clause)?", re.I)

    def version(key: str) -> tuple[tuple[int, ...], str]:
        found = shape.fullmatch(key)
        assert found is not None
        return tuple(int(n) for n in found.group(1).split(".")), key

    found = sorted((k for k in _spdx_ids() if shape.fullmatch(k)), key=version)
    return found[-shown:]


def licence_hint(text: str) -> str | None:
    """What a message says of a licence that is no SPDX expression, to find its id: the
    versions of a family named without one (``GPL``: "names no version: one of
    'GPL-2.0-only', ..."), else the closest SPDX id; None when there is neither."""
    versions = spdx_versions(text)
    if versions:
        return f"names no version: one of {', '.join(repr(v) for v in versions)}"
    for word in _versionless(text):  # in an expression: GPL OR MIT
        if versions := spdx_versions(word):
            return f"{word!r} names no version: one of {', '.join(repr(v) for v in versions)}"
    close = closest_spdx(text)
    return f"closest SPDX id {close!r}" if close else None


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
