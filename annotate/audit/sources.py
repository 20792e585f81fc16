"""`annotate verify CORPUS --sources DIR`: are the documents an export came from unchanged,
and still where the export says?

Every exported row records its document (``doc_id``), the input file and row ingest read
it from (``input_file``, ``input_row``: :mod:`annotate.corpus.input_files`), the SHA-256 of
the document's text as ingest split it (``document_sha256``) and the passage's character
offsets into that text (``start``, ``end``). This module reads each input file again
under ``DIR`` (the folder holding a path ingest was given: ``input_file`` is relative to
it, ``corpus/a.txt`` for ``ingest ../corpus``; the path itself works too; the run records
it, absolute, as ``input_paths[].sources_folder``), with the readers ingest used and the
settings its run recorded (the manifest's ``ingest_runs``: text and id column, delimiter,
``--redact``, the files ``decoded_files`` lists: ``--encoding``'s, a web page's declared
charset, a UTF-16/32 file's byte-order mark, under the masked name ``--redact`` gave a file
too), turns each document into the text ingest
hashed (control characters removed, masked as ingest masked it), and compares its hash
with the recorded one and each passage's text with the document's text at its offsets.
Several ``DIR``s (a corpus ingested from files of several folders): each input file is
looked for under each in turn, and read from the first holding it.

Per document (one ``doc_id`` and recorded hash): :data:`UNCHANGED`, :data:`CHANGED` (the
hash differs, the row now holds another document, or the file cannot be read as ingest
read it; with the passages no longer found at their offsets), :data:`MISSING` (the file,
or the row of it, is not there; with the paths looked for) or :data:`NOT_CHECKED` (the
export cannot say: rows without ``input_file``, an export made with ``--redact``, which
masks the text and leaves the hash out).

Formats: ``.txt``/``.md`` files (front matter included: the offsets index the whole
file), ``.html``/``.htm`` files (not byte for byte: their text is extracted again as
ingest extracted it, :mod:`annotate.ingestion.html`, and compared with the recorded hash
and offsets; a changed one whose run recorded another extractor version than the one
installed says so, as the difference may be the extractor's), JSONL, CSV/TSV, Parquet,
and ``save_to_disk`` folders (``NAME[SPLIT]``). A document cut from a Hugging Face Hub
dataset was saved to disk first (ingest reads no network): its folder is what is looked for.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate._util.encoding import clean_text
from annotate._util.os_files import without_os_files
from annotate._util.progress import ProgressFn, advance, set_total
from annotate.audit.formats import jsonl_rows
from annotate.audit.placeholders import ANY_PLACEHOLDER
from annotate.errors import AnnotateError, InputError

log = logging.getLogger(__name__)

UNCHANGED = "unchanged"
CHANGED = "changed"
MISSING = "missing"
NOT_CHECKED = "not checked"

_SPLIT = re.compile(r"^(?P<name>.+)\[(?P<split>[^\[\]]+)\]$")  # a saved dataset's NAME[SPLIT]


@dataclass
class Passage:
    id: str
    start: int | None
    end: int | None
    text: str


@dataclass
class SourceCheck:
    """One document version of the export (its ``doc_id`` and recorded hash) against its
    source. ``moved``: ids of its passages whose text is no longer the document's text at
    their offsets; ``looked_for``: the paths the file was looked for at (all of them when
    it is missing)."""

    doc_id: str
    input_file: str | None
    input_row: str | None
    recorded_sha256: str | None
    passages: list[Passage]
    status: str = NOT_CHECKED
    what: str = ""
    found_sha256: str | None = None
    moved: list[str] = field(default_factory=list)
    looked_for: list[Path] = field(default_factory=list)
    run: str | None = None
    # found unchanged but not where the export says: at another row of its file (the
    # row it is at now), or (missing) in a file of the same name elsewhere under DIR
    other_row: str | None = None
    same_text_at: Path | None = None
    # the DIR of ``--sources`` its input file was found under (the first holding it)
    found_in: Path | None = None

    @property
    def only_moved(self) -> bool:
        """Whether the document is at another row of its file than the export records
        with its text unchanged (its hash, where recorded, and every passage at its
        offsets): rows reordered, no text changed."""
        return (
            self.other_row is not None
            and self.found_sha256 is not None
            and not self.moved
            and self.found_sha256 == (self.recorded_sha256 or self.found_sha256)
        )

    @property
    def only_offsets(self) -> bool:
        """Whether the document itself is unchanged (at its row, its hash the one the
        export records) while some passages are not at their offsets in it: the export's
        ``start``/``end`` or ``text`` were changed, not the source file (audit61)."""
        return (
            bool(self.moved)
            and self.other_row is None
            and self.recorded_sha256 is not None
            and self.found_sha256 == self.recorded_sha256
        )

    @property
    def where(self) -> str:
        """The input file and row as the export records them (``posts.csv row 2 (line
        3)``)."""
        return " ".join(p for p in (self.input_file, self.input_row) if p) or "(not recorded)"

    @property
    def named(self) -> str:
        """The document id, with where it was read from when that is not its id
        (``p0 (table.parquet row 1)``; a text file's id is its name: ``notes/a.txt``)."""
        return self.doc_id if self.where == self.doc_id else f"{self.doc_id} ({self.where})"


@dataclass
class SourcesResult:
    """``sources``: the first DIR given; ``dirs``: every one, in the order given;
    ``empty_dirs``: those of them holding none of the export's input files (likely the
    wrong folder)."""

    corpus: Path
    sources: Path
    documents: list[SourceCheck] = field(default_factory=list)
    dirs: list[Path] = field(default_factory=list)
    empty_dirs: list[Path] = field(default_factory=list)
    # the folders the export's ingest runs record their inputs under (:func:`recorded_
    # folders`): what --sources takes on the machine ingest ran on; empty for runs
    # recorded before 6 Dec 2026
    recorded: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)

    def of(self, status: str) -> list[SourceCheck]:
        return [d for d in self.documents if d.status == status]

    @property
    def ok(self) -> bool:
        """No document changed (missing and unchecked ones are counted apart)."""
        return not self.count(CHANGED)

    @property
    def complete(self) -> bool:
        """Every document was found and checked unchanged (``--strict``)."""
        return self.count(UNCHANGED) == len(self.documents)


def check_sources(
    corpus: str | Path,
    sources: str | Path | Sequence[str | Path],
    *,
    progress: ProgressFn | None = None,
) -> SourcesResult:
    """Check every document of the export ``corpus`` against its source under ``sources``
    (see the module): one folder, or several (a corpus ingested from files of several
    folders), each input file looked for under each in turn, the first holding it read.
    ``progress``: called with documents checked (its total set first).

    Raises:
        InputError: a folder of ``sources`` is not a folder.
        OSError, ValueError: the export's JSONL rows cannot be read (verify them first).
    """
    corpus = Path(corpus)
    given = [sources] if isinstance(sources, (str, Path)) else list(sources)
    dirs = list(dict.fromkeys(Path(s) for s in given))  # the same one twice: once
    if not dirs:
        raise ValueError("check_sources: no folder given")
    for folder in dirs:
        if not folder.is_dir():
            raise InputError(
                f"--sources {folder}: "
                + ("a file, not a folder" if folder.exists() else "no such folder")
                + "; expected the folder holding a path `annotate ingest` was given (the "
                "rows' input_file is relative to it: for `ingest ../corpus`, the parent of "
                "corpus), or that path itself.",
                fix="pass the folder that holds the ingested files and folders; the "
                "export's manifest.json ingest_runs[].input_paths[].sources_folder names "
                "it (runs recorded from 6 Dec 2026).",
            )
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    result = SourcesResult(
        corpus=corpus, sources=dirs[0], dirs=dirs, recorded=recorded_folders(manifest)
    )
    result.documents = _documents(corpus)
    set_total(progress, len(result.documents))
    redacted = bool((manifest.get("redaction") or {}).get("ran"))
    runs = _runs(manifest)
    # where each input file lies under each folder (those holding none of them: named)
    places = {
        name: _places(dirs, _stem(name))
        for name in dict.fromkeys(d.input_file for d in result.documents if d.input_file)
    }
    holding = {p.folder for found in places.values() for p in found}
    result.empty_dirs = [d for d in dirs if d not in holding]
    by_file: dict[str, list[SourceCheck]] = {}
    for doc in result.documents:
        if redacted and doc.input_file is not None:
            _look_for_redacted(dirs, places[doc.input_file], doc)
        elif redacted:
            doc.what = REDACTED
        elif doc.input_file is None:
            doc.what = (
                "no input_file recorded (ingested before 2026-12-04): the file it came from "
                "is not known"
            )
        else:
            by_file.setdefault(doc.input_file, []).append(doc)
            continue
        advance(progress, 1)
    names = _NamesUnder()  # each folder walked once, for every missing file's search
    for name, docs in by_file.items():
        _check_file(dirs, places[name], name, docs, runs, progress, names)
    log.info(
        "sources of %s in %s: %d unchanged, %d changed, %d missing, %d not checked",
        corpus,
        ", ".join(map(str, dirs)),
        result.count(UNCHANGED),
        result.count(CHANGED),
        result.count(MISSING),
        result.count(NOT_CHECKED),
    )
    return result


REDACTED = (
    "exported with --redact: its text is masked and document_sha256 left out, so it "
    "cannot be compared with the source"
)


@dataclass
class _Place:
    """Where an input file lies under one folder of ``--sources``: at ``path``, or (no
    file of its name: ``ingest --redact`` masked it) the files whose names fit it, each
    with its own name (:func:`masked_candidates`)."""

    folder: Path
    path: Path | None
    masked: list[tuple[Path, str]]


def _stem(name: str) -> str:
    """An input file's name without a saved dataset's ``[SPLIT]``: what is looked for."""
    split = _split_of(name)
    return split.group("name") if split else name


def _places(dirs: list[Path], stem: str) -> list[_Place]:
    """Where the input file ``stem`` lies under each of ``dirs`` holding it, in order."""
    out = []
    for folder in dirs:
        path = next((p for p in candidates(folder, stem) if p.exists()), None)
        masked = masked_candidates(folder, stem)  # [] unless the name holds a placeholder
        if path is not None and len(masked) > 1:
            # a file literally named so ("Chat with [PHONE-1].txt") beside others whose
            # names --redact masked alike: each document is looked for in all of them (the
            # literal one alone reported the others' documents missing: break8 M3)
            path = None
        elif path is not None:
            masked = []
        if path is not None or masked:
            out.append(_Place(folder, path, masked))
    return out


def _looked(dirs: list[Path], stem: str) -> list[Path]:
    """Every path the input file ``stem`` was looked for at, under each of ``dirs``."""
    return [p for folder in dirs for p in candidates(folder, stem)]


def _look_for_redacted(dirs: list[Path], places: list[_Place], doc: SourceCheck) -> None:
    """A document of an export made with ``--redact``: its text cannot be compared, but
    its input file is looked for (a folder holding none of them is the wrong one, and
    must not pass: stop 46 new-user #14), under each of ``dirs`` (``places``: where it
    lies, the first taken); a name ``ingest --redact`` masked, by the files whose names
    fit it (which of them holds the document the masked text cannot tell).
    Not found: :data:`MISSING`, with the paths looked for; found: :data:`NOT_CHECKED`,
    saying so."""
    assert doc.input_file is not None
    if not places:
        doc.looked_for = _looked(dirs, _stem(doc.input_file))
        doc.status, doc.what = MISSING, "its input file is not there"
        return
    place = places[0]
    doc.found_in = place.folder
    if place.path is None:  # the files fitting its masked name, under every DIR
        doc.looked_for = [p for fits in places for p, _ in fits.masked]
        fit = f"{len(doc.looked_for)} files whose names fit its masked name are there"
        doc.what = f"{REDACTED} ({fit if len(doc.looked_for) > 1 else 'its input file is there'})"
        return
    doc.looked_for = [place.path]
    doc.what = f"{REDACTED} (its input file is there)"


def _documents(corpus: Path) -> list[SourceCheck]:
    """One :class:`SourceCheck` per (doc_id, document_sha256, input_file, input_row) of
    the export's rows, with its passages, in the order first met."""
    found: dict[tuple[Any, ...], SourceCheck] = {}
    for path in without_os_files(sorted((corpus / "jsonl").glob("*.jsonl"))):
        for _, row in jsonl_rows(path):
            key = (
                row.get("doc_id"),
                row.get("document_sha256"),
                row.get("input_file"),
                row.get("input_row"),
            )
            doc = found.get(key)
            if doc is None:
                doc = found[key] = SourceCheck(
                    doc_id=str(row.get("doc_id") or row.get("id")),
                    input_file=row.get("input_file") or None,
                    input_row=row.get("input_row") or None,
                    recorded_sha256=row.get("document_sha256") or None,
                    passages=[],
                    run=row.get("ingest_run") or None,
                )
            doc.passages.append(
                Passage(str(row.get("id")), row.get("start"), row.get("end"), str(row["text"]))
            )
    return list(found.values())


def skipped_bad_lines(run: dict[str, Any] | None) -> bool:
    """Whether the ingest run ``run`` (its record; None: unknown) skipped lines that are
    no row (``ingest --skip-bad-lines``: ``bad_lines_skipped`` on its record)."""
    found = (run or {}).get("bad_lines_skipped")
    if isinstance(found, dict):
        return bool(found.get("count"))
    return bool(found)


def _run_of(
    docs: list[SourceCheck], runs: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The ingest run record that read ``docs`` (the first of theirs the manifest lists;
    None: none), and its settings ({} when unknown)."""
    run = next((runs[d.run] for d in docs if d.run in runs), None)
    return run, (run or {}).get("settings") or {}


def recorded_folders(manifest: dict[str, Any]) -> list[str]:
    """The folders ``--sources`` takes as the export's ingest runs recorded them: each
    path given to ingest's ``sources_folder`` (the folder holding it, absolute on the
    machine ingest ran on), in order, once each; empty for runs recorded before."""
    found: dict[str, None] = {}
    for run in _runs(manifest).values():
        for folder in run.get("sources_folders") or []:  # on every row's record
            if isinstance(folder, str) and folder:
                found.setdefault(folder, None)
        for entry in run.get("input_paths") or []:
            folder = entry.get("sources_folder") if isinstance(entry, dict) else None
            if isinstance(folder, str) and folder:
                found.setdefault(folder, None)
    return list(found)


def _runs(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The manifest's ingest run records by run id."""
    listed = (manifest.get("ingest_runs") or {}).get("runs") or []
    return {str(r["run"]): r for r in listed if isinstance(r, dict) and r.get("run")}


def candidates(sources: Path, input_file: str) -> list[Path]:
    """Where ``input_file`` (as the run record names it, relative to the path ingest was
    given: ``forum/2026/a.jsonl`` for a file of the folder ``forum``) may lie under
    ``sources``: ``sources/input_file``, and, when ``sources`` is that folder itself (its
    name is the first part), ``sources/2026/a.jsonl``."""
    rel = Path(input_file)
    out = [sources / rel]
    if len(rel.parts) > 1 and rel.parts[0] == sources.resolve().name:
        out.append(sources.joinpath(*rel.parts[1:]))
    return out


def _split_of(name: str) -> re.Match[str] | None:
    """A saved dataset's ``NAME[SPLIT]`` read from an input file's name; None for a
    name ending in a placeholder (``chats/[EMAIL-1]``: a file named by an address)."""
    split = _SPLIT.match(name)
    if split is None or ANY_PLACEHOLDER.fullmatch(f"[{split.group('split')}]"):
        return None
    return split


def masked_candidates(sources: Path, input_file: str) -> list[tuple[Path, str]]:
    """The files under ``sources`` whose path fits ``input_file`` as ``ingest --redact``
    masked it (``chats/WhatsApp Chat with [PHONE-1].txt``: each placeholder any text),
    as :func:`candidates` places it, in path order, each with the name ingest gave it
    (what its document ids are made of); none when it holds no placeholder.
    The masked name is all the export keeps of the file's name; which of several fitting
    files is the document's is told by its text (``document_sha256``) when read."""
    if not ANY_PLACEHOLDER.search(input_file):
        return []
    found: dict[Path, str] = {}
    first = Path(input_file).parts[0]
    for n, place in enumerate(candidates(sources, input_file)):
        rel = place.relative_to(sources).as_posix()
        pattern = "*".join(glob.escape(piece) for piece in ANY_PLACEHOLDER.split(rel))
        for p in sorted(sources.glob(pattern)):
            named = p.relative_to(sources).as_posix()
            if p.is_file():  # as ingest named it: the folder given first
                found.setdefault(p, named if n == 0 else f"{first}/{named}")
    return list(found.items())


def _check_file(
    dirs: list[Path],
    places: list[_Place],
    name: str,
    docs: list[SourceCheck],
    runs: dict[str, dict[str, Any]],
    progress: ProgressFn | None = None,
    names: _NamesUnder | None = None,
) -> None:
    """Fill in ``docs``, the documents read from the input file ``name``, from the first
    of ``places`` (where it lies under ``dirs``, in their order; a name ``ingest
    --redact`` masked: each from the file fitting it that holds it, under any of them);
    ``progress`` advances by each as its row is read (the rest when the file ends)."""
    split = _split_of(name)
    stem = split.group("name") if split else name
    if places:
        for doc in docs:
            doc.found_in = places[0].folder
    path = places[0].path if places else None
    if path is None and places and places[0].masked:
        # ingest --redact masked the name, and files of several names may fit it (two
        # WhatsApp exports' numbers both become [PHONE-1]), under several DIRs too (two
        # folders named chats given to ingest): each document is checked in the file
        # that holds it, read under that file's own name (a text file's document id is
        # its name)
        folder_of = {p: place.folder for place in places for p, _ in place.masked}
        masked = [fit for place in places for fit in place.masked]
        for (path, own), held in _holding(masked, name, split, docs, runs):
            own_name = f"{own}[{split.group('split')}]" if split else own
            for doc in held:
                doc.found_in = folder_of[path]
            _check_at(path, own_name, own, split, held, runs, progress, listed=name)
            if len(masked) > 1:
                _say_masked_ambiguity(held, name, [p for p, _ in masked])
        return
    if path is None:
        looked = _looked(dirs, stem)
        for doc in docs:
            doc.status, doc.looked_for = MISSING, looked
            doc.what = "its input file is not there"
        _same_text_elsewhere(dirs, name, stem, split, docs, looked, runs, names)
        advance(progress, len(docs))
        return
    _check_at(path, name, stem, split, docs, runs, progress)


def _say_masked_ambiguity(docs: list[SourceCheck], name: str, paths: list[Path]) -> None:
    """For each of ``docs`` not found in any of ``paths`` (the files whose names fit the
    masked ``input_file`` ``name``): say that the masked name fits them all and none
    holds it, with the fix, instead of naming the document another of them holds (break8
    M3: "the file now holds document X" named another file's document, with no fix)."""
    shown = ", ".join(p.name for p in paths[:3]) + (", ..." if len(paths) > 3 else "")
    for doc in docs:
        if doc.status != MISSING:
            continue
        doc.what = (
            f"its input file's name was masked by ingest --redact ({name}), which "
            f"{len(paths)} files here fit ({shown}), and none of them holds document "
            f"{doc.doc_id!r} (its id and text as exported); which was its file the masked "
            "name cannot tell. Fix: if its file was edited or removed since, ingest it "
            "again and review the new passages; if it lies elsewhere, pass that folder "
            "as --sources."
        )


def _check_at(
    path: Path,
    name: str,
    stem: str,
    split: re.Match[str] | None,
    docs: list[SourceCheck],
    runs: dict[str, dict[str, Any]],
    progress: ProgressFn | None = None,
    listed: str | None = None,
) -> None:
    """Fill in ``docs`` from the file at ``path``, read as ingest read the input file
    ``name`` (``stem``: without a saved dataset's ``[SPLIT]``; ``listed``: the name the
    record gives it, masked by ``ingest --redact``)."""
    run, settings = _run_of(docs, runs)
    codec = _codec(run, name, path, listed)
    wanted = {d.input_row for d in docs}
    done = [0]  # documents the progress advanced by while the file was read

    def read_one(n: int) -> None:
        done[0] += n
        advance(progress, n)

    try:
        texts = _exported_ids(
            read_source_file(
                path,
                name,
                stem,
                split.group("split") if split else None,
                settings,
                codec,
                skipped_bad_lines(run),
            ),
            docs,
        )
        with readers_quiet():  # ingest's warnings on the file were for ingest
            by_where, by_id = _index(texts, wanted, {d.doc_id for d in docs}, read_one)
    except (AnnotateError, OSError, ValueError) as exc:  # InputError; pyarrow's errors
        reason = getattr(exc, "what", None) or str(exc)
        for doc in docs:
            doc.looked_for = [path]
            if run is None:  # read with the defaults: the run's own settings are unknown
                doc.what = (
                    f"the manifest records no settings of the ingest run that read {path} "
                    f"(text and id column, delimiter), and read as by default it fails: {reason}"
                )
                continue
            doc.status = CHANGED
            doc.what = f"{path} cannot be read as ingest read it ({reason})"
        advance(progress, len(docs) - done[0])
        return
    advance(progress, len(docs) - done[0])
    for doc in docs:
        doc.looked_for = [path]
        _compare(doc, path, by_where, by_id)
        if doc.status == CHANGED:
            _note_extractor(doc, path, run)
            _note_masker(doc, settings)


def _note_extractor(doc: SourceCheck, path: Path, run: dict[str, Any] | None) -> None:
    """Add to a changed HTML document's ``what`` that its text was extracted again with
    another extractor than the run recorded (``extracted_by``), when so: the difference
    may be the extractor's, not the file's."""
    from annotate.ingestion import html

    if path.suffix.lower() not in html.SUFFIXES:
        return
    recorded = ((run or {}).get("extracted_by") or {}).get("html")
    now = html.extractor()
    if recorded is None or recorded == now:
        return
    doc.what = (
        f"{doc.what}; its text is extracted from HTML, by {recorded} at ingest and by {now} "
        "here, so the difference may be the extractor's, not the file's (the file's own "
        "SHA-256 is in the run record's inputs; check it with the same versions installed)"
    )


def _note_masker(doc: SourceCheck, settings: dict[str, Any]) -> None:
    """Add to a changed document of a run that masked its text (``ingest --redact``) that
    its phone numbers were found again by another ``phonenumbers`` version than the run
    recorded (``unknown`` in a record made before it was recorded), when so: the masks
    may differ, not the file."""
    import importlib.metadata

    from annotate.ingestion.record import PHONENUMBERS_KEY

    recorded = settings.get("redact")
    if not isinstance(recorded, dict):
        return
    was = str(recorded.get(PHONENUMBERS_KEY) or "unknown")
    now = importlib.metadata.version("phonenumbers")
    if was == now:
        return
    doc.what = (
        f"{doc.what}; its text was masked by ingest --redact, its phone numbers found by "
        f"phonenumbers {was} at ingest and by phonenumbers {now} here, so the masks may "
        "differ, not the file (check it with the same version installed)"
    )


@dataclass
class _Held:
    """What one file, read as ingest read an input file, holds of some documents: the
    id and text SHA-256 of the document at each of their rows (``at``), and which of
    their document ids it gives at any row (``ids``)."""

    at: dict[str | None, tuple[str, str]]
    ids: set[str]

    def has(self, doc: SourceCheck, *, same_id: bool) -> bool:
        """Whether it holds ``doc`` at its row with the text the export records (and,
        ``same_id``, under its document id)."""
        found = self.at.get(doc.input_row)
        return (
            found is not None
            and doc.recorded_sha256 is not None
            and found[1] == doc.recorded_sha256
            and (not same_id or found[0] == doc.doc_id)
        )

    def fit(self, doc: SourceCheck) -> tuple[bool, bool, bool]:
        """How well it fits ``doc``, best first when sorted: its text at its row, its id
        at its row, its id at any row."""
        found = self.at.get(doc.input_row)
        return (
            self.has(doc, same_id=False),
            found is not None and found[0] == doc.doc_id,
            doc.doc_id in self.ids,
        )


def _held(
    path: Path,
    name: str,
    stem: str,
    split: re.Match[str] | None,
    settings: dict[str, Any],
    codec: str | None,
    docs: list[SourceCheck],
    skip_bad_lines: bool = False,
) -> _Held | None:
    """What the file at ``path``, read as ingest read the input file ``name``, holds of
    ``docs`` (see :class:`_Held`); None when it cannot be read."""
    from annotate.ingestion import document_sha256

    try:
        texts = _exported_ids(
            read_source_file(
                path,
                name,
                stem,
                split.group("split") if split else None,
                settings,
                codec,
                skip_bad_lines,
            ),
            docs,
        )
        with readers_quiet():
            by_where, by_id = _index(texts, {d.input_row for d in docs}, {d.doc_id for d in docs})
    except (AnnotateError, OSError, ValueError):
        return None
    at = {w: (f.doc_id, document_sha256(f.text)) for w, f in by_where.items()}
    return _Held(at, set(by_id))


def _holding(
    paths: list[tuple[Path, str]],
    name: str,
    split: re.Match[str] | None,
    docs: list[SourceCheck],
    runs: dict[str, dict[str, Any]],
) -> list[tuple[tuple[Path, str], list[SourceCheck]]]:
    """``docs`` (the documents of the masked ``input_file`` ``name``) grouped by the file
    of ``paths`` (files whose names fit it, each with its own name) each is checked in:
    the first that holds it at its row with the text the export records (under its id
    first), else the first that gives its document id, else the first of ``paths`` (it
    is then compared there, and reported changed or missing). Several files may fit one
    masked name, and no one of them need hold every document (stop 48)."""
    if len(paths) == 1:
        return [(paths[0], docs)]
    run, settings = _run_of(docs, runs)
    best: dict[int, tuple[tuple[bool, bool, bool], int]] = {}  # doc -> (fit, path index)
    for n, (path, own) in enumerate(paths):
        # read under its own name: the document ids it gives are not the masked ones
        codec = _codec(run, own, path, name)
        held = _held(path, own, own, split, settings, codec, docs, skipped_bad_lines(run))
        if held is not None:
            for i, doc in enumerate(docs):
                fit = held.fit(doc)
                if fit > best.get(i, ((False, False, False), 0))[0]:
                    best[i] = (fit, n)
        # every document found whole (its text where recorded, and its id) in a file read
        if all(
            i in best and best[i][0][1] and (best[i][0][0] or docs[i].recorded_sha256 is None)
            for i in range(len(docs))
        ):
            break
    groups: dict[int, list[SourceCheck]] = {}
    for i, doc in enumerate(docs):
        groups.setdefault(best.get(i, (None, 0))[1], []).append(doc)
    return [(paths[n], held) for n, held in sorted(groups.items())]


SAME_NAME_READ = 10  # files of a missing file's name read under DIR, at most


def _files_named(folder: Path, pattern: str) -> Iterator[Path]:
    """Files under ``folder`` whose name matches the glob ``pattern`` (case-sensitive, as
    ``Path.rglob``), walked with :func:`os.walk`, which passes over a folder that vanishes
    or cannot be read while it walks: ``Path.rglob`` raised FileNotFoundError, a
    traceback, when another program removed its scratch folder under ``--sources /tmp``
    (stop 49 audit A13). Symbolic links to folders are not followed."""

    def passed_over(exc: OSError) -> None:
        log.debug("verify --sources: %s passed over (%s)", exc.filename, exc.strerror)

    for root, _dirs, files in os.walk(folder, onerror=passed_over):
        for name in files:
            if fnmatch.fnmatchcase(name, pattern):
                yield Path(root) / name


class _NamesUnder:
    """The files under each folder of ``--sources`` by name, each folder walked once
    (with :func:`os.walk`, as :func:`_files_named`), when first asked: the search for a
    missing file's moved copy walked the whole folder again for every missing file (32 s
    for 2 documents under ``--sources /tmp``, stop 49 audit A13). Only the folder each
    name lies in is kept (a million files under /tmp: no Path made for each)."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, dict[str, list[str]]] = {}

    def _names(self, folder: Path) -> dict[str, list[str]]:
        names = self._by_folder.get(folder)
        if names is None:
            names = self._by_folder[folder] = {}

            def passed_over(exc: OSError) -> None:
                log.debug("verify --sources: %s passed over (%s)", exc.filename, exc.strerror)

            for root, _dirs, files in os.walk(folder, onerror=passed_over):
                for name in files:
                    names.setdefault(name, []).append(root)
        return names

    def named(self, folder: Path, pattern: str) -> list[Path]:
        """The files under ``folder`` whose name matches the glob ``pattern``, in path
        order (what ``sorted(_files_named(folder, pattern))`` gives)."""
        names = self._names(folder)
        literal = _unescaped(pattern)
        if glob.escape(literal) == pattern:  # one name (no placeholder in it): looked up
            fits = [literal] if literal in names else []
        else:
            fits = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
        return sorted(Path(root) / name for name in fits for root in names[name])


def _unescaped(pattern: str) -> str:
    """A glob pattern that :func:`glob.escape` made of a name, as that name."""
    return re.sub(r"\[(.)\]", r"\1", pattern)


def _same_text_elsewhere(
    dirs: list[Path],
    name: str,
    stem: str,
    split: re.Match[str] | None,
    docs: list[SourceCheck],
    looked: list[Path],
    runs: dict[str, dict[str, Any]],
    names: _NamesUnder | None = None,
) -> None:
    """Set ``same_text_at`` on each of ``docs`` (the documents of the missing input file
    ``name``) to a file of the same name elsewhere under ``dirs`` (of a name that fits
    it, where ``ingest --redact`` masked it) that holds it with the text the export
    records (the file moved inside the folder): the first such of :data:`SAME_NAME_READ`
    files, in path order under each folder in turn, for each document (a masked name may
    stand for several files). Files that cannot be read are passed over. ``names``: the
    files under each folder, walked once for every missing file of a check."""
    if not any(d.recorded_sha256 for d in docs):
        return
    base = Path(stem).name
    masked = bool(ANY_PLACEHOLDER.search(base))
    pattern = "*".join(glob.escape(piece) for piece in ANY_PLACEHOLDER.split(base))
    others: list[Path] = []
    names = names if names is not None else _NamesUnder()
    for folder in dirs:  # the next folder walked only while fewer are found
        if len(others) < SAME_NAME_READ:
            others += [p for p in names.named(folder, pattern) if p not in looked]
    others = others[:SAME_NAME_READ]
    run, settings = _run_of(docs, runs)
    for path in others:
        todo = [d for d in docs if d.same_text_at is None]
        if not todo:
            return
        held = _held(
            path,
            name,
            stem,
            split,
            settings,
            _codec(run, name, path),
            todo,
            skipped_bad_lines(run),
        )
        for doc in todo:
            # a masked name's documents were read under it, not their files' own names
            if held is not None and held.has(doc, same_id=not masked):
                doc.same_text_at = path


# the loggers of the readers ingest's documents are read again with: their warnings (a
# table named by position, front matter that is not YAML) were ingest's to give
_READER_LOGGERS = (
    "annotate.ingestion.readers",
    "annotate.ingestion.front_matter",
    "annotate.ingestion.licenses",
    "annotate.tables",
    "annotate._util.encoding",
)


class _BelowError(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


@contextmanager
def readers_quiet() -> Iterator[None]:
    """Drop the readers' warnings and notes while a file is read again."""
    quiet = _BelowError()
    loggers = [logging.getLogger(name) for name in _READER_LOGGERS]
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)


def _codec(
    run: dict[str, Any] | None, name: str, path: Path | None = None, listed: str | None = None
) -> str | None:
    """The codec ingest read the input file ``name`` with, when the run lists it in
    ``decoded_files`` (``--encoding``'s fallback, a web page's declared charset, a
    UTF-16/32 file's byte-order mark); ``listed``: the name the record gives the file,
    when ``ingest --redact`` masked it there (``chats/Chat with [PHONE-1].txt``: the entry
    is masked as ``input_file`` is). Several entries under one name (files whose names
    ``--redact`` masked alike, a UTF-16 one and a cp1252 one: break8 M3): the file at
    ``path`` takes its own, the one whose ``sha256`` (and ``bytes``) its bytes have, else
    (changed since, or a UTF-8 file fitting the name that no entry lists) by its own
    byte-order mark: a marked file by its mark when an entry was read so, an unmarked one
    with the other entries' codec (ingest read UTF-8 first either way)."""
    from annotate._util.encoding import marked_codec
    from annotate.ingestion.bad_files import MARKED_BY

    decoded = (run or {}).get("decoded_files")
    if not isinstance(decoded, list):
        return None
    for wanted in (name, listed) if listed and listed != name else (name,):
        entries = [e for e in decoded if isinstance(e, dict) and e.get("file") == wanted]
        if not entries:
            continue
        masked = wanted == listed or ANY_PLACEHOLDER.search(wanted)
        if path is None or (not masked and len(entries) == 1):
            return str(entries[0].get("encoding"))
        own = _own_entry(entries, path)
        if own is not None:
            if own.get("declared_by") == MARKED_BY:
                return marked_codec(path) or str(own.get("encoding"))
            return str(own.get("encoding"))
        marked = [e for e in entries if e.get("declared_by") == MARKED_BY]
        plain = [e for e in entries if e.get("declared_by") != MARKED_BY]
        mark = marked_codec(path)
        if mark is not None and marked:
            return mark
        if plain:
            return str(plain[0].get("encoding"))
        return mark  # listed only as read by a mark, this file has none: UTF-8
    return None


def _own_entry(entries: list[dict[str, Any]], path: Path) -> dict[str, Any] | None:
    """The entry of ``entries`` (``decoded_files``'s, one name) whose recorded ``sha256``
    the file at ``path`` has (its ``bytes`` compared first, so most files are not
    hashed); None when none has it or the file cannot be read."""
    from annotate._util.digest import sha256_file

    try:
        size = path.stat().st_size
    except OSError:
        return None
    sized = [e for e in entries if e.get("sha256") and e.get("bytes") in (None, size)]
    if not sized:
        return None
    try:
        digest = sha256_file(path)
    except OSError:
        return None
    return next((e for e in sized if e.get("sha256") == digest), None)


@dataclass
class _Found:
    doc_id: str
    where: str
    text: str


def _exported_ids(found: Iterator[_Found], docs: list[SourceCheck]) -> Iterator[_Found]:
    """``found`` with each document id as the export records it: a document whose id held
    its file's name masked at ingest (``ingest --redact``: a file named by an address)
    went to Label Studio, and so to the export, under its keyed pseudonym (``doc_key``,
    ``pd_…``), made with this work folder's key (``$ANNOTATE_HOME/passage_id_key``);
    without that key such ids are not matched."""
    from annotate.audit.passage_pseudonyms import DOC_PREFIX, default_key_path

    keyed = {d.doc_id for d in docs if d.doc_id.startswith(DOC_PREFIX)}
    path = default_key_path()
    if not keyed or not path.is_file():
        yield from found
        return
    from annotate.audit.passage_pseudonyms import document_pseudonym, load_key

    key = load_key(path)
    for doc in found:
        if (named := document_pseudonym(key, doc.doc_id)) in keyed:
            doc = _Found(named, doc.where, doc.text)
        yield doc


def read_source_file(
    path: Path,
    name: str,
    stem: str,
    split: str | None,
    settings: dict[str, Any],
    codec: str | None,
    skip_bad_lines: bool = False,
) -> Iterator[_Found]:
    """Each document of the input ``path`` as ingest hashed it (see the module), its id
    with the run's ``--id-prefix`` before it, as ingest wrote it. ``skip_bad_lines``: the
    run skipped JSONL/CSV lines that are no row (``ingest --skip-bad-lines``), so they are
    skipped here too (their rows keep their places, as in ingest). Raises InputError
    (annotate's readers), OSError, ValueError."""
    from annotate.audit.redact import redact_through_markup
    from annotate.classifier.cue_sentences import subtitle_file
    from annotate.ingestion import readers

    stats = readers.ReadStats()
    if skip_bad_lines:
        from annotate.ingestion.bad_lines import BadLines

        stats.bad_lines = BadLines()  # counted and spooled, never written
    text_column = settings.get("text_column") or "text"
    id_column = settings.get("id_column")
    if split is not None or readers.is_hf_dataset(path):
        docs = (
            d
            for d in readers.read_hf_dataset(path, text_column, stats, stem, id_column)
            if d.name == name
        )
    elif path.suffix.lower() in readers.TEXT_SUFFIXES:
        doc = readers.read_text_file(path, name, stats, codec, codec, warn=False)
        docs = iter([doc] if doc is not None else [])
    elif path.suffix.lower() in readers.TABLE_SUFFIXES:
        docs = readers.read_table(
            path, text_column, stats, name, id_column, settings.get("delimiter"), codec, codec
        )
    else:
        raise InputError(
            f"{path}: a {path.suffix or 'file without extension'} file, which ingest does not "
            "read; the export names it as an input.",
            fix="pass the folder that holds the files ingest read.",
        )
    redactor = _redactor(settings.get("redact"))
    # ingest --id-prefix put this before every document id of the run (N7, stop 53)
    prefix = settings.get("id_prefix") or ""
    with stats.said:
        for doc in docs:
            # as ingest: control characters removed first, then masked (ingestion._masked)
            text, _ = clean_text(doc.text, where=f"{path} {doc.where}".strip())
            if redactor is not None:
                labels = _speaker_numbers(doc, text, settings.get("turns", True))
                subtitles = getattr(doc, "subtitles", False) or subtitle_file(doc.doc_id)
                if redactor.settings.subtitle_markup and subtitles:
                    # as ingest masks a subtitle file (redact_through_markup, since stop 49)
                    text = redact_through_markup(redactor, text, labels=labels).text
                else:
                    text = redactor.redact(text, labels=labels).text
            yield _Found(f"{prefix}{doc.doc_id}", doc.where, text)


def _redactor(recorded: Any) -> Any:
    """A Redactor with the settings ingest ``--redact`` recorded (kinds, phone regions,
    placeholders numbered or not, ``+country`` numbers masked when possible or valid),
    or None when it did not run."""
    if not isinstance(recorded, dict):
        return None
    from annotate.audit.redact import RedactionSettings, Redactor

    return Redactor(RedactionSettings.from_record(recorded))


def _speaker_numbers(doc: Any, text: str, turns: bool) -> list[str]:
    """The speakers of ``doc`` (its ``text`` cleaned) that are phone numbers, as ingest
    found them (its turns read on a text file's body, not on a table row, and not with
    ``--no-turns``): ingest --redact masks them wherever they occur."""
    if not turns or doc.where:
        return []
    from annotate.audit.redact import speaker_labels
    from annotate.ingestion.front_matter import front_matter_end
    from annotate.ingestion.turns import find_turns

    body = front_matter_end(text) if doc.front_matter else 0
    return speaker_labels(t.speaker for t in find_turns(text[body:]))


def _index(
    found: Iterator[_Found],
    wanted: set[str | None],
    doc_ids: set[str],
    progress: ProgressFn | None = None,
) -> tuple[dict[str | None, _Found], dict[str, _Found]]:
    """The documents of a file at the rows ``wanted`` (None: a one-document file), and
    those of ``doc_ids`` wherever they are now (a row moved); ``progress`` advances by
    one a wanted row read."""
    by_where: dict[str | None, _Found] = {}
    by_id: dict[str, _Found] = {}
    for doc in found:
        where = doc.where or None
        if where in wanted and where not in by_where:
            by_where[where] = doc
            advance(progress, 1)
        if doc.doc_id in doc_ids and doc.doc_id not in by_id:
            by_id[doc.doc_id] = doc
    return by_where, by_id


def _compare(
    doc: SourceCheck, path: Path, by_where: dict[str | None, _Found], by_id: dict[str, _Found]
) -> None:
    at_row = by_where.get(doc.input_row)
    said: list[str] = []
    found = at_row if at_row is not None and at_row.doc_id == doc.doc_id else None
    if found is None:
        elsewhere = by_id.get(doc.doc_id)
        if at_row is not None:  # a one-document file (a text file) has no row
            said.append(f"{doc.input_row or 'the file'} now holds document {at_row.doc_id!r}")
        if elsewhere is None:
            doc.status = MISSING
            row = f"{doc.input_row} of " if doc.input_row else ""
            doc.what = "; ".join([*said, f"document {doc.doc_id!r} is not in {row}{path}"])
            return
        said.append(f"it is at {elsewhere.where} now")
        found = elsewhere
        doc.other_row = elsewhere.where or None
    from annotate.ingestion import document_sha256

    doc.found_sha256 = document_sha256(found.text)
    doc.moved = [
        p.id
        for p in doc.passages
        if p.start is None or p.end is None or found.text[p.start : p.end] != p.text
    ]
    if doc.recorded_sha256 is not None and doc.found_sha256 != doc.recorded_sha256:
        said.insert(
            0,
            f"SHA-256 {doc.found_sha256[:12]}…, the export records {doc.recorded_sha256[:12]}…",
        )
    if doc.moved:
        listed = ", ".join(doc.moved[:5]) + (
            f" and {len(doc.moved) - 5} more" if len(doc.moved) > 5 else ""
        )
        said.append(
            f"{len(doc.moved)} of {len(doc.passages)} passage(s) no longer match the text "
            f"at their offsets: {listed}"
        )
        if doc.recorded_sha256 is not None and doc.found_sha256 == doc.recorded_sha256:
            said.append(
                "the document is the one the export records (its SHA-256), so the export's "
                "offsets (start/end) or text of these passages changed, not the file"
            )
    elif said:
        said.append(f"its {len(doc.passages)} passage(s) still match the text at their offsets")
    if doc.recorded_sha256 is None:
        said.append("no document_sha256 recorded (ingested before it): passages compared only")
    changed = bool(doc.moved) or doc.found_sha256 != (doc.recorded_sha256 or doc.found_sha256)
    changed = changed or found is not at_row
    doc.status = CHANGED if changed else UNCHANGED
    doc.what = "; ".join(said)


__all__ = [
    "CHANGED",
    "MISSING",
    "NOT_CHECKED",
    "UNCHANGED",
    "SourceCheck",
    "SourcesResult",
    "candidates",
    "check_sources",
]
