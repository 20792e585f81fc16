"""`annotate adjudicate` hides graphic text from the lead by the reviewers' rule, using
the reviewers' answers too: a passage reviewers marked critical (or graphic_violence) was
shown to the lead unhidden when the model had not flagged it."""

from __future__ import annotations

from typing import Any

from annotate.review.adjudication import REVIEWS_FIELD, adjudicate, adjudication_config
from annotate.review.view import HIDDEN_NEIGHBOUR, REVEAL, reveal_result
from tests.audit.fakes import annotation, task
from tests.conftest import project_taxonomy
from tests.corpus.test_severity_tie import AdjudicationStudio
from tests.integration.helpers import choices, span

GORY = "They cut him open in the yard and left the body for the dogs."
CALM = "The council met on Tuesday to discuss the bus timetable."
NEXT = "Residents were told to stay indoors."


def answer(ann_id: int, user: int, cats: list[str], severity: str, text: str) -> dict[str, Any]:
    result = [choices("category", cats), choices("severity", [severity])]
    if text == GORY:
        result.append(span(GORY, "cut him open", "graphic_detail"))
    result.append(reveal_result(project_taxonomy()))  # each reviewer ticked "show"
    return annotation(ann_id, user, result, minute=ann_id % 60, lead_time=5.0)


def tasks() -> list[dict[str, Any]]:
    gory = task(  # the model saw nothing; two reviewers say critical, different categories
        31,
        "doc-e-p0",
        GORY,
        doc="doc-e",
        index=0,
        model_labels=["none"],
        annotations=[
            answer(301, 1, ["violent_threat"], "critical", GORY),
            answer(302, 2, ["graphic_violence"], "critical", GORY),
        ],
    )
    calm = task(  # disputed too (categories differ), nothing graphic, low severity
        32,
        "doc-e-p1",
        CALM,
        doc="doc-e",
        index=1,
        model_labels=["none"],
        annotations=[
            answer(303, 1, ["none"], "none", CALM),
            answer(304, 2, ["news_reporting"], "low", CALM),
        ],
    )
    calm["data"]["context_before"] = GORY  # pushed when only the model's view was known
    calm["data"]["context_after"] = NEXT
    for t in (gory, calm):
        t["data"].update({"warning": "", "preview": t["data"]["text"][:80]})
        t["data"]["model_scores"] = {"none": 0.9}
    return [gory, calm]


def test_reviewers_critical_or_graphic_answers_hide_the_passage_from_the_lead() -> None:
    tax = project_taxonomy()
    studio = AdjudicationStudio(tasks())
    result = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert result.passages == ["doc-e-p0", "doc-e-p1"]
    sent = {t["data"]["passage_id"]: t for t in studio.imported}

    gory = sent["doc-e-p0"]
    assert gory["data"]["warning"].startswith("Content warning (graphic violence)")
    assert gory["data"]["preview"] == "[hidden: graphic violence]"
    assert len(gory["predictions"]) == 2
    for pred in gory["predictions"]:
        assert not any(r["from_name"] == REVEAL for r in pred["result"])  # stays hidden
        assert all("text" not in r["value"] for r in pred["result"] if r["type"] == "labels")

    calm = sent["doc-e-p1"]
    assert calm["data"]["warning"] == "" and calm["data"]["preview"].startswith("The council")
    for pred in calm["predictions"]:  # opens at once, like any passage without a warning
        assert [r for r in pred["result"] if r["from_name"] == REVEAL] == [reveal_result(tax)]
    assert calm["data"]["context_before"] == HIDDEN_NEIGHBOUR  # the gory neighbour
    assert calm["data"]["context_after"] == NEXT


def test_a_reviewer_severity_alone_hides_it() -> None:
    gory, _ = tasks()
    for ann in gory["annotations"]:  # no graphic category: critical severity is enough
        ann["result"][0] = choices("category", ["violent_threat"])
    gory["annotations"][1]["result"][0] = choices("category", ["incitement"])
    studio = AdjudicationStudio([gory])
    adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    (sent,) = studio.imported
    assert sent["data"]["preview"] == "[hidden: reviewer severity critical]"


def test_the_reviewers_answers_panel_is_inside_the_hidden_view() -> None:
    config = adjudication_config(project_taxonomy())
    assert config.index('visibleWhen="choice-selected"') < config.index(f'"${REVIEWS_FIELD}"')
