"""A lead adds a category to labels.yaml mid-review and pushes the pre-labels already made:
the push said "no score for 'harassment'. Fix: pre-label with the same labels.yaml
(`annotate prelabel --labels ...`)", and that prelabel then refused (the default model
does not score it), sending the lead in a loop. The error now says why (the model that
made the pre-labels does not score the category) and what works: the labels.yaml the file
was made with, or a model trained with the new one."""

from __future__ import annotations

import pytest

from annotate.errors import PredictionError
from annotate.studio.tasks import check_task_row
from annotate.taxonomy import load_taxonomy


def test_a_category_the_prelabels_model_does_not_score_names_what_works() -> None:
    tax = load_taxonomy()
    scores = {c: 0.1 for c in tax.category_names if c != "counter_speech"}
    row = {
        "id": "p_1",
        "text": "A passage of text.",
        "scores": scores,
        "labels": [],
        "model_version": "default@5f1e8e173430",
    }
    with pytest.raises(PredictionError) as err:
        check_task_row(row, tax, where="pre.parquet row 1")
    what, fix = err.value.what, err.value.fix or ""
    assert "no score for 'counter_speech'" in what
    assert "(model default@5f1e8e173430) does not score it" in what
    assert f"labels.yaml ({tax.name} {tax.version}) has it" in what
    assert "pass the labels.yaml the file was made with (--labels FILE" in fix
    assert "annotate train --labels FILE" in fix
    assert "pre-label with the same labels.yaml" not in fix  # the loop it sent leads into
