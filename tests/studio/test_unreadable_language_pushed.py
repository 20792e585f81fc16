"""passG52 G2: prelabel's warning that the model cannot read a passage's script or
language went to the console only. Nothing recorded it, so push sent an Arabic "I will
kill you tomorrow" with `none`/severity `none` pre-ticked, no word to its reviewers and
priority 0.08 (near the end of the queue). Prelabel now writes the finding in each row's
``model_language_warning``; push tells the reviewers in the provenance line, pre-selects
no category or severity, and queues the passage with the least certain ones. No server."""

from __future__ import annotations

from annotate.prelabeling import PrelabelStats, count_foreign
from annotate.review.exposure import HIDDEN_BY_FIELD, is_graphic_task
from annotate.review.rehide import wanted_view
from annotate.review.view import (
    REVEAL,
    UNREADABLE_PREVIEW,
    UNREADABLE_REASON,
    blind_task,
)
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import UNREADABLE_PRIORITY, check_task_row, row_to_task
from annotate.table_schemas import LANGUAGE_WARNING_COLUMN
from annotate.taxonomy import load_taxonomy

TAX = load_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())
ARABIC = "سأقتلك غدا. هذا تهديد حقيقي؟ أعرف أين تسكن وسأجدك قريبا جدا."
ENGLISH = "On Tuesday the city council discussed the budget for parks and playgrounds."
GERMAN = (
    "Die Polizei meldete am Montag, ein Mann habe gedroht, das Rathaus anzuzünden, "
    "wenn der Bürgermeister nicht zurücktrete."
)


def _counted(rows: list[dict]) -> PrelabelStats:
    stats = PrelabelStats(trained_languages=["en"])
    count_foreign(stats, frozenset({"LATIN"}), rows)
    return stats


def test_prelabel_records_the_finding_in_each_row_and_names_the_document() -> None:
    rows = [
        {"id": "en", "text": ENGLISH, "doc_id": "d0"},
        {"id": "ar", "text": ARABIC, "doc_id": "d1", "source": "docs/sub/ar.txt"},
        {"id": "de", "text": GERMAN, "doc_id": "d2"},
    ]
    stats = _counted(rows)
    said = {r["id"]: r[LANGUAGE_WARNING_COLUMN] for r in rows}
    assert said["en"] is None
    assert said["ar"] == "Arabic script (the model was trained on en text)"
    assert said["de"].startswith("German, identified by py3langid ")
    assert said["de"].endswith("(the model was trained on en text)")
    assert (stats.first_foreign, stats.first_foreign_document) == ("ar", "docs/sub/ar.txt")
    assert (stats.first_foreign_language, stats.first_foreign_language_document) == ("de", "d2")


def _row(**extra: object) -> dict:
    scores = {c: 0.001 for c in TAX.category_names}
    scores.update(violent_threat=0.02, none=0.52)
    return {
        "id": "p_ar",
        "doc_id": "docs/sub/ar.txt",
        "passage_index": 0,
        "text": ARABIC,
        "labels": ["none"],
        "scores": scores,
        "spans": [],
        "model_version": "m-1",
        **extra,
    }


def test_push_tells_reviewers_preselects_nothing_and_queues_it_as_least_certain() -> None:
    plain = row_to_task(_row(), TAX, CONFIG, where="p")
    ui = TAX.interface
    # as before for a passage the model reads: none and severity none ticked, queued late
    picked = {r["from_name"] for r in plain["predictions"][0]["result"]}
    assert {ui.categories, ui.severity} <= picked
    assert plain["data"]["priority"] < 0.1

    note = "Arabic script (the model was trained on en text)"
    task = row_to_task(_row(**{LANGUAGE_WARNING_COLUMN: note}), TAX, CONFIG, where="p")
    picked = {r["from_name"] for r in task["predictions"][0]["result"]}
    assert ui.categories not in picked and ui.severity not in picked
    data = task["data"]
    assert f"the model cannot read this passage: {note}" in data["provenance"]
    assert data[LANGUAGE_WARNING_COLUMN] == note
    assert data["priority"] == UNREADABLE_PRIORITY == 0.625
    # the push's sort key agrees with the task's
    keys = check_task_row(_row(**{LANGUAGE_WARNING_COLUMN: note}), TAX, where="p")
    assert keys.priority == UNREADABLE_PRIORITY
    # a likely threat the model reads still comes first
    threat = _row(labels=["violent_threat"])
    threat["scores"] = {**threat["scores"], "violent_threat": 0.9, "none": 0.05}
    assert row_to_task(threat, TAX, CONFIG, where="p")["data"]["priority"] > UNREADABLE_PRIORITY


def test_a_flagged_unreadable_passage_gets_the_floor_its_score_means_nothing() -> None:
    """stop 53 (browser check): the model's 0.95 for a passage it cannot read is no finding
    either, so it does not move the passage above the floor of the least certain."""
    row = _row(**{LANGUAGE_WARNING_COLUMN: "Cyrillic script (the model was trained on en text)"})
    row["scores"] = {**row["scores"], "violent_threat": 0.95}
    row["labels"] = ["violent_threat"]
    task = row_to_task(row, TAX, CONFIG, where="p")
    assert task["data"]["priority"] == UNREADABLE_PRIORITY
    assert check_task_row(row, TAX, where="p").priority == UNREADABLE_PRIORITY
    picked = {r["from_name"] for r in task["predictions"][0]["result"]}
    assert TAX.interface.categories not in picked


NOTE = "Arabic script (the model was trained on en text)"


def _unread(**extra: object) -> dict:
    return _row(**{LANGUAGE_WARNING_COLUMN: NOTE}, **extra)


def test_a_passage_the_model_cannot_read_opens_hidden_saying_why_not_as_graphic() -> None:
    """stop 53 (browser check): the Arabic threat opened at once, "Show the passage"
    ticked, since whether a passage is hidden depended on scores that mean nothing there.
    It now opens behind a warning saying why, as graphic text does; it is not recorded as
    graphic (``graphic_hidden_by`` "": exposure's graphic count and the
    --max-graphic-per-reviewer cap leave it out), and its spans carry no text."""
    spans = [{"label": TAX.span_names[0], "start": 0, "end": 5, "score": 0.4}]
    task = row_to_task(_unread(spans=spans), TAX, CONFIG, where="p")
    data, results = task["data"], task["predictions"][0]["result"]
    assert data["warning"].startswith(f"Content warning ({UNREADABLE_REASON})"), data["warning"]
    assert "cannot tell whether it is graphic" in data["warning"]
    assert REVEAL not in {r["from_name"] for r in results}  # not opened at once
    assert data[HIDDEN_BY_FIELD] == ""  # not graphic
    assert not is_graphic_task(data)
    assert all("text" not in r["value"] for r in results if r["type"] == "labels")
    assert check_task_row(_unread(), TAX, where="p").sensitive  # neighbours hide its text
    # a reviewer's queue (push -k K) keeps the warning, as does a later push's refresh
    assert blind_task(task, TAX)["data"]["warning"] == data["warning"]
    assert wanted_view(data, TAX)["warning"] == data["warning"]
    # a passage the model reads, with the same scores, still opens at once
    plain = row_to_task(_row(), TAX, CONFIG, where="p")
    assert plain["data"]["warning"] == ""
    assert REVEAL in {r["from_name"] for r in plain["predictions"][0]["result"]}


def test_a_graphic_term_in_an_unreadable_passage_still_counts_as_graphic() -> None:
    text = "سأقتلك غدا. his limbs were torn off"
    task = row_to_task(_unread(text=text), TAX, CONFIG, where="p")
    data = task["data"]
    assert data[HIDDEN_BY_FIELD] == "term \u201climbs\u201d"
    assert UNREADABLE_REASON in data["warning"] and "graphic violence" in data["warning"]


def test_no_score_reads_as_the_models_confidence_in_a_passage_it_cannot_read() -> None:
    """stop 53 (browser check): Label Studio's prediction tab showed "m-1 · 52.00%" and the
    lead's grid a prediction score 0.520 for the Arabic threat."""
    spans = [{"label": TAX.span_names[0], "start": 0, "end": 5, "score": 0.4}]
    task = row_to_task(_unread(spans=spans), TAX, CONFIG, where="p")
    prediction = task["predictions"][0]
    assert "score" not in prediction, prediction
    assert all("score" not in r for r in prediction["result"]), prediction["result"]
    # the model's scores stay in the data (hidden from the grid), for export and audit
    assert task["data"]["model_scores"]["none"] == 0.52
    # a passage the model reads keeps its scores
    assert "score" in row_to_task(_row(), TAX, CONFIG, where="p")["predictions"][0]


def test_the_grid_says_the_model_cannot_read_the_passage() -> None:
    """stop 53 (browser check): the grid's provenance cell is cut after "passage 0", so
    nothing there said so; its preview (shown in the grid instead of the text) does now."""
    task = row_to_task(_unread(), TAX, CONFIG, where="p")
    assert task["data"]["preview"] == f"[hidden: {UNREADABLE_PREVIEW}]"
    assert blind_task(task, TAX)["data"]["preview"] == f"[hidden: {UNREADABLE_PREVIEW}]"
