"""What two exports' review reports are, without their time of export.

``content_sha256`` covers the rows only; an export also writes review reports beside them
(``agreement.json`` with gold accuracy, ``exposure.json``, the decision records: every
file the manifest lists outside the row formats ``jsonl/``, ``parquet/`` and ``hf/``),
which hold what the rows do not (gold answers, skips). Their digest, recorded in the
manifest as ``reports_sha256`` (exports from 2026-12 on; older ones recompute it), is the
SHA-256 of ``NAME SHA256`` lines, one per file in name order, each file's digest taken
over its content without :data:`EXPORT_TIME_FIELDS` (JSON as canonical JSON, JSONL as
its canonical lines sorted, other files as they are).

``report/`` is derived (written after the manifest, from it and the files above;
``annotate report`` regenerates it), so no manifest records it. Two exports' reports are
compared by their numbers, ``report/report.json`` without :data:`REPORT_LEFT_OUT` (where,
when and with which tool versions the export was written, and the per-file checksums,
which differ with every export's ``exported_at``): ``report.md``, ``report.html`` and the
figures are drawn from those numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotate._util.digest import sha256_file

REPORTS_KEY = "reports_sha256"
ROW_DIRS = ("jsonl", "parquet", "hf")  # the rows, covered by content_sha256
DERIVED_DIRS = ("report",)  # regenerable from the data files; not in the manifest
MANIFEST = "manifest.json"
# fields that record when the export ran, not what was reviewed (rows and reports alike)
EXPORT_TIME_FIELDS = ("exported_at",)
REPORTS_OF = (
    "NAME SHA256 lines (sorted by name) of every file listed in the manifest outside "
    "jsonl/, parquet/ and hf/: JSON as canonical JSON (sorted keys, no whitespace), JSONL "
    "as its canonical lines sorted, each without " + ", ".join(EXPORT_TIME_FIELDS)
)
# report/report.json keys that say where, when and with what the export was written, not
# what it holds: the folder, the time, the Label Studio address it read (a local server
# takes a free port), the tools' versions, and checksums.files (each file's SHA-256,
# which changes with every export time), and the manifest's own SHA-256 (it too)
REPORT_LEFT_OUT = (
    "corpus",
    "written_files",  # the SHA-256 of report.md and the figures: they name the export time
    "exported_at",
    "project.label_studio_url",
    "versions.tools",
    "checksums.files",
    # the SHA-256 of each export's manifest.json, which records its exported_at
    "checksums.manifest_sha256",
    # what changed since the export this one replaced in its folder (none for a new
    # folder): about the folder's history, not what the export holds
    "licenses.changed_since_previous_export",
    # ... and the answers made or changed since that export (passD51 D8): the same
    "answers_changed_since_previous_export",
    # whether the export it replaced in its folder used the same key: the folder's
    # history, not what was reviewed
    "redaction.masked_at_export.pseudonymised_ids.same_key_as_previous_export",
)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _untimed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items() if k not in EXPORT_TIME_FIELDS}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value


def report_files(listed: Iterable[str]) -> list[str]:
    """The review report files among the manifest's ``listed`` paths (sorted)."""
    return sorted(
        rel
        for rel in listed
        if rel != MANIFEST and Path(rel).parts and Path(rel).parts[0] not in ROW_DIRS + DERIVED_DIRS
    )


def file_content_sha256(path: Path) -> str:
    """SHA-256 of ``path`` without its export time (see the module). Raises OSError, or
    ValueError for a JSON file that does not parse."""
    if path.suffix == ".json":
        text = canonical(_untimed(json.loads(path.read_text(encoding="utf-8"))))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            lines = sorted(canonical(_untimed(json.loads(line))) for line in fh if line.strip())
        h = hashlib.sha256()
        for line in lines:
            h.update(line.encode("utf-8") + b"\n")
        return h.hexdigest()
    return sha256_file(path)


def reports_files_sha256(corpus: Path, names: Iterable[str]) -> dict[str, str]:
    """:func:`file_content_sha256` of each of ``names`` (paths in ``corpus``). Raises
    OSError or ValueError for a missing or unreadable file."""
    return {name: file_content_sha256(corpus / name) for name in sorted(names)}


def combined_sha256(files: dict[str, str]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(f"{name} {files[name]}\n".encode())
    return h.hexdigest()


KEYS_OF = (
    "per JSON report file, the first 16 hex digits of the SHA-256 of each value (canonical "
    "JSON, without " + ", ".join(EXPORT_TIME_FIELDS) + ") by its key path (gold.reviewers.r-1, "
    "pairwise_kappa[0]), as deep as stays within 1000 paths a file (at most 3 levels)"
)
KEY_DEPTH = 3  # levels of keys (and list positions) a JSON report's digests go down
KEY_PATHS = 1000  # the most paths recorded a file: a shallower level when more


def key_digests(value: Any) -> dict[str, str]:
    """The per-key digests of a JSON report's content (:data:`KEYS_OF`): key path ->
    the first 16 hex digits of the SHA-256 of its value, for every path down to the
    deepest level (at most :data:`KEY_DEPTH`) whose paths number at most :data:`KEY_PATHS`
    (the top level always). So verify names the keys of an edited report (``agreement.
    json``'s ``gold.reviewers.r-1``), not only the file."""
    value = _untimed(value)
    out: dict[str, str] = {}
    level: list[tuple[str, Any]] = [("", value)]
    for depth in range(KEY_DEPTH):
        below: list[tuple[str, Any]] = []
        for path, node in level:
            if isinstance(node, dict):
                below += [(f"{path}.{k}" if path else str(k), v) for k, v in node.items()]
            elif isinstance(node, list):
                below += [(f"{path}[{i}]", v) for i, v in enumerate(node)]
        if not below or (depth and len(out) + len(below) > KEY_PATHS):
            break
        for path, node in below:
            out[path] = hashlib.sha256(canonical(node).encode("utf-8")).hexdigest()[:16]
        level = below
    return out


def keys_changed(recorded: dict[str, str], found: dict[str, str]) -> list[str]:
    """The key paths whose digests differ between ``recorded`` and ``found``
    (:func:`key_digests`), the deepest only (``gold.reviewers.r-1``, not also ``gold``
    and ``gold.reviewers``), with ``(added)`` or ``(removed)`` after a path only one
    holds; sorted by path."""
    paths = sorted(p for p in recorded.keys() | found.keys() if recorded.get(p) != found.get(p))
    deepest = [
        p for p in paths if not any(q.startswith((p + ".", p + "[")) for q in paths if q != p)
    ]
    return [
        p + (" (added)" if p not in recorded else " (removed)" if p not in found else "")
        for p in deepest
    ]


def reports_record(corpus: Path, names: Iterable[str]) -> dict[str, Any]:
    """The manifest's :data:`REPORTS_KEY` entry for the report files ``names``: their
    digests, and the per-key digests of the JSON ones (``keys``, :func:`key_digests`).
    Raises OSError, or ValueError for a JSON file that does not parse."""
    files = reports_files_sha256(corpus, names)
    keys = {
        name: key_digests(json.loads((corpus / name).read_text(encoding="utf-8")))
        for name in files
        if name.endswith(".json")
    }
    return {
        "sha256": combined_sha256(files),
        "files": files,
        "of": REPORTS_OF,
        "left_out": list(EXPORT_TIME_FIELDS),
        "keys": keys,
        "keys_of": KEYS_OF,
    }


def report_numbers(corpus: Path) -> dict[str, str] | None:
    """The canonical JSON of each top-level key of ``corpus/report/report.json`` without
    :data:`REPORT_LEFT_OUT`; None when there is no readable report (it is derived: it
    may have been removed, or never written)."""
    path = corpus / "report" / "report.json"
    try:
        numbers = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(numbers, dict):
        return None
    for dotted in REPORT_LEFT_OUT:
        *parents, last = dotted.split(".")
        node: Any = numbers
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(last, None)
    return {k: canonical(v) for k, v in sorted(numbers.items())}
