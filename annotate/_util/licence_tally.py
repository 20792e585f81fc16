"""One normaliser for every place a licence enters a task: ``prelabel`` (the passages'
``license`` column) and ``push`` (the task's ``license``), as ``ingest`` records it
(:func:`annotate._util.spdx.recorded_license`): an SPDX expression in its canonical form
(``mit`` -> ``MIT``), anything else (a contract's terms) as given, with a warning, never a
failure. Whatever a later step reads is then what the earlier one wrote, so the exported
licence is the pushed one (export keeps a task's licence as recorded)."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from annotate._util.spdx import SPDX_EXAMPLES, licence_hint, recorded_license

SHOWN = 3  # licences named in a warning; the rest are counted


def pushed_license(value: Any) -> str | None:
    """The licence a row records, as prelabel writes it and push puts it in a task: None
    for a missing, non-text or blank value, else :func:`recorded_license`'s value."""
    if not isinstance(value, str) or not value.strip():
        return None
    return recorded_license(value.strip())[0]


class LicenceTally:
    """Normalises licences (:func:`pushed_license`) and counts, per licence, the passages
    whose licence was rewritten to its SPDX form and those whose licence is no SPDX
    expression, for one log line each (:meth:`log`)."""

    def __init__(self) -> None:
        self.normalised: Counter[tuple[str, str]] = Counter()  # (given, recorded) -> passages
        self.not_spdx: Counter[str] = Counter()  # licence kept as given -> passages

    def __call__(self, value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        given = value.strip()
        recorded, spdx = recorded_license(given)
        if not spdx:
            self.not_spdx[recorded] += 1
        elif recorded != given:
            self.normalised[(given, recorded)] += 1
        return recorded

    def log(self, log: logging.Logger, where: str) -> None:
        """An info line for the licences rewritten to their SPDX form and a warning for
        those that are no SPDX expression (kept as given); ``where``: the file read."""
        if self.normalised:
            said = ", ".join(
                f"{given!r} -> {recorded!r} ({n})"
                for (given, recorded), n in self.normalised.most_common(SHOWN)
            )
            more = len(self.normalised) - SHOWN
            log.info(
                "%s: licence recorded as its SPDX expression: %s%s",
                where,
                said,
                f" and {more} more" if more > 0 else "",
            )
        if self.not_spdx:
            parts = []
            for value, n in self.not_spdx.most_common(SHOWN):
                said = licence_hint(value)
                hint = f"; {said}" if said else ""
                parts.append(f"{value[:60]!r} ({n} passage(s){hint})")
            more = len(self.not_spdx) - SHOWN
            log.warning(
                "%s: the licence of %d passage(s) is not an SPDX licence expression (%s), kept "
                "as given, so the export records it as free text: %s%s",
                where,
                sum(self.not_spdx.values()),
                SPDX_EXAMPLES,
                ", ".join(parts),
                f" and {more} more licence(s)" if more > 0 else "",
            )
