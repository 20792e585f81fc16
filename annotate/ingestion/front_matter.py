"""YAML front matter of a Markdown file (Jekyll, Hugo, Obsidian, MkDocs, static-site
exports): a block that opens the file with a line ``---`` and ends at the next line
``---`` (or ``...``), e.g.::

    ---
    title: Rally in the park
    date: 2026-11-01
    ---

    # Rally in the park
    ...

Such a block is metadata, not text a reviewer or the classifier should read: ingest
takes the document's title, date and other keys from it (:func:`read_front_matter`) and
starts the document's passages after it (:func:`front_matter_end`), so offsets still
index the whole file (``document[start:end] == text``) and ``document_sha256`` is still
the file's own.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

log = logging.getLogger(__name__)

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_OPEN = "---"
_CLOSE = ("---", "...")


def front_matter_end(text: str) -> int:
    """The offset in ``text`` where the body after a front-matter block starts: just past
    the closing line (and its line end); 0 when ``text`` does not open with one. Purely
    by lines (``---`` first, then ``---`` or ``...``; trailing white space and ``\\r``
    ignored), so a text masked by ``ingest --redact`` (no placeholder holds a line end)
    ends its block where the unmasked text did."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _OPEN:
        return 0
    at = len(lines[0])
    for line in lines[1:]:
        at += len(line)
        if line.rstrip() in _CLOSE:
            return at
    return 0  # never closed: a horizontal rule, not front matter


def read_front_matter(text: str, where: str) -> tuple[int, dict[str, Any]]:
    """``text``'s front matter: (the offset its body starts at, its keys as JSON values:
    a YAML date as ``YYYY-MM-DD``). (0, {}) when ``text`` opens with no block, or with one
    that is not a YAML mapping (logged with ``where``, the file as messages name it: the
    block is then left in the text, as a rule line and text, rather than guessed at)."""
    end = front_matter_end(text)
    if not end:
        return 0, {}
    import yaml

    lines = text[:end].splitlines(keepends=True)
    block = "".join(lines[1:-1])  # between the opening and the closing line
    try:
        # an alias (``*name``) repeats a node: nine nested lists of nine aliases are 1 KB
        # of YAML and 9**9 values as JSON (a "billion laughs" document hung ingest)
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(block, yaml.SafeLoader)):
            log.warning(
                "%s: the block between its first two '---' lines uses YAML aliases "
                "(*name), which front matter does not need; read as text",
                where,
            )
            return 0, {}
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        log.warning(
            "%s: the block between its first two '---' lines is not YAML front matter "
            "(%s); read as text",
            where,
            str(exc).splitlines()[0],
        )
        return 0, {}
    if not isinstance(data, dict):
        log.warning(
            "%s: the block between its first two '---' lines is not YAML front matter "
            "(a %s, not a mapping of keys); read as text",
            where,
            type(data).__name__,
        )
        return 0, {}
    return end, {str(k): _json_value(v) for k, v in data.items()}


def _json_value(value: Any) -> Any:
    """A YAML value as JSON: dates and times in ISO form, anything else JSON cannot hold
    as its text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))
