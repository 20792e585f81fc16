"""`datasets` save_to_disk folders as training data (a new user's own HF data): a
DatasetDict whose labels are category names trains with its splits kept, a folder
without 'labels' or 'text' is a one-line error, and a Dataset or DatasetDict folder
takes --mapping like a table, its Arrow files recorded for the model card."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest

from annotate.errors import TrainingError
from annotate.training.sources import DataSource, load_examples, takes_mapping

ROWS = {
    "doc_id": ["a", "b", "c", "d"],
    "text": ["I will hurt you tomorrow", "nice weather today", "see you at the game", "ok"],
    "labels": [["violent_threat"], ["none"], ["none"], ["none"]],
}


def _dict(folder: Path, rows: dict) -> Path:
    ds = datasets.Dataset.from_dict(rows)
    datasets.DatasetDict({"train": ds.select(range(3)), "test": ds.select([3])}).save_to_disk(
        str(folder)
    )
    return folder


def test_a_datasetdict_of_category_names_keeps_its_splits(tmp_path: Path, taxonomy) -> None:
    folder = _dict(tmp_path / "mine", ROWS)
    exs, _ = load_examples([DataSource(str(folder))], taxonomy, 13)
    got = {ex.text: (ex.split, sorted(ex.labels)) for ex in exs}
    assert got["I will hurt you tomorrow"] == ("train", ["violent_threat"])
    assert got["ok"] == ("test", ["none"])


@pytest.mark.parametrize(
    ("drop", "says"),
    [("labels", "has no 'labels' column"), ("text", "split 'train' has no 'text' column")],
)
def test_a_datasetdict_without_labels_or_text(tmp_path: Path, taxonomy, drop, says) -> None:
    folder = _dict(tmp_path / "mine", {k: v for k, v in ROWS.items() if k != drop})
    with pytest.raises(TrainingError, match=says):
        load_examples([DataSource(str(folder))], taxonomy, 13)


@pytest.mark.parametrize("kind", ["dataset", "datasetdict"])
def test_a_saved_dataset_takes_a_mapping(tmp_path: Path, taxonomy, kind: str) -> None:
    rows = {"body": ROWS["text"], "threat": ["1", "0", "0", "0"]}
    folder = tmp_path / "posts"
    if kind == "dataset":
        datasets.Dataset.from_dict(rows).save_to_disk(str(folder))
    else:
        _dict(folder, rows)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "name: posts\ntext: body\nrules:\n  - when: {threat: '1'}\n    labels: [violent_threat]\n"
        "  - labels: ['none']\n",
        encoding="utf-8",
    )
    assert takes_mapping(folder)
    exs, described = load_examples([DataSource(str(folder), str(mapping))], taxonomy, 13)
    assert {ex.text: sorted(ex.labels) for ex in exs}["I will hurt you tomorrow"] == [
        "violent_threat"
    ]
    files = [f["path"] for f in described[0]["files"] if f["role"] == "data"]
    assert files and all(f.endswith(".arrow") for f in files)


def test_an_export_takes_no_mapping(tmp_path: Path) -> None:
    folder = _dict(tmp_path / "corpus" / "hf", ROWS).parent
    (folder / "manifest.json").write_text(json.dumps({"format": "annotate-corpus/1"}))
    assert not takes_mapping(folder)


def test_a_saved_dataset_without_splits_or_mapping(tmp_path: Path, taxonomy) -> None:
    folder = tmp_path / "mine"
    datasets.Dataset.from_dict(ROWS).save_to_disk(str(folder))
    with pytest.raises(TrainingError, match="Dataset saved with save_to_disk, without splits"):
        load_examples([DataSource(str(folder))], taxonomy, 13)


def test_a_datasetdict_is_recorded_as_a_saved_dataset_not_an_export(
    tmp_path: Path, taxonomy
) -> None:
    """The model card an auditor reads names a DatasetDict another tool saved as such: it
    has no manifest, no reviewers, no export record."""
    from annotate.evaluation.evaluate import split_origin

    folder = _dict(tmp_path / "mine", ROWS)
    _, described = load_examples([DataSource(str(folder))], taxonomy, 13)
    assert described[0]["kind"] == "saved dataset"
    assert split_origin({"data": described}) == "saved datasets keep their own splits"


def test_a_datasetdict_without_document_ids_holds_one_document_a_row(
    tmp_path: Path, taxonomy
) -> None:
    """`train_test_split(...).save_to_disk(...)` of 'text' and 'labels' alone: each row is
    a document (as a table's row is), so training can hold some out for validation and
    no row reads another as its neighbouring passage (they were all one document, and
    train stopped: 'the validation split is empty ... of one document')."""
    from annotate.training.validation_split import hold_out_validation

    folder = _dict(tmp_path / "mine", {k: v for k, v in ROWS.items() if k != "doc_id"})
    exs, _ = load_examples([DataSource(str(folder))], taxonomy, 13)
    assert len({ex.doc_key for ex in exs}) == len(exs) == 4
    assert hold_out_validation(exs, 13, search=False) == 1
