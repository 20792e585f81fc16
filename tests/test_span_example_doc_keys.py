"""Span examples (gold own-voice spans made passages of their own) each get a document
key of their own. They were keyed ``span:DOC:START``: two passages of one document with a
span at the same offset (a leaflet's lines, each a passage starting with a slogan) shared
a key (11 keys, 23 rows of the default build), and doc keys group rows (contexts: the
rows read each other as neighbouring passages; validation hold-out)."""

from __future__ import annotations

from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.config import TrainConfig
from annotate.training.derived import span_examples
from annotate.training.rows import examples_to_rows
from annotate.training.sources import Example

LINES = [
    "Rise, young man, the caravan is leaving for the front tonight.",
    "Riders of the dawn, the dust is on your boots and glory ahead.",
    "Rise, young man, and join the martyrs.",  # the same start in another passage
]


def _passage(index: int, text: str, end: int) -> Example:
    return Example(
        text=text,
        labels={"extremist_propaganda"},
        known={"extremist_propaganda", "none"},
        split="train",
        source="leaflets",
        doc_key="leaflets:bg-0051",
        index=index,
        spans=[(0, end, "glorification")],
        id=f"leaflets:{index}",
    )


def test_spans_at_the_same_offset_of_one_document_get_their_own_keys() -> None:
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    examples = [_passage(k, t, len(t) - 1) for k, t in enumerate(LINES)]
    examples.append(_passage(3, LINES[0] + " Now.", 20))  # same passage start, other end
    derived = span_examples(examples, tax, TrainConfig())
    assert len(derived) == 4  # every span at offset 0 of one document
    keys = [ex.doc_key for ex in derived]
    assert len(set(keys)) == len(keys), keys
    rows = examples_to_rows(derived, tax)
    assert (rows["context"] == "").all()  # none reads another as its neighbour
