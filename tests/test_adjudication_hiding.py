"""`annotate adjudicate` hides graphic text from the lead by the reviewers' rule, using
the reviewers' answers too: a passage reviewers marked critical (or graphic_violence) was
shown to the lead unhidden when the model had not flagged it."""

from __future__ import annotations

from typing import Any

from annotate.cli.review.agreement import adjudication_summary
from annotate.review.adjudication import (
    DISPUTE_FIELD,
    REVIEWS_FIELD,
    _describe,
    adjudicate,
    adjudication_config,
)
from annotate.review.view import REVEAL, hidden_neighbour, reveal_result
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
    assert gory["data"]["warning"].startswith(
        "Content warning (graphic violence: chosen by a reviewer)"
    )
    assert gory["data"]["preview"] == "[hidden: graphic violence]"
    assert len(gory["predictions"]) == 3  # each answer, then the blank start
    for pred in gory["predictions"]:
        assert not any(r["from_name"] == REVEAL for r in pred["result"])  # stays hidden
        assert all("text" not in r["value"] for r in pred["result"] if r["type"] == "labels")

    calm = sent["doc-e-p1"]
    assert calm["data"]["warning"] == "" and calm["data"]["preview"].startswith("The council")
    for pred in calm["predictions"]:  # opens at once, like any passage without a warning
        assert [r for r in pred["result"] if r["from_name"] == REVEAL] == [reveal_result(tax)]
    assert calm["data"]["context_before"] == hidden_neighbour("doc-e-p0")  # the gory one
    assert calm["data"]["context_after"] == NEXT


def test_a_parent_comment_the_reviewers_hide_is_a_note_for_the_lead() -> None:
    """A reply's thread context (annotate.review.parents), shown when the push saw no
    warning on its parent, becomes the hidden-parent note once the reviewers' answers
    hide the parent (passL54 finding 5), as a hidden neighbour does."""
    from annotate.review.parents import hidden_parent

    gory, calm = tasks()
    calm["data"].update(
        {"doc_id": "doc-f", "passage_index": 0, "passage_id": "doc-f-p0", "context_before": ""}
    )
    calm["data"]["parent_doc_id"] = "doc-e"
    calm["data"]["context_parent"] = GORY  # pushed when only the model's view was known
    studio = AdjudicationStudio([gory, calm])
    adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    sent = {t["data"]["passage_id"]: t for t in studio.imported}
    assert sent["doc-f-p0"]["data"]["context_parent"] == hidden_parent("doc-e", ["doc-e-p0"])


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


class HeldStudio(AdjudicationStudio):
    """An adjudication project (id 8) that keeps what was imported, with predictions."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.held: list[dict[str, Any]] = []
        self.preds: list[dict[str, Any]] = []

    def find_project(self, title: str) -> dict[str, Any] | None:
        if title.endswith("adjudication") and self.held:
            return {
                "id": 8,
                "title": title,
                "label_config": adjudication_config(project_taxonomy()),
            }
        return super().find_project(title)

    def iter_tasks(self, project_id: int, **params: Any) -> list[dict[str, Any]]:
        return [dict(t) for t in self.held] if project_id == 8 else []

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> Any:
        answer = super().import_tasks(project_id, tasks)
        for t in tasks:
            tid = 900 + len(self.held)
            self.held.append({"id": tid, "data": dict(t["data"])})
            for p in t["predictions"]:
                self.preds.append({"id": len(self.preds), "task": tid, **p})
        return answer

    def list_predictions(self, project_id: int) -> list[dict[str, Any]]:
        return [dict(p) for p in self.preds]

    def update_task_data(self, task_id: int, data: dict[str, Any]) -> None:
        next(t for t in self.held if t["id"] == task_id)["data"] = dict(data)

    def update_prediction(self, prediction_id: int, result: list[Any]) -> None:
        self.preds[prediction_id]["result"] = result

    def set_task_overlap(self, task_id: int, overlap: int, *, labeled: bool) -> None:
        task = next(t for t in self.held if t["id"] == task_id)
        task.update(overlap=overlap, is_labeled=labeled)


def test_a_passage_no_longer_disputed_gets_its_answers_panel_brought_up_to_date() -> None:
    """A reviewer changed an answer so that the reviewers agree: a re-run left the task
    in the adjudication project showing the lead the old answers (and said 0 there)."""
    tax = project_taxonomy()
    _, calm = tasks()
    studio = HeldStudio([calm])
    assert adjudicate(studio, "p", tax, salt="s").passages == ["doc-e-p1"]  # type: ignore[arg-type]
    assert "News reporting" in studio.held[0]["data"][REVIEWS_FIELD]
    studio.held[0]["total_annotations"] = 1  # the lead answered: the task stays
    calm["annotations"][1] = answer(305, 2, ["none"], "none", CALM)  # now they agree
    again = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert "News reporting" not in studio.held[0]["data"][REVIEWS_FIELD]
    assert again.passages == [] and again.settled == ["doc-e-p1"] and again.updated == 1
    # the summary counted it among the disputed passages already there: "0 already there
    # (1 updated)"
    assert adjudication_summary(again).startswith(
        "'p · adjudication': 0 disputed passage(s), 0 added, 0 already there (0 updated); "
        "1 task(s) no longer disputed brought up to date"
    )
    assert all(
        r["value"]["choices"] != ["news_reporting"] for p in studio.preds for r in p["result"]
    )


def test_the_answers_panel_names_labels_as_labels_yaml_titles_them() -> None:
    """The lead read ``violent_threat``, ``graphic_detail`` (internal names) in the
    "Reviewers' answers" panel, beside choices titled "Violent threat" (stop 46 ui pass)."""
    tax = project_taxonomy()
    studio = AdjudicationStudio(tasks())
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    panel = {t["data"]["passage_id"]: t["data"][REVIEWS_FIELD] for t in studio.imported}
    gory, calm = panel["doc-e-p0"], panel["doc-e-p1"]
    assert ": Violent threat · severity critical · evidence Graphic detail «cut him open»" in gory
    assert ": Graphic violence · severity critical" in gory
    assert ": None of these · severity none" in calm
    # news_reporting with severity low: a harmful severity with no harmful category, read
    # as no severity given (stop 51), as export reads it; the lead still sees what the
    # reviewer picked, marked (it read "severity -", as if none was picked: stop 52)
    assert ": News reporting · severity low (contradicts: no harmful category)" in calm
    assert "severity -" not in calm
    grid = {t["data"]["passage_id"]: t["data"][DISPUTE_FIELD] for t in studio.imported}
    assert grid["doc-e-p1"].endswith("· severity none / low (contradicted)"), grid["doc-e-p1"]
    for name in ("violent_threat", "graphic_violence", "graphic_detail", "news_reporting"):
        assert name not in gory + calm


def test_the_answers_panel_shows_a_contradicted_severity_as_picked_and_marked() -> None:
    """Stop 52: a harmful category with severity `none` read "severity -" in the lead's
    panel, as if the reviewer had picked none; the lead is shown the pick, marked."""
    tax = project_taxonomy()
    threat = {
        "categories": ["violent_threat"],
        "categories_answered": ["violent_threat"],
        "severity": "",  # read as no severity given (export's rows)
        "severity_answered": "none",
        "spans": [],
    }
    line = _describe("r-1", threat, tax)
    assert line == "r-1: Violent threat · severity none (contradicts: a harmful category)"
    # an answer that picked no severity still reads "-"
    assert _describe("r-2", {**threat, "severity_answered": ""}, tax).endswith("severity -")


def test_the_answers_panel_quotes_a_subtitle_cues_evidence_as_the_lead_reads_it() -> None:
    """A subtitle cue is shown without its markup (annotate.studio.shown_text); the
    reviewers' evidence, exported on the file's characters, is quoted as shown."""
    from annotate.studio.shown_text import SOURCE_MAP_FIELD, SOURCE_TEXT_FIELD, shown_text

    raw = "<v Bob><i>They cut him open</i> in the yard</v>"
    mapped = shown_text(raw)
    gory = tasks()[0]
    gory["data"].update(
        {
            "text": mapped.shown,
            "preview": mapped.shown,
            SOURCE_TEXT_FIELD: raw,
            SOURCE_MAP_FIELD: mapped.map_json(),
        }
    )
    for ann in gory["annotations"]:
        ann["result"] = [r for r in ann["result"] if r["type"] != "labels"] + [
            span(mapped.shown, "Bob: They cut him", "graphic_detail")
        ]
    studio = AdjudicationStudio([gory])
    adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    (panel,) = [t["data"][REVIEWS_FIELD] for t in studio.imported]
    assert "evidence Graphic detail «Bob: They cut him»" in panel
    assert "<i>" not in panel


def test_the_adjudication_projects_own_name_is_refused_with_the_review_sets() -> None:
    """`adjudicate --project 'B · adjudication'` (the title Label Studio shows) said 'no
    disputed passage ... 'B · adjudication · adjudication' was not created', exit 0."""
    import pytest

    from annotate.errors import InputError

    with pytest.raises(InputError, match="adjudication project of the review set 'B'") as exc:
        adjudicate(HeldStudio(tasks()), "B · adjudication", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert "--project 'B'" in str(exc.value.fix)


def test_adjudicate_refuses_other_content_of_the_same_version_for_a_project_with_answers() -> None:
    """Break49 B11: ``adjudicate --labels EDITED`` (same version) warned, then rewrote the
    adjudication project's config with the edited content, so its digest recorded the
    last run, not what the lead answered under. With answers there it is refused."""
    import pytest

    from annotate.errors import TaxonomyError
    from annotate.taxonomy import parse_taxonomy
    from tests.conftest import ROOT

    tax = project_taxonomy()
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    example = "I know where the councillor parks."
    edited = parse_taxonomy(text.replace(example, "I know where the mayor parks.", 1))
    assert edited.version == tax.version and edited.content_sha256 != tax.content_sha256

    updated: list[dict[str, Any]] = []

    class Answered(HeldStudio):
        def count_annotated_tasks(self, project_id: int) -> int:
            return 6 if project_id == 8 else super().count_annotated_tasks(project_id)

        def update_project(self, project_id: int, **fields: Any) -> None:
            updated.append(fields)

    studio = Answered(tasks())
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    with pytest.raises(TaxonomyError) as raised:
        adjudicate(studio, "p", edited, salt="s")  # type: ignore[arg-type]
    message = str(raised.value)
    assert tax.content_sha256 in message and edited.content_sha256 in message, message
    assert "6 answered task(s)" in message and "--labels" in message, message
    assert not any("label_config" in u for u in updated)
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]  # the pushed file: fine


def test_a_comment_above_the_parent_the_reviewers_hide_is_a_note_for_the_lead() -> None:
    """Up the thread (stop 56): a reply's thread shows its parent and the comment above
    it; the reviewers' answers hide the one above, so the lead's task shows the note
    instead of the thread, never its text."""
    from annotate.review.parents import hidden_parent

    gory, calm = tasks()
    middle = task(
        33,
        "doc-g-p0",
        NEXT,
        doc="doc-g",
        index=0,
        model_labels=["none"],
        annotations=[
            answer(305, 1, ["none"], "none", NEXT),
            answer(306, 2, ["news_reporting"], "low", NEXT),
        ],
    )
    middle["data"].update({"warning": "", "preview": NEXT, "model_scores": {"none": 0.9}})
    middle["data"]["parent_doc_id"] = "doc-e"
    calm["data"].update(
        {"doc_id": "doc-f", "passage_index": 0, "passage_id": "doc-f-p0", "context_before": ""}
    )
    calm["data"]["parent_doc_id"] = "doc-g"
    calm["data"]["context_parent"] = f"doc-e: {GORY}\ndoc-g: {NEXT}"  # the push's thread
    studio = AdjudicationStudio([gory, calm, middle])
    adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    sent = {t["data"]["passage_id"]: t for t in studio.imported}
    shown = sent["doc-f-p0"]["data"]["context_parent"]
    assert shown == hidden_parent("doc-e", ["doc-e-p0"], "comment above the parent")
    assert "dogs" not in shown
