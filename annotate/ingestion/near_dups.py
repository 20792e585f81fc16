"""Near-duplicate passages across documents: MinHash LSH candidates, checked exactly,
with the band index on disk.

A passage's text becomes a set of shingles (:func:`shingles`: lower-cased word 3-grams;
character 3-grams of Chinese and Japanese, 5-grams of Thai, Lao, Khmer or Myanmar,
scripts written without spaces; a text too short for one shingle is one) and a MinHash
signature of ``NUM_PERM`` permutations (``datasketch.MinHash``). As in
``datasketch.MinHashLSH``, the signature is cut into ``b`` bands of ``r`` rows; two
passages that agree on all rows of any band are candidates. The bands are chosen for
recall (:func:`bands_for`): a pair at exactly the Jaccard ``threshold`` becomes a
candidate with probability at least :data:`CANDIDATE_RECALL` (0.99), higher above it.
Each candidate pair of two documents is then checked exactly: it is linked when the
Jaccard similarity of its two shingle sets reaches the threshold. So a pair above the
threshold is missed less than 1 time in 100, and no pair below it is linked
(datasketch's own optimum for 0.8, 5 bands of 11 rows, made candidates of only 60 % of
the pairs at 0.85 and of 10 % at 0.7, unchecked).

Unlike ``MinHashLSH``, whose in-memory index costs about 4 KB per passage (12 bands), the band
hashes (``b`` 64-bit integers per passage) and the texts of the signed passages go to
DuckDB tables in a temporary directory, which spill to disk beyond their memory limit;
Python holds one chunk of signatures, or of candidate pairs, at a time. So memory stays
bounded as the corpus grows: disk grows by about ``8 * (b + 2)`` bytes plus the text per
passage.

Groups: linked passages form a group (connected components, found by label propagation
in SQL). A grouped passage gets ``near_dup_group``: the id of the first passage (input
order) of its group; a passage without a near-duplicate in another document gets none.
Passages of one document are never linked to each other (they share a split anyway).
Candidate pairs: every pair of passages of two documents that share a band bucket; in a
bucket of more than :data:`PAIR_BUCKET` passages (many copies of one text), each passage
is paired with the bucket's first passage only, so the pairs stay linear in the corpus,
and the passages of the first one's own document with the bucket's first passage of
another document (they were paired with nothing: a copy kept in the first passage's
document went ungrouped whatever its copies elsewhere). Two copies that are both far
from a large bucket's first passage (Jaccard under the threshold) still meet only in
another band's bucket; they miss each other only when every band they share is such a
bucket (none lost in a cluster of 120 one-word edits of a text beside such a pair,
``tests/test_near_dups.py``).

Start-up cost: importing datasketch imports ``scipy.integrate`` (its package imports
``datasketch.lsh``, which imports it at module level for ``_optimal_param``): about a
second of a CLI command. So datasketch is imported only when passages are signed, and
they are signed only once a second document comes (passages of one document alone are
never grouped: until then they wait, unsigned, in the scratch database).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb
import numpy as np

from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD
from annotate.errors import InputError
from annotate.ingestion.scratch import (
    GROUP_MEMORY_LIMITS,
    MEMORY_ENV,
    insert,
    scratch_database,
    strings,
)

log = logging.getLogger(__name__)

NUM_PERM = 64
DEFAULT_THRESHOLD = DEFAULT_NEAR_DUP_THRESHOLD
PROBE_PASSAGES = 25_000  # new passages probed against the band index at a time
# a signature of more bands than this (a low threshold: up to 64) probes fewer passages
# at a time, as many band rows as PROBE_PASSAGES of this many bands: 25,000 passages of
# 64 bands outgrew the probe's memory (break12 M1)
PROBE_BANDS = 12
UNSIGNED_CHUNK = 5_000  # waiting passages (one document's) signed at a time
SHINGLE_WORDS = 3
# Scripts written without spaces between words: a shingle spans this many of their
# characters instead of SHINGLE_WORDS words. Han and kana carry a word in one or two
# characters: 3 (a one-character edit of a 40-character post moves the Jaccard about as
# far as a one-word edit of a 40-word one). Thai, Lao, Khmer, Myanmar and the other
# Brahmic scripts of South-East Asia spell a word in about four code points, vowel and
# tone marks included: 5.
CJK_CHARS = 3
SEA_CHARS = 5
_CJK_BLOCKS = (  # (first, last) code points
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31FF),  # Bopomofo Extended, Katakana Phonetic Extensions
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xA000, 0xA4CF),  # Yi
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x1B000, 0x1B16F),  # Kana Supplement and Extensions
)
_CJK_PLANES = (0x20000, 0x323AF)  # Extensions B-H, Compatibility Supplement: all letters
_SEA_BLOCKS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x1950, 0x19FF),  # Tai Le, New Tai Lue, Khmer Symbols
    (0x1A20, 0x1AAF),  # Tai Tham
    (0x1B00, 0x1B7F),  # Balinese
    (0xA980, 0xA9FF),  # Javanese, Myanmar Extended-B
    (0xAA60, 0xAADF),  # Myanmar Extended-A, Tai Viet
)
_WORD = re.compile(r"\w+", re.UNICODE)


def _char_class(points: Sequence[int]) -> str:
    """The body of a regular-expression character class of the sorted code ``points``."""
    out = []
    start = prev = points[0]
    for p in [*points[1:], -2]:
        if p != prev + 1:
            out.append(re.escape(chr(start)))
            if prev != start:
                out.append("-" + re.escape(chr(prev)))
            start = p
        prev = p
    return "".join(out)


@functools.cache
def _units_pattern() -> re.Pattern[str]:
    """Units of a text that is not all ASCII: a run of CJK characters (group 1), a run
    of South-East Asian ones (group 2), or a word of any other script with its combining
    marks (``\\w`` alone cuts नमस्ते or a Thai word at each vowel sign: marks, not letters).
    In the blocks of ``_CJK_BLOCKS`` and ``_SEA_BLOCKS`` only letters, marks and digits
    are characters (punctuation such as ・ or ๚ is not). Built on first use from the
    Unicode database (under 0.1 s)."""
    kind: dict[int, list[int]] = {}
    cjk: list[int] = []
    sea: list[int] = []
    marks: list[int] = []
    for blocks, out in ((_CJK_BLOCKS, cjk), (_SEA_BLOCKS, sea)):
        for lo, hi in blocks:
            kind.update(dict.fromkeys(range(lo, hi + 1), out))
    for p in [*range(0x20000), *range(0xE0100, 0xE01F0)]:  # variation selectors
        category = unicodedata.category(chr(p))[0]
        out = kind.get(p)
        if out is not None:
            if category in "LMN":
                out.append(p)
        elif category == "M":
            marks.append(p)
    spaced_out = "".join(
        re.escape(chr(lo)) + "-" + re.escape(chr(hi))
        for lo, hi in (*_CJK_BLOCKS, _CJK_PLANES, *_SEA_BLOCKS)
    )
    planes = f"{re.escape(chr(_CJK_PLANES[0]))}-{re.escape(chr(_CJK_PLANES[1]))}"
    return re.compile(
        f"([{_char_class(cjk)}{planes}]+)|([{_char_class(sea)}]+)"
        f"|[^\\W{spaced_out}](?:[^\\W{spaced_out}]|[{_char_class(marks)}])*"
    )


@functools.cache
def _ignored() -> re.Pattern[str]:
    """A pattern of what does not change how a text reads, which :func:`_folded` drops: format
    characters (category Cf: zero-width space, joiner and non-joiner, soft hyphen, word
    joiner, the tags of flag sequences), variation selectors (U+FE00-FE0F, the emoji
    presentation selector U+FE0F after ❤ or ✔ among them; Mongolian U+180B-180D, 180F;
    the ideographic ones U+E0100-E01EF) and enclosing marks (category Me: the keycap of
    1️⃣). Built on first use from the Unicode database."""
    dropped = {*range(0xFE00, 0xFE10), *range(0x180B, 0x180E), 0x180F, *range(0xE0100, 0xE01F0)}
    for p in [*range(0x20000), *range(0xE0000, 0xE0080)]:
        if unicodedata.category(chr(p)) in ("Cf", "Me"):
            dropped.add(p)
    return re.compile(f"[{_char_class(sorted(dropped))}]+")


def _folded(text: str) -> str:
    """``text`` (not all ASCII) as :func:`shingles` compares it: without the characters of
    :func:`_ignored`, then NFKC-normalised (compatibility forms folded: full-width
    Ｌａｔｉｎ and digits, half-width ｶﾀｶﾅ, ligatures; the same letters composed or
    decomposed, as NFC and NFD write them, alike)."""
    return unicodedata.normalize("NFKC", _ignored().sub("", text))


# a shingle is full when its units' weights reach _FULL: a word 1/3, a CJK character 1/3,
# a South-East Asian one 1/5 (integers, in fifteenths)
_FULL = 15
_WORD_WEIGHT = _FULL // SHINGLE_WORDS
_CJK_WEIGHT = _FULL // CJK_CHARS
_SEA_WEIGHT = _FULL // SEA_CHARS


def _units(text: str) -> tuple[list[str], list[int]]:
    """The units of lower-cased ``text`` that is not all ASCII, and their weights (see
    :func:`shingles`)."""
    units: list[str] = []
    weights: list[int] = []
    for m in _units_pattern().finditer(text):
        run = m.group()
        if m.group(1) or m.group(2):  # a run of unspaced characters: each is a unit
            units += run
            weights += [_CJK_WEIGHT if m.group(1) else _SEA_WEIGHT] * len(run)
        else:
            units.append(run)
            weights.append(_WORD_WEIGHT)
    return units, weights


def _ngrams(units: list[str], n: int) -> list[bytes]:
    if len(units) < n:
        return [" ".join(units).encode()]
    return [" ".join(units[i : i + n]).encode() for i in range(len(units) - n + 1)]


def shingles(text: str) -> list[bytes]:
    """The shingles of ``text``, lower-cased: word 3-grams of a text in scripts written
    with spaces; in scripts written without (:data:`_CJK_BLOCKS`: Chinese, Japanese;
    :data:`_SEA_BLOCKS`: Thai, Lao, Khmer, Myanmar ...) each character is a unit and a
    shingle spans 3 CJK characters or 5 South-East Asian ones; in a mixed text, a
    shingle starts at each unit and spans as many of the following units as make up one
    full shingle (three words, two words and a CJK character, ...). A text too short for
    one full shingle is one shingle: all its units in order (so two short texts match
    only when their words are the same, in the same order). A text without a letter or
    digit is its own shingle. Units are joined by a space.

    Text that is not all ASCII is compared folded (:func:`_folded`): NFKC-normalised, without
    format characters, variation selectors and enclosing marks, so ❤️ and ❤, 1️⃣ and 1,
    ｋｉｌｌ and kill, ｶﾀｶﾅ and カタカナ, and a text in NFC and in NFD give the same
    shingles. A combining mark belongs to the word it follows; one with no letter or
    digit before it (after an emoji or a space) is no unit. The passage's text itself is
    never changed: only its shingles."""
    if not text.isascii():
        text = _folded(text)
    text = text.lower()
    if text.isascii():
        words = _WORD.findall(text)
        return _ngrams(words, SHINGLE_WORDS) if words else [text.encode()]
    units, weights = _units(text)
    if not units:
        return [text.encode()]
    if min(weights) == max(weights):  # one kind of unit: n-grams of them
        n = _FULL // weights[0]
        if weights[0] == _WORD_WEIGHT or len(units) < n:
            return _ngrams(units, n)
        spaced = " ".join(units)  # characters: each shingle a slice of 2n - 1
        return [spaced[2 * i : 2 * i + 2 * n - 1].encode() for i in range(len(units) - n + 1)]
    out = []
    end = total = 0  # the window units[i:end] weighs total
    for i in range(len(units)):
        while total < _FULL and end < len(units):
            total += weights[end]
            end += 1
        if total < _FULL:
            break  # the rest is shorter than a full shingle (covered by the last one)
        out.append(" ".join(units[i:end]).encode())
        total -= weights[i]
    return out or [" ".join(units).encode()]


CANDIDATE_RECALL = 0.99  # least chance that a pair at the threshold becomes a candidate
PAIR_BUCKET = 32  # buckets of more passages pair each with one or two anchors
PAIR_CHUNK = 2_000  # candidate pairs checked at a time


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """The chance that two sets of Jaccard ``similarity`` share at least one of ``bands``
    bands of ``rows`` MinHash rows: 1 - (1 - s**r)**b (Leskovec, Rajaraman and Ullman,
    Mining of Massive Datasets, ch. 3.4; datasketch's ``_optimal_param`` integrates it)."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def check_threshold(threshold: float) -> None:
    """Raises InputError unless 0 < threshold < 1 (cheap: imports nothing)."""
    if not 0.0 < threshold < 1.0:
        raise InputError(
            f"the near-duplicate threshold must be between 0 and 1 (exclusive), found {threshold}.",
            fix=f"--near-dup-threshold {DEFAULT_THRESHOLD}",
        )


def bands_for(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) of the candidate search for a Jaccard ``threshold`` over
    NUM_PERM permutations: the most rows per band (fewest chance candidates, which the
    exact check discards) such that a pair at the threshold is a candidate with
    probability at least CANDIDATE_RECALL, with as many bands as the permutations allow.
    For 0.8: 12 bands of 5 rows (0.991 at 0.8, 0.998 at 0.84; 0.32 at 0.5). Cheap:
    imports nothing.

    Raises InputError unless 0 < threshold < 1.
    """
    check_threshold(threshold)
    for rows in range(NUM_PERM, 0, -1):
        bands = NUM_PERM // rows
        if candidate_probability(threshold, bands, rows) >= CANDIDATE_RECALL:
            return bands, rows
    return NUM_PERM, 1  # below about 0.07 even one row per band falls short: the most


def jaccard(a: str, b: str) -> float:
    """The Jaccard similarity of the shingle sets of ``a`` and ``b``."""
    x, y = set(shingles(a)), set(shingles(b))
    return len(x & y) / len(x | y) if x or y else 1.0


def band_hashes(texts: Sequence[str], bands: int, rows: int) -> np.ndarray:
    """(len(texts), bands) int64: a hash of each band of each text's MinHash signature."""
    from datasketch import MinHash  # imports scipy (see the module's docstring)

    # one text's shingles at a time (a 700-character Chinese passage has 700 of them)
    signatures = MinHash.generator((shingles(t) for t in texts), num_perm=NUM_PERM)
    out = np.empty((len(texts), bands), dtype=np.int64)
    for i, m in enumerate(signatures):
        values = np.asarray(m.hashvalues, dtype=np.uint64)
        for b in range(bands):
            digest = hashlib.blake2b(
                values[b * rows : (b + 1) * rows].tobytes(), digest_size=8, person=bytes([b])
            ).digest()
            out[i, b] = int.from_bytes(digest, "little", signed=True)
    return out


class _Roomy:
    """Runs statements at the scratch database's memory limit; one that runs out of
    memory runs again with ``GROUP_MEMORY_LIMIT``, and the next of
    ``GROUP_MEMORY_LIMITS`` each time it runs out again (the raised limit kept from then
    on). Grouping joins grow with the candidates (passages sharing a bucket), which a
    corpus full of near-duplicates, or a low threshold, has many of; the low limit keeps
    DuckDB from caching the scanned index in memory when they are few."""

    def __init__(self, db: duckdb.DuckDBPyConnection) -> None:
        self.db = db
        self._raised = 0  # how many of GROUP_MEMORY_LIMITS were set

    def execute(self, sql: str, params: list[object] | None = None) -> duckdb.DuckDBPyConnection:
        while True:
            try:
                return self.db.execute(sql, params)
            except duckdb.OutOfMemoryException:
                if os.environ.get(MEMORY_ENV, "").strip():
                    raise  # the user's own limit is kept: the CLI says how to raise it
                if self._raised >= len(GROUP_MEMORY_LIMITS):
                    raise  # bounded: the CLI says how to raise it further
                limit = GROUP_MEMORY_LIMITS[self._raised]
                self._raised += 1
                log.info("near-duplicate grouping: memory limit raised to %s", limit)
                self.db.execute(f"SET memory_limit = '{limit}'")


class NearDupIndex:
    """Band hashes of every passage in a DuckDB table; groups once all are added.

    Passages are signed (MinHash, band hashes) once they come from two documents or
    more: until a second document comes, the first one's passages wait unsigned in the
    table ``unsigned`` (on disk beyond the memory limit), and an index that only ever
    sees one document signs nothing and imports no datasketch. The groups are the same
    either way (a passage's key is its place in input order, whenever it is signed)."""

    def __init__(self, db: duckdb.DuckDBPyConnection, threshold: float) -> None:
        check_threshold(threshold)
        self.db = db
        self._roomy = _Roomy(db)  # the probes' and grouping's, raised once for all
        self.threshold = threshold
        self._shape: tuple[int, int] | None = None  # (bands, rows), when first needed
        self.count = 0
        db.execute("CREATE TABLE bands (key BIGINT, doc BIGINT, band INTEGER, h BIGINT)")
        db.execute("CREATE TABLE ids (key BIGINT, id VARCHAR)")
        # the signed passages' texts, for the exact check of candidate pairs
        db.execute("CREATE TABLE texts (key BIGINT, text VARCHAR)")
        # buckets (band, h) holding two passages or more: found chunk by chunk, each
        # chunk probed against the rows before it, so no query holds the whole index
        db.execute("CREATE TABLE hits (band INTEGER, h BIGINT)")
        # the first document's passages (keys 0 .. unsigned-1) until a second one comes
        db.execute("CREATE TABLE unsigned (key BIGINT, doc BIGINT, text VARCHAR)")
        self._unsigned = 0
        # rows not yet probed against the index, probed together (fewer scans of it)
        self._new_pending()
        self._doc_count = 0
        self._last_doc: str | None = None

    @property
    def bands(self) -> int:
        """Bands per signature (:func:`bands_for` of the threshold)."""
        return self._bands_rows()[0]

    @property
    def rows(self) -> int:
        """Rows (permutations) per band."""
        return self._bands_rows()[1]

    def _bands_rows(self) -> tuple[int, int]:
        if self._shape is None:
            self._shape = bands_for(self.threshold)
        return self._shape

    def add(self, ids: Sequence[str], doc_ids: Sequence[str], texts: Sequence[str]) -> None:
        """Add a chunk of passages (input order)."""
        if not ids:
            return
        docs = np.array([self._doc_ordinal(d) for d in doc_ids], dtype=np.int64)
        keys = np.arange(self.count, self.count + len(ids), dtype=np.int64)
        insert(self.db, "ids", {"key": keys, "id": strings(ids)})
        self.count += len(ids)
        if self._doc_count < 2:  # one document so far: nothing to compare its passages with
            insert(self.db, "unsigned", {"key": keys, "doc": docs, "text": strings(texts)})
            self._unsigned += len(ids)
            return
        self._sign_unsigned()
        insert(self.db, "texts", {"key": keys, "text": strings(texts)})
        self._add_hashes(keys, docs, band_hashes(texts, self.bands, self.rows))

    def _sign_unsigned(self) -> None:
        """Sign and index the passages that waited for a second document, in key order."""
        for start in range(0, self._unsigned, UNSIGNED_CHUNK):
            rows = self.db.execute(
                "SELECT key, doc, text FROM unsigned WHERE key >= ? AND key < ? ORDER BY key",
                [start, start + UNSIGNED_CHUNK],
            ).fetchall()
            keys = np.array([r[0] for r in rows], dtype=np.int64)
            docs = np.array([r[1] for r in rows], dtype=np.int64)
            self._add_hashes(keys, docs, band_hashes([r[2] for r in rows], self.bands, self.rows))
        if self._unsigned:
            self.db.execute("INSERT INTO texts SELECT key, text FROM unsigned")
            self.db.execute("DELETE FROM unsigned")
            self._unsigned = 0

    def _add_hashes(self, keys: np.ndarray, docs: np.ndarray, hashes: np.ndarray) -> None:
        """Index a chunk: ``keys`` and ``docs`` (n,) its keys and document ordinals,
        ``hashes`` (n, bands) int64."""
        table = {
            "key": np.repeat(keys, self.bands),
            "doc": np.repeat(docs, self.bands),
            "band": np.tile(np.arange(self.bands, dtype=np.int32), len(keys)),
            "h": hashes.reshape(-1),
        }
        insert(self.db, "pending", table)
        self._pending += len(keys)
        if self._pending >= max(1, PROBE_PASSAGES * PROBE_BANDS // max(self.bands, PROBE_BANDS)):
            self._probe()

    def _probe(self) -> None:
        """Record the buckets the pending rows share with the index or among themselves,
        then move them into the index. The pending rows are the small side of the join:
        DuckDB hashes them and streams the index; with the grouping's memory raise
        (:class:`_Roomy`) should a chunk's buckets outgrow the probe's limit."""
        self._roomy.execute(
            "INSERT INTO hits SELECT DISTINCT band, h FROM ("
            " SELECT p.band, p.h FROM bands b JOIN pending p USING (band, h)"
            " UNION ALL SELECT band, h FROM pending GROUP BY band, h HAVING count(*) > 1)"
        )
        self.db.execute("INSERT INTO bands SELECT * FROM pending")
        self._new_pending()

    def _new_pending(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS pending")
        self.db.execute("CREATE TABLE pending (key BIGINT, doc BIGINT, band INTEGER, h BIGINT)")
        self._pending = 0

    def new_run(self) -> None:
        """The passages added from now on come from another ingest run: a document id
        seen just before is a new document (an edited file re-ingested is compared with
        its earlier version)."""
        self._last_doc = None

    def _doc_ordinal(self, doc_id: str) -> int:
        # ingest yields a document's passages together: a new id is a new document
        if doc_id != self._last_doc:
            self._doc_count += 1
            self._last_doc = doc_id
        return self._doc_count

    def group(self) -> int:
        """Find the groups; returns how many passages have a near-duplicate elsewhere."""
        self._probe()
        db = self._roomy
        # buckets spanning two documents; materialised first, so DuckDB knows they are
        # few and hashes them, not the index
        db.execute(
            """
            CREATE TABLE multi AS
            SELECT band, h, min(key) AS first, arg_min(doc, key) AS first_doc, count(*) AS n
            FROM bands SEMI JOIN (SELECT DISTINCT band, h FROM hits) USING (band, h)
            GROUP BY band, h HAVING min(doc) <> max(doc)
            """
        )
        db.execute(
            "CREATE TABLE members AS SELECT b.key, b.doc, m.band, m.h, m.n, m.first, m.first_doc "
            "FROM bands b JOIN multi m USING (band, h)"
        )
        # a large bucket's second anchor: its first passage of another document than
        # its first passage's (the first's own document's passages pair with it)
        db.execute(
            f"""
            CREATE TABLE seconds AS
            SELECT band, h, min(key) AS second FROM members
            WHERE n > {PAIR_BUCKET} AND doc <> first_doc GROUP BY band, h
            """
        )
        # candidate pairs (a < b) of two documents: all pairs of a small bucket; in a
        # large bucket each passage with the first one, or with the second anchor when
        # it shares the first one's document
        db.execute(
            f"""
            CREATE TABLE candidates AS
            SELECT x.key AS a, y.key AS b FROM members x JOIN members y USING (band, h)
            WHERE x.n <= {PAIR_BUCKET} AND x.key < y.key AND x.doc <> y.doc
            UNION
            SELECT first, key FROM members
            WHERE n > {PAIR_BUCKET} AND key <> first AND doc <> first_doc
            UNION
            SELECT least(m.key, s.second), greatest(m.key, s.second)
            FROM members m JOIN seconds s USING (band, h)
            WHERE m.n > {PAIR_BUCKET} AND m.doc = m.first_doc
            """
        )
        self._check_candidates(db)
        db.execute("CREATE TABLE edge2 AS SELECT a, b FROM linked UNION SELECT b, a FROM linked")
        db.execute("CREATE TABLE label AS SELECT DISTINCT a AS key, a AS rep FROM edge2")
        while True:  # label propagation: each node takes the smallest label of its neighbours
            db.execute(
                """
                CREATE OR REPLACE TABLE next AS
                SELECT l.key, least(l.rep, coalesce(min(n.rep), l.rep)) AS rep
                FROM label l LEFT JOIN edge2 e ON e.a = l.key LEFT JOIN label n ON n.key = e.b
                GROUP BY l.key, l.rep
                """
            )
            changed = db.execute(
                "SELECT count(*) FROM next JOIN label USING (key) WHERE next.rep <> label.rep"
            ).fetchall()[0]
            db.execute("CREATE OR REPLACE TABLE label AS SELECT * FROM next")
            if not changed or not changed[0]:
                break
        db.execute(
            "CREATE TABLE groups AS SELECT l.key, i.id AS group_id FROM label l "
            "JOIN ids i ON i.key = l.rep"
        )
        return int(db.execute("SELECT count(*) FROM groups").fetchall()[0][0])

    def _check_candidates(self, db: _Roomy) -> None:
        """Table ``linked (a, b)``: the candidate pairs whose exact Jaccard similarity
        reaches the threshold, checked PAIR_CHUNK pairs at a time."""
        db.execute("CREATE TABLE linked (a BIGINT, b BIGINT)")
        total = int(db.execute("SELECT count(*) FROM candidates").fetchall()[0][0])
        db.execute(
            "CREATE TABLE pairs AS SELECT row_number() OVER () - 1 AS i, a, b FROM candidates"
        )
        kept = 0
        for start in range(0, total, PAIR_CHUNK):
            rows = db.execute(
                "SELECT p.a, p.b, x.text, y.text FROM pairs p "
                "JOIN texts x ON x.key = p.a JOIN texts y ON y.key = p.b "
                "WHERE p.i >= ? AND p.i < ?",
                [start, start + PAIR_CHUNK],
            ).fetchall()
            good = [(a, b) for a, b, x, y in rows if jaccard(x, y) >= self.threshold]
            if good:
                insert(
                    self.db,
                    "linked",
                    {
                        "a": np.array([g[0] for g in good], dtype=np.int64),
                        "b": np.array([g[1] for g in good], dtype=np.int64),
                    },
                )
                kept += len(good)
        log.debug(
            "near-duplicate search: %d of %d candidate pairs reach the threshold", kept, total
        )

    def linked_to_earlier(self, prior: int) -> int:
        """After :meth:`group`: how many passages with key ``prior`` or above (this run's)
        are in a group whose first passage has a key below ``prior`` (an earlier run's,
        read by ``ingest --previous``)."""
        if not prior:
            return 0
        found = self.db.execute(
            "SELECT count(*) FROM label WHERE key >= ? AND rep < ?", [prior, prior]
        ).fetchall()
        return int(found[0][0])

    def groups_of(self, start: int, size: int) -> dict[int, str]:
        """key -> group id for the grouped passages among keys ``start`` .. ``start+size-1``."""
        rows = self.db.execute(
            "SELECT key, group_id FROM groups WHERE key >= ? AND key < ?", [start, start + size]
        ).fetchall()
        return {int(k): str(g) for k, g in rows}


@contextmanager
def near_dup_index(threshold: float = DEFAULT_THRESHOLD) -> Iterator[NearDupIndex]:
    """A fresh index in its own scratch database, removed afterwards."""
    with scratch_database() as db:
        yield NearDupIndex(db, threshold)
