"""What ingest has already seen, kept on disk: exact-duplicate digests and document ids.

Two checks need the whole corpus read so far: is this passage's text a duplicate of an
earlier one, and was this document id already used by another input. Both are asked a
chunk of passages or documents at a time against tables of the scratch database
(:mod:`annotate.ingestion.scratch`), so Python holds one chunk, not the corpus. Answers
are those of a sequential check in input order: the first of equal texts is the one
kept, and the first input to use an id is the one named in the error.
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
    """Digests of kept passages and the first input of each document id, in DuckDB tables."""

    def __init__(self, db: duckdb.DuckDBPyConnection) -> None:
        self.db = db
        db.execute("CREATE TABLE seen_digests (lo BIGINT, hi BIGINT)")
        db.execute("CREATE TABLE doc_origins (doc_id VARCHAR, origin VARCHAR)")
        self._origins: set[str] = set()  # inputs seen, kept while there is only one

    def first_seen(self, digests: Sequence[bytes]) -> list[bool]:
        """For each 16-byte digest (input order): True when no earlier digest, in this call
        or a previous one, equals it. The new ones are remembered."""
        if not digests:
            return []
        pairs = np.frombuffer(b"".join(digests), dtype="<i8").reshape(-1, 2)
        chunk = pa.table(
            {
                "pos": np.arange(len(digests), dtype=np.int64),
                "lo": pairs[:, 0].copy(),
                "hi": pairs[:, 1].copy(),
            }
        )
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

    def check_origins(self, docs: Sequence[tuple[str, str]]) -> None:
        """Remember the input of each (document id, input) pair (input order).

        Raises InputError at the first id already used by another input: documents of
        two inputs must not share an id, or their passages would be mixed (one
        document's text read as the other's context).
        """
        if not docs:
            return
        ids = list(dict.fromkeys(doc_id for doc_id, _ in docs))
        known: dict[str, str] = {}
        earlier = self._origins
        if len(earlier) <= 1:
            self._origins = earlier | {origin for _, origin in docs}
        # ids of one input never conflict: with one input so far, the lookup (a scan of
        # every id) is needed only when this chunk brings another
        if len(earlier) > 1 or (earlier and self._origins != earlier):
            known = dict(
                query(
                    self.db,
                    "SELECT o.doc_id, o.origin FROM doc_origins o "
                    "SEMI JOIN _chunk c USING (doc_id)",
                    pa.table({"doc_id": pa.array(ids, pa.string())}),
                )
            )
        new: dict[str, str] = {}
        for doc_id, origin in docs:
            first = known[doc_id] if doc_id in known else new.setdefault(doc_id, origin)
            if first != origin:
                raise InputError(
                    f"document id {doc_id!r} is used by two inputs, {first} and {origin}; "
                    "they would be merged into one document.",
                    fix="give the documents unique ids (e.g. prefix each file's id column), or "
                    "ingest each input into its own passages file.",
                )
        if new:
            table = pa.table(
                {
                    "doc_id": pa.array(list(new), pa.string()),
                    "origin": pa.array(list(new.values()), pa.string()),
                }
            )
            insert(self.db, "doc_origins", table)
