"""A subtitle cue ending in an ellipsis is joined with the next cue only when the next
one goes on with its sentence (annotate.classifier.cue_sentences.opens_sentence): the
title cue "Previously on Harbour Nights..." (none, 0.004 alone) was read with the next
cue's threat and took its violent_threat (0.295, no span; passC50 R5, stop 50's
leftover of issue 8). A next cue opening with an upper-case letter (not "I") starts a
new sentence; one opening with an ellipsis, a lower-case letter or "I" goes on.

Fixtures (tests/fixtures/regression_cues.jsonl, written for the project): subtitle
files as cues, kinds ``trails_off`` (a cue trailing off before another sentence: the
neighbour's threat must not land on it) and ``goes_on`` (a threat continued after an
ellipsis: still read as one sentence)."""

from __future__ import annotations

import json

import pytest

from annotate.classifier import load_classifier, turn_text
from annotate.classifier.base import PassageInput, Prediction
from annotate.classifier.cue_sentences import opens_sentence
from tests.conftest import FIXTURES, ROOT

FILE = FIXTURES / "regression_cues.jsonl"
TITLE = "<i>Previously on Harbour Nights...</i>"
THREAT = "You talk to the cops again and I'll slit your throat, understand?"


class _Threat:
    """Flags violent_threat (0.3, no evidence span: under its threshold) on any text
    holding 'slit'; none otherwise. Records what it reads."""

    version = "stub"
    harmful = frozenset({"violent_threat"})

    def __init__(self) -> None:
        self.read: list[str] = []

    def predict(self, passages, *, progress=None):
        self.read += [p.text for p in passages]
        out = []
        for p in passages:
            hit = "slit" in p.text
            scores = {"violent_threat": 0.3 if hit else 0.004, "none": 0.2 if hit else 0.9}
            out.append(Prediction(scores, ["violent_threat"] if hit else ["none"], []))
        return out


def _cues(texts: list[str], doc: str = "episode.srt") -> list[PassageInput]:
    return [
        PassageInput(id=str(i), text=t, doc_id=doc, passage_index=i) for i, t in enumerate(texts)
    ]


def test_title_cue_trailing_off_does_not_take_the_next_cues_threat() -> None:
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues([TITLE, THREAT, "I understand."]))
    # each cue read alone: the title's ellipsis ends it before "You ..."
    assert clf.read == ["Previously on Harbour Nights...", THREAT, "I understand."]
    assert [p.labels for p in preds] == [["none"], ["violent_threat"], ["none"]]


@pytest.mark.parametrize(
    ("second", "joined"),
    [
        ("You will pay for this.", False),  # upper case: a new sentence
        ('"Run," he said.', False),  # a quote opening with upper case
        ("...and I mean it.", True),  # the older style: an ellipsis both sides
        ("…and I mean it.", True),
        ("and I mean it.", True),  # lower case: the sentence goes on
        ("I mean it.", True),  # "I" says nothing by its capital (Netflix's example)
        ("I'll find you.", True),
        ("20 years from now.", True),
        ("<v Bob>and I mean it.", False),  # another speaker, as before
        ("- and I mean it.", False),  # a dialogue line, as before
        ("(sighs) You will pay for this.", False),  # past an SDH description (break5 B1)
        ("[Bob] You will pay for this.", False),
        ("(sighs) and I mean it.", True),
        ("[tense music playing]", False),  # a sound cue: read alone
    ],
)
def test_an_ellipsis_goes_on_only_into_a_cue_going_on_with_it(second: str, joined: bool) -> None:
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(["If you ever do that again...", second], "a.vtt"))
    assert (clf.read[0] == f"If you ever do that again... {second}") is joined, clf.read[0]


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("You", True),
        ("Élan", True),
        ("(Sighs)", True),
        ("Iago", True),
        ("I", False),
        ("and", False),
        ("...And", False),
        ("… And", False),
        ("3", False),
        ("", False),
        ("[tense music playing]", True),  # descriptions only: no part of the sentence
        ("(sighs) You die.", True),
        ("[door slams] (sighs) You die.", True),
        ("(sighs) and then", False),
    ],
)
def test_opens_sentence(text: str, new: bool) -> None:
    assert opens_sentence(text) is new


def test_full_stop_and_no_punctuation_unchanged() -> None:
    """Only the ellipsis rule moved: a cue without end punctuation still goes on into
    an upper-case cue, and one with a full stop still ends."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(["I know where you live,", "You rat.", "Bye."], "b.srt"))
    assert clf.read[:3] == [
        "I know where you live, You rat.",
        "I know where you live, You rat.",
        "Bye.",
    ]


def test_a_sound_cue_between_keeps_the_title_apart_from_the_threat() -> None:
    """break5 B1: the lowercase sound cue between them read as "goes on" and, having no
    end mark, joined the title with the threat (R5 again)."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues([TITLE, "[tense music playing]", THREAT], "a.srt"))
    assert clf.read == ["Previously on Harbour Nights...", "[tense music playing]", THREAT]
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(["Wait...", f"(sighs) {THREAT}"], "a.srt"))
    assert clf.read == ["Wait...", f"(sighs) {THREAT}"]


@pytest.mark.parametrize(
    "first", ["You did what...?", "Previously on Harbour Nights...!", "Wait..?"]
)
def test_an_ellipsis_before_a_question_or_exclamation_mark_ends_the_sentence(first: str) -> None:
    """break5 B14: "...?" and "...!" joined any next cue, while a bare "..." ended one."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues([first, THREAT], "a.srt"))
    assert clf.read == [first, THREAT]


def _rows() -> list[dict]:
    return [json.loads(x) for x in FILE.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def predictions() -> dict[str, list[Prediction]]:
    if not (ROOT / "models" / "default" / "annotate_model.json").exists():
        pytest.skip("models/default is not built (run `make model`)")
    from annotate.taxonomy import load_taxonomy

    clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
    rows = _rows()
    inputs = [
        PassageInput(id=f"{r['doc_id']}-{i}", text=c["text"], doc_id=r["doc_id"], passage_index=i)
        for r in rows
        for i, c in enumerate(r["cues"])
    ]
    preds = iter(turn_text.predict_turns(clf, inputs))
    return {r["doc_id"]: [next(preds) for _ in r["cues"]] for r in rows}


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['kind']}-{r['doc_id']}")
def test_cue_fixture(row, predictions) -> None:
    problems = []
    for i, (cue, pred) in enumerate(zip(row["cues"], predictions[row["doc_id"]], strict=True)):
        got = set(pred.labels)
        scores = {k: round(v, 3) for k, v in pred.scores.items()}
        problems += [f"cue {i}: missing {m} {scores}" for m in cue["must"] if m not in got]
        problems += [f"cue {i}: forbidden {m} {scores}" for m in cue["must_not"] if m in got]
    assert not problems, f"{row['doc_id']}: {problems}"


def test_fixtures_cover_every_kind() -> None:
    assert {r["kind"] for r in _rows()} == {"trails_off", "goes_on"}
