"""Where an ingest run's inputs were on the lead's machine, kept out of the tasks' data.

An ingest run record (:mod:`annotate.ingestion.record`) names absolute folders of the
machine ingest ran on: ``sources_folders`` (every passage's), ``input_paths[]
.sources_folder`` and ``working_folder`` (the run's first passage's), and ``input_paths[]
.given`` when ingest was given an absolute path; ``/home/jane/...`` names the lead. Push
sends the record into each task's data, which every reviewer of the task can read (the
API, Label Studio's export), so the task gets it without them (:func:`for_task`: each
folder's last component only, ``sources_folder_names``, which push compares input files
by, :mod:`annotate.studio.input_sources`), and push records them here, in the state
folder, by run id (:func:`note`). An export on this machine puts them back into the
manifest's ``ingest_runs`` (:func:`restore`: ``annotate verify --sources`` names them),
and ``export --redact`` leaves them out of the hand-out (:func:`without_folders`).
(passL54 finding 6.)"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from annotate._util.atomic import atomic_write_text
from annotate.settings import state_dir

log = logging.getLogger(__name__)

FOLDER = "ingest_run_folders"
# a task's record: the last component of each sources folder (what push compares by)
FOLDER_NAMES = "sources_folder_names"
_RUN = re.compile(r"ingest-[0-9a-f]{16}")


def is_absolute(path: str) -> bool:
    """Whether ``path`` names a folder from a machine's root or a home (POSIX, Windows,
    ``~``)."""
    return (
        PurePosixPath(path).is_absolute()
        or PureWindowsPath(path).is_absolute()
        or path.startswith(("~", "\\"))
        or bool(re.match(r"[A-Za-z]:", path))
    )


def last_part(path: str) -> str:
    """The last component of a folder or file path (POSIX or Windows)."""
    return path.rstrip("/\\").replace("\\", "/").rpartition("/")[2]


def without_folders(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` without the absolute folders it names: ``sources_folders`` as
    ``sources_folder_names`` (each one's last component), ``input_paths`` as what was
    given (an absolute path by its last component), no ``working_folder``."""
    out = dict(record)
    folders = out.pop("sources_folders", None)
    if isinstance(folders, list):
        out[FOLDER_NAMES] = [last_part(f) if isinstance(f, str) else f for f in folders]
    out.pop("working_folder", None)
    if isinstance(out.get("input_paths"), list):
        kept = []
        for entry in out["input_paths"]:
            if isinstance(entry, dict):
                given = entry.get("given")
                if isinstance(given, str) and is_absolute(given):
                    given = last_part(given)
                entry = {"given": given}
            kept.append(entry)
        out["input_paths"] = kept
    return out


def _folders_of(record: dict[str, Any]) -> dict[str, Any]:
    return {
        k: record[k]
        for k in ("sources_folders", "input_paths", "working_folder")
        if record.get(k) is not None
    }


def for_task(raw: str) -> str:
    """The ingest run record ``raw`` (JSON text, a passage's ``ingest_run``) as a task
    carries it (:func:`without_folders`); its folders recorded (:func:`note`). A record
    that cannot be read, or names no folder, is given back as it is. A run's passages
    share one record: read once per state folder."""
    return _for_task(raw, str(state_dir()))


@lru_cache(maxsize=64)
def _for_task(raw: str, state: str) -> str:
    try:
        record = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(record, dict) or not _folders_of(record):
        return raw
    note(record)
    return json.dumps(without_folders(record), sort_keys=True, separators=(",", ":"))


def _path(run: str) -> Path:
    return state_dir() / FOLDER / f"{run}.json"


def note(record: dict[str, Any]) -> None:
    """Record the folders of ``record`` (its run's), keeping those already recorded that
    it lacks (only the run's first passage lists ``input_paths``); a failure is logged
    (the export then names no folder)."""
    run = record.get("run")
    if not isinstance(run, str) or not _RUN.fullmatch(run):
        return
    found = _folders_of(record)
    path = _path(run)
    known = _read(path)
    merged = {**known, **found}
    if merged == known:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(path, json.dumps(merged, sort_keys=True), private=True)
    except OSError as exc:
        log.warning(
            "could not record where ingest run %s read its inputs, in %s (%s): an export "
            "will not name its folders (verify --sources still takes them)",
            run,
            path,
            exc,
        )


def _read(path: Path) -> dict[str, Any]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def restore(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` (as a task carried it) with the folders this machine recorded of its run
    put back (:func:`note`); as it is when none were."""
    run = record.get("run")
    if not isinstance(run, str) or not _RUN.fullmatch(run):
        return record
    known = _read(_path(run))
    if not known:
        return record
    out = {k: v for k, v in record.items() if k != FOLDER_NAMES}
    out.update(known)
    return out
