"""A label a training config misspells (`threat_grammar: violent_threats`, `label_beta:
{violent_threats: 2.0}`, `span_categories: {threats: ...}`) was refused with every name of
labels.yaml listed and none picked out; the fix now starts with the name meant, as a
misspelled key's does (`did you mean 'operating_point'?`)."""

from __future__ import annotations

import pytest

from annotate.errors import TrainingError
from annotate.training.config import DataEntry, TrainConfig, check_config

DATA = [DataEntry(path="corpus")]


@pytest.mark.parametrize(
    ("settings", "meant"),
    [
        ({"threat_grammar": "violent_threats"}, "violent_threat"),
        ({"attributed_quote_label": "news_report"}, "news_reporting"),
        ({"operating_point": {"label_beta": {"violent_threats": 2.0}}}, "violent_threat"),
        ({"span_categories": {"threat": "incitment"}}, "incitement"),
        ({"span_categories": {"threats": "violent_threat"}}, "threat"),
        ({"own_voice_spans": ["threat", "glorifcation"]}, "glorification"),
        ({"frozen": {"members": [{"c": 1.0}, {"labels": ["counterspeech"]}]}}, "counter_speech"),
    ],
)
def test_a_misspelled_label_gets_the_label_meant(settings: dict, meant: str, taxonomy) -> None:
    with pytest.raises(TrainingError) as err:
        check_config(TrainConfig(data=DATA, **settings), taxonomy)
    assert err.value.fix.startswith(f"did you mean {meant!r}? Otherwise "), err.value.fix


def test_a_far_name_gets_the_list_alone(taxonomy) -> None:
    with pytest.raises(TrainingError) as err:
        check_config(TrainConfig(data=DATA, threat_grammar="weather"), taxonomy)
    assert "did you mean" not in err.value.fix and "violent_threat" in err.value.fix
