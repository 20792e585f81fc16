"""Quoted blocks without quotation marks: speech set as its own paragraph after an
attribution line ending in a colon ("According to a translation by the agency, the
commander says:" / "The statement reads:" / "Witnesses filmed the crowd chanting:").

News articles often quote a speech, statement or transcript this way. The block is a
candidate evidence span; the attribution sentence itself (ending in the colon) is never
one. The block is flagged a quotation (flag True, like words inside quotation marks) only
when its line reports someone else's words (:func:`reported_attribution`: a reporting
verb in the third person or the past, no "I", "we" or "you"); after a line that only
names what follows or whom it addresses ("Message to the traitors who run this town:",
"A final statement for the cowards at the depot:") the words are the author's own.
A colon that does not end an attribution (a heading "Update:", a list "Ingredients:",
"Q:" / "A:", a time "10:30"), an attribution in the first person ("Here is my opinion:",
"I say this to all of you:": the author's own voice) or a forum or comment header naming
the poster ("Posted by ironfist77:", "Reply from grimreefer on 3 May:", "Comment by @user
at 10:02:": the post after it is that user's own words, not a quotation a reporter
attributes) opens no block.

A blank line is a line of nothing but white space: a carriage return (CRLF line endings),
a no-break space or tab counts as white space there, so a Windows file's paragraphs are
split where a Unix file's are.
"""

from __future__ import annotations

import re

from annotate.classifier.features import inside_quotes

Segment = tuple[int, int, bool]

# a colon ending a line, then the block: the next paragraph (up to a blank line or the end);
# [^\S\n]: white space other than a line feed (a CRLF's carriage return, a no-break space)
_COLON_EOL = re.compile(r":[^\S\n]*\n\s*")
_PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n")
# a line that ends a paragraph even without a blank line after it (as ingest splits
# paragraphs: annotate.ingestion.splitter.paragraphs)
_LINE_END_PUNCT = tuple(".!?:;\"'”’»)]…")
# the end of a sentence before the one that ends in the colon
_SENTENCE_END = re.compile(r"[.!?][\"”’»)]*\s+|\n")
# a verb of saying, reporting, translating or chanting, or a noun naming what is quoted
SAYING_RE = re.compile(
    r"\b(says?|said|saying|tells?|told|telling|writes?|wrote|written|reads?|stated?|"
    r"states|declared?|declares|announced?|announces|added|adds|continued?|continues|"
    r"went on|shouted|shouts|shouting|chanted|chants?|chanting|yelled|screamed|urged|"
    r"urges|warned|warns|proclaimed|proclaims|preached|preaches|addressed|addresses|"
    r"quoted?|quotes|quoting|transcribed?|transcribes|transcript|transcription|"
    r"translated?|translates|translation|recited|recites|repeated|posted|tweeted|"
    r"vowed|threatened|insisted|replied|as follows|in full|excerpt|statement|speech|"
    r"sermon|message|manifesto|recording|the following (?:statement|warning|message|notice|"
    r"appeal|words))\b",
    re.IGNORECASE,
)
# the author speaking: a first-person subject or possessive in the attribution sentence
# ("our correspondent" is the newspaper's staff, not the author speaking)
FIRST_PERSON_RE = re.compile(
    r"\b(i|me|my|mine|we|ours|i'm|i'll|i've|we're|we'll|we've|"
    r"our(?!\s+(?:correspondents?|reporters?|translators?|translation)\b))\b",
    re.IGNORECASE,
)
# a forum, comment-section or social-media header naming who posted what follows (page
# furniture: the post is its author's own voice), optionally with when
POSTER_HEADER_RE = re.compile(
    r"^\s*(?:originally\s+|re:\s*)?(?:posted|reply|replied|comment(?:ed)?|written|"
    r"submitted|shared|post|message|answer(?:ed)?)\s+(?:by|from)\s+@?[\w.\-]+"
    r"(?:\s+(?:on|at)\b[^:\n]*(?::\d\d[^:\n]*)*)?\s*:$",
    re.IGNORECASE,
)
# What may take a label away (annotate.classifier.quoted_content) needs more than what
# may offer a candidate span: a verb that reports someone else's words, in the third
# person or the past ("says", "told", "reads", "transcribes"), never a bare form that
# can be an order to the reader ("Read this carefully:", "Tell them:") and never a noun
# alone ("Message to the traitors:", "A final statement for ...:" open the author's own
# words); and no second person: an attribution line speaks of a speaker, not to "you".
REPORTING_VERB_RE = re.compile(
    r"\b(says|said|tells|told|writes|wrote|written|reads|states|stated|declares|declared|"
    r"announces|announced|adds|added|continues|continued|went on|shouts|shouted|chants|"
    r"chanted|yelled|screamed|urges|urged|warns|warned|proclaims|proclaimed|preaches|"
    r"preached|addresses|addressed|quotes|quoted|quoting|transcribes|transcribed|"
    r"translates|translated|recites|recited|repeated|posted|tweeted|vowed|threatened|"
    r"insisted|replied|saying|telling|shouting|chanting)\b",
    re.IGNORECASE,
)
SECOND_PERSON_RE = re.compile(r"\b(you|your|yours|yourselves|y'all|ye)\b", re.IGNORECASE)
MIN_INTRO_WORDS = 3  # "Warning:", "Update:", "Q:" are headings or labels, not attributions
MIN_BLOCK_WORDS = 3


def _attribution_start(text: str, colon: int) -> int | None:
    """Where the attribution sentence ending in the colon at ``colon`` starts; None when
    that sentence is no attribution (a heading, a label, the author's own voice)."""
    a = max((e.end() for e in _SENTENCE_END.finditer(text, 0, colon)), default=0)
    intro = text[a : colon + 1]
    if (
        len(intro.split()) < MIN_INTRO_WORDS
        or not SAYING_RE.search(intro)
        or FIRST_PERSON_RE.search(intro)
        or POSTER_HEADER_RE.match(intro)
    ):
        return None
    return a


def reported_attribution(intro: str) -> bool:
    """Whether an attribution sentence (:func:`quote_blocks`' intro, or the line ending a
    passage) reports someone else's words: a reporting verb in the third person or the
    past (``REPORTING_VERB_RE``), no first or second person. Stricter than what opens a
    block: only the words after such a line are flagged quoted for the span head
    (:func:`with_quote_blocks`), and they may lose an own-voice label on its strength."""
    return bool(
        REPORTING_VERB_RE.search(intro)
        and not FIRST_PERSON_RE.search(intro)
        and not SECOND_PERSON_RE.search(intro)
        and not POSTER_HEADER_RE.match(intro.strip())
    )


def ends_with_reported_attribution(text: str) -> bool:
    """:func:`ends_with_attribution`, and that line reports someone else's words
    (:func:`reported_attribution`)."""
    t = text.rstrip()
    if not t.endswith(":"):
        return False
    a = _attribution_start(t, len(t) - 1)
    return a is not None and reported_attribution(t[a:])


def ends_with_attribution(text: str) -> bool:
    """Whether ``text`` (a passage) ends with an attribution line ending in a colon: the
    quoted block was split off into the next passage."""
    t = text.rstrip()
    return t.endswith(":") and _attribution_start(t, len(t) - 1) is not None


def quote_blocks(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """``[((intro_start, intro_end), (block_start, block_end))]``: each attribution
    sentence ending in a colon at the end of a line, with the paragraph after it."""
    out = []
    for m in _COLON_EOL.finditer(text):
        colon = m.start()
        a = _attribution_start(text, colon)
        if a is None:
            continue
        b0 = m.end()
        end = _PARAGRAPH_END.search(text, b0)
        b1 = end.start() if end else len(text)
        while b1 > b0 and text[b1 - 1].isspace():
            b1 -= 1
        if len(text[b0:b1].split()) < MIN_BLOCK_WORDS:
            continue
        out.append(((a, colon + 1), (b0, b1)))
    return out


def first_paragraph(text: str, block: tuple[int, int]) -> tuple[int, int]:
    """``block`` cut at its first line break that ends a paragraph as ingest reads one
    (annotate.ingestion.splitter.paragraphs): the line ends in closing punctuation or the
    next line does not start in lower case (a soft-wrapped sentence runs on). A forum post
    that quotes a speech on one line and adds its own call on the next has no blank line
    between them: the call is not part of the quotation."""
    a, b = block
    at = a
    while (nl := text.find("\n", at, b)) != -1:
        line, nxt = text[at:nl].rstrip(), text[nl + 1 : b].lstrip()
        if line.endswith(_LINE_END_PUNCT) or not nxt[:1].islower():
            end = nl
            while end > a and text[end - 1].isspace():
                end -= 1
            return (a, end) if end > a else block
        at = nl + 1
    return block


def block_ranges(
    text: str, *, follows_attribution: bool = False, reported_only: bool = False
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """``(blocks, intros)``: the quoted blocks of a passage as ``(start, end)`` character
    offsets, in text order, and the attribution sentences that open them.
    ``follows_attribution``: the previous passage of the document ends with an
    attribution line (:func:`ends_with_attribution`), so this passage's first paragraph
    is a quoted block too (its attribution is in the previous passage: no intro here).
    ``reported_only``: only blocks whose intro reports someone else's words
    (:func:`reported_attribution`; the caller checks the previous passage's line)."""
    found = quote_blocks(text)
    if reported_only:
        found = [(i, b) for i, b in found if reported_attribution(text[i[0] : i[1]])]
    intros = [i for i, _ in found]
    blocks = [blk for _, blk in found]
    if follows_attribution:
        end = _PARAGRAPH_END.search(text)
        first = text[: end.start() if end else len(text)]
        a, b = len(first) - len(first.lstrip()), len(first.rstrip())
        if len(text[a:b].split()) >= MIN_BLOCK_WORDS:
            blocks.insert(0, (a, b))
    return blocks, intros


def with_quote_blocks(
    text: str,
    segs: list[Segment],
    *,
    follows_attribution: bool = False,
    follows_reported: bool = False,
) -> tuple[list[Segment], bool]:
    """``segs`` (a passage's candidate segments) with each quoted block added as a
    candidate and the attribution sentences dropped; and whether the passage has such a
    block (an attribution). The block and the segments inside it are flagged quoted only
    when its attribution line reports someone else's words (:func:`reported_attribution`):
    after "Message to the traitors who run this town:" the words are the author's own,
    so the span head reads them unquoted (a segment inside quotation marks stays quoted).
    ``follows_attribution``: the previous passage of the document ends with an
    attribution line (:func:`ends_with_attribution`), so this passage's first paragraph
    is a block; ``follows_reported``: that line reports someone else's words
    (:func:`ends_with_reported_attribution`; implies ``follows_attribution``)."""
    blocks, intros = block_ranges(text, follows_attribution=follows_attribution or follows_reported)
    if not blocks:
        return segs, False
    reported, _ = block_ranges(text, follows_attribution=follows_reported, reported_only=True)
    flags = {(a, b): q for a, b, q in segs}
    out: list[Segment] = [(a, b, (a, b) in reported or flags.get((a, b), False)) for a, b in blocks]
    seen = set(blocks)
    for a, b, quoted in segs:
        if (a, b) in seen or any(ia <= a and b <= ib for ia, ib in intros):
            continue
        out.append((a, b, quoted or inside_quotes(a, b, reported)))
    return out, True


__all__ = [
    "POSTER_HEADER_RE",
    "SAYING_RE",
    "block_ranges",
    "ends_with_attribution",
    "ends_with_reported_attribution",
    "first_paragraph",
    "quote_blocks",
    "reported_attribution",
    "with_quote_blocks",
]
