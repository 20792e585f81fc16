"""A redacted hand-out (``export --redact``) and the in-house export it was made from.

``export --redact --original DIR`` records which in-house export the hand-out stands for
(:func:`original_record`: that export's manifest SHA-256 and content SHA-256, in the
hand-out's ``manifest.json`` ``redaction.original_export``), and ``verify HANDOUT
--same-as ORIGINAL`` compares the two by what redaction keeps (:func:`compare_redacted`):
the same passages (paired by id, or by Label Studio task where the hand-out's id is a
keyed pseudonym), and in each the same labels, split, severity, resolution, reviewers'
answers (their categories, severity and times; not their comments or spans' offsets),
the model's labels and scores, and the provenance ``--redact`` leaves as written (start,
end, passage index, ingest run, input row, licence). It cannot compare what redaction
masks or leaves out (:data:`NOT_COMPARED`): the texts, titles, sources, ``meta``, input
file names, ``document_sha256``, comments, and a value the hand-out holds masked or
pseudonymised (a ``pd_`` document id, a ``date`` that read as no date).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.audit.placeholders import ANY_PLACEHOLDER

ORIGINAL_KEY = "original_export"
# row fields that redaction masks or leaves out in every row: never compared
NOT_COMPARED = (
    "text",
    "shown_text",
    "title",
    "source",
    "meta",
    "input_file",
    "document_sha256",
    "ingest_redaction",
)
# in reviewers' answers, the lead's and the model's: what redaction masks (comments) or
# moves (spans' offsets, which follow the masked text): compared as their labels only
_FREE_TEXT_KEYS = ("comment", "lead_comment")
_PSEUDONYM = re.compile(r"\bp[pd]_[0-9a-f]{8,}\b")


def redacted(manifest: dict[str, Any]) -> bool:
    """Whether an export's manifest says it was made with ``--redact``."""
    return bool((manifest.get("redaction") or {}).get("ran"))


def original_record(original: Path, project: str | None = None) -> dict[str, Any]:
    """What a hand-out's manifest records of the in-house export ``original`` it stands
    for (``redaction.original_export``): its manifest SHA-256 (the file's, as ``verify``
    prints it), its content SHA-256 and its export time. ``original`` is verified first.

    Raises:
        InputError: ``original`` is itself redacted, or an export of another project
            than ``project`` (a title).
        VerifyError: ``original`` is no export, or does not match its manifest.
    """
    from annotate._util.shell import sh
    from annotate.audit.verify import read_manifest, verify
    from annotate.errors import InputError

    manifest = read_manifest(original, command="export --original")
    if redacted(manifest):
        raise InputError(
            f"--original {original} was exported with --redact: expected the in-house export "
            "(made without --redact) this hand-out stands for.",
            fix="pass the folder of the export made without --redact.",
        )
    title = (manifest.get("project") or {}).get("title")
    if project is not None and title is not None and title != project:
        raise InputError(
            f"--original {original} is an export of project {title!r}, this one of "
            f"{project!r}: expected the in-house export of the same project.",
            fix=f"pass an export of {project!r}, or leave --original out.",
        )
    result = verify(original)
    if not result.ok:  # pragma: no cover - verify raises on a mismatch
        raise InputError(
            f"--original {original} does not match its manifest.",
            fix=f"run annotate verify {sh(str(original))} and export it again.",
        )
    return {
        "manifest_sha256": result.manifest_sha256,
        "content_sha256": result.content_sha256,
        "exported_at": manifest.get("exported_at"),
        "project": title,
    }


@dataclass
class RedactedComparison:
    """What :func:`compare_redacted` found: ``made_from`` True when the hand-out records
    the original's manifest SHA-256, False when it records another, None when it records
    none; row ids (the hand-out's) by what differs."""

    made_from: bool | None
    recorded_sha256: str | None
    original_sha256: str
    paired: int = 0
    only_in_redacted: list[str] = field(default_factory=list)
    only_in_original: list[str] = field(default_factory=list)
    # hand-out id: the kept fields that differ
    differ: dict[str, list[str]] = field(default_factory=dict)
    # fields not compared in some rows (masked or pseudonymised there), with their counts
    masked: dict[str, int] = field(default_factory=dict)
    reports_differ: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.only_in_redacted or self.only_in_original or self.differ)


def _rows(corpus: Path) -> list[dict[str, Any]]:
    from annotate._util.os_files import without_os_files
    from annotate.audit.formats import jsonl_rows

    return [
        row
        for path in without_os_files(sorted((corpus / "jsonl").glob("*.jsonl")))
        for _, row in jsonl_rows(path)
    ]


def _kept(value: Any) -> Any:
    """An answer's (or list of answers') content without what redaction masks or moves:
    comments dropped, each span as its label only."""
    if isinstance(value, list):
        return [_kept(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k in _FREE_TEXT_KEYS:
            continue
        if k in ("spans", "model_spans") and isinstance(v, list):
            out[k] = sorted(str(s.get("label")) for s in v if isinstance(s, dict))
        else:
            out[k] = _kept(v)
    return out


def _masked_value(value: Any) -> bool:
    """Whether a hand-out's value holds a placeholder or a keyed pseudonym."""
    text = json.dumps(value, ensure_ascii=False)
    return bool(ANY_PLACEHOLDER.search(text) or _PSEUDONYM.search(text))


def _pair(
    handout: list[dict[str, Any]], original: list[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[str], list[str]]:
    """(hand-out row, original row) pairs: by id, else by Label Studio task id where the
    hand-out's id is a pseudonym (a task of one row in each); the ids left on each side."""
    by_id = {str(r.get("id")): r for r in original}
    by_task: dict[Any, list[dict[str, Any]]] = {}
    for r in original:
        by_task.setdefault(r.get("ls_task_id"), []).append(r)
    pairs, alone, used = [], [], set()
    for row in handout:
        rid = str(row.get("id"))
        match = by_id.get(rid)
        if match is None and _PSEUDONYM.fullmatch(rid):
            candidates = by_task.get(row.get("ls_task_id")) or []
            match = candidates[0] if len(candidates) == 1 else None
        if match is None or id(match) in used:
            alone.append(rid)
            continue
        used.add(id(match))
        pairs.append((row, match))
    left = [str(r.get("id")) for r in original if id(r) not in used]
    return pairs, sorted(alone), sorted(left)


def compare_redacted(handout: Path, original: Path) -> RedactedComparison:
    """Compare a redacted export ``handout`` with the unredacted ``original`` by what
    redaction keeps (the module). Both are verified first (VerifyError when either does
    not match its manifest)."""
    from annotate.audit.verify import read_manifest, verify

    a, b = verify(handout), verify(original)
    recorded = (read_manifest(handout).get("redaction") or {}).get(ORIGINAL_KEY) or {}
    sha = recorded.get("manifest_sha256") if isinstance(recorded, dict) else None
    found = RedactedComparison(
        made_from=None if sha is None else sha == b.manifest_sha256,
        recorded_sha256=sha,
        original_sha256=b.manifest_sha256,
    )
    pairs, found.only_in_redacted, found.only_in_original = _pair(_rows(handout), _rows(original))
    found.paired = len(pairs)
    from annotate.audit.reports_digest import EXPORT_TIME_FIELDS

    skip = {*NOT_COMPARED, *EXPORT_TIME_FIELDS}
    for row, match in pairs:
        fields = []
        for name in sorted((row.keys() | match.keys()) - skip):
            mine, theirs = _kept(row.get(name)), _kept(match.get(name))
            if mine == theirs:
                continue
            if _masked_value(mine):
                found.masked[name] = found.masked.get(name, 0) + 1
            else:
                fields.append(name)
        if fields:
            found.differ[str(row.get("id"))] = fields
    files_a, files_b = a.reports_files, b.reports_files
    found.reports_differ = sorted(
        n for n in files_a.keys() | files_b.keys() if files_a.get(n) != files_b.get(n)
    )
    return found
