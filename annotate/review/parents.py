"""Thread context: the comment a passage replies to, shown to its reviewers.

A table of comments often names, on each row, the comment it replies to (a news site's
``parent_id``, Twitter's ``in_reply_to_status_id``, Mastodon's ``in_reply_to_id``). Ingest
keeps that column in the passage's ``meta``; whether a reply is counter-speech, a quote or
an endorsement often depends on what it answers (passL54 finding 5: "I know where you
live" under a threat, "Cut down the tall trees" under a history post). Push shows the
parent comment's text above the passage (:data:`PARENT_FIELD`, under the heading
:data:`PARENT_HEADER_FIELD`), as it shows the neighbouring passages of the same document:

- the parent is a row of the same file: its passages' text, masked as ingest masked it,
  joined and cut at :data:`annotate.review.view.CONTEXT_CHARS`;
- the parent carries a content warning (graphic, likely harmful, unreadable): a note
  naming its passage id (:func:`hidden_parent`), never its text;
- the parent is not in the file pushed but a task of it is already in the project (an
  earlier batch, pushed before): that task's text, or the note when its task carries a
  content warning (:mod:`annotate.studio.prior_parents` reads only those tasks, by id; a
  review set's push takes them from its queues as read: :func:`earlier_threads`);
- the parent is in neither: a note saying so (:func:`missing_parent`).

Up the thread (:func:`thread_text`): the comments above the parent (the one it replies to,
and so on), up to :data:`THREAD_DEPTH` comments in all, oldest first, each on its own line
after its document id, each above the parent cut at :data:`ANCESTOR_CHARS`; found the same
way (the file, then the project's tasks), the chain ends at the first comment found in
neither (no note for it), at a comment seen before (a cycle in the data) and at the top.

Which meta key names the parent: the column ``ingest --parent-column`` named (recorded in
the run's settings, ``parent_column``), else the first key named like one
(:data:`PARENT_KEYS`). The parent's document id is the key's value as ingest makes ids
(:func:`annotate._util.coerce.id_str`), after the run's ``--id-prefix``. The task keeps it
as ``parent_doc_id`` (and ``meta`` keeps the column as the table wrote it, to the export).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from annotate._util.coerce import id_str, json_cell

# the task fields: the heading (names the parent's id; "" when the passage replies to
# none, so a batch without threads shows no heading) and what is shown of the parent
PARENT_HEADER_FIELD = "parent_header"
PARENT_FIELD = "context_parent"
# the parent's document id, in the task's data (provenance; a Data Manager filter)
PARENT_ID_FIELD = "parent_doc_id"
# the ingest run setting naming the parent column (ingest --parent-column)
PARENT_COLUMN_SETTING = "parent_column"
# comments shown above a reply: its parent and the two above it (a moderator reads "you
# first" under "who wants to fight?" under a news post; Reddit's moderation queue links a
# reply with its context of 3). More reads as a second task; fewer loses the thread
THREAD_DEPTH = 3
# what a comment above the parent shows at most, in characters (the parent: CONTEXT_CHARS)
ANCESTOR_CHARS = 300

# meta keys (any case; "-" and " " read as "_") naming the comment or post a row replies
# to. Not ``reply_to``/``in_reply_to`` (the author replied to: an author key, masked by
# --redact) nor ``in_reply_to_user_id`` (an account); a bare ``parent`` is too often
# something else: name such a column with ``ingest --parent-column``
PARENT_KEYS = frozenset({
    "parent_id", "parent_comment_id", "parent_post_id", "parent_message_id",
    "parent_comment", "in_reply_to_id", "in_reply_to_status_id", "in_reply_to_post_id",
    "in_reply_to_comment_id", "in_reply_to_message_id", "reply_to_id",
    "reply_to_comment_id", "reply_to_post_id", "reply_to_message_id", "replied_to_id",
})  # fmt: skip


# values of a parent column that mean "no parent" (a top-level comment): the null
# spellings of exports (pandas' and R's NaN/NA written as text, SQL's NULL) and the
# integer foreign keys' defaults 0 and -1 (break13 #4: each became a parent id, and every
# top-level comment told its reviewers to look for a parent that does not exist)
NO_PARENT = frozenset({
    "", "0", "-1", "nan", "none", "null", "nil", "na", "n/a", "<na>", "nat", "undefined",
    "0.0", "-1.0",
})  # fmt: skip

# a whole number written as a float ("8.0"): how pandas writes an integer column with an
# empty cell (every top-level comment's parent) to CSV
_WHOLE_FLOAT = re.compile(r"^-?\d+\.0+$")


def _name(key: object) -> str:
    """A column name as :data:`PARENT_KEYS` are written: camelCase and PascalCase split
    (``parentId``, ``ParentID``, ``inReplyToId``), lower case, "-" and " " as "_", and
    Twitter's ``_str`` (the id as text) dropped (break13 #11)."""
    text = str(key).strip()
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = text.lower().replace("-", "_").replace(" ", "_")
    return text.removesuffix("_str")


def parent_key(key: object) -> bool:
    """Whether a meta key (a table column ingest kept in ``meta``) names the comment the
    row replies to (:data:`PARENT_KEYS`)."""
    return _name(key) in PARENT_KEYS


def _settings(row: Mapping[str, Any]) -> dict[str, Any]:
    record = json_cell(row.get("ingest_run"))
    settings = record.get("settings") if isinstance(record, dict) else None
    return settings if isinstance(settings, dict) else {}


def parent_doc_id(row: Mapping[str, Any]) -> str | None:
    """The document id of the comment ``row`` (a passages or prelabel row) replies to:
    its meta's parent column (:func:`parent_column`), as ingest makes document ids
    (after the run's ``--id-prefix``; ``"8.0"`` read as ``8``: :func:`parent_id_text`);
    None when it has none, the cell means none (empty, ``0``, ``nan``, ``NULL``:
    :data:`NO_PARENT`) or names the row's own document (a data error). Under ``ingest
    --redact``, a parent id holding personal data is the keyed pseudonym the row's
    ``redaction`` record holds for it (``parent_keys``): the ``doc_id`` the parent's task
    carries (:func:`annotate.studio.tasks.pushed_doc_id`)."""
    meta = json_cell(row.get("meta"))
    if not isinstance(meta, dict):
        return None
    settings = _settings(row)
    named = settings.get(PARENT_COLUMN_SETTING)
    if isinstance(named, str) and named:
        keys = [named] if named in meta else []
    else:  # the first parent-like key with a parent in it (an empty one is none)
        keys = [k for k in meta if parent_key(k)]
    found = next(((k, t) for k in keys if (t := parent_id_text(meta[k])) is not None), None)
    if found is None:
        return None
    column, text = found
    prefix = settings.get("id_prefix")
    parent = f"{prefix}{text}" if isinstance(prefix, str) and prefix else text
    # a row naming itself as its parent (a data error): no context, not its own text
    # (break13 #6)
    own = row.get("doc_id")
    if own not in (None, "") and str(own) == parent:
        return None
    # ingest --redact: a parent whose id holds personal data is named by the keyed
    # pseudonym its own task carries as doc_id (annotate.audit.redact.PARENT_KEYS)
    record = json_cell(row.get("redaction"))
    keyed = record.get("parent_keys") if isinstance(record, dict) else None
    named_key = keyed.get(str(column)) if isinstance(keyed, dict) else None
    return named_key if isinstance(named_key, str) and named_key else parent


def parent_id_text(value: Any) -> str | None:
    """A parent column's cell as a document id, as ingest makes ids of an id column
    (:func:`annotate._util.coerce.id_str`: the float ``8.0`` is ``8``), a whole number
    written as a float in text (``"8.0"``, a CSV written by pandas) read as that float
    is; None for a cell meaning no parent (empty, null, NaN, ``0``, ``-1``:
    :data:`NO_PARENT`)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        value = value.strip()
        if _WHOLE_FLOAT.match(value) and abs(float(value)) < 2**53:
            value = float(value)
    text = id_str(value)
    if not text or text.lower() in NO_PARENT:
        return None
    return text


def copied_docs(value: Any) -> list[tuple[str, int]]:
    """(document id, start in it) of each exact copy a passage's ``exact_copies`` (JSON,
    as ingest writes it) names: documents ingest dropped as copies of this passage's text,
    whose replies show this passage as their parent (break13 #5: a spam or "+1" parent
    dropped as a copy was "not in this batch")."""
    record = json_cell(value)
    copies = record.get("copies") if isinstance(record, dict) else None
    out = []
    for copy in copies if isinstance(copies, list) else []:
        copy = json_cell(copy)
        doc = copy.get("doc_id") if isinstance(copy, dict) else None
        if isinstance(doc, str) and doc:
            start = copy.get("start")
            out.append((doc, start if isinstance(start, int) else 0))
    return out


def parent_header(parent: str) -> str:
    """The heading above the parent's text (the parent's document id named)."""
    return f"Context: the comment this one replies to ({parent}; not to label)"


def thread_header(chain: Sequence[str]) -> str:
    """The heading above a reply's thread: ``chain``, the document ids shown, from the
    parent up; one: :func:`parent_header`; more: they are named oldest first."""
    if len(chain) <= 1:
        return parent_header(chain[0])
    named = " \u2192 ".join(reversed(chain))
    return f"Context: the comments this one replies to, oldest first ({named}; not to label)"


def thread_text(chain: Sequence[tuple[str, Sequence[tuple[str, bool, str]] | None]]) -> str:
    """What a reply shows of its thread: ``chain``, (document id, its passages as
    :func:`parent_text` takes them) from the parent up (at most :data:`THREAD_DEPTH`
    taken). The parent alone (or not found: None): :func:`parent_text`. With comments above
    it, found: each on a line of its own, oldest first, as ``ID: text`` (the ``ID: ``
    isolated: :func:`id_prefix`; each above the
    parent cut at :data:`ANCESTOR_CHARS`, a hidden one a note naming its passages); the
    chain ends at the first comment not found."""
    parent, parts = chain[0]
    shown = parent_text(parent, parts)
    if not parts:
        return shown
    lines = [f"{id_prefix(parent)}{shown}"]
    for doc, above in chain[1:THREAD_DEPTH]:
        if not above:
            break
        lines.append(f"{id_prefix(doc)}{parent_text(doc, above, ANCESTOR_CHARS, what='comment')}")
    return shown if len(lines) == 1 else "\n".join(reversed(lines))


# first-strong isolate / pop directional isolate (Unicode bidi, UAX #9)
FSI, PDI = "\u2068", "\u2069"


def id_prefix(doc: str) -> str:
    """A thread line's ``ID: `` start, isolated (:data:`FSI` ... :data:`PDI`): the view
    sets each line's direction by its first strong letter (``unicode-bidi: plaintext``),
    which the bidi rules look for outside isolates, so a Hebrew or Arabic comment after a
    Latin id (``c004: ``) still reads right to left (break15 B1)."""
    return f"{FSI}{doc}: {PDI}"


def thread_chain(parent: str, up: Mapping[str, str | None], own: str | None = None) -> list[str]:
    """The document ids of a reply's thread from its ``parent`` up (at most
    :data:`THREAD_DEPTH`): ``up`` maps a document id to the one it replies to (None:
    none, or not known); a comment met twice (a cycle in the data) or the reply's ``own``
    document ends it."""
    chain = [parent]
    while len(chain) < THREAD_DEPTH:
        nxt = up.get(chain[-1])
        if not nxt or nxt in chain or nxt == own:
            break
        chain.append(nxt)
    return chain


def missing_parent(parent: str) -> str:
    """What a reply shows when its parent is neither among the passages pushed with it
    nor a task of the project it is pushed into."""
    return (
        f"[parent comment {parent} not in this batch nor in this project: its text is not "
        f"shown. If it was pushed into another project, filter that project's Data Manager "
        f"by doc_id {parent}; otherwise ask your lead.]"
    )


def hidden_parent(parent: str, passages: Sequence[str], what: str = "parent comment") -> str:
    """What a reply shows of a parent hidden behind its content warning: never its text;
    where to read it (its passage ids, as a hidden neighbour's note names them); ``what``:
    how the note names it ("comment": one above the parent)."""
    named = ", ".join(passages[:3]) + (" ..." if len(passages) > 3 else "")
    return (
        f"[{what} {parent} hidden: content warning. To read it, open its own task if "
        f"it is in your project (passage_id {named}: filter the Data Manager by passage_id) "
        "and tick “Show the passage” there; if it is not, ask your lead (do not answer it "
        "in another reviewer's project).]"
    )


def parent_text(
    parent: str,
    parts: Sequence[tuple[str, bool, str]] | None,
    limit: int | None = None,
    *,
    what: str = "parent comment",
) -> str:
    """What a reply shows of its ``parent`` (document id): ``parts``, the parent's
    passages in order, each (text, whether it carries a content warning, passage id);
    None or empty: :func:`missing_parent`; any hidden: :func:`hidden_parent` (``what``
    as there); else their texts joined, cut at ``limit`` characters (default
    :data:`annotate.review.view.CONTEXT_CHARS`) with "…"."""
    if limit is None:
        from annotate.review.view import CONTEXT_CHARS

        limit = CONTEXT_CHARS
    if not parts:
        return missing_parent(parent)
    if any(hidden for _, hidden, _ in parts):
        return hidden_parent(parent, [pid for _, _, pid in parts], what)
    text = " ".join(t.strip() for t, _, _ in parts)
    return text if len(text) <= limit else text[:limit] + "\u2026"


def parent_fields(row: Mapping[str, Any]) -> dict[str, str]:
    """The task fields of a row's thread context before its parent is looked up: the
    heading and :func:`missing_parent` when it replies to a comment, else "" and "";
    ``parent_doc_id`` only when it replies to one."""
    parent = parent_doc_id(row)
    if parent is None:
        return {PARENT_HEADER_FIELD: "", PARENT_FIELD: ""}
    return {
        PARENT_HEADER_FIELD: parent_header(parent),
        PARENT_FIELD: missing_parent(parent),
        PARENT_ID_FIELD: parent,
    }


def link_parents(
    tasks: Sequence[dict[str, Any]],
    tax: Any,
    earlier: Mapping[str, Mapping[int, Mapping[str, Any]]] | None = None,
) -> None:
    """Fill each reply's :data:`PARENT_FIELD` (:func:`thread_text`) and heading
    (:func:`thread_header`) from the tasks of its parent document and those above it
    among ``tasks`` (their ``doc_id`` as ingest wrote it: a task's ``doc_id``), in
    memory (a review set's push; :mod:`annotate.studio.staging` does it out of core);
    ``earlier``: documents the file does not hold, by passage index, each passage its
    task's data (a review set's queues: :func:`earlier_threads`)."""
    field = tax.interface.text_field
    wanted = {t["data"].get(PARENT_ID_FIELD) for t in tasks} - {None, ""}
    if not wanted:
        return
    by_doc: dict[str, dict[int, dict[str, Any]]] = {}
    # a parent with no passage of its own, dropped by ingest as an exact copy of passages
    # kept: those passages, by where the copy started in it (break13 #5)
    by_copy: dict[str, dict[int, dict[str, Any]]] = {}
    for task in tasks:
        data = task["data"]
        for copy, start in copied_docs(data.get("exact_copies")):
            if copy in wanted:
                by_copy.setdefault(copy, {})[start] = data
        doc = data.get("doc_id")
        if doc in (None, "") or str(doc) not in wanted:
            continue
        index = data.get("passage_index")
        by_doc.setdefault(str(doc), {})[-1 if index is None else int(index)] = data
    earlier = earlier or {}
    up = _ups(tasks)
    for doc, passages in earlier.items():
        for data in passages.values():
            if data.get(PARENT_ID_FIELD):
                up.setdefault(doc, str(data[PARENT_ID_FIELD]))
    for task in tasks:
        data = task["data"]
        parent = data.get(PARENT_ID_FIELD)
        if not parent:
            continue
        chain = thread_chain(str(parent), up, _own(data))
        found = []
        for doc in chain:
            passages = by_doc.get(doc) or by_copy.get(doc) or earlier.get(doc, {})
            parts = [
                # a task without a warning field (not annotate's): not known safe, a note
                (str(d[field]), d.get("warning") is None or bool(d["warning"]), _pid(d))
                for _, d in sorted(passages.items())
            ]
            found.append((doc, parts))
            if not parts:
                break
        data[PARENT_FIELD] = thread_text(found)
        data[PARENT_HEADER_FIELD] = thread_header(_shown(found))


def _pid(data: Mapping[str, Any]) -> str:
    return str(data.get("passage_id") or "")


def earlier_threads(
    tasks: Sequence[dict[str, Any]],
    listed: Iterable[Mapping[str, Any]],
    text_field: str,
    now_hidden: Collection[str] = (),
) -> dict[str, dict[int, Mapping[str, Any]]]:
    """The documents up the threads of ``tasks`` (a file's, as :func:`link_parents`
    takes them) that the file does not hold but tasks already pushed do: ``listed``,
    those tasks' data (a review set's queues, as read), each document by passage index
    (the first task listed of each), up to :data:`THREAD_DEPTH` comments from each reply;
    ``now_hidden``: passage ids a push's wellbeing refresh hid after reading (their data
    given a warning here). For :func:`link_parents`' ``earlier``."""
    in_file = {_own(t["data"]) for t in tasks} - {None}
    for task in tasks:
        in_file |= {doc for doc, _ in copied_docs(task["data"].get("exact_copies"))}
    index: dict[str, dict[int, Mapping[str, Any]]] = {}
    for data in listed:
        doc = _own(data)
        if doc is None or doc in in_file or not isinstance(data.get(text_field), str):
            continue
        at = data.get("passage_index")
        try:
            key = -1 if at is None else int(at)
        except (TypeError, ValueError):
            continue
        index.setdefault(doc, {}).setdefault(key, data)
    frontier = {str(t["data"][PARENT_ID_FIELD]) for t in tasks if t["data"].get(PARENT_ID_FIELD)}
    needed: dict[str, dict[int, Mapping[str, Any]]] = {}
    for _ in range(THREAD_DEPTH):
        found = {doc: index[doc] for doc in frontier - in_file if doc in index}
        needed.update(found)
        frontier = {
            str(d[PARENT_ID_FIELD])
            for passages in found.values()
            for d in passages.values()
            if d.get(PARENT_ID_FIELD)
        } - set(needed)
    hidden = set(now_hidden)
    return {
        doc: {
            i: ({**d, "warning": d.get("warning") or "hidden"} if _pid(d) in hidden else d)
            for i, d in passages.items()
        }
        for doc, passages in needed.items()
    }


def _own(data: Mapping[str, Any]) -> str | None:
    doc = data.get("doc_id")
    return None if doc in (None, "") else str(doc)


def _shown(found: Sequence[tuple[str, Sequence[Any] | None]]) -> list[str]:
    """The document ids :func:`thread_text` shows of ``found``: up to the first not found."""
    if not found[0][1]:
        return [found[0][0]]
    return [doc for doc, _ in itertools.takewhile(lambda f: bool(f[1]), found)]


def _ups(tasks: Sequence[dict[str, Any]]) -> dict[str, str | None]:
    """Document id -> the one it replies to, of the tasks' documents (each task's
    :data:`PARENT_ID_FIELD`)."""
    up: dict[str, str | None] = {}
    for task in tasks:
        data = task["data"]
        own = _own(data)
        if own is not None and data.get(PARENT_ID_FIELD):
            up.setdefault(own, str(data[PARENT_ID_FIELD]))
    return up
