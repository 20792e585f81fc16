"""Veiled and conditional threats in the threat grammar (stop 53, issue 8, passI53 I1):
the forms threat assessment tells from direct threats, with no violent verb ("keep
talking and see what happens to you", "we know which bus your son takes. Drop the
lawsuit.", "would be a shame if something happened to it", "if you pass this I will find
you & your kids"), and their benign lookalikes. Sentences written for the project (not
copied from any dataset, benchmarks/probes or the blind round
benchmarks/veiled_threats_blind*.jsonl). Each threat below was read by none of the stop 52
grammar; the lookalikes "mended after ..." were read by it ("hunt you down a ...", "come for
you at six") or by this change's first version ("snitches get stitches is a saying")."""

from __future__ import annotations

import pytest

from annotate.classifier.threat_grammar import threat_sentences

VEILED = {
    "passI53 I1": [
        "Keep talking and see what happens to you. I have friends who do this for a living.",
        "We know which bus your son takes. Drop the lawsuit.",
        "Nice shop you have here. Would be a shame if something happened to it while your "
        "daughter is working the late shift.",
        "If you pass this I will find you & your kids after the meeting, understand?",
        "I will find you and your kids.",
    ],
    "conditional find / get / hunt": [
        "If you go to the police I will find you.",
        "Go to the cops and I'll find you.",
        "If you testify, I'll get you.",
        "I'll get you for this.",
    ],
    "see what happens": [
        "Say that again and see what happens.",
        "Keep it up and you'll see what happens to your family.",
        "Keep talking. See what happens.",
    ],
    "shame if something happened": [
        "It'd be a shame if anything happened to your wife.",
        "Shame if something were to happen to those lovely kids of yours.",
    ],
    "knowledge and a demand": [
        "I know where you live. Delete the post.",
        "We know where your kids go to school, so drop the complaint.",
        "I know where your daughter works. Think about it.",
        "Unless you drop the case, we know where your family lives.",
    ],
    "friends who / proverbs of menace": [
        "I've got friends who would pay you a visit.",
        "Snitches end up in the river.",
        "Accidents happen to people who talk.",
    ],
    "watch your back / regret": [
        "Watch your back.",
        "Watch your back, pal.",
        "Watch your back from now on.",
        "sleep with one eye open",
        "I'll make you regret this.",
        "You'll regret the day you crossed me.",
        "You'll wish you'd never been born.",
        "Keep posting and you'll be sorry.",
        "Tell anyone and you'll regret it, I promise.",
    ],
    "mended after blind round 1 (fitted)": [
        "If you don't drop it I will come for you and your kids.",
        "Go to the press and you won't make it home.",
        "Keep pushing me and you'll find out what I'm capable of.",
        "Call the cops and you'll end up like the last guy.",
        "Don't test me, you won't like what happens next.",
        "Withdraw the complaint or your family will pay for it.",
        "We know your daughter's school. Drop the case.",
        "Shame if anything happened to that car of yours.",
    ],
    "a tag question leaves a statement": [
        "I will kill you, understand?",
    ],
}

LOOKALIKES = {
    "find you / get you as a favour": [
        "I will find you a seat.",
        "If you come early, I will find you and your kids a table.",
        "I'll find you later at the party.",
        "If you're lost, I will find you.",
        "I'll get you a drink.",
        "If you report this bug, I'll get you a fix.",
        "If you vote for this, I will find you at the next election and campaign against you.",
    ],
    "see what happens as an experiment": [
        "See what happens when you add salt.",
        "Add salt and see what happens.",
        "Let's wait and see what happens.",
        "Try it and see what happens.",
        "Go ahead and click it, see what happens.",
        "Vote for this and see what happens to your taxes.",
    ],
    "knowledge without a demand": [
        "We know which bus goes downtown.",
        "I know where you live, I'll drop the book round later.",
        "We know what time your flight lands, we'll pick you up.",
        "I know where you work, so stop by for lunch sometime.",
        "I know what time your shift ends, be careful driving home, the roads are icy.",
        "I know where you live because you gave me your address for the parcel.",
        "We know which school your son goes to; the trip is on Friday.",
        "I don't know where you live.",
    ],
    "a shame of weather, heritage, insurance": [
        "It would be a shame if it rained.",
        "It would be a shame if something happened to the old bridge.",
        "My dad always said it would be a shame if something happened to the farm.",
        "It would be a pity if anything happened to the orchestra's funding.",
        "Would be a shame if your house caught fire without insurance. Get a quote today.",
    ],
    "friends, backs and regrets that are kind or bodily": [
        "I have friends who do this for a living.",
        "I have friends who can help you move.",
        "Watch your back posture when lifting.",
        "Watch your back and shoulders during the stretch.",
        "Watch your back, the ice is slippery.",
        "Good friends watch your back.",
        "You'll regret not buying this.",
        "You'll regret it if you skip leg day.",
        "You'll be sorry you missed it.",
        "I sleep with one eye open since the burglary.",
        "Keep talking, the recording is still running.",
    ],
    "mended after blind rounds 1 and 2 (fitted)": [
        "I'll hunt you down a spare charger.",
        "If you need a lift I'll come for you at six.",
        "I'll come for you after work and we can drive to the beach.",
        "Book now or you'll pay more.",
        "Keep driving like that and you'll end up in a ditch.",
        "If you leave now you won't make it home before the storm.",
        "Snitches get stitches is an old playground saying.",
        "Pay the invoice or you will pay a late fee.",
    ],
    "quoted, reported or condemned": [
        'The letter said "we know where your kids go to school" and police are investigating.',
        "Telling someone to watch their back is a threat.",
        "He told her he knows where her kids go to school.",
        "Saying 'see what happens to you' is a threat, report it.",
        "He wrote: keep talking and see what happens to you.",
        "Keep talking and see what happens, the chair said.",
    ],
}


@pytest.mark.parametrize("text", [t for ts in VEILED.values() for t in ts])
def test_veiled_and_conditional_threats_are_read(text: str) -> None:
    assert threat_sentences(text), text


@pytest.mark.parametrize("text", [t for ts in LOOKALIKES.values() for t in ts])
def test_their_benign_lookalikes_are_not(text: str) -> None:
    assert threat_sentences(text) == [], text


def test_the_veiled_sentence_is_the_span_not_its_neighbour() -> None:
    text = "Nice shop you have here. Would be a shame if something happened to it."
    assert [text[a:b] for a, b in threat_sentences(text)] == [
        "Would be a shame if something happened to it."
    ]
    text = "We know which bus your son takes. Drop the lawsuit."
    assert [text[a:b] for a, b in threat_sentences(text)] == ["We know which bus your son takes."]


# stop 55 (issue 8): the veiled forms added after a blind probe caught 10 of its 40 veiled
# threats, written for the project as general forms (none of the probe's sentences): an
# ultimatum's veiled end after "or", fates after the target's defiance, harm disowned after
# a deadline or a demand, the target's family's routine told to them, easy fires and
# accidents beside a demand, a shame for something of theirs to get hurt
STOP55_VEILED = [
    "Hand over the keys by Thursday or we'll make you leave.",
    "Sell the shop or we burn it down for you.",
    "Stop writing about the mayor or you'll find out the hard way.",
    "Delete the video, or else you'll learn what happens to bloggers who talk too much.",
    "Drop the case or the next visit won't be so friendly.",
    "Cross us one more time and nobody will be able to help you.",
    "Keep it up and see if you still have a job to go back to.",
    "Keep testifying and you'll wake up one morning wishing you hadn't.",
    "You have until Friday to pay. After that, whatever happens to your brother is on you.",
    "Last warning. I'm not responsible for what my lads do after tonight.",
    "Your son walks home alone every afternoon. Withdraw the complaint.",
    "We are aware of your daughter's nursery. Reconsider your evidence.",
    "I found your mother's address in five minutes. Cancel the hearing.",
    "We've got photos of your house and your car. Take the review down.",
    "Pay up, mate. Shops catch fire easily around here.",
    "Accidents happen on late shifts. Think about that before you sign the statement.",
    "It would be a shame for your dad's garage to get torched.",
    "nice flat on Mill Lane u got there. shame if something happened to it",
    "Sign the contract by Tuesday or see what happens to that van of yours.",
    "Return the money or see what happens.",
    "Stop emailing the council. I know which café your wife works at.",
    "I have mates in your street who would happily pay you a visit unless you delete that review.",
    "Write one more post like that and you're gonna learn what happens to bloggers who talk.",
    "The stall owners had better keep paying us for protection, since market stalls catch fire "
    "easily around here.",
]
STOP55_LOOKALIKES = [
    "Book before Friday or you'll pay more.",
    "Water the seedlings or you'll find out how fast they wilt.",
    "Practise the scales or you'll find out the hard way at the recital.",
    "Your son walks home alone every afternoon, so I drive him now.",
    "Accidents happen, so check your mirrors and drive carefully.",
    "Shops catch fire easily around here because the wiring is old, so the council inspects them.",
    "Nobody can help you if you don't ask for help.",
    "We are aware of your complaint and will reply within ten days.",
    "I found your address on the form; please check it.",
    "Whatever happens next is on you, captain, so lead well.",
    "The hotel is not responsible for what happens to items left in rooms.",
    "Keep practising and see if you still have the blisters next month.",
    "Reply by Friday or the offer lapses.",
    "We've got photos of your house from the survey. Please sign the form.",
    "You have until Friday to return the library books. After that there is a fine.",
    "Your daughter's school lets out at 3:15 on Fridays, so pick her up then.",
    "Add more yeast or see what happens.",
    "Taste the sauce and see what happens to that recipe of yours.",
    "Keep talking to the press, I know which café you like, let's meet there.",
    "You'll learn what happens to plants that get too much water.",
    "I have friends in Leeds who would love to pay you a visit if you don't mind.",
]


@pytest.mark.parametrize("text", STOP55_VEILED)
def test_the_veiled_forms_of_stop_55_are_read(text: str) -> None:
    assert threat_sentences(text), text


@pytest.mark.parametrize("text", STOP55_LOOKALIKES)
def test_the_stop_55_forms_keep_out_of_prices_lessons_care_and_notices(text: str) -> None:
    assert threat_sentences(text) == [], text
