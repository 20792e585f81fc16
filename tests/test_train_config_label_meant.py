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


def test_supervises_is_checked_with_the_config_before_any_data_is_read(taxonomy) -> None:
    """`supervises: [threat]` (a span label) in a config's data entry was refused only once
    that source's rows were read, after the other sources' warnings, naming the data file
    and not the config's entry."""
    data = [DataEntry(path="corpus"), DataEntry(path="replies.jsonl", supervises=["threat"])]
    with pytest.raises(TrainingError, match=r"^data\[1\]\.supervises: 'threat'") as err:
        check_config(TrainConfig(data=data), taxonomy)
    assert "a span label" in str(err.value), err.value
    assert err.value.fix.startswith("did you mean 'violent_threat'?"), err.value.fix
    typo = [DataEntry(path="corpus", supervises=["incitment"])]
    with pytest.raises(TrainingError) as err:
        check_config(TrainConfig(data=typo), taxonomy)
    assert err.value.fix.startswith("did you mean 'incitement'?"), err.value.fix
