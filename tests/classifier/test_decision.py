"""The decision rule from calibrated probabilities to labels (table-driven)."""

from __future__ import annotations

import numpy as np
import pytest

from annotate.classifier.head import apply_labels
from annotate.training.derived import untitled_documents
from annotate.training.sources import Example

LABELS = ["violent_threat", "news_reporting", "counter_speech", "none"]
TH = {"violent_threat": 0.3, "news_reporting": 0.4, "counter_speech": 0.4}
CONTEXT = ["news_reporting", "counter_speech"]


@pytest.mark.parametrize(
    ("probs", "yields", "expected"),
    [
        ([0.1, 0.1, 0.1, 0.9], CONTEXT, ["none"]),
        ([0.1, 0.56, 0.1, 0.91], (), ["news_reporting"]),  # old rule: context fires
        ([0.1, 0.56, 0.1, 0.91], CONTEXT, ["none"]),  # yields to a likelier none
        ([0.1, 0.80, 0.1, 0.30], CONTEXT, ["news_reporting"]),
        ([0.35, 0.1, 0.1, 0.95], CONTEXT, ["violent_threat"]),  # harmful never yields
        ([0.35, 0.5, 0.45, 0.4], CONTEXT, ["violent_threat", "news_reporting", "counter_speech"]),
    ],
)
def test_apply_labels(probs, yields, expected):
    got = apply_labels(np.array([probs]), LABELS, TH, "none", yields)
    assert got == [expected]


def test_untitled_documents_copies_whole_titled_project_training_documents():
    def ex(doc, i, split="train", title="T", public=False):
        return Example(
            text=f"{doc} passage {i}",
            labels={"none"},
            known={"none"},
            split=split,
            source="s",
            doc_key=doc,
            index=i,
            title=title,
            meta={"public": public},
        )

    exs = [
        ex("a", 0),
        ex("a", 1),
        ex("b", 0, split="test"),
        ex("c", 0, title=None),
        ex("d", 0, public=True),
    ]
    out = untitled_documents(exs, 1.0, seed=0)
    assert [(e.doc_key, e.index, e.title) for e in out] == [
        ("untitled:a", 0, None),
        ("untitled:a", 1, None),
    ]
    assert untitled_documents(exs, 0.0, seed=0) == []
