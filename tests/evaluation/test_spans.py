"""Span precision and recall in `annotate evaluate` (issue 12, item 13): the matching
rule, one-to-one matches, spans predicted where the gold has none, per span label."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.classifier.base import Span
from annotate.evaluation.evaluate import span_lines
from annotate.evaluation.spans import match_spans, matches, span_scores


def sp(start: int, end: int, label: str = "threat") -> Span:
    return Span(start, end, label, 0.9)


@pytest.mark.parametrize(
    ("pred", "gold", "hit"),
    [
        ((0, 10), (0, 10), True),  # identical
        ((0, 10), (5, 15), True),  # overlap 5 = half of 10
        ((0, 10), (6, 16), False),  # overlap 4 < half
        ((0, 100), (40, 50), True),  # a sentence around the gold clause
        ((40, 50), (0, 100), True),  # the clause inside a gold sentence
        ((0, 10), (10, 20), False),  # touching, no shared character
        ((0, 1), (0, 1), True),
    ],
)
def test_the_matching_rule(pred: tuple[int, int], gold: tuple[int, int], hit: bool) -> None:
    assert matches(pred, gold) is hit


def test_matches_are_one_to_one_largest_overlap_first() -> None:
    # two predictions over one gold span: only the better one matches
    assert match_spans([sp(0, 6), sp(2, 12)], [(2, 12, "threat")]) == [(1, 0)]
    # a label differs: no match however well it overlaps
    assert match_spans([sp(2, 12, "glorification")], [(2, 12, "threat")]) == []


CASES: list[tuple[str, list[Any], list[list[Span]], dict[str, Any]]] = [
    (
        "all right",
        [[(0, 10, "threat")], [(5, 9, "glorification")]],
        [[sp(0, 10)], [sp(5, 9, "glorification")]],
        {"precision": 1.0, "recall": 1.0, "predicted": 2, "gold": 2, "char_precision": 1.0},
    ),
    (
        # "Come on you reds!": gold says no evidence, the model marks a span anyway
        "span where the gold has none",
        [[], [(0, 10, "threat")]],
        [[sp(0, 17)], [sp(0, 10)]],
        {"precision": 0.5, "recall": 1.0, "predicted": 2, "gold": 1, "matched": 1},
    ),
    (
        "missed gold span",
        [[(0, 10, "threat"), (20, 30, "threat")]],
        [[sp(0, 10)]],
        {"precision": 1.0, "recall": 0.5, "char_recall": 0.5},
    ),
    (
        "passages without span annotations are not scored",
        [None, [(0, 10, "threat")]],
        [[sp(0, 17)], [sp(0, 10)]],
        {"precision": 1.0, "recall": 1.0, "predicted": 1},
    ),
    (
        "no predictions: precision undefined (None), recall 0",
        [[(0, 10, "threat")]],
        [[]],
        {"precision": None, "recall": 0.0, "f1": None, "predicted": 0, "gold": 1},
    ),
    (
        "no gold spans: recall undefined (None), precision 0",
        [[]],
        [[sp(0, 4)]],
        {"precision": 0.0, "recall": None, "char_recall": None, "predicted": 1, "gold": 0},
    ),
    (
        "a sentence around the gold clause: a match, char precision lower",
        [[(10, 20, "threat")]],
        [[sp(0, 40)]],
        {"precision": 1.0, "recall": 1.0, "char_precision": 0.25, "char_recall": 1.0},
    ),
]


@pytest.mark.parametrize(
    ("gold", "pred", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_span_scores(gold: list[Any], pred: list[list[Span]], expected: dict[str, Any]) -> None:
    rep = span_scores(gold, pred)
    for key, value in expected.items():
        assert rep["overall"][key] == value, key


def test_per_label_rows_and_the_passages_count() -> None:
    gold = [[(0, 10, "threat")], [], [(0, 5, "glorification")]]
    pred = [[sp(0, 10), sp(20, 25, "glorification")], [sp(0, 3)], []]
    rep = span_scores(gold, pred)
    assert rep["passages"] == 3 and rep["spans_on_passages_without_gold_spans"] == 1
    threat, glor = rep["per_label"]["threat"], rep["per_label"]["glorification"]
    assert (threat["predicted"], threat["gold"], threat["matched"]) == (2, 1, 1)
    assert threat["precision"] == 0.5 and threat["recall"] == 1.0
    assert (glor["predicted"], glor["gold"], glor["matched"]) == (1, 1, 0)
    assert glor["precision"] == 0.0 and glor["recall"] == 0.0 and glor["f1"] == 0.0
    assert "overlap >= half of the shorter span" in rep["rule"]
    assert "SemEval-2021 Task 5" in rep["character_rule"]


def test_the_report_section_states_the_rule_and_every_label() -> None:
    rep = span_scores([[(0, 10, "threat")], []], [[sp(0, 10)], [sp(0, 4, "glorification")]])
    text = "\n".join(span_lines(rep))
    assert "## Evidence spans" in text and "overlap >= half" in text
    assert "| threat | 1 | 1 | 1 | 1.000 | 1.000 |" in text
    assert "| glorification | 1 | 0 | 0 | 0.000 | – | – |" in text
    assert "1 span predicted on passages whose gold has none" in text
    assert span_lines(span_scores([None], [[sp(0, 1)]])) == []
