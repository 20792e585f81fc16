"""A split file of an export read without its folder (`jsonl/train.jsonl` or
`parquet/train.parquet` copied into one's own data folder, as ML engineers do) is read as
the export is. Before, it was read as a plain table: a tie with no agreed category was an
error whose fix said to "fill" its labels, a tie's evenly split category was trained as a
decided "no", and the Parquet file's ClassLabel ids were "unknown label(s) ['6']"."""

from __future__ import annotations

import logging
import shutil

import pytest

from annotate.training.sources import read_native
from tests.test_train_loop import _corpus_row, _write_export
from tests.test_train_tied_categories import _tied_row


@pytest.fixture
def corpus(tmp_path, taxonomy):
    rows = [
        # agreed on violent_threat, split on graphic_violence
        _tied_row(
            taxonomy,
            1,
            "train",
            [["violent_threat"], ["violent_threat", "graphic_violence"]],
            ["violent_threat"],
            spans=[],
        ),
        # no category agreed: no resolved label
        _tied_row(taxonomy, 2, "train", [["none"], ["counter_speech"]], []),
        _corpus_row(taxonomy, 3, "We will win the cup on Sunday.", ["none"], "train", ["none"]),
        _corpus_row(taxonomy, 4, "Market opens at nine.", ["none"], "validation", ["none"]),
    ]
    out = tmp_path / "corpus"
    _write_export(out, rows, taxonomy)
    return out


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_split_file_copied_out_of_its_export_reads_as_the_export(
    corpus, tmp_path, taxonomy, caplog, fmt
):
    mine = tmp_path / "mine"
    mine.mkdir()
    copy = mine / f"train.{fmt}"
    shutil.copy(corpus / fmt / f"train.{fmt}", copy)
    with caplog.at_level(logging.WARNING, logger="annotate.training.sources"):
        examples = {e.id: e for e in read_native(copy, taxonomy, seed=0)}
    everything = set(taxonomy.category_names)
    assert set(examples) == {"ls-1", "ls-3"}  # the unresolved tie is left out, said so
    assert "1 of 3 exported passages have no resolved category" in caplog.text
    assert examples["ls-1"].labels == {"violent_threat"}  # names, not ClassLabel ids
    assert examples["ls-1"].known == everything - {"graphic_violence"}
    assert examples["ls-3"].labels == {"none"} and examples["ls-3"].known == everything
    assert {e.split for e in examples.values()} == {"train"}  # the file's split is kept


def test_a_split_parquet_without_its_features_is_a_clear_error(corpus, tmp_path, taxonomy):
    """The split file rewritten by a tool that drops the Parquet's `huggingface` schema
    metadata (pandas, polars): ClassLabel ids with no names to decode them. Before, an
    IndexError (a traceback); now the unknown labels, named as the error names them."""
    import pyarrow.parquet as pq

    from annotate.errors import AnnotateError

    table = pq.read_table(corpus / "parquet" / "train.parquet")
    bare = tmp_path / "train.parquet"
    pq.write_table(table.replace_schema_metadata(None), bare)
    with pytest.raises(AnnotateError) as err:
        read_native(bare, taxonomy, seed=0)
    assert "label ids" in str(err.value) and "huggingface" in str(err.value)
