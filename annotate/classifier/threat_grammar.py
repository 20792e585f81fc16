"""Explicit violent threats in the author's own voice, read by their grammar.

A frozen sentence encoder places "people like them should be shot" next to other hateful
sentences about the same group: it reads the topic and the target, not the speech act
(issue 8; the group probe's missed threats sit nearest same-group non-threats). This
module reads the speech act directly, for the explicit forms the taxonomy's
``violent_threat`` definition names, in a sentence the author says (not one inside
quotation marks, not one another speaker is reported to have said):

- **direct intent**: a first-person subject, an intent ("will", "'ll", "am going to",
  "gonna", "swear to", ...) and a violent verb with a target ("I will strangle the next
  woman who ...", "we're going to burn your house down"); a person named by a relation
  after a possessive is a target (family, partners, exes, home, work and school: "I am
  going to kill my wife tonight", "I'll break my neighbour's jaw"), but not the
  relation's things ("I'll kill my brother's high score"), a gift's receiver ("I'll
  shoot my boss an email") or a relation that modifies a thing ("our family photos");
- **normative**: a target that "should", "must", "deserves to", ... "be shot / be killed
  / die" ("people like them should be shot"; also coordinated, "ought to be rounded up
  and killed", and causative, "should have their legs broken", "deserve to have their
  church burned down"), that "deserves a bullet / the rope / a firing squad", or an
  agent that "should kill them" ("someone with guts should go down there and end
  them", "a real man would take a knife to him"); a wish or a call with the deed in the
  third person or the past ("I hope someone shoots him", "it's about time someone
  strangled her", "someone please stab him"); a subject with a relative clause or "like
  that" is a person whatever its last word ("politicians who vote for this", "anyone
  caught eating beef"), and the author as the subject is self-talk ("I should be shot
  for saying that");
- **second person**: "you're dead", "you will die", "your days are numbered", "your
  family will pay in blood";
- **promised**: a harm to come on someone beside the author's word ("... is getting
  stabbed, I swear", "mark my words, ... will be wiped out", "I'll see to it that ...
  gets hurt"); not on the author's side or on anyone at all ("someone is going to get
  killed on this junction, I swear" is a worry).

Direct intent also reads a dropped subject ("gonna stab the next ..."), "imma", a
vehicle driven into a crowd or a place of worship, "come for you" (with a person as its
object, never "come for dinner") and a conditional imperative before it ("say one more
word and I'll cut your throat"); text-speak ("im gonna", "ill" right before a violent
verb, "u" and "ur" as targets, "ur dead"); the author's causative ("I'll have your legs
broken", "I'll have you killed"); advice ("if I were you, I'd stab him"); "open fire on",
a body part cut off, "send you to intensive care". The second person also reads harm in
the progressive ("you're getting stomped", "your temple is getting firebombed": not a
thing, not "hurt", not an idiom of losing, "getting killed on fees") and veiled futures
("you won't see Christmas", "you'll never walk again", "you'll be swinging from a
lamppost", "sleep with one eye open", "better watch your back"). Normative forms also
read nouns of a beating with their adjectives ("a good old-fashioned lynching", "what
that reporter needs is a good hard beating", "needs killing"), "acid in the face", "the
only good X is a dead X" (not pests or things), "it would be a public service if someone
drove a car into ...", "it would be a shame if something happened to your ..."; a promise
also reads "... or dead, we'll see to that". An **imperative call** aimed at people
opening a sentence ("hang them", "let's kill every last one of them", "shoot the
refugees at the border") is read as a threat, as the public sets nobody here wrote label
it (implicit-hate's "threatening", HatemojiBuild; Gab calls it a call for violence, which
the classifier's incitement head reads beside it); its object must name people (a
pronoun, a relation, a group or role, a plural in -ists/-ians/-ites), since instructions
are the register of kitchens, gardens, code and sport ("shoot the ball low", "strangle
the bindweed"). Normative wishes and conditions (stop 51) with the target's fate as their clause: "I
hope they all burn", "hope you die in a fire", "may every one of them hang", "with any
luck they'll all be dead by Christmas", "I wouldn't shed a tear if they were shot", "the
world would be better if they were wiped out", "if I had my way they'd all be hanged",
"I'd love to see them burn"; and "they belong in the ground / a gas chamber", "round
them up and shoot them", "time to start hanging traitors", "the only solution is to
exterminate them", "all of them should burn", "a slow and painful death", "thrown off
buildings". Their subject must name people (a pronoun, a group, a role, a relation, a
person by an insult, a relative clause), never a thing, a pest, the author or anyone at
all ("I hope the bill dies in committee", "I hope the wasps die off"); death that is care
or an idiom ("dies peacefully", "die laughing", "shot of", "killed off" in a series,
"wiped out at the election", sunburn, "drown in paperwork") is no fate; a wish's own
negation ("I wouldn't mind", "can't wait to see") negates nothing, but a negated fate
does ("I hope nobody gets hurt"). "Death to X" is not read: the public sets
label that slogan a call, not a threat (three Gab and implicit-hate rows labelled no
threat; benchmarks/threat_grammar_reads.py). The long tail (stop 52), each read only with
people as its object or subject: verbs that name violence on people or pests alone
("nuke / eradicate / purge / exterminate them all", "they must be purged", never pests,
diseases or files: "exterminate the termites", "polio must be eradicated", "purged from
the database", nor a "them" whose nearest plural noun in the passage names things: "Delete
the temp files? Nuke them all."), what people
deserve or need ("all they deserve is a rope", "she needs a rope", "they deserve the
wall", "they need exterminating"; not "a rope ladder", "a bullet point"), "give them the
rope", "death is too good for them", "ropes for traitors", "bring back the rope for ...",
"it's open season on ..." (not bargains, ducks or a league), "take care of ...
permanently" (not in a care home), "string em up" (not lights or bunting), "put them down
like dogs" (not on the shelf), "no mercy for ..." (not a derby), "to the gallows with
them", "send them to the camps" (not summer camp), "send them home in body bags", "feed
them to the pigs" (not scraps), "let them starve / drown", "deport them at gunpoint", "I
want them all dead" (not "dead tired", a bug), "get a rope" (the whole sentence),
"where's a sniper when you need one", "shoot on sight ...", "..., kill them all" after a
comma, "we need to start killing them", "let's go hunting ...", "make them suffer and
die", "cleanse the country of them", "stone them to death", "I'd kill them all", "a
firing squad is what they need", "the only cure is a bullet", people burned or sunk "with
them inside", "bomb their weddings", "round them up and put them in camps", "make them
dig their own graves", "shame nobody has shot him yet", "I won't rest until they're all
dead", "hanging's too good for them", "guillotine the billionaires", "time for the rope",
"fire up the ovens", "should be the first against the wall"; "em" is a pronoun. Left out:
"let them rot" (prisons), "line them up" alone (photos, queues), "they'd be better off
dead" (pity), "kill it with fire" (things), and "sterilise them" (its passive read a Gab
training row labelled no threat: "some humans should be sterilized"; so did "the day of
the rope"; "kill those who ..." read an implicit-hate row labelled no threat). A round of
threats written after the rules was read no better than by the stop 51 grammar (16 of 40
both): the tail is open-ended (benchmarks/README.md, "The long tail of normative
threats").

**Veiled and conditional threats** (stop 53, issue 8, passI53 I1), with no violent verb,
read where the menace is in the form or a condition warns the target off (the target's
defiance: "keep talking", "if you testify", "go to the police", "pass this"): "I will
find you and your kids", "if you pass this I will find you after the meeting", "I'll get
you for this", "say that again and see what happens (to you)", "keep talking. See what
happens.", "would be a shame if something happened to it" (with something of the
target's named: "nice shop you have here"; never the weather, a bridge or an insurance
advert), knowledge of the target's home, family or routine with a demand in the sentence
or beside it ("We know which bus your son takes. Drop the lawsuit."; not "we know which
bus goes downtown", nor "I know where you live, I'll drop the book round"), "I have
friends who would pay you a visit", "accidents happen to people who talk", "people who
cross me tend to disappear", "snitches end up in the river", "watch your back" and
"sleep with one eye open" as orders (not "watch your back posture when lifting"), "I'll
make you regret this", "you'll regret the day you crossed me", and after a condition
"you'll regret it / be sorry" (not "you'll regret not buying it"). A question tag
("..., understand?", "got it?") leaves a statement a statement. Left out: "I have
friends who do this for a living" alone (a trade), "I'd be careful if I were you"
(advice as often), a knowledge sentence without a demand, "try it and see what
happens". Measured in benchmarks/README.md, "Veiled and conditional threats in the
threat grammar".

**Stop 55** (issue 8): slogans for "people like this / them" ("bring back hanging for
people like that": a noun phrase may end in "like" + a pronoun, never a thing or a pest
"like this"); a bullet or a blade where it kills in the target's body ("a bullet between
your eyes", "it's a knife in your throat"; not a wound told in the past, "you took a
bullet in your chest", nor "a knife in your back"); the target's own words as the
condition ("say that again and ...", "stop writing about me or ...": no reported speech);
and veiled forms: an ultimatum's end after "or" ("or we'll make you leave", "or you'll
find out the hard way", "or the next visit won't be so friendly"; not "or you'll pay
more"), fates after the target's defiance ("... and nobody will be able to help you",
"see if you still have a job"), "you'll wake up one morning wishing you hadn't", harm
disowned after a deadline or a demand ("whatever happens to your brother is on you",
"I'm not responsible for what my lads do"), what the author knows or holds of the target
("we are aware of your daughter's nursery", "we've got photos of your house") and the
family's routine told to them ("your son walks home alone every afternoon"), each with a
demand beside it; easy fires and accidents "around here" with a demand; "a shame for your
garage to get torched". Written from general forms of intimidation after a blind probe
(benchmarks/probes/blind_threats_9.yaml) caught 10 of its 40 veiled threats: that probe's
veiled rows were read to find the forms, so its veiled figure is no longer blind.

A sentence it reads keeps the threat label even where the classifier rates a context
label (news, counter-speech) more probable (:func:`keep_threat`): by construction it is
outside quotation marks and others' words, so the own-voice reading stands, and no
context label fires beside it (also where the threat label fired on its own score).

Read it as a second opinion beside the classifier, not a classifier: it never reads
hyperbole without a target ("this traffic is killing me"), past events ("he shot
three people"), negated or questioned forms ("no one deserves to die", "should they be
shot?"), or clauses embedded under someone else's words ("people who say Jews should be
killed ..."; "he said he will kill them"). Veiled threats without a violent verb ("I know
where the councillor parks") are left to the classifier, but for the veiled forms
above (with a demand, that one is read). Hyperbole WITH a target is read as a threat:
no grammar tells "I'm going to kill my brother for eating the last slice" from "I'm
going to kill my wife for cheating on me", and a game the contest words do not name
("kill my sister at Mario Kart") is no contest.

Settings where such grammar over-fires, and what keeps it out of them: an object that
names no person (kitchen, garden, medicine, games, machines: "beat the eggs", "kill the
infection", "the final boss with"; a pet or farm animal as the passive's subject, "the
horse must be put down"); a verb followed by a preposition, not an object ("shoot from
outside the box", "burn through the rest"); a verb sport uses for winning in a sentence
about a contest ("we're going to kill them on Saturday, the defence is a shambles"),
unless a crowd of people is named; a third party's decision, ruling, pledge or order, or
words read or heard ("the tribunal ruled that ...", "sick of reading that ..."); fiction
and lyrics named before the clause ("the chorus", "in the sequel"); an attribution after
it ("..., a court heard", "according to state media", "..., said the prosecutor about
the convicted killers"); forum quoting (a line opening with
">", the line after "X wrote:" or "Quote from: ..."); "you will die" as a truism ("one
day", "laughing"). Violent verbs joined by "and" are read ("I will find him and break
his jaw"). Text-speak was left out in stop 42 ("im gonna stab u": reading it then gained
no public threat and added a public row labelled no threat, "im against killing babies");
read since stop 44 with that row kept out (no preposition between "I'm" and the verb).

The word lists were written for the project from the taxonomy's definition (labels.yaml)
and general English grammar, before any public row was read for this purpose, then
edited once after reading the public rows and BBC sentences the first version fired on
(models/default.train.yaml, above ``threat_grammar``, names the edits and gives the
rule's cross-source measurement).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from annotate._util.invisible import Visible, without_invisible
from annotate._util.regex_literals import LiteralGate
from annotate.classifier.base import Span
from annotate.classifier.features import quote_ranges, sentence_ranges
from annotate.classifier.quote_blocks import POSTER_HEADER_RE
from annotate.classifier.spans import free_of

# violent verbs: base form, third person, -ing, past, past participle (regular ones
# expanded by _forms); phrasal verbs keep their particle
_REGULAR = (
    "kill murder slaughter butcher behead decapitate lynch strangle torch bomb gas "
    "massacre execute exterminate annihilate maim torture poison drown stab knife "
    "rape assault attack harm hurt shoot hang burn beat smash bash slit cut break "
    "choke gun mow run hunt firebomb kneecap kick stomp assassinate castrate snap"
)
_IRREGULAR = {
    "shoot": ["shoots", "shooting", "shot"],
    "hang": ["hangs", "hanging", "hanged", "hung"],
    "burn": ["burns", "burning", "burned", "burnt"],
    "beat": ["beats", "beating", "beaten"],
    "slit": ["slits", "slitting"],
    "cut": ["cuts", "cutting"],
    "break": ["breaks", "breaking", "broke", "broken"],
    "hurt": ["hurts", "hurting"],
    "stab": ["stabs", "stabbing", "stabbed"],
    "gun": ["guns", "gunning", "gunned"],
    "mow": ["mows", "mowing", "mowed", "mown"],
    "run": ["runs", "running", "ran"],
    "knife": ["knifes", "knifing", "knifed"],
    "gas": ["gasses", "gassing", "gassed"],
    "execute": ["executes", "executing", "executed"],
    "exterminate": ["exterminates", "exterminating", "exterminated"],
    "annihilate": ["annihilates", "annihilating", "annihilated"],
    "decapitate": ["decapitates", "decapitating", "decapitated"],
    "behead": ["beheads", "beheading", "beheaded"],
    "strangle": ["strangles", "strangling", "strangled"],
    "torture": ["tortures", "torturing", "tortured"],
    "lynch": ["lynches", "lynching", "lynched"],
    "massacre": ["massacres", "massacring", "massacred"],
    "smash": ["smashes", "smashing", "smashed"],
    "bash": ["bashes", "bashing", "bashed"],
    "choke": ["chokes", "choking", "choked"],
    "kneecap": ["kneecaps", "kneecapping", "kneecapped"],
    "stomp": ["stomps", "stomping", "stomped"],
    "snap": ["snaps", "snapping", "snapped"],
}
# participles whose passive means violence without the particle their active voice needs
# ("should be beaten" against "we'll beat them up")
_PASSIVE_NO_PARTICLE = frozenset({"beat", "beaten"})
# verbs that need a particle or object to mean violence ("run over", "gun down", "cut
# ... throat", "break ... jaw"): the particle is checked in the target window
_NEEDS = {
    "gun": r"down",
    "mow": r"down",
    "run": r"over|down",
    "hunt": r"down",
    "cut": r"(?:\w+ ){0,2}(?:throats?|(?:heads?|hands?|fingers?|ears?|tongues?|noses?|balls|"
    r"dicks?|legs?|arms?|feet|foot) off)|(?:him|her|them|you|u) up|"
    # the particle before the body part: "cut off their heads" (an implicit-hate training
    # row labelled threatening)
    r"off (?:\w+ ){0,2}(?:heads?|hands?|fingers?|ears?|tongues?|noses?|balls|dicks?|legs?|"
    r"arms?|feet|foot)\b",
    "slit": r"throats?|wrists?",
    "break": r"(?:jaws?|necks?|legs?|arms?|bones?|skulls?|faces?|noses?|fingers?|hands?|ribs?|"
    r"knees?|kneecaps?|spines?|backs?|wrists?|ankles?|teeth)\b",
    "snap": r"(?:necks?|spines?|legs?|arms?|fingers?|wrists?|bones?)\b",
    "smash": r"(?:skulls?|heads?|faces?|teeth)\b",
    "bash": r"(?:skulls?|heads?|faces?|brains?)\b",
    "beat": r"up|to death|senseless|bloody|black and blue|the (?:shit|hell|crap|life) out",
    "kick": r"the (?:shit|hell|crap|life|living daylights) out|(?:\w+ ){0,3}(?:heads?|teeth|"
    r"faces?|skulls?|doors?) in|(?:\w+ ){0,2}to death|(?:him|her|them|you) senseless",
}


def _forms(base: str) -> list[str]:
    if base in _IRREGULAR:
        return [base, *_IRREGULAR[base]]
    stem = base[:-1] if base.endswith("e") else base
    return [base, base + "s", stem + "ing", stem + "ed"]


_FORM_OF: dict[str, str] = {f: b for b in _REGULAR.split() for f in _forms(b)}


def _alt(forms: set[str]) -> str:
    return "|".join(sorted(forms, key=len, reverse=True))


_BASES = set(_REGULAR.split())
_ING = {f for f in _FORM_OF if f.endswith("ing")}
_PP = {f for f in _FORM_OF if f not in _BASES and f not in _ING and not f.endswith("s")}
_PP |= {"beat", "cut", "hurt", "shot", "slit", "run", "burnt", "hung"}
# the -ing forms with their "g" dropped, as people write speech ("stabbin", "killin"; "in'"
# is read as "ing" by _normalise): none of them is another English word (stop 56)
_FORM_OF.update({f[:-1]: b for f, b in list(_FORM_OF.items()) if f.endswith("ing")})
_ING |= {f[:-1] for f in _ING}
# "em" without its apostrophe is internet spelling ("kill em all", "string em up")
_PRONOUN = r"(?:him|her|them|you|ya|u|'em|em(?! dash)|y'all)"
# "we will come for you": a threat only with a person as its object ("come for dinner")
_COME_FOR = (
    rf"(?:{_PRONOUN}|all of (?:you|them)|every (?:last )?one of (?:you|them)|"
    r"your (?:family|families|kids|children|kind|people))\b"
)
# "take a knife to that imam": the target follows "to" (read like a verb's object)
_TAKE_WEAPON = (
    r"take (?:a|the|my|his|her|our|their|this|that) (?:[\w'-]+ )?(?:knife|knives|blade|"
    r"machete|axe|hammer|bat|crowbar|gun|shotgun|rifle|pistol|blowtorch|petrol|acid) to"
)
# a vehicle driven into a crowd, a gathering or a place of worship ("drive my van into
# the Pride march"), never into a garage or a ditch
_RAMMING = (
    r"(?:[\w'-]+ ){0,2}(?:car|van|truck|lorry|suv|bus|pickup|jeep|tractor) "
    r"(?:straight |right |full speed |flat out )?(?:into|through) "
    r"(?:[\w'-]+ ){0,3}?(?:crowds?|march(?:es)?|parades?|protests?|protesters|rall(?:y|ies)|"
    r"demo|demonstrat(?:ion|ions|ors)|vigils?|people|them|you|pedestrians|worshippers|"
    r"congregations?|festivals?|markets?|queues?|mosques?|synagogues?|churches|church|"
    r"temples?|schools?|refugees|migrants|kids|children|students)\b"
)
# phrasal forms with no single violent verb (base form; their object is inside)
_PHRASES = (
    r"set (?:\w+ ){0,3}(?:on fire|alight|ablaze)|set fire to|blow (?:\w+ ){0,3}(?:up|away)|"
    r"blow (?:\w+ ){0,2}brains out|put (?:a|one|some) bullets? (?:in|through|between)|"
    r"put one (?:right )?(?:in|through|between) (?:your|ur|his|her|their) (?:eyes|head|skull)|"
    r"put (?:\w+ ){0,2}(?:in|into) (?:the|a|an) (?:ground|grave|hospital|coffin|body ?bag|morgue)|"
    r"make (?:\w+ ){0,5}bleed|wipe (?:\w+ ){0,3}out|finish (?:\w+ ){0,2}off|open fire (?:on|at)|"
    rf"end {_PRONOUN}\b|gut {_PRONOUN}\b|come for {_COME_FOR}|{_TAKE_WEAPON}|"
    rf"(?:drive|ram|plough|plow|steer) {_RAMMING}|"
    r"make (?:\w+ ){1,3}disappear (?:for good|permanently|forever)|stone (?:\w+ ){1,3}to death|"
    rf"pour (?:boiling water|acid|petrol|gasoline|bleach) (?:on|over|in|into) (?:{_PRONOUN}\b|"
    # or on the target's body ("pour acid on your face"; stop 56)
    r"(?:your|ur|his|her|their) (?:face|faces|eyes|head|body|skin))|"
    r"(?:throw|chuck|splash) (?:acid|bleach|petrol) (?:on|at|in|over)|"
    r"make (?:\w+ ){1,2}pay (?:in|with) (?:blood|(?:their|his|her|your) li(?:fe|ves))|"
    rf"(?:send|leave) {_PRONOUN} (?:to|in|into) (?:the |a |an )?(?:hospital|morgue|grave|icu|"
    r"intensive care|a&e|wheelchair|body ?bag|coffin|ditch)|"
    r"shut (?:\w+ ){1,3}up (?:for good|permanently|forever)|"
    r"take (?:\w+ ){1,3}out (?:for good|permanently|once and for all)|"
    r"wipe (?:\w+ ){1,3}off the (?:face of the )?(?:earth|planet|map)|"
    r"put (?:them|'em|him|her|you|all of (?:them|you)|every one of (?:them|you))(?: all)? "
    r"(?:up )?against (?:a|the) wall"
)
_PHRASES_ING = (
    r"setting (?:\w+ ){0,3}(?:on fire|alight|ablaze)|setting fire to|"
    r"blowing (?:\w+ ){0,3}(?:up|away)|putting (?:a|one|some) bullets? (?:in|through)|"
    r"opening fire (?:on|at)|"
    rf"coming? for {_COME_FOR}|(?:driving|ramming|ploughing|plowing|steering) {_RAMMING}"
)
_BASE_V = rf"{_alt(_BASES)}|{_PHRASES}"
_ING_V = rf"{_alt(_ING)}|{_PHRASES_ING}"
_PP_V = (
    rf"{_alt(_PP)}|put down|strung up|wiped out|put to death|eradicated|eliminated|"
    r"set (?:on fire|alight|ablaze)|hacked (?:to (?:pieces|death|bits)|apart|up)|"
    r"blown (?:up|apart|to (?:pieces|bits|smithereens))|(?:burned|burnt|buried) alive|"
    r"wiped off the (?:face of the )?(?:earth|planet|map)|(?:curb|kerb)-?stomped|"
    r"sent to (?:the )?(?:gas chambers?|ovens?|gallows)|stoned to death|"
    r"torn apart|ripped apart|lined up against (?:a|the) wall|machine[- ]?gunned|"
    # thrown to their death ("gays should be thrown off buildings")
    r"(?:thrown|pushed|dropped|tossed) (?:off|from|out of) (?:a |the |their |tall )?(?:roofs?|"
    r"rooftops?|buildings?|bridges?|cliffs?|towers?|balcon(?:y|ies)|helicopters?|planes?|"
    r"skyscrapers?|tower blocks?)|fed to (?:the )?(?:sharks|lions|crocodiles|alligators|wolves)"
)

_INTENT = (
    r"(?:will|shall|'ll|am going to|'m going to|are going to|'re going to|am gonna|"
    r"'m gonna|are gonna|'re gonna|gonna|intend to|plan to|promise to|swear to|vow to|"
    r"am about to|'m about to|are about to|'re about to|can't wait to|cannot wait to|"
    r"am coming to|'m coming to|are coming to|'re coming to|will be coming to|"
    # the same with a dropped "g" (stop 56: "i'm goin to", "we're comin to")
    r"am goin to|'m goin to|are goin to|'re goin to|am comin to|'m comin to|'re comin to|"
    r"won't stop until i|won't rest until i)"
)
_FIRST = (
    r"(?:i|we|me and (?:my |the )?\w+|my (?:boys|crew|friends|brothers|mates|men|guys|lads)|"
    r"our (?:boys|crew|men|lads|militia|brothers|soldiers|fighters|unit|cell))"
)
# with internet spellings ("shud", "shld", "deserve 2", "need 2"; stop 52)
_MODAL = (
    r"(?:should|must|need to|needs to|ought to|deserve to|deserves to|have to|has to|"
    r"gotta|got to|are to|is to|oughta|shud|shld|shoudl|shuld|sould|deserv to|"
    r"(?:need|needs|deserve|deserves|deserv) 2)"
)
_ADV = (
    r"(?:(?:all|just|simply|each|really|finally|actually|literally|then|also|"
    r"every one|one by one|personally|slowly|publicly),? )"
)
_NORMATIVE_AGENT = (
    r"(?:(?:we|you|someone|somebody|some1|sum1|people|everyone|everybody|they|y'all|"
    r"the government|"
    r"the state|the army|the police|society)(?: (?:with (?:\w+ ){0,2}?(?:guts|balls|"
    r"a spine|courage|a gun)|(?:brave|man|bold) enough|(?:in|at|from|on) (?:that|this|the|"
    r"our|their|his|her|my) [\w'-]+))?)"
)
# who "would" do it, as a norm ("a real man would take a knife to him")
_IDEAL_AGENT = r"(?:a real|any real|real|a true|true) (?:man|men|patriots?) would"
# filler words between an intent and its verb that make it no act of the subject's
_NOT_FILLER = r"(?!(?:be|get|been|being|got|have|not|never)\b)"
# what a threat is aimed at: a person, a group or their place (checked after the verb)
_TARGET = (
    r"(?:you|ya|u|ur|y'all|your|yours|him|her|them|'em|em(?! dash)|those|these|that|this|"
    r"every|everyone|everybody|all|each|any|anyone|anybody|the|his|their|whoever|some|one|people|"
    r"men|women|kids|children)"
)
_THINGS = (
    r"time|it|vibe|mood|game|exam|test|competition|record|odds|deadline|traffic|calories|"
    r"fat|bugs?|weeds?|flies|mosquito(?:es)?|zombies?|boss(?:es)?|lights?|engine|"
    r"photos?|pictures?|videos?|film|movie|scene|episode|season|breeze|hoops?|pool|shots?|"
    r"bridges?|candles?|rubber|midnight oil|cd|dvd|disc|bread|toast|food|dinner|cake|"
    r"joint|weed|crowd|stage|interview|bill|law|idea|project|plan|show|series|"
    r"myself|ourselves|yourself|me|us"
)
# heads of noun phrases that name no person, group or place, by domain (a plural "s" or
# "es" is allowed): kitchen, house and garden, body and medicine, games and sport, work,
# school and media, machines; words that also name people ("pigs", "animals", "rats")
# are left out, and so are houses, cars and other property a threat can name
_OBJECTS = (
    # kitchen
    "egg chicken turkey beef pork lamb meat steak mince fish salmon bacon sausage dough "
    "batter butter sugar cream milk flour cheese onion garlic potato carrot vegetable "
    "veg herb spice fruit apple lemon nut chocolate pancake pizza pasta sauce soup stew "
    "curry burger toastie sandwich coffee tea kettle pan pot oven stove grill barbecue "
    "bbq recipe ingredient marinade garnish crust rice noodle bean lentil stock broth salad "
    "lasagna lasagne burrito kebab pie tart pudding dessert cookie biscuit doughnut donut "
    "bagel brisket roast joint sushi ramen taco fries chips crisps lobster crab prawn "
    "shrimp oyster mussel pint beer wine cocktail drink meal snack breakfast lunch "
    "tomato pepper aubergine courgette mushroom toast dish casserole "
    # house, garden, DIY
    "shelf shelves wall floor tile ceiling door window curtain blind wallpaper mirror "
    "frame plaster paint varnish wood plank log timber branch leaf leaves hedge tree "
    "stump lawn grass garden waste rubbish trash bin scrap cardboard paper box nail "
    "screw drill saw hammer washing laundry clothes sheet towel bonfire stove "
    "rug carpet mat cushion pillow duvet mattress fire flame coal charcoal fuel incense "
    "wick painting artwork drawing sculpture tapestry "
    "fuse wire cable pipe boiler radiator seed bulb plant shrub "
    # body, medicine, pests
    "infection bacteria virus germ cancer tumour tumor cell tissue wart mole cyst "
    "blister lice louse flea tick parasite mould mold pain fever cold cough symptom "
    "rash pest rodent termite wasp slug snail aphid weevil cockroach roach mosquito "
    # games and sport
    "level boss map round raid quest mission dungeon dragon monster zombie npc mob "
    "combo workout session rep lap race sprint relay ball puck net basket goal penalty "
    "shot serve rally set match final semi quiz puzzle crossword sudoku controller "
    "console base spawn lobby squad clan server "
    # work, school, media, machines
    "presentation essay exam test homework assignment report deadline meeting speech "
    "pitch audition gig song track album playlist verse chorus beat tune solo music "
    "radio noise volume sound poster image print canvas balloon tyre tire "
    "performance routine printer computer laptop phone router wifi internet modem "
    "keyboard screen tv telly remote app server code power battery alarm engine motor "
    "gun rifle pistol camera lens letter note document file diary receipt envelope card "
    "book magazine newspaper "
    # tasks, trade and messages
    "problem issue question task challenge job backlog bargain inbox email message text deal "
    "offer price market sale contract target strategy script query order trade hill "
    "branch commit build feature ticket request process cron thread query "
    "policy scheme proposal reform regulation rule tax motion amendment vote campaign "
    "software program programme product franchise trend meme rumour rumor hype "
    # photography and filming: what one shoots with a camera
    "sunrise sunset landscape skyline wedding portrait timelapse footage "
    # game birds and deer, nests
    "deer pheasant grouse duck pigeon boar partridge quail nest hive fox rabbit squirrel "
    "crow magpie"
)
_OBJECT = rf"(?:{_alt(set(_OBJECTS.split()))})(?:s|es)?"
# a modifier inside the object's noun phrase (not a pronoun, preposition or clause word)
_MODIFIER = (
    r"(?:(?!(?:who|whom|whose|that|which|with|from|in|into|on|at|of|for|to|by|and|or|"
    r"but|if|when|while|because|before|after|until|you|him|her|them|'em|us|me|everyone|"
    r"everybody|anyone|anybody|whoever|people|men|women|kids|children)\b)[\w'-]+\s+)"
)
_DET = r"(?:the|this|that|these|those|a|an|some|my|your|our|all|every|his|her|their)"
# what follows the head of a noun phrase (so "the final boss with" has "boss" as head,
# and "the final person who" no object word at all)
_AFTER_HEAD = (
    r"(?=\s*(?:$|[,.;:!)]|(?:with|from|in|into|on|onto|at|of|for|to|by|and|or|but|if|"
    r"when|while|before|after|until|till|then|so|as|because|down|up|out|off|over|again|"
    r"more|first|now|tonight|today|tomorrow|later|soon|properly|hard|quickly|slowly|"
    r"together|once|this|next|every|until|lol|lmao|lmfao|rofl|haha\w*|xd|behind|beneath|"
    r"under|near|inside|outside|round|along|across|around|past|during|without|"
    r"disappear|that|which|harder|better|differently|myself|ourselves|yourself|himself|"
    r"herself|themselves)\b))"
)
# objects after a violent verb that make it no threat against people
_NOT_TARGET = re.compile(
    rf"^(?:(?:the|this|that|a|an|some|my|your|our|all|every)\s+)?(?:{_THINGS})\b|"
    rf"^(?:{_DET}\s+)?{_MODIFIER}{{0,2}}{_OBJECT}{_AFTER_HEAD}|"
    r"^(?:this|that|which|what)\b(?!\s+[a-z])"
)
# a target right after the verb, after at most two particles or adverbs, never after a
# preposition ("shoot from outside the box", "burn through the rest of the season")
_PREPOSITION = (
    r"(?:from|in|into|on|onto|with|through|for|about|to|across|around|by|along|past|"
    r"under|towards?|without|like|than|during|within|against)"
)
_AIMED_AT = re.compile(
    r"(?:(?:down|up|over|out|off|away|back|dead|just|also|then|all|both|right|\w+ly) ){0,2}"
    rf"{_TARGET}\b|(?!{_PREPOSITION}\b)\w+s\b"
)
_PARTICLES = re.compile(r"^(?:(?:down|up|over|out|off|away|back) )+")
# "I'll shoot you an email", "cut him a slice": a verb that gives, not one that harms
_GIFT = (
    r"(?:a|an) (?!(?:few|couple|hundred|thousand|dozen|million|second|third|bit|little|lot|"
    r"number|good|new|last)\b)[\w'-]+\b(?! (?:more )?times)"
)
_GIVING = re.compile(rf"^(?:you|ya|him|her|them|'em|us|me) (?:down |up |out )?{_GIFT}")
# people named by their relation to someone: family and partners, home, work and school.
# After a possessive ("my wife", "our landlord", "his boss") one is a person, so a target,
# never a thing ("boss" is a game's too: "the final boss"); a plural "s"/"es" is allowed
_RELATIONS = (
    "wife wives husband partner spouse fiance fiancee missus girlfriend boyfriend ex "
    "ex-wife ex-husband ex-partner ex-girlfriend ex-boyfriend mum mom mam mother dad "
    "father parent stepmother stepmum stepmom stepfather stepdad stepson stepdaughter son "
    "daughter child children kid baby babies brother sister sibling twin cousin uncle aunt "
    "auntie nephew niece grandmother grandfather grandma granny gran grandad granddad "
    "grandpa grandson granddaughter grandchild grandchildren mother-in-law father-in-law "
    "brother-in-law sister-in-law son-in-law daughter-in-law in-laws family families "
    "relative neighbour neighbor flatmate roommate housemate lodger tenant landlord "
    "landlady boss manager supervisor foreman colleague coworker co-worker workmate "
    "employer employee staff teacher tutor headteacher headmaster headmistress principal "
    "professor lecturer classmate schoolmate friend mate pal doctor nurse carer therapist"
)
_RELATION = rf"(?:{_alt(set(_RELATIONS.split()))})(?:s|es)?"
_POSSESSIVE = r"(?:my|our|your|his|her|their)"
# a possessive, at most two modifiers and a relation ("my little brother", "our old
# foreman"), then its own possessive ("my neighbour's", "my kids'") or the next word
_RELATION_NP = re.compile(
    rf"^{_POSSESSIVE}\s+{_MODIFIER}{{0,2}}?{_RELATION}(?:(?P<own>'s?)(?=\s|$)|\b)(?P<rest>.*)"
)
# what of a relation's a threat aims at: the person ("my sister's boyfriend"), the body
# ("my neighbour's jaw") or the home and car ("my stepfather's house"); anything else is
# a thing ("my brother's high score", "my grandmother's paintings", "my ex's photos")
_RELATION_OWN = re.compile(
    rf"^(?:{_MODIFIER}{{0,2}}?{_RELATION}\b|{_MODIFIER}{{0,1}}?(?:jaws?|faces?|heads?|"
    r"skulls?|necks?|throats?|legs?|arms?|kneecaps?|knees?|teeth|ribs?|noses?|eyes?|"
    r"brains?|fingers?|hands?|body|bodies|house|houses|home|homes|flat|flats|apartment|"
    r"car|cars|van|shop|garage|caravan)\b)"
)
# a relation that only modifies a thing ("our family christmas video", "my family photos")
_COMPOUND = re.compile(rf"^\s*{_MODIFIER}{{0,1}}(?:(?:{_THINGS})\b|{_OBJECT}{_AFTER_HEAD})")
# "hang them out", "hang them on the line to dry": hanging that puts things somewhere
_HUNG_UP = re.compile(r"^(?:[\w']+ ){0,4}?(?:up|out|over|above|around|to dry)\b")
# "drown X in Y": in water it is a killing, in anything else a figure of speech
_DROWN_IN = re.compile(r"\bin\b")
_WATER = re.compile(
    r"\bin (?:a |the |that |his |her |their |your |my )?(?:river|lake|canal|sea|ocean|bath|"
    r"bathtub|tub|pool|water|pond|well|harbou?r|creek|sewer|toilet|reservoir|channel|med|"
    r"mediterranean|atlantic|surf|waves)\b"
)
# farm animals and pets: "the horse must be put down" is a vet's or farmer's sentence
_ANIMALS = (
    r"(?:dog|cat|horse|pony|rabbit|hamster|puppy|kitten|pet|cow|calf|bull|sheep|ewe|"
    r"goat|lamb|hen|cattle|livestock|herd|flock|badgers?|deer|foxe?s?)"
)
# the subject before a normative modal that makes it no threat ("the film should be shot")
_THING_SUBJECT = re.compile(rf"\b(?:{_THINGS}|{_OBJECT}|{_ANIMALS}|this|that|which|what)\s*,?\s*$")
# the author or their side as the subject: self-talk or fear, not a threat ("I should be
# shot for saying that", "we are getting slaughtered")
_SELF_SUBJECT = re.compile(r"\b(?:i|we|me|us|i'm|we're|i am|we are|my ?self|our ?selves)\s*,?\s*$")
# anyone at all: a worry, not a threat with a target
_GENERIC_SUBJECT = re.compile(
    r"\b(?:someone|somebody|anyone|anybody|(?<!those )(?<!these )(?<!all )(?<!your )people|"
    r"one of us|nobody|no one)\s*,?\s*$"
)
# a prepositional phrase after the subject's head ("every reporter at that paper", "the
# lads in the park"): the head, not the place, says whether it is a thing
_TRAILING_PP = re.compile(
    r"(?:\s+(?:at|in|from|of|on|near|outside|inside|across|around|behind|down|up)\s+"
    r"(?:[\w'-]+\s+){0,3}?[\w'-]+)+\s*,?\s*$"
)
# a subject with a relative clause about a person ("politicians who vote for this", "an
# atheist who mocks god") or "like that/this" ("hindus like that")
_PERSON_CLAUSE = re.compile(
    r"\b(?:who|whom|whose|whoever)\b[^,;:]*$|\blike (?:that|this)\s*,?\s*$|"
    r"\b(?:anyone|anybody|everyone|everybody|someone|somebody|those|people) "
    r"(?:caught|found|seen|heard|\w+ing)\b[^,;:]*$"
)
# a subject's head before an example ("pests like rats", "weeds such as bindweed")
_THING_LIKE = re.compile(
    r"\b(?P<head>[\w'-]+) (?:like|such as|including) (?:[\w'-]+ ){0,2}[\w'-]+\s*,?\s*$"
)
# a relation as the subject is a person, whatever the thing lists hold ("my boss should be")
_RELATION_SUBJECT = re.compile(rf"\b{_POSSESSIVE}\s+{_MODIFIER}{{0,2}}?{_RELATION}\s*,?\s*$")
_SECOND_PERSON = re.compile(
    r"\b(?:(?:you(?:'re| are|re)|ur|u r|u are)(?: (?:so|all|already|as good as))? dead"
    r"(?! (?:to|wrong|right|tired|serious|last|set|on|inside|ass|funny))|"
    r"(?:you(?:'re| are|re)|ur|u r) (?:a dead (?:man|woman|person)|dead meat|next)[.!]*$|"
    r"you(?:'ll| will) (?:die|bleed)(?=\s*(?:$|[.!,;]| for (?:this|that|what|it)\b| "
    r"(?:tonight|today|tomorrow|soon|slowly|screaming|painfully|like (?:a|the)|by my)\b))|"
    r"(?:you|y'all|your (?:[\w'-]+ ){0,2}?[\w'-]+)(?:'ll| will|'re going to| are going to|"
    r"'re gonna| are gonna| is going to| is gonna) pay (?:in|with) (?:your |their |his |"
    r"her )?(?:blood|lives|life)\b|"
    r"your days are numbered|"
    r"you won't (?:see (?:the morning|tomorrow|another day)|(?:live|survive) (?:the night|"
    r"the week|till|until|to see))|"
    # a future the target will not live to see, or a body they will not use again
    r"(?:you|u) (?:won't|will not|wont) see (?:the end of (?:the |this |next )?(?:term|week|"
    r"month|year|day|night|weekend|summer|winter)|christmas|easter|your next birthday|"
    r"next (?:week|month|year)|the weekend|daylight again|your (?:kids|family|children|wife|"
    r"husband|mum|mother) again)(?=\s*(?:$|[.!,;:]|(?:if|unless|when|after|before|alive|"
    r"mate|pal)\b))|"
    r"(?:(?:you|u)(?:'ll| will)? never|(?:make sure|see to it that|so that) (?:you|u|he|she|"
    r"they) (?:never|can't|cannot|won't|will never)) (?:walk|talk|type|see|breathe|wake up) "
    r"again\b|"
    r"(?:you'd|you had|you|u|ya) (?:better|best) (?:start )?sleep(?:ing)? with one eye open|"
    r"(?:you|u|he|she|they)(?:'ll| will|'re going to| are going to| is going to|'s going to) "
    r"be (?:eating|drinking|fed) (?:[\w'-]+ ){0,2}through a (?:straw|tube)(?=\s*(?:$|[.!,;]|"
    r"(?:when|once|after|by the time|if) (?:i|we)\b|after (?:saturday|tonight|this)\b))|"
    r"(?:you|u|he|she|they|[\w'-]+)(?:'ll| will) be (?:feeding the fish(?:es)?|sleeping with "
    r"the fishes|pushing up daisies)|"
    r"(?:a|one|the) (?:bullet|knife|blade|round|grave|coffin|noose|rope) (?:[\w'-]+ ){0,4}?"
    r"with (?:your|ur|his|her|their) names? on it|"
    # a bullet or a blade where it kills, in the target's body ("a bullet between your
    # eyes", "one more word and it's a knife in your throat"); not a wound told in the
    # past ("you took a bullet in your chest in Basra") nor the betrayal idiom ("a knife
    # in your back")
    r"(?<!\btook )(?<!\btaken )(?<!\bcaught )(?<!\bgot )(?<!\bhad )(?<!\bremoved )"
    r"(?<!\bstill )(?:a|one|the|another) (?:bullet|slug|round|shot|nine ?mil|9mm) "
    r"(?:right )?(?:between|in|into|through) (?:your|ur|yer|ya) (?:eyes|head|skull|brains?|"
    r"face|chest|heart|neck|throat|temple|mouth|forehead)\b|"
    r"(?<!\btook )(?<!\bgot )(?<!\bhad )(?:a|the|my) (?:knife|blade) (?:right )?(?:in|into|"
    r"through|across) (?:your|ur|yer|ya) (?:throat|neck|eyes?|heart|gut|belly|face)\b|"
    r"(?:you'd|you had|you|u|ya) (?:better|best) (?:start )?watch(?:ing)? (?:your|ur) back\b|"
    r"(?:you|u)(?:'ll| will|'re going to| are going to|'re gonna| are gonna) be (?:hanging|"
    r"swinging|dangling) from (?:a|the) (?:lamp ?post|tree|rope|bridge|rafters|noose|"
    r"gallows|crane)\b)"
)
# the second person or its people and places "getting" harmed: "you're getting stomped",
# "your temple is getting firebombed" (checked: not a thing, not a game, not a photo shoot)
_GETTING = re.compile(
    r"\b(?P<subj>(?:you(?:'re| are|re)|ur|u r|u are|y'all are)|your (?:[\w'-]+ ){0,2}?[\w'-]+ "
    r"(?:is|are)|your (?:[\w'-]+ ){0,2}?[\w'-]+'s) getting "
    rf"{_ADV}{{0,2}}(?P<v>{_PP_V}|jumped|curb-?stomped)\b(?P<rest>.*)"
)
# body parts and homes that a causative "have / get ... done" harms ("should have their
# legs broken", "deserve to have their churches blown up")
_HARMED = (
    r"(?:jaws?|faces?|heads?|skulls?|necks?|throats?|legs?|arms?|kneecaps?|knees?|teeth|"
    r"ribs?|noses?|eyes?|brains?|fingers?|hands?|feet|bodies|bones?|backs?|spines?|"
    r"tongues?|homes?|houses?|shops?|churches|church|mosques?|synagogues?|temples?|"
    r"cars?|businesses|offices?)"
)
# a wish or a call with the deed in the third person or the past: "I hope someone
# shoots him", "it's about time someone strangled that woman", "someone please stab him"
_THIRD = {f for f in _FORM_OF if (f.endswith("s") and f[:-1] in _BASES) or f.endswith("es")}
_WISHED = re.compile(
    r"(?:\b(?:i (?:really |just )?hope|i wish|i pray|praying|here's hoping|hopefully|god willing|"
    r"inshallah|insha'?allah|with (?:any|a bit of) luck)|^\W*hope) "
    r"(?:someone|somebody|they|some \w+) (?:(?:finally|just|actually) )?"
    rf"(?P<v>{_alt(_THIRD)}|puts (?:a|one|some) (?:knife|blade|bullets?) (?:in|through))\b"
    r"(?P<rest>.*)|"
    r"\b(?:god willing|inshallah|insha'?allah|hopefully|with (?:any|a bit of) luck|i (?:really |"
    r"just )?hope|i pray) (?:someone|somebody|they|some \w+) (?:will|'ll) "
    rf"(?:(?:finally|just|actually) )?(?P<x>{_alt(_BASES)})\b(?P<xrest>.*)|"
    r"\b(?:(?:it's|it is|its) (?:about |high |past )?time|it(?:'d| would) be (?:a |an )?"
    r"(?:[\w'-]+ ){0,2}?(?:service|blessing|mercy|favou?r|gift|shame|pity|good thing|win|"
    r"improvement|great|nice|good) if|(?:the world|this country|the country|everyone|we|"
    r"society)(?:'d| would) be (?:a (?:much |far )?)?better (?:place |off )?if) "
    r"(?:(?P<s>something (?:bad |nasty )?(?:happened|were to happen|was to happen) to "
    r"(?:you|u|him|her|them|your|his|their)\b)|(?:someone|somebody|"
    r"they|we|people) (?:finally )?"
    rf"(?P<w>{_alt(_PP - {'beat', 'cut', 'hurt', 'run'})}|set fire to|"
    r"put (?:a|one|some) bullets? (?:in|through)|"
    rf"(?:drove|rammed|ploughed|plowed|steered) {_RAMMING})\b(?P<wrest>.*))|"
    r"\b(?:someone|somebody),? (?:(?:please|pls|plz|for god's sake),? |(?:please )?do "
    r"(?:us (?:all )?|the world |everyone |society |humanity )a favou?r,? and (?:just )?)"
    rf"(?P<u>{_alt(_BASES)})\b(?P<urest>.*)|"
    # "I wish someone would shoot that senator" (a HatemojiBuild training row: "wish
    # someone would shoot this ...")
    r"\b(?:i (?:really |just )?)?wish (?:someone|somebody) would (?:finally |just )?"
    rf"(?P<y>{_alt(_BASES)})\b(?P<yrest>.*)"
)
# the author's word that what follows will happen ("..., I swear", "mark my words, ...");
# "I'll see to it that" / "I'll make sure" put the author behind it
_COMMITMENT = re.compile(
    r"\b(?:i (?:swear|promise|guarantee|vow)\b|count on it\b|mark my words\b|"
    r"you have my word\b)"
)
_SEE_TO_IT = re.compile(
    r"\b(?:i|we)(?:'ll| will| am going to|'m going to| are going to|'re going to) "
    r"(?:personally )?(?:see to (?:it|that)|make sure|make certain|ensure)\b|"
    r"\b(?:you have|i give you) my word that\b"
)
# a harm to come on someone: "... is getting stabbed", "... will be wiped out", "...
# gets hurt" (read only beside the author's commitment)
_PROMISED = re.compile(
    r"\b(?:(?:will|'ll|is going to|are going to|'s going to|'re going to|is gonna|are gonna|"
    rf"gonna) (?:be|get)|(?:is|are|'s|'re) getting|gets?) {_ADV}{{0,2}}"
    rf"(?P<v>{_PP_V}|buried(?=\s*(?:[,.!;]|$))|(?:[\w'-]+ or )?dead(?=\s*(?:[,.!;]|$|"
    r"(?:by|before|within|in|this|next|tonight|tomorrow|soon)\b))|"
    r"(?:hanging|swinging|dangling) from)\b(?P<rest>.*)|"
    rf"\b(?:is|are|'s|'re) getting (?:their|your|his|her) (?:[\w'-]+ )?{_HARMED} "
    r"(?P<h>kicked in|smashed in|bashed in|caved in|cracked(?: open)?|broken|cut off|"
    r"blown off|cut|slit|snapped)\b"
)
# text-speak intent: "im gonna", "im coming to" (an apostrophe-less "ill" is read only right
# before a violent verb: "ill break ur jaw", never "the ill patient")
_TEXT_INTENT = r"\bim (?:gonna|gunna|going? to|about to|bout to|coming? to|finna)"
# "I will find the councillor and break his jaw": a first act, then "and (then)" the
# violent one, five words at most before it
_DIRECT = re.compile(
    rf"(?:\b{_FIRST}(?: |(?=')){_INTENT}|\b(?:i'ma|imma|ima)|{_TEXT_INTENT}|"
    rf"\bill(?= (?:{_BASE_V})\b)|^\W*(?:gonna|going to|gunna|finna)) "
    rf"(?:(?:{_NOT_FILLER}\w+ ){{0,3}}?|"
    rf"(?:{_NOT_FILLER}[\w']+ ){{1,5}}?and (?:then )?)(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
_AND_VERB = re.compile(
    rf"^\W*(?:[\w']+ ){{0,6}}?and (?:then )?(?:{_ADV}{{0,2}})(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
# "I'm breaking his jaw", "we're burning your church tonight": present progressive
_PROGRESSIVE = re.compile(
    rf"\b(?:i'm|i am|im|we're|we are) (?:(?!(?:{_PREPOSITION}|of|at|after|before|over)\b)"
    rf"{_NOT_FILLER}\w+ )?(?P<v>{_ING_V})\b(?P<rest>.*)"
)
# "should be shot", "ought to be rounded up and killed" (a first act, then the violent one)
_PASSIVE = re.compile(
    rf"\b{_MODAL} {_ADV}{{0,2}}(?P<aux>be|b|get) {_ADV}{{0,2}}(?:(?:[a-z]+ed|taken|thrown|caught|"
    r"brought|found|held|bound|strung|beaten|put|sent) "
    rf"(?:[\w']+ ){{0,5}}?and (?:then )?)?(?P<v>{_PP_V})\b(?P<rest>.*)"
)
# "deserves to be stoned": the punishment, not the drug, after a modal that prescribes
# (never "must be", which also guesses: "you must be stoned to think that")
_STONED = re.compile(
    rf"\b(?:should|deserves? to|ought to|needs? to) {_ADV}{{0,2}}be (?P<v>stoned)\b"
    r"(?! (?:out|off|by|at|on|tonight|today|all|every|again|when|while|or|and|if))"
)
_CAUSED = (
    r"kicked in|smashed in|bashed in|caved in|knocked (?:in|out|off)|cut (?:off|out)|"
    r"chopped off|hacked off|ripped (?:out|off)|torn (?:out|off)|gouged out|shot (?:off|out)|"
    rf"blown (?:off|out)|burned down|burnt down|snapped|slit|cracked(?: open)?|{_PP_V}"
)
_CAUSATIVE = re.compile(
    rf"\b{_MODAL} {_ADV}{{0,2}}(?:have|get) (?:their|his|her|your|its) "
    rf"(?:[\w'-]+ )?{_HARMED} (?:{_ADV}{{0,1}})(?P<v>{_CAUSED})\b(?! into)(?P<rest>.*)"
)
# the author will have it done: "I will have your legs broken", "I'll have you killed"
# (a pronoun's participle needs its particle: "I'll have you beaten" at chess is no threat)
_CAUSATIVE_DIRECT = re.compile(
    rf"(?:\b{_FIRST}(?: |(?=')){_INTENT}|\b(?:i'ma|imma|ima)|{_TEXT_INTENT}) "
    r"(?:personally )?(?:have|get) (?:(?P<who>you|u|him|her|them|'em|y'all)|(?:your|ur|his|"
    rf"her|their) (?:[\w'-]+ )?{_HARMED}) (?:{_ADV}{{0,1}})(?P<v>{_CAUSED})\b(?! into)"
    r"(?P<rest>.*)"
)
# advice to do it: "if I were you, I'd stab him before he testifies"
_ADVISED = re.compile(
    r"\bif i were (?:you|u|in your shoes),? (?:i'd|i would|id) "
    rf"{_ADV}{{0,2}}(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
# an imperative call to violence aimed at people, opening the sentence ("hang them",
# "kill every last one of them", "let's bomb all of them"): the public sets nobody here
# wrote label it a threat (implicit-hate's "threatening", HatemojiBuild's threats; Gab
# calls it a call for violence, mapped to incitement with the threat unknown); the
# classifier's incitement head reads it too. Not a noun that opens a statement ("rape is
# never the victim's fault", "attack helicopters are ..."), a name before a comma, or
# things, games and kindness ("kill the lights", "kill them with kindness")
_IMPERATIVE = re.compile(
    r"^\W*(?:(?:if|when|once) [^,;:]{1,80},\s*)?(?:(?:just|now|so|then|and|pls|please|plz|go|"
    r"go and|let's|lets|let us|"
    rf"everyone|everybody|y'all|all of you)\W+){{0,2}}(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
# what an imperative must name (instructions are the register of kitchens, gardens, code
# and sport, so "not a thing" is not enough): a pronoun for people, or a noun phrase whose
# head names people (a relation, a group or a role; a plural in -ists, -ians, -ites)
_GROUPS = (
    "people ppl folk men women kids children boys girls guys lads ones refugees migrants "
    "immigrants illegals foreigners invaders traitors infidels kuffar kafirs apostates heretics "
    "muslims jews christians hindus sikhs buddhists atheists catholics protestants "
    "blacks whites gays lesbians queers trans asians arabs africans mexicans "
    "politicians mps senators congressmen ministers councillors judges jurors cops police "
    "officers soldiers troops journalists reporters hacks teachers doctors nurses "
    "bankers billionaires landlords bosses cucks globalists zionists leftists liberals commies "
    "communists fascists nazis feminists islamists terrorists rapists paedos pedos "
    "rapist paedo pedo nonce nonces paedophile pedophile "
    "pedophiles paedophiles faggots niggers kikes wetbacks pakis muzzies towelheads "
    "libtards looters rioters protesters protestors marchers strikers settlers squatters "
    "travellers gypsies voters scum traitor invader refugee migrant immigrant judge cop "
    "officer journalist "
    "reporter politician senator minister councillor mayor president king queen imam "
    "rabbi priest vicar pastor bishop pope "
    # heads of a group's noun phrase (stop 56: "the kurdish gangs", "those tribes"), and
    # faiths the list lacked
    "gangs tribes clans communities families shias sunnis ahmadis yazidis alawites druze "
    "mormons quakers baptists methodists"
)
# the plural group words, which name people without a determiner ("hang traitors",
# "muslims deserve ..."): not "ones", which names things as often
_GROUP_PLURALS = rf"(?:{_alt({w for w in _GROUPS.split() if w.endswith('s')} - {'ones'})})"
# a body part severed or a throat cut after a possessive, as an imperative's object ("cut
# off their heads": an implicit-hate training row labelled threatening; "slit their
# throats"); not other body parts ("break his fingers" after "go find the guy ..." is a
# call to others, which the project labels incitement)
_THEIR_BODY = (
    r"(?:off (?:their|his|her|your|ur) (?:[\w'-]+ )?(?:heads?|hands?|fingers?|ears?|tongues?|"
    r"noses?|legs?|arms?|feet|balls|dicks?)|(?:their|his|her|your|ur) throats?)\b(?! of\b)"
)
# single people a wish names by a common noun or an insult ("I hope that bastard dies")
_PERSON_WORDS = (
    "guy man woman girl boy bloke lad lass kid person individual bitch bastard prick "
    "cunt scumbag idiot moron freak creep pervert perv paedo pedo nonce thug twat dick "
    "fucker asshole arsehole wanker tosser loser snitch grass cuck libtard "
    # roles a wish names ("I hope the referee drops dead")
    "referee ref umpire coach driver cyclist biker rider lawyer solicitor barrister banker "
    "ceo owner director governor candidate leader official guard warden bailiff inspector "
    "preacher pastor doctor nurse teacher "
    # people a rhetorical "why hasn't anyone shot that ... yet" names (stop 56)
    "pundit activist columnist commentator presenter influencer"
)
# an adjective of a people's identity (stop 56: "bisexual people", "kurdish men"): by the
# suffixes of nationality, faith and orientation, or a few words of colour and sex; not
# the quantifiers and generic adjectives that share a suffix ("several", "normal")
_IDENTITY_ADJ = (
    r"(?!(?:several|normal|total|individual|general|usual|actual|real|local|social|"
    r"typical|physical|critical|political|logical|classic|basic|public|random|certain|"
    r"vocal|official|many|any)\b)"
    r"(?:[a-z]{3,}(?:ish|an|ese|ual|ic|i)|black|white|brown|gay|trans|queer|muslim|jewish)"
)
_IDENTITY_PEOPLE = re.compile(
    rf"(?:^|\s){_IDENTITY_ADJ}\s+(?:people|folks?|men|women|kids|families|youths)$"
)


def _singulars(words: set[str]) -> set[str]:
    """The singulars of the plurals in ``words`` ("hindus" -> "hindu", "nazis" -> "nazi",
    "communities" -> "community"): "every Hindu" names a person of the group (stop 56)."""
    out = set()
    for w in words - {"ones", "trans", "hacks"}:  # "every one of those bugs" names no one
        if w.endswith("ies"):
            out.add(w[:-3] + "y")
        elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
            out.add(w[:-1])
    return out


_PERSON_NOUNS = _alt(
    set(_GROUPS.split())
    | _singulars(set(_GROUPS.split()))
    | set(_RELATIONS.split())
    | set(_PERSON_WORDS.split())
)
# a people named by its nationality's adjective after "the" ("the Chinese", "the Irish")
_NATIONALITY = (
    r"(?:chinese|japanese|vietnamese|portuguese|lebanese|sudanese|congolese|burmese|"
    r"nepalese|maltese|senegalese|taiwanese|togolese|guyanese|irish|english|welsh|scottish|"
    r"scots|british|spanish|polish|danish|swedish|finnish|turkish|kurdish|flemish|cornish|"
    r"french|dutch|czech|swiss|thai)"
)
_PERSON_NP = re.compile(
    rf"^\s*(?:(?:down|up|out|off|all|every|each|both)\s+)?(?:{_PRONOUN}|everyone|everybody|"
    r"(?:all|every|each|both) (?:last |single )?(?:one )?of (?:them|you|'em|em|(?:those|these)"
    r"(?!\s+(?:[\w'-]+\s+){0,2}?(?:bugs?|errors?|typos?|files?|pests?|rats?|mice|wasps?|weeds?|"
    r"flies|ants?|tickets?|issues?|problems?)\b))|"
    r"(?:the )?(?:whole )?lot of (?:them|you|'em)|"
    rf"{_THEIR_BODY}|{_GROUP_PLURALS}|the {_NATIONALITY}(?= *$| all\b| in\b| of\b| here\b)|"
    # a people named without a determiner by its modifiers ("bisexual people", "kurdish
    # men") or by a plural of the suffixes of believers and members ("lutherans",
    # "baptists"; not "playlists"); stop 56
    rf"{_IDENTITY_ADJ}\s+(?:people|folks?|men|women|children|kids|families|gangs|youths)|"
    r"(?!\w*lists\b)[a-z]{3,}(?:ians|ists)|"
    rf"(?:{_DET}|all|every|each|any|those|these)\s+(?:last\s+)?(?:single\s+)?"
    # a single person by a role or an insult too ("every lawyer", "that referee"; stop 56)
    rf"(?:{_MODIFIER}){{0,2}}?(?:{_PERSON_NOUNS}|"
    r"[a-z]+(?:ists|ians|ites|ans|men|man|stani))(?:s|es)?)\b"
)
# a violent verb's object: a plural group after a modifier or two ("kill vile nazis like
# you": an implicit-hate training row labelled threatening)
_MODIFIED_GROUP = re.compile(rf"^(?:{_MODIFIER}){{1,2}}{_GROUP_PLURALS}\b")
_NOT_IMPERATIVE = re.compile(
    r"^\s*(?:,|is\b|was\b|are\b|were\b|has\b|had\b|have\b|does\b|did\b|of\b|'s\b|and\b|"
    r"or\b|victims?\b|charges?\b|culture\b|threats?\b|jokes?\b|survivors?\b|rates?\b|"
    r"cases?\b)|\bwith (?:kindness|love|compliments)\b|\bin shame\b"
)
# the slogan "the only good X is a dead X" (not about pests or things: "the only good wasp
# is a dead wasp")
_ONLY_GOOD = re.compile(
    r"\bthe only good (?P<g>(?:[\w'-]+ ){0,2}?[\w'-]+) (?:is|are) (?:a |an )?dead "
    r"(?:ones?|[\w'-]+)\b"
)
_PESTS = re.compile(
    r"\b(?:rats?|mice|mouse|snakes?|spiders?|slugs?|moths?|pigeons?|squirrels?|weeds?|"
    r"flies|fly|ants?|wasps?|bugs?)\s*$"
)
# a death with the adjectives of suffering ("deserve a slow and painful death")
_A_DEATH = (
    r"(?:a |an )?(?:(?:slow|painful|horrible|horrific|gruesome|violent|brutal|agoni[sz]ing|"
    r"miserable|lingering|grisly|bloody|excruciating|long|cruel|nasty|terrible),? (?:and )?)"
    r"{1,3}deaths?"
)
# burning or hanging with no object: at the end of the clause, alive, to death, for a
# deed, in a place ("I hope they all burn", "may every one of them hang for this");
# never "burn in hell" (a curse), "in the sun", "hang in there", "in the gallery"
_BURN_ALONE = (
    r"(?=\s*(?:$|[,.!;:])| (?:alive|to death|to the ground|to a crisp|at the stake|slowly|"
    r"together|one by one|by the neck|like (?:a|the|dogs|rats|witches)|for (?:this|that|it|"
    r"what|their|his|her|all|every|treason)|from (?:a|the)|in (?:a|the|that|their|his|her|its|"
    r"your|ur) (?!(?:hell|sun|heat|balance|gallery|museum|exhibition|hall|wind|breeze|"
    r"wardrobe|closet)\b)[\w'-]+)\b)"
)
# a death by any verb ("choke to death", "starve to death", "freeze to death"; stop 56):
# the construction, not a verb list, names the death; never the idioms of feeling, work,
# affection or overuse ("bored to death", "worked to death", "loved to death", "a joke
# done to death", "sick to death of")
_TO_DEATH = (
    r"(?!(?:bor|scar|frighten|terrifi|terrify|worr|lov|tickl|work|talk|do|done|did|laugh|"
    r"sick|freak|stress|annoy|embarrass|hug|squeez|flog|bor|spook|shock|please|thrill|"
    r"charm|amus|bless|fed)\w*\b)[a-z]+ to death"
)
# an injury as what someone needs or deserves ("what that pundit needs is a broken jaw",
# "he deserves a few broken ribs", "a bat to the knees is what she needs"; stop 56): a
# participle of breaking and a body part, or a weapon brought to the body
_INJURY = (
    r"(?:(?:a|some|a few|a couple of|two|both) )?(?:(?:good|nice|couple of) )?"
    r"(?:broken|smashed|shattered|fractured|cracked|busted|snapped|caved[- ]in|kicked[- ]in|"
    r"bashed[- ]in|knocked[- ]out) (?:[\w'-]+ )?(?:ribs?|jaws?|legs?|arms?|noses?|skulls?|necks?|"
    r"knees?|kneecaps?|bones?|teeth|fingers?|spines?|faces?|heads?|hands?|wrists?|ankles?|"
    r"eye sockets?|cheekbones?)|"
    r"a (?:bat|brick|crowbar|hammer|bullet|knife|blade|boot) (?:to|in|through|across) "
    r"(?:the|his|her|their|your) (?:head|skull|face|knees?|kneecaps?|teeth|throat|chest|back|"
    r"gut|stomach|ribs)"
)
# the injury as the end of what is needed or deserved ("needs a broken jaw", not "needs a
# broken arm like a hole in the head", "needs a broken leg fixed")
_INJURY_END = rf"(?:{_INJURY})(?=\s*(?:$|[,.!;:]|too\b|and\b|then\b|for\b|each\b))"
# a beating as a noun of punishment ("a good hard beating", "a good old-fashioned lynching")
_A_BEATING = (
    r"a (?:(?:good|proper|hard|real|right|severe|sound|old-fashioned|good old-fashioned|"
    r"damn|bloody|fucking),? ){0,3}(?:kicking|beating|thrashing|lynching|hiding|hammering)"
)
_DIE = re.compile(
    rf"\b{_MODAL} {_ADV}{{0,2}}(?P<v>(?:suffer and )?die(?! (?:for|of|laughing))|be dead|"
    r"be put to death)\b|"
    rf"\b(?:deserves?|{_MODAL} (?:get|receive|be given)) (?:nothing (?:but|less than|more than|"
    rf"short of) |only |no less than )?(?P<w>death|{_A_DEATH}|"
    r"(?:a|the) (?:firing squad|"
    rf"bullets?|rope|noose|gallows)|{_A_BEATING}|"
    r"(?:a )?bullets? (?:each|in the (?:head|back))|(?:a )?bullet|"
    r"a (?:smack|punch|kick) in the (?:mouth|face|head|teeth)|acid in (?:the|their|his|her) "
    rf"faces?|{_INJURY_END}|a brick through (?:the|their|his|her|your) windows?)\b"
    r"(?![ -]?(?:journals?|"
    r"points?|proof|trains?|lists?|holes?|casings?)\b)|"
    rf"\bneeds?(?: is)? (?P<x>{_A_BEATING}|{_INJURY_END}|a bullet|the rope|a firing squad|"
    r"killing|shooting|"
    r"hanging|stabbing|putting down|acid in (?:the|"
    r"their|his|her) faces?)\b(?! up\b|[ -]?(?:journals?|points?|proof|trains?|lists?)\b)|"
    rf"\bneeds? (?:his|her|their|your) (?:[\w'-]+ )?{_HARMED} (?P<y>(?:smashing|kicking|"
    r"bashing|caving) in)\b|"
    rf"\b(?:deserves? to|{_MODAL}) {_ADV}{{0,2}}"
    rf"(?P<z>drown|hang|bleed out|burn alive|{_TO_DEATH})\b"
    r"(?! (?:out|around|round|on|in|up|with|together|about|loose|from|over|off|the|a|it))|"
    # "all of them should burn": burning with no object, alone or to death (not "burn
    # the scraps", "burn for hours", "burn in hell")
    rf"\b(?:deserves? to|{_MODAL}) {_ADV}{{0,2}}(?P<b>burn|swing){_BURN_ALONE}|"
    # "don't deserve to live", "shouldn't be allowed to breathe" (an implicit-hate training
    # row labelled threatening: "they shouldn't be allowed to breathe, period"): life
    # itself denied, at the end of its clause (not "to live in fear", "like this")
    r"\b(?P<n>(?:don't|doesn't|do not|does not|shouldn't|should not|dont|doesnt|shouldnt) "
    r"(?:even )?(?:deserve|be allowed|have the right) to (?:live|breathe|exist|be alive))"
    r"(?=\s*(?:$|[,.!;:]|(?:anymore|any more|at all|another day|period)\b))"
)
# "someone should shoot that judge", "someone with guts should go down there and end
# them": an agent told to act, then the violent verb (after a first act and "and")
_ACTIVE = re.compile(
    rf"\b(?:{_NORMATIVE_AGENT} {_MODAL}|{_IDEAL_AGENT}) {_ADV}{{0,2}}"
    rf"(?:(?:{_NOT_FILLER}[\w']+ ){{1,5}}?and (?:then )?)?(?P<v>{_BASE_V})\b(?P<rest>.*)"
)


# Wishes and conditions whose clause is the target's fate (stop 51, issue 8's normative
# threats; written for the project from general English and the issue's examples, then
# checked against the forms of implicit-hate's and HatemojiBuild's training rows): "I
# hope they all burn", "hope you die in a fire", "may every one of them hang", "with any
# luck they'll all be dead by Christmas", "I wish he was dead", "I wouldn't mind if they
# were all shot", "the world would be better if they were wiped out", "if I had my way
# they'd all be hanged", "I'd love to see them burn". Each names its subject (the one
# the fate falls on) before the fate, and that subject must name people
# (:func:`_person_subject`): wishes are said of bills, batteries, trends and weeds too
# ("I hope the bill dies in committee").
def _fate(bare: bool) -> str:
    """The fate after a wish's subject: a violent passive or participle (``pv``, with
    the words after it in ``prest``), death (``dv``), or burning, hanging or drowning with
    no object (``bv``). ``bare``: a participle with no auxiliary is a fate too ("I'd love
    to see them hanged"); after a hope it is a past deed ("I hope they shot him")."""
    aux = r"(?:(?:gets?|got|getting|be|being|is|are|'re|'s|was|were|end(?:s|ed)? up) )"
    return (
        r"(?:(?:will|'ll|would|'d|were to|was to) )?(?:all |both |each |finally |slowly |"
        r"just |soon )?(?:"
        rf"{aux}{'?' if bare else ''}(?:all |both |each )?{_ADV}{{0,2}}(?P<pv>{_PP_V}|"
        r"hit by (?:a|the) (?:bus|car|train|truck|lorry|van))\b(?P<prest>.*)|"
        r"(?P<dv>(?:dies|die|died|dying|drops? dead|dropped dead|bleeds? out|bled out|"
        rf"bleeding out|bleeds? to death|bled to death|{_TO_DEATH})"
        r"(?! (?:laughing|of|from|down|off|out|"
        r"happy|old|peacefully|painlessly|in (?:his|her|their|my|your|our) sleep|with dignity|"
        r"surrounded|at home|on stage|a death|for|trying|a hero|a martyr|young|rich|in peace|"
        r"inside|a little|on the vine)\b)|"
        rf"{aux}{'?' if bare else ''}(?:all )?dead(?! (?:last|wrong|right|tired|serious|set|on|"
        r"centre|center|ahead|even|heat|end|quiet|easy|good|funny|cute|bored|beat|drunk|"
        r"inside|to)\b)|"
        r"(?:end(?:s|ed)? up|be|are|were|is|was) (?:in|under) (?:a |the )?(?:body ?bags?|"
        r"coffins?|morgue|grave|ground|(?:six|6) (?:feet|ft) under))\b|"
        r"(?P<bv>burns?|burned|burnt|burning|hangs?|hanged|hanging|swings?|swung|swinging|"
        rf"drowns?|drowned|drowning){_BURN_ALONE})"
    )


# whose fate: up to eight words (the fate's subject, or a seen one's object)
_WHOSE = r"(?P<subj>(?:[\w'-]+ ){0,7}?[\w'-]+) "
# a hope, a prayer or a wish for the fate to come
_HOPE_CUE = (
    r"(?P<cue>\b(?:i|we) (?:really |just |sincerely |truly |honestly |so |do |all )?"
    r"(?:hope|pray|wish)(?: to (?:god|allah))?|"
    r"(?:^\W*|[,;:]\s*)(?:and |so |just )?(?:hope|here's hoping|heres hoping|let's hope|"
    r"lets hope|hopefully|god willing|inshallah|insha'?allah|with (?:any|a bit of|some) luck|"
    r"fingers crossed|please god|pray)|"
    r"^\W*(?:and |so )?may|^\W*(?:just |so |then )?let|"
    r"\b(?:i |we )?(?:can't|cannot|cant) wait (?:till|until|til|for the day|to see the day)"
    r"(?: (?:when|that))?) "
)
_HOPED = re.compile(_HOPE_CUE + _WHOSE + _fate(bare=False))
# the target's vehicle wished down (stop 56: "I hope your plane goes down", "praying
# that ur car crashes"): the people in it are the fate's subject
_VEHICLE_DOWN = re.compile(
    r"(?:\b(?:i|we) (?:really |just |truly |honestly |so )?(?:hope|pray|wish)|"
    r"(?:^\W*|[,;:]\s*)(?:and |so |just )?(?:hope|praying|here's hoping|let's hope|"
    r"hopefully))(?: (?:to god|that))? "
    r"(?:your|ur|his|her|their|that [\w'-]+'s) (?:[\w'-]+ )?(?:plane|flight|jet|"
    r"helicopter|chopper|car|train|bus|boat|ferry|yacht) (?:(?:will|'ll|finally) )?"
    r"(?:goes down|go down|crash(?:es)?|blows? up|explodes?|sinks?|falls? out of the sky|"
    r"bursts? into flames|goes off (?:a|the) (?:cliff|road|bridge))\b"
    # a transitive "crash the market", a post that "blows up online"
    r"(?! (?:the|a|an|my|your|his|her|our|their|its|prices|sales|on|online)\b)"
)
# an indifference or a gladness on a condition ("I wouldn't mind if ...", "it would be
# nice if ...", "the world would be better if ...")
_GLAD_CUE = (
    r"(?P<cue>\b(?:i|we) (?:wouldn't|would not|wouldnt|won't|will not|wont|couldn't|"
    r"could not|would never) (?:mind|care|cry|complain|object|grieve|mourn|lose (?:any |"
    r"much |a (?:minute's |wink of |second's )?)?sleep|shed (?:a|one) (?:single )?tear|"
    r"be (?:sad|upset|sorry))|"
    r"\b(?:i|we)(?:'d| would) (?:be|feel) (?:so |very |really |quite |more than |"
    r"absolutely )?(?:happy|glad|delighted|thrilled|pleased|relieved|ecstatic|over the moon)|"
    r"\b(?:it|that)(?:'d| would) (?:make my (?:day|week|month|year)|be (?:so |really |"
    r"very )?(?:nice|great|good|lovely|a relief|a blessing|a mercy|fantastic|brilliant|"
    r"ideal|wonderful|perfect))|"
    r"\b(?:the world|this country|the country|our country|everyone|everybody|we|society|"
    r"the planet|the earth|this town|this city|life|things)(?:'d| would) be (?:a )?(?:much |"
    r"far |so much |a lot )?(?:better|safer|nicer)(?: place| off)?) (?:if|when) (?:only )?"
)
_GLAD_IF = re.compile(_GLAD_CUE + _WHOSE + _fate(bare=False))
# the author's rule or a just world ("if I had my way they'd all be hanged", "given the
# chance I'd shoot the lot of them")
_MY_WAY_CUE = (
    r"(?P<cue>\b(?:if i had my way|if (?:it|this) (?:were|was) up to me|if i (?:were|was|"
    r"ran|ruled) (?:in charge|the (?:country|world|government|show)|president|king|queen|"
    r"prime minister|pm|dictator|god|emperor)|given (?:half )?(?:the|a) chance|in my "
    r"(?:ideal )?(?:world|country)|in a (?:just|fair|perfect|sane) world|if there (?:were|"
    r"was) any justice)),? "
)
_MY_WAY = re.compile(
    _MY_WAY_CUE
    + rf"(?:(?:i|we)(?:'d| would) {_ADV}{{0,2}}(?P<av>{_BASE_V})\b(?P<arest>.*)|"
    + _WHOSE
    + _fate(bare=False)
    + ")"
)
# the author would like to watch it ("I'd love to see them burn", "I'd pay to see that
# judge hanged", "nothing would make me happier than seeing them dead")
_SEE_CUE = (
    r"(?P<cue>\b(?:i|we)(?:'d| would) (?:really |so )?(?:love|like|pay|give anything|"
    r"pay good money|give my right arm|enjoy|relish) (?:to (?:see|watch)|seeing|watching)|"
    r"\b(?:i |we )?(?:can't|cannot|cant) wait to (?:see|watch)|"
    r"\bnothing would (?:make|please) (?:me|us) (?:more|happier|more happy|so happy)(?: than)? "
    r"(?:to see|seeing|watching|to watch)|"
    r"\b(?:i|we) (?:want to|wanna|long to|yearn to) (?:see|watch)|"
    r"\b(?:i|we) (?:dream|fantasi[sz]e) (?:of|about) (?:seeing|watching)) "
)
_SEE = re.compile(_SEE_CUE + _WHOSE + _fate(bare=True))
# a resting place of the dead as where people belong ("they belong in the ground", "...
# in a gas chamber", "... six feet under"), or where they should be
_BELONG = re.compile(
    rf"\b(?:belongs?|{_MODAL} {_ADV}{{0,2}}(?:be|end up)) {_ADV}{{0,2}}(?:(?:in|under|on|at|"
    r"inside) (?:the |a |an )?(?:ground|grave|mass grave|gas chambers?|ovens|body ?bags?|"
    r"coffins?|morgue|gallows|nooses?|end of a rope|pikes?|electric chair)|(?:six|6) "
    r"(?:feet|ft|foot) under)\b(?! (?:next to|beside|alongside|with (?:his|her|their|my))\b)"
)
# a gathering, then the violence, as a call ("round them up and shoot them", "line them
# up against a wall and shoot them", "time to start hanging traitors"), and the violence
# named as the only answer ("the only solution is to exterminate them")
_ROUND_UP = re.compile(
    r"^\W*(?:(?:just|now|so|then|and|let's|lets|let us|we should|we need to|we must|"
    r"we have to|(?:it's |it is |its )?(?:about |high )?time to)\W+){0,2}"
    r"(?:round|line|drag|march|herd|gather|load|pack|lock|tie|string|haul|pull|take|smoke|"
    r"flush|hunt|track)"
    r"(?:ed|ing)? (?P<obj>(?:up )?(?:them|'em|em|him|her|(?:all|every|each|those|these|the) "
    r"(?:[\w'-]+ ){0,2}?[\w'-]+))(?: all)?(?: up)? (?:[\w'-]+ ){0,5}?and (?:then )?"
    rf"{_ADV}{{0,2}}(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
_TIME_TO = re.compile(
    r"^\W*(?:(?:it's|it is|its)\s+)?(?:about |high |past )?time (?:to|for us to|we) "
    rf"(?:(?:start|begin)(?:ed)? )?(?P<v>{_ING_V}|{_BASE_V}|{_alt(_PP)})\b(?P<rest>.*)"
)
_SOLUTION = re.compile(
    r"\b(?:the )?(?:only|best|real|final|one) (?:solution|answer|cure|option|fix|remedy)"
    r"(?: (?:for|to) [\w' -]{1,30}?)? (?:is|=|:) (?:to )?"
    rf"(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
# the author would gladly do it, or do it themselves ("I'd happily shoot every one of
# them", "I'd strangle him myself"), and the author's vote for it ("I say we hang every
# last one of them")
_GLADLY = re.compile(
    r"\b(?:i|we)(?:'d| would) (?:(?P<glad>happily|gladly|gleefully|willingly|cheerfully|"
    r"be (?:happy|glad|delighted|proud) to) )?(?:personally )?"
    rf"(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
_I_SAY_WE = re.compile(
    r"\b(?:i|we) (?:say|vote|reckon|propose|suggest) (?:that )?we (?:just |all |should |"
    rf"go and |go )?(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
# The long tail of normative threats (stop 52, issue 8), written for the project from
# general English and how such threats are phrased online, before any public row was
# read for them: verbs that name violence only against people ("nuke / eradicate / purge
# them all"), the rope, the bullet, the wall and the camps as what people
# deserve or where they are sent ("all they deserve is a rope", "give them the rope",
# "to the gallows with them", "send them to the camps"), "open season on X", "take care
# of them permanently", "string them up", "put them down like dogs", "no mercy for X",
# "I want them dead", "let them starve", "death is too good for them", "get a rope",
# "where's a sniper when you need one", "deport them at gunpoint", "shoot on sight".
# Each is read only with people as its object or subject (:func:`_people_obj`,
# :func:`_person_before`): the lookalikes name things ("nuke the leftovers", "string the
# lights up", "exterminate the termites", "open season on bargains", "give them the rope
# and let them climb").
#
# who is told to do it: a call opening the sentence, an agent who should, the author who
# would
_CALL_LEAD = (
    r"(?:^\W*(?:(?:just|now|so|then|and|pls|please|plz|go|go and|let's|lets|let us|we|y'all|"
    r"everyone|everybody|someone|somebody|time to|it's time to|its time to)\W+){0,2}|"
    r"\b(?:we|you|someone|somebody|they|people|the government|the army|the state|society|"
    r"y'all)(?: (?:with (?:\w+ ){0,2}?(?:guts|balls|a spine|a gun)|(?:brave|man) enough))? "
    r"(?:should|must|need to|needs to|have to|has to|gotta|got to|ought to|oughta) "
    r"(?:just |all |finally |simply )?(?:start |begin |go (?:and |out and )?)?|"
    r"\b(?:i|we)(?:'d| would) (?:happily |gladly |personally |just )?)"
)
# a noun phrase (the object, checked for people), and where it must end
_NOT_IN_NP = r"(?!(?:from|with|in|into|on|onto|at|for|to|by|and|or|but|off|like|before|after)\b)"
# "people like this / them": the people the author points at (not "like us")
_NP = (
    rf"(?P<obj>(?:{_NOT_IN_NP}[\w'-]+ ){{0,5}}?{_NOT_IN_NP}[\w'-]+"
    r"(?: like (?:this|that|them|these|those|him|her|you|ya|u|'em|em))?)"
)
_CLAUSE_END = r"(?=\s*(?:$|[,.!;:)-]))"
# verbs that name violence only against people or pests: read with people as the object
_PEOPLE_VERBS = (
    r"nuke|eradicate|purge|eliminate|exterminate|annihilate|gulag|cull|guillotine|carpet[- ]?bomb"
)
_PEOPLE_CALL = re.compile(
    rf"{_CALL_LEAD}(?P<v>{_PEOPLE_VERBS})\s+{_NP}(?:\s+(?:all|too|now|already|immediately|"
    r"today|asap|for good|once and for all|one by one|like (?:the )?(?:rats|vermin|cockroaches|"
    r"animals|dogs)|with fire|from (?:the (?:face of the )?|this |our )(?:earth|planet|country|"
    r"land|nation|continent|world|map)))*"
    rf"{_CLAUSE_END}"
)
# a passive or a participle after a modal that names violence on people only
_PEOPLE_PASSIVE = re.compile(
    rf"\b{_MODAL} {_ADV}{{0,2}}(?P<v>(?:be|get) {_ADV}{{0,2}}(?:nuked|eradicated|"
    r"purged|eliminated|guillotined|carpet[- ]?bombed|"
    r"exterminated|annihilated|culled|gulaged|lynched|gassed|"
    # persecution of a people (stop 56): rounded up, stamped out, cleansed, or driven out
    # by force ("should be rounded up", "ought to be driven out of the valley by force")
    r"rounded up|stamped out|(?:ethnically )?cleansed|"
    r"(?:driven|forced|kicked|chased|run|marched|dragged|thrown|burned|burnt|smoked) out "
    r"(?:[\w'-]+ ){0,6}?(?:by force|at gunpoint|with (?:guns|bats|fire|violence|pitchforks|"
    r"torches|clubs))|"
    r"strung up|hunted(?: down)?(?: like (?:the )?(?:animals|dogs|rats|vermin))?|"
    r"put down like (?:the )?(?:rabid |mad |sick |diseased )?(?:dogs?|animals?|vermin|rats|"
    r"cattle|pigs|beasts)|(?:sent|shipped|put|thrown|herded|marched|deported) (?:back )?"
    r"(?:to|in|into) (?:the )?(?:(?:concentration|death|labou?r|extermination|re-?education|"
    r"internment) camps?|camps|gulags?|gas chambers?|ovens?|gallows)|"
    r"fed to (?:the )?(?:pigs|dogs|wood ?chippers?|fish(?:es)?)|"
    r"(?:dealt with|taken care of|disposed of) permanently|"
    r"sent (?:back |home )+in (?:body ?bags|coffins))|"
    r"(?:be )?(?:hang|hanging|swing|swinging|dangle|dangling) from (?:a |the |every )?(?:nearest )?"
    r"(?:lamp ?posts?|trees?|gallows|nooses?|ropes?|bridges?|cranes?|rafters)|"
    r"(?:go|come) (?:back |home )+in (?:body ?bags|coffins))\b"
)
# a need of a violence on people ("they need exterminating", "she needs a rope")
_PEOPLE_NEED = re.compile(
    r"\bneeds? (?:(?:a |the |one )(?:rope|noose|bullet)(?: (?:around|round) (?:his|her|their) "
    r"necks?| in (?:the|his|her|their) (?:head|skull|brain|face)| between the eyes| and a (?:tall |"
    r"big |strong |sturdy )?(?:tree|lamp ?post))?|(?:exterminating|"
    r"eliminating|eradicating|purging|culling|lynching|gassing|executing|nuking|stringing up|"
    r"wiping out|"
    r"hanging|shooting|putting down))(?=\s*(?:$|[,.!;:]|too\b|as well\b|asap\b|already\b))"
)
# what people deserve or are owed: the rope, the bullet, the wall ("all they deserve is a
# rope", "what that traitor needs is a bullet", "they deserve the wall")
_DESERVE_IS = re.compile(
    r"\b(?:all|the only thing|what|only thing) (?P<subj>(?:[\w'-]+ ){0,5}?[\w'-]+) "
    r"(?:deserves?|needs?|should get|should receive|have coming|has coming|are owed|is owed|"
    r"ought to get) (?:is|are|=) (?:a |the |one |some )?(?:ropes?|nooses?|bullets?|gallows|"
    r"firing squad|wall|electric chair|gas chamber|ovens?|lamp ?posts?|lynching|(?:a |quick |"
    r"slow |painful )*death|bullet (?:to|in) the (?:head|back of the head))"
    r"(?=\s*(?:$|[,.!;:]|each\b|apiece\b|and (?:a|the) (?:tree|lamp ?post)\b))"
)
_DESERVE_THE = re.compile(
    r"\bdeserves? (?:the|a) (?:wall|gulag|ovens?|gas chamber|electric chair|lamp ?post|"
    r"wood ?chipper|noose)(?=\s*(?:$|[,.!;:]|too\b|as well\b))"
)
# "give them the rope", "give every one of them a bullet"
_GIVE = re.compile(
    rf"^\W*(?:just |so |now |then |(?:someone|somebody),? (?:please |pls )?)?give {_NP} "
    r"(?:all |each |both )?(?:a|the|one|some) "
    r"(?:ropes?|nooses?|bullets?|firing squad|electric chair|wall|gas chamber)"
    r"(?: (?:each|apiece|in the head|to the head|between the eyes))?"
    rf"{_CLAUSE_END}"
)
# "death is too good for them", "the rope is too good for traitors"
_TOO_GOOD = re.compile(
    r"\b(?:death|hanging|a bullet|bullets|the rope|a rope|the noose|a noose|shooting|the "
    r"electric chair|the gallows|a quick death|a firing squad|lethal injection)(?: alone)?"
    rf"(?:\s?'s| is| are| would be) too (?:good|quick|kind|merciful) for {_NP}{_CLAUSE_END}"
)
# slogans: "ropes for traitors", "rope is the only answer for traitors", "bring back the
# gallows for these traitors"
_SLOGAN_FOR = re.compile(
    r"^\W*(?:(?:we need to|time to|let's|lets|just) )?(?:bring back )?(?:the |a |one )?"
    r"(?:ropes?|nooses?|bullets?|lamp ?posts?|gallows|wall|hanging|public (?:hangings|"
    r"executions)|lynching|firing squads?)(?: (?:between the eyes|in the (?:back of the )?"
    r"head|to the (?:back of the )?head))?(?: (?:is|are) the (?:only )?(?:answer|solution|cure|"
    rf"fix|way))? for {_NP}{_CLAUSE_END}"
)
# "it's open season on them": a hunt declared on people (not a lament, "has become", nor
# bargains or a team)
_OPEN_SEASON = re.compile(
    r"\b(?:it's|it is|its|it should be|declare|declared|time to declare|let's declare|make "
    rf"it) open season on {_NP}(?=\s*(?:$|[,.!;:]|now\b|then\b|again\b|today\b|tonight\b|"
    r"from now\b))"
)
# "someone should take care of them permanently", "deal with him the old-fashioned way"
_PERMANENTLY = re.compile(
    rf"\b(?:take care of|deal with|dispose of|handle) {_NP} (?:permanently|the old[- ]fashioned "
    r"way|with (?:a|some|one) (?:bullets?|rope|noose|knife|gun))\b"
)
_CARE = re.compile(
    r"\b(?:homes?|foster\w*|adopt\w*|stable|look after|nursing|hospice|carers?|care home|"
    r"guardians?|custody)\b"
)
# "string them up", "string em up from the nearest tree" (never lights or bunting)
_STRING_UP = re.compile(
    rf"{_CALL_LEAD}(?:string|hang) {_NP} up(?=\s*(?:$|[,.!;:]|(?:from|on) (?:the |a )?"
    r"(?:nearest |highest |first )?(?:trees?|lamp ?posts?|gallows|bridges?|rafters|cranes?)|"
    r"by (?:the|their|his|her) (?:necks?|balls)|high\b))"
)
_DECORATIONS = re.compile(
    r"\b(?:lights?|bunting|garlands?|tinsel|baubles?|decorations?|ornaments?|lanterns?|flags?|"
    r"banners?|washing|laundry|hammocks?|stockings?|christmas|xmas|tree is)\b"
)
# "put them down like dogs"; an agent who should put someone down
_PUT_DOWN = re.compile(
    rf"\bput {_NP} down like (?:the )?(?:rabid |mad |sick |diseased |the )?(?:dogs?|animals?|"
    r"vermin|rats|cattle|pigs|beasts)\b|"
    r"\b(?:someone|somebody|we|you|they) (?:should|must|need to|needs to|has to|have to|"
    r"gotta|ought to|oughta) (?:just )?put (?P<pro>him|her|them|em|'em) down"
    r"(?=\s*(?:$|[,.!;:]|for good\b|permanently\b))"
)
# "no mercy for these traitors" (never a team, drivers or a dance floor)
_NO_MERCY = re.compile(
    rf"^\W*(?:(?:and|so|just) )?(?:show |give )?no mercy (?:for|to|on) {_NP}{_CLAUSE_END}"
)
# "to the gallows with them", "send them to the camps", "put them in camps"
_CAMPS = (
    r"(?:the )?(?:(?:concentration|death|labou?r|extermination|re-?education|internment) "
    r"camps?|camps|gulags?|gas chambers?|ovens?|gallows)"
)
_WITH_THEM = re.compile(
    r"^\W*(?:(?:off|straight|up|back|all|now) )?(?:to|into|in|against) (?:the )?(?:gulags?|"
    r"gallows|ovens?|gas chambers?|camps|wall|firing squad|wood ?chipper|noose|stake|"
    rf"guillotine) with {_NP}(?:\s+all)?{_CLAUSE_END}"
)
_SEND_TO = re.compile(
    rf"{_CALL_LEAD}(?:send|ship|put|throw|march|herd|load|deport|lock) {_NP} (?:all )?(?:back )?"
    rf"(?:off )?(?:to|in|into) {_CAMPS}\b"
)
_BODY_BAGS = re.compile(
    rf"{_CALL_LEAD}(?:send|ship) {_NP} (?:back |home )+in (?:body ?bags|coffins|pieces)\b"
)
_THROW_TO = re.compile(
    rf"{_CALL_LEAD}(?:feed|throw|toss|push|chuck|drop) {_NP} (?:all )?(?:off|from|out of|to|into) "
    r"(?:a |the )?(?:pigs|sharks|lions|crocodiles|alligators|wolves|dogs|wood ?chippers?|"
    r"roofs?|rooftops?|bridges?|cliffs?|helicopters?|planes?|tower blocks?|volcano(?:es)?)\b"
)
# "cleanse the country of them"
_CLEANSE = re.compile(
    rf"{_CALL_LEAD}(?:cleanse|purge|rid|clear) (?:the|this|our|their) (?:country|nation|land|"
    rf"streets|city|town|continent|world|earth|planet|west|europe|race) of {_NP}{_CLAUSE_END}"
)
_FOOD = re.compile(
    r"\b(?:scraps|leftovers|peelings|slops|food|waste|bones|bread|veg|vegetables|apples|"
    r"rubbish|bottles|bags|boxes|plastic|old|toys)\b"
)
# "let them starve", "let them rot in a ditch", "the coast guard should just let them drown"
_LET_DIE = re.compile(
    r"(?:^\W*(?:(?:just|so|then|and)\s+)?|\b(?:should|must|need to|ought to|oughta|gotta) "
    rf"(?:just |simply )?)let {_NP} (?:all )?(?:starve|bleed out|bleed to death|"
    r"choke|suffocate|drown|rot (?:in (?:a|the) (?:ditch|gutter|grave|mass grave))|"
    rf"starve to death|freeze to death){_CLAUSE_END}"
)
# "I want them all dead", "we want every one of them dead"
_WANT_CUE = (
    r"(?P<cue>\b(?:i|we) (?:just |really |honestly |fucking |want )?(?:want|wanna|need|would "
    r"like|'d like)) "
)
_WANT = re.compile(
    _WANT_CUE + _WHOSE + r"(?:(?:all|both|each) )?(?P<pv>dead|executed|hanged|shot|gassed|"
    r"lynched|exterminated|wiped out|strung up|six feet under)\b(?! (?:last|wrong|right|"
    r"tired|serious|set|on|centre|center|ahead|even|heat|end|quiet|easy|good|funny|cute|"
    r"bored|beat|drunk|inside|simple|for|in the|at the|by the)\b)(?P<prest>.*)"
)
# "get a rope", "someone fetch the rope": the lynch mob's call, as a whole sentence
_GET_ROPE = re.compile(
    r"^\W*(?:(?:someone|somebody|quick|just|now|go|boys|lads|guys),?\s+){0,2}"
    r"(?:(?:it's |its )?time to )?(?:get|fetch|grab|bring|find) (?:me )?(?:a|the|some) "
    r"(?:ropes?|nooses?)(?: (?:out|ready))?(?:,? (?:lads|boys|guys|folks|everyone))?\W*$"
)
# "where's a sniper when you need one": a killer wished on the one pictured or named
_SNIPER = re.compile(
    r"^\W*where(?:'s| is| are|s) (?:a |the |all the )?(?:snipers?|lynch mobs?|firing squads?|"
    r"hangm[ae]n|drone strikes?) when (?:you|we|u) need (?:one|them|it)\b"
)
# a question that asks why the violence has not been done yet ("why hasn't anyone shot
# that senator yet", "how has nobody stabbed him yet", "why is that man still
# breathing"; stop 56): a wish in the form of a question, its own negation the wish
_WHY_NOT_YET = re.compile(
    r"^\W*(?:(?:genuinely|honestly|seriously|serious question|so|but|and),? )?"
    r"(?:why|how)(?: on earth"
    r"| the (?:hell|fuck|heck))? (?:has|have|hasn't|haven't|hasnt|havent|has not|have not) "
    r"(?:no ?one|no-one|nobody|anyone|anybody|someone|somebody|any of you|none of you|"
    r"one of you|any (?:of )?(?:us|them))(?: (?:else|here|yet|already|ever|actually|just))? "
    rf"(?:(?:[\w']+ ){{0,3}}?and )?(?P<v>{_PP_V}|{_PHRASES})\b(?P<rest>.*)"
    r"|^\W*(?:why|how)(?: on earth| the (?:hell|fuck|heck))? (?:is|are|'s) (?P<subj>(?:[\w'-]+ )"
    r"{0,5}?[\w'-]+) still (?:breathing|drawing breath|above ground|sucking air)"
    r"(?=\s*(?:$|[,.!?;:]))"
)
# "deport them at gunpoint", "march them out at gunpoint"
_GUNPOINT = re.compile(
    rf"{_CALL_LEAD}(?:deport|remove|march|drive|herd|force|expel|kick|throw|round up) {_NP} "
    r"(?:(?:[\w'-]+ ){0,4}?)at gunpoint\b|"
    rf"\b{_MODAL} (?:all )?be (?:deported|removed|marched|driven|herded|forced|expelled|"
    r"kicked|thrown|rounded up) (?:(?:[\w'-]+ ){0,4}?)at gunpoint\b"
)
# "shoot them on sight", "shoot on sight any migrant crossing the border"
_ON_SIGHT = re.compile(
    r"^\W*(?:(?:just|we should|you should)\s+)?(?:shoot|kill|hang) "
    r"(?:(?P<pro>them|em|'em|him|her) )?on sight\b(?P<rest>.*)"
)
# "they're vermin, kill them all": the strongest calls after a comma too
_AFTER_COMMA = re.compile(
    r"[,;:]\s*(?:(?:so|just|now|then|and)\s+)?(?:kill|shoot|hang|gas|exterminate|execute|nuke|"
    r"lynch|burn|slaughter|bomb|butcher|behead) (?:(?:them|em|'em) all|every (?:last |single )?"
    r"one of (?:them|em|'em)|the (?:whole )?lot of (?:them|em|'em))\b"
)
# "we need to start killing them", "let's go hunting immigrants"
_START_ING = re.compile(
    rf"\b{_NORMATIVE_AGENT} {_MODAL} (?:just )?(?:start|begin|get to|get back to) "
    rf"(?P<v>{_ING_V})\b(?P<rest>.*)|"
    rf"^\W*(?:let's|lets|let us|we should|time to) go (?P<g>{_ING_V})\b(?P<grest>.*)"
)
# "make them suffer (and die)"
_SUFFER = re.compile(
    rf"{_CALL_LEAD}make {_NP} (?:all )?suffer(?: and die| before (?:they|he|she) dies?| like "
    rf"(?:dogs|animals|rats))?{_CLAUSE_END}"
)

# round 2 of stop 52 (sentences written after the first rules, before reading them
# against those rules): the bullet or the rope as what is needed or the cure ("a firing
# squad is what they need", "the only cure is a bullet", "the only language these
# animals understand is a bullet"), lampposts and rope enough for
# them, a building burned or a boat sunk with people inside, their weddings, schools or
# places of worship bombed, "round them up and put them in camps", "make them dig their
# own graves", regret that nobody has killed someone yet or that not enough died, "I won't
# rest until they're all dead", "a bullet each would solve the problem". "The day of the
# rope" was written and dropped: it read a Gab training row labelled no threat ("when
# the day of the rope arrives"); a building burned "with the nurses inside" after
# "anyone ... should" is a call to others, which the project labels incitement
_WHAT_THEY_NEED = re.compile(
    r"^\W*(?:(?:a |the |one )?(?:bullets?|ropes?|nooses?|firing squad|mass grave|bullet (?:to|in) "
    rf"the head|gas chamber|lamp ?post)|{_INJURY}|{_A_BEATING})"
    # "a rope and a tree", "a bullet and a shallow grave" (stop 56)
    r"(?: and (?:a |the |one )?(?:[\w'-]+ ){0,2}?(?:trees?|lamp ?posts?|graves?|ditch|shovel|"
    r"spades?|bullets?|ropes?|bags?))? "
    r"(?:is|'s|are) (?:exactly |just )?(?:what|all) (?P<subj>(?:[\w'-]+ ){0,5}?"
    r"[\w'-]+) (?:needs?|deserves?|should get|has coming|have coming)\b"
)
_CURE_IS = re.compile(
    r"\b(?:only |real |best |final )?(?:cure|answer|solution|fix|remedy|treatment|language "
    r"(?:[\w'-]+ ){1,3}understands?)(?: (?:for|to) (?P<for>[\w' -]{1,40}?))? (?:is|=) (?:a |the |"
    r"one )?(?:bullets?|rope|noose|mass graves?|firing squads?|bullet (?:to|in) the head|gas "
    r"chambers?|ovens?|lamp ?posts?)(?=\s*(?:$|[,.!;:]|each\b|for (?:them|all of them|every)\b))"
)
_DAY_OF_ROPE = re.compile(
    r"^\W*first (?:ones? )?(?:up )?against the wall when\b|"
    r"^\W*(?:(?:it's|its|it is) )?time for the (?:rope|noose|gallows|ovens|wall|firing squad|"
    r"guillotines?)(?=\s*(?:$|[,.!;:]))|"
    r"^\W*(?:fire up|start up|start|heat up|light up|turn on) the ovens"
    r"(?: back up| again)?\W*$|^\W*bring out the guillotines?\W*$|"
    r"\bplenty of lamp ?posts\b|\bplenty of trees,? and (?:plenty of )?"
    r"rope\b|\b(?:a |one )?bullets? (?:each|apiece|to the head) (?:would|will|'d|'ll) "
    r"(?:solve|fix|sort)\b"
)
_WITH_THEM_INSIDE = re.compile(
    r"\b(?:burn|torch|bomb|sink|blow up|set fire to|firebomb|gas|flood)\w* (?:[\w'-]+ ){0,4}?"
    r"with (?:them|em|'em|all of them|every one of them|(?:the|those|these) (?:[\w'-]+ )?"
    rf"(?:{_GROUP_PLURALS}|congregation|worshippers|famil(?:y|ies))) (?:still |all )?"
    r"(?:inside|in it|in there|on board|aboard|locked (?:inside|in))\b|"
    rf"\block {_NP} (?:all )?(?:in|inside) (?:[\w'-]+ ){{1,3}}and (?:then )?(?:burn|torch|"
    r"set fire to|bomb|gas) (?:it|the place|the lot)\b"
)
_THEIR_PLACES = re.compile(
    rf"{_CALL_LEAD}(?:bomb|blow up|firebomb|torch|burn down|burn|shoot up|gas) (?:every "
    r"(?:single |last )?one of )?(?:their|his|her) (?:mosques?|churches|church|synagogues?|"
    r"temples?|schools?|weddings?|funerals?|homes?|houses?|kids|children|famil(?:y|ies)|"
    r"neighbou?rhoods?|villages?)\b"
)
_INTO_CAMPS = re.compile(
    rf"{_CALL_LEAD}round (?:up )?{_NP} (?:all )?(?:up )?and (?:then )?(?:put|send|ship|throw|"
    rf"lock) (?:them|em|'em) (?:all )?(?:in|into|to) {_CAMPS}|"
    rf"\b{_MODAL} (?:all )?be rounded up and (?:put|sent|shipped|thrown|locked) (?:in|into|to) "
    rf"{_CAMPS}"
)
# how a photograph or a film is shot ("in black and white", "in focus", "for the album")
_FILMED = re.compile(
    r"\b(?:albums?|black and white|colou?r|focus|portrait|landscape|close-?ups?|slow motion|"
    r"4k|hd|widescreen|sepia|mono(?:chrome)?)\b"
)
# anyone at all told to act: a call to others, which the project labels incitement (a
# project validation row: "anyone with balls should go torch it with the nurses inside")
_ANYONE_SHOULD = re.compile(
    r"\b(?:anyone|anybody|whoever)\b(?: with [\w' ]{1,20}?)? (?:should|must|needs? to|could|"
    r"ought to|oughta|gotta)\b"
)
_OWN_GRAVES = re.compile(
    rf"\b(?:make|made|force|forced) (?:{_NP} )?(?:to )?dig (?:their|his|her|your|ur) own graves?"
)
# forms whose own negation is the threat ("shame nobody has shot him yet", "I won't rest
# until they're all dead"): negation is read only before them
_REGRET = re.compile(
    r"^\W*(?:(?:it's |its |what |such )?a )?(?:shame|pity|too bad),? (?:that )?(?:nobody|no one|"
    rf"noone|no-one) (?:has|have|'s|had) (?:\w+ )?(?P<v>{_alt(_PP)}) {_NP}(?: yet)?"
    rf"{_CLAUSE_END}|"
    r"^\W*why (?:hasn't|has not|haven't|hasnt) (?:anyone|anybody|someone|somebody) (?:\w+ )?"
    rf"(?P<w>{_alt(_PP)}) (?P<wobj>(?:[\w'-]+ ){{0,3}}?[\w'-]+) yet\b|"
    r"^\W*(?:too bad|shame|pity|(?:it's |its )?a (?:shame|pity)),? (?P<subj>(?:[\w'-]+ ){0,4}?"
    r"[\w'-]+) (?:didn't|did not|never|don't|do not) (?:all )?(?:die|drown|burn|hang|get shot|"
    r"get killed)\b|"
    r"^\W*not enough of (?P<nobj>them|em|'em|those \w+|these \w+|the \w+) (?:died|were killed|"
    r"got killed|got shot|were shot|drowned|burned|burnt|were hanged|hanged)\b|"
    r"\b(?:i|we) (?:won't|will not|wont|can't|cannot) (?:rest|stop|sleep) (?:until|till|til) "
    r"(?P<rsubj>(?:[\w'-]+ ){0,4}?[\w'-]+)(?: are| is| be|'re|'s) (?:all )?(?:dead|gone from this "
    r"earth|six feet under|in the ground)\b"
)
# the forms read with people as the object (``obj``) or as the words before them
_TAIL_OBJECT = (
    _PEOPLE_CALL, _GIVE, _TOO_GOOD, _SLOGAN_FOR, _OPEN_SEASON, _PERMANENTLY, _STRING_UP,
    _PUT_DOWN, _NO_MERCY, _WITH_THEM, _SEND_TO, _BODY_BAGS, _THROW_TO, _LET_DIE, _GUNPOINT,
    _SUFFER, _CLEANSE, _WITH_THEM_INSIDE, _INTO_CAMPS, _OWN_GRAVES,
)  # fmt: skip
# "the landlords should be the first against the wall"
_FIRST_AGAINST = re.compile(
    r"\b(?:should|will|must|deserve to|ought to) be (?:the )?first (?:ones? )?(?:up )?against "
    r"the wall\b"
)
_TAIL_SUBJECT = (_PEOPLE_PASSIVE, _PEOPLE_NEED, _DESERVE_THE, _FIRST_AGAINST)
# pests and things that the people-only verbs also take ("exterminate the termites")
_NOT_PEOPLE_OBJ = re.compile(
    r"\b(?:termites?|rats?|mice|mouse|pests?|cockroach(?:es)?|roach(?:es)?|bugs?|"
    r"insects?|wasps?|ants?|weeds?|germs?|bacteria|virus(?:es)?|polio|poverty|disease|"
    r"corruption|cache|files?|data|records?|accounts?|list)\b"
)


# the pronoun a long-tail form falls on ("nuke them all", "they must be purged"): its
# antecedent decides whether it names people (break7 L5)
_TAIL_PRONOUN = re.compile(r"^(?:them|they|em|'em)(?:\s+(?:all|both|each|too|now|already))*$")
# nouns of things, files and pests that a "them" can stand for ("Delete the temp files?
# Nuke them all.", "those fruit flies are everywhere"), read with their plural
_THING_NOUN = re.compile(
    rf"^(?:{_THINGS}|{_OBJECT}|{_ANIMALS}|termites?|rats?|mice|pests?|cockroach(?:es)?|"
    r"roach(?:es)?|bugs?|insects?|wasps?|ants?|weeds?|germs?|bacteria|virus(?:es)?|files?|"
    r"data|records?|accounts?|lists?|branches|duplicates?|folders?|director(?:y|ies)|tabs?|"
    r"logs?|entries|rows?|tables?|servers?|apps?|programs?|cookies?|backups?|commits?|"
    r"caches?|emails?|messages?|photos?|pictures?|images?|videos?|clothes|shoes?|plants?|"
    r"flies|fly|moths?|slugs?|spiders?|mould|molds?|items?|boxes|tickets?|bookmarks?|"
    r"duplicates?|copies|versions?|drafts?|tasks?|issues?|bugs?|errors?|warnings?|"
    r"notifications?|spam|junk|leftovers|scraps|toys|books?|dishes|jars?|bottles?|cans?)$"
)
_PLURAL_PEOPLE = re.compile(r"^(?:people|men|women|children|kids|folks?|guys|ones)$")
# "purged / removed from the database": a record taken out of a system, not people killed
_FROM_SYSTEM = re.compile(
    r"^\s*(?:(?:all|now|too|already|immediately|today)\s+)*from (?:the |this |that |our |your |"
    r"my |their |its |his |her )?(?:[\w'-]+ )?(?:database|db|list|lists|system|records?|"
    r"server|cache|disk|drive|registry|repo|repository|index|table|spreadsheet|folder|"
    r"directory|inbox|queue|backups?|logs?|archive|mailing list|cloud|app|site|website|"
    r"page|feed|history|memory|storage|cart|playlist|rolls?|roster|payroll|register|"
    r"ballot|shortlist|team sheet)\b"
)
# "put them down" of a thing held: on a shelf, gently, stuck up somewhere
_PUT_DOWN_LITERAL = re.compile(
    r"\b(?:stuck|gently|carefully|slowly|on (?:the|a|that|this|my|your) (?:shelf|shelves|"
    r"table|floor|desk|counter|ground|bed|chair|sofa|couch|tray|bench|side)|"
    r"(?:shelf|shelves|table|counter|desk|floor))\b"
)


def _plural_word(w: str) -> bool:
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


def _pronoun_names_things(before: str, after: str) -> bool:
    """A "them" / "they" of a long-tail form stands for things or pests, not people: the
    nearest plural noun before it in the passage (``before``: the earlier sentences and the
    clause up to it) names things ("Delete the temp files? Nuke them all."), or, with
    none before, the clause after it does ("..., those fruit flies are everywhere",
    "Nuke them all: the old branches are useless"); never where people are named among
    those words too ("The refugees took our jobs. Nuke them all.": the subject may be
    the antecedent, and a missed threat costs more than a false one here)."""

    def nearest(words: list[str]) -> bool | None:
        thing = None
        for w in words:
            w = w.strip(".,;:!?\"'()[]")
            if not w or w in ("them", "they", "em", "'em", "us", "yours"):
                continue
            plural = _plural_word(w) or w in ("mice", "data", "bacteria", "clothes", "spam")
            if _PLURAL_PEOPLE.match(w) or (plural and _person_np(w)):
                return False
            if thing is None and plural and _THING_NOUN.match(w):
                thing = True
        return thing

    found = nearest(before.split()[::-1][:40])
    if found is None:
        found = nearest(after.split()[:12])
    return bool(found)


def _tail_on_things(m: re.Match[str], prefix: str, s: str, before: str) -> bool:
    """A long-tail form matched by ``m`` in the sentence ``s`` (after ``prefix``; the
    passage's earlier text ``before``) is said of things: purged from a database, a thing
    put down on a shelf, or a pronoun whose antecedent names things
    (:func:`_pronoun_names_things`)."""
    after = s[m.end() :]
    if m.re in (_PEOPLE_CALL, _PEOPLE_PASSIVE) and _FROM_SYSTEM.match(after):
        return True  # "they must be purged from the database by friday"
    if m.re is _PUT_DOWN and _PUT_DOWN_LITERAL.search(s):
        return True  # "someone should put them down, they're stuck up on the shelf"
    pronoun = None
    if "obj" in m.re.groupindex and m.group("obj"):
        pronoun = m.group("obj").strip(" ,")
    elif "pro" in m.re.groupindex and m.group("pro"):
        pronoun = m.group("pro")
    elif m.re in _TAIL_SUBJECT:
        words = prefix.split()
        pronoun = words[-1] if words else None
    if not pronoun or not _TAIL_PRONOUN.match(pronoun):
        return False
    return _pronoun_names_things(before + " " + s[: m.start()], after)


def _pest_before(prefix: str) -> bool:
    """The last words before a modal (``prefix``) name a pest, a disease or a thing to be
    cleared ("the mice", "polio", "the old files"), not people."""
    words = " ".join(prefix.split()[-4:])
    return bool(_NOT_PEOPLE_OBJ.search(words) or _PESTS.search(words))


def _people_obj(obj: str | None) -> bool:
    """The object ``obj`` of a long-tail form (:data:`_TAIL_OBJECT`) names people
    (:func:`_person_np`, read without trailing quantifiers and a leading "up"), not pests
    or things; a missing object is none."""
    if not obj:
        return False
    o = re.sub(r"^(?:up|out|down|off)\s+", "", obj.strip(" ,"))
    o = re.sub(r"(?:\s+(?:all|both|each|too|alike|together|now|already))+$", "", o)
    if _NOT_PEOPLE_OBJ.search(o):
        return False
    full = _PERSON_NP.match(o)
    return bool(full and full.end() == len(o)) or _person_np(o)


# "I'd kill them all", "I'd shoot every last one of them": the author's deed on a whole group
_ALL_OF_THEM = re.compile(
    r"\s*(?:(?:them|em|'em) all\b|every (?:last |single )?one of\b|the (?:whole )?lot of\b)"
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|nobody|noone|no one|none|nothing|neither|nor|without|hardly)\b|n't\b"
)
# someone else's words, an idea or a question the sentence talks about
_EMBEDDING = re.compile(
    r"\b(?:(?P<who>[\w']+) (?:(?:have|had|also|all|just|really|now|finally|already|"
    r"totally|both|truly|hereby|unanimously|collectively) ){0,2})?"
    r"(?P<cue>say|says|said|saying|think|thinks|thought|thinking|"
    r"believe|believes|believing|claim|claims|claimed|claiming|argue|argues|argued|arguing|"
    r"suggest|suggests|suggested|suggesting|allegedly|reportedly|"
    r"tweet|tweets|tweeted|tweeting|write|writes|wrote|writing|written|posted|posting|"
    r"chant|chants|chanted|chanting|shout|shouts|shouted|shouting|yell|yells|yelled|"
    r"yelling|scream|screams|screamed|screaming|threaten|threatens|threatened|"
    r"threatening|vowed|vowing|warn|warns|warned|told|tells|telling|calls? for|"
    r"calling for|called for|whether|imagine|pretend|joke|joked|joking|"
    # a third party's decision, stance, pledge or order, and words read or heard
    r"decide|decides|decided|deciding|resolve|resolves|resolved|rule|ruled|ruling|"
    r"holds? that|held that|conclude|concludes|concluded|insist|insists|insisted|"
    r"maintain|maintains|maintained|demand|demands|demanded|"
    r"declare|declares|declared|announce|announces|announced|pledge|pledges|pledged|"
    r"vows|swears|swore|admits|admitted|confessed|ordered|ordering|"
    r"orders|read|reading|reads|hear|hears|heard|hearing|states|stated|condemn|condemns|"
    r"condemned|condemning|reject|rejects|rejected|denounce|denounces|denounced)\b|"
    # words carried by a message, sign or story (the author's own, "my message:", is theirs)
    r"\b(?:(?P<own>my|our) (?:[\w']+ )?)?"
    r"(?P<noun>idea|notion|view|rhetoric|slogan|fantas(?:y|ies)|lyrics?|song|game|"
    r"manifesto|messages?|posts?|tweets?|comments?|notes?|letters?|emails?|headlines?|"
    r"captions?|banners?|signs?|placards?|graffiti|leaflets?|pamphlets?|chants?|calls|"
    r"movie|film|novel|story|character|scene|chorus|verse|episode|chapter|sequel|prequel|"
    r"book|opera|plot|villain|antagonist|protagonist|hero|heroine|narrator|trailer|script|"
    r"screenplay|poem|series|sitcom|comic|manga|anime|fiction)\b"
)
# the sentence's words attributed to a source after them ("..., police said.",
# "..., according to state media.")
_ACCORDING_TO = re.compile(r"\baccording to\b")
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?P<who>[\w']+)(?:\s+[\w']+){0,3}\s+(?<!been )(?<!be )(?:said|says|say|warned|"
    r"warns|claimed|claims|told|tells|reported|reports|alleged|alleges|wrote|writes|added|"
    r"adds|heard|insisted|insists|confirmed|announced|argued|argues|suggested|suggests|"
    r"tweeted|posted|stated|declared|shouted|yelled|chanted|commented|remarked|replied|"
    r"joked|boasted)\b[^,]*$"
)
# an attribution after the words with its verb first ("..., says the Dalek.", "..., cried the
# Queen of Hearts", "..., said the prosecutor about the convicted killers")
_INVERTED_ATTRIBUTION = re.compile(
    r",\s*(?:said|says|cried|cries|shouted|shouts|yelled|yells|screamed|screams|wrote|writes|"
    r"added|adds|replied|replies|insisted|insists|declared|announced|argued|argues|told)\s+"
    r"(?!(?:i|we)\b)(?:[\w'-]+\s+){0,7}[\w'-]+\W*$"
)
# an imperative that sets the condition of the author's threat ("say one more word about
# it and I'll ...", "write that again and ..."), read at the start of the sentence
_CONDITIONAL_IMPERATIVE = re.compile(
    r"^\W*(?:(?:just|go on|go ahead|keep|carry on|try)\W+)?(?:say|saying|write|writing|"
    r"post|posting|tweet|tweeting|tell|telling|call|calling|shout|shouting|yell|yelling|"
    r"publish|publishing|print|printing|preach|preaching)\b[^.;:]*\band\s*$"
)
_ABOUT_SOMEONE = re.compile(
    r" about (?:me|us|him|her|them|my|our|his|their)\b(?! (?:and|how|that|being))"
)
# a verb of saying whose object is a thing, in the subject's description ("whoever
# wrote that article"): the subject's deed, not words the clause reports
_CUE_THING = re.compile(
    r"^ (?:that|this|the|those|these|a|an|his|her|their) (?:[\w'-]+ )?(?:article|story|"
    r"piece|post|tweet|book|column|report|headline|video|song|law|bill|letter|op-ed|"
    r"review|rubbish|garbage|crap|lies?|shit)s? ?$"
)
_FIRST_PERSON_INTRO = re.compile(r"\b(?:i|i'm|i've|we|we're|my|our|me|us)\b")
# a line before a colon that is the author's: in the first person, or addressed to the
# reader ("this is your last warning: ...")
_OWN_INTRO = re.compile(r"\b(?:i|i'm|i've|we|we're|my|our|me|us|you|your|y'all)\b")
# A message's or post's header ending in a colon, opening the text: a note, letter or
# message to someone, or from a sender (one word: a name or a handle) to someone ("Message
# from darkfox to Jane:", "Note to the landlord:", "A final warning to the cowards at the
# depot:"), or a forum header naming the poster ("Posted by ironfist77:", not a reply's
# "Originally posted by rdx:" over the post it quotes). A passage that opens with one is
# the message itself, in its own voice (as annotate.classifier.quote_blocks reads a block
# after such a line): its first sentence is read from after the colon, not as words
# embedded under a heading. Anywhere else the header quotes a message inside a report
# ("Police said she got a message. Message from Dan to Sarah: I will kill you.") and stays
# embedded, as do reported words ("darkfox wrote to Jane:").
_MESSAGE_HEADER = re.compile(
    r"^\W*(?:(?:a|an|the|my|our|this|one) )?(?:(?:final|last|quick|short|open|friendly|"
    r"little) )?(?:message|note|letter|memo|dm|pm|text|reminder|warning)s? "
    r"(?:from @?[\w.\-]+(?: to [^:\n]{1,60})?|to [^:\n]{1,60}|for [^:\n]{1,60}) ?:"
)
# a reply's header over the post it quotes ("Originally posted by rdx:", "Re: ..."): the
# quoted post is another's words, not the reply's
_QUOTED_POST = re.compile(r"^\W*(?:originally\b|re:)")
# the sentence's subject suffers the violence at another's hands: a lament, not a threat
_VICTIM = re.compile(r"^\W*(?:at|by) the hands? of\b")
_FIRST_PERSON_WHO = {
    "i", "we", "i'd", "we'd", "i'll", "we'll", "i've", "we've", "i'm", "we're", "honestly",
    "really", "just",
}  # fmt: skip
_QUOTE_FILL = " "
# participles said of pests, diseases and problems as often as of people: their passive is
# not read with one of those as its subject (a religion or "those responsible" stay read:
# two implicit-hate training rows labelled threatening)
_PEST_PARTICIPLES = frozenset({"exterminated", "eradicated", "eliminated", "annihilated"})
# participles whose "get" passive is also ordinary ("should get hurt to learn", "get shot"
# for a vaccine, "get cut from the squad", "get burned" by the sun, "get beat" at a game)
_GET_NOT_HARM = frozenset({"hurt", "shot", "cut", "burned", "burnt", "beat", "run", "hung"})
# nouns of a beating that sport also uses for a defeat ("our defence deserves a hammering")
_BEATEN_IN_GAMES = r"kicking|beating|thrashing|hammering|hiding"
# characters before a clause read for its subject, negation and embedding: a bound that
# keeps a 100 KB sentence of candidate clauses linear (each read its whole prefix: ~45 s)
_WINDOW = 300
# candidate clauses read in one sentence at most (a real sentence has a few; a 100 KB
# run of them without a full stop is no passage a moderator reads as a threat)
_MAX_CLAUSES = 32
# violent verbs that sport and games use for winning, and words that set a sentence in a
# contest (the team, the match, the level): with both, "we're going to kill them on
# Saturday, the defence is a shambles" is no threat; verbs with no such use (stab,
# shoot, strangle, hang, ...) are read in any setting
_FIGURATIVE = {
    "end", "come", "coming", "kill", "murder", "slaughter", "butcher", "massacre",
    "annihilate", "smash", "bash",
    "beat", "burn", "attack", "hunt", "execute", "torch", "wipe", "finish", "blow",
    "eliminated", "wiped",
}  # fmt: skip
_CONTEST = re.compile(
    r"\b(?:match(?:es)?|games?|finals?|semis?|semi-?finals?|semi finals?|"
    r"quarter-?finals?|quarter finals?|league|cup|derby|fixtures?|tournament|playoffs?|"
    r"kick-?off|half-?time|(?:first|second) half|extra time|pitch|defen[cs]e|midfield|"
    r"strikers?|keepers?|goalies?|goals?|penalt(?:y|ies)|offside|set pieces?|scoreline|"
    r"leaderboard|ranked|respawn|levels?|(?<!off the )maps?|lobby|teams?|away side|home side|"
    r"contestants?|competitors?|players?|(?:first|second|third|final|next|opening) round|"
    r"rounds|heats?|qualifiers?|qualifying|chess|checkmate|rooks?|pawns?|endgame|"
    # contests that are not sport (stop 56; as annotate.classifier.idioms reads them)
    r"quiz(?:zes)?|trivia|debates?|competitions?|contests?|spelling bees?|bake-?offs?|"
    r"talent shows?|karaoke|sports day)\b|"
    r"\bat (?:fifa|mario ?kart|fortnite|call of duty|monopoly|scrabble|cards|poker|darts|"
    r"pool|snooker|tennis|golf|ping ?pong|table tennis|bowling|uno|tekken|madden|"
    r"rocket league|minecraft|halo|overwatch|smash bros|street fighter|mortal kombat)\b"
)
_PEOPLE = re.compile(
    r"\b(?:fans?|supporters?|spectators?|people|everyone|everybody|anyone|anybody|"
    r"famil(?:y|ies)|children|kids)\b"
)
_MEDIA = re.compile(
    r"\b(?:photos?|photographs?|photo ?shoots?|yearbook|portraits?|headshots?|cameras?|"
    r"lens|studio|green ?screen|footage|filming|film|movie|videos?|scenes?|episodes?|"
    r"on location|natural light|close-ups?|drone|vlog|sequels?|prequels?|trailers?|adverts?|"
    r"commercials?)\b"
)
_WEAPON = re.compile(
    r"\b(?:guns?|rifles?|pistols?|shotguns?|bullets?|ammo|ammunition|glock|ar-?15|"
    r"magazines?|crossbow)\b"
)
# forum and e-mail quoting: a line opening with ">" (not a bare ">>123" post link), and
# the line after a quote header ("Quote from: ...", "Originally posted by ...", a line
# ending "X wrote:")
_QUOTED_LINE = re.compile(r"^[ \t]*>(?!>*\d+[ \t]*$)[^\n]*", re.M)
_QUOTE_HEADER = re.compile(
    r"^[ \t]*(?:(?:quote from|originally posted by|quote)\b[^\n]*|"
    r"[^\n]{0,80}\b(?:wrote|writes|said|says|posted):[ \t]*)\n(?P<quoted>[^\n]*)",
    re.M,
)


# the texts of the last passages read: :func:`threat_sentences` and the two cap rules
# (:func:`lawful_warning`, :func:`self_directed`) read each passage in turn, and each
# normalises it and cuts it in sentences (pure functions of the text)
_RECENT = 64


def _lower_each(text: str) -> str:
    """Each character of ``text`` in lower case, its first character where that is longer
    ("İ" -> "i"): ``text.lower()`` itself where every character's lower case is one
    character (the same length) and no capital sigma is lowered by its context."""
    lowered = text.lower()
    if len(lowered) == len(text) and "Σ" not in text:
        return lowered
    return "".join(c.lower()[:1] or c for c in text)


@lru_cache(maxsize=_RECENT)
def _normalise(text: str) -> str:
    """Lower case, curly apostrophes straight, quotations and quoted forum lines blanked
    (offsets kept: a character whose lower case is longer keeps its first, "İ" -> "i")."""
    text = text.replace("’", "'").replace("‘", "'")
    chars = list(_lower_each(text))
    ranges = quote_ranges(text)
    lowered = "".join(chars)
    ranges += [m.span() for m in _QUOTED_LINE.finditer(lowered)]
    ranges += [m.span("quoted") for m in _QUOTE_HEADER.finditer(lowered)]
    for a, b in ranges:
        chars[a:b] = _QUOTE_FILL * (b - a)
    out = "".join(chars)
    # a title's full stop ends no clause ("keep writing, ms. delgado, and I'll ...") and a
    # dropped "g" written as an apostrophe is the "g" ("comin' for you"); both keep the
    # offsets (stop 56)
    out = _TITLE_DOT.sub(lambda m: m.group(1) + " ", out)
    return _DROPPED_G.sub(lambda m: m.group(1) + "g", out)


# titles whose abbreviation ends in a full stop before a name
_TITLE_DOT = re.compile(r"\b(mrs|mr|ms|dr|prof|rev|sgt|capt|cllr|gov|sen|rep|st)\.(?= [a-z])")
# "-in'" for "-ing" ("comin'", "stabbin'"), not a quotation's closing apostrophe after a
# word in -in ("'the cabin'" is blanked before this as a quotation)
_DROPPED_G = re.compile(r"\b([a-z]{2,}in)'(?=\W|$)")


def _particle(verb: str, rest: str) -> bool:
    """A verb that means violence only with its particle or object ("cut ... throat",
    "run over", "gunned down") has it within the next six words; other verbs pass."""
    need = _NEEDS.get(_FORM_OF.get(verb.split()[0], ""))
    return not need or bool(re.search(rf"\b(?:{need})", " ".join(rest.split()[:6])))


def _relation(np_: str) -> bool | None:
    """Whether the noun phrase ``np_`` after a violent verb is a person named by a
    relation after a possessive ("my wife", "our old foreman", "my sister's boyfriend",
    "my neighbour's jaw"): True; such a phrase that names a thing ("my brother's high
    score", "our family christmas video") or a gift's receiver ("my boss an email"):
    False; None where ``np_`` opens with no relation."""
    m = _RELATION_NP.match(np_)
    if not m:
        return None
    rest = m.group("rest")
    if m.group("own"):  # what of theirs: the person, the body, the home
        return bool(_RELATION_OWN.match(rest.lstrip()) or _RELATION_NP.match(rest.lstrip()))
    return not (_COMPOUND.match(rest) or re.match(rf"^\s+{_GIFT}", rest))


# "come for you" as a lift (stop 53: three lookalikes of the veiled rounds): at a clock
# time, or with a drive or a lift after it
_PICK_UP = re.compile(
    r"^\s*(?:at (?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|"
    r"half|quarter)\b|[^.;!?]{0,40}\b(?:drive|lift|ride|pick (?:you )?up|airport|just call)\b)"
)


def _aimed(verb: str, rest: str) -> bool:
    """The violent verb ``verb`` (a form or phrase) is aimed at a person, group or place:
    its particle (for verbs that need one) and a target within the next five words."""
    if not _particle(verb, rest):
        return False
    if verb.startswith(("come for", "coming for")) and _PICK_UP.match(rest):
        return False  # "I'll come for you at seven and we can drive to the airport"
    head = " ".join(rest.split()[:6])
    if _FORM_OF.get(verb) == "drown" and _DROWN_IN.search(head) and not _WATER.search(head):
        return False  # "drown the children in sunscreen", "drown them in paperwork"
    inner = _held_object(verb, (" to", " on", " at"))
    if inner:
        # a phrase holds its object ("make them bleed"); "set fire to", "take a knife
        # to" and a bare "blow up" have it after the phrase ("blow up your phone")
        obj = inner
        person = _relation(obj)
        return person if person is not None else not _NOT_TARGET.match(obj)
    obj = head.lstrip(" ,")
    np_ = _PARTICLES.sub("", obj)  # "hunt down the best deals": the object after "down"
    if _GIVING.match(obj):
        return False
    if _FORM_OF.get(verb) == "hang" and _HUNG_UP.match(obj):
        return False
    person = _relation(np_)
    if person is not None:
        return person
    if _NOT_TARGET.match(np_):
        return False
    return bool(_AIMED_AT.match(obj) or _MODIFIED_GROUP.match(np_))


def _coordinated(verb: str, rest: str) -> list[tuple[str, str]]:
    """The violent verb ``verb`` with the words after it, then each violent verb joined
    to it by "and (then)" ("we will bomb the match and kill every fan there"): the
    subject and intent of the first govern them all. At most four."""
    out = [(verb, rest)]
    while len(out) < 4 and (m := _AND_VERB.match(out[-1][1])):
        out.append((m.group("v"), m.group("rest")))
    return out


def _photographed(verb: str, s: str) -> bool:
    """``verb`` (a passive's participle) is "shoot" in a sentence about photographs or
    filming ("every student must be shot for the yearbook") that names no weapon and no
    crowd of people."""
    if _FORM_OF.get(verb.split(" ", 1)[0]) != "shoot" or not _MEDIA.search(s):
        return False
    return not (_WEAPON.search(s) or _PEOPLE.search(s))


def _figurative(verb: str, rest: str) -> bool:
    """``verb`` (a form or phrase) is one that sport and games use for winning ("we'll
    kill them", "slaughter the Tigers", "wipe the other team out"), and the six words
    after it name no crowd of people ("kill every fan in the ground" is no game talk)."""
    word = verb.split()[0]
    if _FORM_OF.get(word, word) not in _FIGURATIVE:
        return False
    return not _PEOPLE.search(" ".join(f"{verb} {rest}".split()[:8]))


# idioms with a negation word that negate nothing ("deserve nothing but a bullet")
_NOT_NEGATING = re.compile(
    r"\b(?:nothing (?:but|less than|more than|short of)|no less than|(?:show |give )?no mercy)\b"
)


def _negated(prefix: str, matched: str) -> bool:
    return bool(_NEGATION.search(_NOT_NEGATING.sub(" ", prefix[-30:] + " " + matched)))


def _subject_deed(prefix: str, m: re.Match[str]) -> bool:
    """The verb of saying matched by ``m`` in ``prefix`` describes the subject ("people
    who keep writing about us", "whoever wrote that article") or sets the author's
    condition ("say one more word and I'll ...", "keep writing about us and ..."): it
    reports no words."""
    before, after = prefix[: m.start("cue")], prefix[m.end("cue") :]
    in_relative = re.search(r"\b(?:who|whoever) (?:[\w']+ ){0,2}$", before)
    if in_relative and (_ABOUT_SOMEONE.match(after) or _CUE_THING.match(after)):
        return True
    return bool(_CONDITIONAL_IMPERATIVE.match(prefix))


# the target's words as the condition of a threat: an order opening the sentence and
# joined by "and" / "or" to what follows ("say that again and ...", "write one more word
# about my family and ...", "post that again or ...")
_DARED = re.compile(
    r"(?:(?P<stop>stop|quit) |(?:keep|keep on) )?(?:say|saying|write|writing|post|posting|"
    r"tweet|tweeting|print|printing|publish|publishing)\b[^.;:]{0,60}?"
    r"(?:\b(?:and|or|or else)\s+(?!\w+ (?:said|says)\b)|(?P<end>\s*$))"
)


# a noun of the message list used as the verb of an order ("sign the contract", "post
# it"): no message carries the words after it
_VERB_NOUN = re.compile(
    r"(?:sign|post|email|text|message|note) (?:the|this|that|it|here|your|my|our)\b"
    r"(?![^.;:]{0,40}\b(?:said|says|reads?|that (?:they|we|you|he|she))\b)"
)


def _embedded(prefix: str) -> bool:
    """The clause sits under someone else's words or under a topic or question
    ("people who say ...", "he said ...", "in the game ...", "Channel 4 guest: ..."), not
    the author's claim; the author's own "I think" / "I swear" / "I told you" keeps it the
    author's."""
    colon = prefix.rfind(":")
    if colon >= 0 and not _OWN_INTRO.search(prefix[:colon]):
        return True  # words after an attribution or a heading ("guest:", "headline:")
    dared_end = -1
    for m in _EMBEDDING.finditer(prefix):
        if m.group("cue") and m.group("who") in _FIRST_PERSON_WHO:
            continue
        if m.start() < dared_end:
            continue  # a word of the condition below ("write one more post like that and")
        dared = _DARED.match(prefix[m.start() :])
        if (
            dared
            and (dared.group("stop") or not dared.group("end"))
            and not prefix[: m.start()].strip(" ,.!-")
        ):
            dared_end = m.start() + dared.end()
            continue  # "say that again and ...": the author's condition, not words reported
        if m.group("cue") and _subject_deed(prefix, m):
            continue  # "journalists who keep writing about me": the subject's deeds
        if m.group("noun") and m.group("own"):
            continue
        if (
            m.group("noun")
            and not prefix[: m.start()].strip(" ,.!-")
            and _VERB_NOUN.match(prefix[m.start() :])
        ):
            continue  # "sign the contract or ...": an order opening the sentence (stop 55)
        return True
    return False


def _attribution_start(s: str) -> int:
    """Where the sentence ``s`` credits its words to someone other than the author
    ("..., a court heard", "according to police"): the attribution's start offset, -1
    if none. A clause before it is reported, not said. Reads the last ``_WINDOW``
    characters for a closing attribution, the whole sentence for "according to"."""
    start = -1
    for m in _ACCORDING_TO.finditer(s):
        start = m.start()
    tail = max(0, len(s) - _WINDOW)
    m = _TRAILING_ATTRIBUTION.search(s, tail)
    if m and m.group("who") not in _FIRST_PERSON_WHO:
        start = max(start, m.start())
    m = _INVERTED_ATTRIBUTION.search(s, tail)
    if m:
        start = max(start, m.start())
    return start


def _wished_at(m: re.Match[str], s: str) -> bool:
    """The deed of a :data:`_WISHED` match in the sentence ``s`` is aimed at someone (as
    :func:`_aimed`), and no "shot" of a film or photograph."""
    if m.group("s"):
        return True  # "it would be a shame if something happened to your shop"
    for v, rest in (("v", "rest"), ("w", "wrest"), ("u", "urest"), ("x", "xrest"), ("y", "yrest")):
        if m.group(v):
            verb = m.group(v)
            if verb.startswith(("puts ", "put ")):
                return True
            base = _FORM_OF.get(verb) or verb
            if _photographed(verb, s):
                return False
            return _aimed(base if base in _BASES else verb, m.group(rest))
    return False


def _subject_is_target(prefix: str, after: str) -> bool:
    """The subject before a normative modal (the end of ``prefix``) is someone else, a
    person or group the violence is wished on: not missing, not a thing ("the film
    should be shot"), not the author ("I should be shot for saying that"), and not a
    victim at another's hands (``after``: "... at the hands of drunk drivers"). A
    relative clause ("politicians who vote for this") or "like that" makes it a person
    whatever its last word."""
    if not prefix.strip() or _VICTIM.match(after):
        return False
    like = _THING_LIKE.search(prefix)
    if like and _thing_or_pest(like.group("head")):
        return False  # "pests like rats need to be exterminated": the head names things
    if _RELATION_SUBJECT.search(prefix) or _PERSON_CLAUSE.search(prefix):
        return True
    if _SELF_SUBJECT.search(prefix):
        return False
    return not _THING_SUBJECT.search(_TRAILING_PP.sub("", prefix))


# "getting killed on fees / in the polls / at the toss": an idiom of losing, unless the
# place is the target's own ("in your sleep", "in your bed")
_IDIOM_PLACE = (
    r"^\s*(?:on|in|at|by|with|over) (?!(?:your|ur|his|her|their) (?:sleep|bed|home|house|"
    r"flat|car|cell)\b)"
)


def _imperative_object(verb: str, rest: str) -> str:
    """The object of an imperative ``verb`` with ``rest`` after it: inside a phrase that
    holds it ("make them bleed", "wipe them out"), else after it ("hang the traitors")."""
    return _held_object(verb, (" to", " on", " at", " in", " into", " through")) or rest


def _held_object(verb: str, before_object: tuple[str, ...]) -> str:
    """The words after the first of a phrasal ``verb`` when they hold its object ("make
    them bleed" -> "them bleed"); "" for a one-word verb, a verb and its particles only
    ("blow up"), or a phrase ending in one of ``before_object`` (its object follows it:
    "set fire to", "open fire on")."""
    inner = verb.split(" ", 1)[1] if " " in verb else ""
    if not inner or verb.endswith(before_object) or _PARTICLES.fullmatch(inner + " "):
        return ""
    return inner


def _getting_harmed(m: re.Match[str], contest: bool) -> bool:
    """A :data:`_GETTING` match ("you're getting stomped", "your temple is getting
    firebombed") names harm to the second person or their people or places: the verb has
    its particle ("getting beaten up", not "getting beat" at a game), "hurt" is a
    warning, "burned" needs "down" or "alive" (not sunburn), the subject is no thing or
    animal ("your code is getting executed"), and no contest word sets it in a game."""
    verb, rest = m.group("v"), m.group("rest")
    base = _FORM_OF.get(verb.split()[0], "")
    if base == "hurt" or not _particle(verb, rest):
        return False
    if base == "burn" and not re.match(r"\s*(?:down|alive|to the ground)\b", rest):
        return False
    if base in _FIGURATIVE and re.match(_IDIOM_PLACE, rest):
        return False  # "you're getting killed on fees", "in the polls", "at the bar"
    subj = re.sub(r"(?:\s+(?:is|are)|'s)$", "", m.group("subj"))
    if subj.startswith("your ") and _THING_SUBJECT.search(subj):
        return False
    return not (contest and _figurative(verb, rest))


# a wish's subject as a personal pronoun, and the words that end a subject left without
# its clause ("the man who" before "was shot survives")
_SUBJ_PRONOUN = re.compile(
    r"^(?:they|he|she|you|u|ya|ye|y'all|yall|them|him|her|'em|em|"
    r"you (?:all|guys|lot|people|two)|the (?:whole )?lot of (?:them|you|'em))$"
)
_DANGLING = re.compile(
    r"\b(?<!\blike )(?:who|whom|whose|whoever|which|that|where|when|if|because|and|or|but|"
    r"once|until)$"
)
_LIKE_PERSON = re.compile(r"\blike (?:him|her|them|that|this|you|those|these)$")
_WISH_PERSON_NP = re.compile(
    rf"^(?:{_DET}|all|every|each|any|those|these)\s+(?:last\s+)?(?:single\s+)?"
    rf"(?:{_MODIFIER}){{0,3}}?(?:{_alt(set(_PERSON_WORDS.split()))})(?:s|es)?$"
)
# settings where a wish of death is no threat: fiction and games ("I hope he dies in the
# finale"), care ("she's suffering so much, I hope she dies peacefully")
_FICTION = re.compile(
    r"\b(?:seasons?|episodes?|series|finale|characters?|show|sequel|prequel|movie|film|"
    r"book|novel|chapter|villains?|plot|script|writers|fanfic|storyline|arc|game|level|"
    r"boss|quest|npc|dlc|campaign|dungeon)\b"
)
_MERCY = re.compile(
    r"\b(?:suffering|hospice|terminal(?:ly)?|palliative|bless (?:him|her)|rest in peace|"
    r"at peace|poor (?:thing|soul|love))\b"
)
_ELECTION = re.compile(
    r"\b(?:elections?|polls?|ballot(?: box)?|by-elections?|primary|primaries|midterms?|"
    r"referendum|seats?|vote)\b"
)


_PART_OF = re.compile(
    r"^(?:all|every (?:last |single )?one|each(?: one)?|both|any|some|most|many|half|more|"
    r"the rest|one|(?:the )?(?:whole )?lot) of (?P<np>.+)$"
)
# "get shot of him", "shot down" by a board, "shot at", "shot up", a flu jab
_SHOT_OF = re.compile(r"\s*(?:of|down|at|up|for (?:the )?(?:flu|covid|jab))\b")


def _person_np(np_: str) -> bool:
    """The words ``np_`` (a subject or object, whole) name a person or people: a personal
    pronoun, a group or role ("those protesters", "muslims", "every one of them"), a
    relation ("my ex", "your family"), a person by a common noun or insult ("that
    bastard"), or any noun with a relative clause or "like him" ("the guy who stabbed my
    friend", "traitors like him"); not the author, anyone at all, a thing or an animal."""
    if not np_ or _DANGLING.search(np_) or _SELF_SUBJECT.search(np_):
        return False
    if _IDENTITY_PEOPLE.search(np_) and not re.search(r"\b(?:you|we|us|our)\b", np_):
        return True  # "bisexual people" is no "people" at large
    if _GENERIC_SUBJECT.search(np_):
        return False
    if _SUBJ_PRONOUN.match(np_):
        return True
    if _PERSON_CLAUSE.search(np_):
        return True
    like = _LIKE_PERSON.search(np_)
    if like:  # "people like that", not "dogs like this" or "rugs like these"
        head = np_[: like.start()].strip()
        return not (_THING_SUBJECT.search(head) or _PESTS.search(head))
    whole = _PERSON_NP.match(np_)
    if whole and whole.end() == len(np_):  # before its "of them" is read as a place
        return True
    part = _PART_OF.match(np_)
    if part:  # "every one of those bankers": the people it is a part of
        return _person_np(part.group("np"))
    head = _TRAILING_PP.sub("", np_)
    if _THING_SUBJECT.search(head) or _PESTS.search(head):
        return False
    if _RELATION_SUBJECT.search(head) or _WISH_PERSON_NP.match(head):
        return True
    m = _PERSON_NP.match(head)
    return bool(m and m.end() == len(head))


def _person_subject(subj: str) -> bool:
    """The subject of a wished fate (:data:`_HOPED` and the like), as matched, names
    people (:func:`_person_np`), read without a contraction ("they'd"), trailing
    quantifiers ("them all") or a leading "that" ("I hope that they ...")."""
    s = re.sub(r"(?:'d|'ll|'re|'s|'ve)$", "", subj.strip(" ,"))
    s = re.sub(r"(?:\s+(?:all|both|each|too|alike|together|themselves|as well))+$", "", s)
    # an event joined before the fate is the subject's too ("that judge gets cancer and
    # dies", "he falls down the stairs and breaks his neck"; stop 56)
    s = re.sub(
        r"\s+(?:gets?|got|catches|caught|falls?|fell|goes|went|contracts?|develops?|trips?|"
        r"tripped|slips?|slipped)\b(?:\s+[\w'-]+){1,4}\s+and$",
        "",
        s,
    )
    return any(_person_np(c) for c in (s, re.sub(r"^(?:that|and|but|so|then)\s+", "", s)))


def _person_before(prefix: str) -> bool:
    """The words before a :data:`_BELONG` clause end with people (:func:`_person_np` on
    the last one to eight words), and the subject's head is no thing ("the old tree
    belongs in the ground")."""
    # a predicate joined before it has the same subject ("bisexual people are a disease
    # and should be ..."; stop 56)
    prefix = re.sub(r"\s+(?:are|is|were|was)\s+(?:[\w'-]+\s+){0,4}?and\s*,?\s*$", "", prefix)
    words = re.sub(r"(?:\s+(?:all|both|each|too|alike))+\s*,?\s*$", "", prefix).split()
    if words and _LIKE_PERSON.search(" ".join(words)):
        return True  # "people like that"
    if not words or _THING_SUBJECT.search(_TRAILING_PP.sub("", " ".join(words))):
        return False
    return any(_person_np(" ".join(words[-k:])) for k in range(1, min(8, len(words)) + 1))


def _fated(m: re.Match[str], s: str, contest: bool) -> bool:
    """A wished fate (:data:`_HOPED`, :data:`_GLAD_IF`, :data:`_MY_WAY`, :data:`_SEE`)
    in the sentence ``s`` is violence on people: the author's own deed aimed at someone
    (``av``, as :func:`_aimed`), or a subject that names people whose fate is a violent
    participle with its particle (not "hurt", sunburn, "shot of", "killed off", a photo
    shoot, a game or an election), death, or burning, hanging or drowning (in water) with
    no object; not in fiction, games or care."""
    if "av" in m.re.groupindex and m.group("av"):
        v, rest = m.group("av"), m.group("arest")
        return _aimed(v, rest) and not (contest and _figurative(v, rest))
    if not _person_subject(m.group("subj")) or _FICTION.search(s) or _MERCY.search(s):
        return False
    pv, bv = m.group("pv"), m.group("bv")
    if pv:
        rest, word = m.group("prest"), pv.split()[0]
        base = _FORM_OF.get(word, "")
        if base == "hurt" or (word in _FORM_OF and not _particle(pv, rest)):
            return False
        if base == "burn" and not re.match(r"\s*(?:alive|to death|down|to the ground)\b", rest):
            return False  # "I hope you get burned" by the sun
        if base == "shoot" and _SHOT_OF.match(rest):
            return False
        if base == "kill" and re.match(r"\s*off\b", rest):
            return False  # "I hope he gets killed off": a character written out
        if _photographed(pv, s):
            return False
        if (contest or _ELECTION.search(s)) and _figurative(pv, rest):
            return False
    if bv and _FORM_OF.get(bv) == "drown":
        after = s[m.end("bv") :][:40]
        return not (_DROWN_IN.search(after) and not _WATER.search(after))
    return True


def _fate_end(m: re.Match[str]) -> int:
    """Where the fate (or the author's verb) of a wish match ends: negation is read up to
    there, not in the rest of the sentence ("I hope they all die, nobody will miss them")."""
    for g in ("pv", "dv", "bv", "av"):
        if g in m.re.groupindex and m.group(g):
            return m.end(g)
    return m.end()


def _gathered(m: re.Match[str], s: str, contest: bool) -> bool:
    """A :data:`_ROUND_UP` call gathers people ("round them up", "line up the traitors")
    and then aims its violent verb at someone (:func:`_aimed`): not volunteers met at a
    hall, a team photo or a game."""
    obj = re.sub(r"^up ", "", m.group("obj"))
    person = _PERSON_NP.match(obj)
    if not (person and person.end() == len(obj)) and not _person_np(obj):
        return False
    v, rest = m.group("v"), m.group("rest")
    if _photographed(v, s) or (contest and _figurative(v, rest)):
        return False
    return _aimed(v, rest)


def _thing_or_pest(np_: str) -> bool:
    """The noun phrase ``np_`` names a thing, an animal or a pest ("the only good wasp is a
    dead wasp"), not people."""
    singular = re.sub(r"(?<=[a-z])s$", "", np_.rstrip())  # "video games" as "video game"
    return any(_THING_SUBJECT.search(x) or _PESTS.search(x) for x in (np_, singular))


def _promised_to(prefix: str, verb: str) -> bool:
    """A harm promised beside the author's word (:data:`_PROMISED`) falls on someone
    named: not the author or their side ("we're getting slaughtered, I swear"), not
    anyone at all ("someone is going to get hurt, I swear" is a worry), not a thing."""
    if not prefix.strip() or _GENERIC_SUBJECT.search(prefix):
        return False
    if _FORM_OF.get(verb) == "hurt" and not _SEE_TO_IT.search(prefix):
        return False  # "he'll get hurt, I swear": a warning unless the author sees to it
    if _PERSON_CLAUSE.search(prefix):
        return True
    if _SELF_SUBJECT.search(prefix):
        return False
    return not _THING_SUBJECT.search(_TRAILING_PP.sub("", prefix))


# the clause patterns :func:`_sentence_threat` reads, in order, with what each kind of
# match must pass
_CLAUSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_DIRECT, "aimed"),
    (_PROGRESSIVE, "aimed"),
    (_ACTIVE, "aimed"),
    (_ADVISED, "aimed"),
    (_IMPERATIVE, "aimed"),
    (_CAUSATIVE_DIRECT, "caused"),
    (_GETTING, "getting"),
    (_ONLY_GOOD, "slogan"),
    (_WISHED, "wished"),
    (_PASSIVE, "subject"),
    (_STONED, "subject"),
    (_CAUSATIVE, "subject"),
    (_DIE, "subject"),
    (_PROMISED, "promised"),
    (_SECOND_PERSON, ""),
    (_HOPED, "fate"),
    (_GLAD_IF, "fate"),
    (_MY_WAY, "fate"),
    (_SEE, "fate"),
    (_BELONG, "person"),
    (_ROUND_UP, "gathered"),
    (_TIME_TO, "aimed"),
    (_SOLUTION, "aimed"),
    (_GLADLY, "aimed"),
    (_I_SAY_WE, "aimed"),
    *((rx, "tail_obj") for rx in _TAIL_OBJECT),
    *((rx, "tail_subj") for rx in _TAIL_SUBJECT),
    (_DESERVE_IS, "tail_deserve"),
    (_WANT, "tail_want"),
    (_GET_ROPE, "tail"),
    (_WHAT_THEY_NEED, "tail_deserve"),
    (_CURE_IS, "tail_cure"),
    (_DAY_OF_ROPE, "tail"),
    (_THEIR_PLACES, "tail"),
    (_REGRET, "tail_regret"),
    (_SNIPER, "tail"),
    (_AFTER_COMMA, "tail"),
    (_ON_SIGHT, "tail_sight"),
    (_START_ING, "tail_start"),
)


def _sentence_threat(s: str, before: str = "") -> bool:
    """One normalised sentence (lower case, quotations blanked, spaces single) states a
    threat; ``before``: the passage's text before it, normalised (read for what a "them"
    stands for)."""
    s, may = _tag_question_off(s)  # "..., understand?" is a statement
    if may & _B_WHY_NOT_YET and _why_not_yet(s, before):
        return True
    m = _VEHICLE_DOWN.search(s) if may & _B_VEHICLE_DOWN else None
    if m and not (_FICTION.search(s) or _CONTEST.search(s) or _embedded(s[: m.start()])):
        return True
    if s.rstrip(" \"'”)").endswith("?") and not _SNIPER.match(s):
        return False
    contest = bool(may & _B_CONTEST and _CONTEST.search(s))
    attributed = _attribution_start(s)
    clauses = 0
    for i, (rx, kind) in enumerate(_CLAUSES):
        if not may >> i & 1:
            continue  # cannot match: none of its literal strings is in the sentence
        if kind == "promised" and not (_COMMITMENT.search(s) or _SEE_TO_IT.search(s)):
            continue
        for m in rx.finditer(s):
            clauses += 1
            if clauses > _MAX_CLAUSES:
                return False
            prefix = s[max(0, m.start() - _WINDOW) : m.start()]
            end = m.end("v") if "v" in rx.groupindex and m.group("v") else m.end()
            if rx is _SECOND_PERSON:  # its "won't" is the threat: only the prefix negates
                end = m.start()
            # a cue of its own ("I wouldn't mind if", "can't wait to see") negates nothing:
            # negation is read from after it to the fate's end
            start = m.start()
            if kind == "fate":
                start, end = m.end("cue"), _fate_end(m)
            if rx is _DIE and m.group("n"):  # "don't deserve to live": its own "not"
                start = end = m.start()
            # a call after a comma is its own clause: "better off without them, kill them all"
            neg_prefix = "" if rx is _AFTER_COMMA else prefix
            if rx is _REGRET:  # its own "nobody", "didn't", "won't" is the threat
                start = end = m.start()
            if _negated(neg_prefix, s[start:end]) or _embedded(prefix):
                continue
            if attributed > m.start():
                continue
            if kind.startswith("tail"):
                if (
                    contest
                    or not _tail_read(m, kind, prefix, s)
                    or _tail_on_things(m, prefix, s, before)
                ):
                    continue
                return True
            if kind == "wished" and not _wished_at(m, s):
                continue
            if kind == "fate" and not _fated(m, s, contest):
                continue
            if rx is _GLADLY and not (
                m.group("glad")
                or re.search(r"\b(?:myself|ourselves)\b", m.group("rest")[:60])
                or _ALL_OF_THEM.match(m.group("rest"))
            ):
                continue  # "I'd kill him" alone is a guess or a conditional, not read
            if kind == "person" and not _person_before(prefix):
                continue
            if rx is _DIE and (m.group("b") or m.group("n")) and not _person_before(prefix):
                continue  # "Twitter needs to burn to the ground": the subject names people
            if kind == "gathered" and not _gathered(m, s, contest):
                continue
            if rx in (_IMPERATIVE, _TIME_TO, _SOLUTION) and (
                _NOT_IMPERATIVE.search(m.group("rest")[:60])
                or not _PERSON_NP.match(_imperative_object(m.group("v"), m.group("rest")))
            ):
                continue
            if kind == "aimed" and not any(
                _aimed(v, rest) and not (contest and _figurative(v, rest))
                for v, rest in _coordinated(m.group("v"), m.group("rest"))
            ):
                continue
            if (
                rx is _PASSIVE
                and m.group("v") not in _PASSIVE_NO_PARTICLE
                and not _particle(m.group("v"), m.group("rest"))
            ):
                continue
            if rx is _PASSIVE and m.group("v") in _PEST_PARTICIPLES and _pest_before(prefix):
                continue  # "the mice need to be exterminated", "polio must be eradicated"
            if (
                rx is _PASSIVE
                and m.group("v") in _PEST_PARTICIPLES
                and _FROM_SYSTEM.match(s[m.end("v") :])
            ):
                continue  # "they must be eliminated from the list of suspects"
            if (
                rx is _PASSIVE
                and m.group("v") in _PEST_PARTICIPLES
                and prefix.split()
                and _TAIL_PRONOUN.match(prefix.split()[-1])
                and _pronoun_names_things(before + " " + prefix, s[m.end("v") :])
            ):
                continue  # "the weeds are back. they need to be eradicated."
            if rx is _PASSIVE and contest and _figurative(m.group("v"), m.group("rest")):
                continue
            if rx is _PASSIVE and _photographed(m.group("v"), s):
                continue
            if rx is _PASSIVE and m.group("aux") == "get" and m.group("v") in _GET_NOT_HARM:
                continue  # "you need to get hurt to learn", "get shot" (a jab), "get cut"
            if rx is _DIE and contest and re.search(_BEATEN_IN_GAMES, m.group(0)):
                continue  # "our defence deserves a good kicking"
            if kind == "caused" and m.group("who") and not _particle(m.group("v"), m.group("rest")):
                continue
            if kind in ("caused", "getting") and _photographed(m.group("v"), s):
                continue
            if kind == "getting" and not _getting_harmed(m, contest):
                continue
            if kind == "slogan" and _thing_or_pest(m.group("g")):
                continue
            if kind == "promised":
                if not _promised_to(prefix, m.group("v")):
                    continue
            elif kind == "subject" and not _subject_is_target(prefix, s[m.end() :]):
                continue
            return True
    return False


# where the object of a question's deed ends ("... that senator yet?")
_OBJECT_END = re.compile(r"\s+(?:yet|already|for|with|at|in|on|when|after|before|over)\b|[,.!?;:]")


def _why_not_yet(s: str, before: str) -> bool:
    """The sentence ``s`` asks why nobody has done violence to someone yet, or why they
    still breathe (:data:`_WHY_NOT_YET`): the deed aimed at people (as :func:`_aimed`),
    the one still breathing a person (:func:`_person_subject`); not under someone
    else's words, in a game or a story."""
    m = _WHY_NOT_YET.match(s)
    if not m or _CONTEST.search(s) or _FICTION.search(s) or _embedded(before[-_WINDOW:]):
        return False
    if m.group("subj"):
        return _person_subject(m.group("subj"))
    v, rest = m.group("v"), m.group("rest")
    obj = _held_object(v, (" to", " on", " at", " in", " into", " through")) or rest
    obj = _OBJECT_END.split(obj)[0]
    obj = obj.strip(" ,?")
    if not _aimed(v, rest) or not obj:
        return False
    # people, not the sofa nobody has burned yet: a person's or a group's noun phrase
    # ("that senator", "the traitors", "him"), as the regret's "why hasn't anyone ...
    # yet" reads it; a noun pointed at ("that old sofa", "that ugly statue") is no one
    return _people_obj(obj) or bool(_SUBJ_PRONOUN.match(obj))


def _tail_read(m: re.Match[str], kind: str, prefix: str, s: str) -> bool:
    """A long-tail normative form (stop 52) matched by ``m`` in the sentence ``s`` (after
    ``prefix``) falls on people: its object (``tail_obj``), the words before it
    (``tail_subj``), a wish's or a desert's subject (``tail_want``, ``tail_deserve``), or
    the people after "shoot on sight" or "go hunting"; never on lights or bunting, food
    thrown to the pigs, a child's care home, a photograph, fiction or care."""
    if m.re is _AFTER_COMMA:
        return not (_NOT_PEOPLE_OBJ.search(prefix) or _FICTION.search(s))
    if kind == "tail":
        return True
    if kind == "tail_cure":
        return not (m.group("for") and _NOT_PEOPLE_OBJ.search(m.group("for")))
    if kind == "tail_regret":
        if m.group("subj"):
            return _person_subject(m.group("subj"))
        if m.group("rsubj"):
            return _person_subject(m.group("rsubj"))
        if m.group("nobj"):
            return _person_np(m.group("nobj")) or bool(_SUBJ_PRONOUN.match(m.group("nobj")))
        obj = m.group("obj") or m.group("wobj")
        return bool(obj) and _people_obj(obj)
    if m.re is _WITH_THEM_INSIDE and _ANYONE_SHOULD.search(prefix):
        return False  # "anyone with balls should go torch it with ...": a call to others
    if m.re in (_OWN_GRAVES, _WITH_THEM_INSIDE) and not m.group("obj"):
        return True
    if m.re is _INTO_CAMPS and not m.group("obj"):
        return _person_before(prefix)
    if kind == "tail_subj":
        return _person_before(prefix)
    if kind == "tail_deserve":
        # what only people deserve or need (a bullet, the rope, broken ribs) makes its
        # subject someone, as a normative modal's does, unless it names a thing, a pest,
        # the author or anyone at all (stop 56: "all that traitor MP deserves")
        subj = m.group("subj")
        return _person_subject(subj) or (
            not _GENERIC_SUBJECT.search(subj) and _subject_is_target(subj, "")
        )
    if kind == "tail_want":
        if _FICTION.search(s) or _MERCY.search(s) or _photographed(m.group("pv"), s):
            return False
        if m.group("pv") == "shot" and _FILMED.search(m.group("prest")):
            return False  # "I want them shot in black and white for the album"
        return _person_subject(m.group("subj"))
    if kind == "tail_sight":
        rest = m.group("rest").strip(" ,")
        return bool(m.group("pro") or (rest and _PERSON_NP.match(rest)))
    if kind == "tail_start":
        if m.group("g"):
            rest = m.group("grest").strip(" ,")
            return bool(rest and _PERSON_NP.match(rest))
        return any(_aimed(v, rest) for v, rest in _coordinated(m.group("v"), m.group("rest")))
    rx = m.re
    if rx is _PUT_DOWN and m.group("pro"):
        return True
    if rx is _GUNPOINT and not m.group("obj"):
        return _person_before(prefix)
    if rx is _STRING_UP and _DECORATIONS.search(s):
        return False
    if rx is _THROW_TO and _FOOD.search(s):
        return False
    if rx is _PERMANENTLY and _CARE.search(s):
        return False
    return _people_obj(m.group("obj"))


# Veiled and conditional threats (stop 53, issue 8, passI53 I1): the forms threat
# assessment distinguishes from direct threats, with no violent verb (the frozen encoder
# reads "keep talking and see what happens to you" as counter-speech, "we know which bus
# your son takes. Drop the lawsuit." as nothing). Read only where the menace is in the
# form itself or the sentence sets a condition the target is warned off; written from
# general English and the threat-assessment formulae before any public row was read for
# them. The target's defiance that a conditional warns off ("keep talking and ...", "if
# you testify ...", "go to the police and ..."): acts against the author, never a need or
# a state ("if you're lost", "if you need help", "try the recipe").
_DEFIANCE = (
    r"(?:keep (?:on )?(?:talking|posting|pushing (?:me|us|it)|it up|running your mouth|"
    r"mouthing off|digging|asking questions|writing about (?:me|us)|snooping|poking around|"
    r"testing me|this up|that up)|"
    r"(?:say|said|says) (?:that|it|this|one more (?:word|thing)|another word|anything)"
    r"(?: again| to anyone| to anybody| to the police)?|"
    r"(?:do|does|did) (?:that|it|this) (?:again|one more time)|try (?:me|that again|it again)|"
    r"test me|push me|cross (?:me|us)|mess (?:with|around with) (?:me|us|my|our)|"
    r"touch (?:her|him|me|my|them|our)|(?:go|goes|went) to the (?:police|cops|press|papers|"
    r"authorities|feds)|(?:call|calls|called|ring|tell|tells|told) (?:the )?(?:police|cops|"
    r"anyone|anybody|a soul|your lawyer)|talk to (?:the )?(?:police|cops|press|papers|"
    r"anyone|anybody|reporters)|report (?:me|us|this|it|that)|testify|testifies|"
    r"snitch|snitches|rat (?:on )?(?:me|us)|grass (?:on )?(?:me|us)|"
    r"(?:publish|print|post|run) (?:that|this|it|the story|the article|another word|"
    r"one more)|pass (?:this|it|the bill|the motion|the plan)|"
    r"vote (?:for|yes on|yes to|against|no on) (?:this|it|the)|fire me|sue (?:me|us)|"
    r"leave me|show your face|come (?:back )?(?:here|near (?:me|us|her|him|my))|"
    r"don't (?:pay|drop|withdraw|back off|stop|delete|shut up|keep quiet|stay away|"
    r"leave)|do not (?:pay|drop|withdraw|stop|delete))"
)
# where the condition sits: an "if/unless you", a sentence opening with the defiance as
# an imperative and "and"/"," ("keep talking and ...", "say one more word, ..."), or
# "one more word / try it and"
_CONDITION = re.compile(
    rf"(?:\b(?:if|unless|once|the minute|the moment|the day|when) (?:you|u|ya|he|she|they) "
    rf"(?:ever |even |so much as |just |dare )?(?:{_DEFIANCE})\b|"
    rf"^\W*(?:(?:just|go on|go ahead|and|you|so)\W+)?(?:{_DEFIANCE})\b[^.;:]*?"
    r"(?:\band\b|&|,\s*(?:and )?(?:then )?)\s*)"
)
# the author will find, hunt down or come after the target: read with the target's
# family beside them, with "down", at the clause's end after a condition, or with "for
# this" ("I'll get you for this"); never a gift's receiver ("I will find you a seat")
_FIND_YOU = re.compile(
    rf"\b{_FIRST}(?: |(?=')){_INTENT} (?:(?:personally|still|eventually|always|just) )?"
    r"(?P<fv>find|hunt|track|come after|come for|get|visit|be waiting for|be coming after|"
    r"be coming for) "
    r"(?P<fo>you|u|ya|y'all|your (?:whole )?(?:family|families|kids|children|wife|husband|"
    r"son|daughter|mum|mom|mother|dad|father|parents)|him|her|them)\b(?P<frest>.*)"
)
_FAMILY_AFTER = re.compile(
    r"^\s*(?:(?:and|&|\+|n|an') )(?:all )?(?:your|ur|his|her|their) (?:[\w'-]+ )?"
    r"(?:family|families|kids|children|wife|husband|son|sons|daughter|daughters|mum|mom|"
    r"mother|dad|father|parents|sister|brother|girlfriend|boyfriend|partner|baby|babies)\b"
    r"(?P<after>.*)"
)
# a gift's object after "find you (and your kids)": "a seat", "the link", "something"
_GIFT_OBJECT = re.compile(
    r"^\s*(?:(?:a|an|the|some|any|one|two|three|another|something|somewhere|someone|"
    r"somebody|anything|everything|that|this|those|these|more|plenty|lots|my|our|his|her|"
    r"their)\b|\w+s\b(?! (?:and|&)))"
)
# what may follow the target at the clause's end: a time, a place the target will be, a
# tag question or a vocative
_FIND_TAIL = re.compile(
    r"^\s*(?:(?:after|before|at|outside|when|on|in|wherever|whenever|no matter|one day|"
    r"someday|some day|eventually|sooner or later|tonight|tomorrow|soon|later|again|"
    r"first|myself|personally|too|and (?:when|then)|mark my words|i swear|trust me)\b"
    r"(?:(?!\b(?:and|to|so)\b)[^.;!?,]){0,40})?\s*(?:[,.!;?]|$)"
)
# "see what happens (to you)" after a condition: bare only after the target's defiance,
# with a person after "to" after any condition but a neutral one ("wait and see", "let's
# see what happens", "add salt and see what happens when ...")
_SEE_WHAT = re.compile(
    r"(?:\band\b|&|,|\bor\b|\bthen\b)\s*(?:then )?(?:you(?:'ll| will| can| shall)? |"
    r"we(?:'ll| will) |just |u'?ll )?see what (?:happens|will happen|happened)"
    r"(?P<to> to (?:you|u|ya|y'all|him|her|them|your (?:[\w'-]+ )?(?:"
    + _RELATIONS.replace(" ", "|")
    + r"|face|legs|kneecaps|teeth|house|home|car|shop|business|windows|pets?|dog|cat)s?)\b|"
    r" to (?P<yours>(?:that|this|those|these) (?:[\w'-]+ ){1,2}?of (?:yours|urs))\b)?"
    r"(?P<after>[^.;!?]{0,40})"
)
_SEE_ALONE = re.compile(
    r"^\W*(?:(?:and|then|just|go on|go ahead)\W+)?(?:you(?:'ll| will) )?see what happens"
    r"(?: to (?:you|u|ya))?(?:,? (?:i dare you|mate|pal|buddy))?\W*$"
)
_SEE_NEUTRAL = re.compile(
    r"^\W*(?:(?:just|so|now|then)\W+)?(?:wait|let's|lets|let us|sit back|stay tuned|watch|"
    r"add|mix|stir|press|click|tap|run|restart|reboot|plant|water|try (?:adding|the|this|"
    r"it|a|an|that|some)|give it|practi[sc]e|keep practi[sc]ing|train|eat|drink|stop "
    r"(?:smoking|drinking|eating))\b"
)
# "it would be a shame if something happened to it / your daughter", "shame if anything
# were to happen to that lovely shop": its target is "you", a person or thing of yours
# named in the sentence or the sentence before ("nice shop you have here"), or "it"
# standing for one; an insurance advert is no threat
_SHAME_IF = re.compile(
    r"(?:^\W*|\b(?:it|that|it'd|that'd|would|'d|be|'s|is|will be)\s+)(?:be |been )?(?:a |an )?"
    r"(?:real |terrible |awful |great |crying |such a )?(?:shame|pity|tragedy|terrible|awful|"
    r"sad|tragic)(?:,)? if (?:something|anything|some(?:thing)? bad|an accident) "
    r"(?:bad |unfortunate |nasty |terrible |awful )?(?:happened|were to happen|was to happen|"
    r"happens|should happen|would happen|ever happened) to (?P<to>[\w' -]{1,40}?)"
    r"(?=\s*(?:$|[,.!;?]|\b(?:while|when|if|because|after|before|at|one|some|tonight|now)\b))"
)
_SHAME_HARM = re.compile(
    r"\b(?:shame|pity|tragedy|terrible|awful|sad|tragic)(?:,)? if (?P<who>(?:you|u|your|ur) "
    r"(?:[\w'-]+ ){0,2}?[\w'-]+) (?:had an accident|got hurt|were hurt|was hurt|got injured|"
    r"caught fire|burned down|burnt down|went up in flames|disappeared|went missing|"
    r"never came home|didn't come home|didn't make it home)\b"
)
_YOURS = re.compile(
    rf"\b(?:your|ur) (?:[\w'-]+ )?(?:{_RELATION}|shop|store|house|home|car|business|place|"
    r"restaurant|pub|bar|salon|garage|office|windows|van|kids|face)\b|"
    r"\b(?:nice|lovely|beautiful|pretty|cute|sweet) (?:little )?(?:[\w'-]+ ){0,4}?[\w'-]+ "
    r"(?:you(?:'ve| have)? (?:got|have)|you(?:'ve| have) got|u(?:'ve| have| got| have got))\b"
)
_INSURANCE = re.compile(r"\b(?:insur\w*|cover(?:ed|age)?|policy|warranty|premium|quote)\b")
# what the author knows of the target's home, family or routine ("we know which bus your
# son takes", "I know where your kids go to school", "I know your address"): read only
# with a demand in the sentence or beside it ("Drop the lawsuit.")
_KNOW = re.compile(
    r"\b(?:i|we)(?: (?:already|also|all|both|still))?(?: |(?='))(?:know|knew|found out|"
    r"have found out|"
    r"'ve found out|know exactly|know all about|have seen|'ve seen|(?:am|are|'m|'re) (?:well |"
    r"fully )?aware of|found|have found|'ve found|(?:have|'ve) got (?:photos|pictures|"
    r"videos) of|have (?:photos|pictures|videos) of|got (?:photos|pictures) of) (?:exactly )?"
    r"(?:(?P<wh>where|which|what|when|what time|who|how)\b(?P<kw>[^.;!?]{0,60})|"
    r"(?:your|ur) (?:home |new |real )?(?:address|postcode|zip code|route|schedule|routine|"
    r"house|car|front door|plates?|number plate|"
    r"kids'? names|children's names|(?:[\w'-]+ )?'?s? school|daily routine|movements)\b|"
    rf"(?:your|ur) (?:[\w'-]+ )?{_RELATION}(?:'s?|s')? (?:[\w'-]+ )?(?:school|nursery|bus|"
    r"route|address|office|workplace|gym|club|shift|classroom|college|home|house|"
    r"care home|nursing home)\b)"
)
# the target's family's routine told to them, to the hour ("your son's school lets out at
# four", "your kids walk home past the canal every afternoon"): read, like what the author
# knows, only with a demand beside it
_ROUTINE_TOLD = re.compile(
    rf"^\W*(?:[\w'-]+ ){{0,3}}?(?:your|ur) (?:[\w'-]+ )?{_RELATION}(?:'s?|s')? "
    # the time told as a clock, a part of the day or a weekday (stop 56: "your husband's
    # club meets at dawn"); the target's own round alone is not read ("your sessions are
    # tuesday 7pm. cancel 24 hours ahead" is a booking)
    r"(?:[\w'-]+ ){0,6}?(?:at (?:\d{1,2}(?:[:.]\d{2})?|half past|quarter (?:past|to)|dawn|dusk|"
    r"night|midnight|noon|first light)|\d{1,2}(?:[:.]\d{2})? ?(?:am|pm)|"
    r"(?:on )?(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:days?)?(?: (?:&|and) "
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:days?)?)?(?= |$)|"
    r"every (?:single )?(?:morning|afternoon|evening|night|day|weekday|weekend|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|after school|on (?:their|his|her) own|alone)\b"
)
_KNOWN_ROUTINE = re.compile(
    r"^\s*(?:[\w'-]+ ){0,2}?(?:(?:you|u|ya)\b|(?:your|ur) (?:[\w'-]+ ){0,2}?[\w'-]+\b)"
    r"(?:'s)?[^.;!?]{0,40}\b(?:lives?|living|go|goes|going|take|takes|taking|work|works|"
    r"working|park|parks|parked|sleeps?|leaves?|leaving|finish(?:es)?|walks?|walking|trains?|"
    r"drops?|picks?|stays?|staying|school|bus|route|gym|shift|car|drives?|jogs?|runs|"
    r"hang out|hangs out|eat|eats|shop|shops|pray|prays)\b"
)
# the demand beside it: an imperative of the lawsuit, the post or the vote, or a "think
# about it"; "unless you ..." / "if you don't / keep / ever ..." in the same sentence
_DEMAND = re.compile(
    r"^\W*(?:(?:so|now|just|better|you'd better|you better|i'd|i would|i suggest you|you "
    r"should|you might want to)\W+){0,2}(?:drop|withdraw|stop(?! (?:by|in|off|round|over))|"
    r"delete|remove|take (?:it|that|this|the [\w'-]+) down|take down|retract|pay(?: up)?|"
    r"back off|back down|step down|"
    r"resign|quit|shut up|keep (?:your mouth shut|quiet|your mouth closed|it to yourself)|"
    r"think (?:about (?:it|that|this|your|them|her|him)|carefully|twice|hard|it over)|"
    r"remember that|do the (?:smart|right|sensible|wise) thing|be (?:smart|sensible|wise|"
    r"a good (?:boy|girl))|choose (?:wisely|carefully)|walk away|let it go|"
    r"stay away|mind your own business|vote (?:no|yes|against|for)|sign (?:it|the)|"
    r"don't (?:testify|report|go|talk|tell|vote|publish|post|write|come|show up|make me)|"
    r"leave (?:it|this|town|him|her|them) (?:alone|be)?|move out|sell (?:up|the)|"
    r"reconsider|cancel|call (?:it|this|that|the [\w'-]+) off|hand (?:over|it over|them over)|"
    r"close (?:up|down|it|the)|shut (?:it|the [\w'-]+) down|give (?:it|them) back|"
    r"(?:return|hand back|pay back|repay) (?:the|my|our|what|it|them|every)|sign (?:it|the|"
    r"this|that))\b"
)
_DEMAND_INLINE = re.compile(
    r"\b(?:unless (?:you|u)\b|if (?:you|u) (?:don't|do not) (?!mind|know|need|want|have)|"
    rf"if (?:you|u) (?:ever |so much as |even )?(?:{_DEFIANCE})\b|"
    r"(?:so|now),? (?:drop|withdraw|stop(?! (?:by|in|off|round|over))|delete|pay|back off|"
    r"think|be smart|do the)\b)"
)
# "I have friends who would pay you a visit": people behind the author who will deal
# with the target
_FRIENDS_WHO = re.compile(
    r"\b(?:i|we)(?:'ve| have)? (?:got |have |know )(?:some |a few |plenty of |lots of |a lot "
    r"of |many )?(?:friends|mates|people|guys|boys|lads|contacts|associates|cousins|brothers|"
    r"pals|connections) (?:who|that|in [\w' ]{1,30}? who) (?:[\w']+ ){0,3}?"
    r"(?:pay (?:you|u|ya|people like you) a (?:little |friendly |quick )?visit|"
    r"visit (?:you|u|ya)|find (?:you|u|ya|anyone|anybody|people)|deal with (?:you|u|people "
    r"like you|problems like you)|sort (?:you|u|people like you|problems like you) out(?! "
    r"with)|make (?:you|u|people|problems|anyone|anybody|things) disappear|take care of "
    r"(?:problems|people like you|loose ends|snitches)|break (?:legs|bones|kneecaps)|hurt "
    r"people|know where you live)(?P<fafter>[^.;!?]{0,30})"
)
# the menace's own proverb: "accidents happen to people who talk", "people who cross me
# tend to disappear", "snitches end up in the river"
_ACCIDENTS = re.compile(
    r"\baccidents (?:happen|can happen|have a way of happening) to (?:people|those|anyone|"
    r"snitches|grasses|rats|nosy|journalists|folks|kids|little girls) (?:who|that|like you)\b|"
    r"\b(?:people|those|anyone|folks|guys) (?:who|that) (?:cross|crosses|mess with|talk to the "
    r"police|snitch|testify|rat on|grass on|go to the police|cross|betray) (?:me|us|on me|on "
    r"us)?\s*(?:tend to|have a way of|usually|always|often|end up|wind up) (?:disappear|"
    r"disappearing|get hurt|getting hurt|have accidents|having accidents|in the (?:river|"
    r"hospital|ground)|dead|hurt|missing)\b|"
    r"\b(?:snitches|grasses|rats|informers|nosy people) (?:get stitches|(?:end up|wind up|"
    r"tend to end up|usually end up|always end up) (?:in (?:the|a) (?:river|ditch|hospital|"
    r"ground|canal|boot)|dead|hurt|in stitches|missing))\b"
)
# "watch your back" as an order or a warning (not the posture: "watch your back when
# lifting", "good friends watch your back")
_WATCH_BACK = re.compile(
    r"(?:^\W*|,\s*|\b(?:i'd|i would|you should|you'd|you need to|you might want to|you wanna|"
    r"you want to|so) )(?:(?:just|better|now) )?(?:watch (?:your|ur) (?:back|six)|sleep with "
    r"one eye open)\b"
    r"(?=\s*(?:$|[.!;:]|,\s*(?:[\w'-]+\s*)?(?:[.!]|$)|,?\s*(?:from now on|out there|"
    r"if i were you|mate|pal|buddy|bro|son|sweetheart|snitch|boy|girl|then)\b))"
)
# the author's word that the target will regret it: "I'll make you regret it", "you'll
# regret the day you ...", "you'll regret ever crossing me", and after the target's
# defiance "you'll regret it / be sorry" ("keep it up and you'll be sorry")
_REGRET_IT = re.compile(
    rf"\b{_FIRST}(?: |(?=')){_INTENT} (?:make (?:sure |certain )?(?:that )?(?:you|u|ya|"
    r"he|she|they|him|her|them) (?:will |'ll )?(?:regret|pay for|be sorry for|rue) "
    r"(?:it|this|that|the day|ever|what|crossing|messing|talking|opening)|make (?:you|u|ya|"
    r"him|her|them) (?:pay|regret it|sorry)(?=\s*(?:$|[.!,;]|for (?:this|that|it|what)\b)))|"
    r"\b(?:you|u)(?:'ll| will|'re going to| are going to|'re gonna| are gonna) (?:live to )?"
    r"(?:regret (?:the day (?:you|u)|ever (?:crossing|messing|talking|meeting|coming|being "
    r"born|opening)|crossing (?:me|us)|messing with (?:me|us)|being born|the moment)|"
    r"wish (?:you|u)(?:'d| had)? never (?:been born|crossed|met|messed))\b"
)
_REGRET_AFTER = re.compile(
    r"\b(?:you|u)(?:'ll| will|'re going to| are going to|'re gonna| are gonna) (?:live to )?"
    r"(?:regret (?:it|this|that)|be sorry)\b(?=\s*(?:$|[.!,;]|(?:i (?:promise|swear)|trust me|"
    r"believe me|mark my words)\b))"
)
# the target or their family will pay for the defiance ("drop the case or your kids will
# pay for it"), not a price ("book now or you'll pay more", "or you'll pay a fine")
_OR_PAY = re.compile(
    rf"\bor (?:else,? )?(?:you|u|your (?:[\w'-]+ )?{_RELATION}) (?:will|'ll|are going to|"
    r"'re going to|is going to|is gonna|are gonna|'re gonna) (?:pay(?: for (?:it|this|that))?|"
    r"pay instead|pay the price|suffer|get hurt|be next)(?=\s*(?:$|[.!,;]))"
)
# stop 55 (issue 8): an ultimatum's veiled end after "or": the author compelling ("or we
# close it for you", "or we'll make you leave"), the target learning what the author will
# do ("or you'll find out the hard way", "or you'll learn how far we go"), the next visit
# or message less kind ("or the next letter won't be so polite"); not a price, a shop's
# notice or a lesson ("or you'll find out the hard way that the glue sets fast" is read:
# the hard way is the menace's own phrase in a demand, see the tests)
_OR_VEILED = re.compile(
    r"\bor (?:else,? )?(?:we|i|my (?:boys|lads|friends|guys|people|brothers)|the (?:boys|lads))"
    r"(?:'ll| will| are going to|'re going to| gonna)? (?:make (?:you|u|ya) (?:quit|leave|stop|"
    r"go|move|sell|regret|pay|disappear)|(?:close|shut|burn|finish|end|sort) (?:it|that|this|"
    r"you|things|the place|your [\w'-]+) (?:down |up |out )?for (?:you|u|ya))\b|"
    r"\bor (?:else,? )?(?:you(?:'ll| will|'re going to| are going to|'re gonna)|ur gonna|u'?ll)?"
    r" ?(?:find out|learn|discover|see) (?:the hard way(?=\s*(?:$|[.!,;]|that (?:i|we)\b))|"
    r"how far (?:we|i)(?:'re| are| am|'m)? "
    r"(?:willing|prepared|ready) to go|what (?:we|i)(?:'re| are| am|'m) capable of|what "
    r"happens to (?:(?:[\w'-]+ ){0,2}?[\w'-]+s who|(?:people|those|anyone|folk) (?:that|"
    r"like you)))\b|"
    r"\bor (?:else,? )?the next (?:[\w'-]+ ){0,2}?(?:won't|will not|wont) be (?:so |as )?"
    r"(?:friendly|nice|polite|gentle|kind|pleasant|harmless)\b"
)
# after the target's defiance: no help for them, waking to regret it, a family that may
# not be there ("do it again and nobody will be able to help you", "keep it up and see if
# you still have a job to go back to")
_DEFIANCE_FATE = re.compile(
    r"\b(?:no ?one|nobody|no-one|not even (?:the police|god|your [\w'-]+))(?: (?:will|is going "
    r"to|'s going to|can|could))? (?:be able to )?(?:help|save|protect) (?:you|u|ya|your "
    r"[\w'-]+)\b|"
    r"\b(?:you|u)(?:'ll| will|'re going to| are going to|'re gonna) (?P<wake>wake up) (?:one "
    r"(?:day|morning|night) )?(?:wishing|and wish) (?:you|u)(?:'d| had)? (?:hadn't|had not|never)"
    r"\b|"
    r"\bsee if (?:you|u) still have (?:a|your|any) (?:family|home|house|job|wife|husband|kids|"
    r"children|business|shop|face|legs|teeth)\b"
)
# the author disowning what comes to the target after a deadline or a demand: "whatever
# happens to your brother after that is on you", "I'm not responsible for what my boys
# do", "I can't promise nothing will happen"; read only with a demand or deadline beside
_ON_YOU = re.compile(
    r"\bwhatever happens (?:to (?:you|u|your [\w'-]+|ur [\w'-]+|him|her|them) )?(?:next |then |"
    r"after that |now )?(?:is|will be|'s) (?:on you|on your (?:head|conscience)|your (?:own )?"
    r"(?:fault|doing|choice|responsibility))\b|"
    r"\b(?:i'm|im|i am|we're|we are|were) not responsible for (?:what|whatever) (?:happens|"
    r"(?:my|our|the) (?:boys|lads|friends|guys|people|men|brothers|cousins|mates) (?:do|might "
    r"do|will do|decide to do))\b|"
    r"\b(?:i|we) (?:can't|cannot|cant|can not) (?:promise|guarantee) (?:that )?nothing will "
    r"happen\b"
)
# a deadline set to the target: "you have 48 hours", "you have until Sunday", "last warning"
_DEADLINE = re.compile(
    r"\b(?:(?:you|u|he|she|they) (?:have|has|got|'ve got) (?:un)?til+ |(?:you|u|he|she|they) "
    r"(?:have|has|got|'ve got) (?:\d+|one|two|three|a few|24|48|72) (?:hours|days|weeks)|"
    r"(?:last|final) warning|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"tonight|tomorrow|the end of the (?:week|month))|after that\b)"
)
# a place of the target's that burns or breaks easily "around here": the arson threat
# without its verb ("things catch fire easily around here"); accidents that happen at the
# target's work or on their way, with a demand beside them
_EASY_FIRE = re.compile(
    r"\b(?:things|places|shops|houses|buildings|cars|businesses|restaurants|stores|windows|"
    r"stalls|premises|flats|homes|vans|garages) "
    r"(?:can |tend to |have a way of )?(?:catch(?:ing)? fire|burn(?:ing)? down|go(?:ing)? up in "
    r"flames|get(?:ting)? (?:broken|smashed|torched)) (?:so |very |real |really )?(?:easily|"
    r"quickly|fast)(?: these days)? (?:around here|round here|in this (?:town|neighbourhood|"
    r"neighborhood|area|street|part of town))\b"
)
_ACCIDENTS_LOOSE = re.compile(
    r"\baccidents (?:happen|can happen|do happen|have a way of happening)\b(?! to )"
)
# "it would be a shame for your mother's home to get unlucky / burn down"
_SHAME_FOR = re.compile(
    r"\b(?:shame|pity|tragedy)(?:,)? for (?:you|u|(?:your|ur) (?:[\w'-]+ ){0,3}?[\w'-]+) to "
    r"(?:get|be|go|have) (?:unlucky|hurt|an accident|burned down|burnt down|damaged|"
    r"smashed|torched|missing)\b"
)
# the formulae of menace with their own negation or vagueness: "you won't like what
# happens (next)", "you'll find out what I'm capable of" (at the clause's end)
_WONT_LIKE = re.compile(
    r"\b(?:you|u)(?:'re| are)? (?:won't|will not|wont|are not going to|aren't going to|"
    r"ain't gonna|'re not going to) (?:like|enjoy) what happens(?: next| after(?:wards)?)?"
    r"(?=\s*(?:$|[.!,;]))|"
    r"\b(?:(?:you|u)(?:'ll| will|'re going to| are going to|'re gonna)|ur gonna|u gonna) "
    r"(?:soon )?(?:find out|learn) "
    r"(?:what (?:i'm|i am|we're|we are) capable of|what happens to (?:(?:people|those|snitches|"
    r"anyone|folk) (?:who|that|like you)|(?:[\w'-]+ )?[\w'-]+s who))"
)
# after the target's defiance only: "you won't make it home", "you'll end up like the last
# guy" ("keep driving like that and you'll end up in a ditch" is a worry: no defiance)
_AFTER_DEFIANCE = re.compile(
    r"\b(?:you|u) (?:won't|will not|wont) make it (?:home|out alive|to (?:the )?(?:morning|"
    r"court|trial|the hearing|monday))(?: (?:that night|tonight|alive))?(?=\s*(?:$|[.!,;]))|"
    r"\b(?:you|u)(?:'ll| will|'re going to| are going to|'re gonna) end up (?:like (?:the "
    r"last (?:guy|one|person|man|woman|girl|bloke|snitch)|him|her|them)|in (?:a|the) (?:ditch|"
    r"river|canal|hospital|morgue|ground|boot|box)|dead|in pieces)"
)
# a formula named as a saying, not said: "... is a playground saying"
_MENTIONED = re.compile(
    r"^\s*(?:is|was|are|were|has become|remains)\s+(?:(?:a|an|the|just|only|still|such)\s+)*"
    r"(?:[\w'-]+\s+){0,2}?(?:saying|phrase|line|threat|slogan|song|title|expression|cliche|"
    r"cliché|proverb|joke|meme|catchphrase|motto|warning|code)\b"
)
# a question tag after a statement ("..., understand?", "..., got it?") leaves it a
# statement
_TAG_QUESTION = re.compile(
    r",?\s*(?:(?:do )?(?:you )?understand(?: me)?|understood|got (?:it|that)|(?:do )?you hear "
    r"me|hear me|capiche|capisce|comprende|is that clear|am i clear|clear|(?:have )?i made "
    r"myself clear)\s*[?!]+\W*$"
)


# the veiled-threat patterns :func:`_veiled_sentence` runs over every sentence
_VEILED = (
    _ACCIDENTS,
    _ACCIDENTS_LOOSE,
    _AFTER_DEFIANCE,
    _DEFIANCE_FATE,
    _EASY_FIRE,
    _FIND_YOU,
    _FRIENDS_WHO,
    _KNOW,
    _ON_YOU,
    _OR_PAY,
    _OR_VEILED,
    _REGRET_AFTER,
    _REGRET_IT,
    _ROUTINE_TOLD,
    _SEE_WHAT,
    _SHAME_FOR,
    _SHAME_HARM,
    _SHAME_IF,
    _WATCH_BACK,
    _WONT_LIKE,
)
# every pattern the gate answers for, the clauses' first (bit i: ``_CLAUSES[i]``)
_GATED = (
    *(rx for rx, _kind in _CLAUSES),
    *_VEILED,
    _TAG_QUESTION,
    _WHY_NOT_YET,
    _VEHICLE_DOWN,
    _CONTEST,
    _DEMAND_INLINE,
)
# a pattern's bit in the gate's mask (a pattern listed twice: its last bit, set alike)
_BIT = {id(rx): 1 << i for i, rx in enumerate(_GATED)}
_B_TAG_QUESTION = _BIT[id(_TAG_QUESTION)]
_B_WHY_NOT_YET = _BIT[id(_WHY_NOT_YET)]
_B_VEHICLE_DOWN = _BIT[id(_VEHICLE_DOWN)]
_B_CONTEST = _BIT[id(_CONTEST)]
_B_DEMAND_INLINE = _BIT[id(_DEMAND_INLINE)]


@lru_cache(maxsize=1)
def _gate() -> LiteralGate:
    """One Aho-Corasick pass over a sentence tells which of :data:`_GATED`'s patterns
    can match it (:class:`LiteralGate`: a bit is clear only where none of the literal
    strings that every match of its pattern holds occurs); built on first use."""
    return LiteralGate(_GATED)


def _tag_question_off(s: str) -> tuple[str, int]:
    """``s`` with a tag question's mark as a full stop ("..., understand?"), and the
    gate's mask of that text."""
    may = _gate().possible(s)
    if may & _B_TAG_QUESTION:
        t = _TAG_QUESTION.sub(".", s)
        if t != s:
            return t, _gate().possible(t)
    return s, may


def _finds(rx: re.Pattern[str], s: str, may: int) -> Iterable[re.Match[str]]:
    """``rx.finditer(s)``, or nothing where the gate's mask ``may`` (of ``s``) says
    ``rx`` cannot match ``s``: the same matches either way."""
    return rx.finditer(s) if may & _BIT[id(rx)] else ()


def _veiled_sentence(s: str, before: str, after: str) -> bool:
    """One normalised sentence ``s`` states a veiled or conditional threat (stop 53):
    ``before`` is the passage's text before it, ``after`` its next sentence (both
    normalised); negated, embedded and attributed forms are not read, as in
    :func:`_sentence_threat`."""
    s, may = _tag_question_off(s)
    if s.rstrip(" \"'”)").endswith("?"):
        return False
    attributed = _attribution_start(s)

    cond = _CONDITION.search(s)

    def own(m: re.Match[str], neg_start: int | None = None) -> bool:
        if _MENTIONED.match(s[m.end() :]):
            return False  # "snitches get stitches is a playground saying": mentioned
        prefix = s[max(0, m.start() - _WINDOW) : m.start()]
        # the condition's own verb ("say that again and ...") reports no words
        bare = prefix
        if cond and cond.start() < m.start():
            cut = min(cond.end(), m.start())
            bare = s[max(0, cond.start() - _WINDOW) : cond.start()] + " " + s[cut : m.start()]
        if attributed > m.start() or _embedded(bare):
            return False
        start = m.start() if neg_start is None else neg_start
        # a demand's own "don't" after the menace negates nothing ("... who would pay you
        # a visit if you don't take it down")
        end = m.end()
        if "fafter" in m.re.groupindex and m.group("fafter"):
            tail = re.search(
                r"\b(?:unless|if (?:you|u) (?:don't|do not|dont) (?!mind|know|need|want|have|"
                r"feel|get|like))",
                m.group("fafter"),
            )
            if tail:
                end = m.start("fafter") + tail.start()
        return not _negated(prefix[-10:], s[start:end])

    for m in _finds(_FIND_YOU, s, may):
        rest, fv = m.group("frest"), m.group("fv")
        fam = _FAMILY_AFTER.match(rest)
        if fam and not _GIFT_OBJECT.match(fam.group("after")) and own(m):
            return True
        if fv in ("hunt", "track") and re.match(r"\s*down\b(?!\s+(?:a|an|the|some|one)\b)", rest):
            if own(m):
                return True
            continue
        if fv == "get" and re.match(r"\s*(?:for (?:this|that|it|what you did)|back)\b", rest):
            if own(m):
                return True
            continue
        if cond and cond.start() < m.start() and _FIND_TAIL.match(rest) and own(m):
            return True
        if (
            re.match(r"\s*(?:wherever|no matter where|whenever|one day|sooner or later)\b", rest)
            and fv in ("find", "hunt", "track", "come after")
            and cond
            and own(m)
        ):
            return True
    last = re.split(r"(?<=[.!?])\s+", before)[-1] if before else ""
    if (
        _SEE_ALONE.match(s)
        and re.match(rf"^\W*(?:{_DEFIANCE})\b[^.;:]{{0,40}}[.!]*\s*$", last)
        and not _embedded(before[: len(before) - len(last)][-_WINDOW:])
    ):
        return True  # "Keep talking. See what happens."
    for m in _finds(_SEE_WHAT, s, may):
        head = s[: m.start()]
        if _SEE_NEUTRAL.match(head) or re.search(r"\bwhen\b|\bif\b", m.group("after")):
            continue
        if m.group("yours"):  # "that shop of yours": only after a demand (stop 55)
            if _DEMAND.match(head) and own(m):
                return True
            continue
        if m.group("to") and head.strip(" ,") and own(m):
            return True
        bare_end = not m.group("to") and re.match(r"\s*(?:,|$)", m.group("after"))
        if bare_end and cond and cond.start() < m.start() and own(m):
            return True
        # "pay what you owe by Monday or see what happens": a demand's "or" (stop 55)
        if bare_end and m.group(0).lstrip().startswith("or") and _DEMAND.match(head) and own(m):
            return True
    for m in _finds(_SHAME_IF, s, may):
        to = m.group("to").strip()
        context = before[-200:] + " " + s + " " + after
        if _INSURANCE.search(context):
            continue
        person = re.match(r"(?:you|u|ya|your|ur|him|her|them|his|their|those|these)\b", to) or (
            re.search(r"\bof (?:yours|urs)$", to)
        )
        # "it" or "that shop" stands for something of the target's named near it
        theirs = re.match(r"(?:it|that|this|that [\w'-]+|this [\w'-]+)$", to) and _YOURS.search(
            before[-200:] + " " + s
        )
        if (person or theirs) and own(m):
            return True
    for m in _finds(_SHAME_HARM, s, may):
        if not _INSURANCE.search(before[-200:] + " " + s + " " + after) and own(m):
            return True
    for m in _finds(_KNOW, s, may):
        if m.group("wh") and not _KNOWN_ROUTINE.match(m.group("kw")):
            continue
        prev = re.split(r"(?<=[.!?])\s+", before)[-1] if before else ""
        demand = (
            (may & _B_DEMAND_INLINE and _DEMAND_INLINE.search(s))
            or any(_DEMAND.match(x) for x in re.split(r"[,;:]|\band\b|\bso\b", s)[1:])
            or _DEMAND.match(after)
            or _DEMAND.match(prev)
            # the target's defiance told as an order beside it ("Keep talking to the
            # press. I know where your kids go to school."; stop 55)
            or re.match(rf"^\W*(?:{_DEFIANCE})\b", prev)
            or re.match(rf"^\W*(?:{_DEFIANCE})\b", after)
        )
        if demand and own(m):
            return True
    for m in _finds(_FRIENDS_WHO, s, may):
        if own(m):
            return True
    for m in _finds(_ACCIDENTS, s, may):
        if own(m):
            return True
    for m in _finds(_WATCH_BACK, s, may):
        if own(m):
            return True
    for m in _finds(_REGRET_IT, s, may):
        if own(m, neg_start=m.end()):  # its "never" is the threat
            return True
    for m in _finds(_OR_PAY, s, may):
        if own(m):
            return True
    for m in _finds(_WONT_LIKE, s, may):
        if own(m, neg_start=m.end()):  # its "won't" is the threat
            return True
    for m in _finds(_AFTER_DEFIANCE, s, may):
        if cond and cond.start() < m.start() and own(m, neg_start=m.end()):
            return True
    # stop 55: an ultimatum's veiled end, fates after defiance, disowned harm after a
    # deadline, the target's family's routine told to them, easy fires and accidents
    last = re.split(r"(?<=[.!?])\s+", before)[-1] if before else ""
    demand = bool(
        (may & _B_DEMAND_INLINE and _DEMAND_INLINE.search(s))
        or any(_DEMAND.match(x) for x in re.split(r"[,;:]|\band\b|\bso\b|\bor\b", s))
        or _DEMAND.match(after)
        or _DEMAND.match(last)
    )
    for m in _finds(_OR_VEILED, s, may):
        if own(m, neg_start=m.end()):  # its "won't be so friendly" is the threat
            return True
    for m in _finds(_DEFIANCE_FATE, s, may):
        after_defiance = cond is not None and cond.start() < m.start()
        if (after_defiance or m.group("wake")) and own(m, neg_start=m.end()):
            return True
    for m in _finds(_ON_YOU, s, may):
        if (demand or _DEADLINE.search(last + " " + s)) and own(m, neg_start=m.end()):
            return True
    for m in _finds(_ROUTINE_TOLD, s, may):
        if demand and own(m):
            return True
    for m in _finds(_SHAME_FOR, s, may):
        if own(m):
            return True
    racket = re.search(r"\b(?:for protection|protection money)\b", last + " " + s)
    for rx in (_EASY_FIRE, _ACCIDENTS_LOOSE):
        for m in _finds(rx, s, may):
            if (demand or racket) and own(m):
                return True
    for m in _finds(_REGRET_AFTER, s, may):
        if cond and cond.start() < m.start() and own(m, neg_start=m.start()):
            return True
    return False


def threat_sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of ``text``'s sentences that state an explicit
    violent threat in the author's own voice (module docstring: direct intent, normative,
    second person). Words inside quotation marks are never read; a sentence wholly inside
    them is never returned. Empty list: none found. Pure function; raises nothing for any
    ``str``. Invisible characters (a zero-width space or soft hyphen inside a word,
    :mod:`annotate._util.invisible`) are not read; the ranges are ``text``'s own."""
    return list(_threat_ranges(text))


@lru_cache(maxsize=_RECENT)
def _threat_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`threat_sentences` as a tuple (kept for the cap rules' reading of the same text)."""
    visible = Visible(text)
    if visible.changed:
        return tuple(visible.original(a, b) for a, b in _threat_ranges(visible.text))
    norm = _normalise(text)
    out = []
    ranges = _sentences(text)
    for i, (a, b) in enumerate(ranges):
        s = norm[a:b]
        if i == 0 and a == len(text) - len(text.lstrip()):
            h = _header_end(s)  # a header opening the text: its words are read, and spanned
            a += h + len(s[h:]) - len(s[h:].lstrip())
            s = norm[a:b]
        before = " ".join(norm[max(0, a - _WINDOW) : a].split())
        s = " ".join(s.split())
        if not s:
            continue
        # the next sentence, for a veiled threat's demand ("We know which bus your son
        # takes. Drop the lawsuit.")
        after = " ".join(norm[slice(*ranges[i + 1])].split()) if i + 1 < len(ranges) else ""
        if _sentence_threat(s, before) or _veiled_sentence(s, before, after):
            out.append((a, b))
    return tuple(out)


@lru_cache(maxsize=_RECENT)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`sentence_ranges`: a full stop inside an e-mail address, a URL, a domain or
    a number, or after an initial or an abbreviation, ends no sentence, so "Message from
    a to jane.roe@example.com: ... I will hurt you" is read whole; one before a capital
    still does ("was going on.Its pretty shocking")."""
    return tuple(sentence_ranges(text))


def _header_end(s: str) -> int:
    """Where the words of a message or post start in the normalised sentence ``s``: after
    its :data:`_MESSAGE_HEADER` or forum poster header, 0 when it opens with neither."""
    m = _MESSAGE_HEADER.match(s)
    if m:
        return m.end()
    colon = s.find(":")
    head = s[: colon + 1].strip()
    if colon > 0 and POSTER_HEADER_RE.match(head) and not _QUOTED_POST.match(head):
        return colon + 1
    return 0


def rule_precision(texts: Sequence[str], y: Sequence[int]) -> tuple[float, int, int]:
    """The rule's precision on labelled rows, Laplace-smoothed: (positives among the rows
    it fires on + 1) / (rows it fires on + 2), over rows whose label is known (``y`` 1 or
    0; -1 = unknown, skipped). Returns (precision, rows fired on, positives among them);
    0.5 when it fires on no known row."""
    fired = pos = 0
    for text, label in zip(texts, y, strict=True):
        if label not in (0, 1) or not threat_sentences(text):
            continue
        fired += 1
        pos += int(label == 1)
    return (pos + 1) / (fired + 2), fired, pos


def with_threat_floor(
    probs: np.ndarray,
    column: int,
    texts: Sequence[str],
    floor: float,
    skip: Sequence[bool] | None = None,
    cap: float | None = None,
    self_cap: float | None = None,
) -> tuple[np.ndarray, list[list[tuple[int, int]]]]:
    """``probs`` (n, categories) with column ``column`` raised to at least ``floor`` for
    each passage with a threat sentence (:func:`threat_sentences`), except where ``skip``
    is True (a passage opening with words reported after an attribution line); the input
    is not modified. ``floor`` is the label's threshold in the models, so the rule adds
    the label (subject to the other decision rules) without claiming more confidence than
    the model's own decision point. ``cap``: a passage the grammar does not read that
    warns of a lawful consequence (:func:`lawful_warning`) has the column lowered to at
    most ``cap * floor`` (None: not); ``self_cap``: likewise for a passage whose only
    violent verbs have the author as their object (:func:`self_directed`). Returns the
    new scores and, per passage, the threat sentences' character ranges (empty where it
    did not fire or was skipped)."""
    out = np.array(probs, copy=True)
    # a floor that float32 holds exactly and that is not below ``floor``, so that a score
    # stored as float32 (Parquet) still reaches the threshold (float32 0.2253 is
    # 0.22529999...; compared in float64, as numpy compares a float32 with a float in
    # float32)
    f32 = np.float32(floor)
    if float(f32) < floor:
        f32 = np.nextafter(f32, np.float32(np.inf))
    low = float(f32)
    hits: list[list[tuple[int, int]]] = []
    for i, text in enumerate(texts):
        found = [] if skip is not None and skip[i] else threat_sentences(text)
        if found:
            out[i, column] = max(out[i, column], low)
        elif cap is not None and lawful_warning(text):
            out[i, column] = min(out[i, column], cap * floor)
        elif self_cap is not None and self_directed(text):
            out[i, column] = min(out[i, column], self_cap * floor)
        hits.append(found)
    return out, hits


def keep_threat(
    labels: Sequence[Sequence[str]],
    hits: Sequence[Sequence[tuple[int, int]]],
    label: str,
    context: Sequence[str],
) -> list[list[str]]:
    """``labels`` (one list per passage, as decided) with ``label`` kept where the
    grammar read a threat (``hits[i]`` non-empty): the floor makes the label fire, and
    the own-voice rule would hand it to any context label the classifier rates more
    probable (own_voice_yields_to_context); but a sentence the grammar reads is outside
    quotation marks, attributions and others' words by construction, so the author's
    own threat is the reading that stands and the context labels go (the taxonomy makes
    them exclusive), also where the threat label fired beside a context label under the
    threat's score (a direct threat is no counter-speech: "... i will burn your house
    down ..." read as counter_speech 0.44 beside violent_threat 0.78). Other labels are
    kept, in their order; the input is not modified."""
    ctx = set(context)
    out = []
    for labs, found in zip(labels, hits, strict=True):
        labs = list(labs)
        if found:
            labs = [x for x in labs if x not in ctx]
            if label not in labs:
                labs.append(label)
        out.append(labs)
    return out


def grammar_spans(
    kept: list[Span], sentences: Sequence[tuple[int, int]], label: str, score: float
) -> list[Span]:
    """``kept`` (a passage's evidence spans) plus a ``label`` span over each threat
    sentence (``sentences``: :func:`threat_sentences` ranges) that no span already
    overlaps, scored ``score`` (the rule's precision: what a reviewer can expect of it);
    sorted by start."""
    out = list(kept)
    for a, b in sentences:
        if free_of(out, a, b):
            out.append(Span(start=a, end=b, label=label, score=float(score)))
    return sorted(out, key=lambda s: (s.start, s.end))


# Warnings of a lawful, platform or institutional consequence ("We will see you in
# court.", "You will be reported and banned.", "I'm calling the police.", "Security will
# remove you."): a frozen sentence encoder reads "we will ... you" and rates them as
# threats; the consequence they name is the police, a court, a lawyer, a report, a ban or
# a venue's staff, not violence. Written for the project from the taxonomy's definition
# (violent_threat: physical harm) and general English, before any public row was read.
_LAWFUL = re.compile(
    r"\b(?:"
    r"(?:call|calling|called|ring|ringing|phone|phoning|phoned|dial|dialling|get|getting|"
    r"tell|telling|inform|informed|involve|involving|go|going|went|report\w*|pass\w*|"
    r"forward\w*|hand\w*|send|sending|sent|give|giving|show|showing) "
    r"(?:\w+ ){0,4}(?:to |with )?(?:the )?(?:police|cops|999|911|112|law enforcement|"
    r"mods?|moderators?|admins?|administrators?|platform|site|hr|landlord|school|league|"
    r"council|authorities|trust and safety)\b"
    r"|(?:to|for|from|with) the (?:police|cops)\b|a visit from the (?:police|cops)"
    r"|report(?:ing|ed)? (?:you|u|this|that|your|ur)\b|(?:calling|call|get|getting) security"
    r"|(?:see|meet) (?:you|u) in court|(?:settle|settling) (?:this|it) in court"
    r"|(?:take|taking|drag|dragging) (?:you|u|him|her|them) to court"
    r"|court (?:order|date|hearing|case)|restraining order|injunction|small claims"
    r"|(?:press|pressing) charges|legal (?:action|proceedings|team)|tribunal"
    r"|(?:my|our|the company's|the club's) (?:lawyers?|solicitors?|attorneys?)\b"
    r"|(?:you|u|you'll|you'?re|ur|your (?:account|post|comments?|ip))\W+(?:\w+\W+){0,3}?"
    r"(?:reported|banned|suspended|blocked|muted|kicked|ejected|removed|evicted|fined|"
    r"excluded|expelled|disqualified|sued|arrested|clamped|towed|prosecuted|logged)\b"
    r"|(?:will|shall) be prosecuted"
    r"|(?:security|stewards|bouncers|door staff|officers) (?:will|'ll|are going to|is going to|"
    r"gonna) (?:\w+ ){0,2}(?:remove|eject|escort|throw|walk|take)"
    r"|(?:police|cops) (?:are|is|have been) (?:on (?:their|the) way|coming|informed|called)"
    r")",
)
# the institution as what cannot protect the target: a threat's own words ("the police
# can't stop me", "no court will save you")
_LAWFUL_DEFIED = re.compile(
    r"\b(?:can't|cannot|can not|won't|will not|wont|cant|couldn't|never|no|not even)\b"
    r"(?:\W+\w+){0,4}?\W+(?:stop|save|help|protect|find|reach|get there|keep)\b"
    r"|\bno (?:\w+ ){0,2}(?:police|cops|court|judge|lawyer|solicitor|order|security)\b"
    r"|\b(?:report|ban|call the (?:police|cops)|tell the (?:police|cops)|take me to court)"
    r"\b(?:[^.!?]{0,40}?)\b(?:still|anyway|and then|then|so now|now)\b"
)
# words of physical harm beside the violent verbs: a sentence that names them is no
# lawful warning whatever else it says
_HARM_WORDS = re.compile(
    r"\b(?:"
    + _alt(set(_FORM_OF))
    + r"|die|dies|dying|died|dead|death|blood|bloody|bleed\w*|bullet\w*|knife|knives|gun|"
    r"guns|rifles?|shotguns?|weapons?|vest|surgeon|hospital|intensive care|grave|"
    r"in the ground|body|bodies|skull|throat|jaw|legs|"
    r"face in|head in|bones?|fire|torch\w*|acid|petrol|bomb\w*|explosives?|"
    r"come for|coming for|waiting for you|find you|find where|where you live|your house|"
    r"your kids|your family|watch your back|regret|pay for|sorry|lock your doors"
    r")\b"
)


# a warning is a line or two: a longer text that names the police or a court is a story,
# a statement or a complaint, whose threat (if any) the classifier reads whole
_LAWFUL_MAX_WORDS = 40


def _short_reading(text: str) -> str | None:
    """``text`` normalised (:func:`_normalise`, white space collapsed) when it is a line or
    two (at most two sentences and :data:`_LAWFUL_MAX_WORDS` words), else None: the length
    both cap rules (:func:`lawful_warning`, :func:`self_directed`) read."""
    norm = " ".join(_normalise(text).split())
    if len(norm.split()) > _LAWFUL_MAX_WORDS or len(_sentences(text)) > 2:
        return None
    return norm


def lawful_warning(text: str) -> bool:
    """True when ``text`` warns of a lawful, platform or institutional consequence (the
    police, a court, a lawyer, a report, a ban, a venue's staff) and names no physical
    harm: no sentence the threat grammar reads, no violent verb or word of harm
    (``_HARM_WORDS``: dying, blood, weapons, "find you", "your family", ...), and the
    institution is not named as what cannot protect the target ("the police can't stop
    me", "report me, I'll still ..."); at most two sentences and 40 words, each sentence
    a warning of such a consequence (a sentence beside it that names none is read by the
    classifier: "I called the police. Next time it is a bat to your head." is no lawful
    warning, break4 B7); read without invisible characters (a zero-width space inside
    "gun" hides no harm word, break4 B2). Pure function; raises nothing for any ``str``."""
    text = without_invisible(text)
    norm = _short_reading(text)
    if norm is None:
        return False
    if not _LAWFUL.search(norm) or _LAWFUL_DEFIED.search(norm) or _HARM_WORDS.search(norm):
        return False
    if not all(
        _LAWFUL.search(" ".join(_normalise(text[a:b]).split())) for a, b in _sentences(text)
    ):
        return False
    return not threat_sentences(text)


# a violent verb with the author as its object ("my mum is going to kill me"), and any
# violent verb with the word after it (its object, where it has one)
_SELF_OBJECTS = frozenset({"me", "us", "myself", "ourselves"})
_VERB_NEXT = re.compile(rf"\b(?:{_alt(set(_FORM_OF))})\b(?:\s+([\w']+))?")
_ADDRESSED = re.compile(r"\b(?:you|your|yours|u|ur|ya|y'all|yall)\b")


def self_directed(text: str) -> bool:
    """True when every violent verb of ``text`` has the author as its object ("My mum is
    going to kill me when she sees my grades.", "The teacher will murder us", "these
    stairs are going to kill me"): hyperbole, a worry or a report of someone else's
    intent, not the author's threat. False where the threat grammar reads a sentence, a
    violent verb has another object or none, the text addresses anyone ("you", "your":
    "I'll kill you before you kill me"), or it is longer than two sentences or 40 words
    (a story, read whole by the classifier). Pure function; raises nothing for any
    ``str``. Read without invisible characters, as :func:`lawful_warning` (a zero-width
    space inside a second violent verb must not hide it)."""
    text = without_invisible(text)
    norm = _short_reading(text)
    if norm is None:
        return False
    objects = [m.group(1) for m in _VERB_NEXT.finditer(norm)]
    if not objects or any(o not in _SELF_OBJECTS for o in objects):
        return False
    if _ADDRESSED.search(norm):
        return False
    return not threat_sentences(text)
