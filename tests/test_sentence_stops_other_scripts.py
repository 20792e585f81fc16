"""Sentences in scripts whose full stop is not ``.`` (Chinese and Japanese ``。！？``,
Hindi ``।``, Arabic ``؟``) end there, in ingest's passage splitting and in the
classifier's sentence ranges (span candidates): a Chinese text is no longer one
"sentence" hard-cut every ``max_chars`` characters mid-word (passB50 Q5)."""

from __future__ import annotations

import logging

import pytest

from annotate.classifier.features import sentence_ranges
from annotate.ingestion.splitter import Segment, sentences, split_passages

ZH = "今天市议会讨论了新的公交路线和图书馆的预算问题。"  # 24 characters, one sentence


def test_chinese_text_is_split_at_sentence_ends(caplog: pytest.LogCaptureFixture):
    text = ZH * 60  # 1440 characters, no white space
    with caplog.at_level(logging.WARNING):
        passages = split_passages(text, max_chars=700, min_chars=80)
    assert not [r for r in caplog.records if "cutting" in r.getMessage()]
    assert len(passages) == 3
    for p in passages:
        piece = text[p.start : p.end]
        assert piece.endswith("。") and piece.startswith("今天")  # whole sentences
        assert len(piece) <= 700
    assert passages[0].start == 0 and passages[-1].end == len(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("你好吗？我很好。「走吧！」他说。", ["你好吗？", "我很好。", "「走吧！」", "他说。"]),
        ("元気ですか？はい、元気です。", ["元気ですか？", "はい、元気です。"]),
        ("यह एक वाक्य है। यह दूसरा है।", ["यह एक वाक्य है।", "यह दूसरा है।"]),
        ("هل أنت بخير؟ نعم أنا بخير.", ["هل أنت بخير؟", "نعم أنا بخير."]),
    ],
)
def test_sentence_ends_of_other_scripts(text: str, want: list[str]):
    assert [text[s.start : s.end] for s in sentences(text, Segment(0, len(text)))] == want
    assert [text[a:b] for a, b in sentence_ranges(text)] == want


def test_english_sentence_ends_unchanged():
    text = "He said 'go.' Then he left. Mr. Smith stayed, e.g. at 5 p.m. today"
    assert [text[a:b] for a, b in sentence_ranges(text)] == [
        "He said 'go.",
        "' Then he left.",
        "Mr. Smith stayed, e.g. at 5 p.m. today",
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # break4 B6: a CJK-IME user's decimal or version number ("3。5") is not cut
        ("Version 3。5 is out. I will kill you.", ["Version 3。5 is out.", "I will kill you."]),
        ("价格是３．５元。我们走吧。", ["价格是３．５元。", "我们走吧。"]),
        ("第3。共5。", ["第3。", "共5。"]),  # a stop after a number, before none: ends
        # the fullwidth full stop (U+FF0E) of fullwidth Latin text ends a sentence
        (
            "Ｉ ｗｉｌｌ ｋｉｌｌ ｙｏｕ．Ｎｅｘｔ ｔｉｍｅ．",
            ["Ｉ ｗｉｌｌ ｋｉｌｌ ｙｏｕ．", "Ｎｅｘｔ ｔｉｍｅ．"],
        ),
    ],
)
def test_a_full_stop_between_digits_goes_on_and_the_fullwidth_one_ends(
    text: str, want: list[str]
) -> None:
    assert [text[a:b] for a, b in sentence_ranges(text)] == want
    assert [text[s.start : s.end] for s in sentences(text, Segment(0, len(text)))] == want
