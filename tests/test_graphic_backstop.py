"""The graphic hiding backstop: a graphic passage the model scores low is still hidden
(a lower hiding threshold, a graphic-injury term), a neutral news passage is not, and the
task says why (no server; the real-server check is tests/integration/
test_review_wellbeing.py)."""

from __future__ import annotations

import pytest

from annotate.errors import TaxonomyError
from annotate.review.exposure import HidingRule, exposure, is_graphic_task
from annotate.review.graphic_terms import graphic_term
from annotate.review.view import REVEAL, hiding_rule
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy, parse_taxonomy
from tests.conftest import ROOT

TAX = load_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())
# the kind of passage a team lead found shown unhidden (the default model scored theirs
# 0.075; the tests give the scores, they do not run the model)
AFTERMATH = (
    "Rescuers reached the market an hour after the blast. Bodies torn apart lay between the "
    "stalls, limbs scattered across the road, and one survivor's skin had melted from the heat."
)
# the default model scores this 0.006 for graphic violence (news_reporting); a report of an
# explosion that injured two workers scored 0.256 and would be hidden (benchmarks/README.md)
COUNCIL = (
    "Police said a fire at a warehouse on the industrial estate was put out overnight; no one "
    "was hurt, and investigators are examining the cause."
)


def _row(text: str, graphic: float, labels: list[str]) -> dict[str, object]:
    scores = {c: 0.02 for c in TAX.category_names}
    scores.update(graphic_violence=graphic, news_reporting=0.9)
    return {
        "id": "p1",
        "doc_id": "d1",
        "passage_index": 0,
        "text": text,
        "labels": labels,
        "scores": scores,
        "spans": [],
        "model_version": "m-1",
    }


def _task(text: str, graphic: float, labels: list[str], tax=TAX) -> dict:
    config = parse_label_config(tax.render_label_config())
    return row_to_task(_row(text, graphic, labels), tax, config, where="p1")


def _reveals(task: dict) -> bool:
    return any(r["from_name"] == REVEAL for r in task["predictions"][0]["result"])


def test_a_graphic_passage_the_model_scores_low_is_hidden_by_a_term() -> None:
    task = _task(AFTERMATH, 0.075, ["news_reporting"])
    data = task["data"]
    assert data["graphic_hidden_by"] == "term \u201climbs\u201d"
    assert data["warning"].startswith("Content warning (graphic violence: term \u201climbs\u201d)")
    assert data["preview"] == "[hidden: graphic violence]"
    assert not _reveals(task)  # stays hidden until the reviewer ticks "Show the passage"
    assert is_graphic_task(data)  # the graphic cap and exposure count it


def test_a_neutral_news_passage_is_shown() -> None:
    task = _task(COUNCIL, 0.02, ["news_reporting"])
    assert task["data"]["warning"] == "" and task["data"]["graphic_hidden_by"] == ""
    assert task["data"]["preview"].startswith("Police said a fire")
    assert _reveals(task)
    assert not is_graphic_task(task["data"])


def test_a_score_below_the_label_threshold_but_at_the_hiding_threshold_hides() -> None:
    hidden = _task(COUNCIL, 0.12, ["news_reporting"])["data"]
    assert hidden["graphic_hidden_by"] == "model graphic score 0.12 >= 0.1"
    assert "model graphic score 0.12 >= 0.1" in hidden["warning"]
    assert _task(COUNCIL, 0.09, ["news_reporting"])["data"]["warning"] == ""
    label = _task(COUNCIL, 0.02, ["graphic_violence"])["data"]["graphic_hidden_by"]
    assert label == "model label graphic_violence"


def _with_wellbeing(section: str):
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    head = text[: text.index("\nwellbeing:")]
    return parse_taxonomy(head + "\n" + section)


def test_the_lead_sets_the_threshold_and_the_terms_in_labels_yaml() -> None:
    off = _with_wellbeing("wellbeing:\n  hide_graphic_score: 0.5\n  hide_terms: []\n")
    assert off.content_sha256 == TAX.content_sha256  # a review setting: models still match
    assert _task(AFTERMATH, 0.075, ["news_reporting"], off)["data"]["warning"] == ""
    assert _task(COUNCIL, 0.3, ["news_reporting"], off)["data"]["warning"] == ""
    own = _with_wellbeing("wellbeing:\n  hide_terms: [warehouse*]\n")
    assert hiding_rule(own) == HidingRule(0.1, ("warehouse*",))
    got = _task(COUNCIL, 0.02, ["news_reporting"], own)["data"]["graphic_hidden_by"]
    assert got == "term \u201cwarehouse\u201d"
    with pytest.raises(TaxonomyError, match="hide_graphic_score"):
        _with_wellbeing("wellbeing:\n  hide_graphic_score: 1.5\n")


def test_terms_match_whole_words_and_prefixes_only() -> None:
    assert graphic_term("He was DISMEMBERED, police said") == "DISMEMBERED"
    assert graphic_term("the victims were decapitated") == "decapitated"
    assert graphic_term("a brainstorm on the budget") is None
    assert graphic_term("Al Gore spoke about climate") is None
    assert graphic_term("blood-soaked sheets") == "blood-soaked"
    assert graphic_term("the severed\nhead of the statue") == "severed head"
    assert graphic_term("anything", ()) is None


def test_a_task_says_what_its_push_decided_and_an_older_one_is_read_by_the_rule() -> None:
    assert is_graphic_task({"graphic_hidden_by": "term \u201climbs\u201d"})
    # pushed under a rule that showed it (e.g. a lead's hide_graphic_score 0.5)
    assert not is_graphic_task({"graphic_hidden_by": "", "model_scores": {"graphic_violence": 0.3}})
    older = {"model_labels": ["news_reporting"], "model_scores": {"graphic_violence": 0.05}}
    assert is_graphic_task({**older, "text": AFTERMATH})
    assert not is_graphic_task({**older, "text": COUNCIL})


def test_exposure_counts_a_passage_the_backstop_hid_as_graphic() -> None:
    def row(pid: str, text: str) -> dict[str, object]:
        ann = {"reviewer": "r-a", "categories": ["news_reporting"], "severity": "low",
               "created_at": "2026-12-01T10:00:00Z"}  # fmt: skip
        return {"id": pid, "text": text, "model_labels": ["news_reporting"],
                "model_scores": {"graphic_violence": 0.05}, "annotations": [ann]}  # fmt: skip

    levels = ["none", "low", "medium", "high", "critical"]
    got = exposure([row("p1", AFTERMATH), row("p2", COUNCIL)], levels)
    assert got["reviewers"]["r-a"]["2026-12-01"] == {
        "answers": 2,
        "graphic": 1,
        "high_severity": 0,
        "adjudications": 0,
    }
    assert "model score >= 0.1" in got["graphic"] and "term" in got["graphic"]
    off = exposure([row("p1", AFTERMATH)], levels, rule=HidingRule(0.1, ()))
    assert off["reviewers"]["r-a"]["2026-12-01"]["graphic"] == 0


def _harmful_task(score: float, tax=TAX) -> dict:
    row = _row(COUNCIL, 0.02, ["violent_threat"])
    row["scores"] = {**row["scores"], "violent_threat": score}  # type: ignore[dict-item]
    config = parse_label_config(tax.render_label_config())
    return row_to_task(row, tax, config, where="p1")


def test_the_likely_harmful_hide_score_is_a_labels_yaml_setting() -> None:
    # shipped: labels.yaml says 0.5 (more likely than not), as the rule did as a constant
    assert TAX.wellbeing.hide_harmful_score == 0.5
    assert "violent_threat score 0.62 >= 0.5" in _harmful_task(0.62)["data"]["warning"]
    # a lead who wants the model's less certain threats hidden too lowers it
    lower = _with_wellbeing("wellbeing:\n  hide_graphic_score: 0.1\n  hide_harmful_score: 0.4\n")
    assert lower.content_sha256 == TAX.content_sha256  # a review setting: models still match
    assert _harmful_task(0.45)["data"]["warning"] == ""
    warning = _harmful_task(0.45, lower)["data"]["warning"]
    assert "likely harmful: model violent_threat score 0.45 >= 0.4" in warning
    # left out (a labels.yaml from before the setting): the measured 0.5
    unset = _with_wellbeing("wellbeing:\n  hide_graphic_score: 0.1\n")
    assert _harmful_task(0.45, unset)["data"]["warning"] == ""
    assert "score 0.55 >= 0.5" in _harmful_task(0.55, unset)["data"]["warning"]
    for bad in ("1.5", "-0.1"):
        with pytest.raises(TaxonomyError, match=r"wellbeing\.hide_harmful_score: expected a "):
            _with_wellbeing(f"wellbeing:\n  hide_harmful_score: {bad}\n")
