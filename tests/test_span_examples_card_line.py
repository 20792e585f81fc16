"""The model card read "evidence spans of the training passages (span examples): 0 rows"
for a corpus whose resolved quoted spans still trained the evidence-span model: the
count is of own-voice spans made passages of their own (for the category heads). The
line now says what it counts, and the gold spans the span model is trained on."""

from __future__ import annotations

from annotate.evaluation.model_card import span_examples_line, training_data_lines
from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.config import TrainConfig
from annotate.training.derived import gold_span_counts, span_examples
from annotate.training.sources import Example

QUOTE = 'Police said the group urged followers to "burn their cities", according to monitors.'


def _examples():
    a = QUOTE.index("burn their cities")
    quoted = Example(
        text=QUOTE,
        labels={"news_reporting"},
        known={"news_reporting"},
        split="train",
        source="export:b",
        doc_key="n1",
        spans=[(a, a + len("burn their cities"), "quoted_propaganda")],
    )
    held_out = Example(
        text=QUOTE,
        labels={"news_reporting"},
        known={"news_reporting"},
        split="validation",
        source="export:b",
        doc_key="n2",
        spans=[(a, a + len("burn their cities"), "quoted_propaganda")],
    )
    plain = Example(
        text="Rehearsals start in October.",
        labels={"none"},
        known={"none"},
        split="train",
        source="export:b",
        doc_key="z1",
        spans=[],
    )
    return [quoted, held_out, plain]


def test_quoted_spans_make_no_span_example_but_are_counted_as_span_training():
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    examples = _examples()
    assert span_examples(examples, tax, TrainConfig()) == []  # quoted: no own-voice row
    counts = gold_span_counts(examples)  # the training passages' spans only
    assert counts == {"passages_with_spans": 1, "gold_spans": 1}
    entry = {
        "path": "evidence spans of the training passages",
        "kind": "span examples",
        "rows": 0,
        **counts,
    }
    line = span_examples_line(entry)
    assert line.startswith(
        "- **evidence spans of the training passages** (span examples): 0 extra training "
        "rows for the category heads: each own-voice gold span"
    )
    assert line.endswith(
        "The evidence-span model is trained on the gold spans of the training passages "
        "themselves, quoted ones included: 1 span in 1 passage."
    )
    assert training_data_lines([entry]) == [line]
    # a model trained before the counts were recorded: the line says what rows count
    old = span_examples_line({k: entry[k] for k in ("path", "kind", "rows")})
    assert old.endswith("as a passage of its own.") and "evidence-span model" not in old
