"""benchmarks/probes/blind_threats.yaml: the blind threat probe loads through
benchmarks/probe_group_threats.py's probe_rows (known kinds, no text twice), holds the
counts it was written with, one short line per sentence, and stays evaluation-only (no
sentence is a training passage or a labels.yaml example)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT / "benchmarks" / "probes" / "blind_threats.yaml"


@pytest.fixture(scope="module")
def probe():
    path = ROOT / "benchmarks" / "probe_group_threats.py"
    spec = importlib.util.spec_from_file_location("probe_group_threats", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_the_blind_probe_file_is_complete_and_never_training_text(probe):
    raw = PATH.read_text(encoding="utf-8")
    rows = probe.probe_rows(yaml.safe_load(raw))
    counts = {k: sum(r["kind"] == k for r in rows) for k in probe.GOALS}
    assert counts == {
        "direct": 71,
        "normative": 71,
        "neutral": 53,
        "positive": 41,
        "counter_speech": 41,
        "quoted_news": 32,
    }
    assert "NEVER A TRAINING SOURCE" in raw and "BLIND to the threat" in raw
    assert all(isinstance(r["text"], str) for r in rows)
    assert [r["id"] for r in rows if "\n" in r["text"] or len(r["text"]) > 200] == []
    texts = {r["text"].strip().lower() for r in rows}
    training = set()
    for data in sorted((ROOT / "data" / "project").glob("*.jsonl")):
        for line in data.read_text(encoding="utf-8").splitlines():
            if line.strip():
                training.add(json.loads(line)["text"].strip().lower())
    assert training  # the check below compares against something
    assert not texts & training
    labels_yaml = (ROOT / "labels.yaml").read_text(encoding="utf-8").lower()
    assert not [t for t in texts if t in labels_yaml]
