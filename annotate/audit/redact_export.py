"""What ``annotate export --redact`` masks: the corpus rows (their text, title, source,
``input_file``, ``meta``, comments and spans, numbered per document across its rows:
:func:`iter_redacted`, with a :class:`MaskTally` of the placeholders put in) and the file
names the manifest's ingest run records list; and, for an export made without it, how
many rows hold what it would mask, per field and kind (:func:`unredacted_record`). The
masking itself
is :class:`annotate.audit.redact.Redactor`'s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from annotate.audit.export_speakers import document_speakers, speakers_of
from annotate.audit.placeholders import PLAIN, Numbering
from annotate.audit.redact import (
    NOT_DETECTED,
    Redactor,
    international_numbers,
    kept_pseudonyms,
    redact_through_markup,
    shift_spans,
)
from annotate.ingestion.dates import iso_date

# ``meta``: the document's other columns (a forum export's ``author``); ``doc_id``: the
# personal data found in document ids, which are replaced by ``pd_`` pseudonyms (a key:
# not masked with placeholders; annotate.audit.passage_pseudonyms), counted per row
MASKED_FIELDS = (
    "text",
    "shown_text",  # a subtitle cue as reviewers saw it (no markup)
    "title",
    "date",
    "source",
    "input_file",
    "meta",
    "doc_id",
    "comments",
    "lead_comment",
)


class MaskTally:
    """What ``export --redact`` masked: placeholders put in per field and kind, and the
    rows with any (the manifest's ``redaction.masked_at_export``)."""

    def __init__(self, kinds: Sequence[str]) -> None:
        self.counts = {f: dict.fromkeys(kinds, 0) for f in MASKED_FIELDS}
        self.rows = 0
        self._row_hit = False
        # ids of the rows whose text was masked here: their ``id`` (a SHA-256 of the
        # document id and the passage's text, annotate._util.passage_ids) was made at
        # ingest from the unmasked text, so export replaces it by a keyed pseudonym
        # (annotate.audit.passage_pseudonyms)
        self.masked_text_ids: list[str] = []

    def add(self, field_name: str, kinds: Iterable[str], *, placeholder: bool = True) -> None:
        """Count ``kinds`` found in ``field_name``; ``placeholder``: they were replaced by
        placeholders (the row counts in ``rows_with_a_placeholder``; a ``doc_id`` is
        pseudonymised instead)."""
        for kind in kinds:
            self.counts[field_name][kind] = self.counts[field_name].get(kind, 0) + 1
            self._row_hit = self._row_hit or placeholder

    def end_row(self) -> None:
        self.rows += self._row_hit
        self._row_hit = False

    def record(self) -> dict[str, Any]:
        return {
            "placeholders": self.counts,
            "rows_with_a_placeholder": self.rows,
        }


def _masked(
    redactor: Redactor,
    value: str | None,
    field_name: str,
    tally: MaskTally | None,
    numbering: Numbering | None = None,
    speakers: Sequence[str] = (),
) -> str | None:
    """``value`` redacted as text, its placeholders counted in ``tally``; ``speakers``:
    the passage's named speakers (:func:`passage_speakers`)."""
    if value is None:
        return None
    red = redactor.redact(value, numbering, speakers)
    if tally is not None:
        tally.add(field_name, (m.kind for m in red.matches))
    return red.text


def _masked_date(
    redactor: Redactor,
    value: str | None,
    tally: MaskTally | None,
    numbering: Numbering | None = None,
) -> str | None:
    """A row's ``date`` masked as text when it does not read as a date (a table's own
    ``date`` column holding an address; break9 N1), else kept as it is."""
    if value is None or iso_date(value) is not None:
        return value
    return _masked(redactor, value, "date", tally, numbering)


def passage_speakers(text: str, redactor: Redactor, conversation: bool = False) -> list[str]:
    """The speaker labels of a passage read alone (its turns, ``21:04 - Jane Roe: ...``,
    and the label it opens with, ``[10:07] alex: ``:
    :func:`annotate.audit.export_speakers.row_speakers`): those that are phone numbers
    or name someone, which :meth:`Redactor.find` masks wherever the passage names them
    (names from detection revision 7). :func:`iter_redacted` reads a document's rows
    together instead (:func:`annotate.audit.export_speakers.document_speakers`)."""
    if not text or not {"name", "phone"} & set(redactor.settings.kinds):
        return []
    from annotate.audit.export_speakers import row_speakers

    return row_speakers([text], conversation)


def redact_row(
    row: dict[str, Any],
    redactor: Redactor,
    tally: MaskTally | None = None,
    numbering: Numbering | None = None,
    speakers: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A corpus row (export shape) with text, title, source, the values of
    ``meta``, comments (the reviewers' and the lead's) and spans (the reviewers', the
    lead's, the resolved and the model's) redacted; ``tally`` counts the placeholders put
    in, per field and kind (``meta`` too), and under ``doc_id`` what the redactor finds in
    the document id (the export replaces such an id by a ``pd_`` pseudonym: a key is not masked).

    ``start``/``end`` (the passage's place in its source document) keep the original
    document's offsets; offsets inside the passage (spans) follow the redacted text.
    ``document_sha256`` (a hash of the unmasked document) is left out: with the masked
    text beside it, it would confirm a guessed e-mail address or phone number.
    ``input_file`` (the input file's name, ``inbox/jane@example.org.txt``) is masked a
    part of the path at a time, as the file names of the ingest run records are
    (``inbox/[EMAIL]``); ``input_row`` ("line 3", "row 2 (line 4)") is annotate's own
    count of lines and rows, no text of the input, and is kept. ``exact_copies`` keeps
    its count only (:func:`copies_count`). ``numbering``: the
    document's (numbered placeholders, :func:`iter_redacted`; None: the row's own).
    ``speakers``: the speaker labels of the row's document, masked wherever its fields
    name them (:func:`iter_redacted`; None: the row's own, :func:`passage_speakers`).
    """
    if redactor.settings.numbered and numbering is None:
        numbering = redactor.numbering()
        numbering.after(str(row["text"]))
    if speakers is None:
        speakers = passage_speakers(row["text"], redactor, bool(row.get("conversation")))
    if row.get("shown_text"):  # a subtitle cue shown without markup: values split by it too
        red = redact_through_markup(redactor, row["text"], numbering, labels=speakers)
    else:
        red = redactor.redact(row["text"], numbering, labels=speakers)
    if tally is not None:
        tally.add("text", (m.kind for m in red.matches))
        if red.matches and row.get("id"):
            tally.masked_text_ids.append(str(row["id"]))
    annotations = [
        {
            **a,
            "spans": shift_spans(a["spans"], red),
            "comment": _masked(redactor, a["comment"], "comments", tally, numbering, speakers),
        }
        for a in row["annotations"]
    ]
    meta_kinds: list[str] = []  # as ingest --redact masks it
    source = row.get("source")
    masked_source = redactor.url(source, numbering)
    if tally is not None and source and masked_source != source:
        found = [m.kind for m in redactor.find(source)]
        tally.add("source", found or ["user_url"])  # a whole user URL: one placeholder
    out = {
        **row,
        "text": red.text,
        # a subtitle cue's text as reviewers saw it (no markup): masked alike
        "shown_text": _masked(
            redactor, row.get("shown_text"), "shown_text", tally, numbering, speakers
        ),
        "title": _masked(redactor, row.get("title"), "title", tally, numbering, speakers),
        "date": _masked_date(redactor, row.get("date"), tally, numbering),
        "source": masked_source,
        "input_file": _masked_file(redactor, row.get("input_file"), tally),
        # the thread and author pseudonyms ingest --redact made (pa_…, pt_…): kept, so
        # one account's posts still tell (passL54 finding 2)
        "meta": redactor.json_strings(
            row.get("meta"),
            numbering,
            kinds=meta_kinds,
            keep=kept_pseudonyms(row.get("ingest_redaction")),
        ),
        "annotations": annotations,
        "spans": shift_spans(row["spans"], red),
        "document_sha256": None,
        "exact_copies": copies_count(row.get("exact_copies")),
    }
    if row.get("model_spans"):  # the model's evidence points into the same text
        out["model_spans"] = shift_spans(row["model_spans"], red)
    if isinstance(row.get("adjudication"), dict):
        lead = row["adjudication"]
        out["adjudication"] = {**lead}
        if lead.get("comment"):
            out["adjudication"]["comment"] = _masked(
                redactor, lead["comment"], "lead_comment", tally, numbering
            )
        if lead.get("spans"):  # the lead's own evidence points into the same text
            out["adjudication"]["spans"] = shift_spans(lead["spans"], red)
        if lead.get("decided_on"):  # the reviewers' comments the lead was shown
            out["adjudication"]["decided_on"] = [
                {
                    **shown,
                    "comment": _masked(
                        redactor, shown.get("comment"), "comments", tally, numbering
                    ),
                    "shown_to_lead": _masked(
                        redactor, shown.get("shown_to_lead"), "comments", tally, numbering
                    ),
                }
                for shown in lead["decided_on"]
            ]
    if tally is not None:
        tally.add("meta", meta_kinds)
        if row.get("doc_id"):
            tally.add(
                "doc_id", (m.kind for m in redactor.find(str(row["doc_id"]))), placeholder=False
            )
        tally.end_row()
    return out


def copies_count(recorded: str | None) -> str | None:
    """A row's ``exact_copies`` as ``export --redact`` writes it: the count only
    (``{"count": N}``); the copies' document ids and file names may hold what the
    redactor masks (an address, a phone number), and their passage ids are not
    pseudonymised."""
    if not recorded:
        return None
    try:
        count = json.loads(recorded).get("count")
    except (ValueError, AttributeError):
        return None
    return json.dumps({"count": count}) if isinstance(count, int) else None


# the lists of an ingest run record (annotate.ingestion.record) whose entries name files
# by the name the user gave them: ``previous`` (ingest --previous), ``skipped_files``
# (ingest --skip-bad-files) and ``decoded_files`` (ingest --encoding); each entry's ``file``
RUN_FILE_LISTS = ("previous", "skipped_files", "decoded_files")


def redact_run_records(
    runs: Sequence[dict[str, Any]], redactor: Redactor
) -> tuple[list[dict[str, Any]], int]:
    """Ingest run records (the manifest's ``ingest_runs.runs``) with the file names they
    list (:data:`RUN_FILE_LISTS`) redacted as text, as a row's text is, a part of the path
    at a time (``batch/jane.doe@example.org.txt`` -> ``batch/[EMAIL]``), and how many
    names were masked (those of ``files_without_passages`` too; ``exact_copies_dropped``,
    which names documents, is reduced to its count, as a row's ``exact_copies`` is). The
    rest is kept: settings, digests and run ids are no personal data, and the ``run`` id
    must still match the rows' ``ingest_run``; but not the absolute folders of the lead's
    machine (``sources_folders``, ``input_paths[].sources_folder``, ``working_folder``,
    an absolute path given: :func:`annotate.studio.run_folders.without_folders`)."""
    from annotate.studio.run_folders import FOLDER_NAMES, without_folders

    out, masked = [], 0
    for run in runs:
        # the absolute folders of the lead's machine: left out of the hand-out (an
        # auditor passes verify --sources the folder of their copy; passL54 finding 6)
        run = without_folders(run)
        for key in RUN_FILE_LISTS:
            entries = run.get(key)
            if not isinstance(entries, list):
                continue
            kept = []
            for entry in entries:
                name = entry.get("file") if isinstance(entry, dict) else None
                if isinstance(name, str) and (hidden := _masked_path(name, redactor)) != name:
                    entry = {**entry, "file": hidden}
                    masked += 1
                kept.append(entry)
            run[key] = kept
        # the input files no passage was written of (ingest's files_without_passages):
        # named as the lists are; the exact copies dropped (documents' ids and offsets,
        # as a row's exact_copies, which export --redact reduces to its count): counted
        without = run.get("files_without_passages")
        if isinstance(without, dict) and isinstance(without.get("first"), list):
            kept = []
            for entry in without["first"]:
                name = entry.get("file") if isinstance(entry, dict) else None
                if isinstance(name, str) and (hidden := _masked_path(name, redactor)) != name:
                    entry = {**entry, "file": hidden}
                    masked += 1
                kept.append(entry)
            run["files_without_passages"] = {**without, "first": kept}
        # the table rows skipped for no text (ingest's rows_without_text): by file name
        skipped_rows = run.get("rows_without_text")
        if isinstance(skipped_rows, dict) and isinstance(skipped_rows.get("first"), list):
            kept = []
            for entry in skipped_rows["first"]:
                name = entry.get("input_file") if isinstance(entry, dict) else None
                if isinstance(name, str) and (hidden := _masked_path(name, redactor)) != name:
                    entry = {**entry, "input_file": hidden}
                    masked += 1
                kept.append(entry)
            run["rows_without_text"] = {**skipped_rows, "first": kept}
        # where the inputs were (ingest's input_paths as given, the sources folders' last
        # parts): names of a person's name or address are masked as file names are
        if isinstance(run.get("input_paths"), list):
            kept = []
            for entry in run["input_paths"]:
                if isinstance(entry, dict):
                    hidden = {
                        k: _masked_path(v, redactor) if isinstance(v, str) else v
                        for k, v in entry.items()
                    }
                    masked += hidden != entry
                    entry = hidden
                kept.append(entry)
            run["input_paths"] = kept
        if isinstance(run.get(FOLDER_NAMES), list):
            folders = [
                _masked_path(f, redactor) if isinstance(f, str) else f for f in run[FOLDER_NAMES]
            ]
            masked += sum(a != b for a, b in zip(folders, run[FOLDER_NAMES], strict=True))
            run[FOLDER_NAMES] = folders
        copies = run.get("exact_copies_dropped")
        if isinstance(copies, dict) and "first" in copies:
            run["exact_copies_dropped"] = {"count": copies.get("count")}
        out.append(run)
    return out, masked


def _masked_file(redactor: Redactor, name: str | None, tally: MaskTally | None) -> str | None:
    """A row's ``input_file`` masked a part of the path at a time (:func:`_masked_path`),
    with plain placeholders (``inbox/[EMAIL]``, numbered or not), its placeholders
    counted in ``tally`` under ``input_file``."""
    if not name:
        return name
    parts = name.split("/")  # plain placeholders: a file name is no document's value
    return "/".join(_masked(redactor, p, "input_file", tally, PLAIN) or "" for p in parts)


def _masked_path(name: str, redactor: Redactor) -> str:
    """A file name (``FOLDER/a.txt``) redacted a part at a time, so a folder named in it
    stays when the file's own name is masked (``batch/[EMAIL]``): an e-mail detector
    reads ``batch/jane@example.org.txt`` whole as one address."""
    return "/".join(redactor.text(part, PLAIN) or "" for part in name.split("/"))


# written e-mail addresses (what an auditor greps for): the manifest's
# rows_with_email_addresses, as exports before stop 51 counted them
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


# the fields of an unredacted export whose personal data is counted (comments: the
# reviewers' and the lead's adjudication comment)
UNREDACTED_FIELDS = (
    "text",
    "title",
    "source",
    "date",
    "meta",
    "doc_id",
    "input_file",
    "comments",
)
# the ids of the rows holding any, listed in the manifest up to this many
PERSONAL_DATA_IDS_LISTED = 50


def unredacted_record(
    rows: Sequence[dict[str, Any]], redactor: Redactor | None = None
) -> dict[str, Any]:
    """The manifest's ``redaction`` of an export made without redaction.

    ``rows_with_personal_data`` (with ``redactor``, the one ``--redact`` would mask with):
    how many rows hold what it would mask, per field and kind (e-mail addresses, phone
    numbers, user URLs, @handles, home folders' user names), the rows holding any and the
    first :data:`PERSONAL_DATA_IDS_LISTED` of their passage ids: counts and ids only, no
    value found. ``rows_with_email_addresses``: the rows holding a written e-mail address,
    per field (as exports before stop 51 counted: text, title, source, ``meta``: the
    document's other columns as ingest kept them, JSON text, e.g. a forum export's
    ``author``; ``doc_id`` and ``input_file``: a file named by an address; reviewer
    comments)."""
    keys = UNREDACTED_FIELDS[:-1]
    found = dict.fromkeys(UNREDACTED_FIELDS, 0)
    kinds = redactor.settings.kinds if redactor is not None else ()
    personal = {f: dict.fromkeys(kinds, 0) for f in UNREDACTED_FIELDS}
    ids: list[str] = []
    spoken: dict[str, list[str]] = {}
    if redactor is not None:  # a conversation's speakers, as export --redact finds them
        spoken = document_speakers(rows, redactor)
    for i, row in enumerate(rows):
        comments = [a.get("comment") for a in row.get("annotations") or ()]
        comments.append((row.get("adjudication") or {}).get("comment"))  # the lead's
        for shown in (row.get("adjudication") or {}).get("decided_on") or ():
            comments += [shown.get("comment"), shown.get("shown_to_lead")]  # shown the lead
        for key in keys:
            value = row.get(key)
            if key == "meta" and isinstance(value, dict | list):
                value = json.dumps(value, ensure_ascii=False)
            if isinstance(value, str) and _EMAIL.search(value):
                found[key] += 1
        if any(isinstance(c, str) and _EMAIL.search(c) for c in comments):
            found["comments"] += 1
        if redactor is None:
            continue
        hit = False
        for key in UNREDACTED_FIELDS:
            values = comments if key == "comments" else [row.get(key)]
            held = _kinds_held(
                redactor,
                key,
                values,
                kept_pseudonyms(row.get("ingest_redaction")),
                speakers_of(spoken, row, i) if key in SPOKEN_FIELDS else (),
            )
            for kind in held:
                personal[key][kind] += 1
            hit = hit or bool(held)
        if hit:
            ids.append(str(row.get("id")))
    out: dict[str, Any] = {"ran": False}
    if redactor is not None:
        out["rows_with_personal_data"] = {
            "fields": personal,
            "rows": len(ids),
            "passages": ids[:PERSONAL_DATA_IDS_LISTED],
            "detected_as": "export --redact would mask them (its detectors, its settings)",
        }
        out["not_detected"] = list(NOT_DETECTED)  # not counted: no detector finds them
    out["rows_with_email_addresses"] = found
    return out


_MAY_HOLD = re.compile(r"[@./\\＠]|(?:\d\D{0,3}){5}")


def _may_hold(value: str) -> bool:
    """Whether ``value`` has what every value a detector finds needs (an address's or
    handle's ``@``, a URL's ``.``, a path's slash, a phone number's five digits or more):
    most short fields and comments ("looks like a threat", ``doc-12``) have none and are
    not read further."""
    return _MAY_HOLD.search(value) is not None


def _author_keyed(meta: str) -> bool:
    """Whether the JSON ``meta`` has a key naming an author (at any depth, as
    :meth:`Redactor.json_strings` reads a nested one with its owners': ``user.name``),
    whose bare value export --redact masks whole although the quick pre-check
    (:func:`_may_hold`) finds nothing in it."""
    from annotate.audit.redact import author_key

    try:
        data = json.loads(meta)
    except ValueError:
        return False

    def walk(node: Any, owner: str | None) -> bool:
        if isinstance(node, dict):
            for k, v in node.items():
                name = f"{owner}.{k}" if owner is not None else str(k)
                if author_key(name) or walk(v, name):
                    return True
        elif isinstance(node, list):
            return any(walk(v, owner) for v in node)
        return False

    return walk(data, None)


# the fields export --redact masks a conversation's speakers in (redact_row)
SPOKEN_FIELDS = ("text", "title", "comments")


def _kinds_held(
    redactor: Redactor,
    key: str,
    values: Iterable[Any],
    keep: dict[str, str] | None = None,
    speakers: Sequence[str] = (),
) -> set[str]:
    """The kinds of personal data ``redactor`` finds in a row's field (``values``: its
    value, or its comments), each once: as ``export --redact`` reads that field (a
    ``meta`` value's strings and numbers, a value of an author key masked whole as a
    handle, a ``source`` that is a user's URL whole). ``keep``: the row's keyed
    pseudonyms (``meta``: kept by export --redact, not counted). ``meta`` is read whole
    (no quick pre-check): a bare user name under an author key holds none of what the
    pre-check looks for, and whether a pseudonym's hex digits held five digits decided
    whether it was counted (passL54 finding 2). ``speakers``: the speaker labels of the
    row's document (a chat's ``alex``), counted where the value names them."""
    held: set[str] = set()
    for value in values:
        if key == "meta" and isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        if not isinstance(value, str):
            continue
        if (
            not _may_hold(value)
            and (key != "meta" or not _author_keyed(value))
            and not any(s in value for s in speakers)
        ):
            continue
        if key == "date" and iso_date(value) is not None:
            continue  # a date: masked by neither ingest nor export --redact
        if key == "meta":
            found: list[str] = []
            redactor.json_strings(value, kinds=found, keep=keep)
            held.update(found)
        elif key == "source" and redactor.url(value) != value and not redactor.find(value):
            held.add("user_url")  # a user's URL whole, as export --redact masks it
        else:
            held.update(m.kind for m in redactor.find(value, speakers))
    return held


def iter_redacted(
    rows: Sequence[dict[str, Any]],
    redactor: Redactor,
    tally: MaskTally | None = None,
    masked: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Each of ``rows`` redacted (:func:`redact_row`), in their order. Numbered
    placeholders are numbered per document (``doc_id``) across its rows, as ingest
    --redact numbers a document's: the rows are masked in document order (by ``start``,
    then ``passage_index``), so the numbers do not depend on the rows' order here, and
    after the numbered placeholders a document's text holds already (masked at ingest:
    :meth:`Numbering.after`); then given back in theirs (all at once: the first row
    comes when the last is masked). ``masked``: called with 1 as each row is masked (a
    progress bar). A conversation's speakers are found across its document's rows
    (:func:`annotate.audit.export_speakers.document_speakers`), as ``ingest --redact``
    finds them on the whole document, and masked in each of its rows."""
    spoken = document_speakers(rows, redactor)
    if not redactor.settings.numbered:
        for i, row in enumerate(rows):
            yield redact_row(row, redactor, tally, speakers=speakers_of(spoken, row, i))
            if masked is not None:
                masked(1)
        return

    def place(i: int) -> tuple[str, int, int, int]:
        row = rows[i]
        start, index = row.get("start"), row.get("passage_index")
        return (
            str(row.get("doc_id")),
            start if isinstance(start, int) else -1,
            index if isinstance(index, int) else -1,
            i,
        )

    books: dict[str, Numbering] = {}
    for row in rows:  # placeholders masked at ingest: new values numbered after them
        if row.get("doc_id") is not None and "-" in str(row.get("text")):
            doc = str(row["doc_id"])
            books.setdefault(doc, redactor.numbering()).after(str(row["text"]))
    _note_international(rows, redactor, books)
    done: dict[int, dict[str, Any]] = {}
    masked_before = len(tally.masked_text_ids) if tally is not None else 0
    for i in sorted(range(len(rows)), key=place):
        doc = rows[i].get("doc_id")
        fresh = redactor.numbering()
        book = books.setdefault(str(doc), fresh) if doc is not None else fresh
        done[i] = redact_row(rows[i], redactor, tally, book, speakers_of(spoken, rows[i], i))
        if masked is not None:
            masked(1)
    if tally is not None:  # in the rows' order, as one by one
        at = {str(row.get("id")): i for i, row in reversed(list(enumerate(rows)))}
        tally.masked_text_ids[masked_before:] = sorted(
            tally.masked_text_ids[masked_before:], key=lambda rid: at.get(rid, len(rows))
        )
    for i in range(len(rows)):
        yield done[i]


def _note_international(
    rows: Sequence[dict[str, Any]], redactor: Redactor, books: dict[str, Numbering]
) -> None:
    """Note in each document's numbering (``books``, by ``doc_id``) the numbers its rows'
    texts write with ``+country``: a national form of one in another row, before or after
    it, is masked too (:func:`annotate.audit.redact.national_forms`), as ``ingest
    --redact`` masks it in the document's text."""
    if "phone" not in redactor.settings.kinds:
        return
    for row in rows:
        text = row.get("text")
        if row.get("doc_id") is not None and isinstance(text, str) and "+" in text:
            found = international_numbers(text, redactor.settings.international_possible)
            if found:
                book = books.setdefault(str(row["doc_id"]), redactor.numbering())
                book.international.update(found)
