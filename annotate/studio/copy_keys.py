"""The exact copies a task names under ``ingest --redact`` (reader57b #2, #3).

A passage's ``exact_copies`` (and its run record's ``exact_copies_dropped``) names each
exact copy ingest dropped by its document id. Under ``ingest --redact`` an id holding
personal data (``chats/jane@example.org.txt``, an id column's address) goes to Label
Studio as its keyed pseudonym (``doc_key``, ``pd_…``:
:func:`annotate.audit.redact.keyed_doc_id`), and a reply's parent column naming it is
keyed alike, so that push finds the parent's text among the copies. Ingest writes the
copy records keyed since stop 58; a passages file ingested before names them by the raw
id, which push keys here by the same rule and the work folder's key (with the settings
the passage's ``redaction`` record names). A record keyed already, or an id holding
nothing to mask, is left as it is: the value comes back unchanged (the same bytes)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from annotate.audit.passage_pseudonyms import DOC_PREFIX
from annotate.audit.redact import RedactionSettings, Redactor, keyed_doc_id, masked_file_name

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


def _keyed(copies: Any, settings: RedactionSettings) -> bool:
    """Key in place each copy record of ``copies`` (a list) whose ``doc_id`` holds
    personal data; whether any was."""
    changed = False
    for copy in copies if isinstance(copies, list) else []:
        doc = copy.get("doc_id") if isinstance(copy, dict) else None
        if isinstance(doc, str) and doc and _holds_personal(settings, doc):
            copy["doc_id"] = keyed_doc_id(_redactor(settings), doc)
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
