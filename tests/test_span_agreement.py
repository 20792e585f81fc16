"""Evidence-span agreement between reviewers: pairwise F1, exact and overlap match."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.review.agreement import agreement, summary_lines
from annotate.review.span_agreement import matched, span_agreement
from tests.audit.span_recount import recount

LABELS = ["threat", "call_to_violence", "quoted_propaganda"]


def _ann(reviewer: str, *spans: tuple[int, int, str]) -> dict[str, Any]:
    return {
        "reviewer": reviewer,
        "categories": ["violent_threat"],
        "severity": "high",
        "lead_time": None,
        "spans": [{"start": s, "end": e, "label": lab, "text": "x"} for s, e, lab in spans],
    }


def _rows() -> list[dict[str, Any]]:
    return [
        # the same threat span: exact and overlap match
        {"id": "p1", "labels": ["violent_threat"], "annotations": [
            _ann("r-a", (10, 20, "threat")), _ann("r-b", (10, 20, "threat"))]},
        # boundaries differ: no exact match, an overlap match; r-c marked nothing
        {"id": "p2", "labels": ["violent_threat"], "annotations": [
            _ann("r-a", (0, 12, "threat"), (30, 40, "call_to_violence")),
            _ann("r-b", (5, 12, "threat")),
            _ann("r-c")]},
        # neither reviewer marked a span: not counted for any label
        {"id": "p3", "labels": ["none"], "annotations": [_ann("r-a"), _ann("r-c")]},
        # one reviewer only: no pair
        {"id": "p4", "labels": ["none"], "annotations": [_ann("r-a", (0, 3, "threat"))]},
        # disjoint spans of the same label: neither match
        {"id": "p5", "labels": ["violent_threat"], "annotations": [
            _ann("r-b", (0, 5, "quoted_propaganda")), _ann("r-c", (6, 9, "quoted_propaganda"))]},
    ]  # fmt: skip


def test_figures_per_label_and_overall_match_a_pandas_recount() -> None:
    rows = _rows()
    got = span_agreement(rows, LABELS)
    want = recount(rows)
    for label in LABELS:
        for key in ("f1_exact", "f1_overlap", "n_passages", "n_pairs"):
            assert got["labels"][label][key] == want[label][key], (label, key)
    for key in ("f1_exact", "f1_overlap", "n_passages", "n_pairs"):
        assert got["overall"][key] == want["all"][key], key
    # by hand: threat p1 (a,b) 1 exact; p2 (a,b) overlap only, (a,c) and (b,c) one-sided
    threat = got["labels"]["threat"]
    assert (threat["n_passages"], threat["n_pairs"], threat["n_spans"]) == (2, 4, 6)
    assert threat["f1_exact"] == round(2 * 1 / 6, 4) and threat["f1_overlap"] == round(4 / 6, 4)
    # p3 (nobody marked a span) and p4 (one reviewer) are in no figure
    assert got["overall"]["n_passages"] == 3


def test_a_label_nobody_marked_has_no_figure_not_a_perfect_one() -> None:
    rows = [{"id": "p", "annotations": [_ann("r-a"), _ann("r-b")]}]
    got = span_agreement(rows, LABELS)
    assert got["overall"]["f1_exact"] is None and got["overall"]["n_pairs"] == 0
    assert got["labels"]["threat"] == {
        "f1_exact": None, "f1_overlap": None, "n_passages": 0, "n_pairs": 0,
        "n_spans": 0, "matched_exact": 0, "matched_overlap": 0,
    }  # fmt: skip


def test_per_reviewer_pair() -> None:
    pairs = {tuple(p["reviewers"]): p for p in span_agreement(_rows(), LABELS)["pairs"]}
    assert pairs[("r-a", "r-b")]["f1_exact"] == round(2 * 1 / 5, 4)  # p1 1 of 2, p2 0 of 3
    assert pairs[("r-a", "r-b")]["n_passages"] == 2
    assert pairs[("r-a", "r-c")]["f1_overlap"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "exact", "overlap"),
    [
        ([(0, 5)], [(0, 5)], 1, 1),
        ([(0, 5)], [(5, 9)], 0, 0),  # touching half-open ranges share no character
        ([(0, 5)], [(4, 9)], 0, 1),
        ([(0, 10)], [(0, 4), (6, 10)], 0, 1),  # one to one: one long span matches once
        ([(0, 4), (6, 10)], [(0, 10)], 0, 1),  # and symmetric
        ([(0, 5), (0, 5)], [(0, 5)], 1, 1),  # a duplicate is not matched twice
        ([(0, 6), (5, 12)], [(4, 7), (6, 20)], 0, 2),  # largest overlap first
        ([], [(0, 1)], 0, 0),
    ],
)
def test_matching(a: list, b: list, exact: int, overlap: int) -> None:
    assert matched(a, b, "exact") == matched(b, a, "exact") == exact
    assert matched(a, b, "overlap") == matched(b, a, "overlap") == overlap


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="rule is one of"):
        matched([], [], "partial")


def test_agreement_json_and_the_cli_lines_carry_span_agreement() -> None:
    rows = _rows()
    report = agreement(
        rows, ["violent_threat", "none"], ["low", "high"], resamples=0,
        span_labels=[*LABELS, "unused"], no_harm_severity=None,
    )  # fmt: skip
    pairable = [r for r in rows if len(r["annotations"]) > 1]
    assert report["spans"] == span_agreement(pairable, [*LABELS, "unused"])
    text = "\n".join(summary_lines(report))
    threat = report["spans"]["labels"]["threat"]
    assert (
        f"span threat          F1 exact {threat['f1_exact']:.3f}, overlap "
        f"{threat['f1_overlap']:.3f} (2 passages, 4 reviewer pairs)" in text
    )
    assert "all span labels" in text and "neither of a pair" in text
    assert "span quoted_propaganda" in text and "span call_to_violence" in text
    assert "span unused" not in text  # a label no pair marked is not a line of its own


def test_the_cli_line_counts_one_passage_and_one_pair_in_the_singular() -> None:
    from annotate.review.agreement import span_lines

    one = {"f1_exact": 1.0, "f1_overlap": 1.0, "n_passages": 1, "n_pairs": 1}
    text = "\n".join(span_lines({"overall": one, "labels": {"threat": one}}))
    assert "(1 passage, 1 reviewer pair)" in text and "1 passages" not in text
