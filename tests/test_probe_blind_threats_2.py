"""benchmarks/probes/blind_threats_2.yaml: the second blind threat probe loads through
benchmarks/probe_group_threats.py's probe_rows (known kinds, no text twice), holds the
counts it was written with, one short line per sentence, and stays evaluation-only and
new (no sentence is a training passage, a labels.yaml example or another probe's text)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PROBES = ROOT / "benchmarks" / "probes"
PATH = PROBES / "blind_threats_2.yaml"
COUNTS = {
    "direct": 72,
    "normative": 72,
    "neutral": 52,
    "positive": 42,
    "counter_speech": 42,
    "quoted_news": 32,
}


@pytest.fixture(scope="module")
def probe() -> ModuleType:
    path = ROOT / "benchmarks" / "probe_group_threats.py"
    spec = importlib.util.spec_from_file_location("probe_group_threats", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def raw() -> str:
    return PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rows(probe: ModuleType, raw: str) -> list[dict[str, str]]:
    return probe.probe_rows(yaml.safe_load(raw))


def _texts(rows: list[dict[str, str]]) -> set[str]:
    return {r["text"].strip().lower() for r in rows}


def test_the_second_blind_probe_has_its_kinds_counts_and_header(
    probe: ModuleType, raw: str, rows: list[dict[str, str]]
) -> None:
    assert set(COUNTS) == set(probe.GOALS)
    assert {k: sum(r["kind"] == k for r in rows) for k in probe.GOALS} == COUNTS
    assert "EVALUATION ONLY" in raw and "NEVER A TRAINING SOURCE" in raw
    assert "BLIND to the threat" in raw and "s43-blind2" in raw


def test_every_sentence_is_one_short_line(rows: list[dict[str, str]]) -> None:
    assert all(isinstance(r["text"], str) for r in rows)
    bad = [
        r["id"] for r in rows if not r["text"].strip() or "\n" in r["text"] or len(r["text"]) > 200
    ]
    assert bad == []
    assert len(_texts(rows)) == len(rows)  # not even a case-only repeat


def test_no_sentence_is_training_text_or_a_labels_example(rows: list[dict[str, str]]) -> None:
    training = set()
    for data in sorted((ROOT / "data" / "project").glob("*.jsonl")):
        for line in data.read_text(encoding="utf-8").splitlines():
            if line.strip():
                training.add(json.loads(line)["text"].strip().lower())
    assert training  # the check below compares against something
    assert [r["id"] for r in rows if r["text"].strip().lower() in training] == []
    labels_yaml = (ROOT / "labels.yaml").read_text(encoding="utf-8").lower()
    assert [r["id"] for r in rows if r["text"].strip().lower() in labels_yaml] == []


def test_no_sentence_repeats_another_probe(rows: list[dict[str, str]]) -> None:
    others = [p for p in sorted(PROBES.glob("*.yaml")) if p != PATH]
    assert others  # the check below compares against something
    seen = set()
    for other in others:
        loaded = yaml.safe_load(other.read_text(encoding="utf-8"))
        seen |= {str(t).strip().lower() for texts in loaded.values() for t in texts}
    # ids only, so a failure names this probe's rows, not the other probes' text
    assert [r["id"] for r in rows if r["text"].strip().lower() in seen] == []
