"""`annotate verify`: recompute every checksum and row count an export's manifest records.

The manifest (``manifest.json``) lists each written file with its SHA-256 and size, and
the number of rows per split. Verification reads every listed file again and counts the
rows of each format independently (JSONL lines, Parquet footer, the HF Arrow shards), so
a changed, truncated, missing or added data file is found. ``report/`` is derived from
the verified files (``annotate report`` regenerates it) and is not listed in the manifest.

The manifest itself carries claims an auditor relies on (flagged reviewers, redaction,
versions, the checksums), so it records a digest of its own content (``manifest_digest``:
the SHA-256 of the manifest without that key, as JSON with sorted keys and no whitespace):
an edit by hand is found. Someone who rewrites the digest too is caught only against a
digest kept elsewhere: `annotate export` and `annotate verify` print the SHA-256 of
``manifest.json``, and ``verify --manifest-sha256 HEX`` checks it.

The checksums and ``content_sha256`` (taken over the JSONL) fit a JSONL rewritten together
with its manifest while Parquet and HF keep the original rows, so verify also reads the
three formats side by side and names the one that differs, with its rows and fields
(:mod:`annotate.audit.formats`; ``VerifyResult.formats_compared`` lists the splits found
equal).

Two exports of the same review state write the same data files (only the manifest
records ``exported_at``); exports made before 2026-12-05 recorded it in every row, so the
manifest also records ``content_sha256``: a digest of the rows without a time of export
(:func:`content_sha256`), which verify recomputes and prints; :func:`compare` says
whether two exports hold the same rows (older exports without the field are compared by
recomputing it). The review reports beside the rows
(``agreement.json``, ``exposure.json``, the decision records) have their own digest,
``reports_sha256``, and :func:`compare` compares the derived ``report/`` by its numbers
(:mod:`annotate.audit.reports_digest`).

Without the source files, the passage offsets are checked against the rows as ingest
writes them (length of the text, no overlap within a document: :mod:`annotate.audit.offsets_fit`),
and each row's split is recomputed from the manifest's seed and ratios
(:mod:`annotate.audit.splits_fit`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate._util.digest import sha256_file
from annotate._util.os_files import is_os_file, without_os_files
from annotate._util.progress import (
    ProgressFn,
    StageFn,
    add_total,
    advance,
    begin,
    counted,
    finish,
    stage,
)
from annotate._util.shell import sh
from annotate.audit.formats import (
    FORMATS,
    FormatDiff,
    compare_split,
    format_path,
    jsonl_rows,
    listed,
)
from annotate.audit.reports_digest import (
    DERIVED_DIRS as DERIVED_DIRS,  # regenerable from the data files; not in the manifest
)
from annotate.audit.reports_digest import (
    EXPORT_TIME_FIELDS,
    MANIFEST,
    REPORTS_KEY,
    canonical,
    combined_sha256,
    key_digests,
    keys_changed,
    report_files,
    report_numbers,
    reports_files_sha256,
)
from annotate.audit.rows_read import RowsRead, read_rows
from annotate.errors import AnnotateError

log = logging.getLogger(__name__)

DIGEST_KEY = "manifest_digest"
DIGEST_OF = "manifest.json without this key, as JSON with sorted keys and no whitespace"
CONTENT_KEY = "content_sha256"
CONTENT_OF = (
    "every row of jsonl/*.jsonl without " + ", ".join(EXPORT_TIME_FIELDS) + ", as JSON with "
    "sorted keys and no whitespace, the lines sorted, each followed by a newline"
)


class VerifyError(AnnotateError):
    """An exported corpus does not match its manifest."""


@dataclass
class Mismatch:
    path: str  # relative to the corpus directory
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


@dataclass
class VerifyResult:
    corpus: Path
    files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    manifest_sha256: str = ""  # of the manifest file as it is now
    self_digest: bool = False  # the manifest records a digest of its content (newer exports)
    # of the rows without their export time (:func:`content_sha256`); None: unreadable rows
    content_sha256: str | None = None
    content_recorded: bool = False  # the manifest records it (exports from 2026-12 on)
    # the review reports beside the rows without their export time, per file and combined
    # (annotate.audit.reports_digest); None: a report file is missing or unreadable
    reports_files: dict[str, str] = field(default_factory=dict)
    reports_sha256: str | None = None
    reports_recorded: bool = False  # the manifest records it (exports from 2026-12 on)
    # splits whose jsonl, parquet and hf rows were compared with each other (formats.py)
    formats_compared: list[str] = field(default_factory=list)
    # files an operating system left in the folder (.DS_Store, Thumbs.db, ._* ...), not
    # listed in the manifest: passed over, not a mismatch (annotate._util.os_files)
    os_files: list[str] = field(default_factory=list)
    # why the rows' splits were not recomputed from the manifest's seed and ratios
    # (annotate.audit.splits_fit); empty when they were
    splits_unchecked: str = ""
    splits_recomputed: bool = False  # and every row was in the split recomputed for it
    # rows whose passage offsets were checked against their text (annotate.audit.offsets_fit:
    # rows ingest cut), and rows with offsets no recorded ingest run cut, passed over (a
    # table of the user's own pushed through prelabel: its start/end are not ingest's)
    offsets_checked: int = 0
    offsets_passed_over: int = 0

    @property
    def ok(self) -> bool:
        return not self.mismatches


def content_lines(corpus: Path) -> list[tuple[str, str]]:
    """(row id, the canonical JSON of the row without :data:`EXPORT_TIME_FIELDS`) of every
    row of ``jsonl/*.jsonl``. Raises OSError or ValueError for an unreadable file."""
    out: list[tuple[str, str]] = []
    for path in without_os_files(sorted((corpus / "jsonl").glob("*.jsonl"))):
        for line_no, row in jsonl_rows(path):
            content = {k: v for k, v in row.items() if k not in EXPORT_TIME_FIELDS}
            out.append((str(row.get("id", f"{path.name}:{line_no}")), canonical(content)))
    return out


def content_rows(corpus: Path) -> dict[str, str]:
    """:func:`content_lines` by row id."""
    return dict(content_lines(corpus))


def content_sha256(corpus: Path) -> str:
    """SHA-256 of the exported rows without their export time (:data:`CONTENT_OF`): two
    exports of the same review state (same salt, seed and options) have the same one.
    Raises OSError or ValueError for an unreadable file."""
    return lines_sha256(content_lines(corpus))


def lines_sha256(lines: list[tuple[str, str]]) -> str:
    """:func:`content_sha256` of the rows' :func:`content_lines`, read already."""
    h = hashlib.sha256()
    for line in sorted(text for _, text in lines):
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()


def content_record(corpus: Path) -> dict[str, Any]:
    """The manifest's :data:`CONTENT_KEY` entry for the rows written in ``corpus``."""
    return {
        "sha256": content_sha256(corpus),
        "of": CONTENT_OF,
        "left_out": list(EXPORT_TIME_FIELDS),
    }


def content_digest(manifest: dict[str, Any]) -> str:
    """SHA-256 of ``manifest`` without :data:`DIGEST_KEY` (canonical JSON)."""
    content = {k: v for k, v in manifest.items() if k != DIGEST_KEY}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def with_digest(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with its :data:`DIGEST_KEY` (what export writes)."""
    out = {k: v for k, v in manifest.items() if k != DIGEST_KEY}
    out[DIGEST_KEY] = {"sha256": content_digest(out), "of": DIGEST_OF}
    return out


def _malformed(path: Path, what: str) -> VerifyError:
    return VerifyError(
        f"{path}: {what}; it is not a manifest `annotate export` writes.",
        fix="restore manifest.json from the export (or export again).",
    )


def _check_shape(path: Path, manifest: dict[str, Any]) -> None:
    """Raise VerifyError when ``files`` or ``rows`` hold values verify cannot read."""
    for rel, meta in manifest["files"].items():
        if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
            raise _malformed(path, f"files[{rel!r}] is {meta!r}, expected {{sha256, bytes}}")
        if "bytes" in meta and (type(meta["bytes"]) is not int or meta["bytes"] < 0):
            raise _malformed(path, f"files[{rel!r}].bytes is {meta['bytes']!r}, expected a size")
    rows = manifest.get("rows", {})
    if not isinstance(rows, dict):
        raise _malformed(path, f"rows is {rows!r}, expected a count per split")
    for split, n in rows.items():
        if type(n) is not int or n < 0:
            raise _malformed(path, f"rows[{split!r}] is {n!r}, expected a row count")


def _inside(corpus: Path, rel: str) -> bool:
    """Whether ``rel`` names a path inside ``corpus`` (no ``..``, not absolute)."""
    path = Path(rel)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


_ARCHIVES = {  # how an export sent as an archive is named -> the command that unpacks it
    ".zip": "unzip {file} -d {out}",
    ".tar.gz": "mkdir {out} && tar -xzf {file} -C {out}",
    ".tgz": "mkdir {out} && tar -xzf {file} -C {out}",
    ".tar": "mkdir {out} && tar -xf {file} -C {out}",
    ".tar.zst": "mkdir {out} && tar --zstd -xf {file} -C {out}",
    ".7z": "7z x {file} -o{out}",
}


def _unpack_command(path: Path) -> str | None:
    """The shell command that unpacks the archive ``path`` (``corpus.zip``) into a folder
    beside it named without its suffix (``-unpacked`` added when that exists), or None
    when ``path`` is named as no archive."""
    name = path.name.lower()
    for suffix, command in _ARCHIVES.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            out = path.with_name(path.name[: -len(suffix)])
            if out.exists():  # the folder it was made from, or a copy: never written over
                out = out.with_name(f"{out.name}-unpacked")
            return command.format(file=sh(path), out=sh(out))
    return None


EXPORT_DIRS = ("jsonl", "parquet", "hf")  # what `annotate export` writes beside manifest.json


def _export_files(folder: Path) -> list[str]:
    """The folders of ``folder`` that an export writes (:data:`EXPORT_DIRS`, ``jsonl/``
    ...), each non-empty; [] for a folder that holds none."""
    found: list[str] = []
    for name in EXPORT_DIRS:
        sub = folder / name
        try:
            if sub.is_dir() and any(sub.iterdir()):
                found.append(f"{name}/")
        except OSError:
            continue
    return found


def read_manifest(
    corpus: Path, *, or_model: bool = False, command: str = "verify"
) -> dict[str, Any]:
    """The parsed ``manifest.json`` of ``corpus``. ``or_model``: the command also takes a
    model folder (``annotate verify``), so a path that does not exist is told so; others
    (``report``, ``--same-as``) take an export only. ``command``: the annotate command
    that reads it, which the fix for a folder inside an export names (``report``: the
    fix named `annotate verify` to a user who ran `annotate report`, passH53 H9).

    Raises:
        VerifyError: no manifest, or one that is not a JSON object with ``files``.
    """
    path = corpus / MANIFEST
    if corpus.is_file():
        folder = corpus.parent if corpus.name == MANIFEST else _export_holding(corpus)
        unpack = _unpack_command(corpus)
        if folder is None and unpack is not None:
            raise VerifyError(
                f"{corpus} is an archive; an exported corpus is the folder that holds "
                "manifest.json, and annotate does not open archives.",
                fix=f"unpack it first (`{unpack}`), then pass the folder that holds "
                "manifest.json (the archive may hold it one level down).",
            )
        raise VerifyError(
            f"{corpus} is a file; an exported corpus is the folder that holds manifest.json.",
            fix=f"pass {folder}" + ("." if corpus.name == MANIFEST else " (the export it is in).")
            if folder is not None
            else "pass the --out directory of `annotate export`.",
        )
    if not path.is_file() and (corpus / "annotate_model.json").is_file():
        raise VerifyError(
            f"{corpus} is a model (it has annotate_model.json), not an exported corpus: "
            "verify checks an export's files against its manifest.",
            fix=f"check a model with `annotate verify {sh(corpus)}` alone (its version against "
            f"{corpus / 'model_card.md'}, its training data files re-hashed, its encoder); "
            "verify the exports it names with `annotate verify EXPORT --manifest-sha256 HEX`.",
        )
    if not corpus.exists():
        model = "; a model, the folder that holds annotate_model.json" if or_model else ""
        model_fix = (
            ", or a model folder (`annotate verify default` checks the shipped model)"
            if or_model
            else ""
        )
        raise VerifyError(
            f"{corpus}: no such folder (an exported corpus is the folder that holds "
            f"manifest.json{model}).",
            fix=f"check the path; pass the --out directory of `annotate export`{model_fix}.",
        )
    holder = _export_holding(corpus) if not path.is_file() else None
    if holder is not None:
        raise VerifyError(
            f"{path} not found: {corpus} is a folder inside the exported corpus {holder}; "
            "the checksums are in its manifest.json.",
            fix=f"pass {holder}: `annotate report {sh(holder)}` reports on the whole export."
            if command == "report"
            else f"pass {holder}: `annotate verify {sh(holder)}` checks every file of it.",
        )
    if not path.is_file() and (found := _export_files(corpus)):
        raise VerifyError(
            f"{path} not found, but {corpus} holds an export's files ({', '.join(found)}): "
            f"its {MANIFEST} was removed or not copied, so nothing in it can be verified "
            "(the manifest holds every file's checksum).",
            fix=f"get the complete export, {MANIFEST} included, from where it was made, and "
            "check it against the manifest SHA-256 recorded at export (`annotate verify DIR "
            "--manifest-sha256 SHA`); or export the project again (`annotate export`).",
        )
    if not path.is_file() and (weights := _model_files(corpus)):
        raise VerifyError(
            f"{corpus} holds a model's files ({', '.join(weights)}) but no "
            "annotate_model.json: a model folder copied in part, or that file removed or "
            "renamed since, so the model cannot be checked or used.",
            fix="copy the whole model folder again from where it was trained (annotate "
            "train writes annotate_model.json with its weights), or train it again.",
        )
    if not path.is_file():
        models = sorted(p.parent.name for p in corpus.glob("*/annotate_model.json"))[:3]
        # exported corpora one folder down (`out/` given for `out/corpus`)
        exports = sorted(p.parent.name for p in corpus.glob(f"*/{MANIFEST}"))[:3]
        held = (f"; it holds model folders ({', '.join(models)})" if models else "") + (
            f"; it holds exported corpora ({', '.join(exports)})" if exports else ""
        )
        raise VerifyError(
            f"{path} not found: {corpus} is not an exported corpus{held}.",
            fix="pass the --out directory of `annotate export`"
            + (f"; `annotate verify {sh(corpus / models[0])}` checks a model" if models else "")
            + (f"; e.g. {sh(corpus / exports[0])}" if exports else "")
            + ".",
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerifyError(
            f"{path} is not valid JSON ({exc}).", fix="re-export the corpus."
        ) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise VerifyError(f"{path} has no 'files' table of checksums.", fix="re-export the corpus.")
    _check_shape(path, manifest)
    return manifest


def _jsonl_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _arrow_rows(paths: list[Path]) -> int:
    import pyarrow as pa

    total = 0
    for path in paths:
        with pa.memory_map(str(path)) as source:
            try:
                reader: Any = pa.ipc.open_stream(source)
            except pa.ArrowInvalid:
                reader = pa.ipc.open_file(source)
                total += sum(reader.get_batch(i).num_rows for i in range(reader.num_record_batches))
                continue
            total += sum(batch.num_rows for batch in reader)
    return total


def _row_counters(corpus: Path, split: str) -> Iterator[tuple[str, Any]]:
    """(relative path, counter) for every format that holds ``split``."""
    yield f"jsonl/{split}.jsonl", lambda: _jsonl_rows(corpus / "jsonl" / f"{split}.jsonl")
    yield f"parquet/{split}.parquet", lambda: _parquet_rows(corpus / "parquet" / f"{split}.parquet")
    shards = without_os_files(sorted((corpus / "hf" / split).glob("*.arrow")))
    yield f"hf/{split}", lambda: _arrow_rows(shards)


def check(corpus: str | Path, progress: StageFn | None = None) -> VerifyResult:
    """Every mismatch between ``corpus`` and its manifest (an empty list when it verifies).
    ``progress``: a stage's progress per long step (:mod:`annotate._util.progress`):
    the files hashed, the rows read (once, for every check of them:
    :mod:`annotate.audit.rows_read`) and the passages of the near-duplicate search the
    split recompute repeats.

    Raises:
        VerifyError: the manifest itself is missing or unreadable.
    """
    corpus = Path(corpus)
    manifest = read_manifest(corpus)
    result = VerifyResult(corpus=corpus, manifest_sha256=sha256_file(corpus / MANIFEST))
    recorded = manifest.get(DIGEST_KEY)
    if recorded is not None:
        result.self_digest = True
        want = recorded.get("sha256") if isinstance(recorded, dict) else None
        if want != content_digest(manifest):
            result.mismatches.append(
                Mismatch(MANIFEST, "edited after export: its content no longer matches its digest")
            )
    listed: dict[str, Any] = manifest["files"]
    missing: set[str] = set()  # listed files not on disk: named once, not recounted below
    changed: set[str] = set()  # listed files whose size or SHA-256 differs (rows compared)
    hashing = stage(progress, "checksums", unit="file", total=len(listed))
    begin(hashing)
    for rel in counted(sorted(listed), hashing):
        meta = listed[rel]
        path = corpus / rel
        result.files += 1
        if not _inside(corpus, rel):
            result.mismatches.append(Mismatch(rel, "names a path outside the corpus folder"))
            continue
        if not path.is_file():
            result.mismatches.append(Mismatch(rel, "listed in the manifest but missing"))
            missing.add(rel)
            continue
        size = path.stat().st_size
        if "bytes" in meta and size != meta["bytes"]:
            said = f"{size} bytes, the manifest records {meta['bytes']}"
            result.mismatches.append(Mismatch(rel, said + _line_ends_said(path, meta)))
            changed.add(rel)
            continue
        digest = sha256_file(path)
        if digest != meta.get("sha256"):
            said = (
                f"SHA-256 {digest[:12]}… differs from the manifest's "
                f"{str(meta.get('sha256'))[:12]}…"
            )
            result.mismatches.append(Mismatch(rel, said + _line_ends_said(path, meta)))
            changed.add(rel)
    on_disk = {
        str(p.relative_to(corpus))
        for p in corpus.rglob("*")
        if p.is_file() and p.name != MANIFEST and p.relative_to(corpus).parts[0] not in DERIVED_DIRS
    }
    for rel in sorted(on_disk - set(listed)):
        if is_os_file(rel):  # a Mac or Windows copy of the folder added it
            result.os_files.append(rel)
            continue
        result.mismatches.append(Mismatch(rel, "present but not listed in the manifest"))
    finish(hashing)
    read = _read_rows(corpus, manifest, missing, progress)
    # the files' own checks below name what is wrong where a file cannot be read
    result.content_sha256 = read.content_sha256

    content = manifest.get(CONTENT_KEY)
    if content is not None:
        result.content_recorded = True
        want = content.get("sha256") if isinstance(content, dict) else None
        # a changed JSONL file is named above already; this finds a digest that does not
        # fit files that do
        named = any(m.path.startswith("jsonl/") for m in result.mismatches)
        if result.content_sha256 is not None and want != result.content_sha256 and not named:
            result.mismatches.append(
                Mismatch(
                    "jsonl",
                    f"rows' content SHA-256 {result.content_sha256[:12]}… differs from the "
                    f"manifest's {CONTENT_KEY} {str(want)[:12]}…",
                )
            )
    _check_reports(corpus, manifest, result)
    rows = manifest.get("rows") or {}
    splits = [s for s in rows if s != "total"]
    for split in splits:
        if not _inside(corpus, split) or len(Path(split).parts) != 1:
            result.mismatches.append(Mismatch(MANIFEST, f"split {split!r} is not a split name"))
            continue
        want = int(rows[split])
        result.rows[split] = want
        for rel, counter in _row_counters(corpus, split):
            if rel in missing or any(m.startswith(rel + "/") for m in missing):
                continue  # a deleted file is one mismatch, not also an unreadable one
            try:
                found = counter()
            except (OSError, ValueError) as exc:  # pyarrow errors derive from these
                result.mismatches.append(Mismatch(rel, f"cannot be read ({exc})"))
                continue
            if found != want:
                result.mismatches.append(
                    Mismatch(rel, f"{found} rows, the manifest records {want} for {split!r}")
                )
    compared = [s for s in splits if s in result.rows]
    _check_formats(corpus, compared, result, changed, missing, read.formats)
    _name_report_edits(corpus, manifest, result, changed, read.by_id)
    _check_records_fit_rows(corpus, manifest, result, splits, read.by_id)
    named = {m.path for m in result.mismatches}  # a file named already: its own mismatch
    offsets = read.offsets
    result.offsets_checked, result.offsets_passed_over = offsets.checked, offsets.passed_over
    for rel, what in offsets.misfits:
        if rel not in named and rel not in missing:
            result.mismatches.append(Mismatch(rel, what))
    _check_splits(corpus, manifest, result, missing, read.split_rows, progress)
    if "total" in rows and sum(int(rows[s]) for s in splits) != int(rows["total"]):
        result.mismatches.append(
            Mismatch(
                MANIFEST,
                f"split rows add up to {sum(int(rows[s]) for s in splits)}, "
                f"total says {rows['total']}",
            )
        )
    records = manifest.get("decision_records")
    if isinstance(records, dict) and records.get("file"):
        rel = str(records["file"])
        if not _inside(corpus, rel):
            result.mismatches.append(Mismatch(rel, "names a path outside the corpus folder"))
        elif (corpus / rel).is_file():
            found = _jsonl_rows(corpus / rel)
            if found != records.get("rows"):
                result.mismatches.append(
                    Mismatch(rel, f"{found} records, the manifest records {records.get('rows')}")
                )
    log.info("verified %s: %d files, %d mismatches", corpus, result.files, len(result.mismatches))
    return result


def _read_rows(
    corpus: Path, manifest: dict[str, Any], missing: set[str], progress: StageFn | None
) -> RowsRead:
    """Every JSONL row of ``corpus`` read once for the checks of them
    (:func:`annotate.audit.rows_read.read_rows`): the formats of the manifest's splits
    compared but where a file of a split is ``missing`` (named already), offsets checked,
    the fields kept that the splits are recomputed from (where they can be), the rows by
    id where a decision records file is there to check them against. The "rows" stage's
    total is the manifest's row count, grown as more rows are read (a JSONL file of no
    split, rows added to a split's file)."""
    from annotate.audit.splits_fit import kept_fields

    rows = manifest.get("rows") or {}
    splits = [s for s in rows if s != "total" and _inside(corpus, s) and len(Path(s).parts) == 1]
    compared = [
        split
        for split in splits
        if not any(
            rel == path or rel.startswith(path + "/")
            for path in (format_path(f, split) for f in FORMATS)
            for rel in missing
        )
    ]
    listed_runs = (manifest.get("ingest_runs") or {}).get("runs") or []
    runs = {str(r["run"]) for r in listed_runs if isinstance(r, dict) and r.get("run")}
    kept = kept_fields(manifest)
    total = sum(int(rows[s]) for s in splits)
    reading = stage(progress, "rows", unit="row", total=total)
    begin(reading)
    records = manifest.get("decision_records")
    rel = str(records["file"]) if isinstance(records, dict) and records.get("file") else None
    try:
        read = read_rows(
            corpus,
            splits,
            compared,
            masked=bool((manifest.get("redaction") or {}).get("ran")),
            runs=runs,
            kept=None if isinstance(kept, str) else kept,
            by_id=rel is not None and _inside(corpus, rel) and (corpus / rel).is_file(),
            progress=None if reading is None else _Growing(reading, total),
        )
    finally:
        finish(reading)
    return read


class _Growing:
    """A stage's progress told of ``total`` units that tells it of more (its
    ``add_total``, :func:`annotate._util.progress.add_total`) as soon as more are done,
    so that its bar does not pass 100 %."""

    def __init__(self, progress: ProgressFn, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def __call__(self, n: int) -> None:
        self.done += n
        if self.done > self.total:
            add_total(self.progress, self.done - self.total)
            self.total = self.done
        advance(self.progress, n)


def _check_splits(
    corpus: Path,
    manifest: dict[str, Any],
    result: VerifyResult,
    missing: set[str],
    rows: list[dict[str, Any]] | None = None,
    progress: StageFn | None = None,
) -> None:
    """A mismatch naming the rows whose split is not the one the manifest's seed and
    ratios give them (:mod:`annotate.audit.splits_fit`); ``result.splits_unchecked`` says
    why when the splits cannot be recomputed. Passed over when a JSONL file is named
    already. ``rows``: the rows kept for the recompute, read already
    (:mod:`annotate.audit.rows_read`; None: read here, or a file could not be read)."""
    from annotate.audit.splits_fit import kept_fields, split_misfits, split_misfits_of

    splits = list(result.rows)
    if missing or any(m.path.startswith("jsonl") for m in result.mismatches):
        return  # the rows' own mismatch names what changed
    kept = kept_fields(manifest)
    try:
        if isinstance(kept, str):
            found: tuple[str, list[str]] | str = kept
        elif rows is None:
            found = split_misfits(corpus, manifest, splits)
        else:
            hashing = None
            if "text" in kept:  # export searched near-duplicates: the search again
                hashing = stage(progress, "near-duplicates", unit="passage", total=len(rows))
                begin(hashing)
            try:
                found = split_misfits_of(rows, manifest, hashing)
            finally:  # closed when the search raises too (its stage is over)
                finish(hashing)
    except (OSError, ValueError):  # the file's own mismatch names it
        return
    if isinstance(found, str):
        result.splits_unchecked = found
        log.info("splits not recomputed: %s", found)
    elif found[0]:
        result.mismatches.append(Mismatch("jsonl", found[0]))
    else:
        result.splits_recomputed = True


def _check_formats(
    corpus: Path,
    splits: list[str],
    result: VerifyResult,
    changed: set[str] | frozenset[str] = frozenset(),
    missing: set[str] | frozenset[str] = frozenset(),
    compared: dict[str, FormatDiff | Exception] | None = None,
) -> None:
    """A mismatch for each split whose jsonl, parquet and hf rows differ
    (:mod:`annotate.audit.formats`). A split with a file ``missing`` is skipped (named
    already); one whose files changed (``changed``: size or SHA-256 differs from the
    manifest's) or hold another row count is still compared, so that the mismatch names
    the rows: those that differ from the other two formats (an edited JSONL row: its id
    and fields), a format lacks (deleted), or holds alone (added) or more often (copied),
    when the files can be read (an unreadable one is named as such already).
    ``compared``: the comparisons made already, per split (:mod:`annotate.audit.rows_read`:
    the diff, or the error that stopped it); a split not in it is compared here."""
    for split in splits:
        paths = [format_path(f, split) for f in FORMATS]
        named = [
            m for m in result.mismatches for p in paths if m.path == p or m.path.startswith(p + "/")
        ]
        if any(m.path in missing for m in named):
            continue  # named already; nothing to compare it with
        try:
            done = (compared or {}).get(split)
            if isinstance(done, Exception):
                raise done
            diff = compare_split(corpus, split) if done is None else done
        except (OSError, ValueError) as exc:  # pyarrow errors derive from these
            if not named:
                result.mismatches.append(Mismatch(split, f"formats cannot be compared ({exc})"))
            continue  # a changed file that cannot be read is named by its checksum
        if diff.same and not diff.no_features:
            if not named:
                result.formats_compared.append(split)
            continue
        # what the diff says, per mismatch it adds to (its index in ``named``) or per
        # path without one, in the order said; merged into the result below
        said: dict[int | str, list[str]] = {}
        for path, what in diff.messages():
            for target, text in _diff_said(path, what, diff, named, changed):
                said.setdefault(target, []).append(text)
        for target, texts in said.items():
            if isinstance(target, int):
                named[target].what += "".join(f"; {t}" for t in texts)
            else:
                result.mismatches.extend(Mismatch(target, t) for t in texts)


def _diff_said(
    path: str,
    what: str,
    diff: FormatDiff,
    named: list[Mismatch],
    changed: set[str] | frozenset[str],
) -> list[tuple[int | str, str]]:
    """Where one message of ``diff`` (``path``: the format or split it is about) goes:
    ``(index in named, text)`` to add to a mismatch already named, or ``(path, text)`` for
    a mismatch of its own. The changed file is the odd one: its own mismatch says which
    of its rows changed. The odd format is the unchanged one while every named file
    changed (the changed files were edited alike): each named mismatch says which rows
    differ from it, the one that matches the manifest. Else the message is its own."""
    own = [i for i, m in enumerate(named) if m.path == path or m.path.startswith(path + "/")]
    if own:
        return [(own[0], what)]
    odd = next((f for f in FORMATS if format_path(f, diff.split) == path), None)
    if odd in diff.rows and named and all(m.path in changed for m in named):
        rows = listed([f"{rid} ({', '.join(f)})" for rid, f in diff.rows[odd]], diff.counts[odd])
        text = f"{diff.counts[odd]} row(s) differ from {path}, which matches the manifest: {rows}"
        return [(i, text) for i in range(len(named))]
    return [(path, what)]


def _name_report_edits(
    corpus: Path,
    manifest: dict[str, Any],
    result: VerifyResult,
    changed: set[str],
    rows: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Name what changed in each changed review report (``changed``: its size or SHA-256
    differs from the manifest's), as the rows of a changed data file are named: the
    decision records that differ from the rows they name (:func:`annotate.audit.
    decision_records.records_differing`), or the keys of a JSON report whose digests
    differ from the manifest's ``reports_sha256.keys`` (:func:`annotate.audit.
    reports_digest.key_digests`). ``rows``: the exported rows by id, read already
    (:attr:`annotate.audit.rows_read.RowsRead.by_id`; None: not read, or a file could
    not be read)."""
    reports = set(report_files(manifest["files"]))
    for m in result.mismatches:
        if m.path in changed and m.path in reports:
            m.what += _report_edit_said(corpus, manifest, m.path, rows)


def _report_edit_said(
    corpus: Path,
    manifest: dict[str, Any],
    rel: str,
    rows: dict[str, dict[str, Any]] | None = None,
) -> str:
    """``"; ..."``: what changed in the review report ``rel``, or ``""`` when it cannot
    be said (a file that is not JSON, a manifest without the digests needed, decision
    records without the ``rows`` they are checked against)."""
    records = manifest.get("decision_records")
    if isinstance(records, dict) and records.get("file") == rel:
        return _records_said(corpus, manifest, rel, rows)
    if not rel.endswith(".json"):
        return ""
    keys = ((manifest.get(REPORTS_KEY) or {}).get("keys") or {}).get(rel)
    if not isinstance(keys, dict):
        return (
            "; the manifest records no per-key digests of it (an export made before them), "
            "so the keys that changed cannot be named"
        )
    try:
        found = key_digests(json.loads((corpus / rel).read_text(encoding="utf-8")))
    except (OSError, ValueError):  # JSON and decoding errors derive from ValueError
        return "; it is no longer valid JSON"
    named = keys_changed(keys, found)
    if not named:
        return (
            "; every key holds what the manifest's per-key digests record (only its layout differs)"
        )
    keys = listed(named[:NAMED_KEYS], len(named))
    return f"; {len(named)} key(s) differ from the manifest's per-key digests: {keys}"


NAMED_KEYS = 10  # keys of a changed JSON report named; the count covers the rest


RecordsDiff = tuple[list[tuple[str, list[str]]], list[str], list[str]]


def _records_diff(
    corpus: Path,
    manifest: dict[str, Any],
    rel: str,
    tax: Any,
    rows: dict[str, dict[str, Any]] | None,
) -> RecordsDiff | None:
    """:func:`annotate.audit.decision_records.records_differing` of the decision records
    file ``rel`` against the exported ``rows`` (by id, without their export time: read
    once with the other checks of them, :mod:`annotate.audit.rows_read`); None when
    either cannot be read (``rows`` None)."""
    from annotate.audit.decision_records import records_differing
    from annotate.corpus.offered import vote_record

    if rows is None:
        return None  # an unreadable JSONL file: its own mismatch names it
    try:
        return records_differing(
            corpus / rel, rows, tax, manifest.get("review"), vote_record(manifest)
        )
    except (OSError, ValueError):
        return None  # an unreadable file: its checksum says enough


def _records_said(
    corpus: Path,
    manifest: dict[str, Any],
    rel: str,
    rows: dict[str, dict[str, Any]] | None = None,
) -> str:
    """What :func:`_report_edit_said` says of the decision records file ``rel``."""
    from annotate.audit.decision_records import WORDED

    tax = _export_taxonomy(manifest)
    diff = _records_diff(corpus, manifest, rel, tax, rows)
    if diff is None:
        return ""
    said = _records_diff_said(diff)
    if said:
        return said
    if tax is None:
        return (
            "; its records hold what the rows give in every field the rows alone give: the "
            f"edit is in a field written from labels.yaml ({', '.join(WORDED)}), compared "
            "only with the labels.yaml the export was made with (its taxonomy.sha256 in "
            "manifest.json; pass it as $ANNOTATE_LABELS)"
        )
    return "; every record holds what its row gives (only the layout differs)"


def _records_diff_said(diff: RecordsDiff) -> str:
    """``"; ..."``: the records of ``diff`` that differ from, lack or add to the rows;
    ``""`` when none does."""
    differ, lacks, extra = diff
    said = ""
    if differ:
        named = listed([f"{pid} ({', '.join(f)})" for pid, f in differ[:NAMED_ROWS]], len(differ))
        said += f"; {len(differ)} record(s) differ from the rows they name: {named}"
    if lacks:
        said += f"; lacks the record(s) of {len(lacks)} row(s): {_listed(lacks)}"
    if extra:
        said += (
            f"; holds {len(extra)} record(s) of no row, or of a row named before (added or "
            f"copied): {_listed(extra)}"
        )
    return said


def _check_records_fit_rows(
    corpus: Path,
    manifest: dict[str, Any],
    result: VerifyResult,
    splits: list[str],
    rows: dict[str, dict[str, Any]] | None = None,
) -> None:
    """A mismatch when the decision records file matches the manifest but not the rows it
    names, while every data file matches too: the rows were rewritten in all three
    formats with the manifest's checksums and digests made to fit (a forger's edit that
    only the records, or a manifest SHA-256 kept elsewhere, still show; audit61). Passed
    over when a data file or the records file is named already (its own mismatch says
    which rows changed). ``rows``: the exported rows by id, read already (None: not
    read, or a file could not be read: nothing is said)."""
    records = manifest.get("decision_records")
    if not (isinstance(records, dict) and records.get("file")):
        return
    rel = str(records["file"])
    data = ("jsonl/", "parquet/", "hf/")
    if not _inside(corpus, rel) or not (corpus / rel).is_file():
        return
    if any(m.path == rel or m.path.startswith(data) or m.path in splits for m in result.mismatches):
        return
    diff = _records_diff(corpus, manifest, rel, _export_taxonomy(manifest), rows)
    said = _records_diff_said(diff) if diff is not None else ""
    if said:
        result.mismatches.append(
            Mismatch(
                rel,
                "matches the manifest, but not the rows it records the decisions of"
                + said
                + " (the rows, in every format, or these records were rewritten after "
                "export with the manifest's checksums made to fit them; --manifest-sha256 "
                "with the SHA-256 recorded at export shows the manifest replaced)",
            )
        )


NAMED_ROWS = 5  # records named per changed decision records file


def _listed(ids: list[str]) -> str:
    return listed(ids[:NAMED_ROWS], len(ids))


def _export_taxonomy(manifest: dict[str, Any]) -> Any:
    """The labels.yaml at hand (:func:`annotate.taxonomy.load_taxonomy`) when it is the
    one the export was made with (the manifest's ``taxonomy.sha256``), else None."""
    from annotate.taxonomy import load_taxonomy

    want = (manifest.get("taxonomy") or {}).get("sha256")
    try:
        tax = load_taxonomy()
    except AnnotateError:
        return None
    return tax if want and tax.content_sha256 == want else None


def _check_reports(corpus: Path, manifest: dict[str, Any], result: VerifyResult) -> None:
    """Recompute the review reports' digest into ``result``; a mismatch when the manifest
    records another one and the files themselves match theirs (a rewritten digest)."""
    names = [n for n in report_files(manifest["files"]) if _inside(corpus, n)]
    try:
        result.reports_files = reports_files_sha256(corpus, names)
        result.reports_sha256 = combined_sha256(result.reports_files)
    except (OSError, ValueError):  # the files' own checks name what is wrong
        result.reports_files, result.reports_sha256 = {}, None
    recorded = manifest.get(REPORTS_KEY)
    if recorded is None:
        return
    result.reports_recorded = True
    want = recorded.get("sha256") if isinstance(recorded, dict) else None
    named = any(m.path in names for m in result.mismatches)
    if result.reports_sha256 is not None and want != result.reports_sha256 and not named:
        result.mismatches.append(
            Mismatch(
                MANIFEST,
                f"its {REPORTS_KEY} {str(want)[:12]}… does not fit the review reports "
                f"({', '.join(names) or 'none'}: {result.reports_sha256[:12]}…)",
            )
        )


MORE_NAMED = 10  # further mismatches named after the first


def against_recorded(result: VerifyResult, manifest_sha256: str | None) -> VerifyResult:
    """``result`` with a first mismatch when ``manifest_sha256`` (the SHA-256 of
    ``manifest.json`` recorded at export, kept elsewhere) is given and is not the
    manifest's: either the manifest was replaced (its own digest rewritten with it), or
    the SHA-256 given is not this export's (another export's, pasted by mistake: the
    folder alone cannot tell which, stop 48 new-user F4)."""
    if manifest_sha256 is not None and manifest_sha256.strip().lower() != result.manifest_sha256:
        given = manifest_sha256.strip().lower()
        result.mismatches.insert(
            0,
            Mismatch(
                MANIFEST,
                f"SHA-256 {result.manifest_sha256} does not match the SHA-256 given, {given}: "
                "either the manifest was replaced since export, or the SHA-256 given is "
                "another export's (or mistyped)",
            ),
        )
    return result


def only_the_given_sha256(
    mismatches: list[Any], manifest_sha256: str | None, actual: str | None
) -> bool:
    """Whether the only mismatch of ``mismatches`` (:class:`Mismatch` or their text) is
    the manifest's SHA-256 (``actual``) against the ``manifest_sha256`` given: every file
    matches the manifest, so the SHA-256 given may be the wrong one."""
    return (
        manifest_sha256 is not None
        and manifest_sha256.strip().lower() != actual
        and len(mismatches) == 1
    )


WRONG_SHA256_FIX = (
    "compare the SHA-256 given with the one `annotate export` printed for this export (kept "
    "outside the folder when it was made); if they are the same, the manifest was replaced: "
    "restore the export from a copy you trust, or export again."
)


LINE_END_SUFFIXES = (".jsonl", ".json")  # text files export writes with LF line ends


def _line_ends_said(path: Path, meta: dict[str, Any]) -> str:
    """``"; only its line ends differ: ..."`` when ``path`` (a text file export wrote, with
    LF line ends) holds the recorded bytes but for CRLF line ends (a Windows copy, a zip
    tool's text mode, git's ``core.autocrlf``): its rows are unchanged, and the fix is to
    convert them back, not to distrust the rows. Else ``""``. Reads the file whole, only
    for a text file that does not match."""
    if path.suffix.lower() not in LINE_END_SUFFIXES:
        return ""
    try:
        raw = path.read_bytes()
    except OSError:
        return ""
    if b"\r\n" not in raw:
        return ""
    if hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest() != meta.get("sha256"):
        return ""
    return (
        "; only its line ends differ: it holds the exported bytes with CRLF line ends (a "
        "Windows copy, a zip tool's text mode or git's core.autocrlf), its rows unchanged; "
        f"convert them back (`sed -i 's/\\r$//' {sh(str(path))}`, or `dos2unix`) and verify "
        "again"
    )


def verify(
    corpus: str | Path, manifest_sha256: str | None = None, progress: StageFn | None = None
) -> VerifyResult:
    """Like :func:`check`, but a mismatch raises. ``manifest_sha256``: the SHA-256 of
    ``manifest.json`` recorded at export (elsewhere); another manifest is a mismatch.
    ``progress``: as :func:`check` takes it.

    Raises:
        VerifyError: the first mismatch, naming the file, then the other files that differ.
    """
    result = against_recorded(check(corpus, progress), manifest_sha256)
    if result.mismatches:
        first = result.mismatches[0]
        rest = result.mismatches[1:]
        named = "; ".join(str(m) for m in rest[:MORE_NAMED])
        if len(rest) > MORE_NAMED:
            named += f"; and {len(rest) - MORE_NAMED} more"
        plural = "es" if len(rest) > 1 else ""
        extra = f" ({len(rest)} more mismatch{plural}: {named})" if rest else ""
        raise VerifyError(
            f"{Path(corpus) / first.path}: {first.what}{extra}.",
            fix=WRONG_SHA256_FIX
            if only_the_given_sha256(result.mismatches, manifest_sha256, result.manifest_sha256)
            else "the corpus changed after export: restore it or export again.",
        )
    return result


@dataclass
class Comparison:
    """Whether two exports hold the same rows and review reports (their time of export
    left out)."""

    a: VerifyResult
    b: VerifyResult
    only_in_a: list[str] = field(default_factory=list)  # row ids
    only_in_b: list[str] = field(default_factory=list)
    differ: list[str] = field(default_factory=list)  # ids in both, with other content
    # review report files (agreement.json, ...) in either export whose content differs
    reports_differ: list[str] = field(default_factory=list)
    # top-level keys of report/report.json whose numbers differ (both have a report)
    report_differs: list[str] = field(default_factory=list)
    # the exports without a readable report/report.json (derived: not compared then)
    report_missing: list[Path] = field(default_factory=list)

    @property
    def same_rows(self) -> bool:
        return self.a.content_sha256 == self.b.content_sha256 is not None

    # per id of ``differ``: the row fields whose values differ (e.g. labels, resolution),
    # a field one row has and the other lacks included
    differ_fields: dict[str, list[str]] = field(default_factory=dict)
    # fields the rows of one export have and the other's lack (a row field added since
    # the older export, e.g. ``license``): the rows differ by them even when every value
    # is null
    fields_only_in_a: list[str] = field(default_factory=list)
    fields_only_in_b: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        """The same rows, review reports and report numbers (a missing report/ aside)."""
        return self.same_rows and not self.reports_differ and not self.report_differs

    @property
    def only_new_columns(self) -> bool:
        """Whether the rows differ only by columns one export has and the other lacks (a
        newer annotate's, e.g. ``model_language_warning``): the same row ids, and every
        value that differs is in such a column; the review reports the same."""
        gained = set(self.fields_only_in_a) | set(self.fields_only_in_b)
        return (
            bool(gained)
            and not self.only_in_a
            and not self.only_in_b
            and not self.reports_differ
            and all(set(f) <= gained for f in self.differ_fields.values())
        )


def compare(a: str | Path, b: str | Path) -> Comparison:
    """Verify both exports (:func:`verify`), then compare their rows without the export
    time (the same :func:`content_sha256`, or the ids of the rows that differ), their
    review reports (the files that differ) and their ``report/`` numbers (the keys that
    differ; not compared when either export has no report).

    Raises:
        VerifyError: either export does not match its own manifest.
    """
    result = Comparison(a=verify(a), b=verify(b))
    files_a, files_b = result.a.reports_files, result.b.reports_files
    result.reports_differ = sorted(
        n for n in files_a.keys() | files_b.keys() if files_a.get(n) != files_b.get(n)
    )
    numbers_a, numbers_b = report_numbers(Path(a)), report_numbers(Path(b))
    result.report_missing = [Path(p) for p, n in ((a, numbers_a), (b, numbers_b)) if n is None]
    if numbers_a is not None and numbers_b is not None:
        result.report_differs = sorted(
            k for k in numbers_a.keys() | numbers_b.keys() if numbers_a.get(k) != numbers_b.get(k)
        )
    if result.same_rows:
        return result
    rows_a, rows_b = content_rows(Path(a)), content_rows(Path(b))
    result.only_in_a = sorted(rows_a.keys() - rows_b.keys())
    result.only_in_b = sorted(rows_b.keys() - rows_a.keys())
    differ = sorted(k for k in rows_a.keys() & rows_b.keys() if rows_a[k] != rows_b[k])
    only_a: set[str] = set()
    only_b: set[str] = set()
    for k in differ:
        row_a, row_b = json.loads(rows_a[k]), json.loads(rows_b[k])
        # a field one row lacks and the other holds as null is the same (readers take a
        # missing column as null: a newer version's column, e.g. model_language_warning,
        # on an older export: break8 M4); said apart as a column one export gained
        fields = sorted(f for f in row_a.keys() | row_b.keys() if row_a.get(f) != row_b.get(f))
        if fields:
            result.differ.append(k)
            result.differ_fields[k] = fields
        only_a |= row_a.keys() - row_b.keys()
        only_b |= row_b.keys() - row_a.keys()
    result.fields_only_in_a, result.fields_only_in_b = sorted(only_a), sorted(only_b)
    return result


def _export_holding(path: Path) -> Path | None:
    """The export ``path`` lies inside (a split file, or its ``jsonl/``, ``parquet/`` or
    ``hf/`` folder), named as given, or None (:func:`annotate._util.export_dir.export_holding`:
    file checks, no training import)."""
    from annotate._util.export_dir import export_holding

    return export_holding(path)


# the files `annotate train` writes beside annotate_model.json (weights and the card)
_MODEL_FILES = (
    "model_card.md",
    "linear.safetensors",
    "model.safetensors",
    "head.safetensors",
    "heads.safetensors",
)


def _model_files(folder: Path) -> list[str]:
    """The model files in ``folder`` (none when it holds annotate_model.json: a model)."""
    if (folder / "annotate_model.json").exists():
        return []
    return [name for name in _MODEL_FILES if (folder / name).is_file()]
