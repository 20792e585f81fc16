"""Whether an export's ``report/`` is the report of its verified files.

``report/`` is written after ``manifest.json``, from it and the files it lists, and
records the manifest's SHA-256 (report.md's "manifest.json SHA-256" line), so the
manifest cannot list the report's own checksums. Before, `annotate verify` only noted
that ``report/`` is not covered: an edited ``report.md`` (the part a regulator reads,
"49 reviewed passages from 31 documents") verified, exit 0 (passM55 finding 5).

The report is a function of the verified files: :func:`check_report` writes it again
from them, into a scratch folder, with what the shipped ``report.json`` says it was
written with (the corpus name it records, the manifest SHA-256 given to ``annotate
report --manifest-sha256``, if any), and compares every file the report writes
(:func:`annotate.audit.report_files.own_files`) byte for byte. Any other file in
``report/`` (a sign-off, notes, a previous export's files kept aside) is the user's:
no checksum covers it, and it is named as such.

A report written by another annotate version than the one verifying may differ in
wording without an edit: then a difference is not called an edit, but said (the
numbers still come from the verified files: read the regenerated report).

The figures are drawn under matplotlib's default style (not the user's settings), but
their pixels still depend on the matplotlib version: report.json records the one that
drew them (``figures_drawn_with``). When it is not the installed one, a figure that
differs is not called an edit but said (``other_matplotlib``), and report.json is
compared byte for byte with the digests it records of those figures (the text files
stay strict: report.md, report.html and report.json's numbers).
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from annotate.audit.report_files import own_files

log = logging.getLogger(__name__)


@dataclass
class ReportCheck:
    """What :func:`check_report` found in ``corpus/report``."""

    same: list[str] = field(default_factory=list)  # report files equal to the regenerated
    differ: list[str] = field(default_factory=list)  # report files that are not
    missing: list[str] = field(default_factory=list)  # written again, absent from report/
    uncovered: list[str] = field(default_factory=list)  # the user's files: no checksum
    # the annotate version the export records, when it is not this one (differences may
    # then be wording, not edits)
    other_version: str | None = None
    # the matplotlib version the shipped report.json records as the figures', when it is
    # not the installed one; then the figures that differ are in ``figures_other``
    other_matplotlib: str | None = None
    figures_other: list[str] = field(default_factory=list)


def _shipped_numbers(report: Path) -> dict[str, object]:
    try:
        numbers = json.loads((report / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return numbers if isinstance(numbers, dict) else {}


def check_report(corpus: Path, this_version: str) -> ReportCheck:
    """Compare ``corpus/report`` with the report written again from the corpus's files
    (which the caller verified). ``this_version``: the running annotate's version."""
    from annotate.audit.report import FIGURES_KEY, installed_matplotlib, write_report
    from annotate.audit.report_files import WRITTEN_KEY

    report = corpus / "report"
    shipped = _shipped_numbers(report)
    checksums = shipped.get("checksums")
    recorded = checksums.get("manifest_sha256_recorded") if isinstance(checksums, dict) else None
    name = shipped.get("corpus")
    location = Path(name) if isinstance(name, str) and name and "/" not in name else corpus
    result = ReportCheck()
    try:
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
        version = (manifest.get("versions") or {}).get("annotate")
    except (OSError, ValueError, AttributeError):
        version = None
    if version and str(version) != this_version:
        result.other_version = str(version)
    drawn = shipped.get(FIGURES_KEY)
    drawn_by = drawn.get("matplotlib") if isinstance(drawn, dict) else None
    if isinstance(drawn_by, str) and drawn_by and drawn_by != installed_matplotlib():
        result.other_matplotlib = drawn_by
    with tempfile.TemporaryDirectory(prefix="annotate-report-check-") as scratch:
        again = Path(scratch) / "report"
        write_report(
            corpus,
            again,
            location=location,
            manifest_sha256=recorded if isinstance(recorded, str) else None,
            keep_from=Path(scratch) / "none",
            matplotlib_version=result.other_matplotlib,
        )
        made = {p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file()}
        present = {p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file()}
        for rel in sorted(made):
            if rel not in present:
                result.missing.append(rel)
            elif (again / rel).read_bytes() == (report / rel).read_bytes():
                result.same.append(rel)
            elif result.other_matplotlib and rel.startswith("figures/"):
                result.figures_other.append(rel)
            else:
                result.differ.append(rel)
        if result.figures_other and "report.json" in result.differ:
            # report.json records the figures' digests: compare it with the shipped ones
            again_json = json.loads((again / "report.json").read_text(encoding="utf-8"))
            recorded_digests = shipped.get(WRITTEN_KEY)
            if isinstance(recorded_digests, dict) and isinstance(again_json, dict):
                for rel in result.figures_other:
                    if rel in recorded_digests:
                        again_json[WRITTEN_KEY][rel] = recorded_digests[rel]
                text = json.dumps(again_json, indent=1, ensure_ascii=False) + "\n"
                if text.encode("utf-8") == (report / "report.json").read_bytes():
                    result.differ.remove("report.json")
                    result.same.append("report.json")
        # named as the shipped report's own (a figure of a model version) but not made
        result.differ += sorted((own_files(report) & present) - made)
        result.uncovered = sorted(present - made - set(result.differ))
    return result
