"""The taxonomy's content digest: recorded by models and exports, checked at prelabel."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import yaml

from annotate.audit.taxonomy import taxonomy_record
from annotate.prelabeling import check_classifier, trained_taxonomy
from annotate.taxonomy import parse_taxonomy
from tests.fakes import KeywordClassifier

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "labels.yaml").read_text(encoding="utf-8")


def _edited(fn) -> str:
    data = yaml.safe_load(TEXT)
    fn(data)
    return yaml.safe_dump(data, sort_keys=False)


def test_the_digest_ignores_comments_and_layout_but_not_content():
    base = parse_taxonomy(TEXT)
    relaid = parse_taxonomy("# a comment\n" + yaml.safe_dump(yaml.safe_load(TEXT), indent=4))
    assert relaid.content_sha256 == base.content_sha256
    described = parse_taxonomy(
        _edited(lambda d: d["categories"][0].update(definition="something else"))
    )
    assert described.version == base.version
    assert described.content_sha256 != base.content_sha256
    assert len(base.content_sha256) == 64
    assert base.identity() == {
        "name": base.name,
        "version": base.version,
        "sha256": base.content_sha256,
    }


def test_exports_record_the_digest(taxonomy):
    assert taxonomy_record(taxonomy)["sha256"] == taxonomy.content_sha256


class _Recorded(KeywordClassifier):
    def __init__(self, labels, recorded):
        super().__init__(labels)
        self.config = {"taxonomy": recorded}


def test_prelabel_warns_when_the_model_was_trained_on_other_content(taxonomy, caplog):
    edited = parse_taxonomy(
        _edited(lambda d: d["categories"][0].update(definition="something else"))
    )
    clf = _Recorded(taxonomy.category_names, taxonomy.identity())
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling"):
        check_classifier(clf, taxonomy)
    assert not caplog.records
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling"):
        check_classifier(clf, edited)
    (rec,) = caplog.records
    msg = rec.getMessage()
    assert taxonomy.content_sha256[:12] in msg and edited.content_sha256[:12] in msg
    assert "retrain" in msg


def test_models_without_a_digest_are_not_warned_about(taxonomy, caplog):
    old = _Recorded(taxonomy.category_names, {"name": taxonomy.name, "version": taxonomy.version})
    plain = KeywordClassifier(taxonomy.category_names)
    assert trained_taxonomy(plain) == {}
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling"):
        check_classifier(old, taxonomy)
        check_classifier(plain, taxonomy)
    assert not caplog.records


def test_the_shipped_model_records_the_shipped_labels_yaml(taxonomy):
    info = json.loads((ROOT / "models/default/annotate_model.json").read_text(encoding="utf-8"))
    assert info["taxonomy"] == taxonomy.identity()
