"""Sentence examples (``sentence_examples_weight``): the sentences of harmless project
training passages as negatives of the harmful labels only. Quoted sentences, sentences
touching a gold span, harmful passages, public rows, one-sentence passages and other
splits make none; the rows supervise the harmful labels (0) and nothing else (-1)."""

from __future__ import annotations

import numpy as np
import pytest

from annotate.errors import TrainingError
from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.derived import is_derived, sentence_examples
from annotate.training.rows import examples_to_rows
from annotate.training.sources import Example

TAX = load_taxonomy(PROJECT_ROOT / "labels.yaml")
ALL = set(TAX.category_names)

NEWS = (
    "Police arrested a man after the attack on Friday. "
    'A witness said "they should all burn" before he fled. '
    "The victims were taken to hospital with minor injuries. "
    "Officers have appealed for information."
)


def _ex(text: str, labels: set[str], **kw) -> Example:
    base = {
        "known": set(ALL),
        "split": "train",
        "source": "context",
        "doc_key": "context:d1",
        "id": "context:d1:0",
    }
    return Example(text=text, labels=labels, **{**base, **kw})


def test_sentences_of_a_harmless_passage_are_harmful_negatives() -> None:
    spans = [(NEWS.index("The victims"), NEWS.index("injuries") + 8, "quoted_propaganda")]
    news = _ex(NEWS, {"news_reporting"}, spans=spans)
    out = sentence_examples([news], TAX, 2.0)
    texts = [e.text for e in out]
    # the quoted sentence and the one under a gold span are left out
    assert texts == [
        "Police arrested a man after the attack on Friday.",
        "Officers have appealed for information.",
    ]
    assert all(e.weight == 2.0 and e.split == "train" for e in out)
    assert is_derived([e.source for e in out]).all()
    assert len({e.doc_key for e in out}) == len(out)
    rows = examples_to_rows(out, TAX)
    lab = np.stack(rows["labels"].to_list())
    names = TAX.category_names
    for j, n in enumerate(names):
        assert (lab[:, j] == (0 if n in TAX.harmful else -1)).all(), n
    assert (rows["context"] == "").all()


def test_no_sentence_examples_from_harmful_public_short_or_held_out_passages() -> None:
    two = "He will pay for this tonight. I know where he lives and I am coming."
    examples = [
        _ex(two, {"violent_threat"}),  # harmful
        _ex(two.replace("pay", "win"), {"none"}, meta={"public": True}),
        _ex("Just one sentence here, nothing more to it.", {"none"}),
        _ex(two.replace("pay", "sing"), {"none"}, split="validation"),
        _ex(two.replace("pay", "cook"), {"none"}, known={"none"}),  # harm not supervised
    ]
    assert sentence_examples(examples, TAX, 2.0) == []
    assert sentence_examples([_ex(two.replace("pay", "sing"), {"none"})], TAX, 0.0) == []
    assert len(sentence_examples([_ex(two.replace("pay", "sing"), {"none"})], TAX, 1.0)) == 2


def test_sentence_examples_supervise_only_the_labels_given() -> None:
    two = "The match ended in a draw. Fans went home happy after the final whistle."
    out = sentence_examples([_ex(two, {"none"})], TAX, 1.0, ["extremist_propaganda"])
    assert [e.known for e in out] == [{"extremist_propaganda"}] * 2
    with pytest.raises(TrainingError):
        sentence_examples([_ex(two, {"none"})], TAX, 1.0, ["news_reporting"])
