"""Regression: the default model on project-written fixtures it was never trained on.

Each fixture row names labels the prediction ``must`` contain and labels it
``must_not`` contain. These encode the taxonomy's hard cases: quoted propaganda inside a
news report is news_reporting, counter-speech quoting violent speech is counter_speech,
harmless talk about weapons or war is none. regression_addressee.jsonl (issue 8, passI53
I2) holds calls to arms addressed to an audience (incitement, a ``call_to_violence``
span) beside first-person threats (violent_threat, a ``threat`` span, no incitement); its
rows also name spans that must (``must_spans``) or must not (``no_spans``) be predicted.
"""

from __future__ import annotations

import json

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, PassageInput, load_classifier
from tests.conftest import FIXTURES, project_taxonomy

FILES = [
    "regression_harmful.jsonl",
    "regression_context.jsonl",
    "regression_addressee.jsonl",
    "regression_calls.jsonl",
]

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)


# Known misses of the current default model, each listed in the model card's known
# limitations (models/default.train.yaml `limitations:`). Strict: the test fails as soon
# as one of them passes, so the list cannot go stale; a new miss is never added here to
# turn CI green without a note in the card.
KNOWN_MISSES = {
    "r-0016": "community leaders' press release rebutting revenge calls read as news_reporting",
    "r-0018": "ordinary passage scored as violent_threat",
    "r-0023": "ordinary passage read as news_reporting",
    "rh-02": "direct threat read as none",
    "rh-10": "call to violence read as counter_speech",
    # rh-09 (a call to violence read as violent_threat only: incitement 0.123 against
    # 0.1266, default@64b15ee6d17e) passes since the model is trained on the text prelabel
    # reads (stop 50: 0.127 against 0.1241), within noise of the threshold
}


def _rows():
    rows = []
    for name in FILES:
        path = FIXTURES / name
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                reason = KNOWN_MISSES.get(row["doc_id"])
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                rows.append(pytest.param(row, id=f"{name.split('_')[1][:-6]}-{i:02d}", marks=marks))
    return rows


@pytest.fixture(scope="module")
def predictions():
    """All fixtures predicted in one call, grouped as documents (as prelabel does)."""

    clf = load_classifier(None, project_taxonomy())
    rows = [p.values[0] for p in _rows()]
    inputs = [
        PassageInput(
            id=f"{r['doc_id']}:{r.get('passage_index', 0)}",
            text=r["text"],
            doc_id=r["doc_id"],
            title=r.get("title") or None,
            passage_index=r.get("passage_index", 0),
        )
        for r in rows
    ]
    preds = clf.predict(inputs)
    return {inp.id: (inp, p) for inp, p in zip(inputs, preds, strict=True)}


@pytest.mark.parametrize("row", _rows())
def test_regression_fixture(row, predictions):
    inp, pred = predictions[f"{row['doc_id']}:{row.get('passage_index', 0)}"]
    got = set(pred.labels)
    scores = {k: round(v, 3) for k, v in pred.scores.items()}
    missing = [m for m in row["must"] if m not in got]
    forbidden = [m for m in row["must_not"] if m in got]
    # evidence spans by what the words do (optional): ``must_spans`` each overlapped by a
    # predicted span of its label, ``no_spans`` by none of it (a call to an audience is
    # a call_to_violence span, the author's intent a threat span: labels.yaml)
    spans = []
    for want, key in ((True, "must_spans"), (False, "no_spans")):
        for gold in row.get(key, []):
            a = row["text"].index(gold["text"])
            b = a + len(gold["text"])
            hit = any(s.label == gold["label"] and s.start < b and a < s.end for s in pred.spans)
            if hit != want:
                spans.append(
                    f"{'no' if want else 'a'} {gold['label']} span over {gold['text'][:50]!r}"
                )
    shown = [(s.label, inp.text[s.start : s.end][:40], s.score) for s in pred.spans]
    assert not missing and not forbidden and not spans, (
        f"{row['doc_id']}: predicted {sorted(got)}; missing {missing}, forbidden {forbidden}; "
        f"{'; '.join(spans)}; spans {shown}; scores {scores}; text: {row['text'][:120]!r}"
    )
    for s in pred.spans:
        assert 0 <= s.start < s.end <= len(inp.text)
