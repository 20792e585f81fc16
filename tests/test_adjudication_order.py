"""The lead's queue in ``NAME · adjudication`` is ordered by what the reviewers said
(passC50 R4): the reviewers' highest severity first, then how many chose a harmful
category, then the model. Ordered by the model alone, the forum threat one reviewer
rated critical came last of 4 disputes."""

from __future__ import annotations

from typing import Any

from annotate.review.adjudication import (
    ADJUDICATION_HIDDEN_COLUMNS,
    DISPUTE_FIELD,
    adjudicate,
    dispute_priority,
)
from annotate.studio.tasks import PRIORITY_FIELD
from tests.audit.fakes import annotation, task
from tests.conftest import project_taxonomy
from tests.corpus.test_severity_tie import AdjudicationStudio
from tests.integration.helpers import choices


def answer(ann_id: int, user: int, cats: list[str], severity: str) -> dict[str, Any]:
    result = [choices("category", cats), choices("severity", [severity])]
    return annotation(ann_id, user, result, minute=ann_id % 60, lead_time=5.0)


def disputed(
    task_id: int, pid: str, model: float, answers: list[tuple[list[str], str]]
) -> dict[str, Any]:
    t = task(
        task_id,
        pid,
        f"Passage {pid}.",
        doc=pid,
        index=0,
        model_labels=["none"],
        annotations=[
            answer(task_id * 10 + i, i + 1, cats, sev) for i, (cats, sev) in enumerate(answers)
        ],
    )
    t["data"].update({"warning": "", "preview": t["data"]["text"], PRIORITY_FIELD: model})
    return t


def review_set() -> list[dict[str, Any]]:
    """Four disputes in the review set's (the model's) order, as passC50 saw them."""
    return [
        disputed(1, "gore", 0.74, [(["graphic_violence"], "high"), (["news_reporting"], "low")]),
        disputed(2, "council", 0.48, [(["news_reporting"], "none"), (["none"], "none")]),
        # (incitement: `none` with severity low is read as no severity since stop 51)
        disputed(3, "call", 0.47, [(["counter_speech"], "none"), (["incitement"], "low")]),
        disputed(4, "forum", 0.365, [(["violent_threat"], "critical"), (["none"], "none")]),
    ]


def test_the_dispute_a_reviewer_rated_critical_comes_first_in_the_leads_queue() -> None:
    studio = AdjudicationStudio(review_set())
    result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert sorted(result.passages) == ["call", "council", "forum", "gore"]
    order = [t["data"]["passage_id"] for t in studio.imported]  # import order = task ids
    assert order == ["forum", "gore", "call", "council"]
    by_priority = sorted(studio.imported, key=lambda t: -t["data"][PRIORITY_FIELD])
    assert [t["data"]["passage_id"] for t in by_priority] == order  # the Queue tab's order
    assert all(0.0 <= t["data"][PRIORITY_FIELD] < 1.0 for t in studio.imported)


def test_harmful_votes_then_the_model_order_disputes_of_one_severity() -> None:
    tax = project_taxonomy()
    two_harmful = [
        {"categories": ["violent_threat"], "severity": "medium"},
        {"categories": ["incitement"], "severity": "low"},
    ]
    one_harmful = [
        {"categories": ["violent_threat"], "severity": "medium"},
        {"categories": ["none"], "severity": "none"},
    ]
    assert dispute_priority(two_harmful, 0.0, tax) > dispute_priority(one_harmful, 0.99, tax)
    assert dispute_priority(one_harmful, 0.6, tax) > dispute_priority(one_harmful, 0.5, tax)
    # the same answers and model score: a tie, left in the review set's order
    assert dispute_priority(one_harmful, 0.5, tax) == dispute_priority(one_harmful, 0.5, tax)
    # no model priority on the task (made by hand): the reviewers' answers still order it
    assert dispute_priority(one_harmful, None, tax) > dispute_priority([], None, tax) == 0.0


def test_the_leads_grid_says_what_is_disputed_without_the_passages_text() -> None:
    """passC50 R7: the lead's grid showed only ids; the data columns (title, preview) came
    after the built-in ones, off the screen."""
    studio = AdjudicationStudio(review_set())
    adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    sent = {t["data"]["passage_id"]: t["data"] for t in studio.imported}
    forum = sent["forum"][DISPUTE_FIELD]
    assert forum == "Violent threat 1, None of these 1 · severity critical / none"
    assert sent["gore"][DISPUTE_FIELD].startswith("Graphic violence 1, News reporting 1")
    assert all(data["text"] not in data[DISPUTE_FIELD] for data in sent.values())
    (queue,) = studio.views
    hidden = queue["data"]["hiddenColumns"]["explore"]
    assert set(ADJUDICATION_HIDDEN_COLUMNS) <= set(hidden)
    assert f"tasks:data.{DISPUTE_FIELD}" not in hidden and "tasks:data.title" not in hidden
