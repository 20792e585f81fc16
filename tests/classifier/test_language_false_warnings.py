"""break6 K3-K5: prelabel's script and language checks warned on English passages.

K3: with the script bar at 3 letters, emoticons and kaomoji drawn with other scripts'
letters (``ಠ_ಠ``, ``ツツツ``, ``ლ(ಠ_ಠლ)``) were "Kannada script" or "Katakana script", and a
tie (``ಠ_ಠ ok``) went to the other script. K4: a conversation's speaker label
(``Дмитрий: ok``), which the model does not read, made the line Cyrillic. K5: English with
a few Hangul or Kana words ("I love 방탄소년단 so much!!") was named Korean or Japanese by
py3langid although its letters are mostly Latin. Each such passage got no pre-selection
and went up the review queue."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.classifier.writing_system import (
    dominant_script,
    foreign_script,
    model_scripts,
    word_letters,
)
from annotate.prelabeling import PrelabelStats, count_foreign
from annotate.table_schemas import LANGUAGE_WARNING_COLUMN

LATIN = model_scripts(["en"])


@pytest.mark.parametrize(
    "text",
    [
        "ಠ_ಠ",
        "ಠ_ಠ ಠ_ಠ",
        "ಥ_ಥ ಥ_ಥ",
        "ಠ_ಠ ok",
        "ツツツ",
        "ツ ツ ツ",
        "(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧",
        "ლ(ಠ_ಠლ)",
        "ლ(ಠ益ಠლ)",
        "ᕕ( ᐛ )ᕗ",
        "凸(｀⌒´メ)凸",
        "ʕ•ᴥ•ʔ",
        "аб ab",  # a tie: no script's
    ],
)
def test_emoticons_and_ties_are_no_foreign_script(text: str) -> None:
    assert foreign_script(text, LATIN) is None


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Убью", "CYRILLIC"),
        ("سأقتلك غدا.", "ARABIC"),
        ("سَأَقْتُلُكَ", "ARABIC"),  # vowel signs (combining marks) inside the word
        ("ಕೊಲ್ಲುತ್ತೇನೆ", "KANNADA"),  # vowel signs and viramas inside the word
        ("मैं तुम्हें मार डालूँगा", "DEVANAGARI"),
        ("我会杀了你", "CJK"),
        ("ロマンシア", "KATAKANA"),
        ("죽여버릴거야", "HANGUL"),
        ("ツイッター", "KATAKANA"),  # ツ, an emoticon letter, left out; the word counted
    ],
)
def test_words_of_other_scripts_are_still_named(text: str, script: str) -> None:
    assert foreign_script(text, LATIN) == script


def _warnings(rows: list[dict[str, Any]]) -> list[str | None]:
    stats = PrelabelStats(trained_languages=["en"])
    count_foreign(stats, LATIN, rows)
    return [r[LANGUAGE_WARNING_COLUMN] for r in rows]


def test_a_conversations_speaker_labels_are_not_judged() -> None:
    rows = [
        {"id": "a", "doc_id": "chat", "text": "Дмитрий: ok"},
        {"id": "b", "doc_id": "chat", "text": "محمد: lol"},
        {"id": "c", "doc_id": "chat", "text": "田中: ok"},
        {"id": "e", "doc_id": "chat", "text": "Alice: Я найду тебя и убью"},
    ]
    assert _warnings(rows) == [
        None,
        None,
        None,
        "Cyrillic script (the model was trained on en text)",
    ]
    # ingest's record of the document says so too
    row = {"id": "x", "text": "Дмитрий: ok", "conversation": True}
    assert _warnings([row]) == [None]


@pytest.mark.parametrize(
    "text",
    [
        "I love 방탄소년단 so much!!",
        "Merry Christmas! 메리 크리스마스",
        "thank you so much ありがとう",
    ],
)
def test_english_with_a_few_words_of_another_script_is_not_named_by_language(text: str) -> None:
    assert dominant_script(text) == "LATIN"
    assert _warnings([{"id": "x", "text": text}]) == [None]


def test_other_languages_are_still_named() -> None:
    spanish = "Hola, te voy a encontrar y te voy a matar.\nEsto es una amenaza seria."
    assert _warnings(
        [{"id": "es", "text": spanish}, {"id": "ko", "text": "죽여버릴거야 진짜로"}]
    ) == [
        "Spanish, identified by py3langid 0.4.0 (the model was trained on en text)",
        "Hangul script (the model was trained on en text)",
    ]


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("ツアー", {"KATAKANA": 2, "KATAKANA-HIRAGANA": 1}),  # ツ was left out of "tour"
        ("ಕಥೆ", {"KANNADA": 2}),  # "story": ಥ was left out, and ಕ alone was no word
        ("凸显", {"CJK": 2}),
        ("ಠ益ಠ", {}),  # between letters of another script: still an emoticon's
        ("ツツツ ಠ_ಠ", {}),
    ],
)
def test_emoticon_letters_count_in_words_of_their_script(text: str, letters: dict) -> None:
    """break7 L10: ツ, ಠ, ಥ, 凸 are letters of real words too."""
    assert dict(word_letters(text)) == letters


def test_japanese_kanji_and_kana_are_one_writing_system() -> None:
    """break7 L10: "私は学生です" (3 kanji, 3 hiragana) was a tie, no script's."""
    assert dominant_script("私は学生です") == "HIRAGANA"
    assert foreign_script("私は学生です", LATIN) == "HIRAGANA"
    assert foreign_script("私は学生です", model_scripts(["ja"])) is None
    assert dominant_script("학교에서 學校") == "HANGUL"
    assert dominant_script("ab аб 私は") is None  # the group has no more than half either
