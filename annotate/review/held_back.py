"""The graphic passages a review push held back (``--max-graphic-per-reviewer``), kept
so that `annotate review status` can show them: a passage held back from *every* queue
(a cap of 0, or every queue full) has no task anywhere, so nothing on the server tells
that it waits.

Each push into a review set records, per pre-labels file, the passages it held back and
the cap, K and file it ran with, in ``$ANNOTATE_HOME/review-held/<digest of the server's
URL and the set's name>.json`` (one name on two servers, a trial one and the team's, is two
review sets); a later push of the same file replaces that record (one that holds nothing
back removes it). Status counts a recorded passage as waiting only while no queue holds
it (a push from another file or machine may have queued it since). Pushes on another
machine are not seen here."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate._util.urls import masked
from annotate.settings import annotate_home

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HeldBack:
    """The passages one pre-labels file's latest push held back from every queue."""

    prelabels: str  # the file as pushed (absolute path)
    max_graphic: int  # the cap it was pushed with
    k: int
    passages: tuple[str, ...]  # sorted


def _path(server: str, project: str) -> Path:
    # the server as the push lock keys it: whoever's user:password@ its URL carries
    key = f"{masked(server).rstrip('/')}\n{project}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return annotate_home() / "review-held" / f"{digest}.json"


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record_held(
    server: str,
    project: str,
    prelabels: str | os.PathLike[str],
    held: Mapping[str, int],
    *,
    max_graphic: int | None,
    k: int,
) -> None:
    """Record what a push of ``prelabels`` into review set ``project`` on the Label
    Studio at ``server`` (its URL) held back
    (``held``: passage id -> reviewer tasks not made), replacing that file's earlier
    record; none held back removes it. Best effort: a folder that cannot be written is
    logged, not raised (the push itself succeeded)."""
    path = _path(server, project)
    data = _load(path)
    key = str(Path(prelabels).resolve())
    if held and max_graphic is not None:
        data[key] = {"max_graphic": max_graphic, "k": k, "passages": sorted(held)}
    elif key in data:
        del data[key]
    else:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"project": project, **data}, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        os.replace(tmp, path)
    except OSError as err:
        log.warning("could not record the passages held back in %s: %s", path, err)


def held_back(server: str, project: str, queued: Collection[str]) -> list[HeldBack]:
    """The records of review set ``project`` on the Label Studio at ``server`` (its URL;
    see the module), each with only its
    passages that no queue holds (``queued``: the passages the queues hold now); records
    with none left out. Sorted by file."""
    out = []
    for key, rec in sorted(_load(_path(server, project)).items()):
        if not isinstance(rec, dict):
            continue  # the "project" entry
        waiting = tuple(p for p in rec.get("passages") or [] if p not in queued)
        if waiting:
            out.append(HeldBack(key, int(rec["max_graphic"]), int(rec["k"]), waiting))
    return out
