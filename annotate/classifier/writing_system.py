"""Which writing system a passage is in, against the languages a model was trained on.

A model trained on English text (the default: every training source is English) reads
Arabic, Cyrillic or Chinese passages as strings of sub-word pieces it never learned
labels for: its scores for them mean nothing, and nothing else says so. The check is by
script (Unicode character names), not by language: it can tell that a passage is mostly
Arabic script, never that a Latin-script passage is Spanish rather than English.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from annotate.classifier.base import training_record

# the script of each language a training config may declare (ISO 639-1); a language not
# listed here turns the check off (nothing is claimed about it)
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        [
            "en",
            "de",
            "fr",
            "es",
            "it",
            "pt",
            "nl",
            "sv",
            "da",
            "no",
            "nb",
            "fi",
            "is",
            "pl",
            "cs",
            "sk",
            "sl",
            "hr",
            "bs",
            "ro",
            "hu",
            "tr",
            "az",
            "id",
            "ms",
            "tl",
            "sw",
            "so",
            "ha",
            "yo",
            "ig",
            "vi",
            "et",
            "lv",
            "lt",
            "sq",
            "mt",
            "ga",
            "cy",
            "eu",
            "ca",
            "gl",
            "af",
        ],
        frozenset({"LATIN"}),
    ),
    **dict.fromkeys(["ar", "fa", "ur", "ps", "ku", "sd", "ug"], frozenset({"ARABIC"})),
    **dict.fromkeys(
        ["ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"], frozenset({"CYRILLIC"})
    ),
    "zh": frozenset({"CJK"}),
    "ja": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "ko": frozenset({"HANGUL"}),
    "he": frozenset({"HEBREW"}),
    "yi": frozenset({"HEBREW"}),
    "el": frozenset({"GREEK"}),
    "hi": frozenset({"DEVANAGARI"}),
    "mr": frozenset({"DEVANAGARI"}),
    "ne": frozenset({"DEVANAGARI"}),
    "bn": frozenset({"BENGALI"}),
    "ta": frozenset({"TAMIL"}),
    "th": frozenset({"THAI"}),
    "am": frozenset({"ETHIOPIC"}),
    "ka": frozenset({"GEORGIAN"}),
    "hy": frozenset({"ARMENIAN"}),
}
SHARE = 0.5  # a passage is "in" a script when more than this share of its letters are
# (a tie is no script's: break6 K3, "ಠ_ಠ ok" went to Kannada)
# passages of fewer letters are not judged. 20 until passG52 G3, which passed a short
# Arabic or Russian post (the common case in a social-media export: "سأقتلك غدا." has
# 9 letters, "Я найду тебя и убью" 15, "Убью" 4) with no warning. Measured on 72,752
# rows of the project's public English data (Gab Hate Corpus, Latent Hatred stage 1,
# Stormfront, CONAN counter-speech, HatemojiBuild): at 3 letters 4 rows are judged
# another script, and all 4 are (two Japanese Gab posts of 3 and 5 letters, a Chinese
# and a Serbian Cyrillic Stormfront line); at 1, an emoji string ("🅱️ℹ️✝️©️H") too.
# Only letters that stand in words count (:func:`word_letters`; break6 K3: emoticons)
MIN_LETTERS = 3
# letters of other scripts that emoticons and kaomoji are drawn with (ಠ_ಠ, ツ, ლ(ಠ益ಠლ),
# ᕕ( ᐛ )ᕗ, 凸(｀⌒´メ)凸, (ﾉ◕ヮ◕)ﾉ, ʕ•ᴥ•ʔ): counted only in a word with other letters of
# their script (ツアー, Kannada ಕಥೆ "story", 凸显), never alone nor between letters of
# other scripts (ಠ益ಠ); until break7 L10 never, and words holding them were cut in two
EMOTICON_LETTERS = frozenset("ಠಥツლᕕᕗᐛᐕᐖ凸ﾉヮᴥʕʔ")
# writing systems of several scripts: (the scripts that mark it, all of its scripts).
# Japanese writes kanji (CJK) and kana together, and "私は学生です" (3 kanji, 3 hiragana)
# was no script's (break7 L10); Korean may write hanja among Hangul
WRITING_GROUPS = (
    (("HIRAGANA", "KATAKANA"), ("HIRAGANA", "KATAKANA", "CJK", "KATAKANA-HIRAGANA")),
    (("HANGUL",), ("HANGUL", "CJK")),
)
# what joins the letters of a word without being one: combining marks (Arabic vowel
# signs, Devanagari and Kannada vowel signs) by category, and the zero-width joiners
_JOINERS = frozenset("\u200c\u200d")
_ASCII_WORD = re.compile(r"[A-Za-z]{2,}")  # :func:`word_letters`' runs in ASCII text


# blocks of compatibility forms of letters and digits: other shapes of the same letters
# (fullwidth Latin, a common filter-evasion trick, is English written in wide forms)
COMPATIBILITY_BLOCKS = (
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (Ⓐ, ⓐ, ①)
    (0x3000, 0x3000),  # ideographic space
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms (Ａ, ａ, ０, ！)
    (0x1D400, 0x1D7FF),  # Mathematical Alphanumeric Symbols (𝐀, 𝒂, 𝟎)
    (0x1F130, 0x1F189),  # squared and negative squared Latin capitals (🄰, 🅰)
)


# the first character of the lowest block: a text with none at or above it has nothing to fold
_FIRST_FOLDED = chr(min(a for a, _ in COMPATIBILITY_BLOCKS))


def compatibility_fold(text: str) -> str:
    """``text`` with each compatibility form of a letter or digit (:data:`COMPATIBILITY_BLOCKS`)
    replaced by its NFKC form, where that is one character ("Ｉ ｗｉｌｌ" -> "I will"): the
    same number of characters, so every offset into the result is one into ``text``.
    Other characters (ligatures, which NFKC makes two, other scripts) stay as they are."""
    if text.isascii() or max(text) < _FIRST_FOLDED:  # no character in a block: as it is
        return text
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x2460 or not any(a <= code <= b for a, b in COMPATIBILITY_BLOCKS):
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


@lru_cache(maxsize=8192)  # a pure function of one character, asked for every letter
def script_of(ch: str) -> str | None:
    """The script of a letter by its Unicode name ("ARABIC LETTER ALEF" -> "ARABIC",
    CJK ideographs -> "CJK"; a compatibility form by its folded letter's: fullwidth "Ａ"
    -> "LATIN", :func:`compatibility_fold`); None for a non-letter or an unnamed
    character."""
    ch = _fold_char(ch)
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    if not name:
        return None
    return name.split(" ", 1)[0]


def word_letters(text: str) -> Counter[str]:
    """How many of ``text``'s letters of each script stand in words: runs of two or more
    letters (combining marks and zero-width joiners inside a run belong to it), not of
    one letter repeated; one of :data:`EMOTICON_LETTERS` only beside other letters of its
    script. An emoticon's or kaomoji's
    letters stand alone between symbols (``ಠ_ಠ``, ``ᕕ( ᐛ )ᕗ``) or repeat one letter
    (``ツツツ``): they say nothing of the language a passage is written in (break6 K3)."""
    counts: Counter[str] = Counter()
    run: list[str] = []  # the current run's letters
    scripts: list[str] = []  # and their scripts

    def close() -> None:
        # an emoticon letter counts beside letters of its own script only (ツアー, not ಠ益ಠ)
        own = {s for ch, s in zip(run, scripts, strict=True) if ch not in EMOTICON_LETTERS}
        kept = [
            (ch, s)
            for ch, s in zip(run, scripts, strict=True)
            if ch not in EMOTICON_LETTERS or s in own
        ]
        if len(kept) >= 2 and len({ch for ch, _ in kept}) > 1:
            counts.update(s for _, s in kept)
        run.clear()
        scripts.clear()

    for ch in text:
        found = script_of(ch)
        if found is not None:
            run.append(ch)
            scripts.append(found)
        elif not (run and (unicodedata.category(ch)[0] == "M" or ch in _JOINERS)):
            close()
    close()
    return counts


def dominant_script(text: str) -> str | None:
    """The script of more than :data:`SHARE` of the letters of ``text``'s words
    (:func:`word_letters`), or failing one, the most common script of a writing system of
    several scripts (:data:`WRITING_GROUPS`) that has more; None when none has more (a
    tie) or the text has fewer than :data:`MIN_LETTERS` such letters."""
    if text.isascii():  # every ASCII letter is LATIN: skip the per-character name lookup
        total = sum(len(w) for w in _ASCII_WORD.findall(text) if len(set(w)) > 1)
        return "LATIN" if total >= MIN_LETTERS else None
    counts = word_letters(text)
    total = sum(counts.values())
    if total < MIN_LETTERS:
        return None
    script, n = counts.most_common(1)[0]
    if n > SHARE * total:
        return script
    for own, group in WRITING_GROUPS:
        if any(counts[s] for s in own) and sum(counts[s] for s in group) > SHARE * total:
            # its most common script; a tie goes to the group's own (kana, Hangul)
            return max(group, key=lambda s: (counts[s], s in own))
    return None


def uses_script(language: str, script: str | None) -> bool:
    """Whether ``language`` (ISO 639-1) may be written in ``script``: True where either is
    unknown (None, a language not in :data:`LANGUAGE_SCRIPTS`), so nothing is ruled out
    that this module cannot say."""
    scripts = LANGUAGE_SCRIPTS.get(language.lower().split("-")[0])
    return script is None or scripts is None or script in scripts


def model_scripts(languages: Iterable[str]) -> frozenset[str] | None:
    """The scripts of a model's training ``languages``; None when the model declares
    none or one this module does not know (then no passage is judged)."""
    langs = [str(x).lower().split("-")[0] for x in languages]
    if not langs or any(x not in LANGUAGE_SCRIPTS for x in langs):
        return None
    return frozenset().union(*(LANGUAGE_SCRIPTS[x] for x in langs))


def trained_languages(classifier: Any) -> list[str]:
    """The ``languages`` a loaded classifier's training config declared (its
    ``annotate_model.json`` ``training.languages``); [] when it says nothing."""
    langs = training_record(classifier).get("languages") or []
    return [str(x) for x in langs] if isinstance(langs, list) else []


def foreign_script(text: str, scripts: frozenset[str] | None) -> str | None:
    """The script ``text`` is mostly in when none of the model's ``scripts`` is it
    (e.g. "ARABIC" for an Arabic passage given to an English model), else None."""
    if scripts is None:
        return None
    found = dominant_script(text)
    return found if found is not None and found not in scripts else None
