"""The rule ``quoted_blocks_by_content`` on posts laid out to slip an own-voice call past
it (a new user's adversarial inputs, 2 Dec 2026): CRLF line endings, a no-break space on
the blank line, the author's call on the line after the quoted speech with no blank line,
a call of fewer than four words. A real own-voice call never loses its harmful label
because of how it is laid out after a colon line. Fake head first (a text read alone is a
threat when it says "kill"), then the default model."""

from __future__ import annotations

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, PassageInput, load_classifier
from annotate.classifier.quote_blocks import block_ranges, first_paragraph, quote_blocks
from tests.classifier.test_quoted_content import INTRO, SPEECH, _run
from tests.conftest import ROOT

OWN = "Brothers, go and kill them all tonight."


@pytest.mark.parametrize("blank", ["\r\n\r\n", "\n\u00a0\n", "\n \t\r\n"])
def test_a_blank_line_of_white_space_ends_the_block(blank: str) -> None:
    text = (INTRO + SPEECH + blank + "The army did not comment.").replace("\n\n", blank, 1)
    [(_, (a, b))] = quote_blocks(text)
    assert text[a:b] == SPEECH


def test_a_crlf_block_split_off_from_its_attribution_ends_at_its_blank_line() -> None:
    text = SPEECH + "\r\n\r\n" + OWN
    blocks, _ = block_ranges(text, follows_attribution=True)
    assert [text[a:b] for a, b in blocks] == [SPEECH]


@pytest.mark.parametrize(
    ("block", "quoted"),
    [
        (SPEECH + "\n" + OWN, SPEECH),  # the next line is its own paragraph
        (SPEECH + "\r\n" + OWN, SPEECH),
        ("Kill them in their homes and\nburn what is left.", None),  # soft-wrapped: one
        ("Kill them in their homes", None),
    ],
)
def test_first_paragraph(block: str, quoted: str | None) -> None:
    text = INTRO + block
    a = len(INTRO)
    got = first_paragraph(text, (a, len(text)))
    assert text[slice(*got)] == (quoted or block)


@pytest.mark.parametrize(
    "text",
    [
        INTRO + SPEECH + "\n" + OWN,  # the call on the next line, no blank line
        INTRO + SPEECH + "\n\nKill them all!",  # a call of three words
        (INTRO + SPEECH + "\n\n" + OWN).replace("\n", "\r\n"),
        INTRO + SPEECH + "\n\u00a0\n" + OWN,
    ],
    ids=["single-newline", "short-call", "crlf", "nbsp-blank-line"],
)
def test_an_own_voice_call_after_the_quote_keeps_the_harmful_label(text: str) -> None:
    labels, spans, _, _ = _run(text, ["violent_threat"])
    assert labels == ["violent_threat"]
    assert [text[s.start : s.end] for s in spans] == [SPEECH]  # the quotation only


def test_the_call_split_off_with_its_quote_keeps_the_label() -> None:
    text = SPEECH + "\r\n\r\n" + OWN  # a CRLF file's passage after the attribution line
    labels, _, _, _ = _run(text, ["violent_threat"], follows=True)
    assert labels == ["violent_threat"]


def test_a_soft_wrapped_quote_is_still_reported_speech() -> None:
    text = INTRO + "Kill them in their homes and\nburn what is left of their town."
    labels, spans, _, _ = _run(text, ["violent_threat"])
    assert labels == ["news_reporting"]
    assert [text[s.start : s.end] for s in spans] == [text[len(INTRO) :]]


# ---------------------------------------------------------------- the default model
HARMFUL = {"violent_threat", "incitement", "extremist_propaganda"}
M_INTRO = "The commander of the brigade, in his latest message to the fighters, said:"
M_SPEECH = "Strike the crusaders wherever you find them and show them no mercy."
M_OWN = (
    "Answer his call, brothers. Take up your weapons tonight and kill every one of them "
    "you can reach."
)
needs_model = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)


@pytest.fixture(scope="module")
def clf():
    from annotate.taxonomy import load_taxonomy

    return load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))


def _labels(clf, *texts: str) -> list[str]:
    inputs = [
        PassageInput(id=f"p{k}", text=t, doc_id="d", passage_index=k) for k, t in enumerate(texts)
    ]
    return clf.predict(inputs)[-1].labels


@needs_model
@pytest.mark.parametrize(
    "texts",
    [
        # `annotate ingest` of a CRLF forum post: the attribution line ends passage 0
        ("Thread: the brigade's new message\r\n\r\n" + M_INTRO, M_SPEECH + "\r\n\r\n" + M_OWN),
        ("Thread: the brigade's new message\n" + M_INTRO, M_SPEECH + "\n" + M_OWN),
        (M_INTRO + "\n" + M_SPEECH + "\n" + M_OWN,),
    ],
    ids=["ingested-crlf", "ingested-single-newline", "one-passage-single-newline"],
)
def test_default_model_keeps_the_own_voice_call(clf, texts: tuple[str, ...]) -> None:
    assert HARMFUL & set(_labels(clf, *texts))


@needs_model
@pytest.mark.xfail(
    strict=True,
    reason="known miss of the rule: an endorsement of the quoted call that is not violent "
    "read alone ('He is right and every one of us should follow his words tonight') is "
    "no call of its own to the rule, which reads the rest without the quotation it "
    "endorses, so the passage becomes news_reporting (extremist_propaganda without the rule)",
)
def test_default_model_endorsement_of_the_quote_stays_harmful(clf) -> None:
    text = (
        M_INTRO + "\n\n" + M_SPEECH + "\n\nHe is right and every one of us should follow "
        "his words tonight."
    )
    assert HARMFUL & set(_labels(clf, text))


@needs_model
def test_default_model_forum_reply_endorsing_a_quoted_call_stays_harmful(clf) -> None:
    """A known miss until default@56b1633b446b (read as a report of the quoted words,
    news_reporting); since its threat member: violent_threat 0.226 against the threshold
    0.225, a thin margin (the same on default@a2d7572cd296), lost by default@5f1e8e173430
    and default@84e5e5b3b231 (0.2244, a known miss then), passed again by
    default@7f5e640fb89f (0.2259 against 0.2253: rebuilt on an AVX-512 CPU with the
    sentence examples, which leave the threat member untouched). Still a thin margin."""
    text = (
        "Quote from ironfist77:\n\nWe should burn their mosque down and kill everyone "
        "inside.\n\nAgreed 100%, see you there."
    )
    assert HARMFUL & set(_labels(clf, text))
