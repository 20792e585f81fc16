"""A subtitle cue ending in an ellipsis is joined with the next cue only when the next
one goes on with its sentence (annotate.classifier.cue_sentences.opens_sentence): the
title cue "Previously on Harbour Nights..." (none, 0.004 alone) was read with the next
cue's threat and took its violent_threat (0.295, no span; passC50 R5, stop 50's
leftover of issue 8). A next cue opening with an upper-case letter (not "I") starts a
new sentence; one opening with an ellipsis, a lower-case letter or "I" goes on (stop 52:
"I" only after a clause that cannot stand alone, "Had I known..."; an upper-case letter
too after a clause broken off on a word no clause ends with, "I told..." / "Danny";
opening punctuation such as "¿", "«", "♪" read past).

Fixtures (tests/fixtures/regression_cues.jsonl, written for the project): subtitle
files as cues, kinds ``trails_off`` (a cue trailing off before another sentence: the
neighbour's threat must not land on it) and ``goes_on`` (a threat continued after an
ellipsis: still read as one sentence), ``resumes`` (a sentence resumed after a pause with a
name, stop 52) and ``sound_cue`` (a sound cue inside a sentence, stop 52)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.classifier import load_classifier, turn_text
from annotate.classifier.base import PassageInput, Prediction
from annotate.classifier.cue_sentences import opens_sentence
from tests.conftest import FIXTURES, ROOT

FILE = FIXTURES / "regression_cues.jsonl"
TITLE = "<i>Previously on Harbour Nights...</i>"
THREAT = "You talk to the cops again and I'll slit your throat, understand?"


class _Threat:
    """Flags violent_threat (0.3, no evidence span: under its threshold) on any text
    holding 'slit'; none otherwise. Records what it reads."""

    version = "stub"
    harmful = frozenset({"violent_threat"})

    def __init__(self) -> None:
        self.read: list[str] = []

    def predict(self, passages, *, progress=None):
        self.read += [p.text for p in passages]
        out = []
        for p in passages:
            hit = "slit" in p.text
            scores = {"violent_threat": 0.3 if hit else 0.004, "none": 0.2 if hit else 0.9}
            out.append(Prediction(scores, ["violent_threat"] if hit else ["none"], []))
        return out


def _cues(texts: list[str], doc: str = "episode.srt") -> list[PassageInput]:
    return [
        PassageInput(id=str(i), text=t, doc_id=doc, passage_index=i) for i, t in enumerate(texts)
    ]


def test_title_cue_trailing_off_does_not_take_the_next_cues_threat() -> None:
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues([TITLE, THREAT, "I understand."]))
    # each cue read alone: the title's ellipsis ends it before "You ..."
    assert clf.read == ["Previously on Harbour Nights...", THREAT, "I understand."]
    assert [p.labels for p in preds] == [["none"], ["violent_threat"], ["none"]]


@pytest.mark.parametrize(
    ("second", "joined"),
    [
        ("You will pay for this.", False),  # upper case: a new sentence
        ('"Run," he said.', False),  # a quote opening with upper case
        ("...and I mean it.", True),  # the older style: an ellipsis both sides
        ("…and I mean it.", True),
        ("and I mean it.", True),  # lower case: the sentence goes on
        ("I mean it.", True),  # "I" says nothing by its capital (Netflix's example)
        ("I'll find you.", True),
        ("20 years from now.", True),
        ("<v Bob>and I mean it.", False),  # another speaker, as before
        ("- and I mean it.", False),  # a dialogue line, as before
        ("(sighs) You will pay for this.", False),  # past an SDH description (break5 B1)
        ("[Bob] You will pay for this.", False),
        ("(sighs) and I mean it.", True),
        ("[tense music playing]", False),  # a sound cue: read alone
        # opening punctuation, quotes and symbols are read past (stop 52)
        ("¿You will pay for this?", False),
        ("«You will pay for this.»", False),
        ("„You will pay for this.“", False),
        ("♪ You will pay for this ♪", False),
        ("¡You will pay for this!", False),
        ("«and I mean it.»", True),
        ("♪ and I mean it ♪", True),
    ],
)
def test_an_ellipsis_goes_on_only_into_a_cue_going_on_with_it(second: str, joined: bool) -> None:
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(["If you ever do that again...", second], "a.vtt"))
    assert (clf.read[0] == f"If you ever do that again... {second}") is joined, clf.read[0]


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("You", True),
        ("Élan", True),
        ("(Sighs)", True),
        ("Iago", True),
        ("I", True),  # after no clause that cannot stand alone (stop 52)
        ("¿Qué?", True),
        ("« Vous", True),
        ("♪ You", True),
        ("♪ and", False),
        ("and", False),
        ("...And", False),
        ("… And", False),
        ("3", False),
        ("", False),
        ("[tense music playing]", True),  # descriptions only: no part of the sentence
        ("(sighs) You die.", True),
        ("[door slams] (sighs) You die.", True),
        ("(sighs) and then", False),
    ],
)
def test_opens_sentence(text: str, new: bool) -> None:
    assert opens_sentence(text) is new


@pytest.mark.parametrize(
    ("cues", "joined"),
    [
        # a sentence resumed after a pause with a name: the clause before breaks off on a
        # word no clause ends with (a verb of telling, an article, a preposition)
        (["I told...", "Danny to leave."], True),
        (["You tell...", "Marco he's next."], True),
        (["Give the money to...", "Sergeant Reyes."], True),
        (["We found the...", "Harbour Master dead."], True),
        (["And you and...", "Danny can both leave."], True),
        # a clause that ends where it breaks off: a new sentence
        (["Previously on Harbour Nights...", "Danny to leave."], False),
        (["Come on...", "Danny, stop."], False),  # "on" here a particle
        (["Well...", "Danny's gone."], False),
    ],
)
def test_a_clause_broken_off_goes_on_whatever_the_next_capital(
    cues: list[str], joined: bool
) -> None:
    """Stop 52: "I told..." / "Danny to leave." was read as two sentences (the capital
    of a name read as a new sentence's)."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(cues, "n.srt"))
    assert (clf.read[0] == " ".join(cues)) is joined, clf.read


@pytest.mark.parametrize(
    ("cues", "joined"),
    [
        # a title trailing off: "I" opens a sentence of its own
        (["Previously on Harbour Nights...", "I'll slit your throat."], False),
        (["Previously on Harbour Nights...", "I'm going to find you."], False),
        (["Last time on Dockside...", "I will break your neck."], False),
        (["Well...", "I don't know."], False),
        # a clause that cannot stand alone: "I" goes on with it (Netflix's example)
        (["Had I known...", "I wouldn't have called you."], True),
        (["If you ever talk to the police...", "I'll find you."], True),
        (["Unless you pay me...", "I'm going to hurt her."], True),
        (["You know that if you talk...", "I'll hear."], True),
        (["Wait. If you talk...", "I'll hear."], True),  # the cue's last sentence
        (["If you want. Well...", "I don't know."], False),
        # the clause opened in the cue before, run on into this one without an end mark
        (["If you ever,", "talk to the police...", "I'll find you."], True),
    ],
)
def test_i_after_an_ellipsis_goes_on_only_after_a_clause_that_cannot_stand_alone(
    cues: list[str], joined: bool
) -> None:
    """Stop 52: "Previously on Harbour Nights..." + "I'll slit your throat" was joined
    (the word "I" always went on), the title read with the threat."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(cues, "i.srt"))
    assert (clf.read[len(cues) - 1] == " ".join(cues)) is joined, clf.read


def test_a_sound_cue_inside_a_sentence_is_passed_over() -> None:
    """Stop 52: "I'm going to" / "[door slams]" / "find you and slit your throat." was
    read as three (the sound cue ended the sentence); the sentence goes on past it,
    without it, and the sound cue is read alone."""
    clf = _Threat()
    cues = ["I'm going to", "[door slams]", "find you and slit your throat."]
    turn_text.predict_turns(clf, _cues(cues, "s.srt"))
    sentence = "I'm going to find you and slit your throat."
    assert clf.read[:3] == [sentence, "[door slams]", sentence]
    # two in a row, and one after a cue trailing off into it
    clf = _Threat()
    cues = ["If you ever talk to the police...", "(sighs)", "[door slams]", "I'll find you."]
    turn_text.predict_turns(clf, _cues(cues, "s.srt"))
    sentence = "If you ever talk to the police... I'll find you."
    assert clf.read[:4] == [sentence, "(sighs)", "[door slams]", sentence]


def test_a_description_closing_a_cue_is_passed_over_when_reading_its_end() -> None:
    """Stop 52: "Get out. [door slams]" did not end its sentence (the bracket read as
    its last character) and took the next cue in."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(["Get out. [door slams]", "You slit it."], "d.srt"))
    assert clf.read == ["Get out. [door slams]", "You slit it."]


def test_a_sentences_label_without_a_span_reaches_each_of_its_cues() -> None:
    """Documents what is (stop 52, README): a sentence over cues flagged without an
    evidence span gives its label to each of its cues, the one without the threat's
    words too; no span says which cue holds the evidence, and each cue is a fragment of
    the threat (a reviewer sees the cues around it). Where a span is given, a cue it
    misses gets its own reading (tests/test_cue_sentences.py)."""
    clf = _Threat()
    preds = turn_text.predict_turns(
        clf, _cues(["I know where you live,", "and I will slit your throat.", "Bye."], "l.srt")
    )
    assert [p.labels for p in preds] == [["violent_threat"], ["violent_threat"], ["none"]]
    assert [p.spans for p in preds] == [[], [], []]


def test_full_stop_and_no_punctuation_unchanged() -> None:
    """Only the ellipsis rule moved: a cue without end punctuation still goes on into
    an upper-case cue, and one with a full stop still ends."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(["I know where you live,", "You rat.", "Bye."], "b.srt"))
    assert clf.read[:3] == [
        "I know where you live, You rat.",
        "I know where you live, You rat.",
        "Bye.",
    ]


def test_a_sound_cue_between_keeps_the_title_apart_from_the_threat() -> None:
    """break5 B1: the lowercase sound cue between them read as "goes on" and, having no
    end mark, joined the title with the threat (R5 again)."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues([TITLE, "[tense music playing]", THREAT], "a.srt"))
    assert clf.read == ["Previously on Harbour Nights...", "[tense music playing]", THREAT]
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(["Wait...", f"(sighs) {THREAT}"], "a.srt"))
    assert clf.read == ["Wait...", f"(sighs) {THREAT}"]


@pytest.mark.parametrize(
    "first", ["You did what...?", "Previously on Harbour Nights...!", "Wait..?"]
)
def test_an_ellipsis_before_a_question_or_exclamation_mark_ends_the_sentence(first: str) -> None:
    """break5 B14: "...?" and "...!" joined any next cue, while a bare "..." ended one."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues([first, THREAT], "a.srt"))
    assert clf.read == [first, THREAT]


def _rows() -> list[dict]:
    return [json.loads(x) for x in FILE.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def predictions() -> dict[str, list[Prediction]]:
    if not (ROOT / "models" / "default" / "annotate_model.json").exists():
        pytest.skip("models/default is not built (run `make model`)")
    from annotate.taxonomy import load_taxonomy

    clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
    rows = _rows()
    inputs = [
        PassageInput(id=f"{r['doc_id']}-{i}", text=c["text"], doc_id=r["doc_id"], passage_index=i)
        for r in rows
        for i, c in enumerate(r["cues"])
    ]
    preds = iter(turn_text.predict_turns(clf, inputs))
    return {r["doc_id"]: [next(preds) for _ in r["cues"]] for r in rows}


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['kind']}-{r['doc_id']}")
def test_cue_fixture(row, predictions) -> None:
    problems = []
    for i, (cue, pred) in enumerate(zip(row["cues"], predictions[row["doc_id"]], strict=True)):
        got = set(pred.labels)
        scores = {k: round(v, 3) for k, v in pred.scores.items()}
        problems += [f"cue {i}: missing {m} {scores}" for m in cue["must"] if m not in got]
        problems += [f"cue {i}: forbidden {m} {scores}" for m in cue["must_not"] if m in got]
    assert not problems, f"{row['doc_id']}: {problems}"


def test_fixtures_cover_every_kind() -> None:
    assert {r["kind"] for r in _rows()} == {
        "trails_off",
        "goes_on",
        "resumes",
        "sound_cue",
        "speaker_change",
    }


SRT = "".join(
    f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{text}\n\n"
    for n, text in enumerate(
        [
            "Previously on Harbour Nights...",
            "[tense music playing]",
            "I told...",
            "Danny to leave.",
            "If you ever,",
            "talk to the police...",
            "[door slams]",
            "(sighs)",
            "I'll find you",
            "and break your legs.",
            "Good night",
        ],
        start=1,
    )
)


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 4])
def test_windows_cutting_a_subtitle_file_read_its_sentences_as_a_whole_file(
    tmp_path, taxonomy, chunk_size: int
) -> None:
    """What a cue's reading looks at (sound cues passed over, the clause an ellipsis
    breaks off: up to cue_sentences.LOOK cues away) a window's edge carries: every window
    size gives the whole file's reading."""
    from annotate.prelabeling import prelabel
    from tests.test_cue_sentences import _Reads, ingested_rows

    ingested_rows(tmp_path, "film.srt", SRT, out="p.jsonl")
    src = tmp_path / "p.jsonl"
    whole, windowed = tmp_path / "whole.jsonl", tmp_path / "win.jsonl"
    clf = _Reads(taxonomy.category_names)
    prelabel(src, whole, classifier=clf, chunk_size=10_000)
    assert "If you ever, talk to the police... I'll find you and break your legs." in clf.read
    assert "I told... Danny to leave." in clf.read
    prelabel(src, windowed, classifier=_Reads(taxonomy.category_names), chunk_size=chunk_size)

    # the rows are the same; each run's own record differs by the window size it names
    def rows(path: Path) -> list[dict[str, object]]:
        lines = path.read_text().splitlines()
        return [{k: v for k, v in json.loads(ln).items() if k != "prelabel_run"} for ln in lines]

    assert rows(windowed) == rows(whole)
    assert json.loads(windowed.read_text().splitlines()[0])["prelabel_run"]  # a record kept


def test_each_reading_before_this_one_is_named() -> None:
    """A prelabel resumed from parts of an older reading names what it read (stop 52:
    reading 8, so reading 7's parts are named in words too)."""
    from annotate.prelabel_parts import READINGS, read_as

    assert set(READINGS) == set(range(1, turn_text.READING_VERSION))
    assert read_as(turn_text.READING_VERSION - 1).endswith(")")


# break6 K1: cues trailing off on an article, a possessive, a conjunction or a
# preposition, and another speaker breaking in with a sentence of its own
INTERRUPTIONS = [
    ["I was only trying to...", "Shut up, or I'll slit your throat."],
    ["Mom, I swear it wasn't my...", "Get in the car before I slit your throat."],
    ["We were going to the...", "Nobody move or I slit the girl's throat!"],
    ["Honey, have you seen my...", "Don't move. I'll slit your throat."],
]


@pytest.mark.parametrize("cues", INTERRUPTIONS)
def test_a_clause_broken_off_does_not_take_an_interrupting_cues_threat(
    cues: list[str],
) -> None:
    """break6 K1: after "I told..." / "Danny to leave." was joined (stop 52), any cue
    after a clause broken off on such a word was, the next speaker's sentence too, and
    its threat (no span) reached the cue trailing off (passC50 R5's failure)."""
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues(cues, "k1.srt"))
    assert clf.read == cues
    assert [p.labels for p in preds] == [["none"], ["violent_threat"]]


@pytest.mark.parametrize(
    ("cues", "joined"),
    [
        # a name going on with the clause, as before
        (["I told...", "Danny to leave."], True),
        (["I told...", "Danny's brother to leave."], True),  # a possessive
        (["Give the money to...", "Sergeant Reyes."], True),
        # a sentence of its own: an opener, a contraction, an address, an exclamation
        (["I told...", "You'll regret this."], False),
        (["I told...", "Stop it."], False),
        (["I told...", "Danny, stop!"], False),
        (["I told...", "Danny!"], False),
        (["I told...", "Danny. Get out."], False),
        (["I was going to...", "I'll slit your throat."], False),  # "I" after no condition
        (["I WAS ONLY TRYING TO...", "SHUT UP."], False),  # upper-case subtitles
    ],
)
def test_after_a_clause_broken_off_only_a_name_goes_on(cues: list[str], joined: bool) -> None:
    """break6 K1: the capital after a clause broken off goes on only as a name would."""
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(cues, "k1.srt"))
    assert (clf.read[0] == " ".join(cues)) is joined, clf.read


@pytest.mark.parametrize(
    "cues",
    [
        # Netflix's dual speakers (a hyphen without a space) and interruptions (--)
        ["What are you--", "Be quiet or I'll slit your throat!"],
        ["-What are you--", "-Be quiet or I'll slit your throat!"],
        ["-Are you coming?\n-In a minute", "-or I'll slit your throat."],
        ["Are you coming", "-No.\n-Then I'll slit your throat."],
        ["Wait, what are you—", "be quiet or I'll slit your throat!"],
    ],
)
def test_netflix_dialogue_lines_and_interruptions_end_a_sentence(cues: list[str]) -> None:
    """break6 K6: "-Are you coming?" (a hyphen without a space: another speaker) and a
    trailing "--" (an interruption) did not end a sentence; the threat reached the cue
    before it."""
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues(cues, "k6.srt"))
    assert clf.read[:2] == cues  # (a cue of two lines is read a line at a time too)
    assert [p.labels for p in preds] == [["none"], ["violent_threat"]]


def test_a_hyphen_before_a_digit_is_no_dialogue_line() -> None:
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(["It's going to be", "-5 degrees tonight."], "k6.srt"))
    assert clf.read[0] == "It's going to be -5 degrees tonight."


@pytest.mark.parametrize(
    "cues",
    [
        ["MARY: If you tell anyone", "JOHN: [laughs]", "I'll slit your throat."],
        ["I'm going to", "[JOHN]", "slit your throat."],
        ["Give me the gun and", "(Mary)", "I'll slit your throat!"],
        ["If you tell anyone...", "[man]", "I'll slit your throat."],
        ["I'm going to", "[MAN 2]", "slit your throat."],
    ],
)
def test_a_sound_cue_naming_another_speaker_ends_the_sentence(cues: list[str]) -> None:
    """break6 K7: a cue of descriptions was passed over whoever it named: another
    speaker's ``JOHN: [laughs]`` or an SDH speaker id (``[JOHN]``, ``(Mary)``, Netflix's
    ``[man]``) joined the cue before it with the next speaker's threat."""
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues(cues, "k7.srt"))
    assert "slit" not in clf.read[0], clf.read
    assert preds[0].labels == ["none"]


def test_a_sound_cue_of_the_same_speaker_is_still_passed_over() -> None:
    """A labelled sound cue of the speaker whose sentence it interrupts, and a
    lower-case sound cue, are passed over as before (stop 52)."""
    clf = _Threat()
    cues = ["MARY: I'm going to", "MARY: [laughs]", "JOHN: what?", "MARY: slit it."]
    turn_text.predict_turns(clf, _cues(cues, "k7.srt"))
    assert clf.read[0] == "I'm going to"  # John's line after it: read alone
    clf = _Threat()
    cues = ["MARY: I'm going to", "MARY: [laughs]", "MARY: slit your throat.", "JOHN: no."]
    turn_text.predict_turns(clf, _cues(cues, "k7.srt"))
    assert clf.read[0] == "I'm going to slit your throat."


@pytest.mark.parametrize(
    "cues",
    [
        ["I'll find you and kill", "MARY: you know what, fine. I'll slit your throat."],
        ["I'll find you and kill", "MARY:you know what, fine. I'll slit your throat."],
        ["JOHN: I'll find you and kill", "MARY: fine. I'll slit your throat."],
        ["I'll find you and kill", "DR. REYES: fine. I'll slit your throat."],
    ],
)
def test_an_upper_case_speaker_label_read_as_words_opens_another_speakers_line(
    cues: list[str],
) -> None:
    """break7 L7: with one labelled cue the file is no conversation and its label is read
    as words; the sentence before went on into it ("... kill MARY: you know what")."""
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues(cues, "l7.srt"))
    assert not any("kill" in r and "slit" in r for r in clf.read), clf.read
    assert [p.labels for p in preds] == [["none"], ["violent_threat"]]


@pytest.mark.parametrize(
    "cues",
    [
        ["I'll find you at", "10:30 tomorrow, or I'll slit your throat."],  # a time
        ["JOHN: I'll find you and", "JOHN: slit your throat."],  # the same speaker
    ],
)
def test_a_time_or_the_same_label_opens_no_other_speakers_line(cues: list[str]) -> None:
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(cues, "l7.srt"))
    assert clf.read[0] == " ".join(cues)


@pytest.mark.parametrize(
    "cues",
    [
        ["I swear I'll slit your throat --", "-- if you touch it."],
        ["I swear I'll slit your throat--", "...if you touch it."],
        ["I swear I'll slit your throat —", "… if you touch it."],
    ],
)
def test_a_cue_resuming_an_interruption_with_dashes_or_an_ellipsis_goes_on(
    cues: list[str],
) -> None:
    """break7 L11: "--" ended the sentence even where the next cue resumes it."""
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues(cues, "l11.srt"))
    assert clf.read[0] == clf.read[1] == " ".join(cues)
    assert [p.labels for p in preds] == [["violent_threat"], ["violent_threat"]]


def test_another_speakers_cue_after_an_interruption_still_ends_it() -> None:
    clf = _Threat()
    cues = ["What are you --", "MARY: ...slit your throat."]
    preds = turn_text.predict_turns(clf, _cues(cues, "l11.srt"))
    assert clf.read[:2] == cues
    assert [p.labels for p in preds] == [["none"], ["violent_threat"]]
