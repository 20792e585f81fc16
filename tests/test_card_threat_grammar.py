"""The model card's paragraph on the decision rule threat_grammar."""

from annotate.training.card import threat_grammar_lines


def test_the_card_states_the_floor_and_the_span_score_with_their_counts():
    config = {
        "threat_grammar": "violent_threat",
        "threat_grammar_precision": 0.6875,
        "threat_grammar_span": "threat",
        "thresholds": {"violent_threat": 0.2253},
        "metrics": {
            "fit": {"threat_grammar": {"rows": "public", "rows_fired": 14, "positives": 10}}
        },
    }
    (text,) = [line for line in threat_grammar_lines(config) if line]
    assert "`violent_threat` threshold (0.2253)" in text
    assert "`threat` span scored 0.6875" in text
    assert "the 14 public training rows it reads (10 of them threats)" in text


def test_no_paragraph_when_the_rule_is_off():
    assert threat_grammar_lines({"threat_grammar": None}) == []
    assert threat_grammar_lines({}) == []
