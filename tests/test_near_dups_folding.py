"""Emoji presentation, compatibility forms and Unicode normal forms do not make two
copies of a text different (break13 findings 1 and 2): the near-duplicate shingles are of
the text NFKC-folded, without variation selectors, format characters and enclosing marks,
and ingest's exact-duplicate key is of the text in NFC. The passages written keep the text
as it was given. The texts are written for these tests."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from annotate.ingestion.near_dups import jaccard, shingles

VIETNAMESE = "Tôi biết nhà của bạn ở đâu và tối nay tôi sẽ đến tìm bạn đấy, cẩn thận nhé"

SAME = {
    # an emoji with its presentation selector U+FE0F, and without (or no emoji at all)
    "heart-vs16": (
        "I will hurt you \u2764\ufe0f tonight at the park for sure",
        "I will hurt you \u2764 tonight at the park for sure",
    ),
    "emoji-dropped": ("I will hurt you \u2764\ufe0f tonight", "I will hurt you tonight"),
    "keycap": (
        "Meet me at 1\ufe0f\u20e3 the park tonight and bring the knife",
        "Meet me at 1 the park tonight and bring the knife",
    ),
    "flag-zwj": (
        "\U0001f3f3\ufe0f\u200d\U0001f308 pride parade in the city today",
        "\U0001f3f3\u200d\U0001f308 pride parade in the city today",
    ),
    "han-ivs": ("葛\U000e0100飾区に住んでいる人たちへ", "葛飾区に住んでいる人たちへ"),
    "zero-width-space": ("k\u200bill all of them now", "kill all of them now"),
    "full-width": (
        "Ｉ ｗｉｌｌ ｆｉｎｄ ｙｏｕ ａｎｄ ｈｕｒｔ ｙｏｕ ｔｏｎｉｇｈｔ",
        "I will find you and hurt you tonight",
    ),
    "full-width-short": ("Ｋｉｌｌ ａｌｌ ｏｆ ｔｈｅｍ ｎｏｗ", "kill all of them now"),
    "half-width-kana": ("ｶﾀｶﾅのテキストです", "カタカナのテキストです"),
    "half-width-voiced": ("ｶﾞｷﾞのテキストです", "ガギのテキストです"),
    "full-width-in-japanese": ("今日はｉＰｈｏｎｅを買った", "今日はiPhoneを買った"),
    "nfc-nfd": (
        unicodedata.normalize("NFC", VIETNAMESE),
        unicodedata.normalize("NFD", VIETNAMESE),
    ),
}


@pytest.mark.parametrize("name", SAME)
def test_copies_differing_in_presentation_have_the_same_shingles(name: str) -> None:
    a, b = SAME[name]
    assert jaccard(a, b) == 1.0


def test_a_variation_selector_is_no_word() -> None:
    """It was a unit with a word's weight: 'hurt you \\ufe0f', 'you \\ufe0f tonight'."""
    assert shingles("I will hurt you \u2764\ufe0f tonight") == [
        b"i will hurt",
        b"will hurt you",
        b"hurt you tonight",
    ]


def test_a_mark_with_no_letter_before_it_is_no_word_and_words_keep_theirs() -> None:
    assert shingles("one two \u0301 three four") == [b"one two three", b"two three four"]
    assert shingles("नमस्ते दुनिया आप") == ["नमस्ते दुनिया आप".encode()]


def test_ingest_groups_an_emoji_copy_and_drops_an_nfd_copy_keeping_the_text(
    tmp_path: Path,
) -> None:
    """End to end: ❤️ vs ❤ are near-duplicates (grouped, both kept: what is written is
    each as given); the NFD spelling of a passage is an exact copy of its NFC one
    (dropped, named in exact_copies with offsets into its own document); the full-width
    spelling is a passage of its own, grouped with the ASCII one."""
    from annotate.ingestion import ingest

    heart, plain = (t + " at the park, you know exactly where" for t in SAME["heart-vs16"])
    nfc, nfd = SAME["nfc-nfd"]
    wide, narrow = SAME["full-width"]
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{heart}\n\n{nfc}\n\n{narrow}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"{plain}\n\n{wide}\n", encoding="utf-8")
    (folder / "c.txt").write_text(f"Intro line here.\n\n{nfd}\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    stats = ingest([folder], out, min_chars=0, max_chars=400)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_text = {r["text"]: r for r in rows}
    assert set(by_text) == {heart, plain, nfc, narrow, wide, "Intro line here."}
    assert by_text[heart]["near_dup_group"] == by_text[plain]["near_dup_group"] is not None
    assert by_text[wide]["near_dup_group"] == by_text[narrow]["near_dup_group"] is not None
    assert stats.duplicates == 1
    (copy,) = json.loads(by_text[nfc]["exact_copies"])["copies"]
    document = (folder / "c.txt").read_text(encoding="utf-8")
    assert copy["doc_id"] == "posts/c.txt"
    assert document[copy["start"] : copy["end"]] == nfd
