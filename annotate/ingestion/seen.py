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

import hashlib
from collections.abc import Sequence

import duckdb
import numpy as np
import pyarrow as pa

from annotate.errors import InputError
from annotate.ingestion.scratch import insert, query


def text_digest(text: str) -> bytes:
    """16-byte digest of a passage's text (equal texts, equal digests)."""
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class SeenStore:
    """Digests of kept passages and of document ids (with the input and row of each id's
    first use), in DuckDB tables."""

    def __init__(self, db: duckdb.DuckDBPyConnection) -> None:
        self.db = db
        db.execute("CREATE TABLE seen_digests (lo BIGINT, hi BIGINT)")
        db.execute("CREATE TABLE doc_ids (lo BIGINT, hi BIGINT, input INTEGER, row_at VARCHAR)")
        self._inputs: dict[str, int] = {}  # input name -> its number in doc_ids

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
        insert(self.db, "seen_digests", chunk.filter(pa.array(first)).select(["lo", "hi"]))
        return first.tolist()

    def check_origins(self, docs: Sequence[tuple[str, str, str]]) -> None:
        """Remember each ``(document id, input, row)`` (input order; ``row`` says where
        the document is in its input, e.g. ``row 3 (line 4)``, "" for a whole file).

        Raises InputError at the first id used before, naming both uses: by another
        input (the two documents would be merged into one), or by another row of the
        same input (a table holds one document a row; two rows with one id would give
        passages with the same ``passage_index`` and offsets into different texts).
        Each chunk's ids are hashed (16 bytes) and joined against those of earlier
        chunks, as :meth:`first_seen` does with passage texts.
        """
        if not docs:
            return
        for _, origin, _ in docs:
            self._inputs.setdefault(origin, len(self._inputs))
        chunk = _digest_table([text_digest(doc_id) for doc_id, _, _ in docs])
        earlier = {
            int(pos): (names, str(row_at))
            for pos, names, row_at in query(
                self.db,
                "SELECT c.pos, d.input, d.row_at FROM _chunk c "
                "JOIN doc_ids d ON d.lo = c.lo AND d.hi = c.hi",
                chunk,
            )
        }
        by_number = {number: name for name, number in self._inputs.items()}
        here: dict[str, tuple[str, str]] = {}
        for pos, (doc_id, origin, row_at) in enumerate(docs):
            if pos in earlier:
                number, first_row = earlier[pos]
                first = (by_number[int(number)], first_row)
            elif doc_id in here:
                first = here[doc_id]
            else:
                here[doc_id] = (origin, row_at)
                continue
            raise _id_conflict(doc_id, first, (origin, row_at))
        table = chunk.select(["lo", "hi"]).append_column(
            "input", pa.array([self._inputs[o] for _, o, _ in docs], pa.int32())
        )
        insert(self.db, "doc_ids", table.append_column("row_at", pa.array([r for *_, r in docs])))


def _digest_table(digests: Sequence[bytes]) -> pa.Table:
    """``pos`` (position in ``digests``), ``lo``, ``hi`` (the two halves of each digest)."""
    pairs = np.frombuffer(b"".join(digests), dtype="<i8").reshape(-1, 2)
    return pa.table(
        {
            "pos": np.arange(len(digests), dtype=np.int64),
            "lo": pairs[:, 0].copy(),
            "hi": pairs[:, 1].copy(),
        }
    )


def _id_conflict(doc_id: str, first: tuple[str, str], again: tuple[str, str]) -> InputError:
    def at(origin: str, row_at: str) -> str:
        return f"{origin} {row_at}" if row_at else origin

    if first == again:  # the same file passed twice, or a folder and a file in it
        return InputError(
            f"{at(*first)} was read twice (document id {doc_id!r} both times).",
            fix="pass each input once.",
        )
    if first[0] == again[0]:
        return InputError(
            f"{first[0]}: document id {doc_id!r} is on {first[1] or 'one row'} and again on "
            f"{again[1] or 'another'}; expected one row per document, each with its own id "
            "(two rows with one id would give passages with the same passage_index).",
            fix="give each row its own id (or remove the id column to number the rows), or "
            "join the rows' text into one row if they are one document.",
        )
    return InputError(
        f"document id {doc_id!r} is used by two inputs, {first[0]} and {again[0]} "
        f"({at(*first)}; {at(*again)}); they would be merged into one document.",
        fix="give the documents unique ids (e.g. prefix each file's id column), or "
        "ingest each input into its own passages file.",
    )
