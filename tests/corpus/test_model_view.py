"""Export credits the prediction an annotation started from, and agreement covers
categories, severity and spans (issue 12, item 2). Real server: tests/integration/
test_model_credit.py."""

from __future__ import annotations

import pytest

from annotate.corpus.model_view import ModelView, agrees, annotation_model_view
from annotate.corpus.resolve import ReviewedSpan as Span
from annotate.corpus.rows import task_to_row
from annotate.studio.pull import parse_result
from annotate.taxonomy import load_taxonomy

TAX = load_taxonomy()
TEXT = "We will come for you tonight, nobody leaves alive."
THREAT = Span(30, 49, "threat", TEXT[30:49])
MODEL = ModelView("m2", ["violent_threat"], "low", [THREAT], 2)


@pytest.mark.parametrize(
    ("categories", "severity", "spans", "expected"),
    [
        (["violent_threat"], "low", [THREAT], True),
        (["violent_threat"], "high", [THREAT], False),  # severity raised
        (["violent_threat", "incitement"], "low", [THREAT], False),  # a category added
        (["violent_threat"], "low", [], False),  # span removed
        (["violent_threat"], "low", [Span(30, 38, "threat", "nobody l")], False),  # span moved
        (["violent_threat"], "low", [Span(30, 49, "glorification", "x")], False),  # relabelled
    ],
)
def test_agreement_covers_every_field_a_reviewer_can_change(
    categories: list[str], severity: str, spans: list[Span], expected: bool
) -> None:
    assert agrees(categories, severity, spans, MODEL, TAX) is expected


@pytest.mark.parametrize(
    ("reviewer", "model", "expected"), [("", "none", True), ("", "low", False)]
)
def test_a_blank_severity_counts_as_the_lowest_level(reviewer: str, model: str, expected: bool):
    view = ModelView("m", [], model, [])
    assert agrees([], reviewer, [], view, TAX) is expected


@pytest.mark.parametrize("severity", ["", "low", "high", "critical"])
def test_a_prediction_without_a_severity_agrees_with_any(severity: str) -> None:
    """Stop 48 F19: a harmful passage is pushed with no severity pre-selected (the model
    scores categories, not severity), so the reviewer's severity cannot disagree with it;
    before, a blank model severity counted as ``none`` and every severity disagreed."""
    view = ModelView("m", ["violent_threat"], "", [THREAT])
    assert agrees(["violent_threat"], severity, [THREAT], view, TAX)


def prediction(pid: int, version: str, category: str, severity: str) -> dict:
    return {
        "id": pid,
        "model_version": version,
        "result": [
            {
                "from_name": "category",
                "to_name": "passage",
                "type": "choices",
                "value": {"choices": [category]},
            },
            {
                "from_name": "severity",
                "to_name": "passage",
                "type": "choices",
                "value": {"choices": [severity]},
            },
        ],
    }


P1 = prediction(1, "model-1", "none", "none")
P2 = prediction(2, "model-2", "violent_threat", "low")


def task(annotation: dict) -> dict:
    return {
        "id": 7,
        "data": {
            "text": TEXT,
            "passage_id": "p",
            "model_version": "model-1",
            "model_scores": dict.fromkeys(TAX.category_names, 0.5),
        },
        "predictions": [P1, P2],
        "annotations": [
            {
                "id": 3,
                "completed_by": 1,
                "created_at": "t",
                "updated_at": "t",
                "result": P2["result"],
                **annotation,
            }
        ],
    }


@pytest.mark.parametrize(
    ("annotation", "version"),
    [
        ({"parent_prediction": 2}, "model-2"),  # the prediction the reviewer edited
        ({"parent_prediction": 1}, "model-1"),
        ({"prediction": P2}, "model-2"),  # the prediction shown when it was saved
        ({"prediction": {"id": 2}}, "model-2"),
        ({"prediction": {}}, "model-1"),  # nothing recorded: the task's own model
        ({}, "model-1"),
    ],
)
def test_the_prediction_an_annotation_started_from_is_credited(
    annotation: dict, version: str
) -> None:
    t = task(annotation)
    view = annotation_model_view(t["annotations"][0], t, TAX, parse_result)
    assert view.version == version
    row = task_to_row(t, TAX, salt="s")
    assert row["model_version"] == version
    assert row["annotations"][0]["model_version"] == version
    # the reviewer kept model-2's answer: agreeing with model-2, not with model-1
    assert row["model_agreed"] is (version == "model-2")
    assert row["model_labels"] == (["violent_threat"] if version == "model-2" else ["none"])
    assert row["model_severity"] == ("low" if version == "model-2" else "none")
    # scores are those of the model the task was pushed with; unknown for another model
    assert (row["model_scores"]["none"] is None) is (version == "model-2")


@pytest.mark.parametrize(
    ("answered", "version"),
    [
        ("2026-12-01T10:30:00Z", "model-1"),  # answered before the re-push: model-1 shown
        ("2026-12-02T09:00:00.123456Z", "model-2"),  # answered after it: model-2 shown
        ("t", "model-2"),  # no readable time: the task's columns, as before
    ],
)
def test_an_api_answer_is_credited_to_the_prediction_shown_when_it_was_made(
    answered: str, version: str
) -> None:
    """An answer recording no prediction (made through the API) is credited to the newest
    prediction made before it, not to whichever model the task's columns name now (a
    re-push with a newer model rewrites them)."""
    t = task({"created_at": answered})
    t["predictions"] = [
        {**P1, "created_at": "2026-12-01T10:00:00Z"},
        {**P2, "created_at": "2026-12-02T08:00:00+00:00"},
    ]
    t["data"]["model_version"] = "model-2"  # the columns after the re-push
    view = annotation_model_view(t["annotations"][0], t, TAX, parse_result)
    assert view.version == version
