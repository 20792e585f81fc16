"""A tied export row whose reviewers agreed on some categories and split on others
(["violent_threat"] against ["violent_threat", "graphic_violence"]) is resolved as
["violent_threat"] with `label_tie`. Training and evaluation read it as a decided "no
graphic_violence": the label one of two reviewers gave was taught as a negative, and an
evaluation counted a model that predicted it as a false positive. The categories the vote
left tied are masked (neither label nor negative) until a lead decides."""

from __future__ import annotations

import logging

import pytest

from annotate.training.sources import read_export
from tests.test_train_loop import _corpus_row, _write_export


def _tied_row(tax, i, split, votes, labels, **extra):
    row = _corpus_row(tax, i, f"Passage {i}: they will pay for this.", labels, split, labels)
    first = row["annotations"][0]
    row["annotations"] = [
        {**first, "reviewer": f"r{n}", "categories": vote} for n, vote in enumerate(votes)
    ]
    row["n_reviewers"] = len(votes)
    return {**row, "label_tie": True, "resolution": "tie", **extra}


@pytest.fixture
def corpus(tmp_path, taxonomy):
    rows = [
        # split on graphic_violence, agreed on violent_threat
        _tied_row(
            taxonomy,
            1,
            "train",
            [["violent_threat"], ["violent_threat", "graphic_violence"]],
            ["violent_threat"],
        ),
        # a lead decided the same vote: the lead's labels decide every category
        _tied_row(
            taxonomy,
            2,
            "train",
            [["violent_threat"], ["violent_threat", "graphic_violence"]],
            ["violent_threat"],
            label_tie=False,
            resolution="adjudicated",
        ),
        # a tie on the severity alone: every category was decided
        _tied_row(taxonomy, 3, "train", [["incitement"], ["incitement"]], ["incitement"]),
        _corpus_row(taxonomy, 4, "Market opens at nine.", ["none"], "validation", ["none"]),
    ]
    out = tmp_path / "corpus"
    _write_export(out, rows, taxonomy)
    return out


@pytest.mark.parametrize("fmt", ["hf", "jsonl"])
def test_categories_a_tied_vote_left_undecided_are_not_trained_as_negatives(
    corpus, taxonomy, caplog, fmt
):
    if fmt == "jsonl":  # an export without hf/ is read from its JSONL files
        import shutil

        shutil.rmtree(corpus / "hf")
    with caplog.at_level(logging.WARNING, logger="annotate.training.sources"):
        examples = {e.id: e for e in read_export(corpus, taxonomy)}
    everything = set(taxonomy.category_names)
    tied = examples["ls-1"]
    assert tied.labels == {"violent_threat"}
    assert tied.known == everything - {"graphic_violence"}
    assert examples["ls-2"].known == everything  # the lead decided
    assert examples["ls-3"].known == everything  # only the severity was tied
    assert examples["ls-4"].known == everything
    assert "split on evenly are left out of training and scoring" in caplog.text
    assert "graphic_violence on 1 passage(s)" in caplog.text
