"""The exact copies a task names under ``ingest --redact`` (reader57b #2, #3).

A passage's ``exact_copies`` (and its run record's ``exact_copies_dropped``) names each
exact copy ingest dropped by its document id. Under ``ingest --redact`` an id holding
personal data (``chats/jane@example.org.txt``, an id column's address) goes to Label
Studio as its keyed pseudonym (``doc_key``, ``pd_…``:
:func:`annotate.audit.redact.keyed_doc_id`), and a reply's parent column naming it is
keyed alike, so that push finds the parent's text among the copies. Ingest writes the
copy records keyed since stop 58; a passages file ingested before names them by the raw
id, which push keys here by the same rule and the work folder's key (with the settings
the passage's ``redaction`` record names). Ingest also keys an id that holds its file's
name where that name is masked only with its document's numbering or speaker labels (a
chat file named after a speaker's number, ``chats/with 98765 43210.txt``): the copy
record's ``input_file`` (masked by that ingest) tells them apart from the raw id, and such
a copy is keyed too, with the ``shown_doc_id`` ingest gives it now (reader58b F6). A
record keyed already, or an id holding nothing to mask, is left as it is: the value
comes back unchanged (the same bytes)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from annotate.audit.passage_pseudonyms import DOC_PREFIX, document_pseudonym
from annotate.audit.placeholders import ANY_PLACEHOLDER
from annotate.audit.redact import RedactionSettings, Redactor, ingest_key, masked_file_name

# a run record's key listing the first copies dropped (annotate.ingestion.record)
RUN_COPIES = "exact_copies_dropped"
# a document id's keyed pseudonym (annotate.audit.passage_pseudonyms.document_pseudonym)
_KEYED = re.compile(re.escape(DOC_PREFIX) + "[0-9a-f]{20}")


def _settings(record: Any) -> RedactionSettings | None:
    """The ingest redaction settings of a passage's ``redaction`` record (parsed), or
    None when it is no ``ingest --redact`` record."""
    if not isinstance(record, dict) or record.get("at") != "ingest":
        return None
    try:
        return RedactionSettings.from_record(record)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=8)
def _redactor(settings: RedactionSettings) -> Redactor:
    return Redactor(settings)


@lru_cache(maxsize=1 << 17)
def _holds_personal(settings: RedactionSettings, doc_id: str) -> bool:
    """Whether ``doc_id`` holds what ``settings`` mask (as ingest keys an id:
    :func:`annotate.audit.redact.keyed_doc_id`); remembered, as staging and the tasks
    built after it ask of the same copies (a search takes about half a millisecond)."""
    if _KEYED.fullmatch(doc_id):  # a keyed pseudonym already (ingest since stop 58)
        return False
    return masked_file_name(_redactor(settings), doc_id) != doc_id


def _shown_with_masked_name(doc_id: str, input_file: Any) -> str | None:
    """``doc_id`` with the file name it holds replaced by ``input_file``, the name as
    ingest masked it (a copy record's), as ingest shows such an id (``shown_doc_id``);
    None when ``input_file`` holds no placeholder, is in the id as it is (a name that
    writes a placeholder itself), names no part of the id (an id column's), or is
    placeholders only (``[EMAIL-1]``: nothing of the name to find in the id, where any
    text would match; reader59 #6: ``42`` was shown as ``[EMAIL-1]2``, and
    ``alice@example.org`` as ``[EMAIL-1]lice@example.org``; :func:`_keyed` keys such an
    id when it holds personal data, shown masked whole)."""
    if not isinstance(input_file, str) or input_file in doc_id:
        return None
    parts = ANY_PLACEHOLDER.split(input_file)
    if len(parts) < 2 or _only_placeholders(input_file):
        return None
    found = re.search("(?s:.+?)".join(re.escape(p) for p in parts), doc_id)
    if found is None:
        return None
    return doc_id[: found.start()] + input_file + doc_id[found.end() :]


def _only_placeholders(name: Any) -> bool:
    """Whether ``name`` (a copy's masked ``input_file``) is placeholders alone
    (``[EMAIL-1]``: a file named by an address, no extension)."""
    return (
        isinstance(name, str)
        and bool(ANY_PLACEHOLDER.search(name))
        and not any(p.strip() for p in ANY_PLACEHOLDER.split(name))
    )


def _keyed(copies: Any, settings: RedactionSettings) -> bool:
    """Key in place each copy record of ``copies`` (a list) whose ``doc_id`` holds
    personal data, or holds its file's name that ingest masked (the record's
    ``input_file``; its ``shown_doc_id`` set where the record has none); whether any
    was."""
    changed = False
    for copy in copies if isinstance(copies, list) else []:
        doc = copy.get("doc_id") if isinstance(copy, dict) else None
        if not isinstance(doc, str) or not doc or _KEYED.fullmatch(doc):
            continue
        name = copy.get("input_file")
        shown = _shown_with_masked_name(doc, name)
        if shown is None and not _holds_personal(settings, doc):
            continue
        if shown is None and _only_placeholders(name):  # a file named by an address alone
            shown = masked_file_name(_redactor(settings), doc)
        # ingest's key (keyed_doc_id and IngestRedaction.names key alike: doc_key)
        copy["doc_id"] = document_pseudonym(ingest_key(), doc)
        if shown is not None and not copy.get("shown_doc_id"):
            copy["shown_doc_id"] = shown
        changed = True
    return changed


def pushed_copies(value: Any, record: Any) -> Any:
    """A passage's ``exact_copies`` (JSON text ``{"copies": [...], "count": N}``) as its
    task carries it: ``value`` with each copy's ``doc_id`` that holds personal data
    replaced by its keyed pseudonym where ``record`` (the passage's ``redaction``
    record, parsed) says ``ingest --redact`` masked it; else ``value`` as it is. Raises
    InputError when the work folder's key cannot be read or made
    (:func:`annotate.audit.redact.ingest_key`)."""
    settings = _settings(record)
    if settings is None or not isinstance(value, str) or not value:
        return value
    return _pushed_copies(value, settings)


def _pushed_copies(value: str, settings: RedactionSettings) -> str:
    try:
        found = json.loads(value)
    except ValueError:
        return value
    if not isinstance(found, dict) or not _keyed(found.get("copies"), settings):
        return value
    return json.dumps(found, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def pushed_run(raw: str, record: Any) -> str:
    """A passage's ingest run record ``raw`` (JSON text) as its task carries it: with the
    copies its ``exact_copies_dropped`` lists (the run's first passage's) keyed as
    :func:`pushed_copies` keys a passage's; else ``raw`` as it is."""
    settings = _settings(record)
    if settings is None or '"first"' not in raw:
        return raw
    return _pushed_run(raw, settings)


def _pushed_run(raw: str, settings: RedactionSettings) -> str:
    try:
        run = json.loads(raw)
    except ValueError:
        return raw
    dropped = run.get(RUN_COPIES) if isinstance(run, dict) else None
    if not isinstance(dropped, dict) or not _keyed(dropped.get("first"), settings):
        return raw
    return json.dumps(run, sort_keys=True, separators=(",", ":"))
