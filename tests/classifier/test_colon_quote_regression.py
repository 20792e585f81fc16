"""Regression (issue 8): speech quoted as a block after an attribution line ending in a
colon, without quotation marks ("According to a translation by the agency, the commander
says:" then the speech as its own paragraph), on the default model.

Fixtures: tests/fixtures/regression_colon_quote.jsonl, written for the project (never
taken from evaluation data or the seed articles). Kinds:
- ``harmful_quote``: a quoted call to violence or threat is news reporting: the passage
  is ``news_reporting``, no own-voice harmful label, and a ``quoted_propaganda`` span
  overlaps the quoted block (``spans``);
- ``benign_quote``: a mayor's statement, a weather warning: no harmful label and no
  ``quoted_propaganda`` span;
- ``not_speech``: a colon that introduces no speech (a list, a heading, a time, a Q&A):
  no harmful label and no ``quoted_propaganda`` span;
- ``own_voice``: the author's own words after "my opinion:": never a quotation (no
  ``quoted_propaganda`` span, no context label).
In every kind, no ``quoted_propaganda`` span covers the attribution line (``intro``).
A row with ``previous`` is the second passage of its document, after a passage ending
with the attribution line (the quoted block was split off into its own passage).
Labels and spans are checked by separate tests, so that a label miss does not hide
whether the quoted block got its span.
"""

from __future__ import annotations

import json

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, PassageInput, load_classifier
from tests.conftest import FIXTURES, ROOT, known_miss_params

FILE = FIXTURES / "regression_colon_quote.jsonl"
QUOTED = "quoted_propaganda"

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)

# Known misses of the default model (strict xfail: a fixed one fails the test, so the
# lists cannot go stale), each also summarised in the model card's limitations.
LABEL_MISSES: dict[str, str] = {
    # cq-01, cq-02, cq-26 and cq-27 (quoted calls read as own-voice harmful) pass since
    # the rule quoted_blocks_by_content; cq-17 (a school letter read as a threat) too,
    # for the wrong reason: its block reads as a threat alone (SPAN_MISSES)
    # cq-24 (an own-voice threat after "Here is my opinion:" read as counter_speech)
    # passes since a threat the grammar reads keeps its label (keep_threat, stop 43)
    # cq-30 (a train timetable after 'Here are the main changes:' scored as incitement)
    # passes since the neutral contrast sentences (data/project/neutral_contrast.jsonl,
    # stop 44) taught the harmful heads everyday instructions
}
SPAN_MISSES: dict[str, str] = {
    # cq-14 (a weather warning after "issued the following warning:", quoted_propaganda
    # 0.712) passes since a block is flagged quoted only after a line that reports
    # someone else's words (quote_blocks.with_quote_blocks): the span head reads it
    # unquoted and marks nothing
    # cq-15 (a club statement after "The club's statement reads:" given a quoted span,
    # 0.32 against 0.3044 in default@64b15ee6d17e) passes since the model is trained on
    # the text prelabel reads (stop 50): the span threshold rose to 0.3864
    "cq-17": "the letter's bus times read alone score as violent_threat, so the block is "
    "called quoted violent speech (quoted_blocks_by_content)",
    # cq-24 (its threat a quoted span in a passage read as counter_speech) passes with
    # the label since stop 43 (keep_threat)
}


def _rows() -> list[dict]:
    return [json.loads(x) for x in FILE.read_text(encoding="utf-8").splitlines() if x.strip()]


def _params(misses: dict[str, str]) -> list:
    return known_miss_params(_rows(), misses, lambda row: f"{row['kind']}-{row['doc_id']}")


def test_fixtures_cover_every_kind() -> None:
    kinds: dict[str, int] = {}
    for row in _rows():
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
        for s in row["spans"]:
            assert s["text"] in row["text"], row["doc_id"]
        assert (row["kind"] == "harmful_quote") == bool(row["spans"]), row["doc_id"]
        if row["intro"]:
            assert row["text"].count(row["intro"] + "\n") == 1, row["doc_id"]
    assert set(kinds) == {"harmful_quote", "benign_quote", "not_speech", "own_voice"}
    assert kinds["harmful_quote"] >= 10 and kinds["not_speech"] >= 5, kinds


@pytest.fixture(scope="module")
def predictions():
    """Every fixture predicted as its own document, in one call: the passage alone, or
    after its ``previous`` passage (which ends with the attribution line: ingest splits
    paragraphs into passages, so the quoted block often opens the next passage)."""
    from annotate.taxonomy import load_taxonomy

    clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
    inputs = []
    for r in _rows():
        if r.get("previous"):
            inputs.append(PassageInput(f"{r['doc_id']}:0", r["previous"], r["doc_id"], None, 0))
        inputs.append(PassageInput(r["doc_id"], r["text"], r["doc_id"], None, 1))
    return {i.id: p for i, p in zip(inputs, clf.predict(inputs), strict=True)}


def _overlapping(pred, a: int, b: int) -> list:
    return [s for s in pred.spans if s.label == QUOTED and s.start < b and a < s.end]


@pytest.mark.parametrize("row", _params(LABEL_MISSES))
def test_colon_quote_labels(row, predictions) -> None:
    pred = predictions[row["doc_id"]]
    got = set(pred.labels)
    missing = [m for m in row["must"] if m not in got]
    forbidden = [m for m in row["must_not"] if m in got]
    scores = {k: round(v, 3) for k, v in pred.scores.items()}
    assert not missing and not forbidden, (
        f"{row['doc_id']}: predicted {sorted(got)}; missing {missing}, forbidden "
        f"{forbidden}; scores {scores}; {row['text']!r}"
    )


@pytest.mark.parametrize("row", _params(SPAN_MISSES))
def test_colon_quote_spans(row, predictions) -> None:
    pred = predictions[row["doc_id"]]
    text = row["text"]
    problems = []
    for gold in row["spans"]:
        a = text.index(gold["text"])
        if not _overlapping(pred, a, a + len(gold["text"])):
            problems.append(f"no {QUOTED} span over the quoted block {gold['text'][:50]!r}")
    if row["intro"]:
        a = text.index(row["intro"] + "\n")
        if _overlapping(pred, a, a + len(row["intro"])):
            problems.append(f"a {QUOTED} span on the attribution line {row['intro']!r}")
    if row["kind"] != "harmful_quote" and any(s.label == QUOTED for s in pred.spans):
        problems.append(f"a {QUOTED} span in a passage that quotes no harmful speech")
    shown = [(s.label, text[s.start : s.end][:40], s.score) for s in pred.spans]
    assert not problems, f"{row['doc_id']}: {'; '.join(problems)}; spans {shown}; {text!r}"


def test_default_model_reads_the_previous_passage() -> None:
    """With ``colon_quote_blocks`` the model looks at the previous passage's last line, so
    prelabel and evaluate windows must carry one neighbour on each side."""
    from annotate.classifier.base import context_passages
    from annotate.taxonomy import load_taxonomy

    clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
    assert clf.config.colon_quote_blocks
    assert context_passages(clf) == 1


def test_prelabel_windows_carry_the_attribution_line(tmp_path) -> None:
    """Pre-labelled one passage per window, a block split off from its attribution line
    gets the spans it gets in the whole document (the window carries the neighbour)."""
    from annotate.prelabeling import prelabel
    from annotate.taxonomy import load_taxonomy

    split = [r for r in _rows() if r.get("previous") and r["spans"]]
    table = tmp_path / "in.jsonl"
    lines = []
    for r in split:
        for i, text in enumerate((r["previous"], r["text"])):
            lines.append({"id": f"{r['doc_id']}:{i}", "doc_id": r["doc_id"], "passage_index": i})
            lines[-1]["text"] = text
    table.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"), batch_size=1)
    prelabel(table, tmp_path / "whole.jsonl", classifier=clf, chunk_size=len(lines))
    prelabel(table, tmp_path / "win.jsonl", classifier=clf, chunk_size=1)
    whole, win = (
        [json.loads(x) for x in (tmp_path / n).read_text().splitlines()]
        for n in ("whole.jsonl", "win.jsonl")
    )
    assert [r["spans"] for r in win] == [r["spans"] for r in whole]
    assert any(s["label"] == QUOTED for r in win for s in r["spans"])
