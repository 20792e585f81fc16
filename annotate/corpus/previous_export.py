"""The previous export in an export's ``--out`` folder (about to be replaced), read once for
what the new export compares with it: each passage's split (passages that change split,
:func:`annotate.corpus.export.moved_since_previous`) and licence
(:func:`licences_changed_since_previous`)."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.corpus.schema import SPLITS

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class PreviousRow:
    split: str
    license: str | None
    has_license: bool  # the row has the field (exports before it: False)


def previous_rows(out: Path) -> dict[str, PreviousRow] | None:
    """Passage id -> :class:`PreviousRow` of the export in ``out`` (its ``jsonl/``
    splits, streamed); None when ``out`` holds no previous export."""
    if not (out / MANIFEST).is_file() or not (out / "jsonl").is_dir():
        return None
    from annotate.tables import iter_jsonl

    before: dict[str, PreviousRow] = {}
    for f in sorted((out / "jsonl").glob("*.jsonl")):
        if f.stem in SPLITS and f.stat().st_size:
            for r in iter_jsonl(f):
                lic = r.get("license")
                before[str(r.get("id"))] = PreviousRow(
                    f.stem, lic if isinstance(lic, str) and lic else None, "license" in r
                )
    return before


def licences_changed_since_previous(
    out: Path, rows: list[dict[str, Any]], previous: dict[str, PreviousRow] | None
) -> dict[str, Any] | None:
    """The manifest's ``licenses.changed_since_previous_export``: the passages of both the
    previous export in ``out`` (``previous``: :func:`previous_rows`; None: none) and
    this one whose licence differs (another licence, or one recorded or lost: ``none``), as
    ``passages_compared``, ``changed``, ``changes`` ({"CC-BY-4.0 -> MIT": passages}) and
    up to :data:`MAX_EXAMPLES` ``examples`` ({"passage", "doc_id", "previous", "now"}).
    A previous export made before rows had a licence: ``previous_recorded`` false and
    nothing counted as changed. None without a previous export. Logged (info; the CLI
    warns): an auditor who signed off the previous export's licences must look again."""
    if previous is None:
        return None
    compared = [(r, previous[str(r["id"])]) for r in rows if str(r["id"]) in previous]
    recorded = any(p.has_license for _, p in compared) or not compared
    changes: Counter[str] = Counter()
    examples: list[dict[str, Any]] = []
    for r, p in compared if recorded else []:
        now = r.get("license") or None
        if not p.has_license or p.license == now:
            continue
        changes[f"{p.license or 'none'} -> {now or 'none'}"] += 1
        if len(examples) < MAX_EXAMPLES:
            examples.append(
                {
                    "passage": str(r["id"]),
                    "doc_id": r.get("doc_id"),
                    "previous": p.license,
                    "now": now,
                }
            )
    changed = sum(changes.values())
    if changed:
        log.info(
            "%d passage(s) of the previous export in %s have another licence in this one "
            "(%s; e.g. %s)",
            changed,
            out,
            ", ".join(f"{k} {n}" for k, n in sorted(changes.items())),
            examples[0]["passage"],
        )
    return {
        "passages_compared": len(compared),
        "previous_recorded": recorded,
        "changed": changed,
        "changes": dict(sorted(changes.items())),
        "examples": examples,
    }
