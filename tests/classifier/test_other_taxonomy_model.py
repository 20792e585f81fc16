"""A model folder trained with another labels.yaml (a label renamed by a new major
version) was refused with both 7-name lists side by side ("trained for labels
['violent_threat', 'incitement_to_violence', ...], the taxonomy has [...]") for the user
to diff by eye, and no word of which labels.yaml it needs. The error names the labels
missing and extra, and the labels.yaml the model records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, load_classifier
from annotate.errors import ModelError
from annotate.taxonomy import load_taxonomy

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="no packaged model"
)


def _model(tmp_path: Path, edit) -> Path:
    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    config = json.loads((model / "annotate_model.json").read_text(encoding="utf-8"))
    edit(config)
    (model / "annotate_model.json").write_text(json.dumps(config), encoding="utf-8")
    return model


def test_a_model_of_another_labels_yaml_names_the_difference_and_its_labels_yaml(tmp_path):
    def rename(config):
        # renamed wherever the file names it (labels, harmful, thresholds, calibration...),
        # as training for that labels.yaml writes it: a file renamed in `labels` alone is
        # refused earlier, as a hand edit (faults61)
        renamed = json.loads(json.dumps(config).replace('"incitement"', '"incitement_to_violence"'))
        config.clear()
        config.update(renamed)
        config["taxonomy"] = {"name": "violent-content", "version": "2.0.0"}

    with pytest.raises(ModelError) as err:
        load_classifier(str(_model(tmp_path, rename)), load_taxonomy())
    assert (
        "was trained for other categories than this labels.yaml's (incitement in labels.yaml, "
        "not in the model; incitement_to_violence in the model, not in labels.yaml; "
        "it was trained with labels.yaml violent-content 2.0.0)."
    ) in str(err.value)
    assert err.value.fix == (
        "pass the labels.yaml it was trained with (--labels FILE, violent-content 2.0.0), "
        "or retrain the model for this one (`annotate train`)."
    )


def test_the_same_categories_in_another_order_are_said_so(tmp_path):
    def swap(config):
        labels = config["labels"]
        labels[0], labels[1] = labels[1], labels[0]

    with pytest.raises(ModelError) as err:
        load_classifier(str(_model(tmp_path, swap)), load_taxonomy())
    assert "(the same categories in another order: incitement, violent_threat, " in str(err.value)
    assert "not in the model" not in str(err.value)


def test_the_same_version_in_another_order_is_told_apart_by_content_and_order(tmp_path):
    """A labels.yaml 1.0.0 with two categories swapped trained a model that the team's
    labels.yaml 1.0.0 could not load, and the fix asked for "violent-content 1.0.0", the
    file they had (passF52 F4): the fix gives the content digest and the order it needs."""

    def swap(config):
        labels = config["labels"]
        labels[4], labels[5] = labels[5], labels[4]
        config["taxonomy"] = {"name": "violent-content", "version": "1.0.0", "sha256": "ab" * 32}

    with pytest.raises(ModelError) as err:
        load_classifier(str(_model(tmp_path, swap)), load_taxonomy())
    assert "it was trained with labels.yaml violent-content 1.0.0, content sha256 abababababab" in (
        str(err.value)
    )
    assert err.value.fix.startswith(
        "pass the labels.yaml it was trained with (--labels FILE, violent-content 1.0.0, "
        "content sha256 abababababab, categories in this order: violent_threat, incitement, "
        "graphic_violence, extremist_propaganda, counter_speech, news_reporting, none), "
    ), err.value.fix
