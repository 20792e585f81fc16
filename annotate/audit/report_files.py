"""Which files of a report folder the report wrote, and keeping the others.

A report folder (``annotate report --out``, a corpus's ``report/``) is replaced whole
on each run; it is also where an auditor puts a sign-off or notes. A re-run deleted
those without a word. The report's own files are a known set of names (see
:func:`own_files`); everything else in the folder is the user's and is carried into the
new folder unchanged (:func:`carry_foreign`).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from annotate._util.os_files import is_os_file

log = logging.getLogger(__name__)

REPORT_NAMES = ("report.md", "report.html", "report.json")
FIGURE_NAMES = ("categories.png", "severity.png", "workload.png", "lead_time.png", "splits.png")


def slug(text: str) -> str:
    """``text`` as a file-name part: characters other than letters, digits, ``-_.`` as
    ``_`` (``"none"`` when empty)."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text) or "none"


def own_files(folder: Path) -> set[str]:
    """The paths (relative, ``/``-separated) a report in ``folder`` writes: its three
    documents, the fixed figures, and one ``figures/confusion-VERSION.png`` per model
    version its ``report.json`` names (``model_vs_human``). A ``report.json`` that is
    missing or unreadable names no version: such confusion figures then count as the
    user's (kept, never deleted)."""
    names = {*REPORT_NAMES, *(f"figures/{n}" for n in FIGURE_NAMES)}
    try:
        numbers = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return names
    versions = numbers.get("model_vs_human") if isinstance(numbers, dict) else None
    if isinstance(versions, dict):
        names.update(f"figures/confusion-{slug(str(v))}.png" for v in versions)
    return names


def foreign_files(folder: Path) -> list[str]:
    """The files in ``folder`` (relative, ``/``-separated, sorted) a report did not write
    (:func:`own_files`), OS litter (``.DS_Store`` ...) left out; empty when ``folder``
    is missing or not a folder."""
    if not folder.is_dir():
        return []
    own = own_files(folder)
    return sorted(
        rel
        for p in folder.rglob("*")
        if p.is_file()
        and (rel := p.relative_to(folder).as_posix()) not in own
        and not is_os_file(rel)
    )


def carry_foreign(old: Path, new: Path) -> list[str]:
    """Copy the files of the previous report folder ``old`` that a report did not write
    into the new one ``new`` (same relative paths, times kept); returns them (relative,
    sorted). A name the new report also wrote is not overwritten: the user's copy is
    kept as ``NAME.kept`` beside it. OSError when a copy fails (the new folder is then
    not put in place, so nothing is lost)."""
    kept = foreign_files(old)
    for rel in kept:
        target = new / rel
        if target.exists():
            target = target.with_name(target.name + ".kept")
            log.warning("%s: the new report writes this name too; kept yours as %s", rel, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(old / rel, target)
    if kept:
        log.info("kept %d file(s) the report did not write in %s", len(kept), old)
    return kept


def kept_note(kept: list[str], folder: Path) -> str | None:
    """The CLI's line naming the files kept in ``folder`` (up to 5, then a count); None
    when none were."""
    if not kept:
        return None
    more = f" and {len(kept) - 5} more" if len(kept) > 5 else ""
    return (
        f"note: kept {len(kept)} file(s) in {folder} that annotate did not write "
        f"({', '.join(kept[:5])}{more}); only the report's own files were replaced."
    )
