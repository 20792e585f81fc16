"""Which files of a report folder the report wrote, and keeping the others.

A report folder (``annotate report --out``, a corpus's ``report/``) is replaced whole
on each run; it is also where an auditor puts a sign-off or notes. A re-run deleted
those without a word. The report's own files are a known set of names (see
:func:`own_files`); everything else in the folder is the user's and is carried into the
new folder unchanged (:func:`carry_foreign`).

Since stop 47 ``report.json`` records the SHA-256 of each file the report wrote
(:data:`WRITTEN_KEY`): one of them edited since (a sign-off line appended to
``report.md``) is the user's too, kept beside the new one as ``NAME.kept``. A folder
holding a report's names but no ``report.json`` of a report (:func:`is_report`) is not
a report folder: its ``report.md`` or figures are the user's, and
:func:`refuse_unowned` refuses to replace them without ``--overwrite``.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from annotate._util.digest import sha256_file
from annotate._util.os_files import is_os_file
from annotate.errors import InputError

log = logging.getLogger(__name__)

REPORT_NAMES = ("report.md", "report.html", "report.json")
FIGURE_NAMES = ("categories.png", "severity.png", "workload.png", "lead_time.png", "splits.png")
# report.json's record of the files written beside it: {relative path: SHA-256}
WRITTEN_KEY = "written_files"
# keys every report.json holds (annotate.audit.report.compute): what tells one apart from
# a user's own report.json
REPORT_KEYS = ("corpus", "format", "counts", "checksums")


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


def _numbers(folder: Path) -> dict[str, object] | None:
    """``folder/report.json`` as a dict; None when missing, unreadable or no object."""
    try:
        numbers = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return numbers if isinstance(numbers, dict) else None


def is_report(folder: Path) -> bool:
    """Whether ``folder`` holds a report annotate wrote: a ``report.json`` with the
    keys every report records (:data:`REPORT_KEYS`)."""
    numbers = _numbers(folder)
    return numbers is not None and all(k in numbers for k in REPORT_KEYS)


def written_digests(folder: Path) -> dict[str, str]:
    """The files the report in ``folder`` wrote beside ``report.json``, each with its
    SHA-256 as written (``report.json`` -> :data:`WRITTEN_KEY`); empty for a report
    written before it was recorded (stop 47) or none."""
    numbers = _numbers(folder)
    written = numbers.get(WRITTEN_KEY) if numbers is not None else None
    if not isinstance(written, dict):
        return {}
    return {str(k): str(v) for k, v in written.items() if isinstance(v, str)}


def record_written(folder: Path) -> dict[str, str]:
    """{relative path: SHA-256} of the files a report wrote into ``folder`` (its own
    names, :func:`own_files`, but ``report.json``, which records them)."""
    own = own_files(folder) - {"report.json"}
    return {
        rel: sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (rel := p.relative_to(folder).as_posix()) in own
    }


def edited_files(folder: Path) -> list[str]:
    """The files of the report in ``folder`` edited since it wrote them: their SHA-256
    is not the one ``report.json`` records (sorted; empty without the record)."""
    out = []
    for rel, digest in written_digests(folder).items():
        p = folder / rel
        try:
            if p.is_file() and sha256_file(p) != digest:
                out.append(rel)
        except OSError:
            continue
    return sorted(out)


def refuse_unowned(folder: Path) -> None:
    """InputError when ``folder`` holds files named as a report's (``report.md``,
    ``figures/splits.png`` ...) but no report annotate wrote (:func:`is_report`): they
    are the user's, and a report written there would replace them. Names them; the CLI's
    ``--overwrite`` skips this check."""
    if not folder.is_dir() or is_report(folder):
        return
    own = own_files(folder)
    clash = sorted(
        rel
        for p in folder.rglob("*")
        if p.is_file() and (rel := p.relative_to(folder).as_posix()) in own
    )
    if not clash:
        return
    more = f" and {len(clash) - 5} more" if len(clash) > 5 else ""
    raise InputError(
        f"--out {folder} holds {', '.join(clash[:5])}{more}, named as a report's files, but no "
        "report.json of an annotate report: they are not a report annotate wrote, and "
        "writing the report there would replace them.",
        fix="pass another --out (a new folder), or add --overwrite to replace those files "
        "(the folder's other files are kept).",
    )


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


# the folder (in a report folder) a re-export moves the previous report's other files to:
# ``kept-from-export-<its export time>-<its manifest's SHA-256, 12 digits>`` (passH53 H4)
ASIDE_PREFIX = "kept-from-export-"
ASIDE_NOTE = "ABOUT-THESE-FILES.txt"


def aside_name(exported_at: object, manifest_sha256: str) -> str:
    """The folder name :func:`carry_foreign` moves a previous export's files into."""
    when = "".join(ch for ch in str(exported_at or "unknown-time") if ch.isalnum())[:15]
    return f"{ASIDE_PREFIX}{when or 'unknown-time'}-{manifest_sha256[:12]}"


def carry_foreign(old: Path, new: Path, *, aside: str | None = None, why: str = "") -> list[str]:
    """Copy the files of the previous report folder ``old`` that a report did not write,
    or wrote and were edited since (:func:`edited_files`), into the new one ``new``
    (same relative paths, times kept); returns where they are now (relative, sorted). A
    name the new report also wrote is not overwritten: the user's copy is kept as
    ``NAME.kept`` beside it (an edited ``report.md``: ``report.md.kept``). OSError when a
    copy fails (the new folder is then not put in place, so nothing is lost).

    ``aside`` (export --overwrite: :func:`aside_name` of the export replaced): the files
    go into that sub-folder instead, with :data:`ASIDE_NOTE` saying ``why`` (which
    export they were written against), so a sign-off of the previous export does not sit
    beside numbers it never approved; files already in such a folder stay where they
    are."""
    carried = foreign_files(old) + edited_files(old)
    kept = []
    for rel in carried:
        target = new / rel
        if aside is not None and not rel.startswith(ASIDE_PREFIX):
            target = new / aside / rel
            if not (new / aside / ASIDE_NOTE).exists():
                (new / aside).mkdir(parents=True, exist_ok=True)
                (new / aside / ASIDE_NOTE).write_text(why + "\n", encoding="utf-8")
                kept.append(f"{aside}/{ASIDE_NOTE}")
        if target.exists():
            name, n = target.name + ".kept", 1
            while (target.parent / name).exists():  # an earlier run's .kept stays too
                n += 1
                name = f"{target.name}.kept-{n}"
            target = target.with_name(name)
            # named beside the new file, not by ``new``'s path: a temporary folder that is
            # gone once the report is put in place (passH53 H8)
            log.warning(
                "%s: the new report writes this name too; kept yours beside it as %s",
                rel,
                target.relative_to(new).as_posix(),
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(old / rel, target)
        kept.append(target.relative_to(new).as_posix())
    if kept:
        log.info("kept %d file(s) the report did not write in %s", len(kept), old)
    return sorted(kept)


def kept_note(kept: list[str], folder: Path, aside: str | None = None) -> str | None:
    """The CLI's line naming the files kept in ``folder`` (up to 5, then a count); None
    when none were. ``aside`` (relative to ``folder``): the folder this run moved the
    previous export's files to (:func:`carry_foreign`); they are said apart, as written
    against that export."""
    if not kept:
        return None
    moved = [k for k in kept if aside and k.startswith(f"{aside}/") and not k.endswith(ASIDE_NOTE)]
    if moved:
        names = [k.removeprefix(f"{aside}/") for k in moved]
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        return (
            f"note: {len(names)} file(s) in the previous export's report that annotate did "
            f"not write ({', '.join(names[:5])}{more}) were written against that export, "
            f"not this one (a sign-off of it does not approve these numbers): moved to "
            f"{folder / aside} ({ASIDE_NOTE} there names that export); the new report's "
            "files replace the old ones."
        )
    more = f" and {len(kept) - 5} more" if len(kept) > 5 else ""
    edited = [k for k in kept if ".kept" in k.rsplit("/", 1)[-1]]
    also = (
        f" ({', '.join(edited)}: yours, edited since the report wrote it or not the "
        "report's, kept beside the new report's file of that name)"
        if edited
        else ""
    )
    return (
        f"note: kept {len(kept)} file(s) in {folder} that annotate did not write "
        f"({', '.join(kept[:5])}{more}){also}; only the report's own files were replaced."
    )
