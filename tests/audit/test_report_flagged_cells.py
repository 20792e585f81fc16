"""The report's "flagged" columns (reviewer vs consensus, gold accuracy) read yes or no in
the Markdown and the HTML page, as an auditor reads them; they printed Python's True and
False. report.json keeps them true/false, for machines."""

from __future__ import annotations

from annotate.audit.report import _agreement_lines, to_html


def _numbers() -> dict:
    agreement = {
        "n_items": 2,
        "n_reviewers": 2,
        "reviewer_vs_consensus": {
            "r-a": {"n_items": 2, "exact": 0.5, "flagged": True},
            "r-b": {"n_items": 2, "exact": 1.0, "flagged": False},
        },
        "gold": {
            "n_gold": 4,
            "min_accuracy": 0.8,
            "reviewers": {
                "r-a": {"n_items": 4, "exact": 0.5, "severity": 1.0, "flagged": True},
                "r-b": {"n_items": 4, "exact": 1.0, "severity": 1.0, "flagged": False},
            },
        },
    }
    raw = {"multi_reviewed": 2, "unanimous_categories": 1, "label_ties": 0}
    return {"raw_agreement": raw, "resolutions": {}, "agreement": agreement, "gold": {}}


def test_flagged_reads_yes_or_no_in_markdown_and_html() -> None:
    numbers = _numbers()
    text = "\n".join(_agreement_lines(numbers))
    assert "| r-a | 2 | 0.500 | yes |" in text, text
    assert "| r-b | 2 | 1.000 | no |" in text, text
    assert "| r-a | 4 | 0.500 | 1.000 | yes |" in text, text
    assert "| r-b | 4 | 1.000 | 1.000 | no |" in text, text
    page = to_html(text, "report")
    assert "<td>yes</td>" in page and "<td>no</td>" in page, page
    for shown in (text, page):
        assert "True" not in shown and "False" not in shown
