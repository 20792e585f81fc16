"""The models of a prelabel table whose harmful thresholds are all the fallback.

`annotate prelabel` records, in every row's ``prelabel_run``, the model's harmful labels
when none of them has a fitted threshold (``fallback_thresholds``:
:func:`annotate.prelabeling.run_record`). `annotate push` orders the review queue by
those scores, riskiest first, so it warns as prelabel and verify do.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from annotate.table_schemas import FALLBACK_THRESHOLDS_KEY, PRELABEL_RUN_COLUMN

log = logging.getLogger(__name__)


def fallback_models(path: Path) -> dict[str, list[str]]:
    """Model version -> its harmful labels, for each model of the prelabel table ``path``
    whose run records that none of them has a fitted threshold; {} when none does, for
    pre-labels made before the record, or when the table cannot be read (push then says
    why itself). Reads the table once, keeping the distinct run records only."""
    from annotate.tables import iter_rows

    runs: set[str] = set()
    try:
        for row in iter_rows(path):
            raw = row.get(PRELABEL_RUN_COLUMN)
            if raw:
                runs.add(str(raw))
    except Exception as exc:  # push reads the table again and says why
        log.debug("fallback_models: %s not read: %s", path, exc)
        return {}
    out: dict[str, list[str]] = {}
    for raw in sorted(runs):
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        labels = record.get(FALLBACK_THRESHOLDS_KEY) if isinstance(record, dict) else None
        if labels:
            out[str(record.get("model_version") or "unknown")] = [str(n) for n in labels]
    return out


def fallback_push_warning(models: dict[str, list[str]]) -> list[str]:
    """Per model of :func:`fallback_models`: the warning `annotate push` gives."""
    return [
        f"model {version} (these pre-labels' model): none of its harmful labels "
        f"({', '.join(labels)}) has a fitted threshold: they are the fallback on "
        "uncalibrated scores, as `annotate prelabel` warned, so this push's riskiest-first "
        "queue is ordered by unreliable scores and can fill with false flags. Review more "
        "passages of those labels and train again, or prelabel with a model whose "
        "thresholds were fitted (`annotate verify MODEL` says which)."
        for version, labels in models.items()
    ]
