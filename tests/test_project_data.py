"""The project-written training passages in data/project/ are well-formed.

Each line is one passage of a document: labels from labels.yaml, spans that occur in
the passage text, passage indexes 0..n-1 per document, no document id or passage text
shared between files, and no overlap with the regression fixtures (never trained on).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from annotate.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "data" / "project"
FILES = sorted(PROJECT.glob("*.jsonl"))
FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("regression_*.jsonl"))
KEYS = {"doc_id", "title", "genre", "passage_index", "text", "labels", "spans", "severity"}


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(ROOT / "labels.yaml")


def test_there_are_project_files():
    assert len(FILES) >= 3


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_rows_are_valid(path: Path, taxonomy) -> None:
    cats = {c.name for c in taxonomy.categories}
    span_labels = {s.name for s in taxonomy.spans}
    severities = {s.name for s in taxonomy.severity}
    problems: list[str] = []
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for n, r in enumerate(_rows(path), 1):
        where = f"{path.name}:{n}"
        missing = KEYS - r.keys()
        extra = r.keys() - KEYS - {"note"}
        if missing or extra:
            problems.append(f"{where}: missing {sorted(missing)}, unknown {sorted(extra)}")
            continue
        by_doc[r["doc_id"]].append(r)
        if not isinstance(r["text"], str) or not r["text"].strip():
            problems.append(f"{where}: empty text")
        labels = r["labels"]
        if not labels or set(labels) - cats or len(set(labels)) != len(labels):
            problems.append(f"{where}: bad labels {labels}")
        if "none" in labels and len(labels) > 1:
            problems.append(f"{where}: `none` must stand alone: {labels}")
        if r["severity"] not in severities:
            problems.append(f"{where}: bad severity {r['severity']!r}")
        for s in r["spans"]:
            if s.get("label") not in span_labels:
                problems.append(f"{where}: bad span label {s.get('label')!r}")
            if not s.get("text") or s["text"] not in r["text"]:
                problems.append(f"{where}: span not in text: {s.get('text')!r}")
    for doc, rows in by_doc.items():
        idx = sorted(r["passage_index"] for r in rows)
        if idx != list(range(len(rows))):
            problems.append(f"{path.name}: {doc} passage_index {idx}, expected 0..{len(rows) - 1}")
        if len({r["title"] for r in rows}) != 1:
            problems.append(f"{path.name}: {doc} has more than one title")
    assert not problems, "\n".join(problems[:30])


def test_no_doc_id_or_text_shared_between_files() -> None:
    seen_doc: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    clashes = []
    for path in FILES:
        rows = _rows(path)
        for d in {r["doc_id"] for r in rows}:
            if d in seen_doc:
                clashes.append(f"doc {d} in {seen_doc[d]} and {path.name}")
            seen_doc[d] = path.name
        for r in rows:
            t = " ".join(r["text"].split())
            if t in seen_text and seen_text[t] != f"{path.name}:{r['doc_id']}":
                clashes.append(f"text in {seen_text[t]} and {path.name}:{r['doc_id']}: {t[:60]}")
            seen_text[t] = f"{path.name}:{r['doc_id']}"
    assert not clashes, "\n".join(clashes[:20])


def test_regression_fixtures_are_not_training_data() -> None:
    train = {" ".join(r["text"].split()).lower() for p in FILES for r in _rows(p)}
    # a row is a passage (text) or a subtitle file's cues (regression_cues.jsonl)
    leaked = [
        t[:60]
        for p in FIXTURES
        for r in _rows(p)
        for t in ([r["text"]] if "text" in r else [c["text"] for c in r["cues"]])
        if " ".join(t.split()).lower() in train
    ]
    assert FIXTURES and not leaked, leaked
