"""Input files ingest cannot read as text, found in one pass before any work.

A folder of thousands of files used to stop at its first file that was not UTF-8 (or
binary, or unreadable), and each re-run named only the next one. :func:`find_bad_files`
looks at every file the readers would open, before the first document is read:

- every file (any type): it can be opened (``unreadable``: permission denied); a link
  whose target does not exist (``broken link``: a git-annex file whose content was not
  fetched, a target moved away) is one too, where the readers would pass over it without
  a word in a folder (it is no file) and call it missing when named alone;
- a ``.txt``/``.md`` file: its bytes are UTF-8 (a leading BOM dropped), else what they
  look like (``binary``, or the likely encoding, :func:`annotate._util.encoding.
  decode_problem`); one named on the command line that is empty is bad too (``empty``:
  in a folder an empty file is skipped and counted, as before);
- a table (CSV, TSV, JSONL, Parquet) named on the command line without rows (``empty``:
  in a folder the reader skips and counts it, as an empty text file);
- a CSV, TSV or JSONL table: its bytes are UTF-8 (streamed; its rows are checked as they
  are read, and a bad row stays an error naming it);
- with a fallback encoding (``ingest --encoding CODEC``), a text file or table that is not
  UTF-8 is no bad file when CODEC reads all of it and it is no binary file
  (:func:`annotate._util.encoding.fallback_problem`): :func:`check_input_files` lists it
  among the files read as CODEC (:class:`ReadAs`, recorded in the run's ``ingest_run``
  as ``decoded_files``, :func:`decoded_record`);
- a table (CSV, TSV, JSONL, Parquet): it has the text column (``no text column``: its
  header, Parquet schema or JSONL keys, as the readers read them, with the readers' error
  and fix), when ``find_bad_files`` is given the run's ``text_column``; and the id column
  ``--id-column`` names (``no id column``), when it is given the run's ``id_column``;
- a Hugging Face dataset folder (``save_to_disk``, given or inside a folder given): the
  same two columns, read from each split's ``dataset_info.json`` features (no load of
  the data); one lacking them is a bad file as a table is (its folder skipped).

``ingest`` raises one :class:`InputError` naming them all (each is logged with its own
fix), or with ``skip_bad_files`` leaves them out and records them in the run's
``ingest_run`` (``skipped_files``, :func:`skipped_record`).
"""

from __future__ import annotations

import codecs
import json
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate._util.encoding import (
    UTF8,
    decode_problem,
    fallback_problem,
    first_bad_utf8,
    marked_codec,
    utf8_mark_note,
    utf16_unmarked,
)
from annotate._util.repeated import FirstFew
from annotate._util.shell import sh
from annotate.errors import EmptyTableError, InputError
from annotate.ingestion.walk import LOOP, HiddenLinks, walk_folder

log = logging.getLogger(__name__)

SHOWN = 5  # bad files named in the error line (every one is logged)
_CHECKED_TABLES = {".csv", ".tsv", ".jsonl", ".ndjson"}  # text tables: UTF-8 checked
NO_TEXT_COLUMN = "no text column"  # a table without the run's text column
NO_ID_COLUMN = "no id column"  # a table without the run's --id-column


@dataclass(frozen=True)
class BadFile:
    """A file ingest cannot read as text."""

    path: Path  # as the readers walk it (what the user gave, joined with the file's path)
    name: str  # as document ids name it (``posts/a.txt``), for the run record
    problem: str  # ``unreadable``, ``empty``, ``binary``, ``not UTF-8``, the encoding,
    # :data:`NO_TEXT_COLUMN` or :data:`NO_ID_COLUMN`
    error: InputError  # what was expected, what was found, the fix

    def said(self) -> str:
        """``posts/a.txt (cp1252)``: the file as errors name it, with its problem."""
        return f"{escaped_name(self.path)} ({self.problem})"


@dataclass(frozen=True)
class ReadAs:
    """A file that is not UTF-8, read with the fallback encoding (``ingest --encoding``)."""

    path: Path  # as the readers walk it
    name: str  # as document ids name it, for the run record
    encoding: str  # the codec's Python name (``cp1252``)
    # a web page read as the charset it declares, not --encoding's (annotate.ingestion.
    # html.page_codec): ``meta charset=windows-1252`` or ``byte-order mark``
    declared_by: str | None = None


@dataclass(frozen=True)
class InputCheck:
    """What :func:`check_input_files` found: the bad files and the files read as the
    fallback encoding, each in the order the readers read them."""

    bad: list[BadFile]
    decoded: list[ReadAs]
    # files in a folder given whose type ingest does not read (a `.gz`, a `.pdf`): the
    # readers pass over them with a warning, the run record lists them in skipped_files
    unsupported: list[BadFile] = field(default_factory=list)
    # linked folders inside a folder given that were not followed (a loop, or a folder
    # read already: annotate.ingestion.walk), warned of; listed in skipped_files
    links: list[BadFile] = field(default_factory=list)


def find_bad_files(
    paths: Sequence[Path],
    *,
    text_column: str | None = None,
    delimiter: str | None = None,
    id_column: str | None = None,
    encoding: str | None = None,
) -> list[BadFile]:
    """The bad files of :func:`check_input_files`."""
    return check_input_files(
        paths,
        text_column=text_column,
        delimiter=delimiter,
        id_column=id_column,
        encoding=encoding,
    ).bad


def check_input_files(
    paths: Sequence[Path],
    *,
    text_column: str | None = None,
    delimiter: str | None = None,
    id_column: str | None = None,
    encoding: str | None = None,
) -> InputCheck:
    """Every file under ``paths`` that ingest cannot read as text (see the module doc),
    in the order the readers read them; with ``text_column``, every table without that
    column too (``delimiter``: of CSV files, as ``--delimiter`` gives it), and with
    ``id_column`` (``--id-column``), every table without that one, and every dataset
    folder without them (after the files). Paths that do not exist are left to the
    readers' own errors. ``encoding``: the fallback codec (``--encoding``, checked by
    :func:`annotate._util.encoding.check_fallback_encoding`) of text files and tables
    that are not UTF-8; those it reads are listed in ``decoded``, not ``bad``."""

    bad: list[BadFile] = []
    decoded: list[ReadAs] = []
    unsupported: list[BadFile] = []
    with FirstFew() as said:
        for path, name, explicit in _files(paths):
            found = _file_problem(
                path, name, explicit, text_column, delimiter, id_column, encoding, decoded, said
            )
            if found is None and not explicit and _unsupported_type(path):
                unsupported.append(_unsupported(path, name))
            if found is not None:
                bad.append(found)
                if decoded and decoded[-1].path == path:  # a table without its column
                    decoded.pop()
    if text_column is not None:
        for path, name in _datasets(paths):
            found = _dataset_problem(path, name, text_column, id_column)
            if found is not None:
                bad.append(found)
        bad = _separate_runs(bad, paths, text_column)
    return InputCheck(bad, decoded, unsupported, _links_not_followed(paths))


def _separate_runs(bad: list[BadFile], paths: Sequence[Path], text_column: str) -> list[BadFile]:
    """``bad`` with the fix of each table without the text column saying to ingest it in
    a run of its own when another table of the run has that column: the run's one
    ``--text-column`` cannot suit both, and the table's own fix (``pass --text-column
    'text'``) alone made the other fail next (passG52 G7)."""
    from annotate.ingestion.readers import TABLE_SUFFIXES

    lacking = {b.path for b in bad if b.problem == NO_TEXT_COLUMN}
    if not lacking:
        return bad
    others = [
        path
        for path, _, _ in _files(paths)
        if path.suffix.lower() in TABLE_SUFFIXES and path not in {b.path for b in bad}
    ]
    if not others:
        return bad
    shown = ", ".join(p.name for p in others[:3]) + (", ..." if len(others) > 3 else "")
    out = []
    for b in bad:
        if b.path in lacking:
            own = (b.error.fix or "").rstrip(".")
            fix = (
                f"the tables of one run share one text column, and {len(others)} other "
                f"table(s) of this run have {text_column!r} ({shown}): ingest {b.path.name} "
                f"in a separate run, and for it {own[:1].lower()}{own[1:]}; or rename its "
                f"column to {text_column!r}."
            )
            b = BadFile(b.path, b.name, b.problem, InputError(b.error.what, fix=fix))
        out.append(b)
    return out


def _links_not_followed(paths: Sequence[Path]) -> list[BadFile]:
    """Each linked folder under a folder of ``paths`` that ingest does not go into (a loop,
    or a folder read already: :func:`annotate.ingestion.walk.walk_folder`), warned of."""
    from annotate.ingestion.readers import display_name, is_hf_dataset

    out = []
    for given in paths:
        if not given.is_dir() or is_hf_dataset(given):
            continue
        folder = display_name(given)
        walk = walk_folder(given)
        for group in walk.ambiguous:
            raise ambiguous_links_error(given, group)
        for link in walk.not_followed:
            name = f"{folder}/{link.path.relative_to(given).as_posix()}"
            if link.problem == LOOP:
                why = "following it would read the folders above it again and again"
                fix = (
                    "nothing to do for the folder given; to ingest the other files of "
                    f"{link.target}, give them (or their folders) as inputs of their own."
                )
            else:
                why = "its files are read once, under the names they have where they are read"
                fix = "nothing to do: no file is left out (remove the link to silence this)."
            error = InputError(
                f"{link.path}: {link.problem} (it names {link.target}): {why}.", fix=fix
            )
            log.warning("%s Fix: %s", error.what, error.fix)
            out.append(BadFile(link.path, name, link.problem, error))
    return out


def ambiguous_links_error(given: Path, group: HiddenLinks) -> InputError:
    """The InputError for several links under the folder ``given`` to one hidden folder
    (:attr:`annotate.ingestion.walk.FolderWalk.ambiguous`): its files are read under one
    link's name, and which one would change with every link added or renamed, their
    document and passage ids with it (break8 M5)."""
    from annotate.ingestion.readers import display_name

    folder = display_name(given)
    links = [f"{folder}/{p.relative_to(given).as_posix()}" for p in group.links]
    return InputError(
        f"{', '.join(links[:-1])} and {links[-1]} {'both' if len(links) == 2 else 'all'} "
        f"link to the hidden folder "
        f"{group.target} (or to folders in it); expected one link to a hidden folder: its "
        "files are read under a link's name (never under the hidden one's), and which "
        "link names them, and so their document and passage ids, would change whenever "
        "a link is added or renamed.",
        fix=f"keep one of the links and remove the others (to keep the ids of an earlier "
        f"ingest, the one its doc_ids start with, e.g. {links[0]}/...), or give the "
        "folder a name that is not hidden.",
    )


def _unsupported_type(path: Path) -> bool:
    from annotate.ingestion.readers import TABLE_SUFFIXES, TEXT_SUFFIXES

    suffix = path.suffix.lower()
    return (
        not _broken_link(path)
        and suffix not in TEXT_SUFFIXES
        and suffix not in _CHECKED_TABLES
        and suffix not in TABLE_SUFFIXES
    )


def _file_problem(
    path: Path,
    name: str,
    explicit: bool,
    text_column: str | None,
    delimiter: str | None,
    id_column: str | None,
    encoding: str | None,
    decoded: list[ReadAs],
    said: FirstFew,
) -> BadFile | None:
    """The problem of one file of :func:`check_input_files`, or None."""
    from annotate.ingestion.readers import TABLE_SUFFIXES, TEXT_SUFFIXES

    suffix = path.suffix.lower()
    if escaped_name(path) != str(path):
        return _name_not_utf8(path, name)
    if _broken_link(path):
        return _dangling(path, name)
    if suffix in TEXT_SUFFIXES:
        return _text_problem(path, name, explicit, encoding, decoded, said)
    if suffix in _CHECKED_TABLES:
        found = _table_problem(path, name, encoding, decoded)
    else:
        found = _unreadable(path, name)
    # the table's codec, chosen above: the fallback when it is not UTF-8
    codec = decoded[-1].encoding if decoded and decoded[-1].path == path else UTF8
    if found is None and explicit and suffix in TABLE_SUFFIXES:
        found = _empty_table(path, name, delimiter, codec)
    if found is None and text_column is not None and suffix in TABLE_SUFFIXES:
        found = _missing_column(path, name, text_column, delimiter, id_column, codec)
    return found


NAME_NOT_UTF8 = "name not UTF-8"


def escaped_name(path: Path | str) -> str:
    """``path`` as text that can be written anywhere: a name whose bytes are not UTF-8
    (a Windows zip's cp1252 or cp437 names; Python holds them as lone surrogates, which
    no UTF-8 file, JSON row or terminal takes) with each such byte as ``\\xe9``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _name_not_utf8(path: Path, name: str) -> BadFile:
    """A file whose name is not UTF-8: its name would be its documents' id and
    ``input_file``, written to UTF-8 files (break9 N13: ingest stopped with a
    UnicodeEncodeError traceback). The fix renames it, read as Windows-1252."""
    raw = os.fsencode(path.name)
    shown = escaped_name(path)
    renamed = path.with_name(raw.decode("cp1252", "replace").replace("\ufffd", "_"))
    old = (
        "$'"
        + "".join(
            chr(b) if 32 <= b < 127 and b not in b"'\\" else f"\\x{b:02x}"
            for b in os.fsencode(path)
        )
        + "'"
    )
    error = InputError(
        f"{shown}: its name is not UTF-8 (bytes shown as \\xNN; a file from a Windows zip "
        "names files in its own code page); the name would be its documents' id and "
        "input_file, which must be text.",
        fix=f"rename it to a UTF-8 name, e.g. `mv {old} {sh(escaped_name(renamed))}` (or a "
        "whole folder: `convmv -r -f cp1252 -t utf-8 --notest FOLDER`), then ingest again.",
    )
    return BadFile(path, escaped_name(name), NAME_NOT_UTF8, error)


def _unsupported(path: Path, name: str) -> BadFile:
    """A file of a folder given whose type ingest does not read, as the run record's
    ``skipped_files`` names it (problem ``unsupported type '.gz'``)."""
    from annotate.ingestion.readers import unsupported_fix

    kind = f"unsupported type {path.suffix.lower() or '(no extension)'!r}"
    return BadFile(path, name, kind, InputError(f"{path}: {kind}.", fix=unsupported_fix(path)))


def _datasets(paths: Sequence[Path]) -> Iterator[tuple[Path, str]]:
    """(folder, name as ids give it) of each Hugging Face dataset folder the readers
    load: given, or inside a folder given (not inside a hidden folder or another
    dataset: a DatasetDict's splits are read with it)."""
    from annotate.ingestion.readers import display_name, is_hf_dataset

    for given in paths:
        if is_hf_dataset(given):
            yield given, display_name(given)
        elif given.is_dir():
            folder = display_name(given)
            for path in walk_folder(given).paths:
                rel = path.relative_to(given)
                if (
                    any(part.startswith(".") for part in rel.parts)
                    or not is_hf_dataset(path)
                    or any(is_hf_dataset(p) for p in path.parents if given in p.parents)
                ):
                    continue
                yield path, f"{folder}/{rel.as_posix()}"


def dataset_columns(path: Path) -> list[tuple[str | None, list[str]]]:
    """(split or None, column names) of each split of the dataset folder ``path``
    (``Dataset.save_to_disk``: ``dataset_info.json``'s ``features``; ``DatasetDict``:
    the splits ``dataset_dict.json`` lists, each a folder so written). Reads no data.
    Raises OSError, ValueError (not JSON), KeyError or TypeError (not such a folder)."""
    listing = path / "dataset_dict.json"
    if listing.is_file():
        splits = json.loads(listing.read_text(encoding="utf-8"))["splits"]
        folders: list[tuple[str | None, Path]] = [(str(s), path / str(s)) for s in splits]
    else:
        folders = [(None, path)]
    out = []
    for split, folder in folders:
        info = json.loads((folder / "dataset_info.json").read_text(encoding="utf-8"))
        out.append((split, [str(c) for c in info["features"]]))
    return out


def _dataset_problem(
    path: Path, name: str, text_column: str, id_column: str | None
) -> BadFile | None:
    """A dataset folder with a split without ``text_column`` (or, having it, without
    ``id_column`` when one is given), with the error and fix a table gets; the first such
    split. One whose features cannot be read is left to the reader's error."""
    from annotate.ingestion.readers import id_column_fix, shown_path, text_column_fix
    from annotate.tables import require_columns

    try:
        splits = dataset_columns(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.debug("%s: dataset features not read before the run (%s)", path, exc)
        return None
    for split, columns in splits:
        part = f"[{split}]" if split else ""
        shown = Path(shown_path(path) + part)
        fix = text_column_fix(columns, text_column, ",", name + part)
        try:
            require_columns(shown, columns, [text_column], fix=fix)
        except InputError as error:
            return BadFile(path, name + part, NO_TEXT_COLUMN, error)
        if id_column is None:
            continue
        try:
            require_columns(shown, columns, [id_column], fix=id_column_fix(columns, id_column))
        except InputError as error:
            return BadFile(path, name + part, NO_ID_COLUMN, error)
    return None


def _files(paths: Sequence[Path]) -> Iterator[tuple[Path, str, bool]]:
    """(path, name as ids give it, named on the command line) of each file the readers
    open: as :func:`annotate.ingestion.readers.read_documents` walks them."""
    from annotate.ingestion.readers import display_name, is_hf_dataset

    for given in paths:
        if is_hf_dataset(given):
            continue
        if given.is_dir():
            folder = display_name(given)
            for path in walk_folder(given).paths:
                rel = path.relative_to(given)
                if any(part.startswith(".") for part in rel.parts) or is_hf_dataset(path):
                    continue
                if _broken_link(path):
                    yield path, f"{folder}/{rel.as_posix()}", False
                    continue
                if not path.is_file() or any(
                    is_hf_dataset(p) for p in path.parents if given in p.parents
                ):
                    continue
                yield path, f"{folder}/{rel.as_posix()}", False
        elif given.is_file() or _broken_link(given):
            yield given, display_name(given), True


def _broken_link(path: Path) -> bool:
    """Whether ``path`` is a symbolic link whose target does not exist."""
    return path.is_symlink() and not path.exists()


def _dangling(path: Path, name: str) -> BadFile:
    try:
        target = str(path.readlink())
    except OSError:
        target = "a target"
    return BadFile(
        path,
        name,
        "broken link",
        InputError(
            f"{path}: a link to {target}, which does not exist; expected a file you can read.",
            fix="fetch its content (e.g. `git annex get`, `dvc pull`) or point the link at "
            "the file, or move the link out of the input.",
        ),
    )


def _unreadable(path: Path, name: str) -> BadFile | None:
    try:
        with path.open("rb"):
            return None
    except OSError as exc:
        why = os.strerror(exc.errno).lower() if exc.errno else "cannot be opened"
        return BadFile(
            path,
            name,
            "unreadable",
            InputError(
                f"{path}: cannot be read ({why}); expected a file you can read.",
                fix="make it readable (e.g. `chmod a+r`), or move it out of the input.",
            ),
        )


def _text_problem(
    path: Path,
    name: str,
    explicit: bool,
    encoding: str | None,
    decoded: list[ReadAs],
    said: FirstFew,
) -> BadFile | None:
    """The text file's problem, or None; one read as ``encoding`` is added to ``decoded``."""
    try:
        raw = path.read_bytes()
    except OSError:
        return _unreadable(path, name)
    if explicit and not raw.removeprefix(codecs.BOM_UTF8).strip():
        from annotate.ingestion.readers import empty_said

        error = InputError(
            f"{path}: {empty_said(raw)}.", fix="remove it from the input or add its text."
        )
        return BadFile(path, name, "empty", error)
    from annotate.ingestion import html

    if path.suffix.lower() in html.SUFFIXES:  # a saved page: its mark or declared charset
        chosen = html.page_codec(raw)
        if chosen.problem is not None:
            said.warn(
                log,
                DECLARED_NOT_FOLLOWED,
                "%s",
                html.page_problem_said(path, chosen, encoding),
            )
        if chosen.codec is not None:
            decoded.append(ReadAs(path, name, chosen.codec, chosen.declared_by))
            return _blank(path, name, explicit, raw.decode(chosen.codec))
    marked = marked_codec(path)
    if marked is not None:  # UTF-16/32 with its byte-order mark: read as it says
        decoded.append(ReadAs(path, name, marked, MARKED_BY))
        return _blank(path, name, explicit, raw.decode(marked))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _not_utf8(path, name, encoding, decoded)
    return _blank(path, name, explicit, text) or _utf16(path, name, raw)


MARKED_BY = "byte-order mark"  # ReadAs.declared_by of a UTF-16/32 file read by its mark


DECLARED_NOT_FOLLOWED = "web pages whose declared charset was not followed"


def _blank(path: Path, name: str, explicit: bool, text: str) -> BadFile | None:
    """A file named on the command line whose ``text`` shows nothing, or None."""
    from annotate.ingestion.readers import blank

    if explicit and blank(text):  # zero-width spaces only: as empty as white space
        error = InputError(
            f"{path}: the file shows no text (white space, zero-width or other invisible "
            "characters only).",
            fix="remove it from the input or add its text.",
        )
        return BadFile(path, name, "empty", error)  # check_input_files pops it from decoded
    return None


def _utf16(path: Path, name: str, raw: bytes) -> BadFile | None:
    """A file of valid UTF-8 that is UTF-16 without its mark (its NULs would be removed
    as control bytes), or None."""
    if utf16_unmarked(raw) is not None:
        problem, error = decode_problem(path, ingest=True)
        return BadFile(path, name, problem, error)
    return None


def _table_problem(
    path: Path, name: str, encoding: str | None, decoded: list[ReadAs]
) -> BadFile | None:
    """The CSV/JSONL table's problem, or None; one read as ``encoding`` is added to
    ``decoded``."""
    unreadable = _unreadable(path, name)
    if unreadable is not None:
        return unreadable
    if first_bad_utf8(path) is None:
        return None
    # a CSV/TSV in UTF-16/32 with its mark (Excel's "Unicode Text"): read as it says; a
    # JSONL is read a line at a time as bytes, which UTF-16 is not: it stays a bad file
    if path.suffix.lower() in (".csv", ".tsv") and (marked := marked_codec(path)) is not None:
        decoded.append(ReadAs(path, name, marked, MARKED_BY))
        return None
    return _not_utf8(path, name, encoding, decoded)


def _not_utf8(path: Path, name: str, encoding: str | None, decoded: list[ReadAs]) -> BadFile | None:
    """A file that is not UTF-8: bad without a fallback ``encoding`` or when it does not
    read it (or it is binary), else None, added to ``decoded``."""
    if encoding is None:
        problem, error = decode_problem(path, ingest=True)
        return BadFile(path, name, problem, error)
    found = fallback_problem(path, encoding)
    if found is not None:
        return BadFile(path, name, *found)
    if (note := utf8_mark_note(path, encoding)) is not None:
        log.warning("%s", note)
    decoded.append(ReadAs(path, name, encoding))
    return None


def _empty_table(path: Path, name: str, delimiter: str | None, codec: str = UTF8) -> BadFile | None:
    """A table named on the command line without rows (empty, blank lines only, a CSV
    header alone): ``empty``, found before the run as an empty text file named so is (in
    a folder, the reader skips and counts it). Reads up to its first row, as ``codec``
    (chosen: UTF-8, or the fallback); any other problem is left to the reader's error."""
    from annotate.tables import iter_rows_located

    try:
        next(iter(iter_rows_located(path, delimiter=delimiter, codec=codec)), None)
    except EmptyTableError as exc:
        error = InputError(exc.what, fix="remove it from the input or add its rows.")
        return BadFile(path, name, "empty", error)
    except Exception as exc:  # the reader says what is wrong with it, when it reaches it
        log.debug("%s: rows not read before the run (%s)", path, exc)
    return None


def _missing_column(
    path: Path,
    name: str,
    text_column: str,
    delimiter: str | None,
    id_column: str | None,
    codec: str = UTF8,
) -> BadFile | None:
    """A table without ``text_column`` (or, having it, without ``id_column`` when one is
    given): read as :func:`annotate.ingestion.readers.read_table` reads its columns (a
    JSONL file's keys of every row when its first row lacks one; as ``codec``, chosen),
    with the error and fix its reader would give. A table whose columns cannot be read (a
    broken Parquet file) or that has none (an empty file) is left to the reader's error."""
    from annotate.ingestion.readers import id_column_fix, shown_path, text_column_fix
    from annotate.tables import (
        csv_delimiter,
        iter_rows_located,
        require_columns,
        table_columns,
        table_format,
    )

    try:
        columns = table_columns(path, delimiter=delimiter, codec=codec)
        wanted = {text_column, id_column or text_column}
        if not wanted <= set(columns) and table_format(path) == "jsonl":
            rows = iter_rows_located(path, codec=codec)
            columns = list(dict.fromkeys(k for _, row in rows for k in row))
    except Exception as exc:  # the reader says what is wrong with it, when it reaches it
        log.debug("%s: columns not read before the run (%s)", path, exc)
        return None
    if not columns:  # an empty table: its reader's own error ("the file is empty")
        return None
    shown = Path(shown_path(path))
    fix = text_column_fix(columns, text_column, csv_delimiter(path, delimiter), str(shown))
    try:
        require_columns(shown, columns, [text_column], fix=fix)
    except InputError as error:
        return BadFile(path, name, NO_TEXT_COLUMN, error)
    if id_column is None:
        return None
    try:
        require_columns(shown, columns, [id_column], fix=id_column_fix(columns, id_column))
    except InputError as error:
        return BadFile(path, name, NO_ID_COLUMN, error)
    return None


def log_bad_files(bad: Sequence[BadFile], *, skipped: bool = False) -> None:
    """Log each bad file with its own fix (every one: the list a user works through);
    ``skipped``: saying it was left out (``--skip-bad-files``)."""
    for b in bad:
        if skipped:
            log.warning("%s Left out (--skip-bad-files). Fix: %s", b.error.what, b.error.fix)
        else:
            log.warning("%s", b.error)


def bad_files_error(bad: Sequence[BadFile], *, others: bool) -> InputError:
    """The error for ``bad`` (not empty): one file's own error, its fix naming
    ``--skip-bad-files`` when ``others`` (other files would be read); several named in one
    line, the first :data:`SHOWN` with their problems, and counted by problem."""
    skip = (
        "pass --skip-bad-files to leave them out and ingest the rest (the files left out are "
        "listed in the run record, ingest_run.skipped_files)"
    )
    if len(bad) == 1:
        one = bad[0].error
        if not others:
            return one
        fix = f"{(one.fix or '').rstrip('.')}; or {skip.replace('them', 'it')}."
        return InputError(one.what, fix=fix)
    kinds: dict[str, int] = {}
    for b in bad:
        kinds[b.problem] = kinds.get(b.problem, 0) + 1
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    named = ", ".join(b.said() for b in bad[:SHOWN])
    more = f" and {len(bad) - SHOWN:,} more" if len(bad) > SHOWN else ""
    columns = kinds.pop(NO_TEXT_COLUMN, 0)
    ids = kinds.pop(NO_ID_COLUMN, 0)
    empty = kinds.pop("empty", 0)
    # a broken link or an unreadable file is no encoding problem (passG52 G6)
    unread = {"broken link", "unreadable"}
    if not kinds or columns or ids or empty:
        what = "ingested"
    else:
        what = "read" if unread & set(kinds) else "read as UTF-8 text"
    expected = "readable UTF-8 text files" if kinds or not empty else "files with text"
    tables = " and tables with the text column (--text-column)" if columns else ""
    tables += " and tables with the id column (--id-column)" if ids else ""
    tables += ", each with text or rows" if empty and expected != "files with text" else ""
    fixes = []
    if empty:
        fixes.append("remove the empty files from the input (or add their text or rows)")
    if kinds:
        fixes.append(
            "read the files that are not UTF-8 with --encoding CODEC (e.g. --encoding "
            "cp1252, the encoding their warnings name; UTF-8 files are still read as UTF-8) "
            "or re-encode each as UTF-8 (e.g. `iconv -f CP1252 -t utf-8`), move binary or "
            "unreadable files out of the input"
        )
    if columns:
        fixes.append(
            "pass the text column with --text-column NAME (or rename the column: its "
            "warning names the likely one; ingest tables whose text columns differ in "
            "separate runs)"
        )
    if ids:
        fixes.append(
            "pass the id column with --id-column NAME (or rename the column: its warning "
            "names the likely one; ingest tables whose id columns differ in separate runs)"
        )
    return InputError(
        f"{len(bad):,} input files cannot be {what} ({counted}): {named}{more}; "
        f"expected {expected}{tables} (the warnings above name each with "
        "its fix).",
        fix=f"{'; '.join(fixes)}, or {skip}.",
    )


def skipped_record(bad: Sequence[BadFile]) -> list[dict[str, Any]]:
    """``skipped_files`` of the run record: each file left out by ``--skip-bad-files``, by
    its name as document ids name files, with its problem, SHA-256 and size (None when it
    cannot be read), sorted by name."""
    return [
        {"file": b.name, "problem": b.problem, **_digest(b.path)}
        for b in sorted(bad, key=lambda b: b.name)
    ]


def decoded_record(files: Sequence[ReadAs]) -> list[dict[str, Any]]:
    """``decoded_files`` of the run record: each file read as the fallback encoding
    (``--encoding``), or a web page read as the charset it declares (with ``declared_by``:
    ``meta charset=windows-1252``, ``byte-order mark``), by its name as document ids name
    files, with the codec, SHA-256 and size of its bytes (None when it cannot be read
    again), sorted by name."""
    return [
        {
            "file": f.name,
            "encoding": f.encoding,
            **({"declared_by": f.declared_by} if f.declared_by else {}),
            **_digest(f.path),
        }
        for f in sorted(files, key=lambda f: f.name)
    ]


def _digest(path: Path) -> dict[str, Any]:
    """``{"sha256", "bytes"}`` of the file at ``path`` as the run record lists a file
    (both None when it cannot be read)."""
    from annotate.ingestion.record import file_sha256

    try:
        digest, size = file_sha256(path)
    except OSError:
        digest, size = None, None
    return {"sha256": digest, "bytes": size}


__all__ = [
    "BadFile",
    "InputCheck",
    "ReadAs",
    "bad_files_error",
    "check_input_files",
    "decoded_record",
    "find_bad_files",
    "log_bad_files",
    "skipped_record",
]
