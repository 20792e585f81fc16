"""A split file of an export read alone was refused whenever its answers were made under
an older labels.yaml of the export's major version (reader58b F5), even where that
version offered every category: a PATCH (wording) version, or a labels.yaml trained with
that is no newer than it. Such files trained before; they are read again. One whose
older answers may not have been offered a category of the labels.yaml trained with is
still refused, naming the older labels.yaml as a way out."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.taxonomy import load_taxonomy
from annotate.training.sources.exports import read_export_rows_file
from tests.conftest import ROOT
from tests.test_consensus_not_offered import _row, _write
from tests.test_taxonomy_label_added import with_harassment


def _alone(tmp_path: Path, tax, rows: list[dict]) -> Path:
    out = tmp_path / "export"
    _write(out, tax, rows, {})
    alone = tmp_path / "train.jsonl"
    alone.write_bytes((out / "jsonl" / "train.jsonl").read_bytes())
    return alone


def test_answers_of_an_older_patch_version_are_read(tmp_path: Path) -> None:
    tax = with_harassment("1.1.1")  # 1.1.0 -> 1.1.1: wording only
    alone = _alone(tmp_path, tax, [_row(tax, 1, ["violent_threat"], ["1.1.0", "1.1.1"])])
    (example,) = read_export_rows_file(alone, tax, seed=0)
    assert example.known == set(tax.category_names)


def test_a_labels_yaml_no_newer_than_the_answers_reads_them(tmp_path: Path) -> None:
    export_tax = with_harassment("1.1.0")
    rows = [_row(export_tax, 1, ["violent_threat"], ["1.0.0", "1.0.0"])]
    alone = _alone(tmp_path, export_tax, rows)
    older = load_taxonomy(ROOT / "labels.yaml")  # 1.0.0: every category offered then
    assert older.version == "1.0.0"
    (example,) = read_export_rows_file(alone, older, seed=0)
    assert example.labels == {"violent_threat"}
    assert example.known == set(older.category_names)


def test_older_answers_that_chose_every_category_were_offered_them(tmp_path: Path) -> None:
    tax = with_harassment("1.1.0")
    rows = [_row(tax, i, [c], ["1.0.0"]) for i, c in enumerate(tax.category_names)]
    examples = read_export_rows_file(_alone(tmp_path, tax, rows), tax, seed=0)
    assert all(e.known == set(tax.category_names) for e in examples)


def test_older_answers_maybe_not_offered_a_category_are_still_refused(tmp_path: Path) -> None:
    tax = with_harassment("1.1.0")
    alone = _alone(tmp_path, tax, [_row(tax, 1, ["violent_threat"], ["1.0.0", "1.1.0"])])
    with pytest.raises(TrainingError) as refused:
        read_export_rows_file(alone, tax, seed=0)
    said = str(refused.value) + str(refused.value.fix)
    assert "1.0.0 (1 answer(s))" in said and "pass the whole export folder" in said
    assert "labels.yaml of version 1.0.0 (--labels FILE)" in said
