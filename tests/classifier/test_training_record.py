"""One accessor reads a loaded classifier's training record (``clf.config.training``, or
``clf.config["training"]`` for a dict config): evaluation's trained seed, its trained
splits and prelabel's trained languages each repeated that code before."""

from __future__ import annotations

from types import SimpleNamespace

from annotate.classifier.base import training_record
from annotate.classifier.writing_system import trained_languages
from annotate.evaluation.evaluate import trained_seed
from annotate.evaluation.trained_splits import training_data

RECORD = {"seed": 7, "languages": ["en", "de"], "data": [{"path": "a.jsonl"}, "not a dict"]}


def test_the_record_is_read_from_an_attribute_or_a_dict_config():
    as_attribute = SimpleNamespace(config=SimpleNamespace(training=RECORD))
    as_key = SimpleNamespace(config={"training": RECORD})
    for clf in (as_attribute, as_key):
        assert training_record(clf) is RECORD
        assert trained_seed(clf) == 7
        assert trained_languages(clf) == ["en", "de"]
        assert training_data(clf) == [{"path": "a.jsonl"}]


def test_no_record_reads_as_empty():
    for clf in (
        object(),  # no config (a transformers model)
        SimpleNamespace(config=None),
        SimpleNamespace(config={}),
        SimpleNamespace(config=SimpleNamespace(training=None)),
        SimpleNamespace(config={"training": ["not", "a", "mapping"]}),
        SimpleNamespace(config=SimpleNamespace(training="seed=7")),
    ):
        assert training_record(clf) == {}
        assert trained_seed(clf) is None
        assert trained_languages(clf) == []
        assert training_data(clf) == []
    # a seed that is not an int is not a seed
    assert trained_seed(SimpleNamespace(config={"training": {"seed": True}})) is None
