"""Ingest output is unchanged: rows, ids and stats equal the golden outputs written by
tests/fixtures/ingest_golden/make.py (exact duplicates within and across documents and
inputs, near-duplicates, txt/CSV/JSONL inputs).

Each variant runs with the default chunk sizes and with tiny ones, so duplicates and
near-duplicates fall on both sides of chunk boundaries."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import annotate.ingestion as ingestion
import annotate.ingestion.near_dups as near_dups

GOLDEN = Path(__file__).parent / "fixtures" / "ingest_golden"
sys.path.insert(0, str(GOLDEN))
import make  # noqa: E402

INPUTS = [make.INPUT / "a.jsonl", make.INPUT / "b.csv", make.INPUT / "texts"]


def _golden() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for line in (GOLDEN / "golden.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        entry = out.setdefault(item["variant"], {"rows": []})
        if "stats" in item:
            entry["stats"] = item["stats"]
        else:
            entry["rows"].append(item["row"])
    return out


GOLDEN_OUTPUTS = _golden()


def test_the_committed_inputs_are_what_make_writes(tmp_path: Path) -> None:
    make.write_inputs(tmp_path / "input")

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    assert files(make.INPUT) == files(tmp_path / "input")


@pytest.mark.parametrize("chunk", [None, 3])
@pytest.mark.parametrize("variant", sorted(make.VARIANTS))
def test_output_equals_the_golden(
    variant: str, chunk: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if chunk is not None:
        for name in ("NEAR_DUP_CHUNK", "WRITE_BATCH", "SEEN_CHUNK"):
            if hasattr(ingestion, name):
                monkeypatch.setattr(ingestion, name, chunk)
        monkeypatch.setattr(near_dups, "PROBE_PASSAGES", 2 * chunk)
    got = make.run(INPUTS, make.VARIANTS[variant], tmp_path / "out.jsonl")
    want = GOLDEN_OUTPUTS[variant]
    assert got["stats"] == want["stats"]
    assert got["rows"] == want["rows"]
