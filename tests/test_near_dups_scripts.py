"""Near-duplicates in scripts written without spaces (Chinese, Japanese, Thai), mixed
texts, words with combining marks and texts under three words (real datasketch MinHash,
DuckDB band index). The texts are written for these tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import annotate.ingestion.near_dups as near_dups
from annotate.ingestion.near_dups import jaccard, shingles
from tests.test_near_dups import _index_groups

# near-duplicates: one word (or a few characters) changed, punctuation aside
NEAR_PAIRS = {
    "zh": (
        "今天的新闻报道说，市政府决定明年开始在河上修建一座新的大桥，预计需要三年时间才能完工。",
        "今天的新闻报道说：市政府决定明年开始在河上修建一座新的大桥，预计需要两年时间才能完工",
    ),
    "ja": (
        "明日の午後三時に駅の前で待っています。遅れないように気をつけてください。よろしくお願いします。",
        "明日の午後四時に駅の前で待っています。遅れないように気をつけてください。よろしくお願いします。",
    ),
    "ja-latin": (
        "新しいiPhoneを買ったけど、バッテリーの持ちが悪くて本当にがっかりしました。返品しようかな。",
        "新しいPixelを買ったけど、バッテリーの持ちが悪くて本当にがっかりしました。返品しようかな。",
    ),
    "th": (
        "พรุ่งนี้เราจะไปเที่ยวทะเลกับครอบครัวตอนเช้า อย่าลืมเตรียมเสื้อผ้าและครีมกันแดดให้พร้อมนะ",
        "พรุ่งนี้เราจะไปเที่ยวทะเลกับครอบครัวตอนบ่าย อย่าลืมเตรียมเสื้อผ้าและครีมกันแดดให้พร้อมนะ",
    ),
    "th-threat": (
        "ถ้าคุณยังส่งข้อความแบบนี้มาอีก ฉันจะแจ้งความกับตำรวจและบอกทุกคนในหมู่บ้านให้รู้ว่าคุณทำอะไร",
        "ถ้าคุณยังส่งข้อความแบบนี้มาอีกครั้ง ฉันจะแจ้งความกับตำรวจและบอกทุกคนในหมู่บ้านให้รู้ว่าคุณทำอะไร",
    ),
}
# not near-duplicates: the same opening or topic, another message
OTHER_PAIRS = {
    "zh": (
        "我们明天下午三点在学校门口见面，不要迟到，记得带上你的作业和课本。",
        "我们明天下午三点在医院门口等你，请你一定要准时到达，不然医生就下班了。",
    ),
    "ja": (
        "明日の午後三時に駅の前で待っています。遅れないように気をつけてください。",
        "明日の午後は雨が降るそうなので、駅まで傘を持って行ったほうがいいと思います。",
    ),
    "th": (
        "พรุ่งนี้เราจะไปเที่ยวทะเลกับครอบครัวตอนเช้า อย่าลืมเตรียมเสื้อผ้าให้พร้อมนะ",
        "พรุ่งนี้เราจะไปทำงานที่บริษัทแต่เช้า เพราะหัวหน้าเรียกประชุมด่วนเรื่องงบประมาณ",
    ),
}
UNRELATED = "Volunteers planted four hundred trees along the northern road last weekend."


@pytest.mark.parametrize("name", sorted(NEAR_PAIRS))
def test_unspaced_near_duplicates_are_grouped(name: str) -> None:
    """A one-word edit of a 40-90 character post: Jaccard 0.82-0.87 on character
    shingles. As one "word" per clause (``\\w+``) the Chinese and Japanese pairs were at
    0 and the Thai ones (cut at each vowel sign) at 0.58-0.67: none was grouped."""
    a, b = NEAR_PAIRS[name]
    assert 0.8 < jaccard(a, b) < 0.9
    groups = _index_groups([("p1", "d1", a), ("p2", "d2", UNRELATED), ("p3", "d3", b)])
    assert groups == {"p1": "p1", "p3": "p1"}


@pytest.mark.parametrize("name", sorted(OTHER_PAIRS))
def test_unspaced_texts_sharing_an_opening_are_not_grouped(name: str) -> None:
    a, b = OTHER_PAIRS[name]
    assert 0.05 <= jaccard(a, b) < 0.3  # some shingles in common: found at 0.05
    assert _index_groups([("p1", "d1", a), ("p2", "d2", b)]) == {}
    assert _index_groups([("p1", "d1", a), ("p2", "d2", b)], threshold=0.05) != {}


def test_a_chinese_one_word_edit_sits_where_an_english_one_does() -> None:
    """所有人 -> 大家 (three characters for two) in a 40-character post of about 25
    words is at 0.77, as one word of a 25-word English post (20/26): under the default
    0.8, found at 0.7."""
    a = "如果你再敢在网上发这种消息，我就把你家的地址公开给所有人，让你知道后果有多严重。"
    b = "如果你再敢在网上发这种消息，我就把你家的地址公开给大家，让你知道后果有多严重！"
    assert 0.75 < jaccard(a, b) < 0.8
    assert _index_groups([("p1", "d1", a), ("p2", "d2", b)]) == {}
    assert _index_groups([("p1", "d1", a), ("p2", "d2", b)], 0.7) == {"p1": "p1", "p2": "p1"}


def test_unspaced_shingles_are_character_ngrams_and_mixed_texts_flow_across() -> None:
    assert shingles("你好，世界！") == ["你 好 世".encode(), "好 世 界".encode()]
    assert shingles("ข่าวดี") == ["ข ่ า ว ด".encode(), "่ า ว ด ี".encode()]
    assert [s.decode() for s in shingles("今日はiPhoneを買った。")] == [
        "今 日 は",
        "日 は iphone",
        "は iphone を",
        "iphone を 買",
        "を 買 っ",
        "買 っ た",
    ]
    # two words and a South-East Asian character are not yet a full shingle
    assert shingles("hello world ข่าว")[0] == "hello world ข ่".encode()
    assert shingles("ｱｲ・ウ") == [
        "ア イ ウ".encode()
    ]  # half-width kana folded; the dot is punctuation


def test_words_keep_their_combining_marks() -> None:
    """``\\w`` cut नमस्ते at its vowel signs (marks): नमस, त."""
    assert shingles("नमस्ते दुनिया, आप कैसे हैं") == [
        "नमस्ते दुनिया आप".encode(),
        "दुनिया आप कैसे".encode(),
        "आप कैसे हैं".encode(),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "One two, three FOUR five",
        "Ça coûte très cher à Zürich, dit-il",
        "Привет мир, как твои дела сегодня",
        "Η γάτα κοιμάται στον καναπέ",
        "오늘 날씨가 정말 좋네요 산책 가요",
        "هذا النص مكتوب بالعربية بدون تشكيل",
        "snake_case and 42 numbers_too",
    ],
)
def test_spaced_texts_keep_their_word_trigrams(text: str) -> None:
    """The threshold means what it meant for scripts written with spaces: the shingles of
    a text without unspaced characters or combining marks are its word 3-grams."""
    words = re.findall(r"\w+", text.lower())
    assert shingles(text) == [" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)]


def test_texts_under_three_words_are_one_shingle_in_order() -> None:
    """They were compared as word sets: 'world hello' matched 'Hello world', 'no no'
    matched 'no'. Now a text too short for one full shingle is one shingle, so only the
    same words in the same order match (case and punctuation aside)."""
    assert shingles("Hi there") == [b"hi there"]
    assert shingles("你好") == ["你 好".encode()]
    assert _index_groups([("p1", "d1", "Hello world"), ("p2", "d2", "world hello")]) == {}
    assert _index_groups([("p1", "d1", "no no"), ("p2", "d2", "No")]) == {}
    got = _index_groups([("p1", "d1", "Hello, world!"), ("p2", "d2", "hello world")])
    assert got == {"p1": "p1", "p2": "p1"}


def test_an_ascii_text_never_builds_the_unit_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never() -> None:
        raise AssertionError("built for an ASCII text")

    monkeypatch.setattr(near_dups, "_units_pattern", never)
    assert shingles("plain ascii text here") == [b"plain ascii text", b"ascii text here"]


def test_ingest_marks_a_chinese_and_a_thai_repost_in_other_files(tmp_path: Path) -> None:
    """End to end: two files re-post, lightly edited, the passages of a third."""
    from annotate.ingestion import ingest

    zh, zh_copy = NEAR_PAIRS["zh"]
    th, th_copy = NEAR_PAIRS["th"]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{zh}\n\n{th}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"{zh_copy}\n", encoding="utf-8")
    (folder / "c.txt").write_text(f"{th_copy}\n\n{OTHER_PAIRS['ja'][0]}\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    stats = ingest([folder], out, min_chars=0, max_chars=400)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    group = {r["text"]: r["near_dup_group"] for r in rows}
    by_text = {r["text"]: r["id"] for r in rows}
    assert group[zh] == group[zh_copy] == by_text[zh]
    assert group[th] == group[th_copy] == by_text[th]
    assert group[OTHER_PAIRS["ja"][0]] is None
    assert stats.near_dup_groups == 2 and stats.near_duplicates == 2
