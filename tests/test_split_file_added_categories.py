"""A split file of an export read alone with a labels.yaml NEWER than the export's (export
made under 1.0.0, training with 1.1.0, which appended ``harassment``) taught the added
category as a decided "no" on every passage: nobody was offered it, and the whole export
folder masks it (its manifest lists the categories offered). The file's rows record the
export's categories too (``model_scores`` holds one key per category of the export's
labels.yaml; a Parquet file's ClassLabel names them): those added since are masked, as
the folder reads them. Where the file records no category list, it is refused, naming
the export folder and the export's labels.yaml as fixes. Same version: read as before."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from annotate.audit.taxonomy import taxonomy_record
from annotate.errors import TrainingError
from annotate.taxonomy import Taxonomy
from annotate.training.sources import read_export
from annotate.training.sources.exports import read_export_rows_file
from annotate.training.sources.native import read_native
from tests.conftest import project_taxonomy
from tests.test_consensus_not_offered import _row, _write
from tests.test_taxonomy_label_added import with_harassment


def _export(tmp_path: Path, tax: Taxonomy, **extra: object) -> Path:
    rows = [
        _row(tax, 1, ["violent_threat"], [tax.version, tax.version], **extra),
        _row(tax, 2, ["none"], [tax.version], **extra),
    ]
    out = tmp_path / "export"
    _write(out, tax, rows, {"taxonomy": taxonomy_record(tax)})
    return out


def _alone(tmp_path: Path, out: Path, kind: str) -> Path:
    alone = tmp_path / "copied" / f"train.{kind}"
    alone.parent.mkdir()
    shutil.copyfile(out / kind / f"train.{kind}", alone)
    return alone


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_a_category_added_since_the_export_is_masked_as_the_folder_masks_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    out = _export(tmp_path, project_taxonomy())  # 1.0.0: no harassment
    newer = with_harassment("1.1.0")
    with caplog.at_level(logging.WARNING, logger="annotate.training.sources"):
        examples = read_export_rows_file(_alone(tmp_path, out, kind), newer, seed=0)
    every = set(newer.category_names)
    assert [e.known for e in examples] == [every - {"harassment"}] * 2
    assert [e.known for e in read_export(out, newer)] == [e.known for e in examples]
    assert "did not offer its reviewers: harassment; they are masked" in caplog.text


def test_a_file_without_its_category_list_is_refused_with_a_newer_labels_yaml(
    tmp_path: Path,
) -> None:
    tax = project_taxonomy()
    alone = _alone(tmp_path, _export(tmp_path, tax, model_scores=None), "jsonl")
    with pytest.raises(TrainingError) as refused:
        read_export_rows_file(alone, with_harassment("1.1.0"), seed=0)
    said = f"{refused.value} {refused.value.fix}"
    assert "exported under labels.yaml 1.0.0" in said and "labels.yaml 1.1.0" in said
    assert "pass the whole export folder" in said
    assert "labels.yaml of version 1.0.0 (--labels FILE)" in said


def test_the_same_version_reads_as_before(tmp_path: Path) -> None:
    tax = project_taxonomy()
    for extra in ({}, {"model_scores": None}):  # with or without the category list
        out = _export(tmp_path / str(len(extra)), tax, **extra)
        alone = _alone(tmp_path / str(len(extra)), out, "jsonl")
        examples = read_native(alone, tax, seed=0)
        assert [e.known for e in examples] == [set(tax.category_names)] * 2
        assert [e.labels for e in examples] == [{"violent_threat"}, {"none"}]


def test_a_newer_patch_version_without_the_category_list_is_read(tmp_path: Path) -> None:
    old = with_harassment("1.1.0")
    alone = _alone(tmp_path, _export(tmp_path, old, model_scores=None), "jsonl")
    patched = with_harassment("1.1.1")  # wording only: no category added
    examples = read_export_rows_file(alone, patched, seed=0)
    assert [e.known for e in examples] == [set(patched.category_names)] * 2
