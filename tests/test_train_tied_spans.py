"""A tied export row (two reviewers, no lead yet) whose reviewers agreed on one evidence
span and split on another (one marked it, the other did not) kept only the agreed span:
span training read the split one as a decided "no evidence here", teaching the span
model a negative that one of two reviewers marked. Like the categories a tie left
undecided (tests/test_train_tied_categories.py), such a span is masked (neither positive
nor negative) until a lead decides."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from annotate.training.config import TrainConfig
from annotate.training.derived import span_rows
from annotate.training.sources import read_export
from tests.test_train_loop import _corpus_row, _write_export

TEXT = "We know where you sleep. Bring the petrol tonight and burn the depot down."
AGREED = "We know where you sleep."
SPLIT = "Bring the petrol tonight and burn the depot down."


def _span(part: str, label: str) -> dict:
    start = TEXT.index(part)
    return {"start": start, "end": start + len(part), "label": label, "text": part}


def _row(tax, i: int, split: str, **extra):
    row = _corpus_row(tax, i, TEXT, ["violent_threat"], split, ["violent_threat"])
    first = row["annotations"][0]
    agreed = _span(AGREED, "threat")
    row["annotations"] = [
        {**first, "reviewer": "r0", "categories": ["violent_threat"], "spans": [agreed]},
        {
            **first,
            "reviewer": "r1",
            "categories": ["violent_threat", "incitement"],
            "spans": [agreed, _span(SPLIT, "call_to_violence")],
        },
    ]
    row["n_reviewers"] = 2
    row["spans"] = [agreed]  # the majority's: the split span is not in it
    return {**row, "label_tie": True, "resolution": "tie", **extra}


@pytest.fixture
def corpus(tmp_path, taxonomy):
    rows = [
        _row(taxonomy, 1, "train"),
        # the same vote decided by a lead: the lead's spans decide, the other is a "no"
        _row(taxonomy, 2, "train", label_tie=False, resolution="adjudicated"),
        _corpus_row(taxonomy, 3, "Market opens at nine.", ["none"], "validation", ["none"]),
    ]
    out = tmp_path / "corpus"
    _write_export(out, rows, taxonomy)
    return out


def _targets(ex, tax, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Span targets and mask of ``label`` on the segments that are the split span."""
    segs, y, m = span_rows(ex, tax, TrainConfig())
    a = TEXT.index(SPLIT)
    on = [j for j, (s, e, _) in enumerate(segs) if s >= a - 1 and e <= a + len(SPLIT) + 1]
    assert on, segs
    j = tax.span_names.index(label)
    return y[on, j], m[on, j]


@pytest.mark.parametrize("fmt", ["hf", "jsonl"])
def test_a_span_one_of_two_reviewers_marked_is_masked_until_a_lead_decides(
    corpus, taxonomy, caplog, fmt
):
    if fmt == "jsonl":  # an export without hf/ is read from its JSONL files
        import shutil

        shutil.rmtree(corpus / "hf")
    with caplog.at_level(logging.WARNING, logger="annotate.training.sources"):
        examples = {e.id: e for e in read_export(corpus, taxonomy)}
    tied, decided = examples["ls-1"], examples["ls-2"]
    a = TEXT.index(SPLIT)
    assert tied.undecided_spans == [(a, a + len(SPLIT), "call_to_violence")]
    y, m = _targets(tied, taxonomy, "call_to_violence")
    assert not y.any() and not m.any()  # neither evidence nor a decided no
    # the agreed span stays a positive, and other labels on those segments negatives
    _segs, y_all, m_all = span_rows(tied, taxonomy, TrainConfig())
    threat = taxonomy.span_names.index("threat")
    assert y_all[:, threat].any() and m_all[:, threat].all()
    # a lead decided: the split span is a decided no
    assert decided.undecided_spans == []
    y, m = _targets(decided, taxonomy, "call_to_violence")
    assert not y.any() and m.all()
    assert "1 evidence span(s) marked by exactly half of the reviewers" in caplog.text


def test_evaluate_scores_no_predicted_span_on_an_undecided_one(corpus, taxonomy) -> None:
    """evaluate's span scores: a predicted span on the split one is neither a hit nor a
    false positive while no lead has decided; after a lead decided, a false positive."""
    from types import SimpleNamespace

    from annotate.evaluation.evaluate import span_agreement

    examples = {e.id: e for e in read_export(corpus, taxonomy)}
    a = TEXT.index(SPLIT)
    pred = SimpleNamespace(
        spans=[SimpleNamespace(start=a, end=a + len(SPLIT), label="call_to_violence")]
    )
    tied = span_agreement([examples["ls-1"]], [pred])["per_label"]
    decided = span_agreement([examples["ls-2"]], [pred])["per_label"]
    assert "call_to_violence" not in tied
    assert decided["call_to_violence"]["predicted"] == 1
    assert decided["call_to_violence"]["matched"] == 0
