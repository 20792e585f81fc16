"""What an ingest run ran with (``ingest_run``, a column of every passage it writes).

An auditor reading an exported corpus must be able to tell how its passages were cut:
the splitter's limits and version (``settings.splitter``), the duplicate and
near-duplicate settings, the masking, the earlier runs compared with, the input files
and the tool version. Ingest writes that record, as compact JSON, in each passage's
``ingest_run`` column (the pattern of ``redaction``): prelabel carries every input
column, push puts it in the task and export lists each distinct run once in the
manifest's ``ingest_runs`` and names it per row by its ``run`` id.

Input files are fingerprinted by SHA-256: ``inputs.sha256`` is the SHA-256 of the
``sha256sum``-style lines (``HEX  NAME``, sorted by name, each ending in a newline) of
every file under the paths given, named as ingest names documents (relative to what was
given: ``a.csv``, ``news/a.txt``). The files are not listed by name: the record is on
every row (a list made each row of a folder's passages about 1.3 KB), each row's
``source`` names its file already, and the digest checks a set of files as a whole.
Files ``ingest --skip-bad-files`` left out (not UTF-8, binary, unreadable), and the files
of a folder given whose type ingest does not read (a ``.gz``, a ``.pdf``: problem
``unsupported type '.gz'``), are not among them: ``skipped_files`` lists each by name,
problem, SHA-256 and size (left out of the record when none was), so an audit sees what
the run did not read. The ``--previous``
files are listed too (``previous``: each by name, SHA-256 and the runs its passages
record). Both lists (:data:`LISTS`) are written once per run, in the record of the run's
first passage; the others hold their summaries (``{"files": N, "sha256": ...}``,
:func:`list_summary`; a folder of thousands of bad files, or a chain of ``--previous``
files naming their runs, made every row, and every task pushed, carry the whole lists),
and the run id is derived from the summaries, so both forms name one run. Readers prefer
the listing form (:func:`fuller`); files written before hold the lists on every row (the
``previous`` list until 2026-12-03, its run id derived from the list), and read as
before.

The record is what a later ``ingest --previous`` reads to tell whether an earlier
file's passages compare with its own (:mod:`annotate.ingestion.previous`): each distinct
``ingest_run`` of the earlier file (:func:`recorded_runs`).

Files read with the fallback encoding (``ingest --encoding CODEC``: each file that is
not UTF-8 is read as CODEC) are listed in ``decoded_files``, each by name, codec,
SHA-256 and size of its bytes (left out of the record when none was; a list of
:data:`LISTS`), so an auditor sees which documents were decoded how; the others were
read as UTF-8.

What the run finds out as it reads (:data:`AFTER_READING`) is set as the passages are
written, once every passage is cut: ``exact_copies_dropped`` (how many exact copies were
dropped and the first :data:`COPIES_LISTED`, each as the kept passages' ``exact_copies``
names it) and ``files_without_passages`` (each text file or table read that no passage
was written of, with why; the first :data:`FILES_LISTED`), in full on the run's first
passage and as ``{"count": N}`` on the others, and no part of the run id (derived before
they are known). Export lists the latter beside ``skipped_files`` in its manifest's
``input_files.files_without_rows`` (:mod:`annotate.corpus.input_files`). So is
``rows_without_text``: the table rows skipped for having no text (null, empty or blank,
or no text field: how many, and the first :data:`annotate.ingestion.readers.ROWS_LISTED`
by ``input_file``, ``input_row`` and why), listed by export in ``input_files.rows_without_text``.
And ``bad_lines_skipped`` (``ingest --skip-bad-lines``): how many JSONL/CSV lines that are
no row were skipped, the rejects file holding them, and the first few by file, line and
reason.

What every run of a version does alike is not recorded per row (the near-duplicate
method, :data:`NEAR_DUP_METHOD`; the encoding read, UTF-8 but for ``decoded_files``; the
redaction libraries' versions, which the ``redaction`` column of masked rows carries):
``annotate_version`` (the package version, a release) says it; ``revision``, the git
commit annotate ran from when it runs from a checkout, is recorded beside it but left out
of the ``run`` id
(:data:`ID_LEAVES_OUT`). ``corpus`` is the name given with ``ingest --corpus`` (left out
when none was): two corpora ingested with the same settings are told apart by name, and
a later ``ingest --previous`` warns when an earlier file's name is another.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from annotate.ingestion.splitter import SPLITTER_VERSION
from annotate.ingestion.walk import walk_folder

if TYPE_CHECKING:
    from annotate.audit.redact import RedactionSettings
    from annotate.ingestion.bad_files import BadFile, ReadAs

log = logging.getLogger(__name__)

INGEST_RUN_COLUMN = "ingest_run"
RUN_PREFIX = "ingest-"
NEAR_DUP_METHOD = (
    "MinHash LSH (datasketch), 64 permutations, shingles of the NFKC-folded lower-cased text: "
    "word 3-grams, character 3-grams of Chinese/Japanese, 5-grams of Thai/Lao/Khmer/Myanmar"
)
_BLOCK = 1 << 20
TABLE_OPTIONS = ("text_column", "id_column", "delimiter")  # of table inputs only


@dataclass(frozen=True)
class InputFile:
    name: str  # relative to the path given, as document ids name files
    sha256: str
    bytes: int


@dataclass(frozen=True)
class IngestSettings:
    """The options an ingest ran with (``annotate ingest``'s, after defaults)."""

    text_column: str
    id_column: str | None
    delimiter: str | None  # None: each file's default (',' for .csv, tab for .tsv)
    tables: bool  # whether any input is a table or dataset (text_column, id_column apply)
    max_chars: int
    min_chars: int
    drop_exact_duplicates: bool
    near_dup_threshold: float | None  # None: the search did not run
    drop_near_duplicates: bool
    redact: dict[str, Any] | None  # redact_record(): kinds, placeholders, phone regions
    # text files split at speaker turns (annotate.ingestion.turns; ingest --no-turns:
    # False); recorded only when False, so the ids of runs with the default stay as they were
    turns: bool = True
    # ingest --id-prefix, put before every document id (so part of every passage id);
    # recorded only when given, so the ids of runs without it stay as they were
    id_prefix: str | None = None
    # ingest --license as recorded on the rows (its canonical SPDX form, or the text as
    # given), the terms the documents were obtained under; recorded only when given, so
    # the ids of runs without it stay as they were (a run under another licence is
    # another run: passD51 D6)
    license: str | None = None
    # ingest --date-column, the column of tables holding each row's date; recorded only
    # when given (and tables were read), so the runs without it stay as they were
    date_column: str | None = None
    # ingest --day-first (True) or --month-first (False): how NN/NN/YYYY dates were read;
    # recorded only when given, so the runs without it stay as they were (without it,
    # each date column told, annotate.ingestion.readers._DateValues)
    day_first: bool | None = None
    # ingest --parent-column, the column of tables naming the comment a row replies to
    # (push shows it: annotate.review.parents); recorded only when given (and tables were
    # read), so the runs without it stay as they were
    parent_column: str | None = None
    # the splitter's version (annotate.ingestion.splitter.SPLITTER_VERSION: raised when a
    # change cuts some documents otherwise); always recorded; a record without it: 1
    splitter: int = SPLITTER_VERSION


@dataclass(frozen=True)
class IngestRecord:
    annotate_version: str  # the package version (a release), without the git revision
    settings: IngestSettings
    inputs: list[InputFile]
    # the --previous files: name as given, SHA-256, and the runs their passages record
    previous: list[dict[str, Any]] = field(default_factory=list)
    corpus: str | None = None  # ingest --corpus: the name the user gave the corpus
    # the git revision annotate ran from ("git SHA" or "git SHA, dirty"; None: not a
    # checkout, an installed package): recorded, but not part of the run id
    revision: str | None = None
    # the files ingest --skip-bad-files left out, and a folder's files of a type ingest
    # does not read (annotate.ingestion.bad_files.skipped_record): name, problem, SHA-256
    # and size; not in ``inputs``
    skipped_files: list[dict[str, Any]] = field(default_factory=list)
    # the files read as ingest --encoding's codec, not UTF-8 (annotate.ingestion.
    # bad_files.decoded_record): name, codec, SHA-256 and size; in ``inputs`` too
    decoded_files: list[dict[str, Any]] = field(default_factory=list)
    # what made the text of inputs that are not text files ({"html": "html-text 0.7.1
    # (lxml 6.2.0)"} when an HTML file was read: annotate.ingestion.html); left out when
    # none was, so the ids of runs without them stay what they were
    extracted_by: dict[str, str] = field(default_factory=dict)
    # known once every passage is cut, set as they are written (:data:`AFTER_READING`):
    # the exact copies dropped ({"count", "first": the first COPIES_LISTED copy records,
    # "rest": where the others are named}) and the input files no passage was written of
    # ({"count", "first": [{"file", "why"}] the first FILES_LISTED, "rest"}); None when
    # none was (or the run wrote its passages as they came). Not part of the run id.
    exact_copies_dropped: dict[str, Any] | None = None
    files_without_passages: dict[str, Any] | None = None
    # table rows skipped for no text (null, empty or blank, or no text field): {"count",
    # "first": [{"input_file", "input_row", "why"}] the first ROWS_LISTED, "rest"}
    rows_without_text: dict[str, Any] | None = None
    # JSONL/CSV lines that are no row, skipped (--skip-bad-lines): {"count",
    # "rejects_file": the file beside the output holding each with its raw text, "first":
    # [{"input_file", "line", "reason"}], "rest"} (annotate.ingestion.bad_lines)
    bad_lines_skipped: dict[str, Any] | None = None
    # where the inputs were (:func:`input_paths`; on the run's first passage only, as
    # the lists): each path as given with the absolute
    # folder its documents' ``input_file`` names are relative to (``sources_folder``, what
    # ``annotate verify --sources`` takes), and the folder ingest ran in; empty/None in
    # records made before 6 Dec 2026. Not part of the run id: the same files ingested
    # from elsewhere cut the same passages (passD51 D2)
    input_paths: list[dict[str, str]] = field(default_factory=list)
    working_folder: str | None = None

    def as_dict(self, *, listed: bool = True) -> dict[str, Any]:
        """The record as JSON-ready data, with its ``run`` id (:data:`ID_LEAVES_OUT`).
        ``listed``: ``previous`` and ``skipped_files`` (:data:`LISTS`) as the lists (else
        their :func:`list_summary`, what the run id is derived from either way)."""
        files = sorted(self.inputs, key=lambda f: f.name)
        body: dict[str, Any] = {
            "annotate_version": self.annotate_version,
            "settings": self._settings(),
            "inputs": {
                "files": len(files),
                "bytes": sum(f.bytes for f in files),
                "sha256": inputs_digest(files),
            },
        }
        # each left out when not given (on every row, it adds up; and the ids of runs
        # without them stay what they were)
        lists = {
            "previous": self.previous,
            "skipped_files": self.skipped_files,
            "decoded_files": self.decoded_files,
        }
        if self.previous:
            body["previous"] = list_summary(self.previous)
        if self.corpus is not None:
            body["corpus"] = self.corpus
        if self.skipped_files:
            body["skipped_files"] = list_summary(self.skipped_files)
        if self.decoded_files:
            body["decoded_files"] = list_summary(self.decoded_files)
        if self.revision is not None:
            body["revision"] = self.revision
        if self.extracted_by:
            body["extracted_by"] = dict(self.extracted_by)
        run = record_run_id(body)
        # where the inputs were, not part of the id: the folders `verify --sources` takes
        # on every row (a row of the run's first passage may not be exported), the paths
        # as given and the working folder on the run's first passage only, as the lists
        if folders := sources_folders(self.input_paths):
            body["sources_folders"] = folders
        if listed and self.input_paths:
            body["input_paths"] = [dict(p) for p in self.input_paths]
        if listed and self.working_folder is not None:
            body["working_folder"] = self.working_folder
        if listed:
            body.update({key: value for key, value in lists.items() if value})
        for key in AFTER_READING:
            value = getattr(self, key)
            if value:  # in full on the first passage, its count on the others
                body[key] = dict(value) if listed else {"count": value["count"]}
        return {"run": run, **body}

    def _settings(self) -> dict[str, Any]:
        """The settings; without a table read, the table options (which did nothing)
        are left out: ``tables: false`` says so. ``turns`` only when off (``false``),
        ``id_prefix``, ``license`` and ``date_column`` only when given."""
        settings = asdict(self.settings)
        if self.settings.turns:
            settings.pop("turns")
        if self.settings.id_prefix is None:
            settings.pop("id_prefix")
        if self.settings.license is None:
            settings.pop("license")
        if self.settings.date_column is None or not self.settings.tables:
            settings.pop("date_column")
        if self.settings.day_first is None:
            settings.pop("day_first")
        if self.settings.parent_column is None or not self.settings.tables:
            settings.pop("parent_column")
        if not self.settings.tables:
            for key in TABLE_OPTIONS:
                settings.pop(key)
        return settings

    def to_json(self, *, listed: bool = True) -> str:
        return _canonical(self.as_dict(listed=listed))


# the lists of files a run record holds in full on the run's first passage only, and as
# their summary (list_summary) on the others
LISTS = ("previous", "skipped_files", "decoded_files")


def list_summary(files: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What every row's record holds of a list of :data:`LISTS` (the list is on one row):
    how many, and the SHA-256 of the list's canonical JSON (sorted keys, no spaces)."""
    digest = hashlib.sha256(_canonical(list(files)).encode("utf-8")).hexdigest()
    return {"files": len(files), "sha256": digest}


# what a run finds out as it reads and writes (exact copies dropped, input files no
# passage was written of): on the first passage in full ({"count", "first", ...}), on
# the others as their count ({"count"}); not part of the run id (ID_LEAVES_OUT)
AFTER_READING = (
    "exact_copies_dropped",
    "files_without_passages",
    "rows_without_text",
    "bad_lines_skipped",
)
COPIES_LISTED = 20  # exact copies dropped named in the record (the rest: exact_copies)
FILES_LISTED = 1000  # input files without passages named in the record


def summarised(record: dict[str, Any]) -> bool:
    """Whether ``record`` holds a list of :data:`LISTS` (or of :data:`AFTER_READING`) as
    its summary only, or no ``input_paths`` (it is not the run's first passage's, or was
    made before they were recorded: a reader reads on for a fuller one)."""
    return (
        any(isinstance(record.get(key), dict) for key in LISTS)
        or any(
            isinstance(record.get(key), dict) and "first" not in record[key]
            for key in AFTER_READING
        )
        or "input_paths" not in record
    )


def fuller(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any] | None:
    """Of two records of one run, the one that lists more of :data:`LISTS` and
    :data:`AFTER_READING` in full (see the module), else ``old`` (or ``new`` when ``old``
    is None)."""

    def listed(record: dict[str, Any]) -> int:
        return (
            sum(isinstance(record.get(key), list) for key in LISTS)
            + sum(
                isinstance(record.get(key), dict) and "first" in record[key]
                for key in AFTER_READING
            )
            + ("input_paths" in record)  # the first passage's only
        )

    if old is None or (new is not None and listed(new) > listed(old)):
        return new
    return old


# what a run id is not derived from: the git revision annotate ran from. Two commits of
# one release cut the same inputs with the same settings into the same passages (commits
# between releases change docs, tests, other commands), and one ingest must keep one id;
# the revision stays in the record for an auditor. The release (annotate_version) is
# kept in the id: a release may change the splitter, the text cleaning or the near-
# duplicate method (recorded by no setting), and so other passages from the same inputs.
# Nor from where the inputs were (input_paths, working_folder): the same files ingested
# from another folder are the same run.
ID_LEAVES_OUT = (
    "run",
    "revision",
    *AFTER_READING,
    "input_paths",
    "working_folder",
    "sources_folders",
)


def record_run_id(body: dict[str, Any]) -> str:
    """The ``run`` id of a record: ``ingest-`` and the first 16 hex digits of the SHA-256
    of its canonical JSON without :data:`ID_LEAVES_OUT` (what was ingested, with which
    settings, by which release, under which corpus name: equal ones give the same id)."""
    kept = {k: v for k, v in body.items() if k not in ID_LEAVES_OUT}
    return f"{RUN_PREFIX}{hashlib.sha256(_canonical(kept).encode()).hexdigest()[:16]}"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def inputs_digest(files: Sequence[InputFile]) -> str:
    """SHA-256 of the files' ``sha256sum`` lines sorted by name (see the module doc). A
    name that is not UTF-8 (a Windows zip's cp1252 name) is hashed as its bytes on disk,
    as ``sha256sum`` prints it (``surrogateescape``, as Python decoded it)."""
    lines = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))
    return hashlib.sha256(lines.encode("utf-8", "surrogateescape")).hexdigest()


def file_sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def input_paths(paths: Sequence[Path]) -> list[dict[str, str]]:
    """Each path given to ingest, as given (``given``), and the absolute folder the
    ``input_file`` of its documents is relative to (``sources_folder``: the folder holding
    it, as :func:`annotate.ingestion.readers.display_name` names a folder by its real name
    and a file by the name it was given), what ``annotate verify --sources`` is passed."""
    out = []
    for path in paths:
        named_real = path.name in ("", ".", "..") or path.is_dir()
        where = path.resolve().parent if named_real else path.absolute().parent
        out.append({"given": str(path), "sources_folder": str(where)})
    return out


def sources_folders(paths: Sequence[dict[str, str]]) -> list[str]:
    """The distinct ``sources_folder`` of :func:`input_paths`, in order."""
    return list(dict.fromkeys(p["sources_folder"] for p in paths if p.get("sources_folder")))


def input_files(paths: Sequence[Path], skip: Sequence[Path] = ()) -> list[InputFile]:
    """Every file under ``paths`` (a file as its name; a folder's files as
    ``FOLDER/relative/path``, hidden ones left out as ingest leaves them), fingerprinted;
    but those in ``skip`` (left out by ``--skip-bad-files``, as the walk names them)."""
    out = []
    for name, p in _found_files(paths, skip):
        digest, size = file_sha256(p)
        out.append(InputFile(name=name, sha256=digest, bytes=size))
    return out


def _found_files(paths: Sequence[Path], skip: Sequence[Path] = ()) -> list[tuple[str, Path]]:
    """The files :func:`input_files` fingerprints, as (name, path)."""
    from annotate.ingestion.readers import display_name

    found: list[tuple[str, Path]] = []
    left_out = set(skip)
    for path in paths:
        if path.is_dir():
            base = display_name(path)
            for p in walk_folder(path).paths:  # linked folders followed
                rel = p.relative_to(path)
                if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                    found.append((f"{base}/{rel.as_posix()}", p))
        elif path.is_file():
            found.append((display_name(path), path))
    return [(name, p) for name, p in found if p not in left_out]


def input_stamps(
    paths: Sequence[Path], skip: Sequence[Path] = ()
) -> dict[str, tuple[int, int] | None]:
    """Each file :func:`input_files` fingerprints, by its name: (size in bytes, modification
    time in ns), None when it cannot be read. Taken before the files are hashed and again
    once every passage is read (:func:`changed_inputs`): a file written in between gave
    passages other than the content its SHA-256 in the record names."""
    stamps: dict[str, tuple[int, int] | None] = {}
    for name, p in _found_files(paths, skip):
        try:
            st = p.stat()
        except OSError:
            stamps[name] = None
        else:
            stamps[name] = (st.st_size, st.st_mtime_ns)
    return stamps


def changed_inputs(
    before: dict[str, tuple[int, int] | None], paths: Sequence[Path], skip: Sequence[Path] = ()
) -> list[str]:
    """The names of the input files added, removed or written (size or modification time)
    since :func:`input_stamps` gave ``before``, sorted."""
    after = input_stamps(paths, skip)
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


@dataclass
class RecordedRuns:
    """The distinct ``ingest_run`` values of a passages file (:func:`recorded_runs`)."""

    has_column: bool = False  # False: no ingest_run column (an older annotate's file)
    # run id -> its record (None: the row names the run only, as an exported corpus does)
    records: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    rows_without: int = 0  # rows with no readable record (ingested before it existed)
    # set by ingest's --previous check: another source by design (this run gives another
    # --id-prefix and reads none of the file's input files), whose other text or id
    # column is then no sign of another corpus (break9 N6)
    other_source: bool = False


def recorded_runs(path: Path) -> RecordedRuns:
    """Each distinct ``ingest_run`` of the passages file ``path`` (JSONL or Parquet),
    read over that one column (:func:`annotate.ingestion.column_counts.column_counts`:
    pyarrow for a small file, DuckDB streaming a large one, so a file of millions of rows
    is not read into memory); it holds few distinct values (one per run that cut its
    rows)."""
    from annotate.ingestion.column_counts import column_counts
    from annotate.tables import table_columns, table_format

    try:
        columns = table_columns(path)
    except StopIteration:  # an empty JSONL
        return RecordedRuns()
    if INGEST_RUN_COLUMN not in columns:
        return RecordedRuns()
    values = column_counts(path, INGEST_RUN_COLUMN, table_format(path))
    found = RecordedRuns(has_column=True)
    for raw, count in values:
        run = run_id(raw)
        if run is None:
            found.rows_without += count
            continue
        found.records[run] = fuller(found.records.get(run), _parsed_record(raw))
    if any(r is None for r in found.records.values()):
        for run, record in _manifest_runs(path).items():
            if run in found.records and found.records[run] is None:
                found.records[run] = record
    found.records = dict(sorted(found.records.items()))
    return found


def _manifest_runs(path: Path) -> dict[str, dict[str, Any]]:
    """The records an exported corpus's ``manifest.json`` lists in ``ingest_runs`` (its
    rows, ``jsonl/*.jsonl`` or ``parquet/*.parquet``, name their run by id only), by run
    id; empty when ``path`` is not in an exported corpus or the manifest lists none."""
    manifest = path.parent.parent / "manifest.json"
    if not manifest.is_file():
        return {}
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["ingest_runs"]["runs"]
    except (ValueError, KeyError, TypeError, OSError):
        return {}
    out = {}
    for entry in listed if isinstance(listed, list) else []:
        if isinstance(entry, dict) and entry.get("run"):
            out[str(entry["run"])] = {k: v for k, v in entry.items() if k != "rows"}
    return out


def _parsed_record(raw: Any) -> dict[str, Any] | None:
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
    except ValueError:  # a bare run id
        return None
    return value if isinstance(value, dict) else None


def previous_record(
    paths: Sequence[Path], runs: dict[Path, RecordedRuns] | None = None
) -> list[dict[str, Any]]:
    """The ``--previous`` files: name as given, SHA-256, and the ``run`` ids their
    passages record (empty for passages written before ingest recorded its runs).
    ``runs``: each file's :func:`recorded_runs`, when already read."""
    out = []
    for path in paths:
        digest, _ = file_sha256(path)
        found = (runs or {}).get(path) or recorded_runs(path)
        out.append({"file": path.name, "sha256": digest, "runs": sorted(found.records)})
    return out


def reads_tables(paths: Sequence[Path]) -> bool:
    """Whether any of ``paths`` is, or holds, a table or a saved dataset (whose
    ``text_column`` and ``id_column`` ingest reads; text files have neither)."""
    from annotate.ingestion.readers import TABLE_SUFFIXES, is_hf_dataset

    for path in paths:
        if is_hf_dataset(path) or (path.suffix.lower() in TABLE_SUFFIXES and path.is_file()):
            return True
        if path.is_dir():
            for p in walk_folder(path).paths:
                rel = p.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if is_hf_dataset(p) or (p.is_file() and p.suffix.lower() in TABLE_SUFFIXES):
                    return True
    return False


def run_id(raw: Any) -> str | None:
    """The ``run`` id of an ``ingest_run`` value (JSON text or a dict, as ingest writes it;
    or the bare id, as an exported corpus's rows carry it); None when there is none or it
    cannot be read."""
    if not raw:
        return None
    if isinstance(raw, str) and raw.startswith(RUN_PREFIX) and raw[len(RUN_PREFIX) :].isalnum():
        return raw
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    run = value.get("run") if isinstance(value, dict) else None
    return str(run) if run else None


def build_record(
    paths: Sequence[Path],
    settings: IngestSettings,
    previous: Sequence[Path] = (),
    previous_runs: dict[Path, RecordedRuns] | None = None,
    corpus: str | None = None,
    skipped: Sequence[BadFile] = (),
    decoded: Sequence[ReadAs] = (),
) -> IngestRecord:
    """The record of a run over ``paths``; ``skipped``: the files ``--skip-bad-files``
    left out (listed in ``skipped_files``, not fingerprinted in ``inputs``); ``decoded``:
    the files read as ``--encoding``'s codec (listed in ``decoded_files``)."""
    import annotate
    from annotate._util.revision import checkout_revision
    from annotate.ingestion import html
    from annotate.ingestion.bad_files import decoded_record, skipped_record

    inputs = input_files(paths, [b.path for b in skipped])
    pages = any(PurePosixPath(f.name).suffix.lower() in html.SUFFIXES for f in inputs)
    return IngestRecord(
        annotate_version=annotate.__version__,
        settings=settings,
        inputs=inputs,
        extracted_by={"html": html.extractor()} if pages else {},
        previous=previous_record(previous, previous_runs),
        corpus=corpus,
        revision=checkout_revision(),
        skipped_files=skipped_record(skipped),
        decoded_files=decoded_record(decoded),
        input_paths=input_paths(paths),
        working_folder=str(Path.cwd()),
    )


def check_corpus_name(name: str | None) -> str | None:
    """``ingest --corpus``: the name stripped; InputError when it is empty or holds a
    control character (it is written into every passage's record and the manifests)."""
    if name is None:
        return None
    stripped = name.strip()
    if not stripped or any(ord(c) < 32 or ord(c) == 127 for c in stripped):
        from annotate.errors import InputError

        raise InputError(
            f"--corpus {name!r}: expected a name for the corpus (e.g. forum-2026), found "
            + ("an empty one." if not stripped else "one holding a control character."),
            fix="pass a short printable name, e.g. --corpus forum-2026, or leave --corpus out.",
        )
    return stripped


def corpus_names(runs: RecordedRuns) -> list[str]:
    """The corpus names (``ingest --corpus``) the runs of a passages file record."""
    names = {str(r["corpus"]) for r in runs.records.values() if r and r.get("corpus")}
    return sorted(names)


# what a masked text reads ("phone_international": "+country" numbers masked when
# possible, or only when valid; not in records made before 2026-12-05, which read as valid;
# "user_url_without_scheme": not in records made before 2026-12-06, which read as false;
# "subtitle_markup": not in records made before stop 49's last change, read as false;
# "detection_revision": not in records made before stop 50, read as 1)
REDACTION_KEYS = (
    "kinds", "placeholders", "phone_regions", "phone_international", "user_url_without_scheme",
    "subtitle_markup", "detection_revision",
)  # fmt: skip


PHONENUMBERS_KEY = "phonenumbers"


def redact_record(redact: RedactionSettings | None) -> dict[str, Any] | None:
    """What of the ``--redact`` settings changes a masked text (the libraries' versions
    and the rest are in each masked row's ``redaction`` column); None: not masked."""
    if redact is None:
        return None
    full = redact.record()
    # the phonenumbers version that found the numbers masked (a newer one's ranges and
    # plans can mask others): what `verify --sources` compares with the one installed
    # (not a setting: no --previous check compares it; records made before stop 54 have
    # none, read as "unknown")
    return {
        **{k: full[k] for k in REDACTION_KEYS},
        PHONENUMBERS_KEY: full["library"]["phonenumbers"],
    }


__all__ = [
    "AFTER_READING",
    "COPIES_LISTED",
    "FILES_LISTED",
    "INGEST_RUN_COLUMN",
    "LISTS",
    "PHONENUMBERS_KEY",
    "IngestRecord",
    "IngestSettings",
    "InputFile",
    "RecordedRuns",
    "build_record",
    "check_corpus_name",
    "corpus_names",
    "fuller",
    "input_paths",
    "inputs_digest",
    "list_summary",
    "reads_tables",
    "record_run_id",
    "recorded_runs",
    "run_id",
    "summarised",
]
