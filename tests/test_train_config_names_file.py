"""A label mistake in a training config (`span_categories: {threat: violent_threats}`, a
frozen member's `labels`, a data entry's `supervises`...) was refused without naming the
config file: `annotate train --config models/x.train.yaml` said `span_categories.threat:
'violent_threats' of the training config is not a category`, which config of several it
did not say. It names the file and the key now; a mapping file's rule names the rule's key
(`rules[0].labels`) and the label meant, as a config's does."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.settings import display_path
from annotate.training.config import check_config, fit_to_taxonomy, load_train_config
from annotate.training.sources import load_mapping
from tests.test_cli import run

DATA = "data:\n  - path: forum.csv\n"


def _config(tmp_path: Path, body: str) -> Path:
    (tmp_path / "forum.csv").write_text("text,labels\nhello,none\n")
    path = tmp_path / "bad.train.yaml"
    path.write_text("name: bad\n" + body + DATA)
    return path


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("span_categories: {threat: violent_threats}\n", "span_categories.threat"),
        ("span_categories: {threats: violent_threat}\n", "span_categories"),
        ("operating_point: {label_beta: {violent_threats: 2.0}}\n", "label_beta"),
        ("frozen:\n  members:\n    - c: 1.0\n    - labels: [counterspeech]\n", "frozen.members"),
        ("threat_grammar: violent_threats\n", "threat_grammar"),
        ("trainer: finetune\nthreat_grammar: violent_threat\n", "threat_grammar"),
        ("quoted_span: quoted\n", "span label 'quoted'"),
        ("attributed_quote_label: news\n", "attributed_quote_label"),
    ],
)
def test_a_label_mistake_names_the_config_file_and_key(
    tmp_path: Path, taxonomy, body: str, key: str
) -> None:
    path = _config(tmp_path, body)
    with pytest.raises(TrainingError) as err:
        check_config(fit_to_taxonomy(load_train_config(path), taxonomy), taxonomy)
    assert str(err.value).startswith(f"training config {display_path(path)}: "), err.value
    assert key in str(err.value)
    assert "of the training config" not in str(err.value)  # it is named instead


def test_a_supervises_mistake_names_the_config_file(tmp_path: Path, taxonomy) -> None:
    path = tmp_path / "x.train.yaml"
    (tmp_path / "forum.csv").write_text("text,labels\nhello,none\n")
    path.write_text("name: x\ndata:\n  - path: forum.csv\n    supervises: [threat]\n")
    with pytest.raises(TrainingError, match=r"data\[0\]\.supervises: 'threat'") as err:
        check_config(load_train_config(path), taxonomy)
    assert str(err.value).startswith(f"training config {display_path(path)}: ")


def _mapping(tmp_path: Path, rule: str, tail: str = "") -> Path:
    path = tmp_path / "forum.yaml"
    path.write_text(f"name: forum\ntext: post\nrules:\n  - when: {{class: ok}}\n{rule}{tail}")
    return path


@pytest.mark.parametrize(
    ("rule", "tail", "key", "meant"),
    [
        ("    labels: [violent_threats]\n", "", "rules[0].labels", "violent_threat"),
        ("    labels: [none]\n    unknown: [incitment]\n", "", "rules[0].unknown", "incitement"),
        ("    known: [counterspeech]\n", "", "rules[0].known", "counter_speech"),
        ("    labels: [violent_threat]\n    span: threats\n", "", "rules[0].span", "threat"),
        ("    labels: [none]\n", "unknown: [incitment]\n", "unknown", "incitement"),
    ],
)
def test_a_mapping_label_mistake_names_the_file_key_and_label_meant(
    tmp_path: Path, taxonomy, rule: str, tail: str, key: str, meant: str
) -> None:
    path = _mapping(tmp_path, rule, tail)
    with pytest.raises(TrainingError) as err:
        load_mapping(path, taxonomy)
    assert str(err.value).startswith(f"mapping file {path}: {key}: "), err.value
    assert err.value.fix.startswith(f"did you mean {meant!r}? Otherwise "), err.value.fix


def test_cli_train_names_the_config(tmp_path: Path) -> None:
    path = _config(tmp_path, "span_categories: {threat: violent_threats}\n")
    ran = run("train", "--config", str(path), "--out", str(tmp_path / "m"), "-q")
    assert ran.returncode == 1
    line = next(ln for ln in ran.stderr.splitlines() if ln.startswith("error:"))
    assert line.startswith(f"error: training config {display_path(path)}: span_categories.threat")
    assert "did you mean 'violent_threat'?" in line
