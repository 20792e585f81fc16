"""The model card's paragraphs on the decision rules threat_grammar and idiom_cap."""

from annotate.training.card import idiom_cap_lines, threat_grammar_lines


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


def test_the_card_states_the_idiom_cap_and_its_score():
    config = {
        "threat_grammar": "violent_threat",
        "idiom_cap": 0.5,
        "thresholds": {"violent_threat": 0.2244},
    }
    (text,) = [line for line in idiom_cap_lines(config) if line]
    assert "`idiom_cap`, annotate/classifier/idioms.py" in text
    assert "`violent_threat` score capped at 0.5 x its threshold (0.1122)" in text
    assert idiom_cap_lines({**config, "idiom_cap": None}) == []
    assert idiom_cap_lines({**config, "threat_grammar": None}) == []
