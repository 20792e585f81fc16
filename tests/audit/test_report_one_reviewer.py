"""With one reviewer per passage (a plain push, K = 1) the report's agreement section
called every single answer "unanimous" and said "From `agreement.json`: 0 passages, 0
reviewers" above a table of n/a (a moderation lead's review round). It now says that
agreement cannot be measured with one answer per passage and names the option that gives
passages more reviewers; a single answer is counted apart, never as unanimous."""

from __future__ import annotations

from typing import Any

from annotate.audit.report import SINGLE_ANSWER, _agreement_lines


def _numbers(per_passage: dict[str, int], resolutions: dict[str, int], single: int,
             n_items: int, k: int | None = None) -> dict[str, Any]:  # fmt: skip
    raw = {"multi_reviewed": 0, "unanimous_categories": 0, "label_ties": 0,
           "reviewers_per_passage": per_passage, "single_answer": single}  # fmt: skip
    agreement = {"n_items": n_items, "n_reviewers": 0, "categories": {
        "violent_threat": {"alpha": None, "ci95": None, "n_items": 0, "n_answers": 0}}}  # fmt: skip
    return {"raw_agreement": raw, "resolutions": resolutions, "agreement": agreement,
            "gold": {}, "reviewers_per_task": k}  # fmt: skip


def test_one_answer_per_passage_is_no_agreement_and_says_how_to_get_it() -> None:
    text = "\n".join(_agreement_lines(_numbers({"1": 6}, {"unanimous": 6}, 6, 0)))
    assert "Agreement cannot be measured" in text, text
    assert "--reviewers-per-task 2" in text, text
    assert "| unanimous |" not in text and f"| {SINGLE_ANSWER} | 6 |" in text, text
    assert "0 passages, 0 reviewers" not in text and "n/a" not in text, text


def test_single_answers_are_counted_apart_from_unanimous_ones() -> None:
    numbers = _numbers({"1": 2, "2": 5}, {"majority": 1, "unanimous": 6}, 2, 5, k=2)
    numbers["raw_agreement"]["multi_reviewed"] = 5
    text = "\n".join(_agreement_lines(numbers))
    assert "| unanimous | 4 |" in text and f"| {SINGLE_ANSWER} | 2 |" in text, text
    assert "From `agreement.json`: 5 passages" in text, text


def test_a_review_set_without_a_second_answer_yet_is_not_measured_yet() -> None:
    text = "\n".join(_agreement_lines(_numbers({"1": 3}, {"unanimous": 3}, 3, 0, k=2)))
    assert "Agreement is not measured yet" in text and "2 reviewers" in text, text
    assert "0 passages, 0 reviewers" not in text, text
