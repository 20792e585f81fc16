"""Checkpoints of a pre-label run: a re-run after an interruption resumes, without
duplicates or loss.

While :func:`annotate.prelabeling.prelabel` runs, each window of passages it scores is
written as a part file (the output's format: ``part-000000.parquet`` or ``.jsonl``, its
rows exactly as the output holds them) into a hidden folder beside the output,
``.NAME.resume/`` (:func:`parts_folder`), and recorded in its ``state.json`` (written
atomically after the part: a part the record does not list is not trusted). Both are
flushed to the disk before and after their rename (:func:`annotate._util.atomic.
commit_durably`), so a power cut cannot leave a recorded part empty or short; the record
also holds each part's SHA-256 and row count, and a part that does not match them (a
disk that lost or damaged it anyway) is treated as missing: it and the parts after it are
scored again, with a warning, never read as data. The record
binds the parts to what produced them (:func:`fingerprint`): the input's size and
SHA-256, the model version and the encoder that ran (weights and precision), the
machine it ran on (device, GPU or CPU instruction set, torch version:
:func:`annotate.classifier.device.compute_identity`), the taxonomy's content, the window
size, the neighbours the model reads, the annotate version, the environment variables
that change scores and the version of what the model reads of a passage (its reading:
subtitle markup and speaker labels removed, letters folded, cues joined, :data:`annotate.
classifier.turn_text.READING_VERSION`). A re-run with the same
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
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_output, atomic_write_text, discard, fsync_path
from annotate._util.digest import sha256_file
from annotate.errors import InputError

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
LOCK_FILE = ".lock"
STATE_FORMAT = 1
# environment variables that change what a classifier computes (precision, compiled
# kernels); the CPU thread count is recorded apart (``threads``)
SCORE_ENV = ("ANNOTATE_PRECISION", "ANNOTATE_COMPILE")
# the run's settings in its counts (PrelabelStats), set afresh by each run: not kept per part
RUN_SETTINGS = ("model_version", "token_limit", "trained_languages")


def parts_folder(out: Path) -> Path:
    """The hidden folder of ``out``'s parts: ``.NAME.resume`` beside it."""
    return out.with_name(f".{out.name}.resume")


@dataclass(frozen=True)
class LeftBehind:
    """Parts of one input kept for another output: a run that did not finish."""

    folder: Path  # the parts folder (:func:`parts_folder` of ``out``)
    out: Path  # the output that run was writing (--out)
    rows: int  # passages it pre-labelled and kept
    running: bool = False  # its run still holds the folder's lock: not left, still written


def left_behind(input_path: Path, out: Path) -> list[LeftBehind]:
    """The parts folders beside ``out`` or beside ``input_path`` that hold parts of
    ``input_path`` (their ``state.json`` names it, resolved, as their input) for an output
    other than ``out``: a run of this input writing another --out that did not finish,
    whose passages this run does not resume from and which nothing removes once that run
    is over; ``running`` when that run still holds the folder's lock (:func:`lock_held`:
    still writing it, not to be discarded). Sorted by folder; a record that cannot be
    read is passed over. Read without taking the folders' locks."""
    mine = parts_folder(out).resolve()
    wanted = str(input_path.resolve())
    found = []
    places = {p.parent.resolve(): p.parent for p in (input_path, out)}  # as given, once
    for where in places.values():
        for folder in sorted(where.glob(".*.resume")):
            if folder.resolve() == mine or not folder.is_dir():
                continue
            try:
                raw = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
                rows = sum(int(p["rows"]) for p in raw["parts"])
                same = raw["fingerprint"]["input"]["path"] == wanted
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.debug("%s: not read (%s)", folder, exc)
                continue
            if same and rows:
                out_name = folder.name.removeprefix(".").removesuffix(".resume")
                running = lock_held(folder / LOCK_FILE)
                found.append(LeftBehind(folder, folder.with_name(out_name), rows, running))
    return found


def lock_held(path: Path) -> bool:
    """Whether a process holds the lock file ``path`` (a :class:`PartsStore`'s: a run
    still writing that output), tried without waiting and without making the file (a run
    that is removing its folder must find it empty); False when there is no such file.
    The try holds the lock for a moment only when it is free (a run that starts at that
    very moment is told another run writes its output, and can be run again)."""
    if os.name == "nt":  # filelock removes its lock file on release there
        from filelock import FileLock, Timeout

        if not path.exists():
            return False
        lock = FileLock(str(path))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return True
        except OSError:
            return False
        lock.release()
        return False
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # none (no run holds it), or the folder just removed
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:  # held exclusively by a run (EWOULDBLOCK)
        return True
    finally:
        os.close(fd)  # a shared lock taken is released with the file
    return False


def recorded_threads(out: Path) -> int | None:
    """The torch thread count the parts kept beside ``out`` were scored with (their
    ``state.json`` fingerprint's ``threads``); None when there are none, the record is
    unreadable or older than the count, or the model ran on a GPU. Read without the lock:
    a hint for choosing this run's count, which :meth:`PartsStore.open` checks."""
    try:
        raw = json.loads((parts_folder(out) / STATE_FILE).read_text(encoding="utf-8"))
        threads = raw["fingerprint"].get("threads") if raw.get("parts") else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return threads if isinstance(threads, int) and threads >= 1 else None


def kept_rows(out: Path) -> int:
    """How many passages the parts kept beside ``out`` hold, as their ``state.json``
    records them (0: none, or a record that cannot be read). Read without the lock, for
    a message."""
    try:
        raw = json.loads((parts_folder(out) / STATE_FILE).read_text(encoding="utf-8"))
        return sum(int(p["rows"]) for p in raw.get("parts") or [])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0


def require_folder_free(out: Path) -> None:
    """InputError when something other than a folder is where ``out``'s parts folder goes
    (:func:`parts_folder`): a file, a link to nothing, a device. Nothing there, or a
    folder, passes."""
    there = parts_folder(out)
    if there.is_dir() or not (there.exists() or there.is_symlink()):
        return
    if there.is_symlink() and not there.exists():
        found = f"a symbolic link to {os.readlink(there)}, which does not exist"
    elif there.is_file():
        found = f"a file ({there.stat().st_size:,} bytes)"
    else:
        found = "neither a file nor a folder"
    raise InputError(
        f"{there} should be the folder where annotate keeps the passages an interrupted "
        f"run of {out} pre-labelled, but it is {found}.",
        fix=f"move or remove {there} (annotate never writes a file by that name), or pass "
        "another --out.",
    )


def fingerprint(
    input_path: Path,
    *,
    model_version: str,
    encoder: str | None,
    taxonomy_sha256: str,
    chunk_size: int,
    context: int | None,
    compute: dict[str, Any] | None = None,
    threads: int | None = None,
    input_record: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the parts' rows depend on, as JSON-ready values: the input (path, size and
    SHA-256 of its bytes), the model (``model_version``, and ``encoder``: the
    ``model_encoder`` JSON, which names its weights and the precision that ran), the
    taxonomy's content digest, the window size and neighbours read (``chunk_size``,
    ``context``: the batches, so the float noise of batching), where the model ran
    (``compute``: :func:`annotate.classifier.device.compute_identity`, the float noise of
    the machine), ``threads`` (torch's intra-op threads where the model runs on a CPU,
    None on a GPU), the annotate version, :data:`SCORE_ENV` and ``reading``: the version
    of what the model reads of a passage (:data:`annotate.classifier.turn_text.
    READING_VERSION`; the annotate version stays 0.1.0 while that changes). Reads the
    whole input once (OSError when it cannot), unless ``input_record`` gives its
    ``{"path", "size", "sha256"}`` (a Ray actor, which the driver tells: the file may not
    be on its node)."""
    from annotate import __version__
    from annotate.classifier.turn_text import READING_VERSION

    return {
        "input": dict(input_record)
        if input_record is not None
        else {
            "path": str(input_path.resolve()),
            "size": input_path.stat().st_size,
            "sha256": sha256_file(input_path),
        },
        "model_version": model_version,
        "model_encoder": encoder,
        "taxonomy_sha256": taxonomy_sha256,
        "chunk_size": chunk_size,
        "context": context,
        "compute": compute,
        "threads": threads,
        "annotate": __version__,
        "env": {name: os.environ.get(name, "") for name in SCORE_ENV},
        "reading": READING_VERSION,
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
        "threads": "the torch threads (--threads)",
    }
    for key, name in names.items():
        if key == "threads" and key not in old:  # a record from before it was kept
            continue
        if old.get(key) != new.get(key):
            said.append(f"{name}: {_short(old.get(key))} -> {_short(new.get(key))}")
    if reading_of(old) != new.get("reading"):
        said.append(
            f"what the model reads of a passage: {read_as(reading_of(old))} -> "
            f"{read_as(new.get('reading'))}"
        )
    was, now = old.get("compute"), new.get("compute")
    if was != now:
        if isinstance(was, dict) and isinstance(now, dict):
            said += [
                f"{COMPUTE_NAMES.get(k, k)}: {_short(was.get(k))} -> {_short(now.get(k))}"
                for k in sorted(set(was) | set(now), key=_compute_order)
                if was.get(k) != now.get(k)
            ]
        else:  # a record from before it was kept: where it ran is unknown
            said.append(f"the machine the model ran on: {_short(was)} -> {_short(now)}")
    return said


# what each version of the classifier's reading of a passage read (annotate.classifier.
# turn_text.READING_VERSION)
READINGS = {
    1: "the raw text",
    2: "text without speaker labels",  # break47 F14
    3: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences",  # stop 48
    4: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers",  # stop 49
    5: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded",  # stop 50 (also annotate train's reading of examples)
    6: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded, merged paragraphs read alone too",  # stop 50
    7: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded, merged paragraphs read alone too, a cue's trailing "
    "ellipsis joining the next cue only when it goes on with the sentence",  # stop 51
    8: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded, merged paragraphs read alone too, a cue's trailing "
    "ellipsis joining the next cue only when it goes on with the sentence (by the clause "
    "broken off, not the word I after a title), sound cues passed over",  # stop 52 (subs)
    9: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded, merged paragraphs read alone too, a cue's trailing "
    "ellipsis joining the next cue only when it goes on with the sentence (by the clause "
    "broken off, not the word I after a title), sound cues passed over, a line's leading "
    "header label (Re:, Subject:, Message:) read past, a cue not joined to another speaker "
    "breaking in after it",  # stop 52 (passG52 G11, break6, break7)
    10: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded, merged paragraphs read alone too, a cue's trailing "
    "ellipsis joining the next cue only when it goes on with the sentence (by the clause "
    "broken off, not the word I after a title), sound cues passed over, a line's leading "
    "header label (Re:, Subject:, Message:) read past, a cue not joined to another speaker "
    "breaking in after it, a condition without if joined to its consequence, a sentence "
    "ending at the file's end or another speaker's line",  # stop 53 (subs3)
    11: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded, merged paragraphs read alone too, a cue's trailing "
    "ellipsis joining the next cue only when it goes on with the sentence (by the clause "
    "broken off, not the word I after a title), sound cues passed over, a line's leading "
    "header label (Re:, Subject:, Message:) read past, a cue not joined to another speaker "
    "breaking in after it, a condition without if joined to its consequence, a sentence "
    "ending at another speaker's line only where its punctuation links its cues, a "
    "sentence of more than four cues read cue by cue, a passage missing from the input no "
    "file's edge",  # stop 53 (break8)
    12: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded, merged paragraphs read alone too, a cue's trailing "
    "ellipsis joining the next cue only when it goes on with the sentence (by the clause "
    "broken off, not the word I after a title), sound cues passed over, a line's leading "
    "header label (Re:, Subject:, Message:) read past, a cue not joined to another speaker "
    "breaking in after it, a condition without if joined to its consequence, a sentence "
    "ending at another speaker's line only where its punctuation links its cues or a "
    "condition its consequence, a sentence of up to 700 characters read whole (of more "
    "than four cues where written as one at each cue), a passage missing from the input "
    "no file's edge, a capitalised imperative after an ellipsis opening a sentence",
    # stop 54 (subs leftovers)
    13: "without subtitle markup and speaker labels, compatibility letters folded, subtitle "
    "cues within their sentences, sentences not cut inside addresses or numbers, subtitle "
    "character references decoded, merged paragraphs read alone too, a cue's trailing "
    "ellipsis joining the next cue only when it goes on with the sentence (by the clause "
    "broken off, not the word I after a title), sound cues passed over, a line's leading "
    "header label (Re:, Subject:, Message:) read past, a cue not joined to another speaker "
    "breaking in after it, a condition without if joined to its consequence, a sentence "
    "ending at another speaker's line only where its punctuation links its cues or a "
    "condition its consequence, a sentence of up to 700 characters read whole (of more "
    "than four cues where written as one at each cue), a passage missing from the input "
    "no file's edge, a capitalised imperative after an ellipsis opening a sentence, a wish "
    "(if only), what if and as if no condition, a condition not joined to a capitalised "
    "question, a vocative cue keeping its own reading",  # stop 54 (break10, break12)
}


def reading_of(fp: dict[str, Any]) -> int | None:
    """The reading version a fingerprint records: ``reading``; in a record from before it
    was kept, 2 where it says ``reads`` (the one value written then: the text without
    speaker labels), else 1 (the raw text); None when ``reading`` is no version."""
    if "reading" in fp:
        value = fp["reading"]
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return 2 if fp.get("reads") else 1


def read_as(version: int | None) -> str:
    """A reading version in words: ``reading 2 (text without speaker labels)``."""
    from annotate.classifier.turn_text import READING, READING_VERSION

    if version is None:
        return "no reading version"
    said = READING if version == READING_VERSION else READINGS.get(version)
    return f"reading {version}" + (f" ({said})" if said else "")


# the fields of a fingerprint's ``compute`` (annotate.classifier.device.compute_identity)
COMPUTE_NAMES = {
    "device": "the device the model ran on",
    "gpu": "the GPU",
    "cuda": "the CUDA version",
    "isa": "the CPU instruction set torch used",
    "onednn_max_isa": "ONEDNN_MAX_CPU_ISA",
    "bf16": "bf16 on the CPU",
    "fp32_linears": "fp32 linear layers pre-packed for oneDNN",
    "precision": "the precision that ran",
    "matmul_precision": "torch's float32 matmul precision",
    "torch": "the torch version",
    "onnxruntime": "the onnxruntime version",
    "openvino": "the openvino version",
}


def _compute_order(key: str) -> tuple[int, str]:
    order = list(COMPUTE_NAMES)
    return (order.index(key) if key in order else len(order), key)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Part:
    """One part file: ``rows`` output rows, the cores of whole windows, from ``first_id``
    to ``last_id``; ``sha256``: its bytes' digest; ``stats``: the run's counts up to and
    including it (a resume after a damaged later part continues from them). Both None in
    records written before they were kept (such a part is checked by reading it)."""

    file: str
    rows: int
    first_id: str
    last_id: str
    sha256: str | None = None
    stats: dict[str, Any] | None = None


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
        self._remove_on_exit = False  # remove() was called: the folder goes on __exit__

    def __enter__(self) -> PartsStore:
        from filelock import FileLock, Timeout

        require_folder_free(self.out)
        for attempt in range(3):
            made = not self.folder.is_dir()
            self.folder.mkdir(parents=True, exist_ok=True)
            if made:  # the folder's name itself must survive a power cut
                fsync_path(self.folder.parent)
            lock = FileLock(str(self.folder / LOCK_FILE))
            try:
                lock.acquire(timeout=0)
            except Timeout:
                raise InputError(
                    f"another annotate prelabel is writing {self.out} (its parts folder "
                    f"{self.folder} is locked).",
                    fix="wait for it to finish, or pass another --out.",
                ) from None
            except FileNotFoundError:  # a run of this output just removed its folder
                if attempt == 2:
                    raise
                continue
            break
        self._lock = lock
        self._remove_on_exit = False
        return self

    def __exit__(self, *exc: object) -> None:
        """Release the lock; after :meth:`remove`, then remove the emptied folder. The lock
        file is unlinked while still held (where the system allows it: a newcomer that
        opened it then finds it unlinked and does not take it) and the folder removed only
        after the release and only when empty: on Windows an open file cannot be removed,
        so a removal before the release left an empty folder behind every run, and a run
        that took the folder meanwhile keeps it."""
        lock, self._lock = self._lock, None
        if lock is None:
            return
        try:
            if self._remove_on_exit:
                with suppress(OSError):  # Windows: open, so not removable; filelock removes
                    (self.folder / LOCK_FILE).unlink()  # it itself on release
        finally:
            lock.release()
        if self._remove_on_exit:
            with suppress(OSError):  # not empty: another run's lock, taken since
                self.folder.rmdir()

    def open(self, fp: dict[str, Any], *, restart: bool = False) -> PartsState:
        """The state to continue from: the recorded one when its fingerprint is ``fp``
        (a part whose file is missing or damaged is dropped, with the ones after them),
        else a fresh one, the old parts removed (a warning says why; ``restart``: on
        request)."""
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
        """``state`` up to its first part that is missing or damaged (:func:`damage`), its
        counts those of the last part kept; afresh when that is the first part, or when
        the record keeps no counts per part (an older record)."""
        for k, part in enumerate(state.parts):
            why = damage(self.folder / part.file, part, self.format)
            if why is None:
                continue
            after = len(state.parts) - k - 1
            kept = state.parts[:k]
            if kept and kept[-1].stats is not None:
                log.warning(
                    "%s/%s is missing or damaged (%s): it and the %d part(s) after it are "
                    "scored again; %d part(s) before it are kept",
                    self.folder,
                    part.file,
                    why,
                    after,
                    len(kept),
                )
                return PartsState(state.fingerprint, kept, dict(kept[-1].stats))
            log.warning(
                "discarding the parts in %s: %s is missing or damaged (%s); starting afresh",
                self.folder,
                part.file,
                why,
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
        atomic_write_text(
            self.folder / STATE_FILE, json.dumps(record, indent=1) + "\n", durable=True
        )

    def add(self, rows: Sequence[dict[str, Any]], schema: Any, stats: dict[str, Any]) -> None:
        """Write ``rows`` (output rows, in order) as the next part, then record it with
        ``stats``, the run's counts up to and including these rows."""
        from annotate.tables import TableWriter

        assert self.state is not None and rows
        name = f"part-{len(self.state.parts):06d}.{self.format}"
        with TableWriter(self.folder / name, schema=schema, durable=True) as writer:
            writer.write(rows)
        counts = {k: v for k, v in stats.items() if k not in RUN_SETTINGS}
        digest = sha256_file(self.folder / name)
        first, last = str(rows[0]["id"]), str(rows[-1]["id"])
        self.state.parts.append(Part(name, len(rows), first, last, digest, counts))
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
        with atomic_output(self.out, durable=True) as tmp:  # on disk before the parts go
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
        """Remove the parts folder (after the output was written): its files now, but the
        lock file, which goes with the folder when the store is left (``__exit__``)."""
        if self._lock is None:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        for entry in self.folder.iterdir():
            if entry.name != LOCK_FILE:
                discard(entry)
        self._remove_on_exit = True


def damage(path: Path, part: Part, fmt: str) -> str | None:
    """What is wrong with the part file ``path`` against its record ``part``, in words;
    None when nothing is. Its SHA-256 must match the recorded one; with none recorded
    (an older record), every row must parse (each JSONL line a JSON object, the whole
    Parquet table) and their number match."""
    if not path.is_file():
        return "missing"
    try:
        if part.sha256 is not None:
            found = sha256_file(path)
            return (
                None
                if found == part.sha256
                else f"sha256 {found[:12]}…, recorded {part.sha256[:12]}…"
            )
        rows = _rows_in(path, fmt)
    except (OSError, ValueError) as exc:
        return f"unreadable: {exc}"
    return None if rows == part.rows else f"{rows} row(s), recorded {part.rows}"


def _rows_in(path: Path, fmt: str) -> int:
    """Rows of a part file, each parsed. ValueError (or OSError) when one does not parse."""
    if fmt == "jsonl":
        rows = 0
        with path.open("rb") as fh:
            for line in fh:
                if not isinstance(json.loads(line), dict):
                    raise ValueError(f"line {rows + 1} is not a JSON object")
                rows += 1
        return rows
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return int(pq.read_table(path).num_rows)
    except pa.ArrowException as exc:
        raise ValueError(str(exc)) from None


@contextmanager
def fresh_run(out: Path, fmt: str, *, restart: bool) -> Iterator[None]:
    """Held for the whole of a run that does not resume (the Ray engine) writing ``out``:
    the lock of ``out``'s parts folder (:class:`PartsStore`), taken on entry and kept to
    the end, as the local engine keeps it, so a local run of ``out`` started meanwhile is
    refused instead of writing beside it (and this one is refused while a local run
    writes ``out``: InputError). The parts an interrupted local run left there would
    outlive the new output, stale (a later local run resumes them, not it): InputError
    when there are any and ``restart`` is false (what they are, and the two ways on);
    with ``restart`` they are removed, with a warning. The folder (made for the lock when
    there was none) is removed on leaving, whether the run succeeded or not."""
    folder = parts_folder(out)
    with PartsStore(out, fmt) as store:
        if store.holds_parts():
            state = store._read()
            held = f"{state.rows:,} passage(s)" if state and state.parts else "the passages"
            if not restart:
                raise InputError(
                    f"{held} of {out} were pre-labelled by an interrupted local run (kept in "
                    f"{folder}); the Ray engine does not resume them, and they would be left "
                    "stale beside its output.",
                    fix="resume them with --engine local (the same command without --engine "
                    "ray), or add --restart to discard them and run on Ray.",
                )
            log.warning(
                "discarding %s pre-labelled by an earlier local run in %s (--restart)", held, folder
            )
        store.remove()  # its files now; the folder with the lock when the run ends
        yield
