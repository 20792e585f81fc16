"""`annotate train --data corpus/parquet/train.parquet` (or a JSONL split file, or the
export's hf/ or parquet/ folder): a split file of an export was read as a project table.
Its rows were split again by a hash of their documents, so passages of the export's train
split went to test (a JSONL file without a tie was trained on silently), Parquet labels
failed as "unknown label(s) ['5']" (ClassLabel ids), and a tie as "needs a non-empty
'text' and 'labels'". Every part of an export is refused, naming the export folder."""

from __future__ import annotations

import os

import pytest

from annotate.errors import TrainingError
from annotate.training.sources import DataSource, load_examples
from tests.test_train_loop import _corpus_row, _write_export


@pytest.fixture
def corpus(tmp_path, taxonomy):
    rows = [
        _corpus_row(taxonomy, 1, "We will burn their homes.", ["violent_threat"], "train", []),
        _corpus_row(taxonomy, 2, "Market opens at nine.", ["none"], "validation", ["none"]),
        _corpus_row(taxonomy, 3, "Police reported the threat.", ["news_reporting"], "test", []),
    ]
    out = tmp_path / "corpus"
    _write_export(out, rows, taxonomy)
    return out


@pytest.mark.parametrize(
    "part", ["jsonl/train.jsonl", "parquet/train.parquet", "parquet", "hf", "manifest.json"]
)
def test_a_part_of_an_export_is_refused_naming_the_export(corpus, taxonomy, part, monkeypatch):
    monkeypatch.chdir(corpus.parent)
    with pytest.raises(TrainingError) as err:
        load_examples([DataSource(path=f"corpus/{part}")], taxonomy, 13)
    assert f"corpus/{part} is part of the `annotate export` corpus" in str(err.value)
    assert err.value.fix == "pass the export folder: `--data corpus`."


def test_a_split_file_named_from_inside_the_export(corpus, taxonomy, monkeypatch):
    monkeypatch.chdir(corpus / "jsonl")
    with pytest.raises(TrainingError) as err:
        load_examples([DataSource(path="train.jsonl")], taxonomy, 13)
    assert err.value.fix == f"pass the export folder: `--data {os.pardir}`."


def test_the_export_folder_itself_is_read_with_its_splits(corpus, taxonomy):
    examples, _ = load_examples([DataSource(path=str(corpus))], taxonomy, 13)
    assert sorted(e.split for e in examples) == ["test", "train", "validation"]


def test_a_part_named_in_a_config_is_shown_as_written_there(corpus, tmp_path, monkeypatch):
    """A config beside the export, run from another folder: the error named both by their
    path from the checkout (`../../../tmp/.../corpus/jsonl/train.jsonl`) and told the user
    to pass `--data` with it, though the entry was in the config."""
    from tests.test_cli import _error_line, run

    config = tmp_path / "batch.train.yaml"
    config.write_text("name: batch\ndata:\n  - path: corpus/jsonl/train.jsonl\n")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    line = _error_line(run("train", "--config", str(config), "--out", "m", "-q"))
    assert "error: corpus/jsonl/train.jsonl is part of the `annotate export` corpus," in line
    assert "Fix: name the export folder itself in the config's data: `path: corpus`." in line
    assert "../" not in line
