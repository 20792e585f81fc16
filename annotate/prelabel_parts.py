"""Checkpoints of a pre-label run: a re-run after an interruption resumes, without
duplicates or loss.

While :func:`annotate.prelabeling.prelabel` runs, each window of passages it scores is
written as a part file (the output's format: ``part-000000.parquet`` or ``.jsonl``, its
rows exactly as the output holds them) into a hidden folder beside the output,
``.NAME.resume/`` (:func:`parts_folder`), and recorded in its ``state.json`` (written
atomically after the part: a part the record does not list is not trusted). The record
binds the parts to what produced them (:func:`fingerprint`): the input's size and
SHA-256, the model version and the encoder that ran (weights and precision), the
taxonomy's content, the window size, the neighbours the model reads, the annotate
version and the environment variables that change scores. A re-run with the same
fingerprint replays the input's windows (the same windows, so the same batches and the
same scores) and skips the model for those the parts hold; another fingerprint
discards the parts with a warning. The final output is put together from the parts and
renamed into place atomically; the folder is removed after that.

Why a content digest and not size + mtime: a copy that keeps mtimes (``cp -p``,
``rsync -a``) or an edit within the file system's mtime granularity would pass an
mtime check with other rows, while a ``touch`` or a move would fail it needlessly; the
SHA-256 of the input is read at ~1 GB/s, seconds against the hours a run it guards takes.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_output, atomic_write_text, discard
from annotate._util.digest import sha256_file
from annotate.errors import InputError

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
LOCK_FILE = ".lock"
STATE_FORMAT = 1
# environment variables that change what a classifier computes (precision, compiled
# kernels); threads do not (scores identical with 1 and 2 threads: README, "Threads")
SCORE_ENV = ("ANNOTATE_PRECISION", "ANNOTATE_COMPILE")


def parts_folder(out: Path) -> Path:
    """The hidden folder of ``out``'s parts: ``.NAME.resume`` beside it."""
    return out.with_name(f".{out.name}.resume")


def fingerprint(
    input_path: Path,
    *,
    model_version: str,
    encoder: str | None,
    taxonomy_sha256: str,
    chunk_size: int,
    context: int | None,
) -> dict[str, Any]:
    """What the parts' rows depend on, as JSON-ready values: the input (path, size and
    SHA-256 of its bytes), the model (``model_version``, and ``encoder``: the
    ``model_encoder`` JSON, which names its weights and the precision that ran), the
    taxonomy's content digest, the window size and neighbours read (``chunk_size``,
    ``context``: the batches, so the float noise of batching), the annotate version and
    :data:`SCORE_ENV`. Reads the whole input once (OSError when it cannot)."""
    from annotate import __version__

    return {
        "input": {
            "path": str(input_path.resolve()),
            "size": input_path.stat().st_size,
            "sha256": sha256_file(input_path),
        },
        "model_version": model_version,
        "model_encoder": encoder,
        "taxonomy_sha256": taxonomy_sha256,
        "chunk_size": chunk_size,
        "context": context,
        "annotate": __version__,
        "env": {name: os.environ.get(name, "") for name in SCORE_ENV},
    }


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two fingerprints, in words (empty: the same run). The input's
    path alone may differ (the file was moved): its content is what counts."""
    said = []
    was, now = old.get("input") or {}, new["input"]
    if was.get("sha256") != now["sha256"] or was.get("size") != now["size"]:
        said.append(
            f"the input's content changed ({now['path']}: sha256 {now['sha256'][:12]}…, was "
            f"{str(was.get('sha256'))[:12]}…)"
        )
    names = {
        "model_version": "the model",
        "model_encoder": "the encoder that ran (weights or precision)",
        "taxonomy_sha256": "labels.yaml",
        "chunk_size": "the window size",
        "context": "the neighbours the model reads",
        "annotate": "the annotate version",
        "env": "the scoring settings (ANNOTATE_PRECISION, ANNOTATE_COMPILE)",
    }
    for key, name in names.items():
        if old.get(key) != new[key]:
            said.append(f"{name}: {_short(old.get(key))} -> {_short(new[key])}")
    return said


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Part:
    """One part file: ``rows`` output rows, the cores of whole windows, from ``first_id``
    to ``last_id``."""

    file: str
    rows: int
    first_id: str
    last_id: str


@dataclass
class PartsState:
    """``state.json``: the fingerprint, the parts in order, and the run's counts up to the
    last part (:class:`annotate.prelabeling.PrelabelStats` as a dict)."""

    fingerprint: dict[str, Any]
    parts: list[Part] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.parts)


class PartsStore:
    """The parts folder of one output (see the module). Use as a context manager: it
    takes the folder's lock (InputError when another run holds it), :meth:`open` reads or
    starts the state, :meth:`add` writes a part, :meth:`assemble` writes the output."""

    def __init__(self, out: Path, fmt: str) -> None:
        self.out = out
        self.format = fmt  # "parquet" or "jsonl": the output's, so the parts' too
        self.folder = parts_folder(out)
        self.state: PartsState | None = None
        self._lock: Any = None

    def __enter__(self) -> PartsStore:
        from filelock import FileLock, Timeout

        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.folder / LOCK_FILE))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise InputError(
                f"another annotate prelabel is writing {self.out} (its parts folder "
                f"{self.folder} is locked).",
                fix="wait for it to finish, or pass another --out.",
            ) from None
        self._lock = lock
        return self

    def __exit__(self, *exc: object) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def open(self, fp: dict[str, Any], *, restart: bool = False) -> PartsState:
        """The state to continue from: the recorded one when its fingerprint is ``fp`` and
        every part it lists is on disk whole, else a fresh one, the old parts removed (a
        warning says why: other settings, a part missing or damaged (:meth:`_checked`:
        the counts are kept per state, so no earlier part is kept either), or
        ``restart``)."""
        old = self._read()
        fresh = PartsState(fingerprint=fp)
        if old is not None and old.parts:
            said = f"the {old.rows:,} passage(s) pre-labelled by an earlier run in {self.folder}"
            if restart:
                log.warning("discarding %s (--restart)", said)
                old = None
            else:
                why = differences(old.fingerprint, fp)
                if why:
                    log.warning(
                        "discarding %s: they were scored with other settings (%s); starting afresh",
                        said,
                        "; ".join(why),
                    )
                    old = None
        state = fresh if old is None or not old.parts else self._checked(old)
        if not state.parts:
            state = fresh
        self._clear(keep={p.file for p in state.parts})
        self.state = state
        self._save()
        return state

    def _read(self) -> PartsState | None:
        path = self.folder / STATE_FILE
        if not path.is_file():
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != STATE_FORMAT:
                raise ValueError(f"format {raw.get('format')!r}")
            return PartsState(
                fingerprint=dict(raw["fingerprint"]),
                parts=[Part(**p) for p in raw["parts"]],
                stats=dict(raw.get("stats") or {}),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("discarding %s, which cannot be read (%s); starting afresh", path, exc)
            return None

    def _checked(self, state: PartsState) -> PartsState:
        """``state`` up to its first part whose file is missing or holds another number of
        rows (a disk that lost it); the counts are then those of an earlier part, so the
        run starts afresh when any part is lost (counts are kept per state, not part)."""
        for part in state.parts:
            if _rows_in(self.folder / part.file, self.format) != part.rows:
                log.warning(
                    "discarding the parts in %s: %s is missing or damaged; starting afresh",
                    self.folder,
                    part.file,
                )
                return PartsState(fingerprint=state.fingerprint)
        return state

    def _clear(self, keep: set[str]) -> None:
        """Remove every file of the folder but the lock, the state and ``keep``."""
        for entry in self.folder.iterdir():
            if entry.name not in keep and entry.name not in (LOCK_FILE, STATE_FILE):
                discard(entry)

    def _save(self) -> None:
        assert self.state is not None
        record = {
            "format": STATE_FORMAT,
            "fingerprint": self.state.fingerprint,
            "parts": [asdict(p) for p in self.state.parts],
            "stats": self.state.stats,
        }
        atomic_write_text(self.folder / STATE_FILE, json.dumps(record, indent=1) + "\n")

    def add(self, rows: Sequence[dict[str, Any]], schema: Any, stats: dict[str, Any]) -> None:
        """Write ``rows`` (output rows, in order) as the next part, then record it with
        ``stats``, the run's counts up to and including these rows."""
        from annotate.tables import TableWriter

        assert self.state is not None and rows
        name = f"part-{len(self.state.parts):06d}.{self.format}"
        with TableWriter(self.folder / name, schema=schema) as writer:
            writer.write(rows)
        self.state.parts.append(Part(name, len(rows), str(rows[0]["id"]), str(rows[-1]["id"])))
        self.state.stats = stats
        self._save()

    def files(self) -> Iterator[Path]:
        assert self.state is not None
        for part in self.state.parts:
            yield self.folder / part.file

    def assemble(self, schema: Any) -> int:
        """Write the output from the parts, in order, atomically (the bytes of JSONL parts;
        the row groups of Parquet parts, one per window, as an uninterrupted run writes
        them), then remove the folder. Returns the rows written."""
        assert self.state is not None
        with atomic_output(self.out) as tmp:
            if self.format == "jsonl":
                with tmp.open("wb") as dst:
                    for path in self.files():
                        with path.open("rb") as src:
                            shutil.copyfileobj(src, dst, 1 << 20)
            else:
                import pyarrow.parquet as pq

                writer = None
                try:
                    for path in self.files():
                        source = pq.ParquetFile(path)
                        for i in range(source.num_row_groups):
                            group = source.read_row_group(i)
                            if writer is None:
                                writer = pq.ParquetWriter(tmp, schema or group.schema)
                            writer.write_table(group)
                    if writer is None:
                        pq.write_table(schema.empty_table(), tmp)
                finally:
                    if writer is not None:
                        writer.close()
        log.info("wrote %d rows to %s", self.state.rows, self.out)
        self.remove()
        return self.state.rows

    def holds_parts(self) -> bool:
        """Whether the folder holds any part file (recorded in the state or not)."""
        return any(self.folder.glob("part-*"))

    def remove(self) -> None:
        """Remove the parts folder (after the output was written)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _rows_in(path: Path, fmt: str) -> int | None:
    """Rows of a part file; None when it is missing or unreadable."""
    try:
        if fmt == "jsonl":
            with path.open("rb") as fh:
                return sum(1 for _ in fh)
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    except (OSError, ValueError):
        return None
