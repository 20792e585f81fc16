"""Severity "none" is pre-selected only where the model is sure nothing harmful applies
(passC50 R1: a forum threat the model missed, violent_threat 0.12, opened with "None of
these" and severity "none" ticked, and a reviewer who corrected the category but not the
severity submitted a harmful category with severity none). No server."""

from __future__ import annotations

from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import SURE_NONE_BELOW, predicted_severity, row_to_task
from annotate.taxonomy import load_taxonomy

TAX = load_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())
THREAT = (
    "Next time he parks there I'm going to wait for him with a bat and break both his legs. "
    "I know where he lives."
)


def _severity(threat_score: float, labels: list[str]) -> list[list[str]]:
    scores = {c: 0.01 for c in TAX.category_names}
    scores.update(violent_threat=threat_score, none=0.31)
    row = {
        "id": "p1",
        "doc_id": "d1",
        "passage_index": 0,
        "text": THREAT,
        "labels": labels,
        "scores": scores,
        "spans": [],
        "model_version": "m-1",
    }
    task = row_to_task(row, TAX, CONFIG, where="p1")
    results = task["predictions"][0]["result"]
    return [r["value"]["choices"] for r in results if r["from_name"] == TAX.interface.severity]


def test_a_passage_the_model_is_unsure_is_harmless_gets_no_severity_ticked() -> None:
    assert _severity(0.12, ["none"]) == []  # the forum threat of passC50
    assert _severity(SURE_NONE_BELOW, ["none"]) == []
    assert predicted_severity({"violent_threat": 0.21}, ["none"], TAX) == ""


def test_a_passage_the_model_is_sure_is_harmless_keeps_none_ticked() -> None:
    assert _severity(0.02, ["none"]) == [["none"]]
    assert _severity(0.02, ["news_reporting"]) == [["none"]]
    assert predicted_severity({c: 0.01 for c in TAX.harmful}, ["none"], TAX) == "none"


def test_a_harmful_passage_still_gets_no_severity() -> None:
    assert _severity(0.97, ["violent_threat"]) == []
