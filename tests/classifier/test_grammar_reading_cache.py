"""The threat grammar's reading made cheaper without changing what it reads (s56-perf):
``_lower_each`` lowers a text at once only where that equals lowering each character
(a final sigma and a dotted capital I are lowered per character, as before), and the
results kept for the cap rules' second reading of a passage are not shared lists."""

from __future__ import annotations

import pytest

from annotate.classifier import threat_grammar as tg
from annotate.classifier.writing_system import compatibility_fold, script_of


def per_character(text: str) -> str:
    return "".join(c.lower()[:1] or c for c in text)


@pytest.mark.parametrize(
    "text",
    [
        "I WILL KILL YOU",
        "ΟΔΥΣΣΕΥΣ ΘΑ ΣΕ ΣΚΟΤΩΣΕΙ.",  # str.lower() gives a final sigma at a word's end
        "İstanbul: I will find you",  # "İ".lower() is two characters
        "ǅ ǈ ẞ Ａ I'll shoot you",
        "",
    ],
)
def test_lower_each_is_each_characters_lower_case(text: str) -> None:
    assert tg._lower_each(text) == per_character(text)
    assert len(tg._lower_each(text)) == len(text)


def test_kept_threat_ranges_are_a_new_list_each_call() -> None:
    text = "I will kill you tomorrow."
    first = tg.threat_sentences(text)
    assert first
    first.clear()
    assert tg.threat_sentences(text) == [(0, len(text))]


def test_fold_and_scripts_as_before() -> None:
    assert compatibility_fold("café ① Ｉ ｗｉｌｌ") == "café 1 I will"
    assert compatibility_fold("naïve “quoted”") == "naïve “quoted”"
    assert script_of("Я") == "CYRILLIC" and script_of("Ａ") == "LATIN" and script_of("1") is None
