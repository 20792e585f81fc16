"""Which language a passage is in, against the languages a model was trained on.

The writing-system check (:mod:`annotate.classifier.writing_system`) tells an Arabic
passage from an English one, never a German or French passage from an English one: both
are Latin script. An English-only model reads German as it reads Arabic, as sub-word
pieces it never learned labels for, so its scores mean little. This module names the
language of a passage in one of the model's scripts with py3langid (a maintained fork of
langid.py: a naive Bayes model over byte n-grams of 97 languages, shipped inside the
package and read offline), and :func:`foreign_language` returns it when the model was
not trained on it.

Short or ambiguous passages are not judged: fewer than :data:`MIN_CHARS` characters
(a greeting, a one-word reply, a URL), or an identification less sure than
:data:`MIN_PROBABILITY`, or no language (``zxx``: links, numbers). The bars were 40
characters and 0.99 until passG52 G3, which found a Spanish threat of 69 characters
("Hola, te voy a encontrar y te voy a matar. ...", Spanish at 0.966) passed with no
warning. Measured then (benchmarks/README.md, "Language bars"): on 33 Latin-script
non-English sentences written for it (Spanish, French, German, Italian, Portuguese,
Dutch, Turkish, Polish, Indonesian; 15 to 69 characters, threats and everyday lines),
40/0.99 named 9, 20/0.90 names 22 (10/0.80: 24), and never another language than the
right one; on 30 English ones of the same kinds (slang, loanwords, "Hasta la vista,
baby.", "Bon appetit everyone, dinner is served!", names), none at any bar tried; on
72,752 rows of the project's public English data (Gab Hate Corpus, Latent Hatred stage
1, Stormfront, CONAN counter-speech, HatemojiBuild), 20/0.90 judges 53 rows another
language against 26 at 40/0.99, and by eye 51 of the 53 are (German, Portuguese,
Hungarian, Icelandic... posts), 2 mostly English ("We have a saying in South Africa : As
die kop dom is moet die lyf sukkel ." as Afrikaans, a Gab post half English half
Portuguese). Below 0.90 English rows came in (10/0.80: "See Mystic Demon Killer for
#free ..." and "Wednesday, 10 October 2018" as Nigerian Pidgin, "From Julius
Streicher's Der Stürmer:" as German); under 20 characters the identification is a
guess ("lol ok": Volapük 0.11, "gg ez": Hungarian 0.29, "Je vais te tuer": French 0.38).
Nigerian Pidgin (``pcm``), English-based, counts as English for a model trained on
English: py3langid names English lines so ("Muhammad Ali, Fatima and Omar went to
Istanbul for the weekend.": pcm 0.78).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from typing import Any

MIN_CHARS = 20  # passages shorter than this (stripped) are not judged
MIN_PROBABILITY = 0.90  # an identification less sure than this is not used
# languages a model trained on the key language reads as it (py3langid's codes)
SAME_AS = {"en": frozenset({"pcm"})}
NO_LANGUAGE = "zxx"  # py3langid's "no linguistic content"

# English names of the languages a warning most often names (ISO 639-1); others are
# named by their code
NAMES = {
    "af": "Afrikaans",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gl": "Galician",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "la": "Latin",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "ms": "Malay",
    "mt": "Maltese",
    "nb": "Norwegian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sv": "Swedish",
    "sw": "Swahili",
    "tl": "Tagalog",
    "tr": "Turkish",
    "vi": "Vietnamese",
    "fa": "Persian",
    "ar": "Arabic",
    "ur": "Urdu",
    "ru": "Russian",
    "uk": "Ukrainian",
    "bg": "Bulgarian",
    "sr": "Serbian",
}


def language_name(code: str) -> str:
    """``de`` -> ``German``; a code without a name here is itself."""
    return NAMES.get(code, code)


def identifier_version() -> str:
    """``py3langid X.Y.Z``, as warnings name what identified the languages."""
    return f"py3langid {version('py3langid')}"


@cache
def _identifier() -> Any:
    """py3langid's identifier with probabilities normalised to 0..1 (its model, about
    1.5 s to load, read on the first passage judged)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def model_languages(languages: Iterable[str]) -> frozenset[str] | None:
    """The base codes of a model's training ``languages`` (``pt-BR`` -> ``pt``; ``nb``
    and ``no`` stand for each other; ``en`` brings Nigerian Pidgin, :data:`SAME_AS`);
    None when it declares none (nothing is judged)."""
    langs = {str(x).lower().split("-")[0] for x in languages}
    if langs & {"nb", "no"}:
        langs |= {"nb", "no"}
    for lang in list(langs):
        langs |= SAME_AS.get(lang, frozenset())
    return frozenset(langs) or None


def identify(text: str) -> str | None:
    """The language of ``text`` (an ISO 639-1 code) when it is at least
    :data:`MIN_CHARS` characters long and identified with at least
    :data:`MIN_PROBABILITY`; None otherwise (short, ambiguous, no language)."""
    text = text.strip()
    if len(text) < MIN_CHARS:
        return None
    lang, probability = _identifier().classify(text)
    if lang == NO_LANGUAGE or probability < MIN_PROBABILITY:
        return None
    return str(lang)


def foreign_language(text: str, languages: frozenset[str] | None) -> str | None:
    """The language ``text`` is in when the model was not trained on it (``languages``:
    :func:`model_languages`; None: not judged), else None."""
    if languages is None:
        return None
    found = identify(text)
    return found if found is not None and found not in languages else None
