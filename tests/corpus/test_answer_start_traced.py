"""An auditor can tell from the export alone what each answer started from (audit49 A1,
A2), what the lead gave and what the reviewers' vote filled in (A3), and when and where a
reviewer skipped a passage (A14).

Before: every answer was credited to the model whose pre-labels the task showed, whether
or not it recorded starting from them (Label Studio's ``parent_prediction``); the lead's
answers in ``NAME · adjudication``, whose tasks show the reviewers' answers and a blank
start, not the model's, were credited to the model too; the adjudication record held
neither the lead's own answer nor its start; a lead's answer without spans wiped the
spans the reviewers agreed on (severity fell back to their vote); and a skip left no
Label Studio id or time. Snapshot-shaped tasks (tests/audit/fakes.py); the real-server
test is tests/integration/test_model_credit.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from datasets import load_from_disk

from annotate.audit.redact import Redactor
from annotate.audit.redact_export import redact_row
from annotate.cli.export import lead_spans_note
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.corpus.schema import corpus_features
from annotate.review.adjudication import BLANK_START
from annotate.review.collect import (
    SEVERITY_FROM_VOTE,
    SEVERITY_NO_HARM,
    SEVERITY_OVERTURNED,
    SPANS_FROM_REVIEWERS,
)
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import (
    MODEL,
    PERSONAL,
    THREAT,
    StudioWithLead,
    annotation,
    lead_task,
    reviewed_tasks,
)
from tests.integration.helpers import choices, span

NOBODY = "nobody leaves alive"


def _tasks() -> list[dict[str, Any]]:
    """The fixture tasks with prediction ids; reviewer 1's answers record starting from
    the model's prediction, the others' record none."""
    tasks = reviewed_tasks()
    for t in tasks:
        for i, pred in enumerate(t["predictions"]):
            pred["id"] = t["id"] * 10 + i
        for a in t["annotations"]:
            if a["completed_by"] == 1:
                a["parent_prediction"] = t["predictions"][0]["id"]
    return tasks


def _lead(result: list[dict[str, Any]], parent: str | None) -> dict[str, Any]:
    """The lead's task for doc-a-p1: reviewer 2's answer and the blank start as
    predictions (as `annotate adjudicate` makes them), the lead's answer started from
    ``parent`` (a pseudonym, BLANK_START or None)."""
    t = lead_task("doc-a-p1", THREAT, result)
    t["predictions"] = [
        {"id": 501, "model_version": pseudonym(2, "s"), "result": []},
        {"id": 502, "model_version": BLANK_START, "result": []},
    ]
    ids = {p["model_version"]: p["id"] for p in t["predictions"]}
    if parent is not None:
        t["annotations"][0]["parent_prediction"] = ids[parent]
    return t


def _export(tmp_path: Path, studio: Any) -> tuple[dict[str, Any], dict[str, Any], Path]:
    out = tmp_path / "c"
    export("p", out, client=studio, salt="s")
    rows = {
        r["id"]: r
        for f in (out / "jsonl").glob("*.jsonl")
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }
    return rows, json.loads((out / "manifest.json").read_text()), out


def test_each_answer_records_the_prediction_it_started_from(tmp_path: Path) -> None:
    rows, _, out = _export(tmp_path, StudioWithLead(_tasks(), []))
    answers = {a["reviewer"]: a for a in rows["doc-a-p1"]["annotations"]}
    first, second = answers[pseudonym(1, "s")], answers[pseudonym(2, "s")]
    assert first["parent_prediction"] == 120 and first["started_from_prediction"] is True
    assert second["parent_prediction"] is None and second["started_from_prediction"] is False
    # model_version keeps its meaning: the model whose pre-labels the task showed
    assert first["model_version"] == second["model_version"] == MODEL
    # the same columns in every format the export writes (one schema)
    table = pq.read_table(out / "parquet" / "train.parquet")
    fields = table.schema.field("annotations").type.value_type
    assert {"parent_prediction", "started_from_prediction"} <= {f.name for f in fields}
    hf = load_from_disk(str(out / "hf"))
    assert "started_from_prediction" in hf["train"].features["annotations"].feature
    flags = [
        a["started_from_prediction"]
        for split in hf.values()
        for r in split
        for a in r["annotations"]
    ]
    assert True in flags and False in flags


def test_the_report_credits_the_model_only_for_answers_that_started_from_it(
    tmp_path: Path,
) -> None:
    result = [choices("category", ["incitement"]), choices("severity", ["high"])]
    studio = StudioWithLead(_tasks(), [_lead(result, pseudonym(2, "s"))])
    rows, _, out = _export(tmp_path, studio)
    per = json.loads((out / "report" / "report.json").read_text())["reviewer_answers"]
    answered = {
        name: [a for r in rows.values() for a in r["annotations"] if a["reviewer"] == name]
        for name in (pseudonym(u, "s") for u in (1, 2, 3))
    }
    for name, mine in answered.items():
        started = [a for a in mine if a["started_from_prediction"]]
        assert per[name]["started_from"] == ({MODEL: len(started)} if started else {})
        assert per[name]["no_start_recorded"] == len(mine) - len(started)
    assert per[pseudonym(1, "s")]["started_from"] == {MODEL: 3}  # before: every answer
    assert per[pseudonym(2, "s")]["started_from"] == {}
    # the lead's answer is never credited to the model: the start it records is shown
    lead = per[pseudonym(4, "s")]
    assert lead["started_from"] == {} and lead["no_start_recorded"] == 0
    assert lead["adjudications"] == 1
    assert lead["adjudication_started_from"] == {pseudonym(2, "s"): 1}
    md = (out / "report" / "report.md").read_text()
    assert "no starting prediction" in md and "adjudications (started from)" in md
    assert f"| - | 0 | 1 (from {pseudonym(2, 's')}: 1) |" in md


def test_the_adjudication_record_holds_the_leads_own_answer_and_start(tmp_path: Path) -> None:
    result = [
        choices("category", ["incitement"]),
        choices("severity", ["critical"]),
        span(THREAT, "We will come for you", "threat"),
    ]
    rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [_lead(result, BLANK_START)]))
    adj = rows["doc-a-p1"]["adjudication"]
    assert adj["categories"] == ["incitement"] and adj["severity"] == "critical"
    assert [s["text"] for s in adj["spans"]] == ["We will come for you"]
    assert adj["severity_from"] == adj["spans_from"] == "lead"
    assert adj["parent_prediction"] == 502 and adj["started_from"] == "blank"
    assert rows["doc-a-p1"]["spans"] == adj["spans"]
    assert manifest["review"]["adjudicated_spans_from_reviewers"] == 0
    # an answer recording no start: None, not the model
    rows, _, _ = _export(tmp_path / "b", StudioWithLead(_tasks(), [_lead(result, None)]))
    adj = rows["doc-a-p1"]["adjudication"]
    assert adj["parent_prediction"] is None and adj["started_from"] is None


def test_a_lead_answer_without_spans_keeps_the_spans_the_reviewers_agreed_on(
    tmp_path: Path,
) -> None:
    # two of the three reviewers marked "nobody leaves alive"; the lead gives a category
    # only (no severity, no span)
    lead = _lead([choices("category", ["violent_threat"])], None)
    rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [lead]))
    row = rows["doc-a-p1"]
    assert row["resolution"] == "adjudicated" and row["labels"] == ["violent_threat"]
    assert [(s["text"], s["label"]) for s in row["spans"]] == [(NOBODY, "threat")]
    assert row["severity"] == "high"  # the vote's, as before
    adj = row["adjudication"]
    assert adj["spans"] == [] and adj["severity"] == ""  # what the lead gave
    assert adj["spans_from"] == SPANS_FROM_REVIEWERS
    assert adj["severity_from"] == SEVERITY_FROM_VOTE
    assert manifest["review"]["adjudicated_spans_from_reviewers"] == 1
    assert manifest["review"]["adjudicated_severity_from_vote"] == 1
    note = lead_spans_note(manifest["review"])
    assert note is not None and note.startswith("note: 1 adjudicated passage(s) got no")
    assert lead_spans_note({"adjudicated_spans_from_reviewers": 0}) is None


def test_a_skip_records_its_project_task_and_time(tmp_path: Path) -> None:
    tasks = _tasks()
    skip = {**annotation(201, 5, [], minute=40, lead_time=1.0), "was_cancelled": True}
    tasks[1]["annotations"].append(skip)  # reviewer 5 skipped doc-a-p1 (task 12)
    lead = lead_task("doc-a-p1", THREAT, [])
    lead["annotations"] = [
        {**annotation(902, 4, [], minute=45, lead_time=1.0), "was_cancelled": True}
    ]
    rows, _, out = _export(tmp_path, StudioWithLead(tasks, [lead]))
    assert rows["doc-a-p1"]["skips"] == [
        {
            "reviewer": pseudonym(5, "s"),
            "project_id": 7,
            "task_id": 12,
            "skipped_at": "2026-06-01T10:40:00Z",
            "adjudication": False,
        },
        {
            "reviewer": pseudonym(4, "s"),
            "project_id": 9,
            "task_id": 90,
            "skipped_at": "2026-06-01T10:45:00Z",
            "adjudication": True,
        },
    ]
    assert all(r["skips"] == [] for k, r in rows.items() if k != "doc-a-p1")
    table = pq.read_table(out / "parquet" / "train.parquet")
    assert "skips" in table.schema.names


def test_redact_masks_the_leads_own_spans_too() -> None:
    start = PERSONAL.index("kill them all")
    mine = {"start": start, "end": start + 13, "label": "threat", "text": "kill them all"}
    row = {"text": PERSONAL, "annotations": [], "spans": [], "adjudication": {"spans": [mine]}}
    out = redact_row(row, Redactor())
    (lead_span,) = out["adjudication"]["spans"]
    assert lead_span["text"] == "kill them all"
    assert out["text"][lead_span["start"] : lead_span["end"]] == "kill them all"
    assert lead_span["start"] < start  # moved onto the masked text (before: left behind)


def test_the_rows_nested_records_have_the_schemas_fields(tmp_path: Path) -> None:
    """JSONL is written from the rows, HF and Parquet through the schema: the rows' records
    (annotation, adjudication, skip) hold exactly the schema's fields, so the three
    formats carry the same columns."""
    tasks = _tasks()
    tasks[1]["annotations"].append(
        {**annotation(201, 5, [], minute=40, lead_time=1.0), "was_cancelled": True}
    )
    lead = _lead([choices("category", ["violent_threat"])], BLANK_START)
    rows, _, _ = _export(tmp_path, StudioWithLead(tasks, [lead]))
    features = corpus_features(load_taxonomy())
    row = rows["doc-a-p1"]
    assert set(row) == set(features)
    assert set(row["annotations"][0]) == set(features["annotations"].feature)
    assert set(row["adjudication"]) == set(features["adjudication"])
    assert set(row["skips"][0]) == set(features["skips"].feature)


def test_a_lead_who_decides_none_keeps_no_reviewer_spans(tmp_path: Path) -> None:
    """The span fallback is for a lead who decided a category and marked no span; a lead
    who decided that nothing applies (the none label alone) gets no threat span from the
    reviewers on a row labelled none."""
    lead = _lead([choices("category", ["none"])], None)
    rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [lead]))
    row = rows["doc-a-p1"]
    assert row["resolution"] == "adjudicated" and row["labels"] == ["none"]
    assert row["spans"] == [] and row["adjudication"]["spans_from"] == "lead"
    assert manifest["review"]["adjudicated_spans_from_reviewers"] == 0


def test_a_severity_tie_the_lead_left_unanswered_is_named_not_counted_as_the_vote(
    tmp_path: Path,
) -> None:
    """Two reviewers tied on the severity (high vs critical) and the lead answered the
    category only: the row has no severity, which the manifest counted as "from the
    vote" and export did not say (stop 49 break3 B1)."""
    from annotate.cli.export import lead_severity_warning

    tasks = _tasks()
    (threat,) = [t for t in tasks if t["data"]["passage_id"] == "doc-a-p1"]
    threat["annotations"] = [a for a in threat["annotations"] if a["completed_by"] != 3]
    lead = _lead([choices("category", ["violent_threat"])], None)
    rows, manifest, _ = _export(tmp_path, StudioWithLead(tasks, [lead]))
    row = rows["doc-a-p1"]
    assert row["resolution"] == "adjudicated" and row["severity"] == ""
    review = manifest["review"]
    assert review["adjudicated_severity_from_vote"] == 0
    assert review["adjudicated_severity_left_empty"] == {
        "passages": 1,
        "examples": ["doc-a-p1"],
    }
    said = lead_severity_warning(review, "p")
    assert said is not None and "1 adjudicated passage(s) have no severity" in said
    assert "'p · adjudication'" in said
    assert lead_severity_warning({"adjudicated_severity_left_empty": None}, "p") is None


def test_a_leads_none_with_another_category_decides_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The lead answered `none` and `violent_threat` at once: it was exported as the
    decided labels, both (break3 B8). It decides nothing: the passage waits for the lead,
    named in a warning and the manifest."""
    lead = _lead([choices("category", ["none", "violent_threat"])], None)
    with caplog.at_level("WARNING"):
        rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [lead]))
    row = rows["doc-a-p1"]
    assert row["resolution"] != "adjudicated" and "none" not in row["labels"]
    assert manifest["review"]["lead_answers_none_with_other"] == ["doc-a-p1"]
    assert "choose 'none' together with another category" in caplog.text


def test_a_leads_answer_without_a_category_keeps_the_categories_the_reviewers_voted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The lead answered a severity and no category: the passage was exported decided with
    no category at all (labels [], training dropped it; break3 B16). A category-less
    answer decides no categories: the reviewers' vote (violent_threat) stands, named in
    the manifest and a warning."""
    lead = _lead([choices("severity", ["critical"])], None)
    with caplog.at_level("WARNING"):
        rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [lead]))
    row = rows["doc-a-p1"]
    assert row["resolution"] == "adjudicated" and row["labels"] == ["violent_threat"]
    assert row["severity"] == "critical"  # what the lead did decide
    assert row["adjudication"]["categories"] == []  # what the lead gave
    assert manifest["review"]["lead_answers_without_category"] == ["doc-a-p1"]
    assert "give no category" in caplog.text


def test_a_leads_answer_without_a_category_on_a_category_tie_decides_nothing(
    tmp_path: Path,
) -> None:
    """Two reviewers tied on the categories (violent_threat vs violent_threat+incitement):
    a lead's answer without a category leaves the tie undecided; the passage waits."""
    tasks = _tasks()
    (threat,) = [t for t in tasks if t["data"]["passage_id"] == "doc-a-p1"]
    threat["annotations"] = [a for a in threat["annotations"] if a["completed_by"] != 3]
    lead = _lead([choices("severity", ["critical"])], None)
    rows, manifest, _ = _export(tmp_path, StudioWithLead(tasks, [lead]))
    row = rows["doc-a-p1"]
    assert row["resolution"] == "tie" and row["adjudicator"] is None
    assert manifest["review"]["lead_answers_without_category"] == ["doc-a-p1"]


def test_a_lead_who_overturns_the_reviewers_keeps_none_of_their_span_or_severity(
    tmp_path: Path,
) -> None:
    """The reviewers agreed on violent_threat with a threat span and high severity; the
    lead overturned them to counter_speech with no span or severity: the row kept the
    threat span and the high severity (break3 B17). The fallbacks apply only where the
    lead kept the reviewers' categories."""
    lead = _lead([choices("category", ["counter_speech"])], None)
    rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [lead]))
    row = rows["doc-a-p1"]
    assert row["labels"] == ["counter_speech"] and row["resolution"] == "adjudicated"
    assert row["spans"] == [] and row["severity"] == "none"
    adj = row["adjudication"]
    assert adj["spans_from"] == "lead" and adj["severity_from"] == SEVERITY_NO_HARM
    assert manifest["review"]["adjudicated_spans_from_reviewers"] == 0
    assert manifest["review"]["adjudicated_severity_from_vote"] == 0


def test_a_lead_who_overturns_to_another_harm_without_severity_is_left_empty_and_named(
    tmp_path: Path,
) -> None:
    """Overturned to incitement (harmful) with no severity: the reviewers' high is no
    decision on an incitement; the row has none, named as left empty."""
    lead = _lead([choices("category", ["incitement"])], None)
    rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [lead]))
    row = rows["doc-a-p1"]
    assert row["labels"] == ["incitement"] and row["severity"] == "" and row["spans"] == []
    assert row["adjudication"]["severity_from"] == SEVERITY_OVERTURNED
    assert manifest["review"]["adjudicated_severity_left_empty"]["examples"] == ["doc-a-p1"]


def test_the_manifest_names_the_models_shown_and_started_from(tmp_path: Path) -> None:
    """``model_versions_credited`` listed the models whose pre-labels were shown, as if the
    reviewers started from them (note49): ``model_versions_shown`` names it truthfully
    (the old key kept, same list) and ``model_versions_started_from`` counts the answers
    that record starting from each."""
    _, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), []))
    assert manifest["model_versions_shown"] == [MODEL]
    assert manifest["model_versions_credited"] == manifest["model_versions_shown"]
    assert manifest["model_versions_started_from"] == {MODEL: 3}  # reviewer 1's answers
    _, manifest, _ = _export(tmp_path / "none", StudioWithLead(reviewed_tasks(), []))
    assert manifest["model_versions_shown"] == [MODEL]
    assert manifest["model_versions_started_from"] == {}  # no answer records a start
