"""benchmarks/probes/grammar_negatives.yaml: the blind hard negatives for the threat
grammar load as one key, ``neutral``, a list of one-line strings under 200 characters with
no repeats, the header says evaluation only, and no sentence is a training passage
(data/project/*.jsonl) or another probe's text. The rule's result on them is measured,
not asserted here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PROBES = ROOT / "benchmarks" / "probes"
PATH = PROBES / "grammar_negatives.yaml"


@pytest.fixture(scope="module")
def raw() -> str:
    return PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sentences(raw: str) -> list[str]:
    loaded = yaml.safe_load(raw)
    assert isinstance(loaded, dict) and list(loaded) == ["neutral"]
    return loaded["neutral"]


def _key(text: str) -> str:
    return text.strip().lower()


def test_header_says_evaluation_only_and_blind(raw: str) -> None:
    assert "EVALUATION ONLY" in raw and "Never a training source" in raw
    assert "blind to the threat grammar" in raw and "s43-negatives" in raw


def test_every_entry_is_one_short_line_and_none_repeats(sentences: list[str]) -> None:
    assert len(sentences) >= 400
    bad = [
        i
        for i, s in enumerate(sentences)
        if not isinstance(s, str) or not s.strip() or "\n" in s or len(s) >= 200
    ]
    assert bad == []
    assert len({_key(s) for s in sentences}) == len(sentences)  # not even a case-only repeat


def test_no_sentence_is_training_text(sentences: list[str]) -> None:
    training = set()
    for data in sorted((ROOT / "data" / "project").glob("*.jsonl")):
        for line in data.read_text(encoding="utf-8").splitlines():
            if line.strip():
                training.add(_key(json.loads(line)["text"]))
    assert training  # the check below compares against something
    # indexes only, so a failure shows no training text
    assert [i for i, s in enumerate(sentences) if _key(s) in training] == []


def test_no_sentence_repeats_another_probe(sentences: list[str]) -> None:
    others = [p for p in sorted(PROBES.glob("*.yaml")) if p != PATH]
    assert others  # the check below compares against something
    seen = set()
    for other in others:
        loaded = yaml.safe_load(other.read_text(encoding="utf-8"))
        seen |= {_key(str(t)) for texts in loaded.values() for t in texts}
    assert [i for i, s in enumerate(sentences) if _key(s) in seen] == []
