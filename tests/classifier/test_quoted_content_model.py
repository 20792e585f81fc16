"""The rule ``quoted_blocks_by_content`` on the default model (issue 8, point 5: a
quotation with an attribution is news reporting with a quoted span; the author's own
call is not). Passages written for these tests, never taken from evaluation data or the
seed articles; the rule itself with a fake head: tests/classifier/test_quoted_content.py.
"""

from __future__ import annotations

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, PassageInput, load_classifier
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)

INTRO = "The commander of the brigade, in his latest message to the fighters, said:\n\n"
SPEECH = "Strike the crusaders wherever you find them and show them no mercy."
HARMFUL = {"violent_threat", "incitement", "extremist_propaganda"}


@pytest.fixture(scope="module")
def clf():
    from annotate.taxonomy import load_taxonomy

    model = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
    assert model.config.quoted_blocks_by_content
    return model


def _predict(clf, text: str, previous: str | None = None):
    inputs = [PassageInput(id="p", text=text, doc_id="d", passage_index=1)]
    if previous is not None:
        inputs.insert(0, PassageInput(id="q", text=previous, doc_id="d", passage_index=0))
    return clf.predict(inputs)[-1]


def _quoted(text: str, pred) -> list[str]:
    return [text[s.start : s.end] for s in pred.spans if s.label == "quoted_propaganda"]


def test_a_report_of_the_speech_is_news_with_the_speech_as_its_quoted_span(clf) -> None:
    text = (
        INTRO
        + SPEECH
        + (
            "\n\nThe message was removed from the platform within an hour, a spokesperson "
            "for the company said."
        )
    )
    pred = _predict(clf, text)
    assert not HARMFUL & set(pred.labels), pred
    assert "news_reporting" in pred.labels
    assert any(SPEECH in q or q in SPEECH for q in _quoted(text, pred))


def test_the_authors_own_call_after_the_quoted_speech_stays_harmful(clf) -> None:
    text = (
        INTRO
        + SPEECH
        + (
            "\n\nAnswer his call, brothers. Take up your weapons tonight and kill every one "
            "of them you can reach."
        )
    )
    pred = _predict(clf, text)
    assert HARMFUL & set(pred.labels), pred
    assert any(SPEECH in q or q in SPEECH for q in _quoted(text, pred))


def test_a_statement_split_off_from_its_attribution_line(clf) -> None:
    previous = (
        "The kidnappers released a second video on Tuesday. The statement read out by "
        "one of the masked men says:"
    )
    text = "If our demands are not met by Friday, the hostages will be executed one by one."
    pred = _predict(clf, text, previous)
    assert not HARMFUL & set(pred.labels), pred
    assert pred.labels == ["news_reporting"]
    assert _quoted(text, pred) == [text]


@pytest.mark.parametrize(
    "intro",
    [
        "Message to the traitors who run this town:",
        "A final statement for the cowards at the mosque on Elm Street:",
    ],
)
def test_an_own_voice_threat_after_an_address_line_keeps_its_label(clf, intro) -> None:
    text = intro + "\n\nWe will burn your houses with your children inside. You have until Friday."
    pred = _predict(clf, text)
    assert HARMFUL & set(pred.labels), pred
    assert "news_reporting" not in pred.labels


def test_an_order_to_the_reader_is_not_reported_speech(clf) -> None:
    text = (
        "Read this carefully, all of you who voted for the new mayor:\n\n"
        "You will be hunted down and killed one by one."
    )
    pred = _predict(clf, text)
    assert "news_reporting" not in pred.labels, pred


OWN_THREATS = [
    "We will burn your houses with your children inside. You have until Friday.",
    "I will find each of you and put a bullet in your head. Count the days.",
]
ADDRESS_LINES = [
    "Message to the traitors who run this town:",
    "A final statement for the cowards at the depot:",
]


def _own_voice(clf, text: str, pred) -> list[str]:
    own = set(clf.config.own_voice_spans)
    return [text[s.start : s.end] for s in pred.spans if s.label in own]


@pytest.mark.parametrize("threat", OWN_THREATS)
@pytest.mark.parametrize("intro", ADDRESS_LINES)
def test_an_own_voice_threat_after_an_address_line_gets_an_own_voice_span(
    clf, intro, threat
) -> None:
    """A line that names whom the words are for reports nobody's words: the block after
    it is the author's own threat, its evidence an own-voice span (threat,
    call_to_violence), never a quoted_propaganda one."""
    text = f"{intro}\n\n{threat}"
    pred = _predict(clf, text)
    assert HARMFUL & set(pred.labels), pred
    assert not _quoted(text, pred), pred
    own = _own_voice(clf, text, pred)
    assert own and all(o in threat for o in own), pred


@pytest.mark.parametrize("intro", ADDRESS_LINES)
def test_an_own_voice_threat_split_off_from_an_address_line(clf, intro) -> None:
    threat = OWN_THREATS[0]
    pred = _predict(clf, threat, previous=intro)
    assert HARMFUL & set(pred.labels), pred
    assert not _quoted(threat, pred), pred
    assert _own_voice(clf, threat, pred), pred


REPORTED = "The commander said in a video released on Monday:"
CALL = (
    "Kill the soldiers of the occupier wherever you find them and burn their bases to the ground."
)


def test_a_reported_call_keeps_its_quoted_span(clf) -> None:
    text = f"{REPORTED}\n\n{CALL}"
    pred = _predict(clf, text)
    assert pred.labels == ["news_reporting"], pred
    assert _quoted(text, pred) == [CALL], pred
    assert not _own_voice(clf, text, pred), pred


def test_a_reported_call_split_off_keeps_its_quoted_span(clf) -> None:
    pred = _predict(clf, CALL, previous=REPORTED)
    assert pred.labels == ["news_reporting"], pred
    assert _quoted(CALL, pred) == [CALL], pred
