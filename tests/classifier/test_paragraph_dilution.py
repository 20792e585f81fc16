"""A short harmful paragraph that ingest merged with its neighbours is not diluted
(passB50 Q2): ``predict_turns`` reads each paragraph of a merged passage alone too and
keeps a paragraph's harmful reading, with its evidence span, when the passage diluted it;
a news passage quoting a threat keeps its reading (the passage flags news_reporting, which
the paragraph alone does not, or the quote follows an attribution line).

Fixtures (tests/fixtures/regression_dilution.jsonl, written for the project): kinds
``merged_threat`` (must be violent_threat with a threat span over the threat's words),
``news_quote`` (no own-voice harmful label) and ``neutral`` (nothing harmful)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, PassageInput, load_classifier, turn_text
from annotate.classifier.base import Prediction, Span
from tests.conftest import FIXTURES, ROOT, known_miss_params

FILE = FIXTURES / "regression_dilution.jsonl"

# Known misses of the default model with the paragraph reading (strict xfail).
KNOWN_MISSES: dict[str, str] = {
    # flagged by the passage's own reading too (violent_threat 0.312 on "I'll grab chips on
    # the way", the short-reply misread of test_regression_short s-0076); alone 0.642
    "nn-03": "'I'll grab chips on the way' read as violent_threat (default@64b15ee6d17e)",
}


def _rows() -> list[dict]:
    return [json.loads(x) for x in FILE.read_text(encoding="utf-8").splitlines() if x.strip()]


class _Stub:
    """Flags violent_threat (0.9, a threat span over 'burn') on a text of one paragraph
    holding 'burn' (0.4 where it holds 'maybe'); any longer text scores it 0.1
    (diluted); news_reporting on a text holding 'Local news'."""

    version = "stub"
    harmful = frozenset({"violent_threat"})

    def predict(self, passages, *, progress=None):
        out = []
        for p in passages:
            news = "Local news" in p.text
            alone = "burn" in p.text and "\n" not in p.text.strip()
            vt = (0.4 if "maybe" in p.text else 0.9) if alone else 0.1
            labels = ["violent_threat"] if alone else ["news_reporting"] if news else ["none"]
            spans = [Span(p.text.index("burn"), len(p.text), "threat", 0.8)] if alone else []
            scores = {"violent_threat": vt, "news_reporting": 0.8 if news else 0.1, "none": 0.5}
            out.append(Prediction(scores, labels, spans))
        return out


def test_merged_threat_paragraph_keeps_its_reading() -> None:
    text = "Meeting at six.\n\nI will burn your car tonight.\n\nBring snacks."
    (pred,) = turn_text.predict_turns(_Stub(), [PassageInput(id="a", text=text, doc_id="d")])
    assert pred.labels == ["violent_threat"]
    (span,) = pred.spans
    assert text[span.start : span.end] == "burn your car tonight."


def test_passage_flagging_another_label_is_not_replaced() -> None:
    text = "Local news at six.\n\nI will burn your car tonight."
    (pred,) = turn_text.predict_turns(_Stub(), [PassageInput(id="a", text=text, doc_id="d")])
    assert pred.labels == ["news_reporting"] and not pred.spans


def test_paragraph_with_no_threat_span_is_not_taken() -> None:
    """A graphic_violence paragraph whose span is graphic_detail (not a threat or call to
    violence: a headline's "bruising battle" on BBC News) keeps the passage's reading."""

    class Gore(_Stub):
        def predict(self, passages, *, progress=None):
            preds = super().predict(passages, progress=progress)
            return [
                Prediction(
                    {**p.scores, "graphic_violence": p.scores["violent_threat"]},
                    ["graphic_violence" if x == "violent_threat" else x for x in p.labels],
                    [replace(s, label="graphic_detail") for s in p.spans],
                )
                for p in preds
            ]

    Gore.harmful = frozenset({"graphic_violence"})
    text = "Meeting at six.\n\nI will burn your car tonight."
    (pred,) = turn_text.predict_turns(Gore(), [PassageInput(id="a", text=text, doc_id="d")])
    assert pred.labels == ["none"]


def test_paragraph_below_the_bar_is_not_taken() -> None:
    """Alone at 0.4 (a label at the stub's threshold, below PARAGRAPH_BAR 0.5)."""
    text = "Meeting at six.\n\nmaybe I will burn your car tonight."
    (pred,) = turn_text.predict_turns(_Stub(), [PassageInput(id="a", text=text, doc_id="d")])
    assert pred.labels == ["none"]


@pytest.mark.parametrize(
    "text",
    [
        "Meeting at six.\n\n> I will burn your car tonight.",  # a reply's quoted post
        'Meeting at six.\n\n"I will burn your car tonight."',  # a quotation
        "He wrote this at six.\n\nI will burn your car tonight.",  # reported speech
    ],
)
def test_quoted_or_reported_paragraph_is_not_taken(text: str) -> None:
    (pred,) = turn_text.predict_turns(_Stub(), [PassageInput(id="a", text=text, doc_id="d")])
    assert pred.labels == ["none"]


def test_model_without_harmful_labels_reads_the_passage_only() -> None:
    class Hub(_Stub):
        harmful = frozenset()

    text = "Meeting at six.\n\nI will burn your car tonight."
    (pred,) = turn_text.predict_turns(Hub(), [PassageInput(id="a", text=text, doc_id="d")])
    assert pred.labels == ["none"]


def test_paragraph_after_an_attribution_line_is_not_read_alone() -> None:
    text = "The message read:\n\nI will burn your car tonight."
    (pred,) = turn_text.predict_turns(_Stub(), [PassageInput(id="a", text=text, doc_id="d")])
    assert pred.labels == ["none"]


def test_speaker_labels_then_paragraphs_spans_on_the_passage() -> None:
    """A turn's speaker label is removed before the paragraphs are read: the span is
    moved back onto the passage's own characters."""
    text = "[12:01] alice: hi all\n\nI will burn your car tonight."
    rows = [
        PassageInput(id="a", text=text, doc_id="d", conversation=True),
    ]
    (pred,) = turn_text.predict_turns(_Stub(), rows)
    assert pred.labels == ["violent_threat"]
    assert text[pred.spans[0].start : pred.spans[0].end] == "burn your car tonight."


def test_switched_off_reads_the_passage_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turn_text, "PARAGRAPH_READING", False)
    text = "Meeting at six.\n\nI will burn your car tonight.\n\nBring snacks."
    (pred,) = turn_text.predict_turns(_Stub(), [PassageInput(id="a", text=text, doc_id="d")])
    assert pred.labels == ["none"]


@pytest.fixture(scope="module")
def predictions():
    if not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file():
        pytest.skip("models/default is not built (run `make model`)")
    from annotate.taxonomy import load_taxonomy

    clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
    rows = _rows()
    inputs = [
        PassageInput(id=r["doc_id"], text=r["text"], doc_id=r["doc_id"], passage_index=0)
        for r in rows
    ]
    return dict(zip([r["doc_id"] for r in rows], turn_text.predict_turns(clf, inputs), strict=True))


@pytest.mark.parametrize(
    "row", known_miss_params(_rows(), KNOWN_MISSES, lambda r: f"{r['kind']}-{r['doc_id']}")
)
def test_dilution_fixture(row, predictions) -> None:
    pred = predictions[row["doc_id"]]
    got = set(pred.labels)
    problems = [f"missing {m}" for m in row["must"] if m not in got]
    problems += [f"forbidden {m}" for m in row["must_not"] if m in got]
    if over := row.get("threat_span_over"):
        a = row["text"].index(over)
        b = a + len(over)
        if not any(s.label == "threat" and s.start < b and a < s.end for s in pred.spans):
            problems.append(f"no threat span over {over!r}")
    scores = {k: round(v, 3) for k, v in pred.scores.items()}
    assert not problems, f"{row['doc_id']}: {sorted(got)} {problems}; scores {scores}"


def test_fixtures_cover_every_kind() -> None:
    kinds = {r["kind"] for r in _rows()}
    assert kinds == {"merged_threat", "news_quote", "neutral"}
