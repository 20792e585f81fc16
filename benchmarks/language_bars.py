"""passG52 G3: the bars of prelabel's language and script checks, measured.

Which non-English sentences each bar names (:mod:`annotate.classifier.language_id`:
``MIN_CHARS``, ``MIN_PROBABILITY``), which English ones it names by mistake, and how many
rows of the project's public English data (``../shared/data``) each judges another
language or script (``annotate.classifier.writing_system.MIN_LETTERS``). The sentences
are this script's own, written for it (threats and everyday lines, short and long).

    python benchmarks/language_bars.py [--list MIN_CHARS MIN_PROBABILITY]
    python benchmarks/language_bars.py --warnings

``--warnings``: the warnings prelabel itself writes for an English model
(:func:`annotate.prelabeling.count_foreign`, script and language checks together, on the
text the model reads) on the public English rows and on :data:`PROBES` (break6 K3-K5:
emoticons, speaker labels, English with a few Hangul or Kana words), each listed.

Results: benchmarks/README.md, "Language bars".
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

from annotate.classifier import writing_system as ws
from annotate.classifier.language_id import _identifier, model_languages

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NON_ENGLISH = [
    ("es", "Hola, te voy a encontrar y te voy a matar.\nEsto es una amenaza seria."),
    ("es", "Te voy a matar si vuelves."),
    ("es", "Sé dónde vives."),
    ("es", "Mañana quemaré tu casa con tu familia dentro."),
    ("es", "Gracias por la información, nos vemos el lunes en la oficina."),
    ("es", "¿Alguien sabe a qué hora abre la farmacia del centro?"),
    ("es", "Vamos a por ellos esta noche, traed los bates."),
    ("es", "Qué bonito día hace hoy."),
    ("fr", "Je vais te tuer 🙂"),
    ("fr", "Je sais où tu habites et je vais te faire du mal."),
    ("fr", "Merci beaucoup pour votre aide, à demain !"),
    ("fr", "La réunion est reportée à jeudi prochain à quinze heures."),
    ("fr", "On va brûler leur mosquée ce soir, soyez prêts."),
    ("fr", "T'es mort si tu reviens ici."),
    ("de", "Ich werde dich finden."),
    ("de", "Ich bringe dich um, du Schwein."),
    ("de", "Wir treffen uns morgen um acht Uhr vor dem Bahnhof."),
    ("de", "Wenn du noch einmal kommst, schlage ich dir die Zähne aus."),
    ("de", "Danke für die schnelle Antwort, das hilft mir sehr."),
    ("it", "Ti ammazzo se ti vedo ancora qui."),
    ("it", "So dove abiti, stai attento."),
    ("it", "Domani sera andiamo al cinema con gli amici di Marco."),
    ("pt", "Vou te matar amanhã, pode esperar."),
    ("pt", "Obrigado pela ajuda, até logo!"),
    ("pt", "A reunião foi adiada para a próxima semana por causa da chuva."),
    ("nl", "Ik maak je af als ik je zie."),
    ("nl", "Morgen gaan we met de trein naar Amsterdam om het museum te bezoeken."),
    ("tr", "Seni öldüreceğim, bekle."),
    ("tr", "Yarın sabah toplantı saat dokuzda başlayacak, lütfen geç kalmayın."),
    ("pl", "Zabiję cię, jak cię znajdę."),
    ("pl", "Dziękuję bardzo za pomoc, do zobaczenia jutro w pracy."),
    ("id", "Aku akan membunuhmu besok malam."),
    ("id", "Terima kasih atas bantuannya, sampai jumpa minggu depan."),
    ("ru", "Я найду тебя и убью"),
    ("ru", "Привет, как дела?"),
    ("ru", "Убью"),
    ("ar", "سأقتلك غدا."),
    ("ar", "مرحبا بالعالم"),
    ("ar", "سأقتلك"),
    ("zh", "我会杀了你"),
    ("zh", "明天见"),
    ("uk", "Я тебе знайду."),
    ("el", "Θα σε σκοτώσω."),
    ("he", "אני אהרוג אותך"),
    ("hi", "मैं तुम्हें मार डालूँगा"),
    ("ja", "殺してやる"),
    ("ko", "죽여버릴거야"),
]
ENGLISH = [
    "I will kill you.",
    "lol ok",
    "see you tomorrow",
    "you are dead meat",
    "omg yes!!",
    "Thanks!",
    "I know where you live.",
    "Nice one mate",
    "gg ez",
    "Re: meeting",
    "I will find you and I will hurt you.",
    "Que sera sera, whatever will be will be.",
    "Bon appetit everyone, dinner is served!",
    "Déjà vu all over again, lads.",
    "I love 寿司 so much",
    "Merci ❤️",
    "Happy Diwali to my friends! 🪔",
    "He said 'nein' and left.",
    "My café order: latte, no sugar.",
    "Gonna burn it all down lol",
    "ur so dead when i see u",
    "Follow @juanperez for more",
    "RT @maria_lopez: vamos",
    "Hasta la vista, baby.",
    "I'm going to shoot you when you walk out of work tomorrow.",
    "The council meets on Tuesday to discuss the new parking rules for the town centre.",
    "Can anyone recommend a good plumber in the Leeds area? Ours cancelled twice.",
    "Muhammad Ali, Fatima and Omar went to Istanbul for the weekend.",
    "Kill all the invaders, no mercy, they deserve it.",
    "Abu Bakr al-Baghdadi was killed in a raid in Idlib, officials said.",
]
# break6 K3-K5: English passages prelabel warned about (emoticons drawn with other
# scripts' letters; a conversation's speaker labels; a few Hangul or Kana words)
PROBES = [
    "ಠ_ಠ",
    "ಠ_ಠ ಠ_ಠ",
    "ಠ_ಠ ok",
    "ಥ_ಥ ಥ_ಥ",
    "ツツツ",
    "ツ ツ ツ",
    "(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧",
    "ლ(ಠ_ಠლ)",
    "ᕕ( ᐛ )ᕗ",
    "凸(｀⌒´メ)凸",
    "¯\\_(ツ)_/¯",
    "( ͡° ͜ʖ ͡°)",
    "Дмитрий: ok\nAlice: lol",
    "محمد: lol\nAlice: ok bro",
    "田中: ok\nAlice: ok",
    "I love 방탄소년단 so much!!",
    "Merry Christmas! 메리 크리스마스",
    "thank you so much ありがとう",
    "I love 寿司 so much",
]
LATIN_LANGUAGES = {"es", "fr", "de", "it", "pt", "nl", "tr", "pl", "id"}
ENGLISH_MODEL = model_languages(["en"]) or frozenset({"en"})


def public_english() -> list[tuple[str, str]]:
    """(source, text) of the public English rows: Gab Hate Corpus, Latent Hatred stage 1,
    Stormfront, CONAN counter-speech (posts and replies), HatemojiBuild."""
    csv.field_size_limit(10**9)
    out: list[tuple[str, str]] = []
    for name in ("ghc_train.tsv", "ghc_test.tsv"):
        with open(DATA / "gab-hate-corpus" / name, newline="", encoding="utf-8") as f:
            out += [("gab", r["text"]) for r in csv.DictReader(f, delimiter="\t")]
    path = DATA / "implicit-hate" / "implicit_hate_v1_stg1_posts.tsv"
    with open(path, newline="", encoding="utf-8") as f:
        out += [("latent_hatred", r["post"]) for r in csv.DictReader(f, delimiter="\t")]
    with open(DATA / "stormfront-vicomtech" / "stormfront_sentences.csv", encoding="utf-8") as f:
        out += [("stormfront", r["text"]) for r in csv.DictReader(f)]
    for name in ("Train", "Val", "Test"):
        for line in (DATA / "crowdcounter" / f"{name}.json").read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out += [("conan", row["hatespeech"]), ("conan", row["counterspeech"])]
    for path in sorted((DATA / "hatemoji-build").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            out += [("hatemoji", r.get("text") or "") for r in csv.DictReader(f)]
    return [(s, t.strip()) for s, t in out if t and t.strip()]


def named(lang: str, p: float, text: str, chars: int, bar: float) -> bool:
    """Whether a bar judges ``text`` (identified as ``lang`` at ``p``) not English."""
    return len(text) >= chars and lang not in ENGLISH_MODEL | {"zxx"} and p >= bar


def script(text: str, letters: int) -> str | None:
    old, ws.MIN_LETTERS = ws.MIN_LETTERS, letters
    try:
        return ws.dominant_script(text)
    finally:
        ws.MIN_LETTERS = old


def warnings() -> None:
    """Print the warnings prelabel writes for an English model on the public English rows
    (one passage each, no document) and on :data:`PROBES` (each line a passage of one
    conversation), and each one."""
    from annotate.prelabeling import PrelabelStats, count_foreign

    scripts = ws.model_scripts(["en"])
    rows = [{"id": f"{s}:{i}", "text": t} for i, (s, t) in enumerate(public_english())]
    probes = [
        {"id": f"probe:{i}:{j}", "doc_id": f"probe:{i}", "text": line}
        for i, text in enumerate(PROBES)
        for j, line in enumerate(text.split("\n"))
    ]
    for label, group in (("public English rows", rows), ("break6 probes (lines)", probes)):
        stats = PrelabelStats(trained_languages=["en"])
        count_foreign(stats, scripts, group)
        found = [(r["id"], r["text"], r["model_language_warning"]) for r in group]
        found = [x for x in found if x[2]]
        print(
            f"{label}: {len(group):,}, warned {len(found)} (script {stats.foreign}, "
            f"language {sum(stats.foreign_languages.values())})"
        )
        for rid, text, said in found:
            print(f"    {rid:18s} {said.split(' (')[0]:34s} {text[:90]!r}")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--warnings"]:
        warnings()
        return
    ident = _identifier()
    own = [(lang, t.strip(), *ident.classify(t.strip())) for lang, t in NON_ENGLISH]
    latin = [x for x in own if x[0] in LATIN_LANGUAGES]
    english = [(t.strip(), *ident.classify(t.strip())) for t in ENGLISH]
    rows = [(s, t, *ident.classify(t)) for s, t in public_english()]
    print(f"public English rows: {len(rows):,} {dict(Counter(s for s, *_ in rows))}")
    if argv[:1] == ["--list"]:
        chars, bar = int(argv[1]), float(argv[2])
        for s, t, lang, p in rows:
            if named(lang, p, t, chars, bar):
                print(f"{s:14s} {lang} {p:.3f} {t[:110]!r}")
        return
    for chars in (10, 15, 20, 25, 30, 40):
        for bar in (0.8, 0.9, 0.95, 0.99):
            public = sum(named(lang, p, t, chars, bar) for _, t, lang, p in rows)
            right = sum(named(g, p, t, chars, bar) and g == lang for lang, t, g, p in latin)
            wrong = sum(named(g, p, t, chars, bar) and g != lang for lang, t, g, p in latin)
            mistaken = [t for t, g, p in english if named(g, p, t, chars, bar)]
            print(
                f"{chars:2d} chars, {bar:.2f}: public English judged another language "
                f"{public:3d}; own non-English named {right}/{len(latin)} (wrongly {wrong}); "
                f"own English named {len(mistaken)} {mistaken}"
            )
    for letters in (1, 3, 5, 10, 20):
        hits = [
            (s, t, found)
            for s, t, *_ in rows
            if (found := script(t, letters)) not in (None, "LATIN")
        ]
        caught = sum(
            script(t, letters) not in (None, "LATIN")
            for lang, t, *_ in own
            if lang not in LATIN_LANGUAGES
        )
        print(
            f"script, {letters:2d} letters: public English judged another script {len(hits)} "
            f"{[(s, f, t[:40]) for s, t, f in hits]}; own non-Latin caught {caught}/"
            f"{sum(lang not in LATIN_LANGUAGES for lang, *_ in own)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
