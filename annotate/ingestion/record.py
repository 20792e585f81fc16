"""What an ingest run ran with (``ingest_run``, a column of every passage it writes).

An auditor reading an exported corpus must be able to tell how its passages were cut:
the splitter's limits, the duplicate and near-duplicate settings, the masking, the
earlier runs compared with, the input files and the tool version. Ingest writes that
record, as compact JSON, in each passage's ``ingest_run`` column (the pattern of
``redaction``): prelabel carries every input column, push puts it in the task and export
lists each distinct run once in the manifest's ``ingest_runs`` and names it per row by
its ``run`` id.

Input files are fingerprinted by SHA-256: ``inputs.sha256`` is the SHA-256 of the
``sha256sum``-style lines (``HEX  NAME``, sorted by name, each ending in a newline) of
every file under the paths given, named as ingest names documents (relative to what was
given: ``a.csv``, ``news/a.txt``); up to :data:`LISTED_FILES` of them are listed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotate.audit.redact import RedactionSettings

INGEST_RUN_COLUMN = "ingest_run"
RUN_PREFIX = "ingest-"
LISTED_FILES = 5  # input files listed by name in every row (all are in its digest)
NEAR_DUP_METHOD = "MinHash LSH (datasketch), 64 permutations, lower-cased word 3-grams"
_BLOCK = 1 << 20


@dataclass(frozen=True)
class InputFile:
    name: str  # relative to the path given, as document ids name files
    sha256: str
    bytes: int


@dataclass(frozen=True)
class IngestSettings:
    """The options an ingest ran with (``annotate ingest``'s, after defaults)."""

    text_column: str
    id_column: str | None
    delimiter: str | None  # None: each file's default (',' for .csv, tab for .tsv)
    max_chars: int
    min_chars: int
    drop_exact_duplicates: bool
    near_dup_threshold: float | None  # None: the search did not run
    drop_near_duplicates: bool
    redact: dict[str, Any] | None  # RedactionSettings.record(); None: not masked
    near_dup_method: str = NEAR_DUP_METHOD
    encoding: str = "UTF-8 (a leading BOM dropped; no other encoding is read)"


@dataclass(frozen=True)
class IngestRecord:
    annotate_version: str
    settings: IngestSettings
    inputs: list[InputFile]
    # the --previous files: name as given, SHA-256, and the runs their passages record
    previous: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data, with its ``run`` id (the first 16 hex digits of
        the SHA-256 of the rest, canonical JSON: equal settings, inputs and version give
        the same id)."""
        listed = sorted(self.inputs, key=lambda f: f.name)
        body: dict[str, Any] = {
            "annotate_version": self.annotate_version,
            "settings": asdict(self.settings),
            "inputs": {
                "files": len(listed),
                "bytes": sum(f.bytes for f in listed),
                "sha256": inputs_digest(listed),
                "listed": [asdict(f) for f in listed[:LISTED_FILES]],
            },
            "previous": self.previous,
        }
        digest = hashlib.sha256(_canonical(body).encode()).hexdigest()
        return {"run": f"{RUN_PREFIX}{digest[:16]}", **body}

    def to_json(self) -> str:
        return _canonical(self.as_dict())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def inputs_digest(files: Sequence[InputFile]) -> str:
    """SHA-256 of the files' ``sha256sum`` lines sorted by name (see the module doc)."""
    lines = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def input_files(paths: Sequence[Path]) -> list[InputFile]:
    """Every file under ``paths`` (a file as its name; a folder's files as
    ``FOLDER/relative/path``, hidden ones left out as ingest leaves them), fingerprinted."""
    from annotate.ingestion.readers import display_name

    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_dir():
            base = display_name(path)
            for p in sorted(path.rglob("*")):
                rel = p.relative_to(path)
                if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                    found.append((f"{base}/{rel.as_posix()}", p))
        elif path.is_file():
            found.append((display_name(path), path))
    out = []
    for name, p in found:
        digest, size = file_sha256(p)
        out.append(InputFile(name=name, sha256=digest, bytes=size))
    return out


def previous_record(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """The ``--previous`` files: name as given, SHA-256, and the ``run`` ids their
    passages record (empty for passages written before ingest recorded its runs)."""
    from annotate.tables import iter_rows, table_columns

    out = []
    for path in paths:
        digest, _ = file_sha256(path)
        runs: set[str] = set()
        try:
            has_column = INGEST_RUN_COLUMN in table_columns(path)
        except StopIteration:  # an empty JSONL
            has_column = False
        if has_column:
            for row in iter_rows(path):
                run = run_id(row.get(INGEST_RUN_COLUMN))
                if run is not None:
                    runs.add(run)
        out.append({"file": path.name, "sha256": digest, "runs": sorted(runs)})
    return out


def run_id(raw: Any) -> str | None:
    """The ``run`` id of an ``ingest_run`` value (JSON text or a dict, as ingest writes it;
    or the bare id, as an exported corpus's rows carry it); None when there is none or it
    cannot be read."""
    if not raw:
        return None
    if isinstance(raw, str) and raw.startswith(RUN_PREFIX) and raw[len(RUN_PREFIX) :].isalnum():
        return raw
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    run = value.get("run") if isinstance(value, dict) else None
    return str(run) if run else None


def build_record(
    paths: Sequence[Path],
    settings: IngestSettings,
    previous: Sequence[Path] = (),
) -> IngestRecord:
    from annotate._util.revision import tool_version

    return IngestRecord(
        annotate_version=tool_version(),
        settings=settings,
        inputs=input_files(paths),
        previous=previous_record(previous),
    )


def redact_record(redact: RedactionSettings | None) -> dict[str, Any] | None:
    return None if redact is None else redact.record()


__all__ = [
    "INGEST_RUN_COLUMN",
    "IngestRecord",
    "IngestSettings",
    "InputFile",
    "build_record",
    "inputs_digest",
    "run_id",
]
