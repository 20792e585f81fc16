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
  / die" ("people like them should be shot"), or an agent that "should kill them";
- **second person**: "you're dead", "you will die", "your days are numbered".

Read it as a second opinion beside the classifier, not a classifier: it never reads
hyperbole without a target ("this traffic is killing me"), past events ("he shot
three people"), negated or questioned forms ("no one deserves to die", "should they be
shot?"), or clauses embedded under someone else's words ("people who say Jews should be
killed ..."; "he said he will kill them"). Veiled threats without a violent verb ("I know
where the councillor parks") are left to the classifier. Hyperbole WITH a target is
read as a threat: no grammar tells "I'm going to kill my brother for eating the last
slice" from "I'm going to kill my wife for cheating on me", and a game the contest
words do not name ("kill my sister at Mario Kart") is no contest.

Settings where such grammar over-fires, and what keeps it out of them: an object that
names no person (kitchen, garden, medicine, games, machines: "beat the eggs", "kill the
infection", "the final boss with"; a pet or farm animal as the passive's subject, "the
horse must be put down"); a verb followed by a preposition, not an object ("shoot from
outside the box", "burn through the rest"); a verb sport uses for winning in a sentence
about a contest ("we're going to kill them on Saturday, the defence is a shambles"),
unless a crowd of people is named; a third party's decision, ruling, pledge or order, or
words read or heard ("the tribunal ruled that ...", "sick of reading that ..."); fiction
and lyrics named before the clause ("the chorus", "in the sequel"); an attribution after
it ("..., a court heard", "according to state media"); forum quoting (a line opening with
">", the line after "X wrote:" or "Quote from: ..."); "you will die" as a truism ("one
day", "laughing"). Violent verbs joined by "and" are read ("I will find him and break
his jaw"); text-speak is not ("im gonna stab u": reading it gained no public threat and
added a public row labelled no threat).

The word lists were written for the project from the taxonomy's definition (labels.yaml)
and general English grammar, before any public row was read for this purpose, then
edited once after reading the public rows and BBC sentences the first version fired on
(models/default.train.yaml, above ``threat_grammar``, names the edits and gives the
rule's cross-source measurement).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from annotate.classifier.base import Span
from annotate.classifier.features import quote_ranges, sentence_ranges
from annotate.classifier.spans import free_of

# violent verbs: base form, third person, -ing, past, past participle (regular ones
# expanded by _forms); phrasal verbs keep their particle
_REGULAR = (
    "kill murder slaughter butcher behead decapitate lynch strangle torch bomb gas "
    "massacre execute exterminate annihilate maim torture poison drown stab knife "
    "rape assault attack harm hurt shoot hang burn beat smash bash slit cut break "
    "choke gun mow run hunt"
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
    "cut": r"throats?|heads? off|(?:him|her|them|you) up",
    "slit": r"throats?|wrists?",
    "break": r"(?:jaws?|necks?|legs?|arms?|bones?|skulls?|faces?|noses?)\b",
    "smash": r"(?:skulls?|heads?|faces?|teeth)\b",
    "bash": r"(?:skulls?|heads?|faces?|brains?)\b",
    "beat": r"up|to death|senseless|bloody|black and blue|the (?:shit|hell|crap|life) out",
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
# phrasal forms with no single violent verb (base form; their object is inside)
_PHRASES = (
    r"set (?:\w+ ){0,3}(?:on fire|alight|ablaze)|set fire to|blow (?:\w+ ){0,3}(?:up|away)|"
    r"blow (?:\w+ ){0,2}brains out|put (?:a|one|some) bullets? (?:in|through)|"
    r"put (?:\w+ ){0,2}(?:in|into) (?:the|a|an) (?:ground|grave|hospital|coffin|body ?bag|morgue)|"
    r"make (?:\w+ ){0,3}bleed|wipe (?:\w+ ){0,3}out|finish (?:\w+ ){0,2}off"
)
_PHRASES_ING = (
    r"setting (?:\w+ ){0,3}(?:on fire|alight|ablaze)|setting fire to|"
    r"blowing (?:\w+ ){0,3}(?:up|away)|putting (?:a|one|some) bullets? (?:in|through)"
)
_BASE_V = rf"{_alt(_BASES)}|{_PHRASES}"
_ING_V = rf"{_alt(_ING)}|{_PHRASES_ING}"
_PP_V = rf"{_alt(_PP)}|put down|strung up|wiped out|put to death|eradicated|eliminated"

_INTENT = (
    r"(?:will|shall|'ll|am going to|'m going to|are going to|'re going to|am gonna|"
    r"'m gonna|are gonna|'re gonna|gonna|intend to|plan to|promise to|swear to|vow to|"
    r"am about to|'m about to|are about to|'re about to|can't wait to|cannot wait to|"
    r"am coming to|'m coming to|are coming to|'re coming to|will be coming to|"
    r"won't stop until i|won't rest until i)"
)
_FIRST = (
    r"(?:i|we|me and (?:my |the )?\w+|my (?:boys|crew|friends|brothers|mates|men|guys|lads)|"
    r"our (?:boys|crew|men|lads))"
)
_MODAL = (
    r"(?:should|must|need to|needs to|ought to|deserve to|deserves to|have to|has to|"
    r"gotta|got to|are to|is to|oughta)"
)
_ADV = (
    r"(?:(?:all|just|simply|each|really|finally|actually|literally|then|also|"
    r"every one|one by one|personally|slowly|publicly),? )"
)
_NORMATIVE_AGENT = (
    r"(?:we|you|someone|somebody|people|everyone|everybody|they|y'all|the government|"
    r"the state|the army|the police|society)"
)
# filler words between an intent and its verb that make it no act of the subject's
_NOT_FILLER = r"(?!(?:be|get|been|being|got|have|not|never)\b)"
# what a threat is aimed at: a person, a group or their place (checked after the verb)
_TARGET = (
    r"(?:you|ya|y'all|your|yours|him|her|them|'em|those|these|that|this|every|everyone|"
    r"everybody|all|each|any|anyone|anybody|the|his|their|whoever|some|one|people|"
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
    "bbq recipe ingredient marinade garnish crust "
    # house, garden, DIY
    "shelf shelves wall floor tile ceiling door window curtain blind wallpaper mirror "
    "frame plaster paint varnish wood plank log timber branch leaf leaves hedge tree "
    "stump lawn grass garden waste rubbish trash bin scrap cardboard paper box nail "
    "screw drill saw hammer washing laundry clothes sheet towel bonfire stove "
    "fuse wire cable pipe boiler radiator seed bulb plant shrub "
    # body, medicine, pests
    "infection bacteria virus germ cancer tumour tumor cell tissue wart mole cyst "
    "blister lice louse flea tick parasite mould mold pain fever cold cough symptom "
    "rash pest rodent termite wasp "
    # games and sport
    "level boss map round raid quest mission dungeon dragon monster zombie npc mob "
    "combo workout session rep lap race sprint relay ball puck net basket goal penalty "
    "shot serve rally set match final semi quiz puzzle crossword sudoku controller "
    "console "
    # work, school, media, machines
    "presentation essay exam test homework assignment report deadline meeting speech "
    "pitch audition gig song track album playlist verse chorus beat tune solo "
    "performance routine printer computer laptop phone router wifi internet modem "
    "keyboard screen tv telly remote app server code power battery alarm engine motor "
    "gun rifle pistol camera lens letter note document file diary receipt envelope card "
    "book magazine newspaper "
    # tasks, trade and messages
    "problem issue question task challenge job backlog inbox email message text deal "
    "offer price market sale target strategy script query order trade hill "
    # game birds and deer, nests
    "deer pheasant grouse duck pigeon boar partridge quail nest hive"
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
    r"under|near|inside|outside|round|along|across|around|past|during|without)\b))"
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
_GIVING = re.compile(rf"^(?:you|ya|him|her|them|'em|us|me) {_GIFT}")
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
# farm animals and pets: "the horse must be put down" is a vet's or farmer's sentence
_ANIMALS = (
    r"(?:dog|cat|horse|pony|rabbit|hamster|puppy|kitten|pet|cow|calf|bull|sheep|ewe|"
    r"goat|lamb|hen|cattle|livestock|herd|flock|badgers?|deer|foxe?s?)"
)
# the subject before a normative modal that makes it no threat ("the film should be shot")
_THING_SUBJECT = re.compile(rf"\b(?:{_THINGS}|{_OBJECT}|{_ANIMALS}|this|that|which|what)\s*,?\s*$")
# a relation as the subject is a person, whatever the thing lists hold ("my boss should be")
_RELATION_SUBJECT = re.compile(rf"\b{_POSSESSIVE}\s+{_MODIFIER}{{0,2}}?{_RELATION}\s*,?\s*$")
_SECOND_PERSON = re.compile(
    r"\b(?:you(?:'re| are)(?: (?:so|all|already|as good as))? dead(?! (?:to|wrong|right|"
    r"tired|serious|last|set|on|inside|ass|funny))|"
    r"you(?:'re| are) (?:a dead (?:man|woman|person)|dead meat|next)[.!]*$|"
    r"you(?:'ll| will) (?:die|bleed)(?=\s*(?:$|[.!,;]| for (?:this|that|what|it)\b| "
    r"(?:tonight|today|tomorrow|soon|slowly|screaming|painfully|like (?:a|the)|by my)\b))|"
    r"you(?:'ll| will) pay with your (?:life|lives|blood)\b|"
    r"your days are numbered|"
    r"you won't (?:see (?:the morning|tomorrow|another day)|(?:live|survive) (?:the night|"
    r"the week|till|until|to see)))"
)
# "I will find the councillor and break his jaw": a first act, then "and (then)" the
# violent one, five words at most before it
_DIRECT = re.compile(
    rf"\b{_FIRST}(?: |(?=')){_INTENT} (?:(?:{_NOT_FILLER}\w+ ){{0,3}}?|"
    rf"(?:{_NOT_FILLER}[\w']+ ){{1,5}}?and (?:then )?)(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
_AND_VERB = re.compile(
    rf"^\W*(?:[\w']+ ){{0,6}}?and (?:then )?(?:{_ADV}{{0,2}})(?P<v>{_BASE_V})\b(?P<rest>.*)"
)
# "I'm breaking his jaw", "we're burning your church tonight": present progressive
_PROGRESSIVE = re.compile(
    rf"\b(?:i'm|i am|we're|we are) (?:{_NOT_FILLER}\w+ )?(?P<v>{_ING_V})\b(?P<rest>.*)"
)
_PASSIVE = re.compile(rf"\b{_MODAL} {_ADV}{{0,2}}be {_ADV}{{0,2}}(?P<v>{_PP_V})\b(?P<rest>.*)")
_DIE = re.compile(
    rf"\b{_MODAL} {_ADV}{{0,2}}(?P<v>die|be dead|be put to death)\b|"
    r"\bdeserves? (?P<w>death|a bullet|the rope|the noose)\b"
)
_ACTIVE = re.compile(rf"\b{_NORMATIVE_AGENT} {_MODAL} {_ADV}{{0,2}}(?P<v>{_BASE_V})\b(?P<rest>.*)")
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
    r",\s*(?P<who>[\w']+)(?:\s+[\w']+){0,3}\s+(?:said|says|say|warned|"
    r"warns|claimed|claims|told|tells|reported|reports|alleged|alleges|wrote|writes|added|"
    r"adds|heard|insisted|insists|confirmed|announced)\b[^,]*$"
)
_FIRST_PERSON_INTRO = re.compile(r"\b(?:i|i'm|i've|we|we're|my|our|me|us)\b")
# the sentence's subject suffers the violence at another's hands: a lament, not a threat
_VICTIM = re.compile(r"^\W*(?:at|by) the hands? of\b")
_FIRST_PERSON_WHO = {
    "i", "we", "i'd", "we'd", "i'll", "we'll", "i've", "we've", "i'm", "we're", "honestly",
    "really", "just",
}  # fmt: skip
_QUOTE_FILL = " "
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
    "kill", "murder", "slaughter", "butcher", "massacre", "annihilate", "smash", "bash",
    "beat", "burn", "attack", "hunt", "execute", "torch", "wipe", "finish", "blow",
    "eliminated", "wiped",
}  # fmt: skip
_CONTEST = re.compile(
    r"\b(?:match(?:es)?|games?|finals?|semis?|semi-?finals?|semi finals?|"
    r"quarter-?finals?|quarter finals?|league|cup|derby|fixtures?|tournament|playoffs?|"
    r"kick-?off|half-?time|(?:first|second) half|extra time|pitch|defen[cs]e|midfield|"
    r"strikers?|keepers?|goalies?|goals?|penalt(?:y|ies)|offside|set pieces?|scoreline|"
    r"leaderboard|ranked|respawn|levels?|maps?|lobby|teams?|away side|home side|"
    r"contestants?|competitors?|players?|(?:first|second|third|final|next|opening) round|"
    r"rounds|heats?|qualifiers?|qualifying)\b"
)
_PEOPLE = re.compile(
    r"\b(?:fans?|supporters?|spectators?|people|everyone|everybody|anyone|anybody|"
    r"famil(?:y|ies)|children|kids)\b"
)
_MEDIA = re.compile(
    r"\b(?:photos?|photographs?|photo ?shoots?|yearbook|portraits?|headshots?|cameras?|"
    r"lens|studio|green ?screen|footage|filming|film|movie|videos?|scenes?|episodes?|"
    r"on location|natural light|close-ups?|drone|vlog)\b"
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


def _normalise(text: str) -> str:
    """Lower case, curly apostrophes straight, quotations and quoted forum lines blanked
    (offsets kept: a character whose lower case is longer keeps its first, "İ" -> "i")."""
    text = text.replace("’", "'").replace("‘", "'")
    chars = [c.lower()[:1] or c for c in text]
    ranges = quote_ranges(text)
    lowered = "".join(chars)
    ranges += [m.span() for m in _QUOTED_LINE.finditer(lowered)]
    ranges += [m.span("quoted") for m in _QUOTE_HEADER.finditer(lowered)]
    for a, b in ranges:
        chars[a:b] = _QUOTE_FILL * (b - a)
    return "".join(chars)


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


def _aimed(verb: str, rest: str) -> bool:
    """The violent verb ``verb`` (a form or phrase) is aimed at a person, group or place:
    its particle (for verbs that need one) and a target within the next five words."""
    if not _particle(verb, rest):
        return False
    head = " ".join(rest.split()[:6])
    if " " in verb:  # a phrase carries its own object ("set fire to", "make them bleed")
        obj = verb.split(" ", 1)[1]
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
    return bool(_AIMED_AT.match(obj))


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


def _negated(prefix: str, matched: str) -> bool:
    return bool(_NEGATION.search(prefix[-30:] + " " + matched))


def _embedded(prefix: str) -> bool:
    """The clause sits under someone else's words or under a topic or question
    ("people who say ...", "he said ...", "in the game ...", "Channel 4 guest: ..."), not
    the author's claim; the author's own "I think" / "I swear" / "I told you" keeps it the
    author's."""
    colon = prefix.rfind(":")
    if colon >= 0 and not _FIRST_PERSON_INTRO.search(prefix[:colon]):
        return True  # words after an attribution or a heading ("guest:", "headline:")
    for m in _EMBEDDING.finditer(prefix):
        if m.group("cue") and m.group("who") in _FIRST_PERSON_WHO:
            continue
        if m.group("noun") and m.group("own"):
            continue
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
    return start


def _sentence_threat(s: str) -> bool:
    """One normalised sentence (lower case, quotations blanked, spaces single) states a
    threat."""
    if s.rstrip(" \"'”)").endswith("?"):
        return False
    contest = bool(_CONTEST.search(s))
    attributed = _attribution_start(s)
    clauses = 0
    for rx, kind in (
        (_DIRECT, "aimed"),
        (_PROGRESSIVE, "aimed"),
        (_ACTIVE, "aimed"),
        (_PASSIVE, "subject"),
        (_DIE, "subject"),
        (_SECOND_PERSON, ""),
    ):
        for m in rx.finditer(s):
            clauses += 1
            if clauses > _MAX_CLAUSES:
                return False
            prefix = s[max(0, m.start() - _WINDOW) : m.start()]
            end = m.end("v") if "v" in rx.groupindex and m.group("v") else m.end()
            if rx is _SECOND_PERSON:  # its "won't" is the threat: only the prefix negates
                end = m.start()
            if _negated(prefix, s[m.start() : end]) or _embedded(prefix):
                continue
            if attributed > m.start():
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
            if rx is _PASSIVE and contest and _figurative(m.group("v"), m.group("rest")):
                continue
            if rx is _PASSIVE and _photographed(m.group("v"), s):
                continue
            if kind == "subject" and (
                not prefix.strip()
                or (_THING_SUBJECT.search(prefix) and not _RELATION_SUBJECT.search(prefix))
                or _VICTIM.match(s[m.end() :])
            ):
                continue
            return True
    return False


def threat_sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of ``text``'s sentences that state an explicit
    violent threat in the author's own voice (module docstring: direct intent, normative,
    second person). Words inside quotation marks are never read; a sentence wholly inside
    them is never returned. Empty list: none found. Pure function; raises nothing for any
    ``str``."""
    norm = _normalise(text)
    out = []
    for a, b in sentence_ranges(text):
        s = norm[a:b]
        if s.strip() and _sentence_threat(" ".join(s.split())):
            out.append((a, b))
    return out


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
) -> tuple[np.ndarray, list[list[tuple[int, int]]]]:
    """``probs`` (n, categories) with column ``column`` raised to at least ``floor`` for
    each passage with a threat sentence (:func:`threat_sentences`), except where ``skip``
    is True (a passage opening with words reported after an attribution line); the input
    is not modified. ``floor`` is the label's threshold in the models, so the rule adds
    the label (subject to the other decision rules) without claiming more confidence than
    the model's own decision point. Returns the new scores and, per passage, the threat sentences'
    character ranges (empty where it did not fire or was skipped)."""
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
        hits.append(found)
    return out, hits


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
