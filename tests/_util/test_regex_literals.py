"""annotate._util.regex_literals: the literal strings read from a pattern's parse tree
are required by every match (the gate built on them skips a pattern only where it cannot
match), and the threat grammar's patterns get them (issue 11 item 5: the grammar runs ~80
large alternations on every sentence; benchmarks/README.md run R)."""

from __future__ import annotations

import builtins
import json
import re
from pathlib import Path
from typing import Any

import pytest

import annotate.classifier.threat_grammar as tg
from annotate._util.regex_literals import LiteralGate, required_literals

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bi will (?:kill|stab|shoot) you\b", {"i will "}),
        (r"\b(?:kill|stab|shoot)\b", {"shoot", "kill", "stab"}),
        (r"(?:kill|killing|killed)", {"kill"}),  # the shorter answers for the longer
        (r"(?=.*\bnoose\b)\w+", {"noose"}),  # a lookahead's words are in the text too
        (r"(?:rope)+ and", {"rope"}),
        (r"(?i:kill) you", {" you"}),  # the case-insensitive part is not required
        (r"\b(?:hurt|harm|hit) (?:you|him) (?:badly|hard)", {"badly", "hard"}),  # strongest
    ],
)
def test_required_literals(pattern: str, expected: set[str]) -> None:
    assert required_literals(re.compile(pattern)) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:kill)?\w+",  # optional: nothing required
        r"kill|\w+",  # one branch requires nothing
        r"(?i)kill",  # case-insensitive: "KILL" matches
        r"(?!kill)\w+",  # a negative lookahead requires nothing
        r"(\w+) \1",  # a back-reference
        r"\bor\b",  # one- and two-character strings: in nearly every sentence
    ],
)
def test_no_requirement_where_none_is_sound_or_worth_it(pattern: str) -> None:
    rx = re.compile(pattern)
    assert required_literals(rx) is None
    gate = LiteralGate([rx])
    assert gate.possible("") & gate.bit(rx)


def test_gate_masks() -> None:
    kill, rope, any_word = (re.compile(p) for p in (r"\bkill\b", r"\brope\b", r"\w+"))
    gate = LiteralGate([kill, rope, any_word])
    assert gate.possible("get a rope") == gate.bit(rope) | gate.bit(any_word)
    assert gate.possible("skill and ropes") == 0b111  # a substring: the pattern decides
    assert gate.possible("") == gate.bit(any_word)
    assert gate.ungated() == (any_word,)


def test_without_pyahocorasick_every_pattern_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_ahocorasick(name: str, *a: Any, **k: Any) -> Any:
        if name == "ahocorasick":
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_ahocorasick)
    kill = re.compile(r"\bkill\b")
    assert LiteralGate([kill]).possible("nothing here") == 1


def _sentences() -> list[str]:
    """Normalised sentences of the project's own written passages and the threat
    fixtures, as the grammar reads them."""
    texts: list[str] = []
    fixtures = ROOT / "tests" / "fixtures"
    names = ("regression_harmful", "regression_calls", "regression_addressee")
    paths = [*sorted((ROOT / "data" / "project").glob("*.jsonl"))]
    for path in paths + [fixtures / f"{n}.jsonl" for n in names]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line).get("text")
                if isinstance(text, str):
                    texts.append(text)
    out = []
    for text in texts:
        norm = tg._normalise(text)
        out += [" ".join(norm[a:b].split()) for a, b in tg._sentences(text)]
    return [s for s in out if s]


def test_sound_on_every_grammar_pattern_and_project_sentence() -> None:
    """Where the gate clears a pattern's bit, the pattern finds nothing: every pattern
    the threat grammar gates against every sentence of data/project and the threat
    fixtures (a few thousand sentences, some hundred of which the grammar reads as
    threats)."""
    sentences = _sentences()
    assert len(sentences) > 1000
    pats = list(tg._GATED)
    gate = LiteralGate(pats)
    wrong = []
    for s in sentences:
        may = gate.possible(s)
        wrong += [
            (rx.pattern[:60], s) for i, rx in enumerate(pats) if not may >> i & 1 and rx.search(s)
        ]
    assert wrong == []
    matched = sum(1 for s in sentences if any(rx.search(s) for rx in tg._GATED))
    assert matched > 100  # the check saw matches, not only misses


def test_grammar_patterns_get_a_requirement() -> None:
    """Nearly every pattern the grammar gates has a requirement (what makes it cheaper)."""
    gated = tg._GATED
    assert len(LiteralGate(gated).ungated()) <= 3, [
        rx.pattern[:60] for rx in LiteralGate(gated).ungated()
    ]
