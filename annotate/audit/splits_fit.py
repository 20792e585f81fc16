"""Are an export's rows in the splits its manifest says they were made by?

The manifest's ``splits`` records how export split the rows (``method``, ``seed``,
``ratios``; :mod:`annotate.corpus.splits`): a row's split follows from its document, the
documents it shares an ingest near-duplicate group or a reply thread with, and (when export
searched itself: ``near_duplicates.export_search``) the near-copies found over all the
rows. `annotate verify` recomputes each row's split from the rows as written and names
the rows whose recorded split differs: a row moved from test to train in every format,
with the manifest's checksums made to fit, is found without a digest kept elsewhere.

Not recomputed (:func:`split_misfits` gives why): an export made with ``--redact`` (its
ids are keyed pseudonyms and its texts masked: the groups it was split by cannot be formed
again), an export whose manifest records another method than this version's
(:data:`annotate.corpus.splits.SPLIT_METHOD`) or no seed and ratios, and one whose reply
threads or near-duplicate groups this annotate finds otherwise than the manifest counts
them, or whose manifest counts none (:func:`links_unlike_recorded`: the grouping code
changed since it was exported, so other splits would be no sign of rows moved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from annotate.audit.formats import jsonl_rows, listed
from annotate.corpus.export_near_dups import export_near_dup_groups
from annotate.corpus.export_threads import split_links
from annotate.corpus.schema import SPLITS
from annotate.corpus.splits import SPLIT_METHOD, assign_splits

NAMED_ROWS = 5  # rows named; the count covers the rest
# what the split of a row follows from (the sort key, ingest's group, the reply thread's
# parent, export's near-duplicate search): only these are kept of each row, so the rows
# held at once are a fraction of the export's (its scores, spans, answers are not read)
KEPT = (
    "id",
    "doc_id",
    "passage_index",
    "near_dup_group",
    "meta",
    "ingest_run",
    "ingest_redaction",
)


class LinksDiffer(Exception):
    """The rows' reply threads or near-duplicate groups, found again, are not those the
    manifest counts (:func:`links_unlike_recorded`); the message says how."""


def links_unlike_recorded(
    manifest: dict[str, Any],
    doc_ids: list[str],
    threads: list[str | None],
    found: list[str | None] | None,
) -> str:
    """Why the recomputed links cannot be trusted to give the export's splits, or "":
    the reply threads (``threads``, per row) or, when export searched itself, the
    near-duplicate groups (``found``, per row) counted otherwise than the manifest's
    ``splits.reply_threads`` and ``near_duplicates.export_search`` (an annotate whose
    parent keys or shingling changed since the export), or not counted there (an older
    export). Counts over all the rows: rows moved between splits do not change them
    (reader 62 finding 2: a valid older export was called forged)."""
    made_by = (manifest.get("versions") or {}).get("annotate") or "the one that exported it"
    differ: list[str] = []
    recorded = (manifest.get("splits") or {}).get("reply_threads")
    if not isinstance(recorded, dict):
        return "the manifest records no reply-thread counts to check the linking against"
    linked = [(d, t) for d, t in zip(doc_ids, threads, strict=True) if t is not None]
    now = {
        "threads": len({t for _, t in linked}),
        "documents": len({d for d, _ in linked}),
        "passages": len(linked),
    }
    differ += [
        f"reply {k} {recorded.get(k)} recorded, {v} now"
        for k, v in now.items()
        if recorded.get(k) != v
    ]
    if found is not None:
        search = (manifest.get("near_duplicates") or {}).get("export_search") or {}
        marked = [g for g in found if g is not None]
        now = {"groups": len(set(marked)), "passages": len(marked)}
        differ += [
            f"near-duplicate {k} {search.get(k)} recorded, {v} now"
            for k, v in now.items()
            if search.get(k) != v
        ]
    if not differ:
        return ""
    return (
        f"this annotate links the rows otherwise than annotate {made_by} that exported "
        f"them ({'; '.join(differ)}), so its splits would differ without any row moved"
    )


def _how(manifest: dict[str, Any]) -> tuple[int, list[float], float | None] | str:
    """(seed, ratios in SPLITS order, export's near-duplicate threshold or None), or why
    the splits cannot be recomputed."""
    if bool((manifest.get("redaction") or {}).get("ran")):
        return "exported with --redact (its ids are pseudonyms, its texts masked)"
    record = manifest.get("splits")
    if not isinstance(record, dict) or record.get("method") != SPLIT_METHOD:
        return "the manifest records another split method than this version's"
    seed, ratios = record.get("seed"), record.get("ratios")
    if not isinstance(seed, int) or not isinstance(ratios, dict) or set(ratios) != set(SPLITS):
        return "the manifest records no seed or ratios"
    search = (manifest.get("near_duplicates") or {}).get("export_search")
    threshold = search.get("threshold") if isinstance(search, dict) else None
    return seed, [float(ratios[s]) for s in SPLITS], threshold


def recomputed(
    rows: list[dict[str, Any]],
    runs: dict[str, dict[str, Any]],
    *,
    seed: int,
    ratios: list[float],
    threshold: float | None,
    manifest: dict[str, Any] | None = None,
    advance: Callable[[int], None] | None = None,
) -> list[str]:
    """Each row's split as export makes it (rows sorted as export sorts them first: by
    ``doc_id``, ``passage_index``, ``id``). ``runs``: ingest run id -> its record.
    ``advance(n)``: called as the near-duplicate search hashes rows.
    Raises LinksDiffer where ``manifest`` is given and counts the links otherwise."""
    links = split_links(rows, runs)  # as export forms them
    found = export_near_dup_groups(rows, threshold, advance) if threshold is not None else None
    if manifest is not None:
        why = links_unlike_recorded(manifest, links.doc_ids, links.threads, found)
        if why:
            raise LinksDiffer(why)
    groups = links.groups() if found is None else links.groups(found)
    return assign_splits(groups, ratios=ratios, seed=seed)


def kept_fields(manifest: dict[str, Any]) -> tuple[str, ...] | str:
    """The fields of each row that its split is recomputed from (:data:`KEPT`, and the
    text where export searched near-duplicates itself), or why the splits of this
    export cannot be recomputed."""
    how = _how(manifest)
    if isinstance(how, str):
        return how
    return (*KEPT, "text") if how[2] is not None else KEPT


def kept_row(row: dict[str, Any], kept: tuple[str, ...], split: str) -> dict[str, Any]:
    """What :func:`split_misfits_of` needs of ``row`` (read from ``split``'s file)."""
    return {**{k: row[k] for k in kept if k in row}, "split": split}


def split_misfits(
    corpus: Path, manifest: dict[str, Any], splits: Iterable[str]
) -> tuple[str, list[str]] | str:
    """(what, ids) for the rows whose split is not the one recomputed (an empty list
    when all fit), or why the splits were not recomputed. Reads ``jsonl/{split}.jsonl``
    of each of ``splits``. Raises OSError or ValueError for an unreadable file."""
    kept = kept_fields(manifest)
    if isinstance(kept, str):
        return kept
    rows = [
        kept_row(row, kept, split)
        for split in splits
        for _, row in jsonl_rows(corpus / f"jsonl/{split}.jsonl")
    ]
    return split_misfits_of(rows, manifest)


def split_misfits_of(
    rows: list[dict[str, Any]],
    manifest: dict[str, Any],
    advance: Callable[[int], None] | None = None,
) -> tuple[str, list[str]] | str:
    """:func:`split_misfits` of ``rows`` already read (:func:`kept_row` of each row of
    the split files, in the splits' order; sorted here in place). ``advance(n)``: called
    as the near-duplicate search hashes rows."""
    how = _how(manifest)
    if isinstance(how, str):
        return how
    seed, ratios, threshold = how
    rows.sort(
        key=lambda r: (
            str(r.get("doc_id") or r.get("id")),
            r.get("passage_index") or 0,
            str(r.get("id")),
        )
    )
    records = (manifest.get("ingest_runs") or {}).get("runs") or []
    runs = {str(r["run"]): r for r in records if isinstance(r, dict) and r.get("run")}
    try:
        want = recomputed(
            rows,
            runs,
            seed=seed,
            ratios=ratios,
            threshold=threshold,
            manifest=manifest,
            advance=advance,
        )
    except LinksDiffer as exc:
        return str(exc)
    moved = [
        (str(r.get("id")), r["split"], w)
        for r, w in zip(rows, want, strict=True)
        if r["split"] != w
    ]
    if not moved:
        return "", []
    said = listed([f"{i} ({was}, made {w})" for i, was, w in moved[:NAMED_ROWS]], len(moved))
    what = (
        f"{len(moved)} row(s) are not in the split the manifest's seed {seed} and ratios give "
        f"them: {said} (recomputed by document, near-duplicate group and reply thread, as "
        "export splits; the rows were moved after export with the manifest's checksums made "
        "to fit; restore the export, check it with --manifest-sha256, or export again)"
    )
    return what, [i for i, _, _ in moved]
