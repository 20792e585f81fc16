"""Do an export's passage offsets fit its rows, without the source files?

Ingest writes each passage as ``document[start:end]`` of the document's text (the text it
hashed into ``document_sha256``), the passages of a document in document order and never
overlapping (:mod:`annotate.ingestion.splitter`). `annotate verify` checks, from the rows
alone, what follows from that:

- ``end - start`` is the length of the passage's ``text`` (not checked where export
  ``--redact`` masked the text: the offsets stay the original document's);
- ``0 <= start <= end``;
- the passages of one document (one ``doc_id``, ``document_sha256`` and ingest run), in
  ``passage_index`` order, start where the one before ended or later: none overlaps or
  comes before the one before it;
- a passage whose text hashes to its ``document_sha256`` is the whole document: it starts
  at 0.

Only rows an ingest run recorded in the manifest cut are checked (``ingest_run`` one of
``ingest_runs.runs``): prelabel keeps every column of a table of the user's own, so its
``start``/``end`` (a transcript's seconds) reach the export without being ingest's offsets;
those rows are counted as passed over.

Offsets moved so that all of these still hold (a passage shifted by a character, its
length kept, clear of its neighbours) are found only against the source files
(``verify --sources``) or by the manifest's SHA-256 kept elsewhere (``--manifest-sha256``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from annotate.audit.formats import jsonl_rows, listed

NAMED_ROWS = 5  # rows named per kind of misfit; the count covers the rest
FIX = (
    "ingest writes each passage as its document's text[start:end], in document order: the "
    "export's start/end or text were changed after export (the manifest's checksums made "
    "to fit them); restore the export, check it with --sources or --manifest-sha256, or "
    "export again"
)


def _whole(row: dict[str, Any]) -> bool:
    want = row.get("document_sha256")
    text = row.get("text")
    if not isinstance(want, str) or not isinstance(text, str):
        return False
    return hashlib.sha256(text.encode("utf-8")).hexdigest() == want


def misfits(rows: Iterable[dict[str, Any]], *, masked: bool) -> dict[str, list[str]]:
    """What does not fit, as a description -> the ids of the rows it names (in the rows'
    order). ``rows``: export rows (``id``, ``doc_id``, ``passage_index``, ``start``,
    ``end``, ``text``, ``document_sha256``, ``ingest_run``); a row without integer
    offsets is passed over (exports made before they were written). ``masked``: export
    ``--redact`` masked the texts (their lengths are not the offsets')."""
    check = OffsetsCheck(masked=masked)
    for row in rows:
        check.add(row)
    return check.misfits()


class OffsetsCheck:
    """:func:`misfits`, a row at a time (a reader that serves several checks at once
    hands each row over as it reads it): :meth:`add` each row, then :meth:`misfits` once.
    Holds (passage index, start, end, id) of each row with offsets until then."""

    def __init__(self, *, masked: bool) -> None:
        self.masked = masked
        self.found: dict[str, list[str]] = defaultdict(list)
        self.docs: dict[tuple[str, str, str], list[tuple[int, int, int, str]]] = defaultdict(list)

    def add(self, row: dict[str, Any]) -> None:
        """Check one row's own offsets and keep its place in its document."""
        start, end, text = row.get("start"), row.get("end"), row.get("text")
        rid = str(row.get("id"))
        if not isinstance(start, int) or not isinstance(end, int):
            return
        found = self.found
        if start < 0 or end < start:
            found[f"start/end out of order or negative (start {start}, end {end})"].append(rid)
            return
        if not self.masked and isinstance(text, str) and end - start != len(text):
            found["end - start is not the length of the row's text"].append(rid)
        if not self.masked and start != 0 and _whole(row):
            found[
                "its text is the whole document (its SHA-256), yet it does not start at 0"
            ].append(rid)
        index = row.get("passage_index")
        if isinstance(index, int):
            # one cut of one document: another ingest run may have cut it otherwise
            key = (
                str(row.get("doc_id") or rid),
                str(row.get("document_sha256")),
                str(row.get("ingest_run")),
            )
            self.docs[key].append((index, start, end, rid))

    def misfits(self) -> dict[str, list[str]]:
        """What does not fit of the rows added (as :func:`misfits` gives it)."""
        found = self.found
        for passages in self.docs.values():
            passages.sort()
            for (_, _, before_end, _), (_, start, _, rid) in pairwise(passages):
                if start < before_end:
                    found["overlaps or comes before the passage before it in its document"].append(
                        rid
                    )
        return dict(found)


@dataclass
class OffsetsFit:
    """What :func:`offset_misfits` found: ``misfits`` (path relative to the corpus, what),
    ``checked`` (rows ingest cut, with offsets, measured) and ``passed_over`` (rows with
    offsets no recorded ingest run cut: a table of the user's own, whose start/end need
    not be character offsets)."""

    misfits: list[tuple[str, str]] = field(default_factory=list)
    checked: int = 0
    passed_over: int = 0

    def add(self, rel: str, one: FileOffsets) -> None:
        """Take in the check of the file ``rel`` (read whole: an unreadable one is not
        added)."""
        self.checked += one.checked
        self.passed_over += one.passed_over
        said = one.said()
        if said is not None:
            self.misfits.append((rel, said))


class FileOffsets:
    """The offsets check of one JSONL file's rows, a row at a time (:meth:`add`): of the
    rows ingest cut (``ingest_run`` one of ``runs``), counted in ``checked``; rows with
    offsets from no recorded run are counted in ``passed_over``; rows without offsets
    are passed over uncounted (exports made before they were written)."""

    def __init__(self, *, masked: bool, runs: Collection[str]) -> None:
        self.runs = runs
        self.check = OffsetsCheck(masked=masked)
        self.checked = 0
        self.passed_over = 0

    def add(self, row: dict[str, Any]) -> None:
        if not isinstance(row.get("start"), int) or not isinstance(row.get("end"), int):
            return  # no offsets (exports made before they were written)
        if str(row.get("ingest_run")) in self.runs:
            self.checked += 1
            self.check.add(row)
        else:
            self.passed_over += 1

    def said(self) -> str | None:
        """The mismatch's text for the file, or None when its offsets fit."""
        found = self.check.misfits()
        if not found:
            return None
        said = "; ".join(
            f"{what}: {listed(ids[:NAMED_ROWS], len(ids))}" for what, ids in found.items()
        )
        return f"passage offsets do not fit the rows ({said}); {FIX}"


def offset_misfits(
    corpus: Path, splits: Iterable[str], *, masked: bool, runs: Collection[str]
) -> OffsetsFit:
    """The JSONL files of ``splits`` whose rows' offsets do not fit (:func:`misfits`),
    as (path relative to ``corpus``, what), of the rows ingest cut: those whose
    ``ingest_run`` is one of ``runs`` (the manifest's ``ingest_runs.runs`` ids); a row
    with offsets from no recorded run is counted in ``passed_over``. A missing or
    unreadable file is passed over (its own mismatch names it). A document's passages
    are all in one split (export splits by document), so each file is read on its own."""
    out = OffsetsFit()
    for split in splits:
        rel = f"jsonl/{split}.jsonl"
        one = FileOffsets(masked=masked, runs=runs)
        try:
            for _, row in jsonl_rows(corpus / rel):
                one.add(row)
        except (OSError, ValueError):
            continue
        out.add(rel, one)
    return out
