"""Stop 56 (issue 8): constructions the threat grammar lacked, each written as one rule
of English rather than a list of sentences, with project-written sentences (none taken
from a probe or a public set) and the look-alikes each rule must keep out of.

- a title's full stop inside a vocative ends no clause ("..., Mr. Okafor, and I'll ...");
- a dropped "g" ("comin for you", "stabbin", "goin to");
- death by any verb with "to death" ("choke / starve / freeze to death"), never the
  idioms of feeling, work, affection or overuse;
- an injury as what someone needs or deserves ("a broken jaw", "a bat to the knees"),
  also opening the sentence ("a rope and a tree is all that ... deserves"), with a
  subject that names no thing;
- a question that asks why the violence has not been done yet ("why hasn't anyone
  shot ...", "how is ... still breathing");
- persecution of a people in the passive ("rounded up", "stamped out", "cleansed",
  "driven out by force");
- a single person by a role or an insult as an object ("kill every landlord"), and a
  people named by its modifiers or a believers' suffix without a determiner;
- the injured body after a poured substance ("pour acid on your face");
- a coordinated event before a wished death ("... gets cancer and dies") and a
  predicate before a normative one ("... are vermin and should be ...");
- the target's family's routine told to them with the time as a part of the day, a
  clock in am/pm or a weekday, beside a demand (the target's own bookings are not read);
- a person of a group by the singular of its plural ("every Sunni", "every Mormon"), a
  people by its nationality after "the" ("the Dutch");
- the target's vehicle wished down ("I hope your plane goes down");
- contests that are not sport (a quiz, a debate, a spelling bee) as the setting of a
  verb of winning, as annotate.classifier.idioms already reads them.
"""

from __future__ import annotations

import pytest

from annotate.classifier.threat_grammar import threat_sentences

READ = {
    "title in a vocative": [
        "Keep writing those reports, Mr. Okafor, and I'll set your garage on fire.",
        "Keep posting, Dr. Haines, and I will break your jaw.",
    ],
    "dropped g": [
        "i'm comin for u tonight, councillor",
        "we're comin for your family",
        "im goin to stab u outside the gym",
        "I'm stabbin you the second you walk out",
    ],
    "to death": [
        "I hope the landlord chokes to death on his own greed.",
        "May that senator freeze to death in his driveway.",
        "Those bankers deserve to starve to death.",
        "Every one of those smugglers should burn to death.",
    ],
    "injury deserved": [
        "That columnist deserves a broken jaw.",
        "What that pundit needs is a couple of broken ribs.",
        "A few broken fingers is all that thief needs.",
        "A rope and a tree is all that crooked alderman deserves.",
        "That umpire deserves a bat to the knees.",
    ],
    "why not yet": [
        "Why hasn't anyone shot that senator yet?",
        "How has nobody stabbed that pundit yet?",
        "why hasnt anybody put a bullet in that councillor yet",
        "Why is that landlord still breathing?",
        # a person or a group pointed at, by a role the rule names
        "why hasn't anyone shot that judge yet?",
        "Why hasn't anyone shot that activist yet?",
        "How has nobody hanged those traitors yet?",
    ],
    "persecution passive": [
        "Immigrants should be rounded up.",
        "Atheists must be stamped out, every last one.",
        "Those families ought to be cleansed from the district.",
        "Travellers should be driven out of the county by force.",
    ],
    "people without a determiner": [
        "Shoot every bailiff on this street.",
        "Bisexual men should be stamped out.",
        "Somali men from that estate should be rounded up.",
        "Those bisexual people should be stamped out.",
        "Kurdish men are a plague and must be rounded up",
    ],
    "routine with a demand": [
        "Your son's football is saturdays 9am. Drop the case.",
        "Your wife's book club meets at dusk. Withdraw the complaint.",
    ],
    "poured on the body": [
        "I will pour acid on your face for what you wrote.",
    ],
    "singular of a group, nationality": [
        "I hope every Sunni in this city dies slowly.",
        "May every Mormon in this state burn alive.",
        "I hope the Dutch all choke to death.",
        "I hope every Catholic in that parish dies slowly.",
    ],
    "vehicle wished down": [
        "I hope your plane goes down with you on it.",
        "I pray that your jet goes down.",
        "hope ur car crashes lol",
        "Praying that that pundit's car bursts into flames.",
    ],
    "event before a wished death": [
        "I hope that senator gets cancer and dies.",
    ],
}

NOT_READ = {
    "title in a vocative": [
        "Dr. Smith will see you now.",
        "Keep writing, Ms. Ruiz, and I'll keep reading.",
    ],
    "dropped g": [
        "I'm comin for dinner at 7",
        "we're goin to the match on saturday",
        "my cousin is stayin in the cabin",
    ],
    "to death": [
        "I hope the kids don't get bored to death at the museum.",
        "I hope my tomatoes don't freeze to death tonight.",
        "That joke should be done to death by now.",
        "We'll all be worked to death this quarter.",
        "I hope you don't get scared to death by the film.",
        "She loved that puppy to death.",
    ],
    "injury deserved": [
        "That chair needs a broken leg fixed.",
        "My phone deserves a broken screen after what it cost.",
        "He needs a broken arm like a hole in the head.",
        "She needs her broken wrist set by a surgeon.",
        "What this team needs is a good kicking coach.",
        "A good beating is what the rug needs.",
    ],
    "why not yet": [
        "Why hasn't anyone fixed the lift yet?",
        "Why has nobody shot the film yet?",
        "Why hasn't anyone killed the final boss yet?",
        "How has nobody beaten him at chess yet?",
        "Why hasn't anyone burned the old sofa yet?",
        "Why is my dog still breathing so fast?",
        "Why hasn't anyone hanged the picture yet?",
        # a thing pointed at is no one: the question asks for people or a group
        "Why hasn't anyone burned that old sofa yet?",
        "Why hasn't anyone burned that sofa yet?",
        "Why hasn't anyone set fire to that old shed yet?",
        "How has nobody torched that old shed yet?",
        "Why hasn't anyone blown up that ugly statue yet?",
        "Why hasn't anyone torched that ugly statue yet?",
        "Why hasn't anyone killed those weeds yet?",
        "Why hasn't anyone burned that leftover pizza yet?",
    ],
    "persecution passive": [
        "Prices should be rounded up to the nearest pound.",
        "Racism must be stamped out.",
        "The wound should be cleansed twice a day.",
        "The stray cattle should be rounded up before dark.",
        "Corruption must be stamped out of the league.",
    ],
    "people without a determiner": [
        "Old playlists should be purged from the app.",
        "Kill the engine, driver.",
        "Kill the driver process before you restart.",
        "Beat the boss on level 3 first.",
    ],
    "routine without a relation or a demand": [
        "Your sessions are Tuesday 7pm. Cancel 24 hours in advance if you can't come.",
        "Your shifts are mon and wed at 9am. Stop swapping them without asking.",
        "Your son's practice is at 6 on Tuesdays. Bring a water bottle.",
    ],
    "coordinated predicates of things": [
        "Weeds are a nuisance and should be stamped out.",
        "I hope my nan gets better and dies peacefully in her sleep.",
        "I hope the bill gets amended and dies in committee.",
        "I poured water on your plants while you were away.",
    ],
    "things beside a nationality or a singular": [
        "I hope the Chinese food is good tonight.",
        "I hope every glass in the cupboard breaks before the move.",
        "The French windows should be smashed out and replaced.",
    ],
    "vehicle not wished down": [
        "I hope your plane doesn't go down in this storm.",
        "I hope your flight goes smoothly.",
        "He said he hopes your plane crashes.",
        "I hope your car crashes the market, the new model is great.",
        "I hope your boat blows up online after that video.",
    ],
    "contest that is not sport": [
        "We'll slaughter them at the quiz on Thursday, nobody knows more film trivia than Priya.",
        "I will kill them at the spelling bee.",
        "We are going to murder them in the debate tonight",
    ],
}


@pytest.mark.parametrize("text", [t for ts in READ.values() for t in ts])
def test_the_stop_56_constructions_are_read(text: str) -> None:
    assert threat_sentences(text), text


@pytest.mark.parametrize("text", [t for ts in NOT_READ.values() for t in ts])
def test_the_stop_56_constructions_keep_out_of_their_look_alikes(text: str) -> None:
    assert not threat_sentences(text), text


def test_offsets_hold_where_a_title_or_a_dropped_g_is_read() -> None:
    text = "Mr. Webb, hear this. I'm comin' for you tonight."
    (a, b), *_ = threat_sentences(text)
    assert text[a:b].startswith("I'm comin'")
