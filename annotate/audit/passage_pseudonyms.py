"""Pseudonymous passage ids for the rows whose text ``export --redact`` masked.

A passage ``id`` is a SHA-256 of the document id and the text ingest read
(:func:`annotate._util.passage_ids.passage_id`). Where export masks that text, the id was
made from the unmasked text: beside the masked text and the ``doc_id`` it confirms a
guessed e-mail address or phone number (recompute the id with the guess put back), as
``document_sha256`` would, which ``export --redact`` leaves out for that reason. Those ids
are replaced here by an HMAC-SHA256 (RFC 2104, :mod:`hmac`) of the id, keyed by a secret
the exporter keeps outside the export (:func:`load_key`): without the key nobody can
recompute or test one, and the same key gives the same pseudonym in every export, so two
exports of one review state still compare (``verify --same-as``) and an export over a
previous one still finds the passages that changed split. The mapping back to the ingest
id is kept on the exporter's side (:func:`write_map`), never in the export.

Passages masked at ingest (``ingest --redact``) are not affected: ingest masks whole
documents before it cuts and names the passages, so their ids are made from the masked
text, and export finds nothing left to mask in it.

The same holds for gold passages (their text is not exported, but ``agreement.json``
names them by id) and for document ids: a ``doc_id`` in which the redactor finds personal
data (a mail archive's ``jane.roe@example.com/inbox.txt``) is a key, so it is replaced by
a keyed pseudonym of its own (``pd_``), not masked (two documents would become one), and
every passage of such a document gets a ``pp_`` id (its id would confirm the document id).
One mapping serves the whole export: a passage has the same pseudonym in the rows, the
gold items and every report.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import shlex
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_output, atomic_write_text
from annotate._util.lockfiles import held
from annotate.errors import ExportError
from annotate.settings import annotate_home

log = logging.getLogger(__name__)

PREFIX = "pp_"  # an ingest id starts with p_: a pseudonym is told apart at a glance
DOC_PREFIX = "pd_"  # a document id's pseudonym
PASSAGE, DOCUMENT = "passage", "document"  # the kinds of id a pseudonym stands for
KEY_FILE = "passage_id_key"  # in $ANNOTATE_HOME, made on first use
MAP_FILE = "passage_pseudonyms.jsonl"  # in $ANNOTATE_HOME: pseudonym -> ingest id
MIN_KEY_CHARS = 32  # 128 bits as hex; the key made here has 64 hex digits (256 bits)
MAP_WAIT_S = 600.0  # how long write_map waits for another export writing the same map

PSEUDONYMS_OF = (
    "rows whose text export --redact masked carry pp_ + the first 20 hex digits of "
    "HMAC-SHA256(key, 'annotate passage id' NUL ingest id) instead of their ingest id (a "
    "SHA-256 of the document id and the unmasked text, which confirms a guessed value); so "
    "do re-posts of their text and near-duplicate groups named after an unexported passage "
    "near them, and gold passages whose text holds what --redact masks. A document id "
    "holding such a value gets pd_ + 20 hex digits of HMAC-SHA256(key, 'annotate document "
    "id' NUL id), and every passage of that document a pp_ id (so does every passage of a "
    "document whose id ingest --redact made such a pd_ id already). The key and the mapping back "
    "stay with the exporter; other rows keep their ingest id"
)


# what a new key does, in the fixes of a key that cannot be used (faults59: "remove the
# file so that export makes one" said nothing of it)
NEW_KEY_RENAMES = (
    "a new key (removing the file makes one) renames every pseudonymised passage and "
    "document (their pp_/pd_ ids): exports made with it no longer compare as the same data "
    "with earlier ones, nor match the ids in hand-outs already given out (the pseudonym map "
    "keeps the ids of both keys)."
)


def default_key_path() -> Path:
    """``$ANNOTATE_HOME/passage_id_key`` (:func:`annotate.settings.annotate_home`)."""
    return annotate_home() / KEY_FILE


def default_map_path() -> Path:
    """``$ANNOTATE_HOME/passage_pseudonyms.jsonl``: where export keeps the mapping."""
    return annotate_home() / MAP_FILE


def load_key(path: Path | None = None) -> bytes:
    """The pseudonym key kept in ``path`` (default :func:`default_key_path`), made there
    on first use (64 hex digits from :mod:`secrets`, a file only its owner reads).

    Raises ExportError when the file holds fewer than :data:`MIN_KEY_CHARS` characters (a
    short key would let anyone try every key), or cannot be read.
    """
    path = path or default_key_path()
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # made under its name only where none is: two first exports at once both made
            # one, and the later rename replaced the key the other had used (faults58 #6)
            with atomic_output(path, replace=False) as tmp:
                tmp.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
                tmp.chmod(0o600)
        except FileExistsError:
            log.info("another run made the passage id key in %s first; using it", path)
        except OSError as exc:
            raise ExportError(
                f"no passage id key in {path}, and none can be made there ({exc}).",
                fix="pass --id-key with a key file you can read, or a path where one can be made.",
            ) from exc
        else:
            log.info("made a new passage id key in %s", path)
    try:
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(
            f"the passage id key {path} cannot be read as text ({exc}).",
            fix=f"restore {path} from a backup (the key earlier --redact exports and ingests "
            "used) or make it readable (chmod u+r), or give export --id-key a readable copy "
            f"of that key; {NEW_KEY_RENAMES}",
        ) from exc
    if len(key) < MIN_KEY_CHARS:
        raise ExportError(
            f"the passage id key {path} holds {len(key)} character(s); at least "
            f"{MIN_KEY_CHARS} are needed, or anyone could try every key.",
            fix=f"restore {path} from a backup (the key earlier --redact exports and ingests "
            "used), or give export --id-key a copy of that key; only where none is kept, "
            "write a new long one: python -c 'import secrets; print(secrets.token_hex(32))' "
            f"> {shlex.quote(str(path))}, knowing that {NEW_KEY_RENAMES}",
        )
    return key.encode("utf-8")


KEY_FINGERPRINT_OF = (
    "the first 16 hex digits of SHA-256('annotate passage id key' NUL key): equal for "
    "exports pseudonymised with the same key; the key cannot be read from it"
)


def key_fingerprint(key: bytes) -> str:
    """A short, one-way fingerprint of the key (:data:`KEY_FINGERPRINT_OF`)."""
    return hashlib.sha256(b"annotate passage id key\x00" + key).hexdigest()[:16]


def pseudonym(key: bytes, passage_id: str) -> str:
    """``pp_`` + 20 hex digits of HMAC-SHA256(``key``, ``annotate passage id`` NUL id)."""
    mac = hmac.new(key, b"annotate passage id\x00" + passage_id.encode("utf-8"), hashlib.sha256)
    return PREFIX + mac.hexdigest()[:20]


def document_pseudonym(key: bytes, doc_id: str) -> str:
    """``pd_`` + 20 hex digits of HMAC-SHA256(``key``, ``annotate document id`` NUL id)."""
    mac = hmac.new(key, b"annotate document id\x00" + doc_id.encode("utf-8"), hashlib.sha256)
    return DOC_PREFIX + mac.hexdigest()[:20]


_TOKEN = re.compile(r"[\w-]+")
_NEVER = re.compile(r"(?!)")


def _keyed_at_ingest(row: Mapping[str, Any]) -> bool:
    """The row's ``doc_id`` is the keyed pseudonym ``ingest --redact`` gave a document
    whose id held its file's name (its ``ingest_redaction`` record's ``doc_key``)."""
    doc, record = row.get("doc_id"), row.get("ingest_redaction")
    if not doc or not str(doc).startswith(DOC_PREFIX) or not record:
        return False
    try:
        value = json.loads(record) if isinstance(record, str) else record
    except ValueError:
        return False
    return isinstance(value, dict) and value.get("doc_key") == str(doc)


class Pseudonyms:
    """The ids an export replaces, and their pseudonyms (``mapping``: ingest id ->
    pseudonym; ``kinds``: ingest id -> :data:`PASSAGE` or :data:`DOCUMENT`), applied alike
    to the rows and every record written beside them."""

    def __init__(self, key: bytes | None) -> None:
        self._key = key
        self._key_path: Path | None = None
        self.mapping: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.rows = 0  # rows whose own id is replaced
        self._personal: Callable[[str], bool] = lambda _text: False
        # document id -> whether ``_personal`` found personal data in it: each distinct
        # id is searched once (the rows' in of_rows, then each re-post's)
        self._searched: dict[str, bool] = {}
        self._pattern: re.Pattern[str] | None = None

    @classmethod
    def of_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        masked_ids: Iterable[str],
        key_path: Path | None = None,
        *,
        gold_rows: Iterable[Mapping[str, Any]] = (),
        personal: Callable[[str], bool] | None = None,
    ) -> Pseudonyms:
        """The pseudonyms of an export's ``rows`` (ingest ids, before any is replaced):
        those in ``masked_ids`` (rows whose text export masked), every row and gold row of
        a document whose ``doc_id`` holds personal data (``personal``: whether the redactor
        finds something in a string; None: no id is tested) with that document id, the
        gold rows whose text holds personal data, and the ``near_dup_group`` of such a row
        when no kept row has that id (the group is named after a passage near its text that
        the export does not show). The key is read (or made) only when there is an id to
        replace."""
        rows, gold_rows = list(rows), list(gold_rows)
        found = personal or (lambda _text: False)
        # each distinct document id searched once (a document has many passages)
        searched = {
            doc: found(doc)
            for doc in {str(r["doc_id"]) for r in (*rows, *gold_rows) if r.get("doc_id")}
        }
        docs = {doc for doc, personal_data in searched.items() if personal_data}
        masked = {str(i) for i in masked_ids}
        masked |= {str(r["id"]) for r in rows if r.get("doc_id") and str(r["doc_id"]) in docs}
        # a document id ingest --redact pseudonymised (doc_key): its passages' ids are
        # hashes of the unmasked id, which they would confirm as the id itself would
        masked |= {str(r["id"]) for r in rows if _keyed_at_ingest(r)}
        gold = {
            str(g["id"])
            for g in gold_rows
            if (g.get("doc_id") and str(g["doc_id"]) in docs) or found(str(g.get("text") or ""))
        }
        # the key is read (or made) only when there is an id to replace
        out = cls(load_key(key_path) if masked or gold or docs else None)
        out._personal, out._key_path, out._searched = found, key_path, searched
        if out._key is None:
            return out
        shown = {str(r["id"]) for r in rows if str(r["id"]) not in masked}
        for r in rows:
            if str(r["id"]) in masked:
                out.add(str(r["id"]))
                out.rows += 1
                group = r.get("near_dup_group")
                if group and str(group) not in shown:
                    out.add(str(group))
        for passage in sorted(gold):
            out.add(passage)
        for g in gold_rows:  # gold.jsonl names a gold row's group as the rows name theirs
            group = g.get("near_dup_group")
            if str(g["id"]) in gold and group and str(group) not in shown:
                out.add(str(group))
        for doc in sorted(docs):
            out.add(doc, DOCUMENT)
        return out

    def add(self, ingest_id: str, kind: str = PASSAGE) -> None:
        if self._key is None:
            raise ValueError("no key: Pseudonyms.of_rows found no id to replace")
        name = (pseudonym if kind == PASSAGE else document_pseudonym)(self._key, ingest_id)
        self.mapping.setdefault(ingest_id, name)
        self.kinds.setdefault(ingest_id, kind)
        self._pattern = None

    def add_reposts(self, reposts: Mapping[str, Any] | None) -> None:
        """Re-posts (the manifest's ``reposts.by_passage``) of a replaced passage's text:
        a re-post's id is a hash of its document id and that same unmasked text. A re-post's
        document id holding personal data is replaced too, and so is that re-post's id.
        Each distinct document id is searched once (a document re-posts many passages, and
        the rows' ids were searched already)."""
        by_passage = (reposts or {}).get("by_passage") or {}
        for repost, entry in by_passage.items():
            if not isinstance(entry, Mapping):
                continue
            doc = entry.get("doc_id")
            if doc and str(doc) not in self.mapping and self._holds_personal(str(doc)):
                if self._key is None:
                    self._key = load_key(self._key_path)
                self.add(str(doc), DOCUMENT)
            if str(entry.get("repost_of")) in self.mapping or (doc and str(doc) in self.mapping):
                self.add(str(repost))

    def _holds_personal(self, doc: str) -> bool:
        """Whether the document id ``doc`` holds personal data, searched once per id."""
        if doc not in self._searched:
            self._searched[doc] = self._personal(doc)
        return self._searched[doc]

    @property
    def fingerprint(self) -> str | None:
        return None if self._key is None else key_fingerprint(self._key)

    def row(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` with its ``id``, ``doc_id`` and ``near_dup_group`` replaced where mapped."""
        if not self.mapping:
            return row
        out = dict(row)
        for column in ("id", "doc_id", "near_dup_group"):
            if out.get(column) is not None:
                out[column] = self.mapping.get(str(out[column]), out[column])
        return out

    def apply(self, value: Any) -> Any:
        """``value`` (JSON-shaped: a manifest, a review report) with every mapped id
        replaced: a string equal to one, a dict key equal to one, and one named inside a
        longer string (a note ``e.g. p_…``, whole ids only)."""
        if not self.mapping:
            return value
        if isinstance(value, str):
            if value in self.mapping:
                return self.mapping[value]
            return self._inside(value)
        if isinstance(value, dict):
            return {
                self.apply(k) if isinstance(k, str) else k: self.apply(v) for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.apply(v) for v in value]
        return value

    def _inside(self, text: str) -> str:
        # ids of word characters and hyphens (ingest's p_ + hex, most hand-made ids): looked
        # up token by token, in time linear in the text; any other id by one alternation
        text = _TOKEN.sub(lambda m: self.mapping.get(m.group(0), m.group(0)), text)
        if self._pattern is None:
            odd = sorted((i for i in self.mapping if not _TOKEN.fullmatch(i)), key=len)
            self._pattern = (
                re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, odd[::-1])) + r")(?![\w-])")
                if odd
                else _NEVER
            )
        if self._pattern is _NEVER:
            return text
        return self._pattern.sub(lambda m: self.mapping[m.group(0)], text)

    def record(self, previous_fingerprint: str | None) -> dict[str, Any]:
        """The manifest's ``redaction.masked_at_export.pseudonymised_ids``."""
        fingerprint = self.fingerprint
        same = (
            None
            if fingerprint is None or previous_fingerprint is None
            else previous_fingerprint == fingerprint
        )
        return {
            "rows": self.rows,
            "other_ids": sum(k == PASSAGE for k in self.kinds.values()) - self.rows,
            "documents": sum(k == DOCUMENT for k in self.kinds.values()),
            "of": PSEUDONYMS_OF,
            "key_fingerprint": fingerprint,
            "key_fingerprint_of": KEY_FINGERPRINT_OF,
            "same_key_as_previous_export": same,
        }


def previous_key_fingerprint(manifest: Mapping[str, Any] | None) -> str | None:
    """The key fingerprint a previous export's manifest records (None: none recorded)."""
    try:
        value = manifest["redaction"]["masked_at_export"]["pseudonymised_ids"]["key_fingerprint"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


def write_map(
    pseudonyms: Pseudonyms,
    project: str,
    doc_ids: Mapping[str, str | None],
    path: Path | None = None,
) -> Path | None:
    """Merge the mapping into ``path`` (default :func:`default_map_path`): one JSON line
    per pseudonym, ``{"pseudonym", "kind", "passage_id", "doc_id", "project",
    "key_fingerprint"}`` (``kind`` :data:`PASSAGE` or :data:`DOCUMENT`; a document's
    ``passage_id`` is null), sorted; lines already there are kept, none twice, so a re-run
    adds nothing. A file only its owner reads, written atomically. None when there was
    nothing to map. ``doc_ids``: ingest id -> document id (None for a re-post or group)."""
    if not pseudonyms.mapping:
        return None
    path = path or default_map_path()
    lock = map_lock_path(path)
    try:
        # two exports at once: each keeps the other's lines; the gate named after the
        # map, beside it (the --id-map folder is the user's: no bare `.gate` there)
        with held(lock, MAP_WAIT_S, gate=map_gate_path(path)):
            return _merge_map(pseudonyms, project, doc_ids, path)
    except TimeoutError:
        raise ExportError(
            f"another export kept the pseudonym map {path} locked ({lock}) for "
            f"{MAP_WAIT_S:.0f} s; this export's pseudonyms were not added to it.",
            fix="once no other export runs, export again with the same --id-key and --id-map "
            "(the same pseudonyms, and their lines added).",
        ) from None


def map_lock_path(path: Path) -> Path:
    """The lock file :func:`write_map` holds while it reads and writes the map ``path``
    (a read-modify-write: without it, of two exports at once the later replaced the
    other's lines; faults58 #6)."""
    return path.with_name(path.name + ".lock")


def map_gate_path(path: Path) -> Path:
    """The gate of :func:`map_lock_path` (:mod:`annotate._util.lockfiles`): ``.<name>.gate``
    beside the map ``path``, empty and kept (as the Label Studio install's gate), named
    after the map rather than a bare ``.gate`` in the user's ``--id-map`` folder."""
    return path.with_name(f".{path.name}.gate")


def _merge_map(
    pseudonyms: Pseudonyms, project: str, doc_ids: Mapping[str, str | None], path: Path
) -> Path:
    lines: dict[tuple[str, str, str], dict[str, Any]] = {}
    if path.is_file():
        for raw in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(raw)
                named = entry["passage_id"] or entry["doc_id"]
                lines[(entry["pseudonym"], str(named), entry["project"])] = entry
            except (ValueError, KeyError, TypeError):
                log.warning("%s: a line that is no mapping entry is kept out: %.80s", path, raw)
    for ingest_id, name in pseudonyms.mapping.items():
        document = pseudonyms.kinds.get(ingest_id) == DOCUMENT
        lines[(name, ingest_id, project)] = {
            "pseudonym": name,
            "kind": DOCUMENT if document else PASSAGE,
            "passage_id": None if document else ingest_id,
            "doc_id": ingest_id if document else doc_ids.get(ingest_id),
            "project": project,
            "key_fingerprint": pseudonyms.fingerprint,
        }
    text = "".join(
        json.dumps(lines[k], ensure_ascii=False, sort_keys=True) + "\n" for k in sorted(lines)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text, private=True)
    return path


def refuse_inside(out: Path, **paths: Path) -> None:
    """ExportError when a key or map path lies inside the export folder ``out``: the export
    would ship the secret (or the way back) with the data."""
    root = out.resolve()
    for option, path in paths.items():
        resolved = path.resolve()
        if resolved == root or root in resolved.parents:
            raise ExportError(
                f"the passage id {option.replace('_', ' ')} {path} lies inside the export "
                f"folder {out}; it would be shipped with the corpus.",
                fix=f"keep it outside {out} (the default is {annotate_home()}).",
            )
