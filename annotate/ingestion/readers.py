"""Read documents from txt/md/html files and folders, JSONL, CSV, Parquet and HF datasets.

Every reader yields :class:`Document` objects one at a time (tables are streamed in
batches), so memory does not grow with the corpus.
"""

from __future__ import annotations

import codecs
import difflib
import itertools
import json
import logging
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from shlex import quote
from typing import TYPE_CHECKING, Any

from annotate._util.coerce import as_text, id_str, inexact_float_id, json_default, opt_str
from annotate._util.encoding import SURROGATE, UTF8, decode_bytes
from annotate._util.gold_keys import gold_name, nested_gold_paths
from annotate._util.near_paths import missing_path_fix
from annotate._util.repeated import FirstFew
from annotate.errors import EmptyTableError, InputError
from annotate.ingestion.dates import DAY, EITHER, MONTH, iso_date, numeric_order, unknown_zone
from annotate.ingestion.front_matter import MARKDOWN_SUFFIXES, read_front_matter
from annotate.ingestion.html import META_KEY as HTML_META_KEY
from annotate.ingestion.html import SUFFIXES as HTML_SUFFIXES
from annotate.ingestion.html import (
    extractor,
    html_document,
    looks_like_html,
    page_codec,
    page_problem_said,
)
from annotate.ingestion.licenses import LICENSE_COLUMNS, row_license
from annotate.ingestion.passage_tables import passages_table_given, passages_table_kind
from annotate.ingestion.subtitles import SUFFIXES as SUBTITLE_SUFFIXES
from annotate.ingestion.subtitles import has_cues, is_subtitles
from annotate.ingestion.walk import read_in, walk_folder
from annotate.tables import (
    Row,
    csv_delimiter,
    ignore_bad_line,
    iter_rows_located,
    require_columns,
    table_columns,
    table_format,
)

if TYPE_CHECKING:
    from annotate.audit.redact import IngestRedaction
    from annotate.ingestion.bad_lines import BadLines

log = logging.getLogger(__name__)

# one document a file; an HTML file's text is its visible text (annotate.ingestion.html)
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", *SUBTITLE_SUFFIXES, *HTML_SUFFIXES}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".tsv", ".parquet"}
SUPPORTED = [*sorted(TEXT_SUFFIXES | TABLE_SUFFIXES), "<folder saved by datasets.save_to_disk>"]

ROW_WITHOUT_ID = "rows without an id named by position"  # FirstFew kind
HTML_AS_TEXT = "text files that are saved web pages, read with their markup"  # FirstFew kind
FLOAT_ID = "ids that floating point may have changed"  # FirstFew kind
EMPTY = "empty documents (files or rows) skipped"  # per-row warnings of a kind (FirstFew)
AMBIGUOUS_DATES = "tables whose dates could be day or month first, read month first"
ID_COLUMNS = ("doc_id", "id", "document_id")
TITLE_COLUMNS = ("title", "headline", "subject")
# the first of these names a table has (any case) is its source column: a news export's
# article_url, a forum's permalink; a file path last
SOURCE_COLUMNS = ("source", "url", "link", "permalink", "article_url", "path")
# the first of these names a table has (any case) is its date column: publication before
# posting before creation before a bare time; an update time is never taken for the date
DATE_COLUMNS = (
    "date",
    "published",
    "published_at",
    "date_published",
    "pubdate",
    "posted_at",
    "post_date",
    "posted",
    "created_at",
    "created_utc",
    "creation_date",
    "timestamp",
    "datetime",
    "time",
)


@dataclass
class Document:
    doc_id: str
    text: str
    source: str
    title: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # the input file as errors name it: the path as the user gave it
    where: str = ""  # the row in that input, counted from 1 ("row 3 (line 4)"); "" for a file
    # the input file as the ingest run record names it (annotate.ingestion.record.
    # input_files): relative to the input given ("a.csv", "news/a.txt"); a saved dataset's
    # split as NAME[SPLIT]; a passage's ``input_file``. "" when not known
    name: str = ""
    # set by ingest --redact (annotate.audit.redact.redact_documents): the settings record
    # and the redactor that masks ``text`` when it is split (after its turns are found),
    # then where each placeholder starts in the masked text
    redaction: IngestRedaction | None = None
    # the licence or terms the document was obtained under (a table's license column, else
    # ingest --license; annotate.ingestion.licenses); None: not recorded
    license: str | None = None
    # a Markdown file that opens with YAML front matter (annotate.ingestion.front_matter):
    # its passages start after the block, which gave title, date and meta
    front_matter: bool = False
    # the title was guessed from the text's first line (:func:`_guess_title`), not given by
    # front matter or a title column: a conversation's is its file's name instead (its
    # first line is a speaker's header or message: annotate.ingestion._split)
    title_from_text: bool = False
    # a subtitle file (WebVTT, SRT: annotate.ingestion.subtitles): only its cues' texts are
    # passage text, not its header, cue numbers and timing lines
    subtitles: bool = False


def display_name(path: Path) -> str:
    """A path's name as ids and sources show it: its last component, the same however it
    was typed (``data.csv``, ``./data.csv``, ``/abs/dir/data.csv``; ``.``, ``..`` or
    ``docs/..`` -> the folder's name: ``..`` named every document ``../forum/a.txt``, other
    ids than the same folder given by its name). A folder is named by its real name, the
    last component of its resolved path: through a symlink (``latest -> batch-12``) its
    documents keep the ids the folder itself gives them (``batch-12/a.txt``), so a re-ingest
    by the other spelling finds the same passages (it gave ``latest/a.txt``, new ids that
    push added again). A file keeps the name it was given: a data-versioning tool's file
    links (git-annex, DVC) point to content-hashed names that change with every version.
    Never an absolute local path. Errors name a file by :func:`shown_path` instead."""
    return path.resolve().name if path.name in ("", ".", "..") or path.is_dir() else path.name


def shown_path(path: Path) -> str:
    """A path as errors and warnings name it: as the user gave it on the command line
    (relative to their working directory when given relative; a folder's file is the
    folder as given joined with the file's path in it), so two ``data.csv`` in different
    folders are told apart (ids and sources use :func:`display_name`)."""
    return str(path)


ROWS_LISTED = 20  # table rows without text named in the run record (rows_without_text)


@dataclass
class ReadStats:
    files: int = 0
    tables: int = 0  # of them: tables and datasets (one document a row)
    skipped_files: list[str] = field(default_factory=list)
    # each text file and table read (not a saved dataset), as the run record names files
    # (``posts/a.txt``), in the order read: those no passage was written of are listed in
    # the run record's ``files_without_passages``
    file_names: list[str] = field(default_factory=list)
    empty_documents: int = 0
    # JSONL rows without the text field (not empty text: their text may be under another
    # key), skipped; the first of them as messages name it, with its fields
    rows_without_text_field: int = 0
    first_without_text_field: str | None = None
    # table rows skipped for no text (null, empty or blank, or no text field), counted,
    # the first ROWS_LISTED named ({"input_file", "input_row", "why"}): the run record's
    # rows_without_text (passG52 G5: they were said on the console only)
    rows_without_text: int = 0
    first_rows_without_text: list[dict[str, str]] = field(default_factory=list)

    def row_without_text(self, input_file: str, input_row: str, why: str) -> None:
        self.rows_without_text += 1
        if len(self.first_rows_without_text) < ROWS_LISTED:
            self.first_rows_without_text.append(
                {"input_file": input_file, "input_row": input_row, "why": why}
            )

    # tables that hold passages already (ingest's, prelabel's or an export's rows), as
    # messages name them -> which (annotate.ingestion.passage_tables.passages_table_kind)
    passage_tables: dict[str, str] = field(default_factory=dict)
    # per-row warnings (empty rows and files, rows without the text field, skipped
    # files): the first few of each kind logged, then one line with the count
    said: FirstFew = field(default_factory=FirstFew, repr=False, compare=False)
    # the run's reading options that every table reader needs, carried here as the stats
    # are to each of them: how NN/NN/YYYY dates read (--day-first True, --month-first
    # False, None: as each date column tells, _DateValues) ...
    day_first: bool | None = None
    # ... and, with --skip-bad-lines, the JSONL and CSV lines that are no row, skipped
    # (None: such a line is an error)
    bad_lines: BadLines | None = None
    # how NN/NN/YYYY dates are written in this run, per date column name (lower case; a
    # front matter key too): the first place whose value can only be day first (DAY) or
    # only month first (MONTH). A file whose dates could be either reads as an earlier
    # file of the run tells (break11 M4: a folder of daily exports was read both ways)
    date_orders: dict[str, dict[str, str]] = field(default_factory=dict)
    # per column name: the files whose dates could be either, read month first as no
    # earlier file told otherwise (warned of after the run when a later one did)
    read_month_first: dict[str, list[str]] = field(default_factory=dict)

    def tell_order(self, column: str, order: str, where: str) -> None:
        """Record that ``where`` (a file, or a file's row) writes ``column``'s dates
        ``order`` (:data:`DAY` or :data:`MONTH`) first."""
        if order in (DAY, MONTH):
            self.date_orders.setdefault(column.lower(), {}).setdefault(order, where)

    def run_day_first(self, column: str) -> str | None:
        """The place of this run that showed ``column``'s dates day first, when one did
        and none showed them month first; None otherwise."""
        told = self.date_orders.get(column.lower(), {})
        return told[DAY] if DAY in told and MONTH not in told else None

    def warn_date_orders(self) -> None:
        """Warn, once per column name, of the files read month first (their dates could be
        either) before a later file of the run showed the dates day first."""
        for column, files in self.read_month_first.items():
            told = self.date_orders.get(column, {})
            if DAY not in told or MONTH in told:
                continue
            log.warning(
                "%d file(s) of this run (%s%s) have dates in %r that could be day or month "
                "first, and were read month first (MM/DD/YYYY) before %s, in the same run, "
                "showed them day first (a day above 12): if they are the same export, run "
                "again with --day-first (or --month-first to keep month first)",
                len(files),
                ", ".join(files[:3]),
                ", ..." if len(files) > 3 else "",
                column,
                told[DAY],
            )


def is_hf_dataset(path: Path) -> bool:
    """Whether ``path`` is a folder a Hugging Face ``datasets`` ``save_to_disk`` wrote
    (a ``DatasetDict``'s ``dataset_dict.json``, or a ``Dataset``'s ``dataset_info.json``
    and ``state.json``): ingest reads such a folder as one dataset, not as a folder of
    files. False for a file or a missing path; never raises but as the file system does."""
    return path.is_dir() and (
        (path / "dataset_dict.json").is_file()
        or ((path / "dataset_info.json").is_file() and (path / "state.json").is_file())
    )


def _guess_title(text: str, suffix: str) -> str | None:
    """The first line that looks like a title (short, no closing punctuation; in Markdown
    a heading); lines without a letter or digit (``---``, ``***``: rules) are passed over."""
    for line in text.splitlines():
        line = line.strip()
        if not any(ch.isalnum() for ch in line):
            continue
        if suffix in {".md", ".markdown"} and line.startswith("#"):
            return line.lstrip("#").strip() or None
        if len(line) <= 150 and not line.endswith((".", "!", "?", ",", ";", ":")):
            return line
        return None
    return None


def _empty(
    stats: ReadStats | None, path: Path, said: str, fix: str, *, error: str | None = None
) -> None:
    """A document with no text: InputError (``error``, else ``said``, with ``fix``) when
    ``path`` was given alone (``stats`` None); else counted in ``stats`` and warned of as
    skipped (``said``). Returns None, the reader's "no document"."""
    if stats is None:
        raise InputError(f"{path}: {error or said}.", fix=fix)
    stats.empty_documents += 1
    stats.said.warn(log, EMPTY, "%s: %s; skipped", path, said)
    return None


def read_text_file(
    path: Path,
    doc_id: str,
    stats: ReadStats | None = None,
    encoding: str | None = None,
    codec: str | None = None,
    *,
    warn: bool = True,
) -> Document | None:
    """The document of a .txt/.md/.html file. An empty file (nothing but white space and
    a byte-order mark; an HTML page without visible text) is an InputError when ``stats``
    is None (a file named on the command line); in a folder (``stats`` given) it is
    skipped, counted and logged, as an empty table row is: one empty file among a
    folder's thousands must not stop the run.
    ``encoding``: the fallback codec of a file that is not UTF-8, ``codec``: the file's
    codec when already chosen (:func:`annotate._util.encoding.decode_bytes`).
    An HTML file's text is its visible text, its title its ``<title>``'s, and its meta
    records what extracted the text (:mod:`annotate.ingestion.html`). A plain text file
    that is a saved web page is read as it is and, with ``warn``, warned of."""
    raw = path.read_bytes()
    if not raw.removeprefix(codecs.BOM_UTF8).strip():
        return _empty(stats, path, empty_said(raw), "remove it from the input or add its text.")
    suffix = path.suffix.lower()
    if codec is None and suffix in HTML_SUFFIXES:  # not chosen by the input check
        page = page_codec(raw)  # its byte-order mark's or declared charset, if it decodes
        codec = page.codec
        if page.problem is not None and warn:
            log.warning("%s", page_problem_said(path, page, encoding))
    text, _ = decode_bytes(raw, path, encoding, chosen=codec)  # UTF-8 first, a BOM dropped
    if blank(text):  # zero-width spaces, bidi marks: as empty as white space
        return _empty(
            stats,
            path,
            "the file shows no text",
            "remove it from the input or add its text.",
            error="the file shows no text (white space, zero-width or other invisible "
            "characters only)",
        )
    if suffix in HTML_SUFFIXES:
        return _html_file(path, doc_id, text, stats)
    if warn and (tags := looks_like_html(text)) is not None:
        said = f"{shown_path(path)}: looks like a saved web page (HTML, {tags} tags)"
        _warn_html_as_text(stats, said, path)
    body_start, front = 0, {}
    if suffix in MARKDOWN_SUFFIXES:
        body_start, front = read_front_matter(text, shown_path(path))
        if body_start and blank(text[body_start:]):
            return _empty(
                stats,
                path,
                "no text after its front matter",
                "remove it from the input or add its text.",
                error="the file holds YAML front matter and no text after it",
            )
    # a note saved or named .vtt/.srt (break48b #7)
    if suffix in SUBTITLE_SUFFIXES and not has_cues(text):
        log.warning(
            "%s: a %s file with no cue (no timing line like '00:00:01.000 --> "
            "00:00:04.000'%s): its paragraphs are read as text. Fix: if it is no subtitle "
            "file, rename it .txt; if it is, save its captions again from the source.",
            path,
            suffix,
            ", no WEBVTT line"
            if suffix == ".vtt" and not text.lstrip("\ufeff").startswith("WEBVTT")
            else "",
        )
    from annotate.classifier.cue_sentences import META_KEY as SUBTITLES_META_KEY
    from annotate.classifier.cue_sentences import subtitle_file

    subtitles = suffix not in MARKDOWN_SUFFIXES and is_subtitles(text, suffix)
    meta = front
    if subtitles and not subtitle_file(doc_id):
        # told by its content (a Zoom transcript saved as .txt), not by its name: recorded
        # in its passages' meta, so prelabel reads its cues within their sentences and
        # push shows them without markup as a .vtt file's (they tell one by its name)
        meta = {**front, SUBTITLES_META_KEY: True}
        if warn:
            log.info(
                "%s: holds subtitles (%s) though its name does not end .vtt or .srt: read "
                "as a subtitle file (recorded in its passages' meta as %s)",
                path,
                "WebVTT" if text.lstrip().startswith("WEBVTT") else "cues with timing lines",
                SUBTITLES_META_KEY,
            )
    title = as_text(_pick_value(front, TITLE_COLUMNS))
    date_key = _first_key(front, DATE_COLUMNS)
    date = None if date_key is None else front.pop(date_key)
    # read as a table's date column is (ISO 8601, UTC); one that is no date stays in
    # meta, where the front matter's other keys are, and is warned of (break11 M3)
    read_date = None if date is None else _front_matter_date(date, date_key, stats, path)
    if date is not None and read_date is None:
        meta = {**meta, date_key: date}
    given = bool(title and title.strip())
    return Document(
        doc_id=doc_id,
        text=text,
        source=doc_id,
        title=title if given else _guess_title(text[body_start:], suffix),
        title_from_text=not given,
        subtitles=subtitles,
        date=read_date,
        meta=meta,
        origin=shown_path(path),
        name=doc_id,  # a text file's id is its name in the run record
        front_matter=bool(body_start),
    )


def _warn_html_as_text(stats: ReadStats | None, said: str, path: Path) -> None:
    """Warn that the text file ``path`` is a saved web page read with its markup."""
    fix = quote(str(path.with_suffix(".html")))
    message = (
        "%s; it is read as plain text, markup and entities included (reviewers would be "
        "shown its tags and scripts): rename it to .html (e.g. mv %s %s) and ingest reads "
        "its visible text"
    )
    args = (said, quote(str(path)), fix)
    if stats is None:
        log.warning(message, *args)
    else:
        stats.said.warn(log, HTML_AS_TEXT, message, *args)


def _html_file(path: Path, doc_id: str, markup: str, stats: ReadStats | None) -> Document | None:
    """The document of an HTML file (its decoded ``markup``): its visible text, title and
    what extracted them (:mod:`annotate.ingestion.html`); None (counted) or InputError as
    :func:`read_text_file` when the page shows no text."""
    text, title = html_document(markup)
    if blank(text):
        return _empty(
            stats,
            path,
            "the web page shows no text",
            "remove it from the input, or save the page again with its text.",
            error="the web page shows no text (markup, scripts or styles only)",
        )
    return Document(
        doc_id=doc_id,
        text=text,
        source=doc_id,
        title=title,  # the <title>'s or first <h1>'s: never a menu's first line
        meta={HTML_META_KEY: extractor()},
        origin=shown_path(path),
        name=doc_id,
    )


def _first_key(front: dict[str, Any], names: Sequence[str]) -> str | None:
    """The key of the first of ``names`` that ``front`` holds (any case, not null), as a
    table's columns are picked; None when none."""
    lower = {k.lower(): k for k in front}
    for name in names:
        key = lower.get(name)
        if key is not None and front[key] is not None:
            return key
    return None


def _pick_value(front: dict[str, Any], names: Sequence[str]) -> Any:
    """Remove and return the value of the first of ``names`` that ``front`` holds (any
    case, not null); None when none."""
    key = _first_key(front, names)
    return None if key is None else front.pop(key)


GOLD_IN_META = "tables with gold answer columns, kept in meta"  # FirstFew kind
# a gold sheet's answer columns (annotate.review.gold), kept in meta as other columns
GOLD_ANSWER_KEYS = ("gold_labels", "gold_severity")
FRONT_MATTER_NOT_DATES = "front matter dates that are no date, kept in meta"  # FirstFew kind


def _front_matter_date(value: Any, key: str, stats: ReadStats | None, path: Path) -> str | None:
    """A front matter's date (its ``key``'s ``value``) as ISO 8601, None (warned of) when
    it is no date. ``NN/NN/YYYY`` reads as a table's column does: as ``--day-first`` or
    ``--month-first`` says, else day first when the value can only be, or when another
    file of the run showed ``key`` day first (and none month first); month first with a
    warning when nothing tells (break11 M4: read month first without a word)."""
    shown = shown_path(path)
    said = stats.said if stats is not None else FirstFew()
    order = numeric_order(value)
    day_first = stats.day_first if stats is not None else None
    if order is None or day_first is not None:
        first = bool(day_first)
    elif order != EITHER:
        first = order == DAY
        if stats is not None:
            stats.tell_order(key, order, shown)
    elif stats is not None and (told := stats.run_day_first(key)) is not None:
        first = True
        log.info(
            "%s: its %r could be day or month first: read day first, as %s of this run writes it",
            shown,
            key,
            told,
        )
    else:
        first = False
        if stats is not None:
            stats.read_month_first.setdefault(key.lower(), []).append(shown)
        said.warn(
            log,
            AMBIGUOUS_DATES,
            "%s: the front matter's %r could be day first or month first (no day above 12 "
            "tells): read month first (MM/DD/YYYY: 03/04/2026 is 4 March); if it is written "
            "day first (3 April), run again with --day-first; --month-first says month "
            "first without this warning",
            shown,
            key,
        )
    got = iso_date(value, day_first=first)
    if got is None:
        said.warn(
            log,
            FRONT_MATTER_NOT_DATES,
            "%s: the front matter's %r is no date: the document gets no date and the value "
            "stays in meta (masked there with --redact); write it as ISO 8601 (2026-11-02)",
            shown,
            key,
        )
    return got


def empty_said(raw: bytes) -> str:
    """What an empty text file holds, as messages say it: nothing (a byte-order mark at
    most: ``the file is empty``) or white space only (spaces, tabs, line ends)."""
    if raw.removeprefix(codecs.BOM_UTF8):
        return "the file holds only white space (spaces, tabs or line ends)"
    return "the file is empty"


def blank(text: str) -> bool:
    """Whether ``text`` shows nothing: white space (a no-break or ideographic space too),
    format characters (zero-width space U+200B, joiners, bidi marks, a BOM) and control
    characters only. ``str.strip()`` keeps the format characters, so a cell of two
    zero-width spaces became a passage that reviewers saw as empty."""
    return not any(not (ch.isspace() or unicodedata.category(ch) in _INVISIBLE) for ch in text)


_INVISIBLE = ("Cf", "Cc")  # Unicode categories that show nothing: format, control


def _pick(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[c] for c in candidates if c in lower), None)


def _str_or_none(value: Any) -> str | None:
    """A cell as text (an object or a list as its JSON, :func:`as_text`), None when empty."""
    return opt_str(as_text(value)) or None


DELIMITERS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}  # -> as --delimiter takes it


def delimiter_name(delimiter: str) -> str:
    """A CSV delimiter as ``--delimiter`` takes it (``tab`` for a tab)."""
    return DELIMITERS.get(delimiter, repr(delimiter))


def text_column_fix(
    columns: list[str], text_column: str, delimiter: str = ",", origin: str = ""
) -> str:
    """The ``fix`` of the error for a table without the ``text_column`` ingest was told
    to read (``columns``: the table's header): the delimiter to pass when the one header
    cell looks separated by another (``delimiter``: the one the table was read with;
    ``origin``: the file as messages name it, :func:`shown_path`, so that the ``sed`` command
    the fix gives edits that file; a ``.tsv`` named as such), else the column of the same name but
    for case and punctuation, else those like a text column or close to the name given
    (did you mean), else ``--text-column NAME``; a header that is Excel's ``sep=;`` hint
    line is named as such (delete it, pass the delimiter). Never raises."""
    excel = re.fullmatch(r"sep=(.)", delimiter.join(columns), flags=re.IGNORECASE)
    if excel:  # Excel's "sep=;" line above the header, read as the header
        sep = excel.group(1)
        option = "" if sep == "," else f" and pass --delimiter {delimiter_name(sep)}"
        first = f"`sed -i 1d {quote(origin)}`" if origin else "e.g. with sed -i 1d"
        return (
            f"its first line {delimiter.join(columns)!r} is Excel's separator hint, not the "
            f"header: delete that line ({first}){option}, or save the table from the "
            "spreadsheet again as CSV."
        )
    if len(columns) == 1:
        found = [d for d in DELIMITERS if d != delimiter and d in columns[0]]
        if found:
            what = (
                f"the header {columns[0]!r} looks separated by {delimiter_name(found[0])}, "
                f"not by {delimiter_name(delimiter)}"
            )
            if origin.lower().endswith(".tsv") and delimiter == "\t":
                # a .tsv file is read with tabs unless --delimiter says otherwise
                return (
                    f"{what} (a .tsv file is read with tabs unless told otherwise): pass "
                    f"--delimiter {delimiter_name(found[0])}, or rename the file to .csv."
                )
            if delimiter == ",":
                return (
                    f"{what}: pass --delimiter {delimiter_name(found[0])} (or save the "
                    "table as comma-separated CSV)."
                )
            return (
                f"{what}: pass --delimiter {delimiter_name(found[0])} instead (it applies to "
                "every CSV and .tsv file of a run: ingest files separated otherwise in "
                "separate runs)."
            )
    head, dot, field = text_column.partition(".")
    if dot and field and head in columns:  # --text-column body.text: a path into an object
        jsonl = origin.lower().endswith((".jsonl", ".ndjson"))
        src = quote(origin) if jsonl else "IN.jsonl"
        return (
            f"--text-column names a top-level column, not a path into an object "
            f"({text_column!r}: field {field!r} of column {head!r}): flatten the table so the "
            f"text is a column of its own, e.g. `jq -c '. + {{text: .{text_column}}} | "
            f"del(.{head})' {src} > flat.jsonl` for JSONL, or `pandas.json_normalize` for "
            "Parquet, then ingest the flat table."
        )
    same, hint = _column_hint(columns, text_column, "--text-column", text_like)
    if same:
        return same
    return (
        f"pass the column that holds the text with {hint}, or rename it to "
        f"{text_column!r} (--text-column names the text column of every table of the run: "
        "ingest tables whose text columns differ in separate runs, or rename the column)."
    )


def _nested_text_field(value: dict[Any, Any]) -> str | None:
    """The field of a nested object most likely to hold the text: the first named like a
    text column (:func:`text_columns`: ``text``, ``content``, ``body``, ``message``), else
    the one with the longest string (not a language code or an author's name); None when
    no field holds a string."""
    strings = {str(k): v for k, v in value.items() if isinstance(v, str)}
    named = text_columns(list(strings))
    if named:
        return named[0]
    return max(strings, key=lambda k: len(strings[k]), default=None)


def _line_of(where: str) -> int | None:
    """The file line a row's place names (``line 4``, ``row 3 (line 5)``), or None (a
    Parquet or ``save_to_disk`` row: ``row 3``)."""
    found = re.search(r"\bline (\d+)", where)
    return int(found.group(1)) if found else None


def _scalar(value: Any) -> bool:
    """Whether a cell is a single number or boolean, not an object or a list (whose text
    may be nested in it: refused with the fix, never skipped)."""
    return isinstance(value, int | float | bool)


def _not_a_string_fix(
    value: Any, text_column: str, shown: str = "IN.jsonl", *, skippable: bool = False
) -> str:
    """The fix for a text cell that is no string: an object's text fields are named (the
    text is nested, ``{"post": {"body": ...}}``: flatten it, ingest reads top-level
    columns only), a list's items are one document's parts or documents of their own;
    anything else (a number) is to be written as a string. Never raises."""
    if isinstance(value, dict):
        keys = [str(k) for k, v in value.items() if isinstance(v, str)]
        inner = f" (its text fields: {', '.join(map(repr, keys[:5]))})" if keys else ""
        key = _nested_text_field(value) or "FIELD"
        if key != "FIELD" and len(keys) > 1:
            inner += f"; the text is probably {key!r} (check that it is)"
        key = key if re.fullmatch(r"[A-Za-z_]\w*", key) else json.dumps(key)
        jsonl = shown.lower().endswith((".jsonl", ".ndjson"))
        src = quote(shown) if jsonl else "IN.jsonl"
        return (
            f"the text is nested inside the object{inner}, and ingest reads top-level "
            f"columns only: flatten the table so the text is a column of its own, e.g. "
            f"`jq -c '. + {{text: .{text_column}.{key}}} | del(.{text_column})' {src} > "
            "flat.jsonl` for JSONL, or `pandas.json_normalize` for Parquet, then ingest the "
            "flat table; or pass the column that holds the text with --text-column NAME."
        )
    if isinstance(value, list):
        return (
            "join the list's items into one string where they are one document's parts, or "
            "give each item a row of its own where they are documents; or pass the column "
            "that holds the text with --text-column NAME."
        )
    skip = (
        "; or pass --skip-bad-lines to set such rows aside (written to OUT.rejects.jsonl) "
        "and ingest the rest"
        if skippable
        else ""
    )
    return (
        "make that row's text a string (in JSONL: in double quotes), or pass the column "
        f"that holds the text with --text-column NAME{skip}."
    )


def _column_hint(
    columns: Sequence[str], given: str, option: str, like: Callable[[str], bool]
) -> tuple[str, str]:
    """(the fix when a column has the ``given`` name but for case and punctuation, else
    ""; the ``option`` values to suggest otherwise): columns close to ``given`` that are
    ``like`` the kind sought, then any column ``like`` it, at most three, else the closest
    name (did you mean), else ``OPTION NAME``."""
    same = _same_name(list(columns), given)
    if same:
        return f"pass {option} {same!r} (column names are matched exactly).", ""
    close = difflib.get_close_matches(given, list(columns), n=3, cutoff=0.6)
    named = [c for c in close if like(c)] + [c for c in columns if like(c)]
    likely = list(dict.fromkeys(named))[:3] or close[:1]
    return "", " or ".join(f"{option} {c!r}" for c in likely) or f"{option} NAME"


def id_column_fix(columns: Sequence[str], id_column: str) -> str:
    """How to point ingest at a table's row ids when it has no ``id_column``: the column
    of the same name but for case and punctuation (``ID``, ``postid``), else those named
    like an id (:func:`id_like`) or close to the name given (did you mean), else NAME."""
    same, hint = _column_hint(list(columns), id_column, "--id-column", id_like)
    if same:
        return same
    return (
        f"pass the column that holds each row's own id with {hint}, or rename it to "
        f"{id_column!r} (--id-column names the id column of every table of the run: ingest "
        "tables whose id columns differ in separate runs, or leave --id-column out to take "
        f"the first of {', '.join(ID_COLUMNS)} each table has)."
    )


# words of column names that usually hold a post's text (a forum's or chat's export)
_TEXT_WORDS = (
    "text",
    "body",
    "message",
    "content",
    "comment",
    "post",
    "tweet",
    "caption",
    "transcript",
)


def _name_words(column: str) -> list[str]:
    """The words of a column name, lower-cased: split at anything not a letter or digit
    and between a lower-case letter and a capital (``commentId`` -> comment, id)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", column)
    return "".join(c if c.isalnum() else " " for c in spaced.lower()).split()


def text_like(column: str) -> bool:
    """Whether ``column`` is named like a text column (``message``, ``comment_body``),
    not like an id, a date or a title (``post_id``, ``posted_at``, ``post_title``)."""
    words = _name_words(column)
    ids = {"id", "ids", "at", "date", "time", "url", "count", "type", "author", "title"}
    return bool(words) and not ids & set(words) and any(w in _TEXT_WORDS for w in words)


def text_columns(columns: Sequence[str]) -> list[str]:
    """The columns named like a text column (:func:`text_like`), most likely first: those
    with a word of the text itself (``comment_body``, ``message``) before those named
    ``post`` alone (in the columns' order otherwise)."""
    texty = [c for c in columns if text_like(c)]
    return sorted(texty, key=lambda c: set(_name_words(c)) <= {"post", "posts"})


# words of an id column's name that say it names another row or a person, not the row's
# own id (``parent_id``, ``in_reply_to_status_id``, ``root_id``, ``user_id``): taken as
# the id column, it would merge whole threads or every post of an account into one
# document (passL54 finding 8: the hint suggested ``parent_id``). Not ``thread_id`` and
# the like: a table of threads is named by them
_OTHER_ROW_WORDS = frozenset({
    "parent", "reply", "replies", "replied", "root", "user", "author", "account", "sender",
})  # fmt: skip


def id_like(column: str) -> bool:
    """Whether ``column`` is named like a row's own id (``comment_id``, ``commentId``,
    ``uuid``), not merely ending in the letters (``paid``, ``valid``), nor naming another
    row or thing (``parent_id``, ``in_reply_to_id``, ``user_id``: :data:`_OTHER_ROW_WORDS`)."""
    words = _name_words(column)
    return bool(words) and words[-1] in ("id", "uuid", "guid") and not _OTHER_ROW_WORDS & set(words)


def _same_name(columns: list[str], name: str) -> str | None:
    """The column ``name`` was probably meant as: the one whose name differs from it only
    in case, spaces, ``_`` or ``-`` (``Body`` for ``body``, ``post_id`` for ``postid``)."""

    def key(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    same = [c for c in columns if key(c) == key(name) and c != name]
    return same[0] if same else None


def _rows_to_documents(
    rows: Iterator[tuple[str, dict[str, Any]]],
    columns: list[str],
    origin: str,
    text_column: str,
    stats: ReadStats,
    id_column: str | None = None,
    delimiter: str = ",",
    *,
    shown: str | None = None,
    date_column: str | None = None,
    rescan: Callable[[], Iterable[tuple[str, dict[str, Any]]]] | None = None,
) -> Iterator[Document]:
    """Documents of ``(where, row)`` pairs (``where``: the row's place in the input,
    counted from 1, as :func:`annotate.tables.iter_rows_located` gives it). ``origin``
    names the input in ids and sources, ``shown`` (default ``origin``) in errors and
    warnings (:func:`shown_path`).

    A row without text (null, empty or blank) is skipped, counted and logged; so is a
    JSONL row without the text field, counted apart (``stats.rows_without_text_field``:
    its text may be under another key); text that is not a string (a number, a list) is
    an InputError naming the row, except a JSONL row's number or boolean under
    ``--skip-bad-lines`` (``stats.bad_lines``), set aside as a bad line. A row without an
    id column gets the id ``ORIGIN#I``, I its row index counted from 0 (the ids earlier
    versions gave, kept so that re-runs give the same passage ids). An id that is a
    whole number held as a float (``1.0``: pandas stores an integer column with an empty
    cell so, in Parquet and in its JSON) is the integer's (``1``,
    :func:`annotate._util.coerce.id_str`); a CSV's ids are read as the text written.
    ``rescan``: the rows again, when a date column's order (day or month first) must be
    told from all its values (:class:`_DateValues`).
    """
    shown = shown or origin
    kind = passages_table_kind(columns)
    if kind is not None:
        stats.passage_tables[shown] = kind
        if id_column is None:  # --id-column id cuts each passage again, on purpose
            raise passages_table_given(shown, kind)
    if text_column not in columns:
        require_columns(
            Path(shown),
            columns,
            [text_column],
            fix=text_column_fix(columns, text_column, delimiter, shown),
        )
    if id_column is not None and id_column not in columns:
        require_columns(Path(shown), columns, [id_column], fix=id_column_fix(columns, id_column))
    _warn_date_column(shown, columns, text_column, id_column, date_column)
    named = [c for c in columns if c not in (text_column, id_column)]
    if gold := [c for c in named if c in GOLD_ANSWER_KEYS]:
        stats.said.warn(  # passL54 finding 3: it went into meta without a word
            log,
            GOLD_IN_META,
            "%s: column(s) %s hold gold answers; they are kept in each passage's meta as "
            "the table's other columns are: pre-label the output and pass it to push as "
            "--gold (push reads the answers from meta and keeps them out of the tasks' data "
            "reviewers see); a push of it as regular pre-labels is refused",
            shown,
            ", ".join(gold),
        )
    if spelt := {c: gold_name(c) for c in named if c not in GOLD_ANSWER_KEYS and gold_name(c)}:
        stats.said.warn(  # break14 finding 12: Gold_Labels, gold_label went by unseen
            log,
            GOLD_IN_META,
            "%s: column(s) %s hold gold answers under another spelling; they are kept in "
            "each passage's meta, where push --gold does not read them and a regular push "
            "refuses them: rename the column(s) in the sheet and ingest it again",
            shown,
            ", ".join(f"{c!r} (expected {n!r})" for c, n in spelt.items()),
        )
    dates = _DateValues(shown, columns, date_column, stats.day_first, rescan, stats.said, stats)
    warned = False
    # the table's id column, as its first row gives it (None: named by position, warned
    # once); a later row without an id in it is named by position too, and warned of
    ids_in: str | None = None
    first = True
    picks: dict[tuple[str, ...], _Columns] = {}
    lengths = _ColumnLengths(text_column)
    for n, (where, row) in enumerate(rows):
        if row is None:  # a bad line skipped (--skip-bad-lines): its place kept
            continue
        # a JSONL row has its own keys (its title or url may be in a row whose first
        # line had none), so the columns are picked per set of keys
        keys = tuple(row)
        if keys not in picks:
            if len(picks) > 256:  # a table whose every row has other keys
                picks.clear()
            picks[keys] = _Columns.of(list(keys), text_column, id_column, date_column)
        cols = picks[keys]
        if first:
            first, ids_in = False, cols.id
        if cols.id is None and not warned and ids_in is None:
            warned = True
            _warn_positional_ids(shown, origin, row, text_column, rescan)
        if text_column not in row:  # a JSONL row without the field: not empty text
            fields = ", ".join(map(repr, row)) or "none"
            stats.rows_without_text_field += 1
            stats.row_without_text(origin, where, f"no {text_column!r} field")
            if stats.first_without_text_field is None:
                stats.first_without_text_field = f"{shown} {where} (fields {fields})"
            # at INFO (-v): the run's summary warns of them once, with the first row, its
            # fields, the count and the fix (``stats.first_without_text_field``); a
            # warning per row besides said the one row twice (passI53 I10)
            log.info("%s %s: no %r field (fields %s); skipped", shown, where, text_column, fields)
            continue
        text = row.get(text_column)
        if text is not None and not isinstance(text, str):
            said = (
                f"column {text_column!r} holds {_a(type(text).__name__)} ({_shown(text)}), "
                "expected a string"
            )
            line = _line_of(where)
            if stats.bad_lines is not None and line is not None and _scalar(text):
                # newuser58 #2: one row's number for a text is a bad row, as a line that
                # is no JSON is: --skip-bad-lines sets it aside (its JSON as the raw text)
                raw = json.dumps(row, ensure_ascii=False, default=str)
                stats.bad_lines.teller(shown, origin)(line, said, raw)
                continue
            raise InputError(
                f"{shown} {where}: {said}.",
                fix=_not_a_string_fix(text, text_column, shown, skippable=line is not None),
            )
        if text is None or blank(text):
            stats.empty_documents += 1
            stats.row_without_text(
                origin,
                where,
                f"{'null' if text is None else 'empty or blank'} text in column {text_column!r}",
            )
            stats.said.warn(
                log, EMPTY, "%s %s: no text in column %r; skipped", shown, where, text_column
            )
            continue
        _refuse_lone_surrogates(row, text_column, shown, where)
        lengths.add(row)
        raw_id = row.get(cols.id) if cols.id else None
        _refuse_infinite_id(raw_id, cols.id, shown, where)
        _refuse_nested_id(raw_id, cols.id, shown, where)
        doc_id = id_str(raw_id) or None
        if inexact_float_id(raw_id):
            stats.said.warn(
                log,
                FLOAT_ID,
                "%s %s: id %s in column %r is a floating-point number of 2**53 or more, "
                "whose last digits may not be those written (pandas stores an integer "
                "column with an empty cell as floats); save the ids as integers or text",
                shown,
                where,
                doc_id,
                cols.id,
            )
        if doc_id is None and ids_in is not None:
            stats.said.warn(
                log,
                ROW_WITHOUT_ID,
                "%s %s: no id in column %r (null, empty or missing): the row is named by "
                "position, %s#%d, so the same rows in another order get another passage id "
                "and a push adds it again; give every row an id",
                shown,
                where,
                ids_in,
                origin,
                n,
            )
        meta = {k: v for k, v in row.items() if k not in cols.used}
        # break14 finding 11: a JSONL row's objects ({"meta": {"gold_labels": ...}}) hold
        # the answer key one or more levels down, which the column names do not show
        if nested := [
            p
            for k, v in meta.items()
            if isinstance(v, dict | list)
            for p in nested_gold_paths(v, k)
        ]:
            stats.said.warn(
                log,
                GOLD_IN_META,
                "%s %s: %s hold(s) a gold answer inside the row's objects; kept in the "
                "passage's meta, a regular push refuses it and push --gold does not read "
                "it: give the gold answers as top-level gold_labels (and gold_severity) "
                "fields or columns and ingest again",
                shown,
                where,
                ", ".join(nested),
            )
        # read as a date (--date-column or the table's own date column alike); a value
        # that is not one stays in meta
        date_col = cols.date if date_column else _date_of(row, cols.date)
        row_date = dates.read(row, date_col, where)
        if date_col != cols.date and not _blank_cell(row.get(cols.date or "")):
            meta[cols.date] = row[cols.date]  # a flag: in meta as it is
        if date_col is not None and row_date is not None:
            meta.pop(date_col, None)
        elif date_col is not None and not _blank_cell(row.get(date_col)):
            meta[date_col] = row[date_col]
        _drop_infinite_cue_times(meta, shown, where, stats)
        yield Document(
            doc_id=doc_id or f"{origin}#{n}",
            text=text,
            source=(_str_or_none(row.get(cols.source)) if cols.source else None) or f"{origin}#{n}",
            title=_str_or_none(row.get(cols.title)) if cols.title else None,
            date=row_date,
            # bytes as ids are (a binary parent column must name its parent's doc_id)
            meta=json.loads(json.dumps(meta, default=json_default)),
            license=row_license(row.get(cols.license), f"{shown} {where}", cols.license)
            if cols.license
            else None,
            origin=shown,
            where=where,
            name=origin,
        )
    lengths.warn_if_longer_elsewhere(shown)
    dates.warn()


_FLAGS = frozenset({"true", "false", "yes", "no", "0", "1"})


def _date_of(row: dict[str, Any], column: str | None) -> str | None:
    """The row's date column of :data:`DATE_COLUMNS`: ``column`` (the first the table
    has), unless its value is a flag (a CMS's ``published: true``, ``0`` or ``1``) or
    nothing (null, empty: an unset flag): then the next of DATE_COLUMNS the row has a
    value in, None when none (break11 L1: the flag was taken for the date, and
    ``created_at`` left in meta; break12 M3: null, 0 and 1 likewise)."""
    if column is None:
        return None
    value = row.get(column)
    flag = isinstance(value, str) and value.strip().lower() in _FLAGS
    number_flag = isinstance(value, int | float) and value in (0, 1)
    if not (isinstance(value, bool) or flag or number_flag or _blank_cell(value)):
        return column
    lower = column.lower()
    later = DATE_COLUMNS[DATE_COLUMNS.index(lower) + 1 :] if lower in DATE_COLUMNS else ()
    return _pick([k for k, v in row.items() if not _blank_cell(v)], later)


def _drop_infinite_cue_times(meta: dict[str, Any], shown: str, where: str, stats: Any) -> None:
    """Leave out of a table row's ``meta`` its ``cue_start``/``cue_end`` values that are
    NaN or infinite (Python's json reads ``NaN``, ``1e999``; break14 #4: the provenance
    line failed on them), warning of each infinite one (NaN is pandas' blank cell): they
    are read as a subtitle cue's times."""
    from annotate.ingestion.subtitles import CUE_END, CUE_START

    for key in (CUE_START, CUE_END):
        value = meta.get(key)
        if not isinstance(value, float) or math.isfinite(value):
            continue
        del meta[key]
        if not math.isnan(value):  # NaN: a blank cell (pandas'), left out silently
            stats.said.warn(
                log,
                "rows with cue times that are no numbers",
                "%s %s: column %r holds %s, no time in seconds: left out of meta",
                shown,
                where,
                key,
                value,
            )


def _blank_cell(value: Any) -> bool:
    """A cell that holds nothing: null, NaN (pandas' empty cell) or blank text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return isinstance(value, str) and not value.strip()


class _DateValues:
    """The values of a table's date column (``--date-column``, or the first of
    :data:`DATE_COLUMNS` a row has), read as dates
    (:func:`annotate.ingestion.dates.iso_date`), ISO 8601 and UTC: a value that is not a
    date (an e-mail address, the text) is not the row's date; it stays in ``meta``, where
    ``--redact`` masks it (break9 N1). Those values, and the rows without ``--date-column``
    (a JSONL row without the key: break9 N3), are counted and warned of once, after the
    table, with the rows' places and never their values (they may be personal data).

    ``day_first`` (``--day-first``/``--month-first``; None: told by the column): how
    ``NN/NN/YYYY`` dates read. Told by the column: day first when some value of it can
    only be day first (``25/03/2026``) and none only month first; otherwise month first,
    with one warning when no value tells (``03/04/2026`` throughout) or values tell both.
    ``rescan`` gives the table's rows again: the column is read through the first time a
    value could be either, so every row of a column reads alike."""

    def __init__(
        self,
        shown: str,
        columns: Sequence[str],
        date_column: str | None,
        day_first: bool | None = None,
        rescan: Callable[[], Iterable[tuple[str, dict[str, Any]]]] | None = None,
        said: FirstFew | None = None,
        run: ReadStats | None = None,
    ) -> None:
        self.shown, self.columns, self.column = shown, list(columns), date_column
        self.day_first, self.rescan, self.said = day_first, rescan, said
        self.run = run  # the run's orders, told by the files read before (break11 M4)
        self.by_run: dict[str, str] = {}  # per column read day first as the run told: where
        self.rows = 0
        self.without = 0  # rows without the column (JSONL)
        self.values = 0  # of them, values (not empty)
        self.not_dates = 0
        self.zones = 0  # of them, dates but for a zone abbreviation not read (IST)
        self.zone: str | None = None  # the first such abbreviation
        self.first: str | None = None
        self.names: list[str] = []  # the columns read (a JSONL table's rows may differ)
        # per column: day first or not, as the column tells (None: not told yet)
        self.orders: dict[str, bool] = {}
        self.told: dict[str, dict[str, str]] = {}  # per column: the first row of each order
        self.against: dict[str, str] = {}  # --day-first/--month-first: a value it cannot be
        self.against_count = 0

    def read(self, row: dict[str, Any], column: str | None, where: str) -> str | None:
        """The row's date as ISO 8601, None when it has none or its value is no date."""
        self.rows += 1
        if column is None:
            self.without += bool(self.column)
            return None
        value = row.get(column)
        if _blank_cell(value):
            return None
        if column not in self.names:
            self.names.append(column)
        self.values += 1
        got = iso_date(value, day_first=self._day_first(column, value, where))
        if got is None:
            self.not_dates += 1
            self.first = self.first or where
            zone = unknown_zone(value)
            if zone is not None:
                self.zones += 1
                self.zone = self.zone or zone
        return got

    def _zones_said(self) -> str:
        """What the not-dates warning adds of the values that are dates but for a zone
        abbreviation not read (break11 M6), or nothing."""
        if not self.zones:
            return ""
        return (
            f"; {self.zones} of them {'ends' if self.zones == 1 else 'end'} with a time "
            "zone abbreviation that is not read "
            f"(e.g. {self.zone}; one such as IST names several zones): write the time with "
            "its offset (2026-03-04T10:00:00+05:30) or in UTC"
        )

    def _day_first(self, column: str, value: Any, where: str) -> bool:
        order = numeric_order(value)
        if order is None:
            return False
        if self.day_first is not None:
            if order == (MONTH if self.day_first else DAY):
                self.against_count += 1
                self.against.setdefault(column, where)
            return self.day_first
        if order != EITHER:  # read alike either way
            self.told.setdefault(column, {}).setdefault(order, where)
            return order == DAY
        if column not in self.orders:
            self.orders[column] = self._tell(column, where)
        return self.orders[column]

    def _tell(self, column: str, where: str) -> bool:
        """Whether the column's dates are day first, as its values tell (all of them, read
        again by ``rescan``); the first value that could be either is at ``where``."""
        told = self.told.setdefault(column, {})
        told.setdefault(EITHER, where)
        for at, row in self.rescan() if self.rescan is not None else ():
            order = numeric_order(row.get(column))
            if order is not None:
                told.setdefault(order, at)
            if DAY in told and MONTH in told:
                break
        if DAY not in told and MONTH not in told and self.run is not None:
            run_told = self.run.run_day_first(column)
            if run_told is not None:  # an earlier file of the run is day first
                self.by_run[column] = run_told
                return True
            self.run.read_month_first.setdefault(column.lower(), []).append(self.shown)
        return DAY in told and MONTH not in told

    def warn(self) -> None:
        if self.run is not None:  # what this table tells, for the run's later files
            for column, told in self.told.items():
                for order in (DAY, MONTH):
                    if order in told:
                        self.run.tell_order(column, order, f"{self.shown} {told[order]}")
        self._warn_orders()
        if not self.column or not self.rows:
            if self.not_dates:
                log.warning(
                    "%s: %d of %d values of %s (taken as the rows' date) are not dates (the "
                    "first in %s): those rows get no date and the value stays in meta "
                    "(masked there with --redact); if another column holds the dates, pass "
                    "--date-column NAME%s",
                    self.shown,
                    self.not_dates,
                    self.values,
                    " and ".join(map(repr, self.names)),
                    self.first,
                    self._zones_said(),
                )
            return
        if self.without == self.rows:
            same, hint = _column_hint(
                self.columns, self.column, "--date-column", lambda c: bool(_DATE_LIKE.search(c))
            )
            log.warning(
                "%s has no column %r (--date-column): its rows get no date; %s",
                self.shown,
                self.column,
                same
                or f"pass {hint} if it has one (columns: {', '.join(map(repr, self.columns))})",
            )
        elif self.without:
            log.warning(
                "%s: %d of %d rows have no %r key (--date-column): those rows get no date",
                self.shown,
                self.without,
                self.rows,
                self.column,
            )
        if self.not_dates:
            log.warning(
                "%s: %d of %d values of %r (--date-column) are not dates (the first in %s): "
                "those rows get no date and the value stays in meta (masked there with "
                "--redact); write dates as ISO 8601 (2026-11-02T08:14:00Z, 2026-11-02) or "
                "another common form (02 Nov 2026 08:14, 11/02/2026), or pass --date-column "
                "with the column that holds the dates%s",
                self.shown,
                self.not_dates,
                self.values,
                self.column,
                self.first,
                self._zones_said(),
            )

    def _warn_orders(self) -> None:
        """Warn once a column of which day and month first could not be told apart, and
        once of values that cannot be read as --day-first or --month-first says."""
        if self.against:
            given, other = ("--day-first", "month") if self.day_first else ("--month-first", "day")
            log.warning(
                "%s: %d date(s) of %s can only be %s first (the first in %s), against %s: "
                "read %s first; check that the option suits this table",
                self.shown,
                self.against_count,
                " and ".join(map(repr, self.against)),
                other,
                next(iter(self.against.values())),
                given,
                other,
            )
        for column, day_first in self.orders.items():
            told = self.told[column]
            if column in self.by_run:
                log.info(
                    "%s: the dates of %r could be day or month first: read day first "
                    "(DD/MM/YYYY), as %s of this run writes them",
                    self.shown,
                    column,
                    self.by_run[column],
                )
            elif day_first:
                log.info(
                    "%s: the dates of %r read day first (DD/MM/YYYY): %s has a day above 12 "
                    "first and none has it second",
                    self.shown,
                    column,
                    told[DAY],
                )
            elif DAY in told and MONTH in told:
                log.warning(
                    "%s: the dates of %r are written both day first (%s) and month first "
                    "(%s): those that could be either (the first in %s) were read month "
                    "first (MM/DD/YYYY); pass --day-first to read them day first, or write "
                    "the dates as ISO 8601 (2026-04-03)",
                    self.shown,
                    column,
                    told[DAY],
                    told[MONTH],
                    told[EITHER],
                )
            elif MONTH not in told:  # a folder of such exports: the first few, then a count
                (self.said or FirstFew()).warn(
                    log,
                    AMBIGUOUS_DATES,
                    "%s: the dates of %r could be day first or month first (no day above "
                    "12 tells, e.g. %s): read month first (MM/DD/YYYY: 03/04/2026 is 4 "
                    "March); if the export writes the day first (a European one: 3 April), "
                    "run again with --day-first; --month-first says month first without "
                    "this warning",
                    self.shown,
                    column,
                    told[EITHER],
                )


# rows whose column lengths are compared (the first of the table), and how much longer
# another column's text must be, on average, to suggest it held the text instead
_LENGTH_ROWS = 1000
_LONGER_BY = 3.0
_LONGER_THAN = 40  # characters: a column of names, dates or ids never averages this


_TAG = re.compile(r"<[^<>]*>")


def _prose_length(value: str) -> int:
    """The characters of ``value`` that could be text to review: 0 for a JSON object or
    list (a metadata blob), a value of one token (a URL, a hash, an id) or of no letter;
    an HTML value counted without its tags (an embed's markup around a short post)."""
    text = value.strip()
    if text[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            return 0
    if text.startswith("<"):
        text = " ".join(_TAG.sub(" ", text).split())
    if len(text.split()) < 2 or not any(ch.isalpha() for ch in text):
        return 0
    return len(text)


class _ColumnLengths:
    """The mean length of the text column and of every other string column over a
    table's first rows, to tell a run given the wrong ``--text-column`` (a comments
    export's ``author`` beside its ``comment_body``: usernames would become the passages
    reviewers read, without an error)."""

    def __init__(self, text_column: str) -> None:
        self.text_column = text_column
        self.rows = 0
        self.chars: dict[str, int] = {}

    def add(self, row: dict[str, Any]) -> None:
        """Count one row with text (its other columns' string values as
        :func:`_prose_length` counts them: a URL, JSON or markup is no text to review)."""
        if self.rows >= _LENGTH_ROWS:
            return
        self.rows += 1
        for key, value in row.items():
            if isinstance(value, str):
                size = len(value.strip()) if key == self.text_column else _prose_length(value)
                self.chars[key] = self.chars.get(key, 0) + size

    def warn_if_longer_elsewhere(self, shown: str) -> None:
        """Log a warning naming the column whose text is on average at least
        :data:`_LONGER_BY` times as long as the text column's and over
        :data:`_LONGER_THAN` characters (the rows counted: at most :data:`_LENGTH_ROWS`)."""
        if not self.rows:
            return
        mean = self.chars.get(self.text_column, 0) / self.rows
        others = {k: c / self.rows for k, c in self.chars.items() if k != self.text_column}
        if not others:
            return
        column, longest = max(others.items(), key=lambda kv: kv[1])
        if longest >= _LONGER_THAN and longest >= _LONGER_BY * mean:
            log.warning(
                "%s: the text column %r holds short values (%.0f characters a row on "
                "average) and column %r longer text (%.0f) over its first %d row(s) with "
                "text: if %r holds the text to review, run again with --text-column %s",
                shown,
                self.text_column,
                mean,
                column,
                longest,
                self.rows,
                column,
                quote(column),
            )


@dataclass(frozen=True)
class _Columns:
    """The columns of a row that hold its document id, title, source, date and licence."""

    id: str | None
    title: str | None
    source: str | None
    date: str | None
    license: str | None
    used: frozenset[str | None]

    @classmethod
    def of(
        cls,
        columns: list[str],
        text_column: str,
        id_column: str | None,
        date_column: str | None = None,
    ) -> _Columns:
        id_col = id_column or _pick(columns, ID_COLUMNS)
        title = _pick(columns, TITLE_COLUMNS)
        source = _pick(columns, SOURCE_COLUMNS)
        # --date-column names it (a JSONL row without that key has no date), else the
        # first of DATE_COLUMNS the row has
        if date_column:
            date = date_column if date_column in columns else None
        else:
            date = _pick(columns, DATE_COLUMNS)
        lic = _pick(columns, LICENSE_COLUMNS)
        used = frozenset({text_column, id_col, title, source, date, lic})
        return cls(id_col, title, source, date, lic, used)


def _lone_surrogate(value: Any) -> str | None:
    """The first string in ``value`` (a string, or dicts and lists of them, keys
    included) that holds a lone UTF-16 surrogate (U+D800-U+DFFF), or None. Walked with a
    stack, not by recursion: a JSONL row's value nested a few hundred lists deep (which
    JSON reads) raised RecursionError here."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                return item
        elif isinstance(item, dict):
            for k, v in reversed(list(item.items())):
                stack += [v, k]
        elif isinstance(item, list):
            stack += reversed(item)
    return None


def _refuse_infinite_id(value: Any, column: str | None, shown: str, where: str) -> None:
    """Raise InputError when a row's id is an infinite number: JSON's ``1e999`` (a number
    too large for a float) and ``Infinity`` read as ``inf``, which became the id "inf",
    every such row the same id. NaN is not refused: it is how pandas stores an empty
    cell of a number column, read as a row without an id (warned of)."""
    if isinstance(value, float) and math.isinf(value):
        raise InputError(
            f"{shown} {where}: the id in column {column!r} is an infinite number "
            f"({value}: a number too large for a float, such as 1e999, or Infinity); "
            "expected a string or a finite number.",
            fix="give the id as a string or a finite number.",
        )


def _refuse_nested_id(value: Any, column: str | None, shown: str, where: str) -> None:
    """Raise InputError when a row's id is a list or an object (a JSONL ``{"id": {...}}``,
    a Parquet list column): it became Python's repr of it (``"[1, 2]"``, ``"{'a': 1}"``)
    as the document id, silently, so the wrong column was most likely taken as the id."""
    if isinstance(value, list | tuple | dict) or getattr(value, "ndim", 0) > 0:
        kind = "an object" if isinstance(value, dict) else "a list"
        raise InputError(
            f"{shown} {where}: the id in column {column!r} is {kind} "
            f"({_shown(value)}); expected a string or a number.",
            fix=(
                "name the column that holds each row's own id with --id-column NAME, "
                "or give the ids as strings or numbers."
            ),
        )


def _refuse_lone_surrogates(row: dict[str, Any], text_column: str, shown: str, where: str) -> None:
    """Raise InputError when a row's column name or a value other than its text (which
    ``clean_text`` cleans) holds a lone surrogate: JSON can escape one (``"\\ud800"``),
    but it is not text, no UTF-8 output can hold it, and an id must not be changed
    silently."""
    for key, value in row.items():
        bad = _lone_surrogate(key) or (None if key == text_column else _lone_surrogate(value))
        if bad is not None:
            raise InputError(
                f"{shown} {where}: column {key!a} holds a lone UTF-16 surrogate "
                f"({ascii(bad)[:60]}): half of an escaped pair (e.g. an emoji cut in two), "
                "which is not text and cannot be written as UTF-8; expected whole characters.",
                fix="re-export that row from its source with a JSON writer that keeps each "
                "character whole (the pair \\ud83d\\ude00, or the character itself), or remove "
                "the stray escape.",
            )


def _shown(value: Any) -> str:
    """A value as an error message shows it: its JSON, cut to 40 characters."""
    shown = json.dumps(value, default=str, ensure_ascii=False)
    return shown if len(shown) <= 40 else shown[:39] + "…"


# words in a column name that suggest a date or time, when none of DATE_COLUMNS is there
_DATE_LIKE = re.compile(r"date|time|posted|published|created|\bwhen\b", re.IGNORECASE)


def _warn_date_column(
    shown: str,
    columns: Sequence[str],
    text_column: str,
    id_column: str | None,
    date_column: str | None,
) -> None:
    """Warn when ``--date-column`` names no column of this table (its rows get no date;
    the fix names a column like it), or, without ``--date-column``, when none of
    :data:`DATE_COLUMNS` is a column but some column's name suggests a date
    (``Posted (UTC)``, ``sent_time``): its value would stay in ``meta``, out of the
    passages' ``date`` that reviewers and exports show, and nothing would say so."""
    if date_column:  # a column it lacks: said after its rows (_DateValues.warn), as a
        return  # JSONL row after the first may have the key (break9 N3)
    if _pick(list(columns), DATE_COLUMNS) is not None:
        return
    likely = [c for c in columns if c not in (text_column, id_column) and _DATE_LIKE.search(c)][:3]
    if likely:
        log.warning(
            "%s has no date column (%s): its rows get no date and %s stay%s in meta; if %s "
            "the date each row was posted, pass --date-column %s",
            shown,
            ", ".join(DATE_COLUMNS[:6]) + ", ...",
            " and ".join(map(repr, likely)),
            "s" if len(likely) == 1 else "",
            "it holds" if len(likely) == 1 else "one holds",
            quote(likely[0]),
        )


# rows of a table read to tell which id-like columns hold a value unique to each row
# (the row's own id) from those that repeat one (the comment a reply answers): break13 #12
_ID_SAMPLE_ROWS = 200


def _own_reply_id(column: str) -> bool:
    """``reply_id``, ``replyId``: the id of a row of a replies table (its own), though
    "reply" is one of :data:`_OTHER_ROW_WORDS` (``in_reply_to_id`` names another row)."""
    return _name_words(column) in (["reply", "id"], ["reply", "uuid"], ["reply", "guid"])


def _warn_positional_ids(
    shown: str,
    origin: str,
    row: dict[str, Any],
    text_column: str,
    rescan: Callable[[], Iterable[tuple[str, dict[str, Any]]]] | None = None,
) -> None:
    """Rows named by position get other ids when the same rows come in another order
    (``shown``: the input as errors name it; ``origin``: as its ids do; ``row``: its
    first row). The columns suggested are named like a row's own id (:func:`id_like`:
    not ``parent_id``, ``user_id`` ...; ``reply_id`` is) and hold a value in the first row
    (a top-level comment's ``parent_id`` is empty); those whose values are unique in the
    first rows (``rescan``: the table's rows again) come first, and one that repeats a
    value there is said to name another row, not suggested (break13 #12: a replies
    table's ``comment_id``, the comment replied to, was the one suggested)."""
    likely = [
        c
        for c in row
        if c != text_column
        and (id_like(str(c)) or str(c).lower().endswith("id"))  # postid, commentid too
        and (not any(w in str(c).lower() for w in _OTHER_ROW_WORDS) or _own_reply_id(str(c)))
        and not _blank_cell(row.get(c))
    ]
    repeating: list[str] = []
    if len(likely) > 1 and rescan is not None:
        values: dict[str, list[Any]] = {c: [] for c in likely}
        for _, sample in itertools.islice(rescan(), _ID_SAMPLE_ROWS):
            if sample is None:
                continue
            for c in likely:
                values[c].append(json.dumps(sample.get(c), default=str))
        repeating = [c for c in likely if len(set(values[c])) < len(values[c])]
        if len(repeating) < len(likely):  # some column is unique: the others name other rows
            likely = [c for c in likely if c not in repeating]
        else:
            repeating = []
    hint = f" (e.g. {', '.join(likely)})" if likely else " if the table has ids"
    if repeating:  # some column's values are unique: the others' are said not to be
        them = "it names another row" if len(repeating) == 1 else "they name other rows"
        hint = (
            f" (e.g. {', '.join(likely)}; not {', '.join(repeating)}, whose values repeat "
            f"in the first rows: {them}, e.g. the comment replied to)"
        )
    log.warning(
        "%s has no id column (%s): its rows are named by position (%s#0, %s#1, ...), so the "
        "same rows exported in another order get new passage ids and a push adds them again; "
        "pass --id-column NAME%s",
        shown,
        ", ".join(ID_COLUMNS),
        origin,
        origin,
        hint,
    )


def read_table(
    path: Path,
    text_column: str,
    stats: ReadStats,
    name: str | None = None,
    id_column: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    codec: str | None = None,
    *,
    date_column: str | None = None,
) -> Iterator[Document]:
    """Documents of a table; ``name`` (default: the file name) prefixes ids of rows
    without an id column and names the input in sources (errors name it by ``path``, as
    given: :func:`shown_path`); ``id_column`` (default:
    the first of :data:`ID_COLUMNS` present) holds each row's document id; ``delimiter``
    separates the fields of a CSV file; ``encoding``: the fallback codec of a CSV or JSONL
    file that is not UTF-8, ``codec``: its codec when already chosen
    (:func:`annotate._util.encoding.file_codec`)."""
    skipping = stats.bad_lines is not None  # --skip-bad-lines: told once, on the read below
    quiet = ignore_bad_line if skipping else None

    def again() -> Iterator[tuple[str, Row]]:
        rows = iter_rows_located(
            path, delimiter=delimiter, encoding=encoding, codec=codec, on_bad=quiet
        )
        return ((where, row) for where, row in rows if row is not None)

    if skipping and table_format(path) == "jsonl":  # its first line may be a bad one
        columns = list(next((row for _, row in again()), {}))
    else:
        columns = table_columns(path, delimiter=delimiter, encoding=encoding, codec=codec)
    if table_format(path) == "jsonl" and not {text_column, id_column or text_column} <= set(
        columns
    ):  # the first line lacks it: a JSONL row has its own keys, so look at every row's
        columns = list(dict.fromkeys(k for _, row in again() for k in row))
    origin = name or display_name(path)
    on_bad = stats.bad_lines.teller(shown_path(path), origin) if stats.bad_lines else None
    yield from _rows_to_documents(
        iter_rows_located(path, delimiter=delimiter, encoding=encoding, codec=codec, on_bad=on_bad),
        columns,
        origin,
        text_column,
        stats,
        id_column,
        csv_delimiter(path, delimiter),  # the one the fields were read with
        shown=shown_path(path),
        date_column=date_column,
        rescan=again,
    )


def read_hf_dataset(
    path: Path,
    text_column: str,
    stats: ReadStats,
    name: str | None = None,
    id_column: str | None = None,
    *,
    date_column: str | None = None,
) -> Iterator[Document]:
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except Exception as exc:  # datasets raises several types for a broken folder
        raise InputError(
            f"{path}: cannot be loaded with datasets.load_from_disk ({exc}).",
            fix="pass a folder written by Dataset.save_to_disk or DatasetDict.save_to_disk.",
        ) from None
    splits = loaded.items() if isinstance(loaded, datasets.DatasetDict) else [(None, loaded)]
    for split, ds in splits:
        part = f"[{split}]" if split else ""
        origin = (name or display_name(path)) + part

        def rows(ds: Any = ds) -> Iterator[tuple[str, dict[str, Any]]]:
            batches = ds.iter(batch_size=1000)
            return (
                (f"row {n}", row)
                for n, row in enumerate((r for b in batches for r in _unbatch(b)), start=1)
            )

        yield from _rows_to_documents(
            rows(),
            list(ds.column_names),
            origin,
            text_column,
            stats,
            id_column,
            shown=shown_path(path) + part,
            date_column=date_column,
            rescan=rows,
        )


def _unbatch(batch: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
    keys = list(batch)
    for values in zip(*(batch[k] for k in keys), strict=True):
        yield dict(zip(keys, values, strict=True))


def check_delimiter(delimiter: str | None) -> None:
    """InputError unless ``delimiter`` (``--delimiter``) is None or one character that
    can separate CSV fields (not a quote or a line break)."""
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise InputError(
            f"--delimiter expects one character that separates CSV fields (e.g. ';' or "
            f"tab); found {delimiter!r}.",
            fix="pass e.g. --delimiter ';', --delimiter tab or --delimiter '|'.",
        )


# a Hugging Face Hub address as a command line gives it: Path() folds "hf://" to "hf:/"
_HUB_URL = re.compile(r"^hf:/+(?:datasets/)?(?P<id>[^/]+/[^/]+?)/*$")
# a Hub dataset id (owner/name), when no such local path exists
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def _save_command(dataset: str) -> str:
    name = dataset.rsplit("/", 1)[-1]
    return (
        f'python -c "from datasets import load_dataset; '
        f"load_dataset('{dataset}').save_to_disk('{name}')\" where the Hub is reachable, "
        f"then ingest the folder {name}"
    )


def missing_input_error(path: Path) -> InputError:
    """The error of an input ``path`` that does not exist. A Hugging Face Hub address
    (``hf://datasets/owner/name``) is named as one: ingest reads local files and folders
    only (a ``save_to_disk`` folder included) and never the network, so the fix saves it
    first; an ``owner/name`` whose ``owner`` is no local folder either gets that fix beside
    the near names of :func:`annotate._util.near_paths.missing_path_fix`."""
    shown = str(path)
    if (hub := _HUB_URL.match(shown)) is not None:
        dataset = hub.group("id")
        return InputError(
            f"{shown.replace('hf:/', 'hf://', 1)} is a Hugging Face Hub address; expected a "
            "local file or folder (ingest reads no network: a Hub dataset is read once saved "
            "with save_to_disk).",
            fix=f"save it: {_save_command(dataset)}.",
        )
    fix = missing_path_fix(path)
    if _HUB_ID.match(shown) and not path.parent.exists():  # not a typo in a local folder
        fix = (
            f"{fix[:-1]}; if {shown} is a Hugging Face Hub dataset id, ingest reads local "
            f"data only: save it first, {_save_command(shown)}."
        )
    return InputError(f"{shown}: no such file or folder.", fix=fix)


def read_documents(
    paths: list[Path],
    *,
    text_column: str = "text",
    stats: ReadStats | None = None,
    id_column: str | None = None,
    delimiter: str | None = None,
    skip: frozenset[Path] = frozenset(),
    encoding: str | None = None,
    read_as: Mapping[Path, str] | None = None,
    date_column: str | None = None,
) -> Iterator[Document]:
    """Documents from every path (files, folders, HF dataset folders), in a stable order.

    Paths and explicit file types are checked before the first document is read.
    ``text_column``, ``id_column`` and ``delimiter`` apply to every table input.
    ``id_column`` names the column of table inputs that holds document ids (default: the
    first of :data:`ID_COLUMNS` present; rows of a table without one are named by position).
    ``delimiter``: the one character separating the fields of CSV and .tsv files (default:
    a comma for .csv, a tab for .tsv).
    ``skip``: files left out (``ingest --skip-bad-files``; as the folder walk names them,
    :func:`annotate.ingestion.bad_files.find_bad_files`).
    ``encoding``: the codec a .txt/.md, CSV or JSONL file that is not UTF-8 is read with
    (``ingest --encoding``; :func:`annotate._util.encoding.check_fallback_encoding`);
    None: UTF-8 only.
    ``read_as``: the codec of each such file as the input check chose it (by the path the
    folder walk gives it: :func:`annotate.ingestion.bad_files.check_input_files`'s
    ``decoded``); with it, every other .txt/.md, CSV and JSONL file is read as UTF-8 and
    no file is scanned again to choose its codec. None: each is chosen as it is read.
    """
    check_delimiter(delimiter)
    stats = stats if stats is not None else ReadStats()
    if not paths:
        raise InputError("no input paths given.", fix="pass files or folders to ingest.")
    for path in paths:
        if path in skip:  # a bad file left out (a broken link does not exist)
            continue
        if not path.exists():
            raise missing_input_error(path)
        if path.is_file() and path.suffix.lower() not in TEXT_SUFFIXES | TABLE_SUFFIXES:
            list(_read_file(path, path.name, text_column, stats, explicit=True))
    _refuse_nested_inputs(paths)
    return _iter_documents(
        paths, text_column, stats, id_column, delimiter, skip, encoding, read_as, date_column
    )


def _refuse_nested_inputs(paths: list[Path]) -> None:
    """Raise InputError when an input lies inside a folder also given (``docs`` and
    ``docs/forum``): the folder's walk reads it too, under another document id
    (``docs/forum/a.txt`` and ``forum/a.txt``), so its passages would be written twice
    (``--keep-duplicates``) or counted as documents twice. One under a hidden part of the
    folder, which the walk skips, or inside a dataset folder, is no such input."""
    real = [Path(os.path.realpath(p)) for p in paths]
    for n, (outer, outer_real) in enumerate(zip(paths, real, strict=True)):
        if not outer.is_dir():
            continue
        later = zip(paths[n + 1 :], real[n + 1 :], strict=True)
        twin = next((p for p, r in later if r == outer_real), None)
        if twin is not None:  # one folder twice (by its path and a symlink): one id each
            raise InputError(
                f"{outer} and {twin} are one folder ({outer_real}), given twice: its "
                f"documents would be read twice under the same document ids "
                f"('{display_name(outer)}/...').",
                fix=f"pass {outer} once.",
            )
        if is_hf_dataset(outer):
            continue
        trees: dict[Path, Path] | None = None  # what outer's walk reads, links followed
        for inner, inner_real in zip(paths, real, strict=True):
            if inner_real == outer_real:
                continue
            if trees is None:
                trees = walk_folder(outer).trees
            # the real tree outer's walk reads inner in (a folder a link in outer names,
            # a hidden folder included: break8 M6), and the path it is read under there
            tree = next((t for t in trees if read_in(inner_real, t)), None)
            if tree is None:
                continue
            walked = trees[tree] / inner_real.relative_to(tree)
            rel = walked.relative_to(outer)
            more = "/..." if inner.is_dir() else ""
            raise InputError(
                f"{inner} is inside {outer}, also given: ingest reads a folder with "
                f"everything in it (the folders its links name too), so {inner} would be "
                f"read twice, under two document ids "
                f"('{display_name(outer)}/{rel.as_posix()}{more}' and "
                f"'{display_name(inner)}{more}'); expected inputs that do not overlap.",
                fix=f"pass {outer} alone (it holds {inner}), or leave {outer} out and pass "
                "the files and folders of it you want.",
            )


def _iter_documents(
    paths: list[Path],
    text_column: str,
    stats: ReadStats,
    id_column: str | None,
    delimiter: str | None = None,
    skip: frozenset[Path] = frozenset(),
    encoding: str | None = None,
    read_as: Mapping[Path, str] | None = None,
    date_column: str | None = None,
) -> Iterator[Document]:
    with stats.said:  # one line for each kind of per-row warning past the first few
        yield from _each_input(
            paths, text_column, stats, id_column, delimiter, skip, encoding, read_as, date_column
        )


def _each_input(
    paths: list[Path],
    text_column: str,
    stats: ReadStats,
    id_column: str | None,
    delimiter: str | None = None,
    skip: frozenset[Path] = frozenset(),
    encoding: str | None = None,
    read_as: Mapping[Path, str] | None = None,
    date_column: str | None = None,
) -> Iterator[Document]:
    for path in paths:
        if path in skip:
            continue
        if is_hf_dataset(path):
            stats.files += 1
            stats.tables += 1
            yield from read_hf_dataset(
                path, text_column, stats, id_column=id_column, date_column=date_column
            )
        elif path.is_dir():
            from annotate.tables import JsonlCopyError

            try:
                yield from _read_folder(
                    path, text_column, stats, id_column, delimiter, skip, encoding, read_as,
                    date_column,
                )  # fmt: skip
            except JsonlCopyError as exc:  # its repaired copy goes outside the folder (N9)
                raise exc.refix(path) from None
        else:
            name = display_name(path)
            yield from _read_file(
                path,
                name,
                text_column,
                stats,
                explicit=True,
                id_column=id_column,
                delimiter=delimiter,
                encoding=encoding,
                read_as=read_as,
                date_column=date_column,
            )


def _read_folder(
    root: Path,
    text_column: str,
    stats: ReadStats,
    id_column: str | None,
    delimiter: str | None = None,
    skip: frozenset[Path] = frozenset(),
    encoding: str | None = None,
    read_as: Mapping[Path, str] | None = None,
    date_column: str | None = None,
) -> Iterator[Document]:
    found = False
    skipped = 0
    empty_before = stats.empty_documents
    folder = display_name(root)
    for path in walk_folder(root).paths:  # linked folders followed (passG52 G1)
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if is_hf_dataset(path):
            if any(is_hf_dataset(p) for p in path.parents if root in p.parents):
                continue  # a DatasetDict's split: read with it
            if path in skip:  # one without the text or id column, left out
                skipped += 1
                continue
            found = True
            stats.files += 1
            stats.tables += 1
            yield from read_hf_dataset(
                path,
                text_column,
                stats,
                f"{folder}/{rel.as_posix()}",
                id_column,
                date_column=date_column,
            )
            continue
        if path in skip:  # before the file check: a broken link left out is no file
            skipped += 1
            continue
        if not path.is_file() or any(is_hf_dataset(p) for p in path.parents if root in p.parents):
            continue
        doc_id = f"{folder}/{rel.as_posix()}"
        docs = _read_file(
            path,
            doc_id,
            text_column,
            stats,
            explicit=False,
            id_column=id_column,
            delimiter=delimiter,
            encoding=encoding,
            read_as=read_as,
            date_column=date_column,
        )
        for doc in docs:
            found = True
            yield doc
    if not found and skipped:
        raise InputError(
            f"{root}: no text in this folder: its {skipped} bad file(s) were left out "
            "(--skip-bad-files) and the rest, if any, are empty or of unsupported types.",
            fix="fix the files the warnings above name (or point ingest at a folder with "
            "documents), then run the command again.",
        )
    if not found and stats.empty_documents > empty_before:
        raise InputError(
            f"{root}: no text in this folder: its "
            f"{stats.empty_documents - empty_before} supported file(s) or row(s) are empty.",
            fix="add their text, or point ingest at a folder with documents.",
        )
    if not found:
        raise InputError(
            f"{root}: no supported files in this folder; expected {', '.join(SUPPORTED)}.",
            fix="point ingest at the files themselves or convert them.",
        )


def _read_file(
    path: Path,
    doc_id: str,
    text_column: str,
    stats: ReadStats,
    *,
    explicit: bool,
    id_column: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    read_as: Mapping[Path, str] | None = None,
    date_column: str | None = None,
) -> Iterator[Document]:
    suffix = path.suffix.lower()
    codec = None if read_as is None else read_as.get(path, UTF8)  # None: chosen as read
    if suffix in TEXT_SUFFIXES:
        stats.files += 1
        stats.file_names.append(doc_id)
        doc = read_text_file(path, doc_id, None if explicit else stats, encoding, codec)
        if doc is not None:
            yield doc
    elif suffix in TABLE_SUFFIXES:
        stats.files += 1
        stats.tables += 1
        stats.file_names.append(doc_id)
        try:
            yield from read_table(
                path,
                text_column,
                stats,
                doc_id,
                id_column,
                delimiter,
                encoding,
                codec,
                date_column=date_column,
            )
        except EmptyTableError as exc:  # raised before its first row: nothing was yielded
            if explicit:
                raise
            # in a folder, a table without rows is skipped and counted as an empty .txt
            # file is: one empty export among a folder's thousands must not stop the run
            stats.empty_documents += 1
            stats.said.warn(log, EMPTY, "%s; skipped", exc.what.rstrip("."))
    elif explicit:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(no extension)'!r}; "
            f"expected one of {', '.join(SUPPORTED)}.",
            fix=unsupported_fix(path),
        )
    else:
        stats.skipped_files.append(str(path))
        known = suffix == ".json" or suffix in COMPRESSED or suffix in SPREADSHEETS | DOCUMENTS
        stats.said.warn(
            log,
            "files of unsupported type skipped",
            "%s: unsupported file type %r, skipped (listed in the run record's skipped_files)%s",
            path,
            suffix,
            f"; to ingest it: {unsupported_fix(path)}" if known else "",
        )


def unsupported_fix(path: Path) -> str:
    """How to ingest a file of a type ingest does not read: a JSON array, a compressed
    file, a spreadsheet by their own fix, else convert or rename it."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _json_fix(path)
    if suffix in COMPRESSED:
        return _compressed_fix(path)
    if suffix in SPREADSHEETS:
        return _spreadsheet_fix(path)
    if suffix in DOCUMENTS:
        return _document_fix(path)
    return "convert the file (e.g. to .txt or .jsonl) or rename it with the right extension."


DOCUMENTS = {".docx", ".doc", ".odt", ".rtf", ".pages", ".pdf"}  # saved as text, ingest reads them


def _document_fix(path: Path) -> str:
    """How to ingest a word-processor document or a PDF (``memo.docx``, ``scan.pdf``):
    save it as plain text; renamed ``.txt``, its bytes would stay the document's (a zip
    archive, a PDF), which ingest calls binary (newuser63 #5)."""
    txt = quote(str(path.with_suffix(".txt")))
    if path.suffix.lower() == ".pdf":
        how = (
            f"it is a PDF, which ingest does not open: extract its text, e.g. `pdftotext "
            f"-enc UTF-8 {quote(str(path))} {txt}` (Debian: poppler-utils; a scanned PDF "
            "needs OCR first)"
        )
    else:
        how = (
            "it is a word-processor document, which ingest does not open: save it as plain "
            "text (Word: File > Save As > Plain Text, encoding Unicode (UTF-8); LibreOffice: "
            "Save As > Text, or `soffice --headless --convert-to 'txt:Text (encoded):UTF8' "
            f"--outdir {quote(str(path.parent))} {quote(str(path))}`)"
        )
    return (
        f"{how}, then pass {txt} (renamed, its bytes would stay the document's; "
        "offsets then count characters of that text file)."
    )


SPREADSHEETS = {".xlsx", ".xls", ".xlsm", ".ods", ".numbers"}  # saved as CSV, ingest reads them


def _spreadsheet_fix(path: Path) -> str:
    """How to ingest a spreadsheet (``posts.xlsx``): save it as CSV UTF-8; renamed, its
    bytes would stay the spreadsheet's (a zip archive), which ingest calls binary."""
    csv_name = quote(str(path.with_suffix(".csv")))
    return (
        "it is a spreadsheet, which ingest does not open: save it as CSV UTF-8 (Excel: File "
        "> Save As > 'CSV UTF-8 (Comma delimited)'; LibreOffice: Save As > Text CSV, "
        f"character set UTF-8), then pass {csv_name} (one sheet a file; renamed, its bytes "
        "would stay the spreadsheet's)."
    )


COMPRESSED = {
    ".gz": "gunzip -k {file}",
    ".bz2": "bunzip2 -k {file}",
    ".xz": "unxz -k {file}",
    ".zst": "unzstd {file}",
    ".zip": "unzip {file} -d {out}",
    ".tgz": "mkdir {out} && tar -xzf {file} -C {out}",
}  # suffix -> the command that unpacks FILE into OUT (FILE less its suffix)


def _compressed_fix(path: Path) -> str:
    """How to ingest a compressed file (``news.jsonl.gz``, ``dump.zip``): unpack it first;
    renaming it, as the generic fix says, gives a binary file with a text extension."""
    out = path.with_suffix("")
    unpack = COMPRESSED[path.suffix.lower()].format(file=quote(str(path)), out=quote(str(out)))
    if "{out}" in COMPRESSED[path.suffix.lower()]:
        return f"it is an archive, which ingest does not open: run `{unpack}`, then pass {out}."
    return (
        f"it is compressed, and ingest reads uncompressed files only: run `{unpack}`, then "
        f"pass {out} (renamed, its bytes would stay compressed)."
    )


def _json_fix(path: Path) -> str:
    """How to ingest a ``.json`` file (a tool's export, often a JSON array of posts): as
    JSON Lines, which ingest streams one object a line."""
    jsonl = path.with_suffix(".jsonl")
    return (
        f"ingest reads JSON Lines (one object per line): for a JSON array of objects run "
        f"`jq -c '.[]' {quote(str(path))} > {quote(str(jsonl))}`, then pass {jsonl}; a file "
        "already holding one object per line only needs renaming to .jsonl."
    )


def _a(noun: str) -> str:
    """``noun`` with its indefinite article: "an int", "a float"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
