"""HTML files (a saved web page, a news article): their visible text, and their title.

Ingest reads ``.html``/``.htm`` files as documents whose text is what a browser shows:
the ``<body>``'s text extracted by html-text (lxml's HTML parser and cleaner: scripts,
styles, comments and other invisible content dropped, entities such as ``&quot;``
decoded, a line break after block elements and a blank line after paragraphs and
headings, so the splitter cuts where the page's paragraphs end). The title is the
``<title>``'s text (else the first ``<h1>``'s). Every visible part of the page is kept
(navigation, captions, comments sections, footers): a threat in a reader comment or a
caption must not be dropped by a main-content heuristic.

Provenance: the passages' offsets index the extracted text, not the file's bytes (as a
table row's offsets index its cell's text), and ``document_sha256`` hashes that text;
the file's own SHA-256 is in the run record's ``inputs``. What made the text is recorded
in each passage's ``meta`` (``text_extracted_by``: :func:`extractor`, html-text's and
lxml's versions) and in the run record (``extracted_by``), so ``annotate verify
--sources`` extracts the text again with the same reader and says when the versions it
has differ from those recorded.

A ``.txt`` file that is a saved web page (:func:`looks_like_html`) is still read as
plain text, markup included, and warned of with the fix: rename it to ``.html``.
"""

from __future__ import annotations

import re
from importlib.metadata import version

SUFFIXES = frozenset({".html", ".htm"})
META_KEY = "text_extracted_by"  # in the meta of a document read from an HTML file

_DOCTYPE = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<!doctype\s+html|\A\s*<html[\s>]", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
MANY_TAGS = 20  # a text file holding this many tags, a third of its text markup, is HTML


def extractor() -> str:
    """What extracts an HTML file's text: ``html-text 0.7.1 (lxml 6.2.0)``."""
    return f"html-text {version('html-text')} (lxml {version('lxml')})"


def html_document(markup: str) -> tuple[str, str | None]:
    """The visible text of the HTML ``markup`` (its body's; the whole document's when the
    parser finds no body) and its title (the ``<title>``'s text, else the first
    ``<h1>``'s, white space collapsed; None when it has neither)."""
    import html_text

    tree = html_text.parse_html(markup)
    title = " ".join((tree.findtext(".//title") or "").split()) or None
    if title is None:
        title = " ".join(str(tree.xpath("string((//h1)[1])")).split()) or None
    body = tree.find(".//body")
    text = html_text.extract_text(body if body is not None else tree)
    return text, title


def looks_like_html(text: str) -> int | None:
    """The number of tags of ``text`` when it is a saved web page (it opens with an HTML
    doctype or ``<html>`` tag, or holds at least :data:`MANY_TAGS` tags making a third
    of it or more), else None: a plain text quoting a tag or two is no web page."""
    tags = _TAG.findall(text)
    if _DOCTYPE.match(text) and tags:
        return len(tags)
    if len(tags) >= MANY_TAGS and sum(map(len, tags)) * 3 >= len(text):
        return len(tags)
    return None
