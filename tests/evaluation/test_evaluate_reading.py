"""`evaluate` scores the passage the classifier reads in `prelabel`, not its raw text.

Prelabel gives the classifier each passage without subtitle markup and a conversation's
speaker labels, compatibility letters folded and a subtitle cue within its sentence
(annotate.classifier.turn_text.predict_turns); evaluate read the raw text, so the two
scored other inputs for the same row (stop 48's note: a fullwidth threat flagged at
prelabel was a miss in evaluate). Both now go through predict_turns: the classifier gets
the same texts and gives the same scores, labels and spans, for a plain table of id and
text as for ingest's columns (doc_id, passage_index, conversation).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import ModelError
from annotate.evaluation.evaluate import predict_examples
from annotate.prelabeling import prelabel
from annotate.training.sources import DataSource, load_examples
from tests.fakes import KeywordClassifier

# one passage each; no doc_id, no passage_index: a plain table
PLAIN = {
    "chat": "Dave: you coming?\nSam: no, I will kill him first",  # 2 speakers: a conversation
    "fullwidth": "Ｉ ｗｉｌｌ ｋｉｌｌ ｙｏｕ",  # read as ASCII: the keyword "kill"
    "markup": "<i>We</i> will <b>kill</b> them all",  # read without the tags
    "vtt": "<v Dave>I will kill you</v>",
    "plain": "The council met on Tuesday.",
}
# ingest's columns: a subtitle file's cues (a sentence over two cues) and a one-speaker
# passage of a document ingest recorded as a conversation
INGESTED = [
    {"id": "s0", "doc_id": "film.srt", "passage_index": 0, "text": "If you come back here"},
    {"id": "s1", "doc_id": "film.srt", "passage_index": 1, "text": "I will kill you."},
    {"id": "s2", "doc_id": "film.srt", "passage_index": 2, "text": "Good night."},
    {
        "id": "c0",
        "doc_id": "chat.txt",
        "passage_index": 0,
        "conversation": True,
        "text": "Killer: see you at the match",
    },
]


class Reader(KeywordClassifier):
    """The keyword classifier, recording every text it is given."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(labels)
        self.read: list[str] = []

    def predict(self, passages, *, progress=None):
        self.read += [p.text for p in passages]
        return super().predict(passages, progress=progress)


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _both(tmp_path: Path, taxonomy, rows: list[dict]) -> tuple[Reader, dict, Reader, dict]:
    """The classifier's reads and the predictions by id, of prelabel on ``rows`` and of
    evaluate on the same rows with a gold label."""
    pre_clf = Reader(taxonomy.category_names)
    src = _write(tmp_path / "in.jsonl", rows)
    prelabel(src, tmp_path / "pre.jsonl", classifier=pre_clf)
    pre = {
        r["id"]: (r["labels"], r["scores"], r["spans"])
        for r in map(json.loads, (tmp_path / "pre.jsonl").read_text("utf-8").splitlines())
    }
    gold = _write(tmp_path / "gold.jsonl", [{**r, "labels": ["none"]} for r in rows])
    examples, _ = load_examples([DataSource(str(gold))], taxonomy, 13)
    ev_clf = Reader(taxonomy.category_names)
    preds = predict_examples(ev_clf, examples)
    ev = {
        e.id: (
            p.labels,
            {k: round(v, 6) for k, v in p.scores.items() if k in taxonomy.category_names},
            [s.as_dict() for s in p.spans],
        )
        for e, p in zip(examples, preds, strict=True)
    }
    return pre_clf, pre, ev_clf, ev


def test_evaluate_reads_a_plain_table_as_prelabel_does(tmp_path, taxonomy):
    rows = [{"id": k, "text": v} for k, v in PLAIN.items()]
    pre_clf, pre, ev_clf, ev = _both(tmp_path, taxonomy, rows)
    assert sorted(ev_clf.read) == sorted(pre_clf.read)
    assert ev == pre
    read = set(ev_clf.read)
    assert "I will kill him first" in " ".join(read) and "Sam:" not in " ".join(read)
    assert "I will kill you" in read and "We will kill them all" in read
    # the fullwidth threat is read as its letters: flagged, its span on the passage
    labels, _, spans = ev["fullwidth"]
    assert labels == ["violent_threat"]
    assert PLAIN["fullwidth"][spans[0]["start"] : spans[0]["end"]] == "ｋｉｌｌ"


def test_evaluate_reads_cues_and_recorded_conversations_as_prelabel_does(tmp_path, taxonomy):
    pre_clf, pre, ev_clf, ev = _both(tmp_path, taxonomy, INGESTED)
    assert sorted(ev_clf.read) == sorted(pre_clf.read)
    assert ev == pre
    # the cue read within its sentence; the label of ingest's conversation left out
    assert "If you come back here I will kill you." in ev_clf.read
    assert "see you at the match" in ev_clf.read
    # (a cue whose sentence's evidence lies on another cue keeps its own reading)
    assert ev["s0"][0] == ["none"] and ev["s1"][0] == ["violent_threat"]


def test_a_classifier_returning_too_few_predictions_is_a_model_error(tmp_path, taxonomy):
    class Short(KeywordClassifier):
        def predict(self, passages, *, progress=None):
            return super().predict(passages, progress=progress)[:-1]

    gold = _write(tmp_path / "gold.jsonl", [{"text": t, "labels": ["none"]} for t in ("a", "b")])
    examples, _ = load_examples([DataSource(str(gold))], taxonomy, 13)
    with pytest.raises(ModelError, match="returned 1 predictions for 2 passages"):
        predict_examples(Short(taxonomy.category_names), examples)
