"""Context features for the encoder-head model, and candidate evidence segments.

A passage is described by its own embedding plus its document context: the mean
embedding of its neighbours (passage_index +-1), the title embedding, the document mean
embedding, and cheap stylistic cues (quoted share, attribution verbs, pronouns,
punctuation) of the passage and of its whole document. The same layout is used at
training and inference; :data:`FEATURES_VERSION` names it in the model file.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotate._util.invisible import Visible
from annotate._util.sentence_stops import CJK_CLOSING, CJK_FULL_STOPS, OTHER_STOPS

FEATURES_VERSION = "context.v2"
BLOCKS = ("passage", "neighbours", "title", "document", "style", "doc_style", "prototypes")

# Quoted material: straight, curly and guillemet double quotes; curly single quotes;
# straight single quotes (British style) opening after no letter and closing before none,
# so that apostrophes (don't, the players' union) open or close nothing.
QUOTE_RE = re.compile(
    r"\"([^\"\n]{2,}?)\"|“([^”\n]{2,}?)”|«([^»\n]{2,}?)»|‘([^’\n]{3,}?)’"
    r"|(?<![\w'])'(?=[^\s'])([^\n]{3,}?)(?<=\S)'(?![\w'])"
)
# a sentence: up to . ! ? or another script's full stop (。！？ । ؟ ...:
# annotate/_util/sentence_stops.py) with its closing quotes or brackets, a newline or the end
SENTENCE_RE = re.compile(
    rf"[^.!?{OTHER_STOPS}\n]+(?:[.!?{OTHER_STOPS}]+[\"”’»){CJK_CLOSING}]*|\n|$)"
)
WORD_RE = re.compile(r"[A-Za-z']+")
ATTRIBUTION_RE = re.compile(
    r"\b(said|says|saying|according to|told|tells|reported|reports|stated|states|"
    r"claimed|claims|wrote|writes|posted|announced|quoted|quoting|urged|urging|"
    r"warned|alleged|allegedly|statement|spokesperson|spokesman|spokeswoman|police|"
    r"officials?|prosecutors?|authorities|investigators|court)\b",
    re.IGNORECASE,
)
FIRST = {"i", "me", "my", "mine", "we", "us", "our", "ours", "i'm", "we're", "we'll", "i'll"}
SECOND = {"you", "your", "yours", "you're", "you'll", "ye"}
THIRD = {"he", "she", "they", "them", "his", "her", "their", "him"}

STYLE_NAMES = (
    "quoted_share",
    "has_quote",
    "attribution_rate",
    "has_attribution",
    "first_person_rate",
    "second_person_rate",
    "third_person_rate",
    "question",
    "exclamation",
    "digit_share",
    "log_length",
    "relative_position",
    "is_first_passage",
    "log_n_passages",
    "has_title",
)


# each opening mark's closing mark and the fewest characters between them (QUOTE_RE)
_PAIRS = {'"': ('"', 2), "“": ("”", 2), "«": ("»", 2), "‘": ("’", 3), "'": ("'", 3)}
_WORD_OR_APOS = re.compile(r"[\w']")
_SPACE = re.compile(r"\s")


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of the insides of quotation marks, whitespace
    stripped, those under 2 characters dropped; the matches of ``QUOTE_RE.finditer`` in
    time linear in ``len(text)`` (the regex's lazy groups rescan a line for each opening
    mark that never closes: ~18 s for 100 KB of them). Raises nothing for any ``str``."""
    n = len(text)
    marks: dict[str, list[int]] = {c: [] for c in ("”", "»", "’", '"')}
    closers: list[int] = []  # straight single quotes that can close (QUOTE_RE's last form)
    opens: list[int] = []
    newlines: list[int] = []
    for i, c in enumerate(text):
        if c == "\n":
            newlines.append(i)
        elif c in marks:
            marks[c].append(i)
        elif (
            c == "'"
            and i > 0
            and not _SPACE.match(text[i - 1])
            and (i + 1 >= n or not _WORD_OR_APOS.match(text[i + 1]))
        ):
            closers.append(i)
        if c in _PAIRS:
            opens.append(i)
    out = []
    pos = 0
    for s in opens:
        if s < pos:
            continue
        c = text[s]
        close, least = _PAIRS[c]
        line_end = _next(newlines, s, n)
        if c == "'":  # opens after no word character, before a non-space; any closer
            if s > 0 and _WORD_OR_APOS.match(text[s - 1]):
                continue
            if s + 1 >= n or _SPACE.match(text[s + 1]) or text[s + 1] == "'":
                continue
            q = _next(closers, s + 1 + least, n)
        else:  # the very next closing mark (the inside holds none)
            q = _next(marks[close], s + 1, n)
            if q < s + 1 + least:
                continue
        if q >= line_end:
            continue
        a, b = _strip(text, s + 1, q)
        if b - a >= 2:
            out.append((a, b))
        pos = q + 1
    return out


def _next(sorted_positions: list[int], at: int, default: int) -> int:
    """The first of ``sorted_positions`` at or after ``at``; ``default`` if none."""
    k = bisect.bisect_left(sorted_positions, at)
    return sorted_positions[k] if k < len(sorted_positions) else default


def sentence_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of ``text``'s sentences, whitespace stripped,
    those under 3 characters dropped: the evidence-span candidates (with quotations,
    :func:`candidate_segments`), the threat grammar's sentences and the sentence examples.
    A sentence ends at ``. ! ?`` or another script's full stop (``。！？ । ؟``:
    :mod:`annotate._util.sentence_stops`) (and closing quotes or brackets), a newline or
    the end of the text, but not at a full stop that :func:`_stop_goes_on` reads as inside a
    sentence: in an e-mail address, a URL, a domain or a number ("mayor.office@city.gov",
    "2.5", "3。5"), after an initial or an abbreviation ("U.S.", "J. Smith", "Mr.", "e.g.").
    Invisible characters (:mod:`annotate._util.invisible`) are not read: "Mr.\u200b
    Smith" goes on, and no range starts or ends with one. Pure function; raises nothing
    for any ``str``."""
    visible = Visible(text)
    if visible.changed:
        return [visible.original(a, b) for a, b in _sentence_ranges(visible.text)]
    return _sentence_ranges(text)


def _sentence_ranges(text: str) -> list[tuple[int, int]]:
    """:func:`sentence_ranges` of a text without invisible characters."""
    out = []
    start = None
    links = _link_ranges(text)
    for m in SENTENCE_RE.finditer(text):
        if start is None:
            start = m.start()
        if _stop_goes_on(text, m, links):
            continue
        a, b = _strip(text, start, m.end())
        start = None
        if b - a >= 3:
            out.append((a, b))
    if start is not None:
        a, b = _strip(text, start, len(text))
        if b - a >= 3:
            out.append((a, b))
    return out


# e-mail addresses and URLs (a trailing full stop, comma or bracket is the sentence's);
# each is looked for only in a text holding its mark ("@", "://" or "www."), and starts
# only where its first character cannot extend it to the left, so a long run of word
# characters is tried once, not from each of its positions
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_RE = re.compile(
    r"(?<![\w.+-])(?:(?:https?|ftp|hxxps?)://|www\.)[^\s<>\"“”]*[^\s<>\"“”.,;:!?)\]'’]",
    re.IGNORECASE,
)
_TOKEN_REACH = 40  # how far back the word before a stop is read (no listed word is longer)
# words written with a full stop that a name or a number follows: never a sentence end
_BEFORE_ANYTHING = {
    "mr", "mrs", "ms", "mx", "dr", "prof", "rev", "hon", "fr", "gen", "col", "lt", "sgt",
    "capt", "cpt", "cmdr", "maj", "adm", "st", "sen", "rep", "gov", "pres", "supt", "insp",
    "det", "messrs", "e.g", "i.e", "eg", "ie", "cf", "vs", "viz", "approx",
}  # fmt: skip
# abbreviations that may also end a sentence: no end before a lower-case word or a digit
_BEFORE_LOWER = {
    "etc", "inc", "ltd", "co", "corp", "dept", "jr", "sr", "ca", "fig", "figs",
    "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "a.m", "p.m", "esp", "incl", "excl", "est", "vol", "vols", "pp", "ed", "eds",
    "govt", "misc", "avg", "sq", "ft", "lb", "lbs", "oz", "yr", "yrs", "hr", "hrs", "mins",
    "secs", "mt", "ave", "blvd", "rd", "tel", "ext", "pt", "pts", "dist", "km",
}  # fmt: skip
# an initial or initials: "J", "U.S", "J.R.R", "e.g" (not "I": "so did I. Then ...")
# "No. 5", but "i said no. he left"
_BEFORE_DIGIT = {"no", "nos", "nr"}
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-HJ-Z]")
_OPENING = "\"'“‘«([{"
_BLANK = " \t\u00a0"
_NEXT_WORD = re.compile(r"[ \t\u00a0]+[\"'“‘«(\[{]*(\w)")  # the next word's first character


def _link_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of the e-mail addresses and URLs of ``text``, sorted, not
    overlapping (a URL holding an address is one range)."""
    found = [m.span() for m in _EMAIL_RE.finditer(text)] if "@" in text else []
    if "://" in text or "www." in text.lower():
        found += [m.span() for m in _URL_RE.finditer(text)]
    out: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _in_link(links: Sequence[tuple[int, int]], dot: int) -> bool:
    """Whether the character after ``dot`` is in the same link as ``dot``."""
    k = bisect.bisect_right(links, (dot, math.inf)) - 1
    return k >= 0 and links[k][0] <= dot and dot + 1 < links[k][1]


def _stop_goes_on(text: str, m: re.Match[str], links: Sequence[tuple[int, int]]) -> bool:
    """Whether the sentence ``m`` (a :data:`SENTENCE_RE` match in ``text``) goes on past
    its end. Only a single full stop can (not ``!``, ``?``, ``...`` or a stop before a
    closing quote); it does inside an e-mail address or URL (``links``), right before a
    lower-case letter or a digit ("city.gov", "2.5", "e.g"), right before a capital that
    makes initials ("U.S.A"), and before a space and a word after an abbreviation or an
    initial: any word after :data:`_BEFORE_ANYTHING` ("Mr. Smith", "e.g. The"), a
    lower-case word or a number after :data:`_BEFORE_LOWER` or initials ("etc. and",
    "U.S. troops"), a number after :data:`_BEFORE_DIGIT` ("No. 5"), a capital after
    initials ("J. Smith", "U.S. Army"; not "a.m."/"p.m."). "was going on.Its pretty
    shocking", "... at 5 p.m. Police" and "i said no. he left" end there."""
    end = m.end()
    group = m.group()
    if end >= len(text):
        return False
    if links and _in_link(links, end - 1):
        return True  # a stop, "?" or "!" inside an address or URL
    if group[-1] in CJK_FULL_STOPS and text[end].isdigit() and group[-2:-1].isdigit():
        return True  # a CJK input method's decimal point ("3。5", "３．５")
    if not group.endswith(".") or (len(group) > 1 and group[-2] in ".!?"):
        return False
    dot = end - 1
    # the word before the stop, with the stops inside it ("U.S" of "U.S.")
    before = text[max(0, dot - _TOKEN_REACH) : dot].rsplit(None, 1)
    token = before[-1].lstrip(_OPENING) if before else ""
    if not token:
        return False
    nxt = text[end]
    if not nxt.isspace():
        if nxt.isdigit() or nxt.islower():
            return True
        return nxt.isupper() and bool(_INITIALS.fullmatch(f"{token}.{nxt}"))
    if nxt not in _BLANK:
        return False  # a newline ends the sentence
    after = _NEXT_WORD.match(text, end)
    if not after:
        return False
    rest = after.group(1)
    name = token.lower()
    if name in _BEFORE_ANYTHING:
        return True
    initials = bool(_INITIALS.fullmatch(token))
    if rest.isdigit() and name in _BEFORE_DIGIT:
        return True
    if rest.isdigit() or rest.islower():
        return name in _BEFORE_LOWER or initials
    return rest.isupper() and initials and name not in ("a.m", "p.m")


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def candidate_segments(text: str) -> list[tuple[int, int, bool]]:
    """Candidate evidence spans: quotations (flag True) and sentences (flag False)."""
    quotes = quote_ranges(text)
    seen = set()
    out: list[tuple[int, int, bool]] = []
    for a, b in quotes:
        if (a, b) not in seen:
            seen.add((a, b))
            out.append((a, b, True))
    for a, b in sentence_ranges(text):
        if (a, b) not in seen:
            seen.add((a, b))
            out.append((a, b, inside_quotes(a, b, quotes)))
    return out


def inside_quotes(a: int, b: int, quotes: Sequence[tuple[int, int]]) -> bool:
    return any(qa <= a + 1 and b - 1 <= qb for qa, qb in quotes)


def style_vector(text: str) -> np.ndarray:
    """The passage-level stylistic cues (first 11 of STYLE_NAMES)."""
    n = max(len(text), 1)
    quotes = quote_ranges(text)
    quoted = sum(b - a for a, b in quotes)
    words = [w.lower() for w in WORD_RE.findall(text)]
    nw = max(len(words), 1)
    attrib = len(ATTRIBUTION_RE.findall(text))
    return np.array(
        [
            min(quoted / n, 1.0),
            float(bool(quotes)),
            min(attrib / nw * 10, 1.0),
            float(attrib > 0),
            min(sum(w in FIRST for w in words) / nw * 10, 1.0),
            min(sum(w in SECOND for w in words) / nw * 10, 1.0),
            min(sum(w in THIRD for w in words) / nw * 10, 1.0),
            float("?" in text),
            float("!" in text),
            sum(c.isdigit() for c in text) / n,
            math.log1p(len(text)) / 8,
        ],
        dtype=np.float32,
    )


@dataclass
class DocPassage:
    """What the feature builder needs of one passage."""

    text: str
    doc_key: str
    index: int  # position in its document, in order
    title: str | None


def feature_dim(dim: int, n_proto_labels: int = 0) -> int:
    return 4 * dim + 2 * len(STYLE_NAMES) + 2 * n_proto_labels


@dataclass
class Prototypes:
    """Embeddings of each category's definition, inclusions and examples (labels.yaml at
    training time, stored with the model): the passage's max and mean cosine similarity
    to each category's texts are features, a prior that reaches phrasings the labeled
    data lacks."""

    emb: np.ndarray  # (P, dim), L2-normalised
    label: np.ndarray  # (P,) category index of each prototype text
    n_labels: int

    def similarities(self, x: np.ndarray) -> np.ndarray:
        sims = x @ self.emb.T
        out = np.zeros((len(x), 2 * self.n_labels), dtype=np.float32)
        for k in range(self.n_labels):
            sel = self.label == k
            if sel.any():
                out[:, 2 * k] = sims[:, sel].max(1)
                out[:, 2 * k + 1] = sims[:, sel].mean(1)
        return out


def prototype_texts(tax: object) -> list[tuple[int, str]]:
    """(category index, text) pairs from the taxonomy's definitions and examples."""
    out = []
    for k, cat in enumerate(tax.categories):  # type: ignore[attr-defined]
        out.append((k, cat.definition))
        out.extend((k, inc) for inc in cat.includes)
        out.extend((k, ex.text) for ex in cat.examples if cat.name in ex.labels)
    return out


def build_features(
    passages: Sequence[DocPassage],
    emb: np.ndarray,
    title_emb: dict[str, np.ndarray],
    prototypes: Prototypes | None = None,
) -> np.ndarray:
    """Feature matrix (n, 4*dim + 2*n_style) for passages grouped by ``doc_key``.

    ``emb`` holds the passage embeddings in the order of ``passages``; ``title_emb``
    maps a title string to its embedding. A document is all passages sharing a key;
    neighbours are the passages at index +-1 within it.
    """
    n, dim = emb.shape
    docs: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        docs.setdefault(p.doc_key, []).append(i)
    style = np.stack([style_vector(p.text) for p in passages]) if n else np.zeros((0, 11))
    n_style = len(STYLE_NAMES)
    n_proto = prototypes.n_labels if prototypes is not None else 0
    out = np.zeros((n, feature_dim(dim, n_proto)), dtype=np.float32)
    if prototypes is not None and n:
        out[:, feature_dim(dim) :] = prototypes.similarities(emb)
    for members in docs.values():
        members = sorted(members, key=lambda i: passages[i].index)
        doc_mean = emb[members].mean(0)
        norm = np.linalg.norm(doc_mean)
        doc_mean = doc_mean / norm if norm > 0 else doc_mean
        k = len(members)
        pos_extra = np.zeros((k, 4), dtype=np.float32)
        for j, i in enumerate(members):
            pos_extra[j] = [
                j / max(k - 1, 1),
                float(j == 0),
                math.log1p(k) / 4,
                float(bool(passages[i].title)),
            ]
        st = np.concatenate([style[members], pos_extra], axis=1)
        doc_style = st.mean(0)
        for j, i in enumerate(members):
            nb = [members[m] for m in (j - 1, j + 1) if 0 <= m < k]
            nb_mean = emb[nb].mean(0) if nb else np.zeros(dim, dtype=np.float32)
            title = passages[i].title
            t = title_emb.get(title) if title else None
            out[i, 0:dim] = emb[i]
            out[i, dim : 2 * dim] = nb_mean
            out[i, 2 * dim : 3 * dim] = t if t is not None else 0.0
            out[i, 3 * dim : 4 * dim] = doc_mean
            out[i, 4 * dim : 4 * dim + n_style] = st[j]
            out[i, 4 * dim + n_style : 4 * dim + 2 * n_style] = doc_style
    return out


def solo_features(x: np.ndarray, dim: int) -> np.ndarray:
    """The features of the same passages as if each stood alone: no neighbours, no
    title, the document is the passage itself (what :func:`build_features` gives a
    one-passage untitled document). The passage-only head reads these, so one reply in
    a thread is judged on its own words as well as in its context."""
    out = x.copy()
    n_style = len(STYLE_NAMES)
    out[:, dim : 3 * dim] = 0.0
    out[:, 3 * dim : 4 * dim] = x[:, :dim]
    st = out[:, 4 * dim : 4 * dim + n_style]
    st[:, 11:15] = [0.0, 1.0, math.log1p(1) / 4, 0.0]
    out[:, 4 * dim + n_style : 4 * dim + 2 * n_style] = st
    return out


SPAN_EXTRA = ("in_quotes", "share_of_passage", "is_whole_passage")


def span_feature_dim(dim: int) -> int:
    return 2 * dim + len(SPAN_EXTRA) + len(STYLE_NAMES)


def build_span_features(
    seg_emb: np.ndarray,
    segments: Sequence[tuple[int, int, bool]],
    text: str,
    passage_features: np.ndarray,
    dim: int,
) -> np.ndarray:
    """Features of candidate segments of one passage: segment embedding, document mean
    embedding, where the segment sits (quoted? share of passage) and passage style."""
    k = len(segments)
    out = np.zeros((k, span_feature_dim(dim)), dtype=np.float32)
    if k == 0:
        return out
    n = max(len(text.strip()), 1)
    doc_mean = passage_features[3 * dim : 4 * dim]
    style = passage_features[4 * dim : 4 * dim + len(STYLE_NAMES)]
    for j, (a, b, quoted) in enumerate(segments):
        share = (b - a) / n
        out[j, :dim] = seg_emb[j]
        out[j, dim : 2 * dim] = doc_mean
        out[j, 2 * dim : 2 * dim + 3] = [float(quoted), min(share, 1.0), float(share > 0.9)]
        out[j, 2 * dim + 3 :] = style
    return out
