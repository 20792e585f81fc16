"""Ingest: documents in, passages with stable IDs and provenance out.

pyarrow, DuckDB (the scratch database) and the near-duplicate search are imported when
:func:`ingest` runs, not with this package: commands that only read an ingest record
(``annotate.ingestion.record``, e.g. review status through the corpus rows) do not pay
for them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from annotate._util.encoding import check_fallback_encoding, clean_text
from annotate._util.passage_ids import passage_id
from annotate._util.progress import ProgressFn
from annotate._util.repeated import FirstFew
from annotate._util.scratch import scratch_dir
from annotate._util.spdx import spdx_expression
from annotate.audit.redact import (
    IngestRedaction,
    RedactionSettings,
    Redactor,
    author_key,
    context_pseudonyms,
    ingest_key,
    keyed_doc_id,
    masked_file_list,
    masked_file_name,
    passage_redaction,
    redact_documents,
    speaker_labels,
    thread_key,
)
from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD as DEFAULT_THRESHOLD
from annotate.errors import InputError
from annotate.ingestion.bad_files import bad_files_error, check_input_files, log_bad_files
from annotate.ingestion.bidi import BidiTally
from annotate.ingestion.dates import iso_date
from annotate.ingestion.front_matter import front_matter_end
from annotate.ingestion.licenses import check_license_option, not_spdx_error, recorded_license
from annotate.ingestion.passage_tables import passages_table_error
from annotate.ingestion.previous import (
    check_previous,
    refuse_previous_as_out,
    remember_previous,
    warn_other_corpus,
    warn_other_tables,
)
from annotate.ingestion.readers import (
    DATE_COLUMNS,
    ID_COLUMNS,
    Document,
    ReadStats,
    check_delimiter,
    is_hf_dataset,
    read_documents,
)
from annotate.ingestion.record import (
    COPIES_LISTED,
    FILES_LISTED,
    INGEST_RUN_COLUMN,
    IngestRecord,
    IngestSettings,
    build_record,
    changed_inputs,
    check_corpus_name,
    input_stamps,
    reads_tables,
    redact_record,
)
from annotate.ingestion.splitter import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MIN_CHARS,
    LONG,
    Segment,
    split_at_turns,
)
from annotate.ingestion.subtitles import cue_meta, cue_turns, timed_cues
from annotate.ingestion.turn_labels import is_conversation
from annotate.ingestion.turns import Turn, find_turns, moved_turns
from annotate.table_schemas import NEIGHBOUR_COLUMNS, with_neighbour_columns
from annotate.tables import TableWriter, batched, table_format

if TYPE_CHECKING:
    import pyarrow as pa

    from annotate.ingestion.bad_files import ReadAs
    from annotate.ingestion.near_dups import NearDupIndex
    from annotate.ingestion.seen import SeenStore

log = logging.getLogger(__name__)

WRITE_BATCH = 1000
NEAR_DUP_CHUNK = 5000  # passages signed and indexed at a time
SEEN_CHUNK = 5000  # passages (and documents) checked against the seen-store at a time


@dataclass
class IngestStats:
    documents: int = 0
    passages: int = 0
    duplicates: int = 0
    empty_documents: int = 0
    # JSONL rows without the text field, skipped (not counted as empty documents), and
    # the first of them with its fields (see ReadStats)
    rows_without_text_field: int = 0
    first_without_text_field: str | None = None
    skipped_files: list[str] = field(default_factory=list)
    # files ``skip_bad_files`` left out (not UTF-8, binary, unreadable; as messages name
    # them, with the problem: ``posts/a.txt (cp1252)``), recorded in ingest_run.skipped_files
    bad_files_skipped: list[str] = field(default_factory=list)
    # files that are not UTF-8, read as ``encoding`` (as the run record names them:
    # ``posts/a.txt``), recorded in ingest_run.decoded_files
    decoded_files: list[str] = field(default_factory=list)
    # web pages read as the charset they declare (or UTF-16 by their mark), not UTF-8 nor
    # --encoding's (annotate.ingestion.html.page_codec); in ingest_run.decoded_files too
    declared_pages: list[str] = field(default_factory=list, compare=False)
    # text files and CSV/TSV tables in UTF-16 or UTF-32 with their byte-order mark, read
    # as it says (passG52 G6); in ingest_run.decoded_files (declared_by: byte-order mark)
    marked_files: list[str] = field(default_factory=list, compare=False)
    # table rows skipped for no text (empty or no text field): in ingest_run.rows_without_text
    rows_without_text: int = 0
    # JSONL/CSV lines that are no row, skipped (--skip-bad-lines), and the rejects file
    # they are written to (None: none skipped, or the option not given)
    # (compare=False: the ingest golden outputs compare the counts written before them)
    bad_lines_skipped: int = field(default=0, compare=False)
    bad_line_lines: int = field(default=0, compare=False)  # the file lines they span
    rejects_file: Path | None = field(default=None, compare=False)
    control_characters: int = 0  # NUL and other control characters removed
    long_sentences_cut: int = 0  # sentences longer than a passage, cut into pieces
    near_dup_groups: int = 0  # groups of near-duplicate passages across documents
    near_duplicates: int = 0  # passages in a group that are not its first passage
    near_duplicates_dropped: int = 0
    # of the above: copies of passages of earlier runs (``previous``)
    duplicates_of_previous: int = 0  # exact copies dropped
    near_copies_of_previous: int = 0  # near-copies marked (or dropped) in their group
    # documents by where their licence came from (annotate.ingestion.licenses): a table's
    # license column, ``license`` (ingest --license), or none recorded
    license_from_column: int = 0
    license_from_option: int = 0
    license_unknown: int = 0
    # documents per licence recorded in its canonical SPDX form where it was given
    # otherwise ((as given, as recorded): documents), and per licence that is no SPDX
    # expression, kept as given (annotate.ingestion.licenses.recorded_license)
    license_normalised: dict[tuple[str, str], int] = field(default_factory=dict)
    # the columns taken as the parent column without --parent-column (parentId,
    # in_reply_to_id ...: annotate.review.parents.parent_key), in the order first met:
    # the summary names them (break13 #11: nothing said which column push would read);
    # a note, not a count: out of the golden outputs (compare=False)
    parent_columns: list[str] = field(default_factory=list, compare=False)
    license_not_spdx: dict[str, int] = field(default_factory=dict)
    # passages whose text holds bidi overrides or isolates (U+202A-U+202E, U+2066-U+2069),
    # kept as they are and warned of once (annotate.ingestion.bidi); counted as written by
    # iter_passages, before near-duplicates are dropped; a warning's tally, not one of the
    # run's counts (compare=False, as `said`: the ingest golden outputs compare the counts)
    bidi_controls: BidiTally = field(default_factory=BidiTally, compare=False)
    # text files split at speaker turns (annotate.ingestion.turns: forum threads, chat
    # logs, transcripts); said in the summary, not one of the golden outputs' counts
    documents_with_turns: int = field(default=0, compare=False)
    # documents every passage of which was dropped as an exact copy of an earlier one:
    # in no row of the output but the kept passages' exact_copies; said in the summary
    documents_only_copies: int = field(default=0, compare=False)
    # ``id_prefix`` given: the documents it was put before that are table rows and that
    # are whole files (text, subtitles, web pages), and the first file's prefixed id; a
    # run of both puts the tables' prefix before the files' ids too (newuser61 F1: an
    # article folder ingested beside a comments table became ``comments:articles/...``),
    # which the summary notes; not one of the golden outputs' counts
    prefixed_rows: int = field(default=0, compare=False)
    prefixed_files: int = field(default=0, compare=False)
    prefixed_file_example: str | None = field(default=None, compare=False)
    # per input file (as the run record names it, unmasked): [documents, passages cut,
    # exact copies dropped], for the run record's files_without_passages; and the name
    # its passages' input_file shows where --redact masked it (shown -> name)
    file_passages: dict[str, list[int]] = field(default_factory=dict, compare=False)
    shown_names: dict[str, str] = field(default_factory=dict, compare=False)
    # per-document warnings (control characters removed, long sentences cut): the first
    # few of each kind logged, then one line with the count
    said: FirstFew = field(default_factory=FirstFew, repr=False, compare=False)


def iter_passages(
    docs: Iterator[Document],
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    min_chars: int = DEFAULT_MIN_CHARS,
    dedupe: bool = True,
    stats: IngestStats | None = None,
    seen: SeenStore | None = None,
    turns: bool = True,
) -> Iterator[dict[str, Any]]:
    """Passage rows (see annotate.table_schemas.PASSAGE_SCHEMA) of every document.

    ``turns``: a text file (.txt/.md, a document that is no table row) holding a
    conversation (:func:`annotate.ingestion.turns.find_turns`) is split at its speaker
    turns, never merging two turns into one passage; a table row is one author's text
    (a post, a tweet) and is split as one text.

    ``seen`` keeps the exact-duplicate digests and document ids on disk (a fresh one in
    a temporary database when None); rows come a chunk of about ``SEEN_CHUNK`` passages
    at a time, the same rows in the same order as a one-by-one check would give.

    Raises InputError (a document id used by two inputs or two rows of one table; bad
    text, see ``clean_text``).
    """
    stats = stats if stats is not None else IngestStats()
    if seen is None:
        from annotate.ingestion.scratch import scratch_database
        from annotate.ingestion.seen import SeenStore

        with scratch_database() as db:
            yield from _passages(
                docs, _Cut(max_chars, min_chars, turns), dedupe, stats, SeenStore(db)
            )
    else:
        yield from _passages(docs, _Cut(max_chars, min_chars, turns), dedupe, stats, seen)


@dataclass(frozen=True)
class _Cut:
    """How documents are cut into passages (``ingest``'s splitter settings)."""

    max_chars: int
    min_chars: int
    turns: bool  # split a text file at its speaker turns


@dataclass
class _Split:
    doc: Document
    meta: str | None
    texts: list[tuple[int, int, str]]  # start, end, text of each passage
    sha256: str  # of the document's text the offsets point into (document_sha256)
    # whether the document is a conversation, read on its whole text (conversation column)
    conversation: bool = False
    # a subtitle file's: each passage's cue's start and end in the video, in seconds
    # (None: prose between cues), kept in its meta (cue_meta); [] for other documents
    times: list[tuple[float, float] | None] = field(default_factory=list)


def document_sha256(text: str) -> str:
    """``document_sha256`` of a passage: the SHA-256 (hex) of the UTF-8 bytes of its
    document's text as ingest split it, the text ``start``/``end`` index into.

    That text is the input decoded (a text file's bytes as UTF-8, a leading UTF-8 BOM
    dropped, or as ``ingest --encoding``'s codec when they are not UTF-8; line ends kept
    as they are; a table's text cell as its reader gives it),
    after control characters are removed (``clean_text``: NUL and the rest of C0 but
    tab, newline and carriage return, DEL, lone surrogates; a form feed or vertical tab
    is made a line break; ingest warns when it removes any) and, with ``ingest --redact``,
    after masking. So for a UTF-8 ``.txt``/``.md``
    file without a BOM or such characters it is the file's own SHA-256 (``sha256sum``),
    and ``text[start:end]`` of the text it hashes is the passage."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _passages(
    docs: Iterator[Document],
    cut: _Cut,
    dedupe: bool,
    stats: IngestStats,
    seen: SeenStore,
) -> Iterator[dict[str, Any]]:
    with stats.said:  # one line for each kind of per-document warning past the first few
        yield from _passages_said(docs, cut, dedupe, stats, seen)


def _passages_said(
    docs: Iterator[Document],
    cut: _Cut,
    dedupe: bool,
    stats: IngestStats,
    seen: SeenStore,
) -> Iterator[dict[str, Any]]:
    chunk: list[_Split] = []
    origins: list[tuple[str, str, str]] = []  # (doc id, input, row) of the chunk's documents
    size = 0
    documents = iter(docs)
    while True:
        try:
            doc = next(documents, None)
            if doc is None:
                break
            stats.documents += 1
            origins.append((doc.doc_id, doc.origin or doc.source, doc.where))
            split = _split(doc, cut, stats)
        except Exception:
            # an id used by two inputs earlier in input order is the error to report
            _check_origins_first(seen, origins)
            raise
        chunk.append(split)
        size += len(split.texts) + 1
        if size >= SEEN_CHUNK:
            seen.check_origins(origins)
            yield from _rows(chunk, dedupe, stats, seen)
            chunk, origins, size = [], [], 0
    seen.check_origins(origins)
    yield from _rows(chunk, dedupe, stats, seen)
    seen.check_repeats()  # an id on two rows of one input, not already found on the way


def _check_origins_first(seen: SeenStore, origins: list[tuple[str, str, str]]) -> None:
    try:
        seen.check_origins(origins)
    except InputError as conflict:
        raise conflict from None


def _warn_cue_times(problems: dict[str, list[int]], where: str, stats: IngestStats) -> None:
    """One warning per subtitle file for its cues whose end is before their start (their
    times not recorded: break14 #6) and one for its cues starting before the cue before
    them (not read as one sentence with it: break14 #3); ``problems``: from
    :func:`annotate.ingestion.subtitles.timed_cues`."""

    def first(numbers: list[int]) -> str:
        shown = ", ".join(str(n) for n in numbers[:5])
        return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")

    if reversed_ := problems.get("reversed"):
        stats.said.warn(
            log,
            "subtitle files with cues ending before they start",
            "%s: %d cue(s) end before they start (cue %s, counting timing lines from 1): "
            "their times are not recorded; correct the timing lines to keep them",
            where,
            len(reversed_),
            first(reversed_),
        )
    if backwards := problems.get("backwards"):
        stats.said.warn(
            log,
            "subtitle files with cues out of time order",
            "%s: %d cue(s) start before the cue before them (cue %s, counting timing lines "
            "from 1): two files joined, or renumbered after an edit? Such cues are not read "
            "as one sentence with the cue before them",
            where,
            len(backwards),
            first(backwards),
        )


def _split(doc: Document, cut: _Cut, stats: IngestStats) -> _Split:
    """A document's passages, after removing control characters from its text and title;
    a text file's (``doc.where`` empty: no table row) at its speaker turns, with
    ``cut.turns``; with ``ingest --redact`` (``doc.redaction``), the text masked after
    its control characters are removed and its turns found (:func:`_masked`)."""
    where = f"{doc.origin or doc.source}, document {doc.doc_id!r}"
    clean, removed = clean_text(doc.text, where=where)
    if doc.title:
        title, removed_in_title = clean_text(doc.title, where=f"{where} (title)")
        doc = replace(doc, title=title)
        removed += removed_in_title
    if removed:
        stats.control_characters += removed
        stats.said.warn(
            log,
            "documents with control characters removed",
            "%s: %d control character(s) removed",
            where,
            removed,
        )
        doc = replace(doc, text=clean)
    # a Markdown file's front matter (title, date, meta) is not text: its passages start
    # after it, their offsets still into the whole file; found again here, on the text as
    # cleaned and masked
    body = front_matter_end(doc.text) if doc.front_matter else 0
    turns = find_turns(doc.text[body:]) if cut.turns and not doc.where else []
    stats.documents_with_turns += bool(turns)
    if (turns or doc.subtitles) and doc.title_from_text:  # no speaker's line, no "WEBVTT"
        doc = replace(doc, title=conversation_title(doc))
    if doc.redaction is not None:  # ingest --redact: masked now, keeping the turns found
        doc, body, turns = _masked(doc, doc.redaction, body, turns)
    timed: list[tuple[int, int, tuple[float, float] | None]] = []
    if doc.subtitles:  # its cues' texts only, each cut at the turns starting in it
        problems: dict[str, list[int]] = {}
        timed = timed_cues(doc.text[body:], problems)
        _warn_cue_times(problems, where, stats)
        turns = cue_turns([(start, end) for start, end, _ in timed], turns)
    meta = json.dumps(doc.meta, ensure_ascii=False, sort_keys=True) if doc.meta else None
    segments = (
        [
            Segment(body + s.start, body + s.end)
            for s in split_at_turns(
                doc.text[body:],
                turns,
                max_chars=cut.max_chars,
                min_chars=cut.min_chars,
                name=where,
                said=stats.said,
            )
        ]
        if turns or not doc.subtitles
        else []
    )  # a subtitle file without cue text: none
    stats.long_sentences_cut = stats.said.counts.get(LONG, 0)  # the splitter's warnings
    texts = [(s.start, s.end, doc.text[s.start : s.end]) for s in segments]
    # each passage's cue's times (a cue split into passages: each has the cue's), by
    # where it starts; a passage of prose in the file, or of no subtitle file: none
    starts = [body + start for start, _, _ in timed]
    times = [timed[bisect_right(starts, s.start) - 1][2] if timed else None for s in segments]
    return _Split(
        doc,
        meta,
        texts,
        document_sha256(doc.text),
        is_conversation(doc.text[body:]),
        times if any(times) else [],
    )


def conversation_title(doc: Document) -> str:
    """The title of a text file read as a conversation whose title was guessed from its
    first line (``doc.title_from_text``): its file's name (``chat.txt``; the last part of
    its id, ``forum/chat.txt``). That line is a speaker's header (``kevin_r — Today at
    10:02 PM``) or first message (``Mod: welcome ...``), and Label Studio shows the title
    above every passage of the document; a title from front matter is kept."""
    return PurePosixPath(doc.doc_id).name or doc.doc_id


def _parent_values(meta: Any, column: str | None) -> dict[str, Any]:
    """The meta's parent column and value (``--parent-column``, else each key named like
    one: :func:`annotate.review.parents.parent_key`): a document id, kept unmasked by
    ``--redact`` as the row's own id is, so that push finds the parent (break13 #10)."""
    from annotate.review.parents import parent_key

    if not isinstance(meta, dict):
        return {}
    if column is not None:
        return {column: meta[column]} if column in meta else {}
    return {k: v for k, v in meta.items() if parent_key(k)}


def _parent_keys(redaction: IngestRedaction, kept: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(meta key, keyed pseudonym) of each parent value of ``kept`` (:func:`_parent_values`)
    naming a document whose id, as ingest makes it (after ``--id-prefix``), Label Studio
    gets keyed (:func:`annotate.audit.redact.keyed_doc_id`): the same pseudonym that
    document's task carries as its ``doc_id``, in this run or any run keyed alike."""
    from annotate.review.parents import parent_id_text

    out = []
    for key, value in kept.items():
        text = parent_id_text(value)
        if text is None:
            continue
        pseudonym = keyed_doc_id(redaction.redactor, f"{redaction.id_prefix or ''}{text}")
        if pseudonym is not None:
            out.append((str(key), pseudonym))
    return tuple(out)


def _masked(
    doc: Document, redaction: IngestRedaction, body: int, turns: list[Turn]
) -> tuple[Document, int, list[Turn]]:
    """``doc`` with its text masked by ``redaction`` (``ingest --redact``), where
    its passages start in the masked text (after front matter: ``body`` in the unmasked
    text), and ``turns`` (found on the unmasked text after ``body``, offsets from there)
    carried onto the masked text's body by the masking's offset map: a speaker label
    masked to a placeholder still starts its turn, and two speakers masked alike stay
    two turns. A speaker that is a phone number is masked wherever it occurs, valid
    number or not (:func:`annotate.audit.redact.speaker_numbers`). Then the title (its
    control characters already removed), source, meta and input file's name
    (:meth:`IngestRedaction.names`), numbered on from the text's placeholders."""
    redactor = redaction.redactor
    labels = speaker_labels(t.speaker for t in turns)
    from annotate.classifier.cue_sentences import subtitle_file

    # a subtitle file: values split by its markup found as its words read (break3 B3); one
    # told by its content too (a WebVTT transcript saved as .txt), whose cues ingest reads
    markup = doc.subtitles or subtitle_file(doc.doc_id)
    others = [doc.title, doc.source, doc.meta]  # their numbers masked in its URLs too
    red, done, numbering = redaction.mask(doc.text, labels, markup=markup, others=others)
    masked_body = front_matter_end(red.text) if doc.front_matter else 0
    moved = moved_turns(
        turns,
        lambda at: max(0, red.map_start(body + at) - masked_body),
        len(red.text) - masked_body,
    )
    meta = doc.meta
    # the table's thread and author columns: keyed pseudonyms of their unmasked values,
    # which the provenance line shows reviewers in place of the (masked) values
    if isinstance(meta, dict) and any(thread_key(k) or author_key(k) for k in meta):
        context = context_pseudonyms(meta, ingest_key())
        done = replace(done, context=tuple(context.items()))
    if meta:
        kept = _parent_values(meta, redaction.parent_column)  # ids, as doc_id is kept
        done = replace(done, parent_keys=_parent_keys(redaction, kept))
        meta = json.loads(redactor.json_strings(json.dumps(meta), numbering, labels) or "{}")
        meta.update(kept)
    if doc.title is not None and doc.title == conversation_title(doc):
        # a conversation titled by its file's name: masked as the name is, its extension
        # kept (a file named by an address read "[EMAIL-1]" alone: "[EMAIL-1].txt")
        title: str | None = masked_file_name(redactor, doc.title, numbering, labels)
    else:
        title = redactor.text(doc.title, numbering, labels)  # the first line, often
    if doc.source and "://" not in doc.source:  # a file's name: masked as input_file is
        source: str | None = masked_file_name(redactor, doc.source, numbering, labels)
    else:
        source = redactor.url(doc.source, numbering, labels) or doc.source
    # the input file's name, numbered on as the title is (a WhatsApp export's name holds
    # the contact's number): the passages' input_file, and the id reviewers are shown
    done = done.names(doc.name, doc.doc_id, numbering, labels)
    # the date: a value that does not read as one (a table's own ``date`` column holding
    # an address) masked as the title is; a date kept as it is (break9 N1)
    when = doc.date
    if when is not None and iso_date(when) is None:
        when = redactor.text(when, numbering, labels)
    doc = replace(
        doc, text=red.text, redaction=done, title=title, source=source, meta=meta, date=when
    )
    return doc, masked_body, moved


def _rows(
    chunk: list[_Split], dedupe: bool, stats: IngestStats, seen: SeenStore
) -> Iterator[dict[str, Any]]:
    """Rows of a chunk of documents; with ``dedupe``, only the first passage of a text."""
    keep: Iterator[bool] | None = None
    digests: list[bytes] = []
    if dedupe:
        from annotate.ingestion.seen import duplicate_digest

        digests = [duplicate_digest(text) for split in chunk for _, _, text in split.texts]
        first = seen.first_seen(digests)
        keep = iter(first)
        if seen.has_previous:
            stats.duplicates_of_previous += seen.count_previous(
                [d for d, f in zip(digests, first, strict=True) if not f]
            )
    at = iter(digests)
    copies: list[tuple[bytes, str]] = []  # (digest, record) of each copy dropped
    # a document an earlier run had (ingest --previous: an edited document ingested again)
    # keeps its passages' places in the document, so that its kept passages sort among
    # the earlier run's by passage_index instead of taking their numbers
    edited = seen.previous_docs([split.doc.doc_id for split in chunk])
    for split in chunk:
        doc = split.doc
        # a subtitle file's cues keep their places too (stop 54): passage_index is the
        # cue's own in the file (a reviewer finds "passage N" there), and a cue dropped as
        # a copy leaves a gap the classifier reads as a cue missing from its input, not
        # as the cues either side of it being neighbours (one sentence)
        places = doc.doc_id in edited or doc.subtitles
        kept = [True] * len(split.texts) if keep is None else [next(keep) for _ in split.texts]
        stats.documents_only_copies += bool(kept) and not any(kept)
        if doc.name:  # a document of an input file: counted for files_without_passages
            counts = stats.file_passages.setdefault(doc.name, [0, 0, 0])
            counts[0] += 1
            counts[1] += len(kept)
            counts[2] += len(kept) - sum(kept)
            if (shown := _input_file(doc)) is not None and shown != doc.name:
                stats.shown_names[shown] = doc.name
        index = 0
        for position, (start, end, text) in enumerate(split.texts):
            digest = next(at, None)
            if not kept[position]:
                stats.duplicates += 1
                if digest is not None:  # named on the passage kept (exact_copies)
                    copies.append((digest, _copy_record(doc, text, start, end)))
                index += places
                # counted only in the summary: -v names each, so a lead can tell that a
                # second account's comment (another document) was the same text
                log.info(
                    "%s (document %r) passage %d: exact duplicate of an earlier passage's "
                    "text; dropped (--keep-duplicates keeps it)",
                    " ".join(filter(None, (doc.origin, doc.where))) or doc.doc_id,
                    doc.doc_id,
                    position + 1,
                )
                continue
            stats.passages += 1
            row = {
                "id": passage_id(doc.doc_id, text),
                "doc_id": doc.doc_id,
                "passage_index": index,
                "start": start,
                "end": end,
                "text": text,
                "title": doc.title,
                "source": doc.source,
                "date": doc.date,
                "meta": cue_meta(split.meta, split.times[position] if split.times else None),
                "near_dup_group": None,
                "exact_copies": None,  # set when the passages are written (_with_copies)
                "document_sha256": split.sha256,
                "license": doc.license,
                # which input file and row of it the document was read from (the run
                # record's name for the file; None for the row of a one-document file)
                "input_file": _input_file(doc),
                "input_row": doc.where or None,
                # plain speaker labels (``Dave: ``) of 2+ speakers in the whole document:
                # prelabel reads them as labels in any passage of it it is given
                "conversation": split.conversation,
            }
            if doc.redaction is not None:  # ingest --redact: what was masked in this passage
                row["redaction"] = passage_redaction(doc.redaction, start, end)
            if doc.doc_id in edited:  # the text of a neighbour dropped as already seen
                row.update(_dropped_neighbours(split.texts, kept, position))
            stats.bidi_controls.add(row["id"], text)
            yield row
            index += 1
    if copies:
        seen.record_copies([d for d, _ in copies], [c for _, c in copies])


MAX_COPIES = 100  # exact copies named on one passage; beyond it only counted


def _copy_record(doc: Document, text: str, start: int, end: int) -> str:
    """What ``exact_copies`` names of an exact copy dropped (JSON): the passage id it
    would have had, its document, input file and row, and its offsets in the document.
    Under ``ingest --redact`` the document is named as its task would name it: by its
    keyed pseudonym where its id holds personal data (``doc_key``, ``pd_…``: push sends
    the record to Label Studio, and a reply's parent column naming the copy is keyed
    alike), with ``shown_doc_id`` (the id, its file's name masked) where its passages
    would show one (reader57b #2, #3)."""
    red = doc.redaction
    record = {
        "passage_id": passage_id(doc.doc_id, text),
        "doc_id": red.doc_key if red is not None and red.doc_key else doc.doc_id,
        **({"shown_doc_id": red.shown_doc_id} if red is not None and red.shown_doc_id else {}),
        "input_file": _input_file(doc),
        "input_row": doc.where or None,
        "start": start,
        "end": end,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _with_copies(rows: list[dict[str, Any]], seen: SeenStore | None) -> list[dict[str, Any]]:
    """``rows`` with ``exact_copies`` set on each whose text was dropped elsewhere as an
    exact copy: JSON ``{"count": N, "copies": [...]}``, the first :data:`MAX_COPIES`
    copies in input order (:func:`_copy_record`); None on the others."""
    if seen is None or not seen.copies or not rows:
        return rows
    from annotate.ingestion.seen import duplicate_digest

    found = seen.copies_of([duplicate_digest(r["text"]) for r in rows], MAX_COPIES)
    for pos, (count, copies) in found.items():
        listed = ",".join(copies)
        rows[pos]["exact_copies"] = f'{{"copies":[{listed}],"count":{count}}}'
    return rows


def _input_file(doc: Document) -> str | None:
    """The passages' ``input_file``: the run record's name for the document's file, masked
    under ``ingest --redact`` where it holds what is masked (None: a document of no file)."""
    if doc.redaction is not None and doc.redaction.input_file is not None:
        return doc.redaction.input_file
    return doc.name or None


def _dropped_neighbours(
    texts: list[tuple[int, int, str]], kept: list[bool], position: int
) -> dict[str, str]:
    """``context_before``/``context_after`` of the passage at ``position`` of an edited
    document (:data:`NEIGHBOUR_COLUMNS`): the text of each neighbour in the document
    that is not written (dropped as a copy of an earlier run's passage)."""
    out = {}
    for name, other in zip(NEIGHBOUR_COLUMNS, (position - 1, position + 1), strict=True):
        if 0 <= other < len(texts) and not kept[other]:
            out[name] = texts[other][2]
    return out


def _require_out_apart_from_inputs(paths: list[Path], out: Path) -> None:
    """InputError when ``out`` is one of the inputs (the passages replaced the documents
    they were cut from: the user's source file was gone) or lies in an input folder (a
    folder is read whole, so the next run read the last run's passages as documents)."""
    target = out.resolve()
    for path in paths:
        given = path.resolve()
        if given == target:
            raise InputError(
                f"--out {out} is also an input; expected an output apart from the inputs (the "
                "passages would replace the documents they are cut from).",
                fix=f"pass another --out, e.g. --out {out.with_name(out.stem + '.passages')}"
                f"{''.join(out.suffixes[-1:]) or '.parquet'}.",
            )
        if given.is_dir() and given in target.parents:
            raise InputError(
                f"--out {out} is inside the input folder {path}; expected an output outside "
                "the folders read (a folder is read whole, so a later run would read these "
                "passages as documents).",
                fix=f"write it outside the folder, e.g. --out {_outside(given, out)}.",
            )


def _outside(folder: Path, out: Path) -> str:
    """``out``'s file name in a place outside ``folder`` (resolved), as typed from here:
    the name alone where the current folder is outside it, else beside ``folder``
    (``../passages.parquet`` for an input ``.``)."""
    here = Path.cwd().resolve()
    if here != folder and folder not in here.parents:
        return out.name
    return os.path.relpath(folder.parent / out.name, here)


def _parent_column_found(
    docs: Iterator[Document], column: str, used: dict[str, str] | None = None
) -> Iterator[Document]:
    """``docs`` as they are; InputError once they are read when none of them kept
    ``column`` (``ingest --parent-column``) in its meta: no table of the run has it, or
    the tables took it as their id or date column (``used``: the names ingest takes as
    such without --id-column/--date-column -> "id"/"date"; break13 #9), and no reply
    would show its parent."""
    found = False
    seen: dict[str, None] = {}
    for doc in docs:
        meta = doc.meta if isinstance(doc.meta, dict) else {}
        found = found or column in meta
        if not found and len(seen) < 20:
            seen.update(dict.fromkeys(str(k) for k in meta))
        yield doc
    if found:
        return
    role = (used or {}).get(column.lower())
    if role is not None:
        raise InputError(
            f"--parent-column {column!r} names the text, id or date column (the tables' "
            f"{column!r} was taken as their {role} column, as ingest takes a column of that "
            "name without --"
            f"{role}-column); expected the column naming the comment each row replies to "
            "(its id), e.g. parent_id.",
            fix="pass --parent-column with the column of parent comment ids, or leave it out.",
        )
    others = ", ".join(list(seen)[:8]) or "none"
    raise InputError(
        f"--parent-column {column!r}: no table of the run has that column (other "
        f"columns kept: {others}); expected the column naming the comment each row "
        "replies to.",
        fix="pass --parent-column with one of the tables' columns (names are matched "
        "exactly), or leave it out (parent_id, in_reply_to_id, reply_to_id ... are "
        "found without it).",
    )


def _prefixed(docs: Iterator[Document], prefix: str, stats: IngestStats) -> Iterator[Document]:
    """``docs`` with ``prefix`` before each document id, counted in ``stats`` as table
    rows (``where`` set) or whole files, with the first file's new id."""
    for doc in docs:
        doc = replace(doc, doc_id=f"{prefix}{doc.doc_id}")
        if doc.where:
            stats.prefixed_rows += 1
        else:
            stats.prefixed_files += 1
            if stats.prefixed_file_example is None:
                stats.prefixed_file_example = doc.doc_id
        yield doc


def _parent_columns_seen(docs: Iterator[Document], stats: IngestStats) -> Iterator[Document]:
    """``docs`` as they are, each meta key taken as the parent column without
    ``--parent-column`` (:func:`annotate.review.parents.parent_key`) noted in
    ``stats.parent_columns`` (the summary names it)."""
    from annotate.review.parents import parent_id_text, parent_key

    for doc in docs:
        meta = doc.meta if isinstance(doc.meta, dict) else {}
        key = next((str(k) for k in meta if parent_key(k)), None)
        # a column meaning no parent in every row (empty, 0, -1: a gold sheet of top-level
        # comments) names none: not said (newuser61 F11, reader61 #6)
        if (
            key is not None
            and parent_id_text(meta[key]) is not None
            and key not in stats.parent_columns
        ):
            stats.parent_columns.append(key)
        yield doc


def ingest(
    paths: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    text_column: str = "text",
    id_column: str | None = None,
    delimiter: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    min_chars: int = DEFAULT_MIN_CHARS,
    dedupe: bool = True,
    progress: ProgressFn | None = None,
    redact: RedactionSettings | None = None,
    near_dup_threshold: float | None = DEFAULT_THRESHOLD,
    drop_near_duplicates: bool = False,
    previous: Sequence[str | os.PathLike[str]] = (),
    allow_other_previous_settings: bool = False,
    corpus: str | None = None,
    license: str | None = None,
    strict_license: bool = False,
    skip_bad_files: bool = False,
    encoding: str | None = None,
    turns: bool = True,
    overwrite: bool = True,
    id_prefix: str | None = None,
    date_column: str | None = None,
    day_first: bool | None = None,
    skip_bad_lines: bool = False,
    parent_column: str | None = None,
) -> IngestStats:
    """Read documents from ``paths`` and write passages to ``out`` (.parquet or .jsonl).

    ``id_prefix``: put before every document id of the run (``discord:`` makes row
    ``1``'s ``discord:1``), so that tables of other platforms whose ids and texts agree
    (``1``, "you're dead") get other passage ids; the same prefix gives the same ids
    again. InputError when it is blank or holds white space. Recorded in the run's
    settings (``id_prefix``, only when given); a ``previous`` file ingested with another
    prefix (or none) is refused as one with another ``min_chars`` is.

    ``date_column``: the column of table inputs holding each row's date (``date`` of the
    passages); default the first of :data:`annotate.ingestion.readers.DATE_COLUMNS` a
    table has. Recorded in the run's settings only when given (a table without it is
    warned of; its rows get no date). The values of a date column (named or the
    table's own) and of a Markdown file's front matter ``date`` are read as dates
    (:func:`annotate.ingestion.dates.iso_date`: ISO 8601, a time with a zone in UTC); a
    value that is no date stays in ``meta`` only. ``day_first``: how ``NN/NN/YYYY`` dates
    read: True day first (``--day-first``), False month first (``--month-first``), None
    as each table's date column tells (day first when some value can only be, warned of
    when none tells: :class:`annotate.ingestion.readers._DateValues`).

    ``parent_column``: the column of table inputs naming the comment each row replies to
    (its document id), kept in ``meta`` as every other column; push shows that comment
    above the reply (:mod:`annotate.review.parents`). Without it, push takes the first
    meta key named like one (``parent_id``, ``in_reply_to_id``, ``reply_to_id`` ...:
    :data:`annotate.review.parents.PARENT_KEYS`). Recorded in the run's settings only when
    given; InputError when it names the text, id or date column, or no table of the run
    has it (no output is written).

    ``skip_bad_lines``: a JSONL or CSV line that is no row (not JSON, not an object, more
    fields than the header, quotes that do not pair up) is skipped and written to a
    rejects file beside ``out`` (:mod:`annotate.ingestion.bad_lines`; counted in
    ``bad_lines_skipped``, the file in ``rejects_file``) instead of refusing its file.

    ``paths``: text files (.txt/.md), folders of them, JSONL/CSV/Parquet tables (one
    document a row, text in ``text_column``, document id in ``id_column``, default the
    first of ``doc_id``/``id``/``document_id`` present, else the row's position; the
    same names for every table; CSV fields separated by ``delimiter``) or
    folders saved by ``datasets``. Passages are cut at paragraph and sentence ends,
    ``min_chars`` to ``max_chars`` characters long; each row follows
    :data:`annotate.table_schemas.PASSAGE_SCHEMA` (id, doc_id, passage_index, start/end
    character offsets into the document, text, title, source, date, meta,
    near_dup_group, document_sha256: see :func:`document_sha256`; input_file,
    input_row: the input file, named as the run record names it, and the row of it the
    document was read from, None for a file that is one document; ingest_run: the
    settings, inputs and version of this run, :mod:`annotate.ingestion.record`). ``dedupe`` drops
    exact duplicate passages. ``progress(1)`` is called per document read. The output
    appears only when the whole input was read without error.

    Document ids and sources name inputs by file name (relative to the folder given),
    never by the path as typed, so passage ids do not depend on the current folder. NUL
    and other control characters are removed (counted in ``control_characters``).
    Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069: text that shows
    in another order than it reads) are kept, offsets must stay true; the passages holding
    them are counted in ``bidi_controls`` and one warning names the first few.

    Near-duplicates (:mod:`annotate.ingestion.near_dups`): passages of different
    documents whose word 3-gram sets have a Jaccard similarity of about
    ``near_dup_threshold`` or more (MinHash LSH) share ``near_dup_group`` (the id of the
    group's first passage); None turns the search off. ``drop_near_duplicates`` keeps
    only the first passage of each group (the others are counted in
    ``near_duplicates_dropped``); as with exact duplicates, ``passage_index`` then counts
    the passages kept, so index neighbours (+-1) are the nearest kept passages; a
    subtitle file's cues keep their places in it (a gap where a copy was dropped: the
    classifier reads it as a cue missing from its input, and a reviewer finds "passage
    N" in the file; stop 54). Memory
    stays bounded: the band index, the digests of exact duplicates and the document ids
    live in a temporary DuckDB database on disk (:mod:`annotate.ingestion.scratch`).

    ``turns``: a .txt/.md file holding a conversation (a forum thread's posts, a chat
    log's messages, a transcript's speakers: :mod:`annotate.ingestion.turns`) is split at
    its speaker turns, so no passage holds two authors' words (a short turn is a passage
    of its own; a long one is split inside it); documents without turns, and table rows,
    are split as without it. False (``--no-turns``) reads no turns, recorded in the run's
    settings (``turns: false``); counted in ``documents_with_turns``.

    ``previous``: passages files of earlier ingest runs (:mod:`annotate.ingestion.previous`),
    read first: exact copies of their passages are dropped as duplicates (with
    ``dedupe``; counted in ``duplicates``), near-copies get the earlier passage's id as
    ``near_dup_group`` (dropped with ``drop_near_duplicates``); none of them is written.
    An earlier file recorded with other splitter or masking settings (``max_chars``,
    ``min_chars``, ``turns``, ``id_prefix``, ``redact``: its passages do not compare with
    this run's) is an InputError before any work unless ``allow_other_previous_settings``;
    one read from
    tables with another text or id column is warned of (likely another corpus).

    The earlier files' settings are read from their ``ingest_run`` column (each distinct
    run they hold), as this run's are recorded in ``out``'s for a later run's ``previous``.
    The passages written of a document an earlier file has (an edited document) carry,
    in ``context_before``/``context_after`` (:data:`annotate.table_schemas.
    NEIGHBOUR_COLUMNS`, columns of a run with ``previous``), the text of each neighbour in
    the document that is not written: push shows it as the task's context.

    ``corpus``: a name for the corpus, recorded in ``ingest_run`` (and so in the run id);
    an earlier file whose runs record another name is warned of (likely another corpus).

    ``license``: the licence or terms the documents were obtained under (an SPDX
    identifier or a short text), written in every passage's ``license`` column unless the
    document's table row has its own (a ``license``/``licence`` column, which wins); None
    where neither gives one (unknown). Counted per document in ``license_from_column``,
    ``license_from_option`` and ``license_unknown``. It is not part of the passage id. An
    SPDX expression is recorded in its canonical form (``mit`` -> ``MIT``; counted in
    ``license_normalised``), anything else as given (``license_not_spdx``), or, with
    ``strict_license``, refused (InputError naming the value and where it was found:
    ``--license`` before any work, a table's row when it is read).

    Every file the readers would open is checked first (:mod:`annotate.ingestion.
    bad_files`: unreadable, a text file or text table that is not UTF-8, a binary file
    named like text, a text file named on the command line that is empty): each is logged
    with its fix, and one InputError names them all, before any work; with
    ``skip_bad_files`` they are left out instead (counted in ``bad_files_skipped``, listed
    in the run record's ``skipped_files``).

    ``encoding``: a fallback codec for legacy files (e.g. ``cp1252``; checked before any
    work, :func:`annotate._util.encoding.check_fallback_encoding`): each .txt/.md, CSV,
    TSV or JSONL file is still read as UTF-8 when it is UTF-8, and one that is not is read
    as ``encoding``, strictly (a byte it leaves undefined makes a bad file); each file so
    read is named in ``decoded_files`` and listed in the run record's ``decoded_files``
    (with its codec and the SHA-256 of its bytes). Passage offsets count characters of
    the decoded text, and ``document_sha256`` hashes it as UTF-8, as for a UTF-8 file.

    ``overwrite``: False (the CLI without ``--overwrite``) refuses an ``out`` that
    exists, before any work (:func:`annotate._util.paths.refuse_replacing`).

    Raises InputError (bad files, above; no such path, unreadable or empty table, missing
    text column, text that is not UTF-8 (naming the byte and the likely encoding), C1
    control characters, text that is not a string (naming the row), one document id in
    two inputs or on two rows of one table, a threshold outside (0, 1)).
    """
    # a wrong --out fails before any work, not after
    table_format(Path(out), output=True, stem="passages")
    _require_out_apart_from_inputs([Path(p) for p in paths], Path(out))
    encoding = check_fallback_encoding(encoding)
    if near_dup_threshold is not None:
        from annotate.ingestion.near_dups import check_threshold

        check_threshold(near_dup_threshold)  # a bad threshold fails before any work
    elif drop_near_duplicates:
        raise InputError(
            "dropping near-duplicates needs the near-duplicate search, which is off.",
            fix="leave out --no-near-dups (the search runs by default, at "
            "--near-dup-threshold 0.8), or leave out --drop-near-duplicates.",
        )
    if id_prefix is not None and (not id_prefix.strip() or any(c.isspace() for c in id_prefix)):
        raise InputError(
            f"--id-prefix {id_prefix!r} is blank or holds white space; expected a short "
            "name of the inputs' platform or export, e.g. --id-prefix discord:",
            fix="pass a prefix without spaces (letters, digits, ':', '-', '_'), or leave "
            "--id-prefix out.",
        )
    if date_column is not None and date_column in (text_column, id_column):
        named = "text" if date_column == text_column else "id"
        raise InputError(
            f"--date-column {date_column!r} names the {named} column (--{named}-column "
            f"{date_column!r}); expected the column holding each row's date, which "
            "becomes the passages' date.",
            fix="pass --date-column with the column of dates, e.g. --date-column "
            "'Posted (UTC)', or leave it out.",
        )
    if parent_column is not None and parent_column in (text_column, id_column, date_column):
        raise InputError(
            f"--parent-column {parent_column!r} names the text, id or date column; expected "
            "the column naming the comment each row replies to (its id), e.g. parent_id.",
            fix="pass --parent-column with the column of parent comment ids, or leave it out.",
        )
    # an options error, before the refusal of an existing --out (whose --overwrite fails)
    refuse_previous_as_out([Path(p) for p in previous], Path(out))
    if not overwrite:  # the CLI without --overwrite, as export; after the options' own errors
        from annotate._util.paths import refuse_replacing

        refuse_replacing(
            Path(out),
            what="the passages of this run",
            example=str(Path(out).with_name(f"{Path(out).stem}-2{Path(out).suffix}")),
        )
    earlier = [Path(p) for p in previous]
    run_settings = IngestSettings(
        text_column=text_column,
        id_column=id_column,
        delimiter=delimiter,
        tables=reads_tables([Path(p) for p in paths]),
        max_chars=max_chars,
        min_chars=min_chars,
        drop_exact_duplicates=dedupe,
        near_dup_threshold=near_dup_threshold,
        drop_near_duplicates=drop_near_duplicates,
        redact=redact_record(redact),
        turns=turns,
        id_prefix=id_prefix,
        date_column=date_column,
        day_first=day_first,
        parent_column=parent_column,
    )
    now = asdict(run_settings)
    earlier_runs = check_previous(
        earlier,
        Path(out),
        redact=redact is not None,
        record=now,
        allow_other_settings=allow_other_previous_settings,
        inputs=[Path(p) for p in paths],
    )
    corpus = check_corpus_name(corpus)
    given_license = None if license is None else license.strip()
    license = check_license_option(license, strict=strict_license)
    run_settings = replace(run_settings, license=license)  # in the record and the run id
    check_delimiter(delimiter)  # before the tables' headers are read with it
    checked = check_input_files(
        [Path(p) for p in paths],
        text_column=text_column,
        delimiter=delimiter,
        id_column=id_column,
        encoding=encoding,
    )
    bad = checked.bad
    if bad:
        others = len(paths) > len(bad) or any(
            Path(p).is_dir() and not is_hf_dataset(Path(p)) for p in paths
        )
        fails = not skip_bad_files or not others  # skipped, nothing would be left to read
        if len(bad) > 1 or not fails:  # a lone bad file's error is its warning, with its fix
            log_bad_files(bad, skipped=skip_bad_files)
        if fails:
            raise bad_files_error(bad, others=others)
    not_read = [b.path for b in (*bad, *checked.unsupported, *checked.links)]
    stamps = input_stamps([Path(p) for p in paths], not_read)  # before they are hashed
    record = build_record(
        [Path(p) for p in paths],
        run_settings,
        earlier,
        earlier_runs,
        corpus,
        # not read: listed in skipped_files, not in inputs
        [*bad, *checked.unsupported, *checked.links],
        checked.decoded,
    )
    redactor = Redactor(redact) if redact is not None else None
    if redactor is not None:  # the files it names, masked as the passages' input_file is
        record = replace(
            record,
            skipped_files=masked_file_list(redactor, record.skipped_files),
            decoded_files=masked_file_list(redactor, record.decoded_files),
            previous=masked_file_list(redactor, record.previous),
            input_paths=[
                {k: masked_file_name(redactor, v) for k, v in p.items()} for p in record.input_paths
            ],
            working_folder=None
            if record.working_folder is None
            else masked_file_name(redactor, record.working_folder),
        )
    read_stats = ReadStats(day_first=day_first)
    from annotate.ingestion.bad_lines import (
        BadLines,
        refuse_unwritable_rejects,
        rejects_path,
        remove_stale_rejects,
    )

    if skip_bad_lines:
        refuse_unwritable_rejects(out)
        read_stats.bad_lines = BadLines(read_stats.said, out)
    stats = IngestStats(
        bad_files_skipped=[b.said() for b in bad],
        decoded_files=[f.name for f in checked.decoded if f.declared_by is None],
        declared_pages=[f.name for f in checked.decoded if f.declared_by and not _marked(f)],
        marked_files=[f.name for f in checked.decoded if _marked(f)],
    )
    docs = read_documents(
        [Path(p) for p in paths],
        text_column=text_column,
        stats=read_stats,
        id_column=id_column,
        delimiter=delimiter,
        skip=frozenset(b.path for b in bad),
        encoding=encoding,
        # the codec the check chose for each file not UTF-8: no file is scanned again
        read_as={f.path: f.encoding for f in checked.decoded},
        date_column=date_column,
    )
    if id_prefix:  # checked above, before any work
        docs = _prefixed(docs, id_prefix, stats)
    if parent_column is not None:  # some table must have it: refused after reading, else
        used = {} if id_column else dict.fromkeys(ID_COLUMNS, "id")
        used |= {} if date_column else dict.fromkeys(DATE_COLUMNS, "date")
        docs = _parent_column_found(docs, parent_column, used)
    else:
        docs = _parent_columns_seen(docs, stats)
    docs = _licensed(docs, (given_license, license), stats, strict_license)
    if redactor is not None:  # title, source, meta; the text whole when it is split
        docs = redact_documents(docs, redactor, parent_column, id_prefix)
    if progress is not None:
        docs = _counted(docs, progress)
    from annotate import table_schemas
    from annotate.ingestion.near_dups import NearDupIndex
    from annotate.ingestion.scratch import scratch_database
    from annotate.ingestion.seen import DocumentIdRepeated, SeenStore

    schema = (
        table_schemas.PASSAGE_SCHEMA if redact is None else table_schemas.REDACTED_PASSAGE_SCHEMA
    )
    if earlier:  # an edited document's passages carry the neighbours this run drops
        schema = with_neighbour_columns(schema)
    try:
        with scratch_database() as db:
            seen = SeenStore(db)
            index = None if near_dup_threshold is None else NearDupIndex(db, near_dup_threshold)
            prior = remember_previous(earlier, seen, index, dedupe=dedupe) if earlier else 0
            rows = _with_run(
                iter_passages(
                    docs,
                    max_chars=max_chars,
                    min_chars=min_chars,
                    dedupe=dedupe,
                    stats=stats,
                    seen=seen,
                    turns=turns,
                ),
                record.to_json(),
                neighbours=bool(earlier),
                rest=record.to_json(listed=False),
            )
            # the record as written: with what is known once every passage is cut
            finish = _Finish(
                record,
                read_stats,
                stats,
                redactor,
                inputs=_InputsRead([Path(p) for p in paths], not_read, stamps),
            )
            # without --overwrite, a file another run wrote at --out meanwhile is kept
            if index is None:  # held until every copy is known (exact_copies)
                _write_with_copies(rows, out, schema, seen, finish, replace=overwrite)
            else:
                _write_grouped(
                    rows,
                    out,
                    index,
                    drop_near_duplicates,
                    stats,
                    schema,
                    prior,
                    seen,
                    finish,
                    replace=overwrite,
                )
    except FileExistsError as exc:
        if Path(exc.filename or "") != Path(out):
            raise
        raise InputError(
            f"--out {out} was written by another process while this ingest ran (another "
            "ingest of the same --out?); it was left as it is and this run's passages were "
            "not kept.",
            fix="check what is in it; pass another --out, or add --overwrite to replace it.",
        ) from None
    except DocumentIdRepeated as repeated:  # a table of passages given as documents
        kind = read_stats.passage_tables.get(repeated.input)
        if kind is None:
            raise
        raise passages_table_error(repeated, repeated.input, kind) from None
    except InputError as error:  # a line that is no row: the option that skips it named
        if not getattr(error, "bad_line", False) or skip_bad_lines:
            raise
        raise InputError(
            error.what,
            fix=f"{(error.fix or '').rstrip('.')}; or pass --skip-bad-lines to ingest the "
            f"rest, each bad line written with its text to {rejects_path(out).name} beside "
            "--out.",
        ) from None
    if read_stats.bad_lines is not None:  # the output is written: its rejects beside it
        try:
            stats.rejects_file = read_stats.bad_lines.write(out, redactor)
        except BaseException:
            # a full disk or Ctrl-C: the passages file just written names a rejects file
            # that is not there, and kept, it refused the re-run the error asks for
            # (faults58 #4); removed, the run leaves nothing, as the error says
            Path(out).unlink(missing_ok=True)
            raise
        stats.bad_lines_skipped = read_stats.bad_lines.count
        stats.bad_line_lines = read_stats.bad_lines.lines
        read_stats.bad_lines.close()  # (after an error, its temporary file closes with it)
    else:
        remove_stale_rejects(out)
    read_stats.warn_date_orders()  # files read month first before one told day first
    warn_other_tables(earlier, now, earlier_runs)
    warn_other_corpus(earlier, corpus, earlier_runs)
    stats.empty_documents = read_stats.empty_documents
    stats.rows_without_text_field = read_stats.rows_without_text_field
    stats.rows_without_text = read_stats.rows_without_text
    stats.first_without_text_field = read_stats.first_without_text_field
    stats.skipped_files = read_stats.skipped_files
    stats.bidi_controls.warn(log, str(out))
    log.info(
        "ingested %d documents into %d passages (%d duplicates removed)",
        stats.documents,
        stats.passages,
        stats.duplicates,
    )
    return stats


def _marked(read_as: ReadAs) -> bool:
    """Whether ``read_as`` is a text file or table (not a web page) read as UTF-16/32 by
    its byte-order mark."""
    from annotate.ingestion import html
    from annotate.ingestion.bad_files import MARKED_BY

    return read_as.declared_by == MARKED_BY and read_as.path.suffix.lower() not in html.SUFFIXES


@dataclass
class _InputsRead:
    """The input files as they were before the run hashed them (:func:`input_stamps`), to
    tell, once every passage is read, whether one was written meanwhile: its passages
    and the SHA-256 the run records for it (``ingest_run.inputs``) would then be of
    different contents, and nothing said so (faults58 #3)."""

    paths: list[Path]
    skip: list[Path]
    stamps: dict[str, tuple[int, int] | None]

    def check(self) -> None:
        changed = changed_inputs(self.stamps, self.paths, self.skip)
        if not changed:
            return
        shown = ", ".join(changed[:3]) + (
            f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        )
        raise InputError(
            f"{shown} changed while this ingest read {'it' if len(changed) == 1 else 'them'} "
            "(size or modification time): its passages and the SHA-256 recorded for it "
            "would be of different contents, so nothing was written.",
            fix="run the same command again once nothing writes to the input (copy a file "
            "that is still being written, and ingest the copy).",
        )


class _Finish:
    """The run record as written on the passages (:mod:`annotate.ingestion.record`), with
    what is known once every passage is cut (:data:`annotate.ingestion.record.
    AFTER_READING`): the exact copies dropped and the input files no passage is written
    of. :meth:`done` when every passage is staged, then :meth:`apply` to each batch
    written: the first row written gets the record in full, the others its summary."""

    def __init__(
        self,
        record: IngestRecord,
        read_stats: ReadStats,
        stats: IngestStats,
        redactor: Redactor | None,
        inputs: _InputsRead | None = None,
    ) -> None:
        self.inputs = inputs
        self.record = record
        self.read_stats = read_stats
        self.stats = stats
        self.redactor = redactor
        self.first: str | None = None  # the record of the first row written, then of the rest
        self.rest: str | None = None

    def done(self, seen: SeenStore | None, near: dict[str, int] | None = None) -> None:
        """Every passage is staged: ``seen``'s copies, and ``near`` (passages to be dropped
        as near-duplicates, by their ``input_file``) are all known. InputError when an
        input file was written while the run read it (:class:`_InputsRead`)."""
        if self.inputs is not None:
            self.inputs.check()
        record = replace(
            self.record,
            exact_copies_dropped=_copies_dropped(seen),
            files_without_passages=self._files_without(near or {}),
            rows_without_text=self._rows_without_text(),
            bad_lines_skipped=(
                self.read_stats.bad_lines.record(self.redactor)
                if self.read_stats.bad_lines is not None
                else None
            ),
        )
        self.first, self.rest = record.to_json(), record.to_json(listed=False)

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row in rows:
            if self.first is not None:
                row[INGEST_RUN_COLUMN] = self.first
                self.first = None
            elif self.rest is not None:
                row[INGEST_RUN_COLUMN] = self.rest
        return rows

    def _rows_without_text(self) -> dict[str, Any] | None:
        """``rows_without_text``: the table rows skipped for no text, counted, the first
        :data:`annotate.ingestion.readers.ROWS_LISTED` named (file names masked as the
        passages' ``input_file`` is), each with its file's SHA-256 (``input_sha256``), so
        that export counts a row two runs read from the same file once (passI53 I4)."""
        count = self.read_stats.rows_without_text
        if not count:
            return None
        sha = {f.name: f.sha256 for f in self.record.inputs}
        listed = [dict(r) for r in self.read_stats.first_rows_without_text]
        for row in listed:
            if row["input_file"] in sha:  # a dataset's split is named apart from its files
                row["input_sha256"] = sha[row["input_file"]]
        if self.redactor is not None:
            for row in listed:
                row["input_file"] = masked_file_name(self.redactor, row["input_file"])
        found: dict[str, Any] = {"count": count, "first": listed}
        if count > len(listed):
            found["rest"] = f"the first {len(listed):,} are listed, the others counted"
        return found

    def _files_without(self, near: dict[str, int]) -> dict[str, Any] | None:
        """``files_without_passages``: each text file or table read that no passage is
        written of, with why (:func:`_why_no_passage`), the first
        :data:`annotate.ingestion.record.FILES_LISTED` in the order read."""
        stats = self.stats
        dropped: dict[str, int] = {}  # near-duplicates dropped, by the file's own name
        for shown, n in near.items():
            name = stats.shown_names.get(shown, shown)
            dropped[name] = dropped.get(name, 0) + n
        listed: list[dict[str, Any]] = []
        count = 0
        for name in dict.fromkeys(self.read_stats.file_names):
            docs, cut, copies = stats.file_passages.get(name, (0, 0, 0))
            near_dups = dropped.get(name, 0)
            if docs and cut - copies - near_dups > 0:
                continue
            count += 1
            if len(listed) < FILES_LISTED:
                listed.append({"file": name, "why": _why_no_passage(docs, cut, copies, near_dups)})
        if not count:
            return None
        if self.redactor is not None:  # names masked as the passages' input_file is
            shown = {v: k for k, v in stats.shown_names.items()}
            masked = masked_file_list(self.redactor, [f for f in listed if f["file"] not in shown])
            by_name = iter(masked)
            listed = [
                {**f, "file": shown[f["file"]]} if f["file"] in shown else next(by_name)
                for f in listed
            ]
        found: dict[str, Any] = {"count": count, "first": listed}
        if count > len(listed):
            found["rest"] = (
                f"the first {len(listed):,} are listed; `annotate ingest -v` names each file "
                "as it skips it"
            )
        return found


def _why_no_passage(docs: int, cut: int, copies: int, near: int) -> str:
    """Why an input file has no passage written (``files_without_passages``)."""
    if not docs:
        return "no text: the file (or each row of the table) is empty or shows no text"
    if not cut:
        return "no passage: its text gave none (e.g. a subtitle file without cue text)"
    if copies == cut:
        return (
            f"exact copies only: its {cut} passage(s) are copies of passages kept from other "
            "documents (their exact_copies name them) or of --previous files' passages"
        )
    if not copies:
        return (
            f"near-duplicates only: its {cut} passage(s) were dropped as near-duplicates of "
            "passages kept (--drop-near-duplicates)"
        )
    return (
        f"copies only: of its {cut} passage(s), {copies} are exact copies of passages kept "
        f"elsewhere and {near} were dropped as near-duplicates (--drop-near-duplicates)"
    )


def _copies_dropped(seen: SeenStore | None) -> dict[str, Any] | None:
    """``exact_copies_dropped`` of the run record: how many exact copies were dropped and
    the first :data:`annotate.ingestion.record.COPIES_LISTED` (as the kept passages'
    ``exact_copies`` name them, :func:`_copy_record`), in input order; None when none."""
    if seen is None or not seen.copies:
        return None
    first = [json.loads(c) for c in seen.first_copies(COPIES_LISTED)]
    found: dict[str, Any] = {"count": seen.copies, "first": first}
    if seen.copies > len(first):
        found["rest"] = (
            f"each kept passage's exact_copies names the copies of its text (the first "
            f"{MAX_COPIES} of each); copies of --previous files' passages are counted only; "
            "`annotate ingest -v` logs each copy dropped"
        )
    return found


def _write_with_copies(
    rows: Iterator[dict[str, Any]],
    out: str | os.PathLike[str],
    schema: pa.Schema,
    seen: SeenStore,
    finish: _Finish | None = None,
    replace: bool = True,
) -> None:
    """Stage the passages, then write them with the exact copies dropped after them
    (``exact_copies``, :func:`_with_copies`) and the run record as ``finish`` completes
    it. ``replace=False``: a file another run wrote at ``out`` meanwhile is kept
    (FileExistsError)."""
    with scratch_dir("ingest") as tmp:
        spool = _Spool(Path(tmp) / "passages.parquet", schema)
        for batch in batched(rows, NEAR_DUP_CHUNK):
            spool.add(batch)
        spool.close()
        if finish is not None:
            finish.done(seen)
        with TableWriter(out, schema=schema, replace=replace) as writer:
            for staged in spool.batches():
                staged = _with_copies(staged, seen)
                writer.write(finish.apply(staged) if finish is not None else staged)


def _write_grouped(
    rows: Iterator[dict[str, Any]],
    out: str | os.PathLike[str],
    index: NearDupIndex,
    drop: bool,
    stats: IngestStats,
    schema: pa.Schema | None = None,
    prior: int = 0,
    seen: SeenStore | None = None,
    finish: _Finish | None = None,
    replace: bool = True,
) -> None:
    """Stage the passages while indexing them, then write them with their groups.
    ``prior``: passages of earlier runs already in ``index`` (keys 0 .. prior-1);
    ``schema``: :data:`annotate.table_schemas.PASSAGE_SCHEMA` when None; ``finish``:
    completes the run record written (with ``drop``, after a pass counting the
    near-duplicates to drop per input file); ``replace``: as :func:`_write_with_copies`."""
    from annotate import table_schemas
    from annotate.classifier.cue_sentences import subtitle_row

    schema = schema if schema is not None else table_schemas.PASSAGE_SCHEMA
    with scratch_dir("ingest") as tmp:
        spool = _Spool(Path(tmp) / "passages.parquet", schema)
        for batch in batched(rows, NEAR_DUP_CHUNK):
            index.add(
                [r["id"] for r in batch],
                [r["doc_id"] for r in batch],
                [r["text"] for r in batch],
            )
            spool.add(batch)
        spool.close()
        index.group()
        stats.near_copies_of_previous = index.linked_to_earlier(prior)
        if finish is not None:
            finish.done(seen, _near_dropped(spool, index, prior) if drop else None)
        key = prior
        firsts: int = 0
        grouped = 0  # this run's passages with a group
        gone = 0  # passages of the current document dropped so far
        # an edited document's last kept passage, written once the next row is known (a
        # near-copy dropped after it is its context_after); and its last dropped one
        held: dict[str, Any] | None = None
        dropped: tuple[str, int, str] | None = None  # doc id, passage_index, text
        with TableWriter(out, schema=schema, replace=replace) as writer:
            for rows_read in spool.batches():
                _with_copies(rows_read, seen)
                groups = index.groups_of(key, len(rows_read))
                kept = []
                edited = (
                    seen.previous_docs(list({r["doc_id"] for r in rows_read}))
                    if seen is not None and drop
                    else set()
                )
                last_doc = None
                for i, row in enumerate(rows_read):
                    if row["doc_id"] != last_doc:  # a document's first passage
                        gone = 0
                        last_doc = row["doc_id"]
                    group = groups.get(key + i)
                    row["near_dup_group"] = group
                    grouped += group is not None
                    if group is not None and group == row["id"]:
                        firsts += 1
                    elif group is not None and drop:
                        stats.near_duplicates_dropped += 1
                        if row["doc_id"] in edited:  # one edited keeps its places
                            dropped = _link_dropped(row, held)
                        elif not subtitle_row(row):  # a subtitle file's cues keep theirs
                            gone += 1
                        continue
                    # passage_index counts kept passages, as when exact duplicates are dropped
                    row["passage_index"] -= gone
                    if row["doc_id"] in edited:
                        _link_after_dropped(row, dropped)
                    if held is not None:
                        kept.append(held)
                    held = row
                key += len(rows_read)
                writer.write(finish.apply(kept) if finish is not None else kept)
            if held is not None:
                writer.write(finish.apply([held]) if finish is not None else [held])
    stats.near_dup_groups = firsts
    stats.near_duplicates = grouped - firsts
    stats.passages -= stats.near_duplicates_dropped
    log.info(
        "%d near-duplicate groups across documents (%d passages besides their first)%s",
        stats.near_dup_groups,
        stats.near_duplicates,
        ", dropped" if drop else "",
    )


def _near_dropped(spool: _Spool, index: NearDupIndex, prior: int) -> dict[str, int]:
    """The staged passages ``_write_grouped`` will drop as near-duplicates (in a group,
    not its first), counted by ``input_file``: a pass over the spool before the first row
    is written, whose run record names the files left without passages."""
    dropped: dict[str, int] = {}
    key = prior
    for rows_read in spool.batches():
        groups = index.groups_of(key, len(rows_read))
        for i, row in enumerate(rows_read):
            group = groups.get(key + i)
            if group is not None and group != row["id"] and row.get("input_file"):
                dropped[row["input_file"]] = dropped.get(row["input_file"], 0) + 1
        key += len(rows_read)
    return dropped


class _Spool:
    """Passages held until their near-duplicate groups are known, in chunks of
    :data:`NEAR_DUP_CHUNK`: the first chunk in memory, in Parquet at ``path`` from the
    second on (Parquet writes the run record and the ids' common parts once, where a
    row-by-row spool repeats them on every row). A run of one chunk (a file or a few, up
    to 5,000 passages) never builds Arrow from Python rows, which imports pandas in pyarrow
    (its check for pandas objects, a third of a second). Either way a chunk read back is
    a list of rows with the schema's columns, in its order."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        self._first: list[dict[str, Any]] | None = None
        self._writer: Any = None  # a pyarrow.parquet.ParquetWriter once a second chunk came

    def add(self, batch: list[dict[str, Any]]) -> None:
        if self._first is None and self._writer is None:
            self._first = [{c: r.get(c) for c in self.schema.names} for r in batch]
            return
        if self._writer is None:
            import pyarrow.parquet as pq

            self._writer = pq.ParquetWriter(self.path, self.schema)
            self._write(self._first or [])
            self._first = None
        self._write(batch)

    def _write(self, batch: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        self._writer.write_table(pa.Table.from_pylist(batch, schema=self.schema))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()

    def batches(self) -> Iterator[list[dict[str, Any]]]:
        if self._writer is None:
            if self._first:
                yield self._first
            return
        import pyarrow.parquet as pq

        # pre_buffer=False: pyarrow's default reads ahead the whole file into memory
        staged = pq.ParquetFile(self.path, pre_buffer=False)
        for record in staged.iter_batches(batch_size=NEAR_DUP_CHUNK):
            yield record.to_pylist()


def _link_dropped(row: dict[str, Any], held: dict[str, Any] | None) -> tuple[str, int, str]:
    """A near-copy of an edited document dropped: its text is the ``context_after`` of the
    kept passage just before it (``held``, when that is its neighbour). Returns what the
    passage after it needs (:func:`_link_after_dropped`)."""
    doc, index, text = row["doc_id"], row["passage_index"], row["text"]
    if held is not None and held["doc_id"] == doc and held["passage_index"] == index - 1:
        held[NEIGHBOUR_COLUMNS[1]] = text
    return doc, index, text


def _link_after_dropped(row: dict[str, Any], dropped: tuple[str, int, str] | None) -> None:
    """The ``context_before`` of a kept passage whose neighbour before it was dropped."""
    if dropped is not None and dropped[:2] == (row["doc_id"], row["passage_index"] - 1):
        row[NEIGHBOUR_COLUMNS[0]] = dropped[2]


def _with_run(
    rows: Iterator[dict[str, Any]], run: str, neighbours: bool = False, rest: str | None = None
) -> Iterator[dict[str, Any]]:
    """The rows with this run's record (:mod:`annotate.ingestion.record`) in ``ingest_run``:
    ``run`` on the first, ``rest`` (default ``run``) on the others (the record without the
    list of skipped files); with ``neighbours`` (an ``ingest --previous``), every row has
    the :data:`NEIGHBOUR_COLUMNS` (None where the neighbour is written, or there is none)."""
    for k, row in enumerate(rows):
        row[INGEST_RUN_COLUMN] = run if k == 0 or rest is None else rest
        if neighbours:
            for name in NEIGHBOUR_COLUMNS:
                row.setdefault(name, None)
        yield row


def _licensed(
    docs: Iterator[Document],
    license: tuple[str | None, str | None],
    stats: IngestStats,
    strict: bool = False,
) -> Iterator[Document]:
    """The documents with ``license`` ((as given, as recorded) of ``--license``) where
    their own row gave none, a row's own in its canonical SPDX form when it is one
    (InputError naming the row with ``strict`` when it is not), counted by where their
    licence came from and by what was recorded."""
    given_option, option = license
    for doc in docs:
        if doc.license is not None:
            stats.license_from_column += 1
            given = doc.license
            recorded, spdx = recorded_license(given)
            if not spdx and strict:
                raise not_spdx_error(given, f"{doc.origin} {doc.where}, its licence column")
            if recorded != given:
                doc = replace(doc, license=recorded)
        elif option is not None and given_option is not None:
            stats.license_from_option += 1
            given, recorded = given_option, option
            spdx = spdx_expression(option) is not None
            doc = replace(doc, license=option)
        else:
            stats.license_unknown += 1
            yield doc
            continue
        if recorded != given:
            key = (given, recorded)
            stats.license_normalised[key] = stats.license_normalised.get(key, 0) + 1
        elif not spdx:
            stats.license_not_spdx[recorded] = stats.license_not_spdx.get(recorded, 0) + 1
        yield doc


def _counted(docs: Iterator[Document], progress: ProgressFn) -> Iterator[Document]:
    for doc in docs:
        yield doc
        progress(1)


__all__ = ["IngestStats", "document_sha256", "ingest", "iter_passages", "passage_id"]
