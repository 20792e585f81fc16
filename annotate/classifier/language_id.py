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
:data:`MIN_PROBABILITY`, or no language (``zxx``: links, numbers). Measured on English
rows of the project's public data (Gab Hate Corpus train, 18,757 Latin-script posts of
40 characters or more; Latent Hatred stage 1, 19,472): 4 posts judged not English at
that confidence, all 4 German or French posts (no English post was); 0 of 19,472.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from typing import Any

MIN_CHARS = 40  # passages shorter than this (stripped) are not judged
MIN_PROBABILITY = 0.99  # an identification less sure than this is not used
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
    and ``no`` stand for each other); None when it declares none (nothing is judged)."""
    langs = {str(x).lower().split("-")[0] for x in languages}
    if langs & {"nb", "no"}:
        langs |= {"nb", "no"}
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
