"""The previous export in an export's ``--out`` folder (about to be replaced), read once for
what the new export compares with it: each passage's split (passages that change split,
:func:`annotate.corpus.export.moved_since_previous`), licence
(:func:`licences_changed_since_previous`) and answers (:func:`answers_lost_since_previous`:
answers Label Studio no longer holds, refused before the previous export is replaced)."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.audit.passage_pseudonyms import PREFIX as PSEUDONYM_PREFIX
from annotate.corpus.schema import SPLITS

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class PreviousRow:
    split: str
    license: str | None
    has_license: bool  # the row has the field (exports before it: False)
    reviewers: frozenset[str] = frozenset()  # pseudonyms of the reviewers who answered it
    adjudicated: bool = False  # a lead's answer decided it


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
                    f.stem,
                    lic if isinstance(lic, str) and lic else None,
                    "license" in r,
                    _reviewers(r.get("annotations")),
                    bool(r.get("adjudication")),
                )
    return before


def _reviewers(annotations: Any) -> frozenset[str]:
    if not isinstance(annotations, list):
        return frozenset()
    return frozenset(
        str(a["reviewer"]) for a in annotations if isinstance(a, dict) and a.get("reviewer")
    )


def answers_lost_since_previous(
    out: Path,
    rows: list[dict[str, Any]],
    previous: dict[str, PreviousRow] | None,
    *,
    same_salt: bool | None,
) -> None:
    """Refuse to replace the previous export in ``out`` when it holds answers this export
    (``rows``, keyed by ingest id as ``previous`` is: :func:`previous_rows`) does not: a
    reviewer's answer to a passage (by pseudonym) or a lead's decision that Label Studio
    no longer has (a reviewer queue, task or answer deleted in its UI; a queue a later
    push then made again, empty). The previous export is the only copy of them left, and
    replacing it would lose them for good. A reviewer who changed or re-submitted an
    answer still has one, and so does a passage another lead decided since. Not compared:
    an export made with another pseudonym salt (``same_salt`` False: every reviewer id
    differs; the salt check warns) and a passage of the previous export absent now under
    a pseudonymous id (``pp_…``) this export does not give (made with --redact, perhaps
    with another key: it cannot be told apart).

    Raises ExportError naming the answers lost (per reviewer, the first passages) and the
    fix: another ``--out``, or remove ``out`` when they were deleted on purpose."""
    if previous is None or same_salt is False:
        return
    now = {str(r["id"]): r for r in rows}
    lost: Counter[str] = Counter()
    passages: list[str] = []
    for pid, before in previous.items():
        row = now.get(pid)
        if row is None and pid.startswith(PSEUDONYM_PREFIX):
            continue
        gone = set(before.reviewers) - (_reviewers(row["annotations"]) if row else frozenset())
        lead_gone = before.adjudicated and not (row and row.get("adjudication"))
        lost.update(gone)
        lost.update(["the lead's decision"] if lead_gone else [])
        if gone or lead_gone:
            passages.append(pid)
    if not lost:
        return
    from annotate.errors import ExportError

    n = sum(lost.values())
    by = ", ".join(f"{who} {k}" for who, k in sorted(lost.items()))
    shown = ", ".join(passages[:MAX_EXAMPLES]) + (", ..." if len(passages) > MAX_EXAMPLES else "")
    raise ExportError(
        f"the previous export in {out} holds {n} answer(s) on {len(passages)} passage(s) that "
        f"Label Studio no longer has (by {by}; passages {shown}): deleted there (a reviewer "
        "queue, task or answer deleted in its web interface, or a queue deleted and made "
        "again by a later push). This export would replace the only copy of them; nothing "
        "was written.",
        fix=f"export into a new --out to keep {out} as it is; or, if those answers were "
        f"deleted on purpose, move {out} away (or remove it) and export again.",
    )


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
