"""The file a local Label Studio keeps of an export snapshot, deleted with the snapshot.

Label Studio 1.23 keeps a snapshot's JSON under its data folder's ``media/export/`` after
the snapshot is deleted through the API (the flag that deletes it,
``ff_back_dev_4664_remove_storage_file_on_export_delete``, is off), so every export of
annotate's would leave a copy of the project's answers there, surviving the project's
erasure. For the local server annotate started (its data folder is known) annotate deletes
that file; on a remote server it cannot (docs/export-and-audit.md, "Export").

The name, from ``ExportMixin.save_file`` (``label_studio/data_export/mixins.py``):
``export/<project id>/project-<project id>-at-<%Y-%m-%d-%H-%M>-<md5[:8]>.json`` under
``MEDIA_ROOT`` (``<data>/media``; the time is the server's clock when the file was saved,
UTC as its ``TIME_ZONE`` is), where Django's storage appends ``_<7 letters or digits>``
before ``.json`` when that name is taken.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_DISPOSITION = re.compile(r'filename="?([^";]+)"?')


def export_folder(data_dir: Path, project_id: int) -> Path:
    """The folder of project ``project_id``'s snapshot files under a data folder."""
    return data_dir / "media" / "export" / str(project_id)


def name_pattern(project_id: int, md5_prefix: str = "[0-9a-f]{8}") -> re.Pattern[str]:
    """A snapshot file's name of project ``project_id``; group 1: the minute it was saved."""
    return re.compile(
        rf"project-{project_id}-at-(\d{{4}}-\d\d-\d\d-\d\d-\d\d)-{md5_prefix}"
        r"(?:_[A-Za-z0-9]{7})?\.json"
    )


def downloaded_name(content_disposition: str | None, project_id: int) -> str | None:
    """The snapshot file's name a download's ``Content-Disposition`` gives (the stored
    name, ``export/ID/NAME`` or ``NAME``), or None when it is not a snapshot file's."""
    found = _DISPOSITION.search(content_disposition or "")
    if not found:
        return None
    name = found.group(1).rsplit("/", 1)[-1]
    return name if name_pattern(project_id).fullmatch(name) else None


def _minute(value: Any) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).replace(second=0, microsecond=0, tzinfo=None)


def recorded_file(data_dir: Path, project_id: int, record: dict[str, Any]) -> Path | None:
    """The one file of the snapshot ``record`` (the API's export: ``md5``, ``created_at``,
    ``finished_at``) under ``data_dir``: named with its md5's first 8 digits and a minute
    from its creation to its end, its content's md5 the recorded one. None when there is
    none, or more than one (an identical export saved in the same minute: which is whose
    is unknown, so neither is touched). Never raises: a file of that name and minute that
    cannot be read (deleted meanwhile by another export of the project, as it deletes its
    own) may have been the one, so then none is returned either."""
    md5 = str(record.get("md5") or "")
    start = _minute(record.get("created_at"))
    end = _minute(record.get("finished_at") or datetime.now(timezone.utc).isoformat())
    folder = export_folder(data_dir, project_id)
    if not re.fullmatch(r"[0-9a-f]{32}", md5) or start is None or end is None:
        return None
    pattern = name_pattern(project_id, md5[:8])
    found = []
    for path in folder.glob(f"project-{project_id}-at-*.json") if folder.is_dir() else []:
        match = pattern.fullmatch(path.name)
        if not match:
            continue
        saved = datetime.strptime(match.group(1), "%Y-%m-%d-%H-%M")
        if not start <= saved <= end:
            continue
        digest = _md5(path)
        if digest is None:
            return None  # which one is this snapshot's is unknown: none is touched
        if digest == md5:
            found.append(path)
    return found[0] if len(found) == 1 else None


def _md5(path: Path) -> str | None:
    """The MD5 (hex) of a file's bytes, as Label Studio names and records it (not for
    security: allowed where FIPS mode refuses MD5 otherwise); None when it cannot be read."""
    digest = hashlib.md5(usedforsecurity=False)
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except OSError as exc:
        log.debug("export snapshot file %s not read: %s", path, exc)
        return None
    return digest.hexdigest()


def delete_file(path: Path | None) -> bool:
    """Delete a snapshot file; whether one was deleted (a failure is logged, not raised)."""
    if path is None:
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("could not delete the export snapshot file %s: %s", path, exc)
        return False
    log.debug("deleted the export snapshot file %s", path)
    return True
