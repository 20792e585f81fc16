"""``ingest --skip-bad-lines``: the JSONL and CSV lines that are no row, kept aside.

Without the option a line that is no row (not valid JSON, a JSON value that is not an
object, a CSV row with more fields than its header, a field whose quotes do not pair up)
refuses its whole file. With it, each such line is skipped, counted, and written with
its file, line number, the reason and its raw text to a rejects file beside the output
(:func:`rejects_path`), so that nothing read is lost: fixed, the lines can be ingested in
a run of their own with ``--previous``. The rejects file is written whole by each run
(never appended to: a run again gives the same file, not the lines twice), and only
when the run's output is; a run with no bad line removes an earlier run's. Under
``--redact`` the raw text is masked as the passages are. A skipped line keeps its place:
the rows after it keep the positions (``FILE#N``) they would have had without it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from annotate._util.repeated import FirstFew

if TYPE_CHECKING:
    from annotate.audit.redact import Redactor
    from annotate.tables import OnBadLine

log = logging.getLogger(__name__)

BAD_LINE = "bad lines skipped (--skip-bad-lines)"  # FirstFew kind
LISTED = 20  # bad lines named in the run record (all of them in the rejects file)


def rejects_path(out: str | os.PathLike[str]) -> Path:
    """Where the rejects of a run writing ``out`` go: ``OUT.rejects.jsonl`` beside it
    (``passages.parquet`` -> ``passages.parquet.rejects.jsonl``): named after the whole
    name, so that ``x.jsonl`` and ``x.parquet`` each have their own (break11 L3)."""
    out = Path(out)
    return out.with_name(f"{out.name}.rejects.jsonl")


def remove_stale_rejects(out: str | os.PathLike[str]) -> None:
    """Remove the rejects file an earlier run with ``--skip-bad-lines`` wrote beside
    ``out``, now that a run without the option replaced ``out``: it no longer describes
    it (break11 L3)."""
    path = rejects_path(out)
    if path.is_file():
        path.unlink()
        log.warning(
            "%s removed: it held the bad lines of an earlier run writing %s, which this run "
            "replaced",
            path,
            Path(out).name,
        )


def refuse_unwritable_rejects(out: str | os.PathLike[str]) -> None:
    """InputError, before any work, when the rejects path of ``out`` is a folder or
    another thing that is no file (break11 L2: a traceback after --out was written)."""
    from annotate.errors import InputError

    path = rejects_path(out)
    if path.exists() and not path.is_file():
        raise InputError(
            f"{path} is a folder (or another thing that is no file): --skip-bad-lines "
            "writes the bad lines of this run there; nothing was written.",
            fix=f"move or rename {path}, or write --out under another name.",
        )


class BadLines:
    """The bad lines of one run, spooled to a temporary file until the run's output is
    written (:meth:`write`). ``count``: how many; ``files``: per input file (as messages
    name it), how many."""

    def __init__(self, said: FirstFew | None = None, out: str | os.PathLike[str] = "") -> None:
        self.count = 0  # bad rows (records in the rejects file)
        self.lines = 0  # the file lines they span (a quoted field may run over lines)
        self.files: dict[str, int] = {}
        self.said = said
        self.rejects = rejects_path(out).name if out else None
        self.first: list[dict[str, object]] = []  # the first LISTED, without their text
        self._spool = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed by close())

    def teller(self, shown: str, input_file: str) -> OnBadLine:
        """The :data:`annotate.tables.OnBadLine` of one input: ``shown`` as messages name
        it, ``input_file`` as the passages' ``input_file`` does."""

        def tell(line: int, why: str, raw: str) -> None:
            raw = raw.removesuffix("\n").removesuffix("\r")
            # a row whose quoted field runs over lines is as many lines lost (break11 M5)
            spans = raw.count("\n") + 1
            self.count += 1
            self.lines += spans
            self.files[shown] = self.files.get(shown, 0) + 1
            record: dict[str, object] = {"input_file": input_file, "line": line, "reason": why}
            if spans > 1:
                record["lines"] = spans
            if len(self.first) < LISTED:
                self.first.append(dict(record))
            record["raw"] = raw
            self._spool.write(json.dumps(record, ensure_ascii=False) + "\n")
            said = self.said if self.said is not None else FirstFew()
            if spans > 1:
                said.warn(
                    log,
                    BAD_LINE,
                    "%s lines %d-%d (%d lines, read as one row: a quoted field runs over "
                    "them): %s; skipped, all %d (--skip-bad-lines)",
                    shown,
                    line,
                    line + spans - 1,
                    spans,
                    why,
                    spans,
                )
            else:
                said.warn(
                    log, BAD_LINE, "%s line %d: %s; skipped (--skip-bad-lines)", shown, line, why
                )

        return tell

    def write(self, out: str | os.PathLike[str], redactor: Redactor | None = None) -> Path | None:
        """Write the rejects file of ``out`` (replacing an earlier run's), or remove an
        earlier run's when there is no bad line; the path written, or None."""
        from annotate._util.atomic import atomic_output

        path = rejects_path(out)
        if not self.count:
            if path.is_file():  # said as a run without the option says it (break12 L4)
                path.unlink()
                log.warning(
                    "%s removed: it held the bad lines of an earlier run writing %s; this run "
                    "skipped no line",
                    path,
                    Path(out).name,
                )
            return None
        self._spool.seek(0)
        from annotate.audit.redact import masked_file_name

        with atomic_output(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
            for line in self._spool:
                if redactor is not None:  # masked as the passages are
                    record = json.loads(line)
                    record["input_file"] = masked_file_name(redactor, record["input_file"])
                    record["raw"] = redactor.text(record["raw"])
                    line = json.dumps(record, ensure_ascii=False) + "\n"
                fh.write(line)
        return path

    def record(self, redactor: Redactor | None = None) -> dict[str, object] | None:
        """The run record's ``bad_lines_skipped``: how many, the rejects file's name and
        the first :data:`LISTED` (input file, line, reason; their text is in the rejects
        file only); None when none was skipped."""
        if not self.count:
            return None
        first = [dict(r) for r in self.first]
        if redactor is not None:
            from annotate.audit.redact import masked_file_name

            for r in first:
                r["input_file"] = masked_file_name(redactor, str(r["input_file"]))
        found: dict[str, object] = {"count": self.count, "rejects_file": self.rejects}
        if self.lines != self.count:
            found["lines"] = self.lines
        found["first"] = first
        if self.count > len(first):
            found["rest"] = f"the first {len(first)} are listed; the rejects file holds each"
        return found

    def close(self) -> None:
        self._spool.close()
