"""What ingest has already seen, kept on disk: exact-duplicate digests and document ids.

Two checks need the whole corpus read so far: is this passage's text a duplicate of an
earlier one, and was this document id already used (by another input, or by another row
of the same table). Both are asked a
chunk of passages or documents at a time against tables of the scratch database
(:mod:`annotate.ingestion.scratch`), so Python holds one chunk, not the corpus. Answers
are those of a sequential check in input order: the first of equal texts is the one
kept, and the first row to use an id is the one named in the error.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence

import duckdb
import numpy as np

from annotate._util.passage_ids import duplicate_digest as duplicate_digest  # re-exported
from annotate._util.passage_ids import text_digest as text_digest  # re-exported
from annotate._util.renamed_ids import FLOAT_ID_SUFFIX
from annotate.errors import InputError
from annotate.ingestion.scratch import Columns, insert, query, strings

log = logging.getLogger(__name__)


class SeenStore:
    """Digests of kept passages, and every document's id (with its input, row and place
    in input order), in DuckDB tables."""

    def __init__(self, db: duckdb.DuckDBPyConnection) -> None:
        self.db = db
        db.execute("CREATE TABLE seen_digests (lo BIGINT, hi BIGINT)")
        db.execute(
            "CREATE TABLE doc_ids (doc_id VARCHAR, seq BIGINT, input INTEGER, row_at VARCHAR)"
        )
        self.has_previous = False  # digests of earlier runs' passages were remembered
        self._previous_docs = False  # their document ids too
        self._said_float_ids = False  # an earlier run's '7.0' for this run's '7' (once)
        self._inputs: dict[str, int] = {}  # input name -> its number in doc_ids
        # input name -> the name its file was first given by (data.csv, then /abs/data.csv)
        self._spelled: dict[str, str] = {}
        self._files: dict[str, str] = {}  # a file's real path -> the name it was first given by
        self._seq = 0  # documents recorded so far
        self.copies = 0  # exact copies recorded (record_copies)

    def record_copies(self, digests: Sequence[bytes], copies: Sequence[str]) -> None:
        """Remember each dropped exact copy (``copies``: its record, JSON) under the
        digest of its text, in input order, for :meth:`copies_of`."""
        if not digests:
            return
        if not self.copies:
            self.db.execute(
                "CREATE TABLE exact_copies (lo BIGINT, hi BIGINT, seq BIGINT, copy VARCHAR)"
            )
        chunk = _digest_table(digests)
        seq = np.arange(self.copies, self.copies + len(digests), dtype=np.int64)
        table = {"lo": chunk["lo"], "hi": chunk["hi"], "seq": seq, "copy": strings(copies)}
        insert(self.db, "exact_copies", table)
        self.copies += len(digests)

    def first_copies(self, most: int) -> list[str]:
        """The records of the first ``most`` exact copies recorded (:meth:`record_copies`),
        in input order."""
        if not self.copies or most <= 0:
            return []
        found = self.db.execute(f"SELECT copy FROM exact_copies ORDER BY seq LIMIT {int(most)}")
        return [str(copy) for (copy,) in found.fetchall()]

    def copies_of(self, digests: Sequence[bytes], most: int) -> dict[int, tuple[int, list[str]]]:
        """Position in ``digests`` -> (how many copies were recorded of that text, the
        first ``most`` of them in input order), for those with any."""
        if not digests or not self.copies:
            return {}
        # a join streamed (no sort or window over the copies: the chunk is the small,
        # hashed side), the first ``most`` per text kept by input order here
        self.db.register("_chunk", _digest_table(digests))
        counts: dict[int, int] = {}
        first: dict[int, list[tuple[int, str]]] = {}
        try:
            found = self.db.execute(
                "SELECT c.pos, e.seq, e.copy FROM _chunk c "
                "JOIN exact_copies e ON e.lo = c.lo AND e.hi = c.hi"
            )
            while batch := found.fetchmany(1000):
                for pos, seq, copy in batch:
                    counts[pos] = counts.get(pos, 0) + 1
                    held = first.setdefault(pos, [])
                    held.append((int(seq), str(copy)))
                    if len(held) > 2 * most:  # keep the earliest ``most``
                        held.sort()
                        del held[most:]
        finally:
            self.db.unregister("_chunk")
        out: dict[int, tuple[int, list[str]]] = {}
        for pos, held in first.items():
            out[int(pos)] = (counts[pos], [copy for _, copy in sorted(held)[:most]])
        return out

    def first_seen(self, digests: Sequence[bytes]) -> list[bool]:
        """For each 16-byte digest (input order): True when no earlier digest, in this call
        or a previous one, equals it. The new ones are remembered."""
        if not digests:
            return []
        chunk = _digest_table(digests)
        earlier = query(
            self.db,
            "SELECT c.pos FROM _chunk c JOIN seen_digests s ON s.lo = c.lo AND s.hi = c.hi",
            chunk,
        )
        first = np.ones(len(digests), dtype=bool)
        first[[int(p) for (p,) in earlier]] = False
        here: set[bytes] = set()
        for i, digest in enumerate(digests):
            if first[i]:
                if digest in here:
                    first[i] = False
                else:
                    here.add(digest)
        insert(self.db, "seen_digests", {"lo": chunk["lo"][first], "hi": chunk["hi"][first]})
        return first.tolist()

    def remember_previous(self, digests: Sequence[bytes]) -> None:
        """Digests of an earlier run's passages (``ingest --previous``): seen, and kept
        apart so that :meth:`count_previous` tells copies of them from this run's."""
        if not digests:
            return
        if not self.has_previous:
            self.db.execute("CREATE TABLE previous_digests (lo BIGINT, hi BIGINT)")
            self.has_previous = True
        self.first_seen(digests)
        chunk = _digest_table(digests)
        insert(self.db, "previous_digests", {"lo": chunk["lo"], "hi": chunk["hi"]})

    def remember_previous_docs(self, doc_ids: Sequence[str]) -> None:
        """Document ids of an earlier run's passages (:meth:`previous_docs`)."""
        if not doc_ids:
            return
        if not self._previous_docs:
            self.db.execute("CREATE TABLE previous_docs (doc_id VARCHAR)")
            self._previous_docs = True
        # one row per document, not per passage (a file's passages repeat their id)
        insert(self.db, "previous_docs", {"doc_id": strings(list(dict.fromkeys(doc_ids)))})

    def previous_docs(self, doc_ids: Sequence[str]) -> set[str]:
        """Those of ``doc_ids`` an earlier run had (an edited document ingested again),
        under the same id or under the one an earlier annotate wrote for a whole-number
        id read as a float (``7.0`` for ``7``, :mod:`annotate._util.renamed_ids`: the
        same document), which is logged once, as a warning."""
        if not doc_ids or not self._previous_docs:
            return set()
        # one semi join on both spellings of each id: a UNION of two joins (one per
        # spelling) took more than the scratch database's memory cap in DuckDB 2 on a
        # chunk of 19 documents (each join and the union's de-duplication reserve their
        # own fixed blocks), where one join stays within it for any size of chunk
        ids = list(dict.fromkeys(doc_ids))
        found = query(
            self.db,
            "SELECT c.doc_id, c.by_float FROM _chunk c SEMI JOIN previous_docs p "
            "ON p.doc_id = c.key",
            {
                "doc_id": strings(ids + ids),
                "key": strings(ids + [d + FLOAT_ID_SUFFIX for d in ids]),
                "by_float": np.array([False] * len(ids) + [True] * len(ids)),
            },
        )
        renamed = sorted(str(d) for d, by_float in found if by_float)
        if renamed and not self._said_float_ids:
            self._said_float_ids = True
            log.warning(
                "document %r of this run is in the --previous file as %r (an earlier annotate "
                "wrote a whole-number id that pandas stored as a float so; it writes the "
                "integer now): read as the same document, so an edited one keeps its "
                "passages' places and neighbours; its passages have new ids (a push leaves "
                "those already in the project out)",
                renamed[0],
                renamed[0] + FLOAT_ID_SUFFIX,
            )
        return {str(d) for d, _ in found}

    def count_previous(self, digests: Sequence[bytes]) -> int:
        """How many of ``digests`` are those of an earlier run's passage."""
        if not digests or not self.has_previous:
            return 0
        found = query(
            self.db,
            "SELECT count(*) FROM _chunk c WHERE EXISTS (SELECT 1 FROM previous_digests p "
            "WHERE p.lo = c.lo AND p.hi = c.hi)",
            _digest_table(digests),
        )
        return int(found[0][0])

    def check_origins(self, docs: Sequence[tuple[str, str, str]]) -> None:
        """Remember each ``(document id, input, row)`` (input order; ``row`` says where
        the document is in its input, e.g. ``row 3 (line 4)``, "" for a whole file).

        Raises InputError at the first id already used by another input: documents of
        two inputs must not share an id, or their passages would be mixed (one
        document's text read as the other's context). An id repeated by one input is
        refused too (:meth:`check_repeats`); here when it is found on the way (within a
        chunk, or by the lookup that runs once a second input appears).

        The lookup against earlier chunks (a join that streams every id so far) runs
        only once a second input has appeared; a single input's repeats are found by
        :meth:`check_repeats` in one pass at the end.
        """
        if not docs:
            return
        docs = [(doc_id, self._first_name(origin), row_at) for doc_id, origin, row_at in docs]
        earlier_inputs = len(self._inputs)
        for _, origin, _ in docs:
            self._inputs.setdefault(origin, len(self._inputs))
        ids = strings([doc_id for doc_id, _, _ in docs])
        known: dict[str, tuple[int, str, str]] = {}  # id -> its first (seq, input, row)
        if earlier_inputs > 1 or (earlier_inputs and len(self._inputs) > earlier_inputs):
            for doc_id, seq, number, row_at in query(
                self.db,
                "SELECT d.doc_id, d.seq, d.input, d.row_at FROM doc_ids d "
                "SEMI JOIN _chunk c USING (doc_id)",
                {"doc_id": ids},
            ):
                if doc_id not in known or int(seq) < known[doc_id][0]:
                    known[doc_id] = (int(seq), self._name(int(number)), str(row_at))
        here: dict[str, tuple[str, str]] = {}
        for doc_id, origin, row_at in docs:
            if doc_id in known:
                first = known[doc_id][1:]
            elif doc_id in here:
                first = here[doc_id]
            else:
                here[doc_id] = (origin, row_at)
                continue
            raise id_conflict(doc_id, first, (origin, row_at), self._given_as(origin))
        table = {
            "doc_id": ids,
            "seq": np.arange(self._seq, self._seq + len(docs), dtype=np.int64),
            "input": np.array([self._inputs[o] for _, o, _ in docs], dtype=np.int32),
            "row_at": strings([r for *_, r in docs]),
        }
        insert(self.db, "doc_ids", table)
        self._seq += len(docs)

    def check_repeats(self) -> None:
        """Raise InputError naming the first id (in input order) used by two documents,
        if any: one pass over every id (DuckDB groups them on disk), run once when all
        documents are read."""
        found = self.db.execute(
            "WITH dup AS (SELECT doc_id FROM doc_ids GROUP BY doc_id HAVING count(*) > 1) "
            "SELECT d.doc_id, d.input, d.row_at FROM doc_ids d "
            "SEMI JOIN dup USING (doc_id) ORDER BY d.seq"
        )
        first: dict[str, tuple[str, str]] = {}
        while batch := found.fetchmany(1000):
            for doc_id, number, row_at in batch:
                use = (self._name(int(number)), str(row_at))
                if doc_id in first:  # the earliest second use: every id here repeats
                    raise id_conflict(str(doc_id), first[doc_id], use, self._given_as(use[0]))
                first[doc_id] = use

    def _name(self, number: int) -> str:
        return next(name for name, n in self._inputs.items() if n == number)

    def _first_name(self, origin: str) -> str:
        """The name the file ``origin`` names was first given by in this run: one file in
        two spellings (``data.csv`` and ``/home/me/data.csv``, or through a symlink) is one
        input, read twice, not two inputs that share ids. A name that is not an existing
        file's (a dataset's) is its own."""
        first = self._spelled.get(origin)
        if first is None:
            key = os.path.realpath(origin) if os.path.isfile(origin) else "\0" + origin
            first = self._spelled[origin] = self._files.setdefault(key, origin)
        return first

    def _given_as(self, name: str) -> list[str]:
        """Every spelling the input first given as ``name`` came by (one when one)."""
        return [given for given, first in self._spelled.items() if first == name]


def _digest_table(digests: Sequence[bytes]) -> Columns:
    """``pos`` (position in ``digests``), ``lo``, ``hi`` (the two halves of each digest)."""
    pairs = np.frombuffer(b"".join(digests), dtype="<i8").reshape(-1, 2)
    return {
        "pos": np.arange(len(digests), dtype=np.int64),
        "lo": pairs[:, 0].copy(),
        "hi": pairs[:, 1].copy(),
    }


class DocumentIdRepeated(InputError):
    """A document id on two rows of one table; ``input``: the table as messages name it."""

    def __init__(self, what: str, *, fix: str | None = None, input: str = "") -> None:
        super().__init__(what, fix=fix)
        self.input = input


def id_conflict(
    doc_id: str,
    first: tuple[str, str],
    again: tuple[str, str],
    given_as: Sequence[str] = (),
) -> InputError:
    """The error for ``doc_id`` used at ``first`` and again at ``again``, each an
    ``(input, row)``: the same input read twice, two rows of one table, or two inputs.
    ``given_as``: the spellings the input was given by, when more than one
    (``data.csv``, ``/home/me/data.csv``)."""

    def at(origin: str, row_at: str) -> str:
        return f"{origin} {row_at}" if row_at else origin

    if first == again:  # the same file passed twice, or a folder and a file in it
        spellings = f", given as {' and '.join(given_as)}" if len(given_as) > 1 else ""
        return InputError(
            f"{at(*first)} was read twice (document id {doc_id!r} both times{spellings}).",
            fix="pass each input once.",
        )
    if first[0] == again[0]:
        return DocumentIdRepeated(
            f"{first[0]}: document id {doc_id!r} is on {first[1] or 'one row'} and again on "
            f"{again[1] or 'another'}; expected one row per document, each with its own id "
            "(two rows with one id would give passages with the same passage_index).",
            fix="give each row its own id (or remove the id column to number the rows), or "
            "join the rows' text into one row if they are one document.",
            input=first[0],
        )
    fix = (
        "give the documents unique ids (e.g. prefix each file's id column), or "
        "ingest each input into its own passages file."
    )
    splits = [_SPLIT_OF.fullmatch(origin) for origin in (first[0], again[0])]
    if splits[0] and splits[1] and splits[0][1] == splits[1][1]:
        # two splits of one saved DatasetDict, whose ids restart in each split (as
        # `train_test_split` and most Hub datasets give them): name the splits' fix
        fix = (
            f"give {splits[0][1]}'s rows ids unique across its splits, e.g. prefix each "
            "split's ids with its name (for each split s: `dd[s] = dd[s].map(lambda r: "
            "{'id': f\"{s}-{r['id']}\"})`, then `dd.save_to_disk(NEW_FOLDER)`), or pass "
            "--id-column with a column that is unique across them."
        )
    return InputError(
        f"document id {doc_id!r} is used by two inputs, {first[0]} and {again[0]} "
        f"({at(*first)}; {at(*again)}); they would be merged into one document.",
        fix=fix,
    )


# how ingest names a saved DatasetDict's split (readers: ``NAME[SPLIT]``)
_SPLIT_OF = re.compile(r"(.+)\[([^\[\]]+)\]")
