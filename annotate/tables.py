"""Reading and writing the tables that join the stages (JSONL, CSV, Parquet).

Reads stream in batches of rows (dicts); writes go to a hidden partial file that is
renamed into place only when the writer closes cleanly, so a failed run never leaves an
output file that looks complete.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import shlex
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from annotate._util.atomic import (
    commit,
    commit_durably,
    discard,
    discard_stale_partials,
    disk_full_named,
    require_no_file_in_the_way,
    temp_sibling,
)
from annotate._util.encoding import decode_error, file_codec, strip_bom
from annotate._util.near_paths import missing_path_fix
from annotate.errors import EmptyTableError, InputError, SchemaError

if TYPE_CHECKING:  # imported where used: a command that reads JSONL never loads pyarrow
    import pyarrow as pa
    import pyarrow.parquet as pq

log = logging.getLogger(__name__)

TABLE_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",  # read as CSV with a tab between fields (csv_delimiter)
    ".parquet": "parquet",
}
OUTPUT_SUFFIXES = {".jsonl": "jsonl", ".parquet": "parquet"}

Row = dict[str, Any]
# with ``--skip-bad-lines``: called with (line number, why, the raw text) for each JSONL
# or CSV line that is no row, which is then skipped (the reader yields (where, None) in
# its place, so later rows keep their positions); None: such a line is an error
OnBadLine = Callable[[int, str, str], None]


def ignore_bad_line(line: int, why: str, raw: str) -> None:
    """An :data:`OnBadLine` for a second read of a file whose bad lines are told once."""


E = TypeVar("E", bound=InputError)


def bad_line_error(error: E) -> E:
    """``error``, marked as one of a line that is no row (``error.bad_line``), which
    ``ingest --skip-bad-lines`` would have skipped: ingest's error names the option."""
    error.bad_line = True  # type: ignore[attr-defined]
    return error


def table_format(path: Path, *, output: bool = False, stem: str = "out") -> str:
    """ "jsonl", "csv" or "parquet" by the file's extension (outputs: jsonl or parquet).

    Raises InputError for another extension, a path that is a folder, or (an input) one
    that does not exist. ``stem``: the file name an output's fix suggests in a folder
    (``--out some_folder/`` -> ``--out some_folder/prelabels.parquet``).
    """
    if output and path.is_dir():
        raise InputError(
            f"--out {path} is a folder; expected the name of a table file to write.",
            fix=f"name a file in it, e.g. --out {path / stem}.parquet, or another file: "
            f"--out {path.name.rsplit('.', 1)[0] or stem}.jsonl.",
        )
    if output and not path.suffix:
        # a folder that does not exist yet (`--out results/`: the trailing / is gone from
        # the Path) or a name without its extension
        raise InputError(
            f"--out {path} names no table file (no .jsonl or .parquet extension); a folder "
            "is not written into.",
            fix=f"name the file, e.g. --out {path / stem}.parquet to write into that folder, "
            f"or --out {path}.parquet.",
        )
    if not output and path.is_dir():
        raise InputError(
            f"{path} is a folder; expected a table file ({', '.join(sorted(TABLE_SUFFIXES))}).",
            fix="pass the table itself: the --out file of the stage before (`annotate "
            "prelabel` for push; `annotate ingest` for prelabel).",
        )
    if not output and not path.exists():
        # a mistyped path: push and the gold table read it here first (a traceback before)
        raise InputError(f"{path}: no such file.", fix=missing_path_fix(path))
    suffixes = OUTPUT_SUFFIXES if output else TABLE_SUFFIXES
    fmt = suffixes.get(path.suffix.lower())
    if fmt is None:
        kind = "output" if output else "input table"
        raise InputError(
            f"{path}: unsupported {kind} type {path.suffix or '(no extension)'!r}; "
            f"expected one of {', '.join(sorted(suffixes))}.",
            fix=f"name it .parquet or .jsonl, e.g. --out {path.with_suffix('.parquet')} "
            "(convert that to CSV afterwards if a spreadsheet needs it)."
            if output
            else _input_type_fix(path),
        )
    return fmt


# spreadsheet workbooks: no table annotate reads; their program saves one as CSV
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".numbers"})


def _input_type_fix(path: Path) -> str:
    """The fix for an input table of an extension no reader takes: a workbook is saved as
    CSV, a JSON file written one object a line (renaming either reads no table)."""
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return (
            "save the sheet as CSV from the spreadsheet program (Save As / Download as: CSV, "
            f"one sheet), e.g. {path.with_suffix('.csv')}, and pass that file."
        )
    if suffix == ".json":
        return (
            "write it as JSON Lines, one object a line (a JSON array is not read), e.g. "
            f"{path.with_suffix('.jsonl')}, and pass that file."
        )
    return "rename the file with the right extension or convert it."


def refuse_document(path: Path, steps: str) -> None:
    """InputError when ``path`` is a text document (``.txt``/``.md``, what ingest reads)
    given where a table of passages is expected; ``steps``: the commands that make that
    table from it (the generic "rename the file" would not help)."""
    from annotate.ingestion.readers import TEXT_SUFFIXES

    if path.suffix.lower() in TEXT_SUFFIXES:
        raise InputError(
            f"{path} is a text document; expected a table of passages "
            f"({', '.join(sorted(TABLE_SUFFIXES))}).",
            fix=f"split it into passages first: {steps}.",
        )


def documents_table_fix(path: Path, columns: Sequence[str], then: str) -> str | None:
    """The fix for a table of documents (a comments or forum export, transcripts) given
    where a table of passages is expected: without an ``id`` or a ``text`` column it was
    most likely never split by `annotate ingest`, so the fix is that command, with the
    ``--delimiter``, ``--text-column`` and ``--id-column`` its columns suggest, each
    quoted for a POSIX shell (a path or column with spaces or quotes pastes as one word);
    ``then``: what to do with ingest's output. None when both columns are there."""
    from annotate.ingestion.passage_tables import passages_table_kind
    from annotate.ingestion.readers import DELIMITERS, delimiter_name, id_like, text_columns

    have = list(columns)
    if "id" in have and "text" in have:
        return None
    options = []
    read_with = csv_delimiter(path)
    if len(have) == 1 and table_format(path) == "csv":  # read with the wrong delimiter
        found = [d for d in DELIMITERS if d != read_with and d in have[0]]
        if found:
            options.append(f"--delimiter {delimiter_name(found[0])}")
            # the header as that delimiter reads it: quoted names lose their quotes
            have = next(csv.reader([have[0]], delimiter=found[0]), have)
            if passages_table_kind(have) is not None:  # ingest refuses passages
                return _other_separator_fix(
                    found[0], "a table of passages (`annotate ingest` refuses one)"
                )
            if "gold_labels" in have:  # ingest would keep the gold answers in meta only
                return _other_separator_fix(
                    found[0],
                    "a gold sheet (`annotate ingest` would read it as documents and keep "
                    "its gold_labels in meta, where no gold table finds them)",
                )
    if "text" not in have:
        texty = text_columns(have)
        options.append(
            f"--text-column {shlex.quote(texty[0])}" if texty else "--text-column COLUMN"
        )
    ids = [c for c in have if c != "id" and id_like(c)]
    if "id" not in have and ids:
        options.append(f"--id-column {shlex.quote(ids[0])}")
    command = " ".join(["annotate ingest", shlex.quote(str(path)), *options])
    return (
        f"if it holds documents not yet split into passages (a comments or forum export, "
        f"transcripts), split them first: `{command} --out passages.parquet`, then {then}; "
        "a table of passages "
        "needs the columns 'id' and 'text' (rename them)."
    )


def _other_separator_fix(separator: str, what: str) -> str:
    """The fix for ``what`` (a table of passages: ingest's or prelabel's columns; a gold
    sheet) saved as CSV with ``separator`` between its fields (a spreadsheet's CSV where
    the comma is the decimal mark: ';'), which is read with commas: the documents' fix,
    `annotate ingest --delimiter`, would be refused (passages) or lose the gold answers."""
    from annotate.ingestion.readers import delimiter_name

    return (
        f"its header, separated by {delimiter_name(separator)}, is that of {what}, saved "
        "with another separator than the comma CSV is read with. Save it again as "
        "comma-separated CSV (LibreOffice: Text CSV, field delimiter ','; Excel writes the "
        "list separator of the computer's region settings, ';' where the decimal mark is a "
        "comma), or pass the Parquet or JSONL file it was made from."
    )


BROKEN_LINES_SHOWN = 5  # further broken JSONL lines named in the error (all counted)


def _broken_lines(lines: Iterator[bytes], start: int, codec: str) -> tuple[list[int], int]:
    """The numbers of the lines of ``lines`` (the rest of a JSONL file, its first line
    numbered ``start``) that are no JSON object, and how many are one; blank lines and
    lines that do not decode (the file's encoding error is its own) are passed over."""
    broken = []
    good = 0
    for lineno, raw in enumerate(lines, start=start):
        try:
            line = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line.rstrip("\r\n"))
        except (json.JSONDecodeError, RecursionError):
            broken.append(lineno)
            continue
        if not isinstance(value, dict):
            broken.append(lineno)
        else:
            good += 1
    return broken, good


def _one_line_command(code: str, path: Path, out: Path) -> str:
    """A shell line that runs the Python ``code`` (no single quote in it) on ``path``,
    its output to ``out`` in a new folder: ``mkdir -p ... && python3 -c 'exec("...")'``."""
    assert "'" not in code
    return (
        f"mkdir -p {shlex.quote(str(out.parent))} && python3 -c 'exec({json.dumps(code)})' "
        f"{shlex.quote(str(path))} > {shlex.quote(str(out))}"
    )


def _check_codec(codec: str) -> str:
    return "utf-8-sig" if codec.replace("_", "-").lower() in ("utf-8", "utf8") else codec


def _good_copy(path: Path, folder: Path | None) -> tuple[Path, str, str]:
    """Where a JSONL file's repaired copy goes (``good/NAME`` beside it; for a file read
    under an input ``folder``: beside the folder, since a copy inside it would be read
    too), where that is in words, and what to do with it then (break9 N9: `ingest good`
    left the folder's other files out)."""
    if folder is None:
        return path.parent / "good" / path.name, "", ", and ingest that instead"
    good = folder.parent / "good" / path.name
    kept = folder.parent / f"{path.name}.broken"
    return (
        good,
        f" outside the input folder {folder} (a copy inside it would be read too)",
        f"; then move the original out of the folder and the copy in: `mv "
        f"{shlex.quote(str(path))} {shlex.quote(str(kept))} && mv {shlex.quote(str(good))} "
        f"{shlex.quote(str(path))}`, and ingest {shlex.quote(str(folder))} again",
    )


class JsonlCopyError(InputError):
    """A JSONL file's error whose fix holds a command writing a repaired copy beside the
    file; ``refix(folder)``: its fix for a file read under the input ``folder``."""

    def __init__(self, what: str, *, make_fix: Callable[[Path | None], str]) -> None:
        super().__init__(what, fix=make_fix(None))
        self.make_fix = make_fix

    def refix(self, folder: Path) -> JsonlCopyError:
        again = JsonlCopyError(self.what, make_fix=lambda _: self.make_fix(folder))
        return bad_line_error(again) if getattr(self, "bad_line", False) else again


def good_lines_fix(path: Path, codec: str, folder: Path | None = None) -> str:
    """The part of a broken JSONL file's fix that reads the rest now: a shell line that
    copies the lines that are JSON objects, byte for byte (``codec``: the file's, a
    UTF-8 byte-order mark allowed), to a file of the same name in a folder ``good`` beside
    it, to ingest instead (passI53 I10: a dump of a million lines with a few broken ones
    could only be edited by hand), and says how many lines it kept and dropped (break9
    N15: it dropped lines without a word). One line, standard library only."""
    code = (
        "import json, sys\n"
        "kept = dropped = 0\n"
        'for raw in open(sys.argv[1], "rb"):\n'
        f" try: ok = isinstance(json.loads(raw.decode({_check_codec(codec)!r})), dict)\n"
        " except (ValueError, RecursionError): ok = False\n"
        " if ok: sys.stdout.buffer.write(raw); kept += 1\n"
        " elif raw.strip(): dropped += 1\n"
        'print("kept %d line(s); dropped %d line(s) that are not one JSON object each" '
        "% (kept, dropped), file=sys.stderr)\n"
    ).replace("'", '"')
    good, where, then = _good_copy(path, folder)
    return (
        "To read the other lines now, copy them to a file of the same name in a new "
        f"folder{where} (the command says how many lines it dropped): "
        f"`{_one_line_command(code, path, good)}`{then}."
    )


SPREAD_CHECKED_BYTES = 256 * 2**20  # a larger file is not read whole to tell it


def _objects_spread(path: Path, codec: str) -> tuple[int, bool] | None:
    """(objects, is one array) when the file at ``path`` is whole JSON written over
    several lines: JSON objects one after another (pretty-printed, ``json.dumps(indent=2)``
    each, or some on one line and some not), or one array of objects; None otherwise
    (or when it is larger than :data:`SPREAD_CHECKED_BYTES`, or does not decode)."""
    try:
        if path.stat().st_size > SPREAD_CHECKED_BYTES:
            return None
        text = path.read_text(encoding=_check_codec(codec))
    except (OSError, UnicodeDecodeError, LookupError):
        return None
    from json.decoder import WHITESPACE

    decoder = json.JSONDecoder()
    i = WHITESPACE.match(text).end()
    values = []
    try:
        while i < len(text):
            value, i = decoder.raw_decode(text, i)
            values.append(value)
            i = WHITESPACE.match(text, i).end()
    except (json.JSONDecodeError, RecursionError):
        return None
    if len(values) == 1 and isinstance(values[0], list):
        objects = values[0]
        return (
            (len(objects), True) if objects and all(isinstance(o, dict) for o in objects) else None
        )
    if values and all(isinstance(v, dict) for v in values):
        return len(values), False
    return None


def one_object_a_line_fix(path: Path, codec: str, array: bool, folder: Path | None = None) -> str:
    """A shell line that writes each JSON object of the file at ``path`` (objects over
    several lines, or one array of them) on a line of its own, as UTF-8, to a file of the
    same name in a folder ``good`` beside it, and says how many it wrote."""
    code = (
        "import json, sys\n"
        "from json.decoder import WHITESPACE as W\n"
        f"t = open(sys.argv[1], encoding={_check_codec(codec)!r}).read()\n"
        "d = json.JSONDecoder(); i = W.match(t).end(); n = 0\n"
        "while i < len(t):\n"
        " v, i = d.raw_decode(t, i); i = W.match(t, i).end()\n"
        " for o in (v if isinstance(v, list) else [v]):\n"
        '  sys.stdout.buffer.write((json.dumps(o, ensure_ascii=False) + "\\n").encode()); n += 1\n'
        'print("wrote %d object(s), one a line" % n, file=sys.stderr)\n'
    ).replace("'", '"')
    good, where, then = _good_copy(path, folder)
    return (
        f"write each object on a line of its own (JSONL) to a file of the same name in a new "
        f"folder{where}: `{_one_line_command(code, path, good)}` (or with jq: `jq -c "
        f"{shlex.quote('.[]') if array else '.'} {shlex.quote(str(path))} > "
        f"{shlex.quote(str(good))}`){then}."
    )


def iter_jsonl(
    path: Path, *, encoding: str | None = None, codec: str | None = None
) -> Iterator[Row]:
    """Rows of a JSONL file; a broken line is an error naming the line."""
    return (row for _, row in iter_jsonl_located(path, encoding=encoding, codec=codec))


def iter_jsonl_located(
    path: Path,
    *,
    encoding: str | None = None,
    codec: str | None = None,
    on_bad: OnBadLine | None = None,
) -> Iterator[tuple[str, Row]]:
    """``("line M", row)`` for each row of a JSONL file (lines counted from 1, blank
    lines skipped but counted); a broken line is an error naming the line, or, with
    ``on_bad``, told to it and yielded as ``("line M", None)``. A file of pretty-printed
    JSON (no line of it a row) is an error either way. ``encoding``: the fallback codec
    of a file that is not UTF-8, ``codec``: the file's codec when already chosen
    (:func:`annotate._util.encoding.file_codec`)."""
    n = 0
    bad = 0
    spread: tuple[int, bool] | bool | None = False  # False: not looked at yet
    codec = file_codec(path, encoding, codec).removesuffix("-sig")  # the BOM: dropped below
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            try:
                line = raw.decode(codec)
            except UnicodeDecodeError:
                raise decode_error(path) from None
            if lineno == 1:
                line = strip_bom(line, codec)
            if not line.strip():
                continue
            try:  # without the line end: an error at the end of the line names its column
                row = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                cut = exc.msg.startswith("Unterminated") or exc.pos >= len(line.rstrip()) - 1
                if on_bad is not None:
                    if spread is False:  # pretty-printed JSON is no file of bad lines
                        spread = _objects_spread(path, codec)
                    if spread is None:
                        last = " (the last line, without a line end: cut short?)"
                        on_bad(
                            lineno,
                            f"not valid JSON ({exc.msg.removesuffix(' at')} at column "
                            f"{exc.colno})" + (last if cut and not raw.endswith(b"\n") else ""),
                            line,
                        )
                        bad += 1
                        yield f"line {lineno}", None
                        continue
                if cut and not raw.endswith(b"\n"):
                    # the last line, without a line end, broken at its end: cut short
                    raise bad_line_error(
                        InputError(
                            f"{path}: line {lineno}, the last, is not valid JSON "
                            f"({exc.msg.removesuffix(' at')} at column {exc.colno}) and has no "
                            "line end: the file looks cut short (a copy, a download or the "
                            "program writing it stopped midway).",
                            fix="get the whole file again; or delete that line (`sed -i '$d' "
                            f"{shlex.quote(str(path))}`) to read the rows before it.",
                        )
                    ) from None
                spread = _objects_spread(path, codec)
                if spread is not None:  # pretty-printed JSON, not JSONL (break9 N15)
                    count, array = spread
                    held = (
                        f"one JSON array of {count:,} object(s)"
                        if array
                        else f"{count:,} JSON object(s), some or all written over several lines"
                    )
                    raise JsonlCopyError(
                        f"{path}: line {lineno} is not valid JSON on its own "
                        f"({exc.msg.removesuffix(' at')} at column {exc.colno}): the file "
                        f"holds {held} (pretty-printed JSON), not JSONL, where each line "
                        "is one whole object; nothing in it is broken.",
                        make_fix=lambda folder, a=array: one_object_a_line_fix(
                            path, codec, a, folder
                        ),
                    ) from None
                # the lines after it, read now: one run names every broken line (passG52 G8)
                others, good = _broken_lines(fh, lineno + 1, codec)
                more = ""
                if others:
                    shown = ", ".join(map(str, others[:BROKEN_LINES_SHOWN]))
                    rest = ", ..." if len(others) > BROKEN_LINES_SHOWN else ""
                    more = (
                        f"; so {'is' if len(others) == 1 else 'are'} {len(others):,} more "
                        f"line(s) after it ({'line' if len(others) == 1 else 'lines'} "
                        f"{shown}{rest})"
                    )
                start = (
                    f"fix or delete {'those lines' if others else 'that line'}; every line "
                    "must be one JSON object."
                )
                kept = n + good  # no line would be kept: no command that copies the others
                broken = JsonlCopyError(
                    f"{path}: line {lineno} is not valid JSON "
                    f"({exc.msg.removesuffix(' at')} at column {exc.colno}){more}.",
                    make_fix=lambda folder, start=start, kept=kept: (
                        start + (" " + good_lines_fix(path, codec, folder) if kept else "")
                    ),
                )
                raise (bad_line_error(broken) if kept else broken) from None
            except RecursionError:  # [[[[...]]]] a few thousand deep: Python's JSON gives up
                if on_bad is not None:
                    on_bad(lineno, "nests arrays or objects too deeply to read", line)
                    bad += 1
                    yield f"line {lineno}", None
                    continue
                raise bad_line_error(
                    InputError(
                        f"{path}: line {lineno} nests arrays or objects too deeply to read "
                        f"(about {sys.getrecursionlimit():,} levels or more); expected a row of "
                        "data (an id, a text and a few fields).",
                        fix="delete or flatten that line; every line must be one JSON object.",
                    )
                ) from None
            if not isinstance(row, dict):
                if on_bad is not None and spread is False:
                    spread = _objects_spread(path, codec)
                if on_bad is not None and spread is None:
                    on_bad(lineno, f"a JSON {type(row).__name__}, not an object", line)
                    bad += 1
                    yield f"line {lineno}", None
                    continue
                spread = _objects_spread(path, codec) if isinstance(row, list) else None
                error = JsonlCopyError(
                    f"{path}: line {lineno} is a JSON {type(row).__name__}, expected an object.",
                    make_fix=lambda folder, spread=spread: (
                        'write one object per line, e.g. {"id": "1", "text": "..."}'
                        + (
                            "; " + one_object_a_line_fix(path, codec, True, folder)
                            if spread
                            else "."
                        )
                    ),
                )
                raise error if spread else bad_line_error(error)
            n += 1
            yield f"line {lineno}", row
    if n == 0 and bad:
        raise InputError(
            f"{path}: none of its {bad:,} line(s) is a JSON object (--skip-bad-lines skips "
            "the bad lines of a file, not a whole file of them); expected one JSON object "
            "a line.",
            fix='write one object per line, e.g. {"id": "1", "text": "..."}, or check that '
            "this is the file meant.",
        )
    if n == 0:
        raise EmptyTableError(f"{path}: the file has no rows.", fix="pass a non-empty file.")


# Python's csv module refuses fields over 128 KiB by default; a pasted manifesto or a
# long forum thread is longer, and the documents are bounded by memory, not by this.
CSV_FIELD_LIMIT = 2**31 - 1


def iter_csv_located(
    path: Path,
    *,
    delimiter: str = ",",
    encoding: str | None = None,
    codec: str | None = None,
    on_bad: OnBadLine | None = None,
) -> Iterator[tuple[str, Row]]:
    """``("row N (line M)", row)`` for each row of a CSV file: N counts the data rows
    from 1 (the header is not one), M is the file line the row starts on (the header
    is line 1; a quoted field may span lines, so M can run ahead of N + 1). ``delimiter``
    ``"\t"`` reads a TSV file.

    Raises InputError when the file is empty, has no rows, is not UTF-8 (nor
    ``encoding``, the fallback codec of a file that is not, or ``codec``, the file's
    codec when already chosen: :func:`annotate._util.encoding.file_codec`), or a row has
    more fields than the
    header (an unquoted comma would otherwise cut the text short and move the rest into
    other columns without a word), or a field's double quotes do not pair up; with
    ``on_bad``, such a row is told to it (with the lines it spans) and yielded as
    ``("row N (line M)", None)`` instead.
    """
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    codec = file_codec(path, encoding, codec)
    try:
        with path.open(encoding=codec, newline="") as fh:  # utf-8-sig: a BOM is dropped
            # strict: a double quote left open or followed by more text is an error, not
            # rows merged into one field (non-strict reads to the end of the file)
            lines = _Lines(fh)
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            rows = _strict(reader, path, lines, on_bad)
            header = next(rows, None)
            if header:  # a UTF-8 mark read as the fallback codec (utf-8-sig drops its own)
                header[0] = strip_bom(header[0], codec)
            if not header:
                raise EmptyTableError(
                    f"{path}: the file is empty.", fix="pass a CSV with a header row."
                )
            require_distinct_columns(path, header)
            n = 0
            bad = 0
            end = lines.number  # the last line read so far
            lines.taken.clear()
            for values in rows:
                start, end = end + 1, lines.number
                raw = "".join(lines.taken)
                lines.taken.clear()
                if values is None:  # told to on_bad by _strict
                    n += 1
                    bad += 1
                    yield f"row {n} (line {start})", None
                    continue
                if not values:  # a blank line, as DictReader skips it
                    continue
                n += 1
                if len(values) > len(header) and on_bad is not None:
                    why = (
                        f"{len(values)} fields, the header has {len(header)} (a value with "
                        "a comma that is not in double quotes?)"
                    )
                    on_bad(start, why, raw)
                    bad += 1
                    yield f"row {n} (line {start})", None
                    continue
                if len(values) > len(header):
                    raise bad_line_error(
                        InputError(
                            f"{path}: row {n} (line {start}) has {len(values)} fields, "
                            f"the header has {len(header)} ({', '.join(map(repr, header))}); "
                            "a value with a comma that is not in double quotes?",
                            fix='put such values in double quotes ("a, b"), or save the table '
                            "again from the spreadsheet as CSV (it quotes them), or as JSONL.",
                        )
                    )
                row = {k: values[i] if i < len(values) else None for i, k in enumerate(header)}
                yield f"row {n} (line {start})", row
            if n == bad and bad:
                raise InputError(
                    f"{path}: none of its {bad:,} row(s) could be read (--skip-bad-lines "
                    "skips the bad rows of a table, not a whole table of them).",
                    fix="check the --delimiter and that this is the file meant; save the "
                    "table again from the spreadsheet as CSV or JSONL.",
                )
            if n == 0:
                raise EmptyTableError(f"{path}: the CSV has a header but no rows.", fix="add rows.")
    except UnicodeDecodeError:
        raise decode_error(path) from None


def require_distinct_columns(path: Path, columns: Sequence[str]) -> None:
    """InputError when two columns share a name: a row read as a dict keeps only the last
    of them, so the others' values (a second ``text`` column, a second ``title``) would be
    dropped without a word."""
    counts = Counter(columns)
    repeated = [name for name, n in counts.items() if n > 1]
    if repeated:
        raise InputError(
            f"{path}: the column name(s) {', '.join(map(repr, repeated))} appear more than "
            f"once ({', '.join(map(repr, columns))}); expected each column name once (only "
            "the last column of a name would be read, the others' values lost).",
            fix=f"rename or remove the repeated columns (e.g. the second {repeated[0]!r} to "
            f"{repeated[0] + '_2'!r}), then run the command again.",
        )


class _Lines:
    """The lines of a file as a ``csv.reader`` takes them, each kept in ``taken`` until
    cleared: the raw text of the row just read (a quoted field may span lines).
    ``number``: the file line last taken (lines given back by :meth:`again` not counted:
    the reader's own ``line_num`` counts them twice)."""

    def __init__(self, fh: Iterable[str]) -> None:
        self.lines = iter(fh)
        self.taken: list[str] = []
        self.number = 0
        self._again: list[str] = []  # lines to give the reader again, the next last

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._again.pop() if self._again else next(self.lines)
        self.number += 1
        self.taken.append(line)
        return line

    def again(self, lines: list[str]) -> None:
        """Give ``lines`` (taken, in file order) to the reader again."""
        self._again.extend(reversed(lines))
        self.number -= len(lines)


def _strict(
    reader: Any, path: Path, lines: _Lines | None = None, on_bad: OnBadLine | None = None
) -> Iterator[list[str] | None]:
    """The rows of a strict ``csv.reader``; its csv.Error (a quote left open, text after
    a closing quote) is an InputError naming the line where the bad row starts, or, with
    ``on_bad``, told to it with the row's raw text (``lines``) and yielded as None."""
    width: int | None = None  # the header's fields
    while True:
        start = (lines.number if lines is not None else reader.line_num) + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if on_bad is not None and start > 1:
                why = f"the double quotes of a field do not pair up ({exc})"
                after = lines.taken[1:] if lines is not None else []
                if lines is not None and after and "end of data" in str(exc):
                    # a quote left open to the end of the file ran on over the next lines
                    # (their rows): only the line it opened on is rejected, the others are
                    # read again as rows (break11 M5: the good rows after it were
                    # swallowed unsaid)
                    del lines.taken[1:]
                    lines.again(after)
                    why += "; the lines after it are read again as rows"
                elif lines is not None and after and _rows_alone(after, reader.dialect, width):
                    # a quote left open, closed by the next quoted field's opening quote:
                    # the lines between are each a row of the header's fields on their own,
                    # so they are read again as rows and only the line the quote opened on
                    # is rejected (break12 M4: two good rows swallowed)
                    del lines.taken[1:]
                    lines.again(after)
                    why += (
                        f"; a quote left open on this line ran on over the next {len(after)} "
                        f"line(s) (to line {start + len(after)}), each a row of its own: they "
                        "are read again as rows"
                    )
                elif lines is not None and after:
                    # a quote closed on a later line and followed by text may close a field
                    # that spans lines: that row is rejected whole, its lines counted
                    # (annotate.ingestion.bad_lines), and what it may have swallowed said
                    last = start + len(after)
                    lines_after = (
                        f"lines {start + 1}-{last}" if last > start + 1 else f"line {last}"
                    )
                    why += (
                        f"; if line {start} opened a quote left open, {lines_after} may be "
                        "rows it swallowed: their text is in the rejects file"
                    )
                raw = "".join(lines.taken) if lines is not None else ""
                on_bad(start, why, raw)
                yield None
                continue
            error = InputError(
                f"{path}: the row starting on line {start}: the double quotes of a field do "
                f"not pair up ({exc}): a quote inside a value must be doubled, and one left "
                "open would run on over the next rows.",
                fix="close the field's quote, and double a quote inside a quoted value (\"he "
                'said ""hi"""), or save the table again from the spreadsheet as CSV or JSONL.',
            )
            raise (bad_line_error(error) if start > 1 else error) from None  # not the header
        if width is None:
            width = len(values)
        yield values


def _rows_alone(texts: list[str], dialect: Any, width: int | None) -> bool:
    """Whether each of ``texts`` (file lines) read alone is a CSV row of ``width`` fields
    (a blank line none), and one at least is a row."""
    rows = 0
    for text in texts:
        if not text.strip():
            continue
        try:
            got = list(csv.reader([text], dialect=dialect))
        except csv.Error:
            return False
        if len(got) != 1 or len(got[0]) != width:
            return False
        rows += 1
    return rows > 0


def _parquet_file(path: Path) -> pq.ParquetFile:
    """The opened Parquet file; InputError when it is not one (truncated, not Parquet)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # pre_buffer=False: pyarrow's default reads every row group's columns ahead, so
        # iterating a file in batches would hold the whole file in memory
        return pq.ParquetFile(path, pre_buffer=False)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(
            f"{path}: not a readable Parquet file ({exc}).",
            fix="check that the file is complete and really Parquet.",
        ) from None


def iter_parquet(path: Path, batch_size: int = 1000) -> Iterator[Row]:
    pf = _parquet_file(path)
    require_distinct_columns(path, pf.schema_arrow.names)
    if pf.metadata.num_rows == 0:
        raise EmptyTableError(
            f"{path}: the Parquet file has no rows.", fix="pass a non-empty file."
        )
    import pyarrow as pa

    batches = pf.iter_batches(batch_size=batch_size)
    done = 0
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowInvalid, OSError) as exc:
            # a damaged data page under an intact footer: found only when read
            raise InputError(
                f"{path}: not a readable Parquet file: the rows after row {done:,} of "
                f"{pf.metadata.num_rows:,} cannot be read ({exc}).",
                fix="check that the file is complete and undamaged (copy it again from "
                "where it came from, or write it again).",
            ) from None
        if batch is None:
            return
        done += batch.num_rows
        yield from batch.to_pylist()


def csv_delimiter(path: Path, delimiter: str | None = None) -> str:
    """The field separator to read ``path`` with: ``delimiter`` when given, else a tab for
    a ``.tsv`` file and a comma for any other."""
    if delimiter is not None:
        return delimiter
    return "\t" if path.suffix.lower() == ".tsv" else ","


def table_columns(
    path: Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    codec: str | None = None,
) -> list[str]:
    """Column names, read without loading the table (``delimiter``: of a CSV file;
    ``encoding``: the fallback codec of a CSV or JSONL file that is not UTF-8; ``codec``:
    its codec when already chosen, :func:`annotate._util.encoding.file_codec`)."""
    fmt = table_format(path)
    delimiter = csv_delimiter(path, delimiter)
    if fmt == "parquet":
        return list(_parquet_file(path).schema_arrow.names)
    if fmt == "csv":
        codec = file_codec(path, encoding, codec)
        try:
            with path.open(encoding=codec, newline="") as fh:
                header = next(csv.reader(fh, delimiter=delimiter), [])
            return [strip_bom(header[0], codec), *header[1:]] if header else []
        except UnicodeDecodeError:
            raise decode_error(path) from None
    first = next(iter_jsonl(path, encoding=encoding, codec=codec))
    return list(first)


def row_count(path: str | os.PathLike[str]) -> int | None:
    """Rows of a Parquet table (from its footer, without reading it); None for JSONL/CSV
    (whose rows are only known once read) and for anything unreadable."""
    p = Path(path)
    if p.suffix.lower() != ".parquet" or not p.is_file():
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(p).metadata.num_rows
    except (pa.ArrowInvalid, OSError) as exc:
        log.debug("%s: no row count (%s)", p, exc)
        return None  # the stage that reads it says what is wrong


def iter_rows(path: str | os.PathLike[str]) -> Iterator[Row]:
    """Stream rows of a JSONL, CSV or Parquet table."""
    return (row for _, row in iter_rows_located(path))


def iter_rows_located(
    path: str | os.PathLike[str],
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    codec: str | None = None,
    on_bad: OnBadLine | None = None,
) -> Iterator[tuple[str, Row]]:
    """Stream ``(where, row)`` pairs of a JSONL, CSV or Parquet table; ``where`` says
    where a person finds the row, counting from 1: ``line M`` (JSONL), ``row N (line M)``
    (CSV, the header is line 1), ``row N`` (Parquet). ``delimiter``: of a CSV file
    (default: by :func:`csv_delimiter`); ``encoding``: the fallback codec of a CSV or
    JSONL file that is not UTF-8, ``codec``: its codec when already chosen (read with it,
    not chosen again: :func:`annotate._util.encoding.file_codec`); ``on_bad``: with it,
    a JSONL or CSV line that is no row is told to it and yielded as ``(where, None)``
    (``--skip-bad-lines``; :data:`OnBadLine`)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file.", fix=missing_path_fix(p))
    if p.is_file() and p.stat().st_size == 0:
        raise EmptyTableError(f"{p}: the file is empty.", fix="pass a file with rows.")
    fmt = table_format(p)
    if fmt == "jsonl":
        return iter_jsonl_located(p, encoding=encoding, codec=codec, on_bad=on_bad)
    if fmt == "csv":
        return iter_csv_located(
            p, delimiter=csv_delimiter(p, delimiter), encoding=encoding, codec=codec, on_bad=on_bad
        )
    return ((f"row {n}", row) for n, row in enumerate(iter_parquet(p), start=1))


def require_columns(
    path: Path,
    columns: Iterable[str],
    required: Sequence[str],
    *,
    produced_by: str = "",
    fix: str | None = None,
) -> None:
    """Fail before any work when a required column is missing (SchemaError; ``fix``
    replaces the generic advice when the caller knows the likely mistake)."""
    have = list(columns)
    missing = [c for c in required if c not in have]
    if missing:
        hint = f" (as written by `{produced_by}`)" if produced_by else ""
        raise SchemaError(
            f"{path}: missing column(s) {', '.join(map(repr, missing))}; "
            f"expected {', '.join(map(repr, required))}{hint}; found {', '.join(map(repr, have))}.",
            fix=fix or "rename the columns or pass a table with them.",
        )


def batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class TableWriter:
    """Write rows to JSONL or Parquet atomically (partial file, renamed on success).

    For Parquet, pass ``schema`` so every batch is written with the same types.
    ``durable`` (the default): the file is flushed to the disk before the rename and the
    folder after it (:func:`annotate._util.atomic.commit_durably`; once per file, not per
    row), so a power cut leaves no empty or short file under the name that a later run
    resumes from or refuses to replace (faults59 #1).
    ``replace=False``: a file at ``path`` when the rows are written (another run wrote it
    meanwhile) is kept, and FileExistsError raised (the partial removed).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        schema: pa.Schema | None = None,
        *,
        durable: bool = True,
        replace: bool = True,
    ) -> None:
        self.path = Path(path)
        self.durable = durable
        self.replace = replace
        self.format = table_format(self.path, output=True)
        self.schema = schema
        # its own name (and lock: temp_sibling) once __enter__ has made the folder
        self.partial = self.path.with_name(f".{self.path.name}.partial")
        self.rows_written = 0
        self._fh: Any = None
        self._pq: pq.ParquetWriter | None = None

    def __enter__(self) -> TableWriter:
        require_no_file_in_the_way(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        discard_stale_partials(self.path)
        self.partial = temp_sibling(self.path)
        if self.format == "jsonl":
            self._fh = self.partial.open("w", encoding="utf-8")
        return self

    def write(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        if self.format == "jsonl":
            for row in rows:
                self._fh.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pylist(list(rows), schema=self.schema)
            if self._pq is None:
                self.schema = table.schema
                self._pq = pq.ParquetWriter(self.partial, table.schema)
            self._pq.write_table(table)
        self.rows_written += len(rows)

    def _close(self) -> None:
        fh, writer, self._fh, self._pq = self._fh, self._pq, None, None
        try:
            if fh is not None:
                fh.close()
        finally:
            if writer is not None:
                writer.close()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        """Rename the finished file into place; on any failure (the body's, or closing or
        renaming on a full disk, or an interrupt) remove the partial file."""
        if exc_type is not None:
            named = disk_full_named(exc, self.partial, self.path)  # before it is removed
            try:
                self._close()
            except OSError:
                pass  # the body's error is the one to report
            finally:
                discard(self.partial)
            if named is not None:
                raise named from exc
            return
        try:
            self._close()
            if self.format == "parquet" and self.rows_written == 0:
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table((self.schema or pa.schema([])).empty_table(), self.partial)
            (commit_durably if self.durable else commit)(
                self.partial, self.path, replace=self.replace
            )
        except BaseException as failed:
            named = disk_full_named(failed, self.partial, self.path)
            discard(self.partial)
            if named is not None:
                raise named from failed
            raise
        log.info("wrote %d rows to %s", self.rows_written, self.path)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def write_table(
    path: str | os.PathLike[str], rows: Sequence[Row], schema: pa.Schema | None = None
) -> None:
    with TableWriter(path, schema=schema) as writer:
        writer.write(rows)
