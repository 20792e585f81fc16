"""Prelabel rows -> Label Studio predictions: conversion, validation, offsets."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotate.errors import PredictionError
from annotate.studio.label_config import parse_label_config, validate_results
from annotate.studio.offsets import from_utf16, to_utf16
from annotate.studio.tasks import (
    check_config_fits,
    check_task_row,
    predicted_severity,
    priority,
    row_to_task,
)
from tests.conftest import FIXTURES, project_taxonomy

TAX = project_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())


def rows() -> list[dict]:
    with (FIXTURES / "prelabels.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def scores(**kw: float) -> dict[str, float]:
    base = dict.fromkeys(TAX.category_names, 0.0)
    base.update(kw)
    return base


def test_config_is_parsed_from_labels_yaml() -> None:
    ui = TAX.interface
    assert CONFIG.controls[ui.categories].values == frozenset(TAX.category_names)
    assert CONFIG.controls[ui.categories].multiple
    assert CONFIG.controls[ui.spans].values == frozenset(TAX.span_names)
    assert not CONFIG.controls[ui.severity].multiple
    assert CONFIG.controls[ui.severity].to_name == ui.passage
    assert CONFIG.data_fields == {
        "text",
        "title",
        "provenance",
        "warning",
        "context_before",
        "context_after",
        # the comment a reply answers (annotate.review.parents): heading and text
        "parent_header",
        "context_parent",
    }


@pytest.mark.parametrize(
    ("text", "cp", "u16"),
    [
        ("abc", 2, 2),
        ("a🔥b", 1, 1),
        ("a🔥b", 2, 3),
        ("a🔥b", 3, 4),
        ("é🦁x", 2, 3),  # é is BMP (1 unit), 🦁 is astral (2 units)
        ("", 0, 0),
    ],
)
def test_utf16_offsets(text: str, cp: int, u16: int) -> None:
    assert to_utf16(text, cp) == u16
    assert from_utf16(text, u16) == cp


def test_from_utf16_rejects_the_middle_of_a_surrogate_pair() -> None:
    with pytest.raises(ValueError):
        from_utf16("a🔥b", 2)


@given(st.text(max_size=30), st.data())
def test_utf16_round_trip(text: str, data: st.DataObject) -> None:
    cp = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert from_utf16(text, to_utf16(text, cp)) == cp
    assert to_utf16(text, len(text)) == len(text.encode("utf-16-le")) // 2


def test_row_to_task_has_one_result_per_control_and_code_point_spans() -> None:
    row = next(r for r in rows() if "🔥" in r["text"])
    task = row_to_task(row, TAX, CONFIG, where="t")
    pred = task["predictions"][0]
    assert pred["model_version"] == "fixture-model-1"
    by_control: dict[str, list[dict]] = {}
    for result in pred["result"]:
        by_control.setdefault(result["from_name"], []).append(result)
    assert by_control["category"][0]["value"]["choices"] == ["violent_threat", "incitement"]
    span = by_control["evidence"][0]["value"]
    text = row["text"]
    cp_start = text.index("nobody leaves alive")
    assert span["start"] == cp_start  # two emoji before the span count one position each
    assert span["end"] == span["start"] + len("nobody leaves alive")
    assert text[span["start"] : span["end"]] == "nobody leaves alive"
    # a threat the model is sure of is hidden behind its warning: its region carries no text
    assert "text" not in span
    assert span["labels"] == ["threat"]
    assert "likely harmful: model violent_threat score 0.97" in task["data"]["warning"]
    # no severity is pre-selected for a harmful passage: the reviewer chooses it
    assert "severity" not in by_control
    data = task["data"]
    assert data["passage_id"] == row["id"] and data["text"] == text
    assert data["doc_id"] == "doc-a" and data["title"] == "Title of doc-a"
    assert "document doc-a" in data["provenance"]
    assert data["model_scores"]["violent_threat"] == pytest.approx(0.97)


@pytest.mark.parametrize(
    ("labels", "sc", "expected"),
    [
        (["none"], scores(none=0.9), "none"),
        (["news_reporting"], scores(news_reporting=0.9, incitement=0.04), "none"),
        # no harmful label, but the model is unsure of it: the reviewer chooses (passC50
        # R1: a missed threat opened with "none" ticked)
        (["news_reporting"], scores(news_reporting=0.9, incitement=0.4), ""),
        (["none"], scores(none=0.31, violent_threat=0.12), ""),
        # a harmful passage gets no suggestion, whatever its score: the model scores
        # categories, not severity (stop 48 F19: threats at the threshold were "low")
        (["violent_threat"], scores(violent_threat=0.2229), ""),
        (["incitement"], scores(incitement=0.55), ""),
        (["violent_threat"], scores(violent_threat=0.99), ""),
    ],
)
def test_predicted_severity(labels: list[str], sc: dict[str, float], expected: str) -> None:
    assert predicted_severity(sc, labels, TAX) == expected


def test_a_threat_at_its_threshold_is_pushed_without_a_low_severity_pre_selected() -> None:
    """Stop 48 F19: "If you come near my sister again I will break your legs" scored 0.226
    (violent_threat threshold 0.2229) and was pushed with severity ``low`` pre-selected."""
    row = {
        "id": "p1",
        "text": "If you come near my sister again I will break your legs",
        "scores": scores(violent_threat=0.226),
        "labels": ["violent_threat"],
        "spans": [],
        "model_version": "m1",
    }
    task = row_to_task(row, TAX, CONFIG, where="t")
    controls = {r["from_name"] for r in task["predictions"][0]["result"]}
    assert "category" in controls and "severity" not in controls
    calm = {**row, "scores": scores(none=0.9), "labels": ["none"]}
    result = row_to_task(calm, TAX, CONFIG, where="t")["predictions"][0]["result"]
    assert [r["value"]["choices"] for r in result if r["from_name"] == "severity"] == [["none"]]


def test_priority_puts_risky_and_uncertain_first() -> None:
    certain_harmless = priority(scores(none=0.99), TAX)
    uncertain = priority(scores(incitement=0.5, none=0.5), TAX)
    risky = priority(scores(violent_threat=0.99), TAX)
    assert uncertain > certain_harmless
    assert risky > certain_harmless
    assert 0.0 <= certain_harmless <= 1.0 and 0.0 <= uncertain <= 1.0


# passC50 R4, the scores the default model gave: the forum threat ("wait for him with a
# bat and break both his legs. I know where he lives") and a harmless call-centre line
CLEAR_THREAT = scores(violent_threat=0.12, incitement=0.03, none=0.31, news_reporting=0.05)
HARMLESS_COUNTER_SPEECH = scores(violent_threat=0.02, counter_speech=0.47, none=0.4)


def test_doubt_about_a_context_label_does_not_put_a_harmless_line_before_a_threat() -> None:
    """passC50 R4: doubt about counter_speech or none counted as much as doubt about harm,
    and the clearest real threat came 13th of 17."""
    assert priority(CLEAR_THREAT, TAX) > priority(HARMLESS_COUNTER_SPEECH, TAX)
    # the context labels move nothing: the same harmful scores give the same priority
    assert priority(HARMLESS_COUNTER_SPEECH, TAX) == priority(scores(violent_threat=0.02), TAX)


@pytest.mark.parametrize("p", [0.05, 0.3, 0.49, 0.5, 0.51, 0.8, 0.95])
def test_a_likelier_harm_comes_first_whatever_its_doubt(p: float) -> None:
    """Harm first: with one harmful score, priority rises with it on both sides of 0.5
    (a threat at 0.95 before one at 0.5 the model is unsure of)."""
    assert priority(scores(violent_threat=p + 0.04), TAX) > priority(scores(violent_threat=p), TAX)


def test_doubt_about_harm_decides_between_passages_of_near_equal_risk() -> None:
    doubtful = priority(scores(violent_threat=0.6, incitement=0.45), TAX)
    plain = priority(scores(violent_threat=0.62, incitement=0.01), TAX)
    assert doubtful > plain


PROBABILITY = st.one_of(
    st.sampled_from([0.0, 1.0, 0.5, 1e-05, 6.666e-06, 0.1, 0.9]),
    st.floats(min_value=0.0, max_value=1.0),
)


@given(st.lists(st.fixed_dictionaries({c: PROBABILITY for c in TAX.category_names}), min_size=2))
def test_priorities_order_as_text_as_they_do_as_numbers(vectors: list[dict[str, float]]) -> None:
    """A reviewer queue is ordered by ``data.priority``, as the text of PostgreSQL's jsonb
    value where a request names no column type (the label stream's next_task): a plain
    decimal ("1e-05" reads back "0.00001"). In [0, 1] that text orders as the numbers
    do; a priority outside it (e.g. 10 against 9) would not."""
    found = [priority(v, TAX) for v in vectors]
    assert all(0.0 <= p <= 1.0 for p in found)
    as_jsonb = {p: format(Decimal(json.dumps(p)), "f") for p in found}  # numeric's text
    assert sorted(found, key=as_jsonb.__getitem__) == sorted(found)


BAD_ROWS = [
    ({"labels": ["bogus"]}, "label(s) 'bogus' not in the taxonomy"),
    ({"spans": [{"start": 0, "end": 3, "label": "nope", "score": 1.0}]}, "span label 'nope'"),
    ({"spans": [{"start": 5, "end": 999, "label": "threat"}]}, "outside the text"),
    ({"spans": [{"start": 0, "end": 3, "label": "threat", "score": "high"}]}, "not a number"),
    ({"scores": {"violent_threat": 0.5}}, "no score for"),
    ({"scores": {**scores(), "extra": 0.1}}, "'extra', not a category"),
    ({"scores": scores(incitement=3.2)}, "expected a probability"),
    ({"text": ""}, "the text is empty"),
    ({"id": ""}, "the passage id is empty"),
]


@pytest.mark.parametrize(("change", "message"), BAD_ROWS)
def test_bad_rows_are_rejected_with_a_reason(change: dict, message: str) -> None:
    row = {**rows()[0], **change}
    pattern = message.replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(PredictionError, match=pattern):
        row_to_task(row, TAX, CONFIG, where="row 1")
    # a push checks rows before it builds any task: the same error, before anything is sent
    with pytest.raises(PredictionError, match=pattern):
        check_task_row(row, TAX, where="row 1")


def test_checked_rows_build_the_same_task_and_keys() -> None:
    check_config_fits(TAX, CONFIG)
    for row in rows():
        keys = check_task_row(row, TAX, where="r")
        task = row_to_task(row, TAX, CONFIG, where="r")
        assert row_to_task(row, TAX, CONFIG, where="r", checked=True) == task
        assert row_to_task(row, TAX, CONFIG, where="r", checked=keys.values) == task
        data = task["data"]
        assert (keys.passage_id, keys.priority, keys.model_version, keys.sensitive) == (
            data["passage_id"],
            data["priority"],
            data["model_version"],
            bool(data["warning"]),
        )


def test_a_config_without_a_label_of_the_taxonomy_is_refused_once() -> None:
    span = TAX.spans[0]
    xml = TAX.render_label_config()
    cut = "\n".join(line for line in xml.splitlines() if f'alias="{span.name}"' not in line)
    assert cut != xml
    with pytest.raises(PredictionError, match=f"'{span.name}' not allowed"):
        check_config_fits(TAX, parse_label_config(cut))


BAD_RESULTS = [
    ({"from_name": "nope"}, "does not have"),
    ({"to_name": "title"}, "targets"),
    ({"type": "labels"}, "expects result type"),
    ({"value": {"choices": ["bogus"]}}, "not allowed"),
    ({"value": {"choices": []}}, "non-empty list"),
]


@pytest.mark.parametrize(("change", "message"), BAD_RESULTS)
def test_results_are_validated_against_the_config(change: dict, message: str) -> None:
    result = {
        "from_name": "category",
        "to_name": "passage",
        "type": "choices",
        "value": {"choices": ["none"]},
        **change,
    }
    with pytest.raises(PredictionError, match=message):
        validate_results([result], CONFIG, "some text", where="t")


def test_single_choice_control_takes_one_value() -> None:
    result = {
        "from_name": "severity",
        "to_name": "passage",
        "type": "choices",
        "value": {"choices": ["low", "high"]},
    }
    with pytest.raises(PredictionError, match="takes one choice"):
        validate_results([result], CONFIG, "x", where="t")


def test_span_beyond_text_in_code_points_is_rejected() -> None:
    result = {
        "from_name": "evidence",
        "to_name": "passage",
        "type": "labels",
        "value": {"start": 0, "end": 5, "labels": ["threat"]},
    }
    validate_results([result], CONFIG, "a🔥bcd", where="t")  # 5 code points
    with pytest.raises(PredictionError, match="outside the text"):
        validate_results([result], CONFIG, "a🔥bc", where="t")  # 5 UTF-16 units, 4 code points
