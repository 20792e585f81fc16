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

Encoding: a saved page is often not UTF-8 (a Windows-1252 news site, a Shift JIS forum),
and it says so itself. :func:`page_codec` chooses the codec as a browser does: a byte-order
mark first (UTF-8, UTF-16), then the charset the page declares in its first
:data:`PRESCAN` bytes (``<meta charset="...">`` or ``<meta http-equiv="Content-Type"
content="text/html; charset=...">``, comments passed over; the label read as the WHATWG
Encoding Standard reads it: ``iso-8859-1`` and ``us-ascii`` are Windows-1252, ``shift_jis``
is Windows-31J, ``gb2312`` is GBK, a ``utf-16`` declaration in ASCII bytes is UTF-8), when
the bytes decode with it, strictly and without C1 control characters; else ingest's usual
reading (UTF-8, then ``--encoding``). A declaration that does not decode the bytes, names
no encoding Python knows, or names one that does not read ASCII as ASCII is warned of,
naming the file, and ingest falls back to its usual reading. One exception: bytes that are
valid UTF-8 beyond ASCII are read as UTF-8 whatever the page declares (warned of): a page
saved again as UTF-8 keeps its old declaration, and Windows-1252 decodes any bytes (the
UTF-8 of ``’`` reads ``â€™``), while real Windows-1252 or Shift JIS text is almost never
valid UTF-8. The pages read as their declared charset (or as UTF-16 by their mark) are
listed in the run record's ``decoded_files`` with ``declared_by`` (``meta charset=...`` or
``byte-order mark``), so ``verify --sources`` decodes them alike.

A ``.txt`` file that is a saved web page (:func:`looks_like_html`) is still read as
plain text, markup included, and warned of with the fix: rename it to ``.html``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from importlib.metadata import version

from annotate._util.encoding import ascii_compatible

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


PRESCAN = 8192  # bytes of a page searched for its charset declaration
_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.S)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:()-]+)""", re.I)
# WHATWG Encoding Standard labels read otherwise than Python's codec of that name: what
# browsers decode a page declaring them with (Latin-1 pages hold cp1252's quotes; Shift
# JIS pages Microsoft's extensions); a UTF-16 declaration, read in ASCII bytes, is UTF-8
_WHATWG_LABELS = {
    "cp1252": (
        "iso-8859-1 iso8859-1 iso_8859-1 iso88591 iso_8859-1:1987 latin1 l1 us-ascii ascii "
        "cp819 ibm819 iso-ir-100 csisolatin1 x-cp1252 windows-1252 cp1252"
    ),
    "cp1254": "iso-8859-9 iso8859-9 iso_8859-9 latin5 l5 windows-1254",
    "cp874": "iso-8859-11 iso8859-11 tis-620 dos-874 windows-874",
    "cp932": "shift_jis shift-jis sjis x-sjis ms_kanji ms932 windows-31j csshiftjis",
    "gbk": "gb2312 gbk x-gbk chinese csgb2312 iso-ir-58 gb_2312 gb_2312-80 cp936",
    "cp949": "euc-kr ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 korean cseuckr windows-949",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "utf-8": "utf-16 utf-16le utf-16be unicode ucs-2 unicodefffe",
}
_WHATWG = {label: codec for codec, labels in _WHATWG_LABELS.items() for label in labels.split()}
_C1 = re.compile(r"[\x80-\x9f]")


@dataclass(frozen=True)
class PageCodec:
    """How to decode a saved page (:func:`page_codec`)."""

    codec: str | None  # None: ingest's usual reading (UTF-8, then --encoding)
    declared_by: str | None = None  # ``meta charset=windows-1252``, ``byte-order mark``
    problem: str | None = None  # why the declaration was not followed (warned of)
    utf8: bool = False  # the problem is that the bytes are UTF-8: read as UTF-8, no fallback


def declared_charset(raw: bytes) -> str | None:
    """The charset label a page's bytes ``raw`` declare in a ``<meta>`` tag of their first
    :data:`PRESCAN` bytes (comments passed over), as written; None when none."""
    head = _COMMENT.sub(b"", raw[:PRESCAN])
    found = _META_CHARSET.search(head)
    return found.group(1).decode("ascii", "replace") if found else None


def charset_codec(label: str) -> str | None:
    """The Python codec a page declaring the charset ``label`` is decoded with, as the
    WHATWG Encoding Standard reads labels (``ISO-8859-1`` -> ``cp1252``); None for a label
    Python knows no text codec by, or one that does not read ASCII as ASCII."""
    key = label.strip().lower()
    if key in _WHATWG:
        return _WHATWG[key]
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or not ascii_compatible(info.name):
        return None
    return info.name


def page_codec(raw: bytes) -> PageCodec:
    """The codec to read a saved page's bytes ``raw`` with (see the module): its byte-order
    mark's, else the charset it declares when that decodes it, else None (ingest's usual
    reading), with the problem of a declaration not followed."""
    if raw.startswith(codecs.BOM_UTF8):
        return PageCodec(None)  # read as UTF-8, the mark dropped, as every text file
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return PageCodec("utf-16", "byte-order mark")
    label = declared_charset(raw)
    if label is None:
        return PageCodec(None)
    said = f"declares charset={label}"
    codec = charset_codec(label)
    if codec is None:
        return PageCodec(None, problem=f"{said}, which names no encoding ingest can read it with")
    if codecs.lookup(codec).name == "utf-8":
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return PageCodec(None, problem=f"{said} but byte offset {exc.start} is not UTF-8")
        return PageCodec(None)
    if raw.isascii():
        return PageCodec(None)  # the same text either way: nothing to record
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return PageCodec(
            None,
            problem=f"{said} but its bytes are UTF-8 (a page saved again as UTF-8 keeps its "
            "old declaration)",
            utf8=True,
        )
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        return PageCodec(
            None,
            problem=f"{said} but byte offset {exc.start}, 0x{raw[exc.start]:02x}, is not {codec}",
        )
    if (c1 := _C1.search(text)) is not None:
        return PageCodec(
            None,
            problem=f"{said} but read as {codec} it holds a C1 control character "
            f"(U+{ord(c1.group()):04X}): the wrong encoding",
        )
    return PageCodec(codec, f"meta charset={label}")


def page_problem_said(path: object, page: PageCodec, fallback: str | None) -> str:
    """The warning of a page whose declared charset was not followed (``page.problem``):
    the file, the problem and how it is read instead (UTF-8, else ``fallback``:
    ``--encoding``'s codec)."""
    instead = "UTF-8" + (f" (else {fallback}, --encoding)" if fallback and not page.utf8 else "")
    return f"{path}: the web page {page.problem}; read as {instead} instead"


__all__ = [
    "PRESCAN",
    "PageCodec",
    "charset_codec",
    "declared_charset",
    "extractor",
    "html_document",
    "looks_like_html",
    "page_codec",
    "page_problem_said",
]
