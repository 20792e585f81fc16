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


def synthetic_prelabels(tax: Taxonomy, n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` prelabel rows like `annotate prelabel` writes (10 passages per document)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
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
                "start": (i % 10) * 400,
                "end": (i % 10) * 400 + len(text),
                "title": f"Document {doc}",
                "source": "benchmark",
                "date": "2026-01-01",
                "meta": "{}",
            }
        )
    return rows


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
