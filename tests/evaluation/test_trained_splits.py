"""Evaluating a model on a source it was trained with in one split (a config entry's
`split: test`, as models/default.train.yaml gives the Gab Hate Corpus's test file) scores
that source in the same split: before, `annotate evaluate --data ghc_test.tsv` re-split
its rows by document hash and warned that 4,424 "train" passages had been seen in
training, when the model had held out every one of them (and `--split test` scored a
fifth of them)."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from types import SimpleNamespace

from annotate.evaluation.trained_splits import source_split, training_data, with_trained_splits
from annotate.settings import display_path
from annotate.taxonomy import load_taxonomy
from annotate.training.sources import DataSource, load_examples


def _model(*entries: dict) -> SimpleNamespace:
    return SimpleNamespace(version="m@1", config={"training": {"seed": 13, "data": list(entries)}})


def test_a_source_trained_as_test_is_evaluated_as_test(tmp_path: Path):
    table = tmp_path / "ghc_test.tsv"
    mapping = tmp_path / "gab.yaml"
    clf = _model(
        {"path": display_path(table), "mapping": display_path(mapping), "split": "test"},
        {"path": display_path(tmp_path / "ghc_train.tsv"), "mapping": display_path(mapping)},
    )
    got = with_trained_splits(
        clf,
        [
            DataSource(str(table), str(mapping)),
            DataSource(str(tmp_path / "ghc_train.tsv"), str(mapping)),
            DataSource(str(tmp_path / "other.tsv"), str(mapping)),
        ],
    )
    assert [s.split for s in got] == ["test", None, None]


def test_a_relative_path_matches_and_another_mapping_does_not(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "held.jsonl").touch()
    clf = _model({"path": display_path(tmp_path / "held.jsonl"), "split": "test"})
    assert with_trained_splits(clf, [DataSource("held.jsonl")])[0].split == "test"
    assert with_trained_splits(clf, [DataSource("held.jsonl", "other.yaml")])[0].split is None


def test_older_records_fall_back_to_a_source_whose_rows_all_went_to_one_split(tmp_path):
    table = str(tmp_path / "t.tsv")
    one = _model({"path": display_path(table), "label_counts": {"test": {"none": 9}}})
    many = _model(
        {"path": display_path(table), "label_counts": {"test": {"none": 1}, "train": {"none": 2}}}
    )
    assert with_trained_splits(one, [DataSource(table)])[0].split == "test"
    assert with_trained_splits(many, [DataSource(table)])[0].split is None
    assert with_trained_splits(_model(), [DataSource(table)])[0].split is None
    # a split given by the caller wins
    assert with_trained_splits(one, [DataSource(table, split="train")])[0].split == "train"


def test_training_records_a_source_split(tmp_path: Path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        "".join(
            json.dumps({"doc_id": f"d{i}", "text": f"passage number {i}", "labels": ["none"]})
            + "\n"
            for i in range(6)
        ),
        encoding="utf-8",
    )
    tax = load_taxonomy()
    _, described = load_examples([DataSource(str(rows), split="test")], tax, 13)
    assert described[0]["split"] == "test"
    _, described = load_examples([DataSource(str(rows))], tax, 13)
    assert "split" not in described[0]


def test_training_data_reads_an_attribute_or_a_mapping_config_and_keeps_dict_entries():
    entry = {"path": "a.jsonl", "kind": "export"}
    as_mapping = _model(entry, "not an entry", None)
    as_attribute = SimpleNamespace(config=SimpleNamespace(training={"data": [entry]}))
    assert training_data(as_mapping) == [entry]
    assert training_data(as_attribute) == [entry]
    assert training_data(SimpleNamespace()) == []  # no config: a transformers model
    assert training_data(SimpleNamespace(config={"training": {"seed": 1}})) == []
    assert training_data(SimpleNamespace(config={"training": "odd"})) == []


def test_source_split_is_the_recorded_split_else_the_one_split_of_its_counts():
    assert source_split({"split": "test"}) == "test"
    assert source_split({"split": "validation", "label_counts": {"train": {}}}) == "validation"
    assert source_split({"label_counts": {"train": {"none": 3}}}) == "train"
    assert source_split({"label_counts": {"train": {}, "test": {}}}) is None
    assert source_split({"split": "dev"}) is None  # not a split name
    assert source_split({"label_counts": {"dev": {"none": 1}}}) is None
    assert source_split({}) is None


def test_evaluation_modules_use_no_private_name_of_another_module():
    """near_copies and trained_on read a model's training record through trained_splits'
    public functions (they imported its private helpers before)."""
    package = Path(__file__).parents[2] / "annotate" / "evaluation"
    private = []
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("annotate"):
                private += [
                    f"{path.name}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert private == []
