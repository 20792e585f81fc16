"""From a pseudonym an ``export --redact`` wrote (``pp_…`` a passage, ``pd_…`` a document)
back to the ingest id, and the other way: what a compliance officer holding the key or
the map (:mod:`annotate.audit.passage_pseudonyms`) runs on an audit finding.

The map (``--id-map``) names each pseudonym's ingest id, document and project. The key
(``--id-key``) recomputes a pseudonym from an ingest id (the HMAC is one-way: the way back
needs the map, or the candidate ids of an ingest or prelabel table, ``passages``). An
export's manifest records its key's fingerprint, so a key or a map made with another key
is told apart from an id the export does not hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.audit.passage_pseudonyms import (
    DOC_PREFIX,
    DOCUMENT,
    PASSAGE,
    PREFIX,
    document_pseudonym,
    key_fingerprint,
    previous_key_fingerprint,
    pseudonym,
)
from annotate.errors import InputError


@dataclass(frozen=True)
class Found:
    """One pseudonym and what it stands for (``passage_id`` None for a document)."""

    pseudonym: str
    kind: str  # PASSAGE or DOCUMENT
    passage_id: str | None
    doc_id: str | None
    project: str | None = None
    key_fingerprint: str | None = None
    text: str | None = None  # the passage's text, when read from ``passages``
    source: str | None = None  # where the id was found: the map or the passages table


def is_pseudonym(value: str) -> bool:
    return value.startswith((PREFIX, DOC_PREFIX))


REVIEWER_PSEUDONYM = re.compile(r"r-[0-9a-f]{10}")  # annotate.corpus.resolve.pseudonym
WHOLE_PSEUDONYM = re.compile(rf"(?:{PREFIX}|{DOC_PREFIX})[0-9a-f]{{20}}")
INGEST_PASSAGE_ID = re.compile(r"p_[0-9a-f]{20}")  # annotate._util.passage_ids.passage_id
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
FORMS = (
    f"{PREFIX}… a passage and {DOC_PREFIX}… a document of an export --redact (20 hex digits "
    "each), r-… a reviewer (10)"
)
KEY_FIX = (
    "pass --id-key KEY (the key the export was made with) to find the pseudonym an ingest "
    "passage or document id has in an export --redact (with --corpus EXPORT: whether that "
    "export uses it)."
)


def as_pseudonym(query: str) -> str:
    """``query`` in lower case when that makes it a whole pseudonym (``R-ABCDEF0123``
    copied from a spreadsheet that upper-cased it: pseudonyms are lower-case hex), else
    as given (an ingest id keeps its case)."""
    low = query.strip().lower()
    if WHOLE_PSEUDONYM.fullmatch(low) or REVIEWER_PSEUDONYM.fullmatch(low):
        return low
    return query


def not_a_pseudonym(query: str) -> tuple[str, str] | None:
    """(what, fix) when ``query`` is no whole pseudonym (an e-mail address, an id cut
    short, an ingest id); None when it is one. An auditor who passed an e-mail was told
    "no pseudonym map", as if only a map were missing (stop 48 new-user F5)."""
    q = query.strip()
    if WHOLE_PSEUDONYM.fullmatch(q) or REVIEWER_PSEUDONYM.fullmatch(q):
        return None
    if _EMAIL.fullmatch(q):
        return (
            f"{q} is an e-mail address, not a pseudonym ({FORMS}).",
            "a reviewer's pseudonym (r-…): on the machine of the lead whose pseudonym salt "
            "named it, `annotate review status --project NAME` prints each reviewer's "
            "pseudonym beside the account's e-mail; if the address is a document id, " + KEY_FIX,
        )
    for prefix, digits in ((PREFIX, 20), (DOC_PREFIX, 20), ("r-", 10)):
        if q.startswith(prefix):
            rest = q[len(prefix) :]
            return (
                f"{q} is not a whole pseudonym: {prefix} is followed by {digits} hexadecimal "
                f"digits, here {len(rest)} character(s) {rest!r} ({FORMS}).",
                "copy the whole id from the export (verify and report messages shorten "
                "some: take it from the rows, the manifest or agreement.json).",
            )
    if INGEST_PASSAGE_ID.fullmatch(q):
        return (f"{q} is an ingest passage id, not a pseudonym ({FORMS}).", KEY_FIX)
    return (f"{q} is not a pseudonym ({FORMS}).", KEY_FIX)


def refuse_reviewer_pseudonym(query: str) -> None:
    """Raise InputError when ``query`` is a reviewer's pseudonym (``r-`` + 10 hex digits,
    the ``reviewer`` of an export's annotations): no map or key names reviewers; the
    lead's salt pairs them with accounts."""
    if REVIEWER_PSEUDONYM.fullmatch(query.strip()):
        raise InputError(
            f"{query.strip()} is a reviewer's pseudonym (exports name each reviewer r- and a "
            "salted hash of their Label Studio account), not a passage (pp_…) or document "
            "(pd_…) pseudonym, which this command looks up.",
            fix="on the machine of the lead whose pseudonym salt named it, `annotate review "
            "status --project NAME` (or `annotate agreement --project NAME`) prints each "
            "reviewer's pseudonym beside the account's e-mail; an account removed from the "
            "organization shows no e-mail there: `annotate reviewers list --removed` on the "
            "machine that removed it names it (recorded since Dec 2026).",
        )


def export_fingerprint(corpus: Path) -> str:
    """The key fingerprint ``corpus``'s manifest records. InputError when ``corpus`` has
    no readable manifest.json, or its export pseudonymised no id (no fingerprint)."""
    path = corpus / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{corpus} is no export folder: its manifest.json cannot be read ({exc}).",
            fix="pass --corpus the folder `annotate export` wrote (it holds manifest.json).",
        ) from exc
    fingerprint = previous_key_fingerprint(manifest)
    if fingerprint is None:
        raise InputError(
            f"the export in {corpus} pseudonymised no id (its manifest records no key "
            "fingerprint: made without --redact, or nothing was masked), so its ids are the "
            "ingest ids themselves.",
            fix="look the id up in the ingest or prelabel table, or drop --corpus.",
        )
    return fingerprint


def read_map(path: Path) -> list[dict[str, Any]]:
    """The entries of an ``--id-map`` file (JSON lines; lines that are none are skipped).
    InputError when it does not exist or cannot be read."""
    if not path.is_file():
        raise InputError(
            f"no pseudonym map at {path}.",
            fix="pass --id-map with the map export --redact wrote (default "
            ".annotate/passage_pseudonyms.jsonl where the export ran), or --id-key with "
            "--passages TABLE to recompute the pseudonyms.",
        )
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"the pseudonym map {path} cannot be read ({exc}).") from exc
    out = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("pseudonym"), str):
            out.append(entry)
    return out


def _from_entry(entry: Mapping[str, Any]) -> Found:
    document = entry.get("kind") == DOCUMENT or str(entry["pseudonym"]).startswith(DOC_PREFIX)
    return Found(
        pseudonym=str(entry["pseudonym"]),
        kind=DOCUMENT if document else PASSAGE,
        passage_id=None if document else entry.get("passage_id"),
        doc_id=entry.get("doc_id"),
        project=entry.get("project"),
        key_fingerprint=entry.get("key_fingerprint"),
        source="map",
    )


def _from_passages(query: str, key: bytes, passages: Iterable[Mapping[str, Any]]) -> list[Found]:
    fingerprint, found, docs = key_fingerprint(key), [], set()
    for row in passages:
        pid, doc = row.get("id"), row.get("doc_id")
        names = {pseudonym(key, str(pid)): PASSAGE} if pid is not None else {}
        if doc is not None and str(doc) not in docs:
            names[document_pseudonym(key, str(doc))] = DOCUMENT
        for name, kind in names.items():
            if query not in (name, str(pid) if kind == PASSAGE else str(doc)):
                continue
            if kind == DOCUMENT:
                docs.add(str(doc))
            found.append(
                Found(
                    pseudonym=name,
                    kind=kind,
                    passage_id=str(pid) if kind == PASSAGE else None,
                    doc_id=None if doc is None else str(doc),
                    key_fingerprint=fingerprint,
                    text=row.get("text") if kind == PASSAGE else None,
                    source="passages",
                )
            )
    return found


def lookup(
    query: str,
    *,
    key: bytes | None = None,
    map_entries: Iterable[Mapping[str, Any]] | None = None,
    corpus_fingerprint: str | None = None,
    passages: Iterable[Mapping[str, Any]] | None = None,
) -> list[Found]:
    """What ``query`` stands for (a ``pp_``/``pd_`` pseudonym), or its pseudonyms (an
    ingest passage or document id), from the map's entries, the key and the candidate
    rows of ``passages`` (``id``, ``doc_id``, ``text``). ``corpus_fingerprint``: the key
    fingerprint of the export the id was read in; map entries of other keys are left out.

    Raises InputError: the key did not make that export (its fingerprint differs); the
    id is in the map under another key only; nothing names it; or the key alone is given
    for a pseudonym (an HMAC is not reversed: a map or a passages table is needed).
    """
    refuse_reviewer_pseudonym(query)
    fingerprint = None if key is None else key_fingerprint(key)
    if fingerprint and corpus_fingerprint and fingerprint != corpus_fingerprint:
        raise InputError(
            f"this key did not make this export: the key's fingerprint is {fingerprint}, the "
            f"export's manifest records {corpus_fingerprint}.",
            fix="pass --id-key the key file the export was made with (see the map's "
            "key_fingerprint), or the export that key made.",
        )
    wanted = corpus_fingerprint or fingerprint
    found: list[Found] = []
    other_keys: set[str] = set()
    for entry in map_entries or ():
        hit = _from_entry(entry)
        if query not in (
            hit.pseudonym,
            hit.passage_id,
            hit.doc_id if hit.kind == DOCUMENT else None,
        ):
            continue
        if wanted and hit.key_fingerprint and hit.key_fingerprint != wanted:
            other_keys.add(str(hit.key_fingerprint))
            continue
        found.append(hit)
    if key is not None and passages is not None:
        found.extend(_from_passages(query, key, passages))
    if key is not None and not is_pseudonym(query) and not found:
        # the way there needs the key only; a p_ + 20 hex id is an ingest passage id
        # (stop 48 new-user F6: it was given a document pseudonym too); of any other,
        # nothing here says which kind of id it is
        found = [Found(pseudonym(key, query), PASSAGE, query, None, key_fingerprint=fingerprint)]
        if not INGEST_PASSAGE_ID.fullmatch(query):
            found.append(
                Found(
                    document_pseudonym(key, query),
                    DOCUMENT,
                    None,
                    query,
                    key_fingerprint=fingerprint,
                )
            )
    if found:
        unique = {(f.pseudonym, f.passage_id, f.doc_id, f.project): f for f in found}
        return list(unique.values())
    if other_keys:
        raise InputError(
            f"{query} is in the map only under another key (fingerprint "
            f"{', '.join(sorted(other_keys))}, not {wanted}): this export was not made with it.",
            fix="look it up in the export that key made, or with the key of this export.",
        )
    problem = not_a_pseudonym(query)
    if is_pseudonym(query) and map_entries is None and passages is None:
        if problem is not None:  # pp_ cut short
            raise InputError(problem[0], fix=problem[1])
        raise InputError(
            f"{query} is a pseudonym, and a key alone cannot turn one back (an HMAC is one-way).",
            fix="pass --id-map (the map export --redact wrote) or --passages TABLE (the ingest "
            "or prelabel table, whose ids are recomputed with the key).",
        )
    where = " and ".join(
        w
        for w, given in (
            ("the map", map_entries is not None),
            ("the passages", passages is not None),
        )
        if given
    )
    if problem is not None:
        raise InputError(
            f"{problem[0]} No passage or document of {where or 'what was given'} is named "
            "so either.",
            fix=problem[1],
        )
    raise InputError(
        f"no passage or document of {where or 'what was given'} is named {query!r}.",
        fix="check the id (a pseudonym starts with pp_ or pd_), and that the map or table is "
        "the one of this export.",
    )


@dataclass(frozen=True)
class ExportIds:
    """The passage ids (``id``, ``near_dup_group``) and document ids (``doc_id``) the
    rows of an export hold, as they are in it (pseudonyms where it gave them)."""

    passages: frozenset[str]
    documents: frozenset[str]


def export_ids(corpus: Path) -> ExportIds:
    """The ids of the rows of the export ``corpus`` (its JSONL files); empty when they
    cannot be read (``annotate verify`` says why)."""
    from annotate.audit.formats import jsonl_rows

    passages: set[str] = set()
    documents: set[str] = set()
    try:
        for path in sorted((corpus / "jsonl").glob("*.jsonl")):
            for _, row in jsonl_rows(path):
                passages.update(str(row[k]) for k in ("id", "near_dup_group") if row.get(k))
                if row.get("doc_id"):
                    documents.add(str(row["doc_id"]))
    except (OSError, ValueError):
        pass
    # gold passages are in no row: agreement.json's gold items name them (pseudonymised
    # alike)
    try:
        gold = json.loads((corpus / "agreement.json").read_text(encoding="utf-8"))["gold"]
        for item in gold.get("items") or []:
            if item.get("passage_id"):
                passages.add(str(item["passage_id"]))
            if item.get("doc_id"):
                documents.add(str(item["doc_id"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return ExportIds(frozenset(passages), frozenset(documents))


def not_in_export(query: str, found: list[Found], ids: ExportIds, corpus: Path) -> str | None:
    """What to say when the pseudonym ``query``, found in the map, is held by no row (nor
    gold item) of the export ``corpus`` it was said to be read in (``ids``: its ids): the
    map's entry is of another export made with the same key (audit49 A14: it was resolved
    without a word). None when the export holds it, ``query`` is no pseudonym, or the
    export's ids could not be read (``annotate verify`` says why)."""
    if not is_pseudonym(query) or not (ids.passages or ids.documents):
        return None
    if query in ids.passages or query in ids.documents:
        return None
    projects = sorted({str(f.project) for f in found if f.project})
    whence = (
        f" (the map names it from project {', '.join(repr(p) for p in projects)})"
        if projects
        else ""
    )
    return (
        f"{query} is not in {corpus}: no row or gold passage of that export holds it{whence}; "
        "what is shown is from another export made with the same key"
    )


def used_in_export(found: list[Found], query: str, ids: ExportIds) -> tuple[list[Found], str]:
    """``found`` (pseudonyms the key gave the ingest id ``query``) kept to those of the
    kind of id the export's rows hold ``query`` as (a passage or a document id), and a
    note where the export keeps ``query`` itself: export --redact gives a pseudonym only
    where it masked the text (or the document id held personal data), so searching the
    export for the pseudonym finds nothing (stop 48 new-user F6)."""

    def held(f: Found) -> frozenset[str]:
        return ids.passages if f.kind == PASSAGE else ids.documents

    shown = [f for f in found if query in held(f) or f.pseudonym in held(f)] or found
    kept = [f for f in shown if query in held(f) and f.pseudonym not in held(f)]
    if kept:
        kind = " and ".join(dict.fromkeys(f.kind for f in kept))
        return shown, (
            f"the export's rows hold {query} itself, not {' or '.join(f.pseudonym for f in kept)}"
            f": its {kind} was not pseudonymised (export --redact found no personal data to "
            "mask in it)"
        )
    if not any(f.pseudonym in held(f) for f in shown):
        return shown, f"neither {query} nor its pseudonym is in the export's rows"
    return shown, ""


UNUSED_NOTE = (
    "export --redact puts a pseudonym in place of an id only where it masked the passage's "
    "text or the document's id held personal data; other ids stay as ingest made them, so "
    "the export may hold the id itself (--corpus EXPORT says which)"
)


def read_key(path: Path) -> bytes:
    """The key in ``path``, never made here (a new key would name nothing). InputError
    when the file does not exist; otherwise as :func:`load_key`."""
    if not path.is_file():
        raise InputError(
            f"no passage id key at {path}.",
            fix="pass --id-key the key file the export was made with (default "
            ".annotate/passage_id_key where the export ran).",
        )
    from annotate.audit.passage_pseudonyms import load_key
    from annotate.errors import ExportError

    try:
        return load_key(path)
    except ExportError as exc:
        raise InputError(exc.what, fix=exc.fix) from exc
