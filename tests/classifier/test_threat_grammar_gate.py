"""The threat grammar reads the same with its literal gate as without it: every
sentence range of :func:`threat_sentences`, and :func:`lawful_warning` and
:func:`self_directed`, on the project's passages, the threat fixtures, the probe sets and
the grammar's own test sentences (issue 11 item 5: the gate only skips patterns that
cannot match; benchmarks/README.md run R)."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import annotate.classifier.threat_grammar as tg
from annotate._util.regex_literals import LiteralGate

ROOT = Path(__file__).resolve().parents[2]


class _Open(LiteralGate):
    """A gate that skips nothing: the grammar as it ran before the gate."""

    def possible(self, text: str) -> int:
        return (1 << len(tg._GATED)) - 1


def _strings(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)


def _texts() -> list[str]:
    texts: list[str] = []
    fixtures = ROOT / "tests" / "fixtures"
    for path in sorted((ROOT / "data" / "project").glob("*.jsonl")) + sorted(
        fixtures.glob("*.jsonl")
    ):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and isinstance(row.get("text"), str):
                texts.append(row["text"])
    for path in sorted((ROOT / "benchmarks" / "probes").glob("*.yaml")):
        _strings(yaml.safe_load(path.read_text(encoding="utf-8")), texts)
    here = Path(__file__).parent
    for path in sorted(here.glob("test_threat_grammar*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    return list(dict.fromkeys(t for t in texts if len(t) > 3))


def _read(texts: list[str]) -> list[tuple[Any, ...]]:
    for cached in (tg._threat_ranges, tg._normalise, tg._sentences):
        cached.cache_clear()
    return [(tg.threat_sentences(t), tg.lawful_warning(t), tg.self_directed(t)) for t in texts]


def test_same_reading_with_and_without_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ahocorasick")
    texts = _texts()
    gated = _read(texts)
    assert sum(bool(r[0]) for r in gated) > 500  # threats read: the check can see a drop
    opened = _Open(tg._GATED)
    monkeypatch.setattr(tg, "_gate", lambda: opened)
    assert _read(texts) == gated
    monkeypatch.undo()
    for cached in (tg._threat_ranges, tg._normalise, tg._sentences):
        cached.cache_clear()


def test_gate_skips_most_patterns_on_a_plain_sentence() -> None:
    pytest.importorskip("ahocorasick")
    may = tg._gate().possible("we went to the park on sunday and had a picnic.")
    assert bin(may).count("1") <= len(tg._GATED) // 10  # 5 of 86 when written
