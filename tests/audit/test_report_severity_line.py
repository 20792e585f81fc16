"""The report's severity agreement line reads as the category table above it does: 3
decimals and n/a, never Python's None (it printed "Severity (ordinal alpha): 0.0 (95% CI
None, 1 items)." for a review set where one passage had two answers)."""

from __future__ import annotations

from annotate.audit.report import _agreement_lines


def _numbers(severity: dict) -> dict:
    agreement = {"n_items": 1, "n_reviewers": 2, "severity": severity}
    raw = {"multi_reviewed": 1, "unanimous_categories": 0, "label_ties": 1}
    return {"raw_agreement": raw, "resolutions": {}, "agreement": agreement, "gold": {}}


def test_a_severity_alpha_without_an_interval_says_n_a() -> None:
    lines = _agreement_lines(_numbers({"level": "ordinal", "alpha": 0.0, "ci95": None,
                                       "n_items": 1}))  # fmt: skip
    text = "\n".join(lines)
    assert "Severity (ordinal alpha): 0.000 (95% CI n/a, 1 item)." in text, text
    assert "None" not in text


def test_a_severity_alpha_with_an_interval_gives_it() -> None:
    lines = _agreement_lines(_numbers({"level": "ordinal", "alpha": 0.41234,
                                       "ci95": [0.2, 0.9], "n_items": 12}))  # fmt: skip
    assert "Severity (ordinal alpha): 0.412 (95% CI [0.2, 0.9], 12 items)." in lines
