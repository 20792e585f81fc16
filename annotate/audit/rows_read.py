"""One read of an export's JSONL rows for every check `annotate verify` makes of them.

Verify checks the rows of ``jsonl/*.jsonl`` four ways: the digest of their content
(:func:`annotate.audit.verify.content_sha256`), the three formats side by side
(:func:`annotate.audit.formats.compare_split`), the passage offsets
(:mod:`annotate.audit.offsets_fit`) and each row's split (:mod:`annotate.audit.splits_fit`).
Each used to read and parse every JSONL file itself: four reads of the largest files of
the export. :func:`read_rows` reads each file once and hands every row to each check as
it goes (the format comparison pulls the rows, the others take them as they pass), and,
for an export with decision records, keeps the rows those records are checked against
(:func:`annotate.audit.decision_records.records_differing`: a second read before), with
what each check did before when a file cannot be read: the content digest is None, the
formats' mismatch names the error, the offsets of the file are passed over and the
splits are not recomputed.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import logging
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotate._util.os_files import without_os_files
from annotate._util.progress import ProgressFn, advance
from annotate.audit.formats import FormatDiff, compare_split, jsonl_rows
from annotate.audit.offsets_fit import FileOffsets, OffsetsFit
from annotate.audit.reports_digest import EXPORT_TIME_FIELDS, canonical

log = logging.getLogger(__name__)

PROGRESS_ROWS = 1_000  # rows read between progress calls


@dataclass
class RowsRead:
    """What :func:`read_rows` gathered.

    ``content_sha256``: :func:`annotate.audit.verify.content_sha256` of the rows of
    ``jsonl/*.jsonl``; None when a file could not be read. ``formats``: split -> its
    :class:`~annotate.audit.formats.FormatDiff`, or the error that stopped the comparison,
    for the splits compared. ``offsets``: the offsets check of the splits' files.
    ``split_rows``: :func:`~annotate.audit.splits_fit.kept_row` of each row of the splits'
    files, in the splits' order; None when not asked for or a file could not be read.
    ``by_id``: row id -> the row without :data:`UNTIMED`, of every row of
    ``jsonl/*.jsonl`` (a row without an id: ``{file name}:{line number}``; a repeated id:
    its last row), for the decision records check; None when not asked for or a file
    could not be read."""

    content_sha256: str | None = None
    formats: dict[str, FormatDiff | Exception] = field(default_factory=dict)
    offsets: OffsetsFit = field(default_factory=OffsetsFit)
    split_rows: list[dict[str, Any]] | None = None
    by_id: dict[str, dict[str, Any]] | None = None


def read_rows(
    corpus: Path,
    splits: list[str],
    compared: Collection[str],
    *,
    masked: bool,
    runs: Collection[str],
    kept: tuple[str, ...] | None,
    by_id: bool = False,
    progress: ProgressFn | None = None,
) -> RowsRead:
    """Read every ``jsonl/*.jsonl`` file of ``corpus`` once (see the module).

    ``splits``: the manifest's split names (each ``jsonl/{split}.jsonl``), in its order;
    ``compared``: those whose three formats are compared (the others have a file missing,
    named already). ``masked`` and ``runs``: as
    :func:`annotate.audit.offsets_fit.offset_misfits` takes them. ``kept``: the fields
    the splits are recomputed from (:func:`annotate.audit.splits_fit.kept_fields`), None:
    not recomputed. ``by_id``: keep the rows by id (:attr:`RowsRead.by_id`; held in
    memory, whole but for their export time). ``progress``: called with the number of
    rows read. Never raises for an unreadable file: each check records it as it did on
    its own read."""
    out = RowsRead()
    content = SortedDigest()
    rows_by_id: dict[str, dict[str, Any]] | None = {} if by_id else None
    by_name = {f"{split}.jsonl": split for split in splits}
    offsets: dict[str, FileOffsets] = {}  # per split whose file was read whole
    kept_rows: dict[str, list[dict[str, Any]]] = {}  # likewise
    unread = False  # a file could not be read (whole)
    for path in without_os_files(sorted((corpus / "jsonl").glob("*.jsonl"))):
        split = by_name.get(path.name)
        reading = _Reading(
            path, split, masked=masked, runs=runs, kept=kept, content=content, by_id=rows_by_id
        )
        rows = reading.rows(progress)
        if split in compared:
            try:
                out.formats[split] = compare_split(corpus, split, rows)
            except (OSError, ValueError) as exc:  # pyarrow errors derive from these
                out.formats[split] = exc
        if reading.failed is None:
            # what the comparison did not read (it stopped, or none ran)
            with contextlib.suppress(OSError, ValueError):  # kept in reading.failed
                for _ in rows:
                    pass
        rows.close()
        if reading.failed is not None:
            log.info("%s cannot be read: %s", path, reading.failed)
            unread = True
        elif split is not None:
            offsets[split] = reading.offsets
            kept_rows[split] = reading.kept_rows
    for split in splits:  # a split whose file is not there: as its own read found it
        if split in compared and split not in out.formats:
            try:
                out.formats[split] = compare_split(corpus, split)
            except (OSError, ValueError) as exc:
                out.formats[split] = exc
    if unread:
        content.close()
    else:
        out.content_sha256 = content.hexdigest()
        out.by_id = rows_by_id
    for split in splits:
        if split in offsets:
            out.offsets.add(f"jsonl/{split}.jsonl", offsets[split])
    if kept is not None and all(split in kept_rows for split in splits):
        out.split_rows = [row for split in splits for row in kept_rows[split]]
    return out


UNTIMED = frozenset(EXPORT_TIME_FIELDS)
SORT_RUN_BYTES = 32 * 2**20  # content lines held in memory before a sorted run is spilled


class SortedDigest:
    """The SHA-256 of lines added in any order, taken over them sorted, each followed by
    a newline (:func:`annotate.audit.verify.lines_sha256`), in bounded memory: lines are
    held as UTF-8 (whose byte order is the order of the code points, as ``str`` sorts),
    and every ``run_bytes`` of them are sorted and written to an anonymous temporary file
    (it holds the rows' text: removed by the system when closed, or when the process
    dies), then merged (:func:`heapq.merge`). A line that cannot be encoded (a lone
    surrogate) makes the digest None, as the digest of the lines whole raises then."""

    def __init__(self, run_bytes: int = SORT_RUN_BYTES) -> None:
        self.run_bytes = run_bytes
        self.lines: list[bytes] = []
        self.held = 0
        self.runs: list[IO[bytes]] = []
        self.unencodable = False

    def add(self, line: str) -> None:
        try:
            data = line.encode("utf-8")
        except UnicodeEncodeError:
            self.unencodable = True
            return
        self.lines.append(data)
        self.held += len(data)
        if self.held >= self.run_bytes:
            self._spill()

    def _spill(self) -> None:
        self.lines.sort()
        run = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close(), after the merge)
        run.writelines(line + b"\n" for line in self.lines)
        run.seek(0)
        self.runs.append(run)
        self.lines, self.held = [], 0

    def hexdigest(self) -> str | None:
        """The digest of every line added (None: one could not be encoded); once."""
        if self.unencodable:
            self.close()
            return None
        self.lines.sort()
        h = hashlib.sha256()
        spilled = [(line[:-1] for line in run) for run in self.runs]
        for line in heapq.merge(*spilled, self.lines):
            h.update(line + b"\n")
        self.close()
        return h.hexdigest()

    def close(self) -> None:
        for run in self.runs:
            run.close()
        self.runs, self.lines, self.held = [], [], 0


class _Reading:
    """One JSONL file read once: :meth:`rows` yields its rows and hands each to the
    content digest's lines (``content``) and the rows kept by id (``by_id``, when not
    None), and, for a split's file, to its offsets check and the rows kept for the split
    recompute; ``failed``: the error that stopped it."""

    def __init__(
        self,
        path: Path,
        split: str | None,
        *,
        masked: bool,
        runs: Collection[str],
        kept: tuple[str, ...] | None,
        content: SortedDigest,
        by_id: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.path = path
        self.by_id = by_id
        self.split = split
        self.content = content
        self.offsets = FileOffsets(masked=masked, runs=runs)
        self.kept = kept if split is not None else None
        self.kept_rows: list[dict[str, Any]] = []
        self.failed: Exception | None = None

    def rows(self, progress: ProgressFn | None) -> Iterator[dict[str, Any]]:
        # imported here: it imports the near-duplicate search (DuckDB, NumPy)
        from annotate.audit.splits_fit import kept_row

        n = 0
        split, kept, by_id = self.split, self.kept, self.by_id
        try:
            for line_no, row in jsonl_rows(self.path):
                untimed = {k: v for k, v in row.items() if k not in UNTIMED}
                self.content.add(canonical(untimed))
                if by_id is not None:  # as verify.content_lines names the row
                    by_id[str(row.get("id", f"{self.path.name}:{line_no}"))] = untimed
                if split is not None:
                    self.offsets.add(row)
                    if kept is not None:
                        self.kept_rows.append(kept_row(row, kept, split))
                n += 1
                if n == PROGRESS_ROWS:
                    advance(progress, n)
                    n = 0
                yield row
        except (OSError, ValueError) as exc:  # JSON errors derive from ValueError
            self.failed = exc
            raise
        finally:
            advance(progress, n)
