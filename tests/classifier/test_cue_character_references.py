"""The classifier reads a subtitle cue's character references as the characters they name,
as reviewers are shown the cue (stop 49 decoded them for display; the classifier read
`Tom &amp; Jerry` while reviewers read `Tom & Jerry`). One function decodes them for
both (annotate.studio.shown_text.character_references); a model's span ending on a
decoded character covers the whole reference on the passage's characters. Passages of
other documents are read as written (a reference there is what the text says)."""

from __future__ import annotations

from collections.abc import Sequence

from annotate.classifier.base import PassageInput, Prediction, Span
from annotate.classifier.turn_text import predict_turns, without_labels
from annotate.studio.shown_text import shown_text

RAW = "<v Host>Tom &amp; Jerry &lt;3 it&#39;s a repeat&#x2026; &bogus; &amp;amp;</v>"
READ = "Tom & Jerry <3 it's a repeat… &bogus; &amp;"


def _cue(text: str, doc_id: str = "talk.vtt") -> PassageInput:
    return PassageInput(id="p", text=text, doc_id=doc_id, passage_index=0)


def test_a_cue_is_read_with_its_references_decoded_as_reviewers_see_it() -> None:
    (read,), _ = without_labels([_cue(RAW)])
    assert read.text == READ
    # what reviewers are shown, but for the speaker's label (the model reads no label)
    assert shown_text(RAW).shown == "Host: " + READ


def test_a_passage_of_another_document_keeps_its_references() -> None:
    text = "Tom &amp; Jerry are on next."
    (read,), _ = without_labels([_cue(text, doc_id="notes.txt")])
    assert read.text == text


class _Marks:
    """Marks ``Tom & Jerry`` and ``it's`` where it reads them."""

    version = "marks@0"
    context_passages = 0

    def __init__(self) -> None:
        self.labels = ["none"]
        self.read: list[str] = []

    def predict(self, passages: Sequence[PassageInput], *, progress=None) -> list[Prediction]:
        self.read += [p.text for p in passages]
        out = []
        for p in passages:
            spans = [
                Span(p.text.index(w), p.text.index(w) + len(w), "threat", 0.9)
                for w in ("Tom & Jerry", "it's", "…")
                if w in p.text
            ]
            out.append(Prediction(scores={"none": 0.5}, labels=["none"], spans=spans))
        return out


def test_a_span_on_decoded_characters_covers_the_references_in_the_cue() -> None:
    clf = _Marks()
    (pred,) = predict_turns(clf, [_cue(RAW)])
    assert clf.read == [READ]
    assert [RAW[s.start : s.end] for s in pred.spans] == [
        "Tom &amp; Jerry",
        "it&#39;s",
        "&#x2026;",
    ]
