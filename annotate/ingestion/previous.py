"""Passages of earlier ingest runs, read before a new run (``annotate ingest --previous``).

A corpus reviewed in batches gets re-posts: Tuesday's statement copied into Friday's
forum dump. Read into the new run's seen-store and near-duplicate index first (they come
first in input order, so they are the "first" of equal texts and of near-duplicate
groups), the earlier passages make the new run drop exact copies of them and give a
near-copy the earlier passage's id as ``near_dup_group`` (``--drop-near-duplicates``
drops it): reviewers are not sent what they already reviewed. Nothing of the earlier
runs is written again.

Whether the earlier passages compare is read from their ``ingest_run`` column
(:mod:`annotate.ingestion.record`): every distinct run recorded in the file (a file can
hold several, e.g. batches concatenated), read without loading its rows.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.defaults import DEFAULT_MAX_CHARS
from annotate.errors import AnnotateError, InputError
from annotate.ingestion.readers import ID_COLUMNS
from annotate.ingestion.record import REDACTION_KEYS as REDACTION
from annotate.ingestion.record import RecordedRuns, corpus_names, recorded_runs
from annotate.ingestion.splitter import SPLITTER_CHANGES, SPLITTER_VERSION
from annotate.tables import (
    TABLE_SUFFIXES,
    batched,
    iter_rows,
    require_columns,
    table_columns,
    table_format,
)

if TYPE_CHECKING:
    from annotate.ingestion.near_dups import NearDupIndex
    from annotate.ingestion.seen import SeenStore

log = logging.getLogger(__name__)

COLUMNS = ("id", "doc_id", "text")
CHUNK = 5000
# what makes the same document give other passages (other texts, other ids); and
# ``turns``, compared apart (recorded only when off: ingest --no-turns)
SPLITTER = ("max_chars", "min_chars")


ALLOW_FLAG = "--allow-other-previous-settings"


def check_previous(
    paths: Sequence[Path],
    out: Path,
    *,
    redact: bool = False,
    record: dict[str, Any] | None = None,
    allow_other_settings: bool = False,
    inputs: Sequence[Path] = (),
) -> dict[Path, RecordedRuns]:
    """Fail before any work unless each path is a passages table (JSONL/Parquet with
    ``id``, ``doc_id``, ``text``, as ``annotate ingest`` writes) other than ``out``, written
    with ``--redact`` exactly when this run masks personal data (``redact``; otherwise
    no copy of a passage holding an e-mail or a phone number would match).

    ``record``: this run's settings (``IngestSettings`` as a dict), compared with those of
    every run recorded in each earlier file's ``ingest_run`` (:func:`_compare`): other
    splitter or masking settings fail unless ``allow_other_settings``; another
    ``--id-prefix`` alone fails only when the earlier file holds passages of one of this
    run's ``inputs`` (the paths given), :func:`_shared_inputs`. Returns each
    file's recorded runs (:func:`annotate.ingestion.record.recorded_runs`).
    Raises InputError, SchemaError."""
    found: dict[Path, RecordedRuns] = {}
    refuse_previous_as_out(paths, out)
    for path in paths:
        if path.is_dir():
            raise InputError(
                f"--previous {path} is a folder; expected the passages file of an earlier "
                "ingest (.jsonl or .parquet).",
                fix="pass the --out file of the earlier `annotate ingest` run (of an exported "
                "corpus: its jsonl/*.jsonl files, one --previous each).",
            )
        if not path.is_file():
            raise InputError(
                f"--previous {path}: no such file; expected the passages file of an earlier "
                "ingest (.jsonl or .parquet).",
                fix="pass the --out file of the earlier `annotate ingest` run.",
            )
        if path.suffix.lower() not in TABLE_SUFFIXES:  # a document, not a table of passages
            raise InputError(
                f"--previous {path} is a {path.suffix or '(no extension)'!r} file; expected "
                "the passages file of an earlier ingest (.jsonl or .parquet).",
                fix="pass the --out file of the earlier `annotate ingest` run (its documents "
                "go among this run's inputs).",
            )
        table_format(path)
        try:
            columns = table_columns(path)
        except StopIteration:  # an empty JSONL: an earlier run that kept no passage
            found[path] = RecordedRuns()
            continue
        require_columns(
            path,
            columns,
            COLUMNS,
            produced_by="annotate ingest",
            fix="pass the --out file of an earlier `annotate ingest` run, not its input.",
        )
        found[path] = recorded_runs(path)
        if "ingest_redaction" in columns:  # an exported corpus: says so per row, not here
            if record is not None and _settings(found[path]):  # its manifest's ingest_runs
                _compare(path, (), found[path], record, allow_other_settings, inputs)
                continue
            log.info(
                "--previous %s is an exported corpus whose manifest.json lists no ingest "
                "run: its ingest settings are not checked against this run's",
                path,
            )
            continue
        if ("redaction" in columns) != redact:
            was, now = ("with", "without") if redact is False else ("without", "with")
            raise InputError(
                f"--previous {path} was ingested {was} --redact and this run is {now} it: "
                "passages holding personal data would not match their earlier copies, "
                "which reviewers would be sent again.",
                fix=(
                    "add --redact (with the earlier run's settings)"
                    if not redact
                    else "leave out --redact, or re-ingest the earlier documents with it"
                )
                + " so both runs mask the same way.",
            )
        if record is not None:
            _compare(path, columns, found[path], record, allow_other_settings, inputs)
    return found


def refuse_previous_as_out(paths: Sequence[Path], out: Path) -> None:
    """InputError when one of ``paths`` (``--previous``) is ``out``: an options error,
    checked before ingest refuses an existing ``out`` (whose fix, ``--overwrite``, would
    only lead to this one)."""
    for path in paths:
        if Path(path).resolve() == Path(out).resolve():
            raise InputError(
                f"--previous {path} is this run's --out: the new passages would be compared "
                "with the file they replace, and every one of them dropped.",
                fix="write this run to a new file (e.g. passages-batch2.jsonl) and keep "
                "--previous for the earlier runs' files.",
            )


def _settings(runs: RecordedRuns) -> list[dict[str, Any]]:
    """The settings of each run recorded in full (bare run ids say nothing of them)."""
    out = []
    for record in runs.records.values():
        settings = (record or {}).get("settings")
        if isinstance(settings, dict):
            out.append(settings)
    return out


def _compare(
    path: Path,
    columns: Sequence[str],
    runs: RecordedRuns,
    now: dict[str, Any],
    allow_other_settings: bool,
    inputs: Sequence[Path] = (),
) -> None:
    """The settings of each run recorded in the earlier passages file ``path`` (its
    ``ingest_run`` column) against this run's (``now``). Other splitter or masking
    settings cut or mask the same document into other passages (other texts, other
    ids): InputError, or a warning when ``allow_other_settings``. A file without a
    record (older versions, other commands' tables) is accepted with a logged note; its
    masking is still read from its rows' ``redaction`` column."""
    earlier = _settings(runs)
    differ: list[str] = []
    if not earlier or runs.rows_without:
        log.info(
            "--previous %s records no ingest settings%s (written by an annotate older than "
            "that record, or not by `annotate ingest`): %s splitting is not checked "
            "against this run's",
            path,
            f" on {runs.rows_without} row(s)" if earlier else "",
            "their" if earlier else "its",
        )
    masks: list[dict[str, Any]] = [s["redact"] for s in earlier if s.get("redact")]
    if not earlier and "redaction" in columns:
        masked = row_redaction(path)
        if masked is not None:
            masks.append(masked)
    for settings in earlier:
        differ += [
            f"--{key.replace('_', '-')} {settings.get(key)} (this run: {now.get(key)})"
            for key in SPLITTER
            if settings.get(key) != now.get(key)
        ]
        # recorded only when off (a record without it read turns, or predates them)
        if settings.get("turns", True) != now.get("turns", True):
            differ.append(_turns_said(settings.get("turns", True), now.get("turns", True)))
        # recorded only when given: part of every document id, so of every passage id
        if settings.get("id_prefix") != now.get("id_prefix"):
            differ.append(
                f"{_prefix_said(settings.get('id_prefix'))} "
                f"(this run: {_prefix_said(now.get('id_prefix'))})"
            )
    _warn_other_splitter(path, runs, now.get("splitter", SPLITTER_VERSION))
    mine = now.get("redact")
    older_masking = False  # masked before numbered placeholders (no setting gives it now)
    if mine is not None:
        for masked in masks:
            masked = _with_later_detections(masked, mine)
            older_masking = older_masking or _masked_before_numbering(masked, mine)
            differ += [
                f"--redact {key} {masked.get(key)} (this run: {mine.get(key)})"
                for key in REDACTION
                if masked.get(key) != mine.get(key)
            ]
    differ = list(dict.fromkeys(differ))  # several runs cut alike: each difference once
    if not differ:
        return
    what = (
        f"--previous {path} was ingested with {'; '.join(differ)}: the same document gives "
        "other passages (other texts, other ids), so copies of passages reviewers already "
        "had would not be found and would be sent again"
    )
    if all("-id-prefix" in d for d in differ):  # only the prefix: other document ids
        # both runs name their source by a prefix of its own: a file of the same name
        # (each platform's export.csv) is the same file only when its documents are
        by_content = bool(now.get("id_prefix")) and all(s.get("id_prefix") for s in earlier)
        shared = _shared_inputs(path, inputs, now, by_content=by_content)
        if shared == []:  # another source (docs/ingest.md: give each its own prefix)
            runs.other_source = True
            log.info(
                "--previous %s was ingested with %s, and holds passages of none of this "
                "run's input files: another source, compared as it is",
                path,
                "; ".join(differ),
            )
            return
        if shared:
            differ.append(f"both read {', '.join(shared[:3])}{', ...' if len(shared) > 3 else ''}")
        what = (
            f"--previous {path} was ingested with {'; '.join(differ)}: the same document "
            "gets another document id, so its changed passages would get passage ids apart "
            "from the earlier ones (and, without the prefix, ones that can collide with "
            "another source's again)"
        )
    if not allow_other_settings:
        raise InputError(
            what + ".",
            fix=(
                "it was masked by an annotate before 2026-12-05, with plain placeholders "
                "([EMAIL], now [EMAIL-1]) and fewer phone numbers, which no setting gives "
                f"now: pass {ALLOW_FLAG} to compare anyway (passages without masked values "
                "are still found, near-copies too)."
                if older_masking and all(d.startswith("--redact ") for d in differ)
                else "ingest with the earlier run's settings, or pass "
                f"{ALLOW_FLAG} to compare anyway (passages cut and masked alike are still "
                "found, near-copies too)."
            ),
        )
    log.warning("%s (%s given: compared anyway)", what, ALLOW_FLAG)


def _shared_inputs(
    path: Path,
    inputs: Sequence[Path],
    now: dict[str, Any] | None = None,
    *,
    by_content: bool = False,
) -> list[str] | None:
    """The input files of the earlier passages file ``path`` (its rows' ``input_file``)
    that this run reads again: a file among ``inputs`` by its name, or a file under a
    folder among them (``docs/a.txt`` under ``docs``), as the run record names them
    (:func:`annotate.ingestion.readers.display_name`); or, as the same file may be named
    otherwise in each run (break9 N5: a folder in one run and the file in the other, a
    name masked by ``--redact``, a monthly dump renamed), a file this run reads of the
    same file name (placeholders of a masked name fitting any text), or one whose
    documents are, as this run's settings ``now`` cut them, largely the earlier file's
    documents (``document_sha256``; the first :data:`CONTENT_CHECKED` of each file read).
    None when that cannot be told (no ``inputs`` given, a row without ``input_file``:
    ingested before it was recorded). Another ``--id-prefix`` was refused for any earlier
    file, a different source's too, whose own prefix is what docs/ingest.md asks for (passI53
    I10); the refusal's reason (the same document gets another document id) holds only
    for a document both runs read. ``by_content`` (both runs give a prefix, and they
    differ: two sources by design): a file matched by its name only (each platform's
    ``export.csv``, in folders of their own) is shared only when its documents are the
    earlier file's, as for a renamed file (stop 54)."""
    if not inputs:
        return None
    from annotate.ingestion.readers import display_name, is_hf_dataset

    files = {display_name(p) for p in inputs if not p.is_dir() or is_hf_dataset(p)}
    folders = tuple(f"{display_name(p)}/" for p in inputs if p.is_dir() and not is_hf_dataset(p))
    read = _files_read(inputs)  # this run's files: (path, name as ingest names it)
    bases = {p.name for p, _ in read}
    shared: dict[str, None] = {}
    hashes: dict[str, str] = {}  # earlier document_sha256 -> its input_file
    by_name: dict[str, None] = {}  # by_content: the files of a name this run reads
    for row in iter_rows(path):
        name = row.get("input_file")
        if not isinstance(name, str):
            return None
        base = name.split("[", 1)[0]  # a dataset's split: name[train]
        named = None
        if name in files or base in files or name.startswith(folders):
            named = name
        elif _same_file_name(name, bases):
            named = f"{name} (by its file name)"
        if named is not None and not by_content:
            shared[named] = None
            continue
        if named is not None:
            by_name[name] = None
        if isinstance(sha := row.get("document_sha256"), str):
            hashes.setdefault(sha, name)
    if hashes and now is not None:
        for found, named in _same_documents(read, hashes, now):
            shared[f"{found} (this run: {named}, the same documents)"] = None
            by_name.pop(found, None)
    if by_name:
        log.info(
            "--previous %s holds files named as this run's (%s) of other documents: "
            "another source's, with its own --id-prefix (this run's: %s)",
            path,
            ", ".join(list(by_name)[:3]),
            now.get("id_prefix") if now is not None else None,
        )
    return list(shared)


CONTENT_CHECKED = 2000  # documents of each input file compared with the earlier ones


def _files_read(inputs: Sequence[Path]) -> list[tuple[Path, str]]:
    """Each file this run reads (given, or under a folder given; not a dataset folder),
    with the name ingest gives it."""
    from annotate.ingestion.readers import display_name, is_hf_dataset
    from annotate.ingestion.walk import walk_folder

    out = []
    for given in inputs:
        if is_hf_dataset(given):
            continue
        if given.is_dir():
            folder = display_name(given)
            for p in walk_folder(given).paths:
                rel = p.relative_to(given)
                if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                    out.append((p, f"{folder}/{rel.as_posix()}"))
        elif given.is_file():
            out.append((given, display_name(given)))
    return out


def _same_file_name(recorded: str, bases: set[str]) -> bool:
    """Whether an earlier ``input_file`` (``c2/sub/forum.jsonl``; masked by ``--redact``:
    ``WhatsApp Chat with [PHONE-1].txt``, each placeholder any text) has the file name
    of one of ``bases`` (this run's files' names)."""
    from annotate.audit.placeholders import ANY_PLACEHOLDER

    last = recorded.rsplit("/", 1)[-1]
    if ANY_PLACEHOLDER.search(last):
        pattern = ".+".join(re.escape(piece) for piece in ANY_PLACEHOLDER.split(last))
        return any(re.fullmatch(pattern, b) for b in bases)
    split = re.fullmatch(r"(.*)\[[^\]/]*\]", last)  # a dataset's split: name[train]
    return last in bases or (split is not None and split.group(1) in bases)


def _same_documents(
    read: list[tuple[Path, str]], hashes: dict[str, str], now: dict[str, Any]
) -> list[tuple[str, str]]:
    """(earlier input_file, this run's file) for each file of ``read`` whose documents,
    cut and masked as this run's settings ``now`` do, are largely (at least 2, and a
    fifth of those read; a one-document file: its one) documents of the earlier file
    (``hashes``: document_sha256 -> input_file). A file that cannot be read so is passed
    over (its own error comes with the run)."""
    from annotate.audit.sources import read_source_file, readers_quiet
    from annotate.ingestion import document_sha256
    from annotate.ingestion.readers import TABLE_SUFFIXES, TEXT_SUFFIXES

    settings = {**now, "redact": now.get("redact"), "id_prefix": None}
    out = []
    for p, name in read:
        if p.suffix.lower() not in (*TABLE_SUFFIXES, *TEXT_SUFFIXES):
            continue
        seen = 0
        matched: dict[str, int] = {}
        try:
            with readers_quiet():  # the run's own read says what the readers see
                reading = read_source_file(p, name, name, None, settings, None)
                try:
                    docs = list(islice(reading, CONTENT_CHECKED))
                finally:
                    reading.close()  # its summary said (and dropped) here
            for doc in docs:
                seen += 1
                if (earlier := hashes.get(document_sha256(doc.text))) is not None:
                    matched[earlier] = matched.get(earlier, 0) + 1
        except (AnnotateError, OSError, ValueError):  # ingest names it with its own error
            continue
        if not matched:
            continue
        earlier, count = max(matched.items(), key=lambda kv: kv[1])
        if (count >= 2 and count * 5 >= seen) or (seen == 1 and count == 1):
            out.append((earlier, name))
    return out


def _warn_other_splitter(path: Path, runs: RecordedRuns, now: int) -> None:
    """Warn when a run recorded in ``path`` was cut by another splitter version than this
    run's (``now``; a record without one: version 1, cut before the version was recorded)
    and passages of ``path`` hold what the versions between read otherwise
    (:data:`annotate.ingestion.splitter.SPLITTER_CHANGES`): their documents are cut into
    other passages now, so copies of them are not found. Names how many, what changed and
    the annotate that cut the earlier run (the fix: ingest this batch with it to cut
    alike). Without such a passage (most corpora: no CJK, Indic or Arabic full stop) every
    document is cut alike: a note under -v only. The file is read for it (its text
    column, streamed) only when a version differs."""
    others: dict[int, list[str]] = {}
    for record in runs.records.values():
        settings = (record or {}).get("settings")
        if not isinstance(settings, dict):
            continue  # no settings recorded: said under -v (_compare)
        version = settings.get("splitter", 1)
        if version != now:
            # the git revision names the annotate that cut it; annotate_version does
            # not (the package version every build reports, break5 B13)
            revision = str(record.get("revision") or "")
            cut_by = (
                f"git {revision[4:].partition(',')[0][:7]}" if revision.startswith("git ") else ""
            )
            others.setdefault(version, []).append(cut_by)
    for version, revisions in sorted(others.items(), key=lambda item: str(item[0])):
        cut_by = _cut_by_said(version, revisions)
        known = isinstance(version, int) and not isinstance(version, bool) and version < now
        between = range(version + 1, now + 1) if known else range(0)
        changes = [SPLITTER_CHANGES[v] for v in between if v in SPLITTER_CHANGES]
        if not changes:  # a later version than this annotate knows (or not a number)
            log.warning(
                "--previous %s was cut by splitter version %r, which this annotate (splitter "
                "version %s) does not know: a later annotate cut it, and some documents "
                "may be cut into other passages here, so copies of their passages would not "
                "be found. Fix: ingest with that annotate (or a later one): %s.",
                path,
                version,
                now,
                cut_by,
            )
            continue
        chars = "".join(c for _, held in changes for c in held)
        held = _passages_holding(path, chars)
        unrecorded = " (recorded before ingest recorded its version)" if version == 1 else ""
        if held == 0:
            log.info(
                "--previous %s was cut by splitter version %s%s and this run by version %s; "
                "none of its passages holds a character the versions read otherwise where "
                "it changes the cut (in a document longer than a passage, or ending a "
                "line): every document is cut alike",
                path,
                version,
                unrecorded,
                now,
            )
            continue
        log.warning(
            "--previous %s was cut by splitter version %s%s and this run by version %s, "
            "which differ: %s. %s of its passages %s these characters where they change "
            "the cut (documents longer than a passage, or a line ending in one): their "
            "documents may be cut into other passages now (other texts, other passage ids), "
            "so copies of them may not be found and be sent to reviewers again; other "
            "documents are cut alike. Fix: to cut alike, ingest this batch with %s; or let "
            "reviewers see those passages again.",
            path,
            version,
            unrecorded,
            now,
            "; ".join(what for what, _ in changes),
            held,
            "holds" if held == 1 else "hold",
            cut_by,
        )


def _cut_by_said(version: Any, revisions: list[str]) -> str:
    """Which annotate cuts as splitter ``version`` did, as the fix names it: by the git
    revisions the earlier runs recorded (those "" recorded none: a wheel or pip install)
    and, for version 1, by date (the version was recorded from 6 Dec 2026 on)."""
    named = [r for r in dict.fromkeys(revisions) if r]
    when = "from before 6 Dec 2026, " if version == 1 else ""
    which = f"the earlier run's: {', '.join(named)}" if named else "no git revision recorded"
    return f"an annotate {when}of splitter version {version!r} ({which})"


def _passages_holding(path: Path, chars: str) -> int:
    """How many passages of ``path`` hold one of ``chars`` where it can change how their
    document is cut (streamed): a sentence end cuts only inside a paragraph longer than a
    passage, so only in a document longer than its run's ``max_chars`` (the furthest
    ``end`` of its passages in ``path`` past it); and a line ending in one of ``chars``
    before a line opening in lowercase, once a soft-wrapped line (one paragraph), is a
    paragraph break now, whatever the document's length. A short document holding them
    (most posts and comments) is cut alike (break5 B12)."""
    wanted = re.compile(f"[{re.escape(chars)}]")
    line_end = re.compile(rf"[{re.escape(chars)}][^\S\n]*\n[^\S\n]*(\S)")
    furthest: dict[tuple[Any, ...], int] = {}  # document -> its passages' furthest end
    held: list[tuple[tuple[Any, ...], int]] = []  # (document, its run's max_chars)
    max_chars: dict[str, int] = {}  # ingest_run (as recorded) -> its max_chars
    for row in iter_rows(path):
        text = row.get("text")
        doc = (row.get("input_file"), row.get("doc_id"), row.get("document_sha256"))
        end = row.get("end")
        if isinstance(end, int) and not isinstance(end, bool):
            furthest[doc] = max(furthest.get(doc, 0), end)
        if not isinstance(text, str) or not wanted.search(text):
            continue
        if any(m.group(1).islower() for m in line_end.finditer(text)):
            held.append((doc, -1))  # a paragraph break now: cut otherwise at any length
            continue
        if not isinstance(end, int) or isinstance(end, bool):
            held.append((doc, -1))  # no offsets recorded: cannot tell, counted
            continue
        run = row.get("ingest_run")
        key = run if isinstance(run, str) else ""
        if key not in max_chars:
            max_chars[key] = _recorded_max_chars(run)
        held.append((doc, max_chars[key]))
    return sum(1 for doc, limit in held if furthest.get(doc, 0) > limit)


def _recorded_max_chars(run: Any) -> int:
    """The ``max_chars`` a row's ``ingest_run`` record (a JSON text) names; the default
    when it names none."""
    try:
        record = json.loads(run) if isinstance(run, str) else run
    except ValueError:
        return DEFAULT_MAX_CHARS
    value = ((record or {}).get("settings") or {}).get("max_chars")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_MAX_CHARS


def _turns_said(earlier: bool, now: bool) -> str:
    """An earlier run's ``turns`` setting against this run's, as the error names it."""

    def said(on: bool) -> str:
        return "speaker turns read" if on else "--no-turns"

    return f"{said(earlier)} (this run: {said(now)})"


def _prefix_said(prefix: str | None) -> str:
    """An ``--id-prefix`` setting as the error names it."""
    return "no --id-prefix" if prefix is None else f"--id-prefix {prefix!r}"


def _column(name: str | None) -> str:
    """A recorded table column as the warning names it: ``'post_id'``, or for an
    ``--id-column`` not given (recorded null) the columns ingest then reads ids from."""
    if name is None:
        return f"not given: {' or '.join(map(repr, ID_COLUMNS))}"
    return repr(name)


def warn_other_tables(
    paths: Sequence[Path], now: dict[str, Any], runs: dict[Path, RecordedRuns]
) -> list[Path]:
    """Warn of each earlier file read from tables with another text or id column than this
    run's tables (``now``: this run's settings; both runs must have read tables, the
    earlier file's as its ``ingest_run`` records them, ``runs``): most likely another
    corpus (another team's, another source), whose exact copies this run drops although
    this project never reviewed them. A file the --previous check took for another source
    by design (another ``--id-prefix``, none of this run's input files:
    ``RecordedRuns.other_source``) is not warned of (break9 N6). Returns those files."""
    if not now.get("tables"):
        return []
    other = []
    for path in paths:
        if (runs.get(path) or RecordedRuns()).other_source:
            continue  # another source by design: its own columns are expected (N6)
        shape: list[str] = []
        for earlier in _settings(runs.get(path) or RecordedRuns()):
            if not earlier.get("tables"):
                continue
            shape += [
                f"--{key.replace('_', '-')} {_column(earlier.get(key))} "
                f"(this run: {_column(now.get(key))})"
                for key in ("text_column", "id_column")
                if earlier.get(key) != now.get(key)
            ]
        shape = list(dict.fromkeys(shape))
        if shape:
            other.append(path)
            log.warning(
                "--previous %s was read from tables with %s: it may be another corpus "
                "(another team's, another source), whose exact copies this run dropped "
                "although this project never reviewed them; if it is this corpus, a "
                "document read again got another id. Check that --previous is this "
                "project's earlier batch.",
                path,
                "; ".join(shape),
            )
    return other


def warn_other_corpus(
    paths: Sequence[Path], corpus: str | None, runs: dict[Path, RecordedRuns]
) -> list[Path]:
    """Warn of each earlier file whose runs record a corpus name (``ingest --corpus``)
    other than this run's ``corpus`` (both named): most likely another corpus, whose
    exact copies this run drops although this project never reviewed them. Returns those
    files."""
    if corpus is None:
        return []
    other = []
    for path in paths:
        names = [n for n in corpus_names(runs.get(path) or RecordedRuns()) if n != corpus]
        if names:
            other.append(path)
            log.warning(
                "--previous %s was ingested as corpus %s and this run as %r: expected an "
                "earlier batch of this corpus, so this run dropped copies of passages this "
                "project may never have reviewed. Check that --previous is this corpus's "
                "earlier batch; if it is (renamed), give this run the same --corpus.",
                path,
                " and ".join(repr(n) for n in names),
                corpus,
            )
    return other


def _with_later_detections(masked: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """An earlier run's masking (``masked``) read as this run's (``mine``) where it differs
    only by the detections annotate added on 2026-12-06 (home folders' user names, user
    URLs written without ``https://``), with a warning: they change only the passages that
    hold such a value, which are then sent again. Other differences are kept."""
    from annotate.audit.placeholders import PLACEHOLDERS

    if masked.get("subtitle_markup") is None and mine.get("subtitle_markup") is True:
        log.warning(
            "an earlier run's passages were masked before annotate found values split by "
            "subtitle markup (<i>jane</i>@example.com): a subtitle passage holding one is "
            "masked otherwise now and is not found as a copy of the earlier one"
        )
        masked = {**masked, "subtitle_markup": True}
    from annotate.audit.redact import (
        PEOPLE_REVISION,
        REVISION_CHANGES,
        SETTINGS_REVISIONS,
        recorded_revision,
    )

    earlier = recorded_revision(masked.get("detection_revision"))
    now = mine.get("detection_revision")
    # a revision that changes nothing with these settings (6 with user URLs masked whole)
    changed = [
        r
        for r in range(earlier + 1, now + 1 if isinstance(now, int) else earlier + 1)
        if r in REVISION_CHANGES and (r not in SETTINGS_REVISIONS or SETTINGS_REVISIONS[r](mine))
    ]
    if isinstance(now, int) and earlier < now and changed:
        changes = "; ".join(REVISION_CHANGES[r] for r in changed)
        stop = {1: "stop-50", 2: "stop-51"}.get(changed[0] - 1, f"revision {changed[0]}")
        log.warning(
            "an earlier run's passages were masked before annotate's %s detection rules "
            "(%s): a passage holding one is masked otherwise now and is not found as a copy "
            "of the earlier one",
            stop,
            changes,
        )
    if isinstance(now, int) and earlier < now:
        masked = {**masked, "detection_revision": now}
    if isinstance(now, int) and earlier < PEOPLE_REVISION <= now:
        masked = _with_people_kinds(masked, mine)  # warned of above, with the revision
    later = {"home_user"}
    kinds = list(masked.get("kinds") or [])
    mine_kinds = list(mine.get("kinds") or [])
    added = [k for k in mine_kinds if k not in kinds]
    if (
        masked.get("user_url_without_scheme") is not None
        or not set(added) <= later
        or [k for k in mine_kinds if k not in later] != kinds
    ):
        return masked
    log.warning(
        "an earlier run's passages were masked before annotate masked home folders' user "
        "names (/home/[HOME_USER-1]/) and user URLs written without https:// "
        "(twitter.com/jane): a passage holding one is masked otherwise now and is not "
        "found as a copy of the earlier one"
    )
    placeholders = dict(masked.get("placeholders") or {})
    numbered = str(next(iter(placeholders.values()), "")).endswith("-n]")
    for kind in added:
        plain = PLACEHOLDERS[kind]
        placeholders[kind] = plain.replace("]", "-n]") if numbered else plain
    return {
        **masked,
        "kinds": mine_kinds,
        "placeholders": placeholders,
        "user_url_without_scheme": mine.get("user_url_without_scheme"),
    }


def _with_people_kinds(masked: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """An earlier run's masking, made before detection revision 7 added the ``name`` and
    ``address`` kinds, with those of them this run masks added (its kinds and
    placeholders, numbered as its others are): the revision's warning says that a
    passage holding one is sent again; nothing else differs."""
    from annotate.audit.placeholders import PLACEHOLDERS

    kinds = list(masked.get("kinds") or [])
    added = [k for k in mine.get("kinds") or [] if k in ("name", "address") and k not in kinds]
    if not added:
        return masked
    placeholders = dict(masked.get("placeholders") or {})
    numbered = str(next(iter(placeholders.values()), "")).endswith("-n]")
    for kind in added:
        plain = PLACEHOLDERS[kind]
        placeholders[kind] = plain.replace("]", "-n]") if numbered else plain
    return {**masked, "kinds": kinds + added, "placeholders": placeholders}


def _masked_before_numbering(masked: dict[str, Any], mine: dict[str, Any]) -> bool:
    """Whether an earlier run's masking differs from this run's only by what annotate
    changed on 2026-12-05 (numbered placeholders, possible ``+country`` numbers)."""
    plain = masked.get("placeholders") or {}
    numbered = mine.get("placeholders") or {}
    return (
        masked.get("kinds") == mine.get("kinds")
        and masked.get("phone_regions") == mine.get("phone_regions")
        and masked.get("phone_international") in (None, "valid")
        and all(not str(v).endswith("-n]") for v in plain.values())
        and any(str(v).endswith("-n]") for v in numbered.values())
    )


def row_redaction(path: Path) -> dict[str, Any] | None:
    """The masking of a file written before ``ingest_run`` existed: the settings of the
    first passage whose ``redaction`` column (which every ``ingest --redact`` wrote)
    records them, as :data:`REDACTION` keys (rows are streamed up to that one, mostly the
    first)."""
    for row in iter_rows(path):
        value = row.get("redaction")
        if value in (None, ""):
            continue
        try:
            parsed = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            return None
        if isinstance(parsed, dict):
            return {k: parsed.get(k) for k in REDACTION}
        return None
    return None


def remember_previous(
    paths: Sequence[Path],
    seen: SeenStore | None,
    index: NearDupIndex | None,
    *,
    dedupe: bool = True,
) -> int:
    """Read the passages of ``paths`` into ``seen`` (their document ids, so that an edited
    document keeps its passages' places; with ``dedupe`` their texts too, which count as
    seen: exact copies in the new run are duplicates) and ``index`` (near-duplicate
    search), before the new run's passages. Returns how many passages were read."""
    from annotate.ingestion.seen import duplicate_digest

    count = 0
    for path in paths:
        for batch in batched(iter_rows(path), CHUNK):
            texts = [str(r["text"] or "") for r in batch]
            docs = [str(r["doc_id"]) for r in batch]
            if seen is not None:
                if dedupe:
                    seen.remember_previous([duplicate_digest(t) for t in texts])
                seen.remember_previous_docs(docs)
            if index is not None:
                index.add([str(r["id"]) for r in batch], docs, texts)
            count += len(batch)
    if index is not None:
        index.new_run()  # a new run's first document is never one of the earlier runs'
    log.info("read %d passage(s) of %d earlier ingest run(s)", count, len(paths))
    return count
