"""Figures of the audit report computed from rows (annotate.audit.stats)."""

from __future__ import annotations

from typing import Any

from annotate.audit.stats import model_vs_human

CATS = ["violent_threat", "none"]


def row(labels: list[str], model: list[str], *, tie: bool = False) -> dict[str, Any]:
    agreed = labels == model
    return {
        "labels": labels,
        "label_tie": tie,
        "model_labels": model,
        "model_version": "m1",
        "model_agreed": agreed,
    }


def test_tied_passages_are_left_out_of_the_model_confusion_and_counted() -> None:
    """Two reviewers split between 'none' and 'violent_threat' leave the resolved labels
    empty; the report counted the model's violent_threat there as a false positive
    (precision 0.4 where every resolved passage agreed)."""
    rows = [
        row(["violent_threat"], ["violent_threat"]),
        row(["none"], ["none"]),
        row([], ["violent_threat"], tie=True),
        row([], ["violent_threat"], tie=True),
    ]
    mv = model_vs_human(rows, CATS)["m1"]
    assert (mv["passages"], mv["unresolved"]) == (4, 2)
    vt = mv["categories"]["violent_threat"]
    assert (vt["tp"], vt["fp"], vt["fn"], vt["tn"], vt["precision"]) == (1, 0, 0, 1, 1.0)


def test_categories_a_tie_left_undecided_are_left_out_of_their_cells_only() -> None:
    """Two reviewers gave ['violent_threat'] and ['violent_threat', 'none'] (a tie on
    `none` that resolved violent_threat): the model's `none` on it was counted a false
    positive, as if the reviewers had decided against it, while training read the same
    row alike. The undecided category is left out of its own cell, and counted."""
    tied = {
        **row(["violent_threat"], ["violent_threat", "none"], tie=True),
        "resolution": "tie",
        "annotations": [
            {"categories": ["violent_threat"]},
            {"categories": ["violent_threat", "none"]},
        ],
    }
    rows = [row(["none"], ["none"]), tied]
    mv = model_vs_human(rows, CATS)["m1"]
    assert (mv["passages"], mv["unresolved"], mv["partly_undecided"]) == (2, 0, 1)
    none = mv["categories"]["none"]
    assert (none["tp"], none["fp"], none["fn"], none["tn"], none["undecided"]) == (1, 0, 0, 0, 1)
    assert none["precision"] == 1.0
    vt = mv["categories"]["violent_threat"]
    assert (vt["tp"], vt["tn"], vt["undecided"]) == (1, 1, 0)
    # a lead's decision of the same vote decides `none` too
    decided = {**tied, "label_tie": False, "resolution": "adjudicated"}
    mv = model_vs_human([row(["none"], ["none"]), decided], CATS)["m1"]
    assert (mv["categories"]["none"]["fp"], mv["partly_undecided"]) == (1, 0)


def test_a_reviewers_lead_time_is_the_sum_rounded_once() -> None:
    """report.md's lead time per reviewer (4880.89 s) was 0.04 s off the sum of the rows'
    lead times an auditor recounts (4880.93): every partial sum was rounded to 0.01 s,
    each step drifting by up to 0.005 s."""
    from annotate.audit.stats import workload

    times = [0.004] * 100 + [1.0 / 3]  # 0.4 + 0.3333...
    rows = [
        {
            "labels": ["none"],
            "severity": "none",
            "annotations": [{"reviewer": "r-a", "lead_time": t}],
        }
        for t in times
    ]
    assert workload(rows, ["violent_threat"])["r-a"]["lead_time_s"] == round(sum(times), 2)
