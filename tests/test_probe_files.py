"""benchmarks/probes/*.yaml: every probe file loads through
benchmarks/probe_group_threats.py's probe_rows (known kinds, no text twice), holds the
counts it was written with, one short line per sentence, says it is evaluation only, and
shares no sentence with a training passage (data/project/), a labels.yaml example or
another probe. Failures name row ids, never training or other probes' text."""

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
# file -> (sentences per kind, a phrase its header must hold)
FILES = {
    "group_threats.yaml": (
        {"direct": 60, "normative": 60, "neutral": 60, "positive": 60, "counter_speech": 40,
         "quoted_news": 20},
        "NEVER A TRAINING SOURCE",
    ),
    "personal_threats.yaml": (
        {"direct": 22, "normative": 3, "neutral": 22, "counter_speech": 5, "quoted_news": 6},
        "NEVER A TRAINING SOURCE",
    ),
    "blind_threats.yaml": (
        {"direct": 71, "normative": 71, "neutral": 53, "positive": 41, "counter_speech": 41,
         "quoted_news": 32},
        "BLIND to the threat",
    ),
    "blind_threats_2.yaml": (
        {"direct": 72, "normative": 72, "neutral": 52, "positive": 42, "counter_speech": 42,
         "quoted_news": 32},
        "BLIND to the threat",
    ),
    "blind_threats_3.yaml": (
        {"direct": 80, "normative": 80, "neutral": 60, "positive": 40, "counter_speech": 40,
         "quoted_news": 32},
        "BLIND to the threat",
    ),
    "blind_threats_4.yaml": (
        {"direct": 80, "normative": 80, "neutral": 60, "positive": 40, "counter_speech": 40,
         "quoted_news": 32},
        "BLIND to the threat",
    ),
    "blind_threats_5.yaml": (
        {"direct": 80, "normative": 80, "neutral": 60, "positive": 40, "counter_speech": 40,
         "quoted_news": 32},
        "BLIND to the threat",
    ),
    "blind_threats_6.yaml": (
        {"direct": 41, "normative": 41, "neutral": 41, "positive": 40, "counter_speech": 40,
         "quoted_news": 40},
        "BLIND to the threat",
    ),
    "blind_threats_7.yaml": (
        {"direct": 40, "normative": 40, "neutral": 40, "positive": 40, "counter_speech": 40,
         "quoted_news": 40},
        "BLIND to the threat",
    ),
    "blind_threats_8.yaml": (
        {"direct": 40, "normative": 40, "neutral": 40, "positive": 40, "counter_speech": 40,
         "quoted_news": 40},
        "BLIND to the threat",
    ),
    "blind_threats_9.yaml": (
        {"direct": 60, "normative": 40, "neutral": 40, "positive": 30, "counter_speech": 30,
         "quoted_news": 30},
        "BLIND to the threat",
    ),
    "blind_threats_10.yaml": (
        {"direct": 60, "normative": 50, "neutral": 40, "positive": 30, "counter_speech": 30,
         "quoted_news": 30},
        "BLIND to the threat",
    ),
    "blind_threats_11.yaml": (
        {"direct": 60, "normative": 50, "neutral": 40, "positive": 30, "counter_speech": 30,
         "quoted_news": 30},
        "BLIND to the threat",
    ),
    "blind_threats_12.yaml": (
        {"direct": 60, "normative": 50, "neutral": 40, "positive": 30, "counter_speech": 30,
         "quoted_news": 30},
        "BLIND to the threat",
    ),
    "blind_threats_13.yaml": (
        {"direct": 60, "normative": 50, "neutral": 40, "positive": 30, "counter_speech": 30,
         "quoted_news": 30},
        "BLIND to the threat",
    ),
    "blind_threats_15.yaml": (
        {"direct": 60, "normative": 50, "neutral": 40, "positive": 30, "counter_speech": 30,
         "quoted_news": 30},
        "BLIND to the threat",
    ),
    "dev_threats_14.yaml": (
        {"direct": 20, "normative": 20, "neutral": 15, "positive": 15, "counter_speech": 15,
         "quoted_news": 15},
        "BEFORE reading the threat",
    ),
    "grammar_negatives.yaml": ({"neutral": 446}, "blind to the threat grammar"),
}  # fmt: skip


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
def training() -> set[str]:
    out = set()
    for data in sorted((ROOT / "data" / "project").glob("*.jsonl")):
        for line in data.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.add(_key(json.loads(line)["text"]))
    assert out  # the checks compare against something
    return out


def _key(text: str) -> str:
    return str(text).strip().lower()


def test_every_probe_file_is_listed_here() -> None:
    assert sorted(p.name for p in PROBES.glob("*.yaml")) == sorted(FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_probe_file_is_complete_short_and_never_training_text(
    name: str, probe: ModuleType, training: set[str]
) -> None:
    counts, header = FILES[name]
    raw = (PROBES / name).read_text(encoding="utf-8")
    assert header in raw
    assert "EVALUATION ONLY" in raw.upper()
    rows = probe.probe_rows(yaml.safe_load(raw))
    got = {k: sum(r["kind"] == k for r in rows) for k in probe.GOALS}
    assert {k: n for k, n in got.items() if n} == counts
    bad = [
        r["id"]
        for r in rows
        if not isinstance(r["text"], str)
        or not r["text"].strip()
        or "\n" in r["text"]
        or len(r["text"]) > 200
    ]
    assert bad == []
    assert len({_key(r["text"]) for r in rows}) == len(rows)  # not even a case-only repeat
    assert [r["id"] for r in rows if _key(r["text"]) in training] == []
    labels_yaml = (ROOT / "labels.yaml").read_text(encoding="utf-8").lower()
    assert [r["id"] for r in rows if _key(r["text"]) in labels_yaml] == []
    others = set()
    for other in sorted(FILES):
        if other != name:
            loaded = yaml.safe_load((PROBES / other).read_text(encoding="utf-8"))
            others |= {_key(t) for texts in loaded.values() for t in texts}
    assert [r["id"] for r in rows if _key(r["text"]) in others] == []
