"""Shared by the Label Studio benchmarks: a server to run against and synthetic data."""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotate.studio import server
from annotate.studio.client import StudioClient
from annotate.studio.connection import (
    KEY_ENV,
    URL_ENV,
    VENV_ENV,
    Connection,
    read_credentials,
    studio_paths,
)
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"

WORDS = [
    "the",
    "they",
    "police",
    "said",
    "report",
    "attack",
    "city",
    "group",
    "we",
    "will",
    "come",
    "for",
    "you",
    "burn",
    "depot",
    "night",
    "museum",
    "history",
    "letters",
    "maps",
    "people",
    "join",
    "caravan",
    "lions",
    "shown",
    "way",
    "blood",
    "floor",
    "march",
    "statement",
    "according",
    "translation",
    "monitors",
    "video",
    "channel",
    "forum",
    "reply",
    "condemn",
]


@contextmanager
def studio() -> Iterator[StudioClient]:
    """``$LABEL_STUDIO_URL`` if set, else a fresh local server in benchmarks/.work."""
    if os.environ.get(URL_ENV):
        yield StudioClient(Connection(os.environ[URL_ENV], os.environ[KEY_ENV], "environment"))
        return
    os.environ.setdefault(VENV_ENV, str(ROOT / ".annotate" / "studio" / "venv"))
    paths = studio_paths(WORK / "studio")
    st = server.start(paths, port=server.free_port(28080))
    creds = read_credentials(paths)
    assert creds is not None and st.url
    try:
        yield StudioClient(Connection(st.url, creds.token, "local"), timeout=600)
    finally:
        server.stop(paths)


# a stand-in for the record ingest writes in each passage's ``ingest_run`` (its id and
# settings; annotate.ingestion.record): an export's manifest lists it under ingest_runs,
# and `annotate verify` checks the offsets of the rows it cut
SYNTHETIC_INGEST_RUN = json.dumps(
    {"run": "ingest-bench0000000000", "settings": {"max_chars": 700, "min_chars": 80}},
    sort_keys=True,
)


def synthetic_prelabels(
    tax: Taxonomy, n: int, seed: int = 0, *, ingest_run: bool = False
) -> list[dict[str, Any]]:
    """``n`` prelabel rows like `annotate prelabel` writes (10 passages per document);
    with ``ingest_run``, each carries :data:`SYNTHETIC_INGEST_RUN`, as ingest's passages
    do (off by default: the push benchmarks' tasks stay as they were measured).

    Offsets as ingest writes them: ``end - start`` is the length of the passage's text,
    and a document's passages follow one another in ``passage_index`` order, one
    character (the space between them) apart, never overlapping (before, each started
    400 characters after the one before, and a passage of up to 70 words ran past the
    next one's start: overlaps `annotate verify` refuses where it checks offsets)."""
    rng = random.Random(seed)
    rows = []
    offset = 0  # where the next passage of the document starts
    for i in range(n):
        if i % 10 == 0:
            offset = 0
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 70))).capitalize() + "."
        scores = {c: round(rng.random() ** 3, 4) for c in tax.category_names}
        labels = [c for c, p in scores.items() if p >= 0.5] or [tax.none_label]
        spans = []
        for _ in range(rng.randint(0, 2)):
            start = rng.randrange(0, len(text) - 20)
            spans.append(
                {
                    "start": start,
                    "end": start + rng.randint(5, 20),
                    "label": rng.choice(tax.span_names),
                    "score": round(rng.random(), 3),
                }
            )
        doc = i // 10
        rows.append(
            {
                "id": f"bench-{i:06d}",
                "text": text,
                "scores": scores,
                "labels": labels,
                "spans": spans,
                "model_version": "bench-model-1",
                "doc_id": f"doc-{doc:05d}",
                "passage_index": i % 10,
                "start": offset,
                "end": offset + len(text),
                "title": f"Document {doc}",
                "source": "benchmark",
                "date": "2026-01-01",
                "meta": "{}",
            }
        )
        if ingest_run:
            rows[-1]["ingest_run"] = SYNTHETIC_INGEST_RUN
        offset += len(text) + 1
    return rows


def synthetic_tasks(
    tax: Taxonomy, rows: list[dict[str, Any]], where: str = "bench"
) -> list[dict[str, Any]]:
    """Label Studio tasks of prelabel ``rows`` (:func:`synthetic_prelabels`), as push
    builds them (the model's answer as each task's prediction)."""
    config = parse_label_config(tax.render_label_config())
    return [row_to_task(row, tax, config, where=where) for row in rows]


def reviewed_result(task: dict[str, Any], i: int) -> list[dict[str, Any]]:
    """A reviewer's answer to ``task`` (the ``i``-th): the model's result without its
    scores, every 7th passage relabelled ``none``."""
    result = [dict(r) for r in task["predictions"][0]["result"]]
    for r in result:
        r.pop("score", None)
        if r["from_name"] == "category" and i % 7 == 0:
            r["value"] = {"choices": ["none"]}
    return result


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    return path


def machine() -> dict[str, Any]:
    from _machine import cpu_model

    cpu = cpu_model()
    mem = ""
    try:
        out = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False).stdout
        mem = out.splitlines()[1].split()[1] + " GiB"
    except (OSError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "label_studio": "1.23.2 (SQLite, local, same machine)",
    }
