"""Passages in a script the model's training languages are not written in: the default
model (English) scored Arabic and Russian passages like any, with nothing said."""

from __future__ import annotations

import json

import pytest

from annotate.classifier.writing_system import (
    dominant_script,
    foreign_script,
    model_scripts,
    trained_languages,
)

ARABIC = "أعلنت البلدية يوم الثلاثاء عن افتتاح حديقة جديدة في وسط المدينة للأطفال والعائلات."
RUSSIAN = "Во вторник городской совет обсудил бюджет на ремонт парков и детских площадок."
ENGLISH = "On Tuesday the city council discussed the budget for parks and playgrounds."


def test_the_dominant_script_is_read_from_letters():
    assert dominant_script(ARABIC) == "ARABIC"
    assert dominant_script(RUSSIAN) == "CYRILLIC"
    assert dominant_script(ENGLISH) == "LATIN"
    assert (
        dominant_script(
            "東京都は火曜日に新しい公園の計画を発表しました。市民の意見も募集しています。"
        )
        == "CJK"
    )
    assert dominant_script("Hi 123 !!!") is None  # too few letters to judge
    # an English sentence quoting a few Arabic words is still Latin
    assert dominant_script(ENGLISH + " (بيان)") == "LATIN"


def test_only_declared_known_languages_turn_the_check_on():
    assert model_scripts(["en"]) == frozenset({"LATIN"})
    assert model_scripts(["en", "ar"]) == frozenset({"LATIN", "ARABIC"})
    assert model_scripts(["pt-BR"]) == frozenset({"LATIN"})
    assert model_scripts([]) is None  # undeclared: nothing is claimed
    assert model_scripts(["en", "xx"]) is None  # an unknown code: nothing is claimed
    english = model_scripts(["en"])
    assert foreign_script(ARABIC, english) == "ARABIC"
    assert foreign_script(ENGLISH, english) is None
    assert foreign_script(ARABIC, model_scripts(["ar"])) is None
    assert foreign_script(ARABIC, None) is None


def test_trained_languages_come_from_the_stored_training_settings():
    class Loaded:
        def __init__(self, config):
            self.config = config

    assert trained_languages(Loaded({"training": {"languages": ["en"]}})) == ["en"]
    assert trained_languages(Loaded({"training": {}})) == []
    assert trained_languages(object()) == []


def test_prelabel_warns_about_passages_in_a_script_the_model_was_not_trained_on(tmp_path, capsys):
    from annotate.cli import main

    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "en", "text": ENGLISH},
        {"id": "ar", "text": ARABIC, "source": "docs/sub/ar.txt"},
        {"id": "ru", "text": RUSSIAN},
    ]
    src.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as exc:
        main(["prelabel", str(src), "--out", str(out), "-q"])
    assert exc.value.code in (0, None)
    err = " ".join(capsys.readouterr().err.split())
    assert (
        "warning: 2 passage(s) (the first: ar, in docs/sub/ar.txt) are mostly in a script "
        "the model was not trained on (Arabic 1, Cyrillic 1; it was trained on en text)" in err
    )
    assert "Each is marked in the output's `model_language_warning` column" in err
    written = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["model_language_warning"] for r in written] == [
        None,
        "Arabic script (the model was trained on en text)",
        "Cyrillic script (the model was trained on en text)",
    ]


def test_the_ascii_shortcut_agrees_with_the_letter_by_letter_count():
    """ASCII text takes a shortcut (no Unicode name lookups); it must give what the
    letter-by-letter count gives, at the MIN_LETTERS edge too."""
    from annotate.classifier.writing_system import MIN_LETTERS, word_letters

    def slow(text: str) -> str | None:
        counts = word_letters(text)
        total = sum(counts.values())
        if total < MIN_LETTERS:
            return None
        script, n = counts.most_common(1)[0]
        return script if n > 0.5 * total else None

    texts = ["ab" * MIN_LETTERS, "a" * MIN_LETTERS, "12 34 !!", ENGLISH, "x1 " * 30, "ok a b"]
    for text in [*texts, "ab", "abc", "it's"]:
        assert text.isascii()
        assert dominant_script(text) == slow(text), text


GERMAN = (
    "Die Polizei meldete am Montag, ein Mann habe gedroht, das Rathaus anzuzünden, "
    "wenn der Bürgermeister nicht zurücktrete."
)
FRENCH = (
    "La police a annoncé lundi qu'un homme avait menacé de brûler la mairie si le maire "
    "ne démissionnait pas."
)


def test_a_latin_script_passage_in_another_language_is_named_short_ones_are_not():
    """German and French are Latin script: the script check passed them as English."""
    from annotate.classifier.language_id import foreign_language, model_languages

    english = model_languages(["en"])
    assert foreign_language(GERMAN, english) == "de"
    assert foreign_language(FRENCH, english) == "fr"
    assert foreign_language(ENGLISH, english) is None
    assert foreign_language(GERMAN, model_languages(["en", "de"])) is None
    assert foreign_language(GERMAN, model_languages([])) is None  # undeclared: not judged
    # short and unsure: German at 0.75, under MIN_PROBABILITY; under MIN_CHARS: not read
    assert foreign_language("Danke schön, bis morgen!", english) is None
    assert foreign_language("Danke schön!", english) is None
    assert model_languages(["pt-BR"]) == frozenset({"pt"})


def test_prelabel_warns_about_passages_in_a_language_the_model_was_not_trained_on(tmp_path, capsys):
    from annotate.cli import main

    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "en", "text": ENGLISH},
        {"id": "de1", "text": GERMAN},
        {"id": "fr", "text": FRENCH},
        {"id": "de2", "text": GERMAN.replace("Montag", "Dienstag")},
        {"id": "ar", "text": ARABIC},  # the script warning's, not counted twice
    ]
    src.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as exc:
        main(["prelabel", str(src), "--out", str(out), "-q"])
    assert exc.value.code in (0, None)
    err = " ".join(capsys.readouterr().err.split())
    assert (
        "warning: 3 passage(s) (the first: de1) are in a language the model was not trained "
        "on (German 2, French 1; it was trained on en text; identified by py3langid" in err
    )
    assert "mostly in a script the model was not trained on (Arabic 1;" in err
