"""The benchmarks' synthetic export (benchmarks/_studio.py's rows, exported by
benchmarks/bench_verify.py's builder) passes `annotate verify` with its offsets checked.
Before, a document's passages started 400 characters apart while a passage ran to ~450:
overlapping offsets, which verify refuses on rows an ingest run cut (bench_verify moved
them 10,000 apart itself, and its rows carried no ingest run, so verify passed their
offsets over and the benchmark timed no offset check)."""

from __future__ import annotations

import importlib
import json
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.corpus.schema import SPLITS
from tests.conftest import project_taxonomy

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
ROWS = 30


def test_synthetic_offsets_are_ingests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    studio = importlib.import_module("_studio")
    rows = studio.synthetic_prelabels(project_taxonomy(), 200, seed=3)
    docs: dict[str, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    for r in rows:
        assert r["end"] - r["start"] == len(r["text"])
        docs[r["doc_id"]].append(r)
    for passages in docs.values():
        passages.sort(key=lambda r: r["passage_index"])
        assert passages[0]["start"] == 0
        for before, after in pairwise(passages):
            assert after["start"] > before["end"]


def test_a_small_synthetic_export_verifies_with_its_offsets_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    bench_verify = importlib.import_module("bench_verify")
    corpus = tmp_path / "corpus"
    done = bench_verify.synthetic_export(ROWS, corpus)
    assert done["rows"] == ROWS
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ingest_runs"]["rows_without_record"] == 0
    rows = [
        json.loads(line)
        for s in SPLITS
        for line in (corpus / f"jsonl/{s}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(rows) == ROWS and all(r["ingest_run"] for r in rows)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["verify", str(corpus)])
    assert exited.value.code in (0, None)
    said = " ".join(capsys.readouterr().err.split())
    assert f"passage offsets fit the {ROWS} rows ingest cut" in said, said
