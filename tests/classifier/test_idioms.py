"""Violent words used idiomatically are no threat (annotate.classifier.idioms, the rule
``idiom_cap``; issue 8). Sentences written for the project (not copied from any data
set, the fixtures or benchmarks/probes)."""

import json

import numpy as np
import pytest

from annotate.classifier.idioms import idiom_ranges, idiomatic, with_idiom_cap

IDIOMS = [
    # performance slang
    "Go kill it at your recital tomorrow!",
    "the drummer absolutely slayed",
    "honestly the new choir killed it on sunday",
    # a thing as the object, or a craving
    "Can somebody kill the music, it's past midnight.",
    "i could murder a kebab after that shift",
    "I'd kill for a pint right now",
    "my manager shot down the whole plan in five minutes",
    "He killed the project before it got started.",
    # contests and results
    "We got absolutely slaughtered in the semi-final.",
    "my little sister destroyed me at monopoly again",
    "They're going to crush us in the derby on saturday.",
    "we got hammered 6-1 lol",
    # hyperbole
    "The school run is murder on a wet monday.",
    "I'll die if she reads my diary.",
    "her cheesecake is to die for",
    "im dead 😭",
    "My calves are killing me after that run.",
    # sayings
    "Break a leg out there, you'll be brilliant.",
    "Let's kill two birds with one stone and shop on the way.",
    "Just bite the bullet and ask him.",
    "give it your best shot, mate",
]
NOT_IDIOMS = [
    # the same verbs aimed at people
    "I'm going to kill you.",
    "I will murder your whole family.",
    "I'll kill him at the audition, he won't walk out alive.",
    "we will slaughter every one of them",
    # a violent word beside the idiom
    "Break a leg, or I'll break both of yours.",
    "I'll destroy you at chess and then I'll stab you.",
    "I'll kill you at the match, bring a coffin.",
    # a person is no contest's opponent outside a contest ("crush the visitors" is)
    "I'll kill the ref after the game.",
    "the fans are going to crucify the referee",
    # a place or a building is no harmless object
    "I'm going to torch the mosque.",
    "We will destroy your house.",
    # "kill" with a person behind an adjective-like word
    "kill people and dogs",
    # "killed for" is no craving ("I'd kill for a coffee")
    "Nobody deserves to be killed for a tweet.",
    "they'll get killed for a few quid",
    # killing for a cause is no craving
    "I would kill for the cause.",
    "we'd die for allah and take you with us",
    # no idiom and no violent word
    "Lovely weather today.",
    # a long text is read whole by the classifier
    "We got slaughtered in the final. " * 5,
]


@pytest.mark.parametrize("text", IDIOMS)
def test_idioms_are_read(text: str) -> None:
    assert idiomatic(text), idiom_ranges(text)


@pytest.mark.parametrize("text", NOT_IDIOMS)
def test_threats_and_other_text_are_not_idioms(text: str) -> None:
    assert not idiomatic(text), idiom_ranges(text)


def test_idiom_ranges_are_the_texts_own_offsets() -> None:
    text = "Honestly, I could MURDER a pizza."
    (a, b), *_ = idiom_ranges(text)
    assert text[a:b] == "MURDER a pizza"


def test_an_invisible_character_hides_no_violent_word() -> None:
    assert not idiomatic("Break a leg, or I'll st\u200bab you.")


def test_cap_lowers_only_idiomatic_passages_the_grammar_does_not_read() -> None:
    texts = [IDIOMS[0], NOT_IDIOMS[0], IDIOMS[1]]
    probs = np.array([[0.7, 0.4], [0.7, 0.4], [0.7, 0.4]])
    out = with_idiom_cap(probs, [0], texts, [0.22], 0.5, keep=[False, False, True])
    assert out[0, 0] == pytest.approx(0.11)
    assert out[1, 0] == pytest.approx(0.7)  # a threat: untouched
    assert out[2, 0] == pytest.approx(0.7)  # the grammar read a threat: its reading stands
    assert out[0, 1] == pytest.approx(0.4)  # other columns untouched
    assert probs[0, 0] == 0.7  # the input is not modified


def test_the_rule_is_stored_with_a_frozen_model_and_applied(tmp_path) -> None:
    """A copy of the shipped model with ``idiom_cap`` set (the weights unchanged) reads an
    idiom it flags without the rule as no threat, and keeps a threat."""
    import shutil

    from annotate.classifier import DEFAULT_MODEL_DIR, PassageInput, load_classifier
    from annotate.taxonomy import load_taxonomy
    from tests.conftest import ROOT

    if not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file():
        pytest.skip("models/default is not built (run `make model`)")
    tax = load_taxonomy(ROOT / "labels.yaml")
    model = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    cfg = json.loads((model / "annotate_model.json").read_text())
    cfg["idiom_cap"] = 0.5
    (model / "annotate_model.json").write_text(json.dumps(cfg))
    texts = ["kill the engine before you get out", "I will murder your family."]
    inputs = [PassageInput(id=str(i), text=t, doc_id=str(i)) for i, t in enumerate(texts)]
    idiom, threat = load_classifier(str(model), tax).predict(inputs)
    thr = cfg["thresholds"]["violent_threat"]
    assert "violent_threat" not in idiom.labels
    assert idiom.scores["violent_threat"] <= 0.5 * thr + 1e-6
    assert "violent_threat" in threat.labels


# break7 L1-L4: threats that an idiom's form hid (each read as idiomatic before this fix)
HIDDEN_THREATS = [
    # L1: a body part or a relative is no contest's opponent
    "I'll smash your head in the match",
    "I'll crush your skull in the match",
    "gonna smash your face in the final",
    "we'll batter your son in the derby",
    "I'll beat your kid in the match so hard he won't wake up",
    # L2: a second object after the idiom, the verb left out
    "kill the lights and the witness",
    "kill the music and the singer",
    "kill the engine, then the driver",
    "I'll kill the deal and your father",
    "I could murder a pizza and your mother",
    "torch the project and the people in it",
    "we'll nuke the server and then your town",
    "I'll destroy your career and your kids",
    "we'll tear this place down with you in it",
    "kill two birds with one stone: you and your wife",
    "shot down his plane, next is your house",
    "I'll kill it at the rally tomorrow, bring your kids to watch",
    # ... whoever it names: a noun phrase that is no harmless thing
    "kill the lights, then the guard",
    "torch the project and the staff",
    "I could murder a pizza and the delivery guy",
    # L3: bombing or torching a gathering, a venue or an event is an attack on people
    "we'll bomb the meeting tomorrow",
    "bomb the meeting at 9am",
    "we'll bomb the game tonight",
    "we will bomb the stage at the festival",
    "torch the stage tonight",
    "nuke the meeting",
    "I will destroy the opposition with my own hands",
    "we're going to destroy the opposition, every last one of them",
    "crush the opposition at the rally with our fists",
    # L4: weapons, poison and harm phrasing outside the idiom
    "smash the meeting tomorrow with a machete",
    "tackle the problem: poison his drink",
    "I'd kill to see you suffer",
    "I'd kill for a chance to see you suffer",
    "I'd kill for a reason to end you",
    "Break a leg tonight, I'll make sure of it",
    "we'll slaughter them in the derby and then find where they live",
    "Kill the lights and wait for him in the dark",
    "kill the engine and get out of the car, now, or you're finished",
    "shoot the messenger, literally, he's at 5th street",
]


@pytest.mark.parametrize("text", HIDDEN_THREATS)
def test_threats_beside_an_idiom_are_not_capped(text: str) -> None:
    assert not idiomatic(text), idiom_ranges(text)


@pytest.mark.parametrize(
    "text",
    [
        "let's kill this meeting and go home",
        "she absolutely smashed the interview",
        "the women's team is going to murder the visitors on friday",
        "I'll kill you at tennis next week, bring your A game",
        "we bombed the exam lol",
        "kill the engine before you get out",
        "kill the lights and the music",
        "I could murder a pizza and a beer",
        "kill the lights, the kids are asleep",
    ],
)
def test_idioms_near_the_narrowed_forms_are_still_read(text: str) -> None:
    assert idiomatic(text), idiom_ranges(text)
