"""annotate._util.regex_literals: the pre-check that lets the threat grammar skip a
pattern on a sentence is sound (False only where the pattern cannot match) and finds
requirements for the grammar's patterns (issue 11 item 5: the grammar was ~8 % of
`prelabel()`'s CPU at fp32, its ~80 patterns run on every sentence)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import annotate.classifier.threat_grammar as tg
from annotate._util.regex_literals import may_match, required_literals

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"\bi will (?:kill|stab|shoot) you\b", 0, ("i will ",)),
        (r"\b(?:kill|stab|shoot)\b", 0, ("shoot", "kill", "stab")),
        (r"(?:kill|killing|killed)", 0, ("kill",)),  # the shorter answers for the longer
        (r"(?=.*\bnoose\b)\w+", 0, ("noose",)),  # a lookahead's words are in the text too
        (r"(?:rope)+ and", 0, ("rope",)),
        (r"(?i:kill) you", 0, (" you",)),  # the case-insensitive part is not required
    ],
)
def test_required_literals(pattern: str, flags: int, expected: tuple[str, ...]) -> None:
    assert set(required_literals(re.compile(pattern, flags)) or ()) == set(expected)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:kill)?\w+",  # optional: nothing required
        r"kill|\w+",  # one branch requires nothing
        r"(?i)kill",  # case-insensitive: "KILL" matches
        r"(?!kill)\w+",  # a negative lookahead requires nothing
        r"(\w+) \1",  # a back-reference
        r"\bor\b",  # one- and two-character strings are not worth testing
    ],
)
def test_no_requirement_where_none_is_sound_or_worth_it(pattern: str) -> None:
    rx = re.compile(pattern)
    assert required_literals(rx) is None
    assert may_match(rx, "") is True


def test_case_insensitive_pattern_is_never_skipped() -> None:
    rx = re.compile(r"\bkill you\b", re.IGNORECASE)
    assert may_match(rx, "I will KILL YOU") is True
    assert rx.search("I will KILL YOU")


def _sentences() -> list[str]:
    """Normalised sentences of the project's own written passages and fixtures, as the
    grammar reads them, and the grammar's own test sentences' texts."""
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


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = [(n, v) for n, v in vars(tg).items() if isinstance(v, re.Pattern)]
    found += [(f"_TAIL_OBJECT[{i}]", rx) for i, rx in enumerate(tg._TAIL_OBJECT)]
    found += [(f"_TAIL_SUBJECT[{i}]", rx) for i, rx in enumerate(tg._TAIL_SUBJECT)]
    return found


def test_sound_on_every_grammar_pattern_and_project_sentence() -> None:
    """Where ``may_match`` says no, the pattern finds nothing: every pattern of the
    threat grammar against every sentence of data/project and the threat fixtures (a
    few thousand sentences, some hundred of which the grammar reads as threats)."""
    sentences = _sentences()
    assert len(sentences) > 1000
    wrong = [
        (name, s)
        for name, rx in _patterns()
        for s in sentences
        if not may_match(rx, s) and rx.search(s)
    ]
    assert wrong == []


def test_grammar_patterns_get_a_requirement() -> None:
    """Most of the grammar's patterns are skipped by a substring test (what makes the
    grammar cheaper): at least 60 % of them have a requirement."""
    pats = _patterns()
    with_needs = [n for n, rx in pats if required_literals(rx) is not None]
    assert len(with_needs) >= 0.6 * len(pats), sorted(
        n for n, rx in pats if required_literals(rx) is None
    )
