"""What `annotate review status` remembers of the contradictions it listed
(:mod:`annotate.review.contradictions`), so a second run reads only the answered tasks
changed since the first instead of every answered task of the project again.

One record per server and project name in the work folder's ``review-contradictions``
(``$ANNOTATE_HOME``, beside ``review-held``: :func:`annotate.settings.annotate_home`):
per Label Studio project of the name (its reviewer queues or plain/numbered projects, and
``NAME · adjudication``) the latest ``updated_at`` read (``mark``, the server's time), the
seconds its read took (``margin_s``) and the findings of each task holding one (task id
-> ``[kind, name, why]`` items: a contradiction's kind and ``task ID (r-…)`` / ``passage
ID (lead r-…)``, or an unreadable task and its reason; an answer last written by another
account than the one credited adds the writer's and the credited pseudonyms). Tasks
without findings are not kept, so the record grows with the open contradictions, not with
the answers.

The record is a cache: one that cannot be read, or was written for another labels.yaml
(its content digest), another pseudonym salt or another format, is read as none (every
answered task is read again, as ``review status --full`` does); one that cannot be
written is a warning in the log and the next run reads everything. Each project's part
also keeps the digest of the project's labeling config it was read under (``config``,
:func:`config_digest`) and the labels.yaml version that config records
(``labels_version``): a re-push with another labels.yaml changes the config, and with it
the version each answer is read under (annotate.studio.pull.stamp_taxonomy_versions), so
a part read under another config (or one recorded before 2026-12-06, without it) is read
whole again, with a line in the log.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_write_text
from annotate._util.urls import masked
from annotate.settings import annotate_home

log = logging.getLogger(__name__)

FOLDER = "review-contradictions"
# 2 (stop 57): findings include the answers last written by another account than the one
# credited (:data:`annotate.review.contradictions.WRITTEN_BY`); a record of format 1 holds
# none of them, so it is read as none (every answered task read again once)
FORMAT = 2


def memory_path(server: str, project: str) -> Path:
    """The record of ``project`` on ``server`` (its URL; user:password@ masked, as the
    held-back record keys it)."""
    key = f"{masked(server).rstrip('/')}\n{project}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return annotate_home() / FOLDER / f"{digest}.json"


def memory_key(taxonomy_sha256: str, salt: str) -> dict[str, Any]:
    """What a record must have been written under to be read: the format, the
    labels.yaml's content digest and the salt's digest (never the salt itself)."""
    return {
        "format": FORMAT,
        "taxonomy": taxonomy_sha256,
        "salt": hashlib.sha256(salt.encode()).hexdigest()[:16],
    }


def config_digest(project: dict[str, Any]) -> str:
    """The digest of ``project``'s labeling config (its ``label_config`` text; "" when it
    has none) that a part of the record was read under: a push of another labels.yaml
    changes it."""
    config = str(project.get("label_config") or "")
    return hashlib.sha256(config.encode("utf-8")).hexdigest()[:16]


def load_memory(path: Path, key: dict[str, Any]) -> dict[str, Any]:
    """The projects of the record at ``path`` (Label Studio project id, as text -> ``{"mark",
    "margin_s", "tasks", "config", "labels_version"}``); {} when there is none, it cannot
    be read, or it was written under another ``key`` (:func:`memory_key`)."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        log.info("contradictions record %s unreadable (%s): every answered task is read", path, err)
        return {}
    if not isinstance(data, dict) or data.get("key") != key:
        log.info("contradictions record %s is for another labels.yaml or salt: not used", path)
        return {}
    projects = data.get("projects")
    return projects if isinstance(projects, dict) else {}


def save_memory(path: Path, project: str, key: dict[str, Any], projects: dict[str, Any]) -> None:
    """Replace the record at ``path`` atomically and durably (a reader sees the old one
    or the new one, also after a power cut); a failure is a warning in the log, not an
    error (the next run reads all)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {"project": project, "key": key, "projects": projects}
        # durable: flushed before and after the rename (faults59 #1)
        atomic_write_text(path, json.dumps(doc, indent=1, sort_keys=True) + "\n")
    except OSError as err:
        log.warning("could not record the contradictions read in %s: %s", path, err)
