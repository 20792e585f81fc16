"""passG52 G2: prelabel's warning that the model cannot read a passage's script or
language went to the console only. Nothing recorded it, so push sent an Arabic "I will
kill you tomorrow" with `none`/severity `none` pre-ticked, no word to its reviewers and
priority 0.08 (near the end of the queue). Prelabel now writes the finding in each row's
``model_language_warning``; push tells the reviewers in the provenance line, pre-selects
no category or severity, and queues the passage with the least certain ones. No server."""

from __future__ import annotations

from annotate.prelabeling import PrelabelStats, count_foreign
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


def test_a_flagged_unreadable_passage_keeps_its_higher_priority() -> None:
    row = _row(**{LANGUAGE_WARNING_COLUMN: "Cyrillic script (the model was trained on en text)"})
    row["scores"] = {**row["scores"], "violent_threat": 0.95}
    row["labels"] = ["violent_threat"]
    task = row_to_task(row, TAX, CONFIG, where="p")
    assert task["data"]["priority"] > UNREADABLE_PRIORITY
    picked = {r["from_name"] for r in task["predictions"][0]["result"]}
    assert TAX.interface.categories not in picked
