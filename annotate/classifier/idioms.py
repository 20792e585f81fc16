"""Violent words used idiomatically (issue 8): "I'm going to kill it at the audition",
"I could murder a pizza", "we got slaughtered in the final", "kill the engine", "the
traffic is murder", "break a leg". A frozen sentence encoder reads the verb and rates
such a sentence a threat; the reader here recognises the idioms so that the model can
lower that score where they are the only violent wording (the rule ``idiom_cap``,
:func:`with_idiom_cap`).

Written for the project from general English (sentences of the author's own, none read
from a data set). An idiom is recognised by its form, not by the absence of a person:
"kill it" (a performance), a violent verb with a thing as its object ("kill the lights",
"shot down my idea", "murder a curry"), a contest ("destroy them in the final", "kill
you at tennis", "got slaughtered 5-0"), a predicate noun ("mondays are murder"), the
author's own death as hyperbole ("I'll die if I see him", "to die for", "I'm dead") and
fixed sayings ("break a leg", "bite the bullet", "kill two birds with one stone").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from annotate._util.invisible import without_invisible
from annotate.classifier.features import sentence_ranges


def _verb(*bases: str) -> str:
    return "(?:" + "|".join(bases) + r")\w*"


_KILL = r"(?:kill(?:s|ed|ing|in')?|murder(?:s|ed|ing|in')?|slay(?:s|ed|ing|in')?|slew)"
_CONTEST_VERB = (
    r"(?:kill|murder|slaughter|destroy|crush|smash|massacre|annihilat|thrash|batter|"
    r"butcher|demolish|obliterat|hammer|wreck|beat|whoop|whip|trounc|pummel|clobber)"
    r"(?:s|ed|es|ing|en|in')?(?! up\b)"
)
# a thing done in rather than a place went to: "in the final", "at tennis"
_CONTEST_IN = (
    r"(?:final|finals|semi|semis|semi-final|match|game|games|quiz|pub quiz|debate|derby|"
    r"league|tournament|cup|rematch|playoffs?|round|race|election|polls|vote|exam|test|"
    r"first half|second half|first set|second set|rugby|football|cricket|competition|"
    r"contest|spelling bee|bake-off|ratings|rankings|charts|box office|reviews?)"
)
_CONTEST_AT = (
    r"(?:tennis|chess|scrabble|pool|snooker|darts|golf|poker|cards|fifa|bowling|mario kart|"
    r"monopoly|trivia|the quiz|the pub quiz|quiz|squash|badminton|ping pong|table tennis|"
    r"football|basketball|fortnite|cod|call of duty|uno|bridge|checkers|pictionary|"
    r"karaoke|arm wrestling|sudoku|wordle|mini golf|rugby|cricket|volleyball)"
)
_SCORE = r"\d{1,2}\s?-\s?\d{1,2}\b"
# things a violent verb can take as its object without harming anyone: switches and
# devices, plans and ideas, food and drink, tasks, moods, time. No building, vehicle,
# animal kept as a pet or place: "torch the mosque", "destroy your car" are threats
_THINGS = (
    r"(?:engine|motor|lights?|lamp|music|radio|tv|telly|sound|volume|noise|power|"
    r"switch|fan|heater|alarm|tab|tabs|app|apps|process|processes|server|job|task|bug|"
    r"bugs|program|script|build|thread|mood|vibe|buzz|"
    r"joke|idea|ideas|plan|plans|proposal|proposals|suggestion|suggestions|bill|motion|"
    r"request|pitch|theory|argument|arguments|take|rumou?r|deal|project|scheme|policy|"
    r"film|movie|book|album|song|track|essay|draft|report|exam|test|look|dress|outfit|hair|"
    r"pizza|burger|curry|kebab|beer|pint|coffee|tea|sandwich|cake|steak|chips|fries|"
    r"wings|meal|plate|snack|bottle|glass|drink|"
    r"to-?do list|list|inbox|workload|homework|deadline|crossword|puzzle|time|hours|"
    r"record|lead|chances|hopes|dreams|career|"
    r"mood|weeds|weed|germs|bacteria|cold|flu|fever|pain|craving|thirst|hunger|"
    r"spider|wasp|fly|flies|mosquito|mosquitoes|cockroach|roaches|ants|bugs|slugs)"
)
# gatherings, venues and events are full of people (break7 L3): only "kill the meeting"
# (cancel it), "smash the interview" (do it well), "devour the buffet" are idioms; bombing,
# torching, nuking or gutting one is an attack on the people there. "opposition" is
# people and no thing at all (a contest's opponent: the contest patterns below)
_GATHERINGS = (
    r"(?:meeting|call|conversation|chat|stage|runway|game|competition|league|dinner|"
    r"lunch|breakfast|buffet|performance|presentation|audition|interview|set|solo)"
)
_GATHERING_VERB = (
    r"(?:kill(?:s|ed|ing)?|murder(?:s|ed|ing)?|slay(?:s|ed|ing)?|slew|axe[ds]?|axing|"
    r"crush(?:es|ed|ing)?|smash(?:es|ed|ing)?|devour(?:s|ed|ing)?)"
)
# a contest's opponent is a team or a player, never a body part or a relative (break7
# L1: "I'll smash your head in the match", "we'll batter your son in the derby")
_NOT_OPPONENT = (
    r"(?:head|heads|face|faces|skull|skulls|neck|necks|throat|jaw|teeth|nose|eyes?|"
    r"brains?|legs?|arms?|knees?|kneecaps?|ribs?|bones?|back|spine|chest|body|bodies|"
    r"guts|heart|hands?|fingers?|son|sons|daughters?|kids?|child|children|mother|mum|"
    r"mom|mam|father|dad|wife|husband|family|brothers?|sisters?|baby|babies|parents?|"
    r"girlfriend|boyfriend|grandma|granny|nan|grandad|grandpa|cousins?|uncle|aunt|"
    r"friends?|dog|cat|house|home|car)\b"
)
_GAP = rf"(?:(?!{_NOT_OPPONENT})\w+ )"
_DET = r"(?:the|this|that|these|those|a|an|some|my|your|ur|our|his|her|their|every|all|one)"
# at most one ordinary adjective before the thing ("kill the whole project")
_ADJ = (
    r"(?:(?:new|old|whole|entire|own|stupid|damn|last|first|next|big|little|current|latest|"
    r"final|main|extra|large|small|massive|huge|giant|annoying|boring|dumb|silly|weekly|"
    r"daily|monday|friday|morning|evening|late|early|\d+-?(?:minute|hour|page)) )?"
)
_THING_VERB = _verb(
    "kill",
    "murder",
    "slay",
    "slew",
    "slaughter",
    "destroy",
    "demolish",
    "devour",
    "torch",
    "axe",
    "ax",
    "gut",
    "annihilat",
    "obliterat",
    "shred",
    "butcher",
    "crush",
    "smash",
    "nuke",
    "bomb",
)

_IDIOMS = [
    # performance slang: "kill it", "slay", "ate"
    rf"\b(?:{_KILL}|smash(?:ed|ing)?|crush(?:ed|ing)?|nail(?:ed|ing)?) it\b",
    r"\bslay(?:s|ed|ing|in')?\b(?=\s*(?:$|[.!?,;:)\U0001f300-\U0001faff]|queen|girl|sis|"
    r"bestie|babe|king|hun|the (?:runway|stage|look|dress|outfit|set|game|audition|"
    r"interview|presentation|performance|dragon)|that|this|those|these|their|her|his|my|"
    r"your|again|as always|every time|tonight|today|yesterday|last night|so hard|hard|"
    r"all day|the house down))",
    rf"\b(?:{_verb('kill', 'murder', 'slay', 'slew', 'slaughter', 'destroy', 'crush', 'smash')}"
    r"|slew) (?:them|'em|em|it|the crowd|the audience|the room)(?=\s*(?:on stage|at the "
    r"(?:show|gig|concert|festival|audition|open mic)|with (?:that|the|his|her|their) "
    r"(?:set|song|performance|speech|routine|solo)))",
    # a violent verb with a thing as its object, or "for"/"to" (desire: "I'd kill for a
    # coffee", "she'd kill to get that job")
    rf"\b{_THING_VERB} (?:{_DET} )?{_ADJ}{_THINGS}\b",
    rf"\b{_GATHERING_VERB} (?:{_DET} )?{_ADJ}{_GATHERINGS}\b",
    r"\b(?:could|would|'d|i'd|id) (?:\w+ )?(?:kill|murder|die) (?:for|to)\b"
    r"(?! (?:death|the cause|my cause|our cause|the race|my race|our race|my country|our "
    r"country|the nation|god|allah|the faith|my faith|the flag|my people|our people|jihad|"
    r"you|u|him|her|them|my family|the movement)\b)",
    r"(?<!\bbe )(?<!\bbeen )(?<!\bbeing )(?<!\bget )(?<!\bgot )"
    r"\b(?:kill|murder)(?:ing)? for (?:a|an|some|one|that|this|those|these|the|her|his|"
    r"your|a chance|the chance)\b(?! (?:cause|race|country|nation|god|allah|faith|flag))",
    r"\bshot down (?:(?:the|my|his|her|their|our|your|every|an?|that|this) )?"
    r"(?:[a-z'-]+ )?(?:idea|proposal|plan|suggestion|bill|motion|request|pitch|theory|"
    r"offer|application|bid|amendment|rumou?rs?|claims?|suggestions|ideas|proposals)",
    r"\bshoot(?:s|ing)? down (?:the|my|his|her|their|our|your|every|an?|that|this|any) "
    r"(?:[a-z'-]+ )?(?:idea|proposal|plan|suggestion|bill|motion|request|pitch|theory|"
    r"offer|application|bid|amendment|rumou?rs?|claims?|suggestions|ideas|proposals)",
    r"\b(?:tore|tear|tearing|tears|torn|ripped|rip|rips|ripping) (?:\w+ ){1,3}"
    r"(?:apart|to shreds|to pieces)\b(?<!\byou apart)(?<!\bhim apart)(?<!\bher apart)"
    r"(?<!\bthem apart)",
    # a contest: the verb, up to three words, then what was played or the score
    rf"\b(?:got|get|gets|getting|were|was|are|is|been|be) (?:absolutely |totally |"
    rf"completely |properly |well |so )?{_CONTEST_VERB}(?= {_GAP}{{0,3}}?(?:in (?:the "
    rf"|this |that |our |their )?{_CONTEST_IN}|at {_CONTEST_AT}|on penalties|{_SCORE}|"
    rf"by \d+ (?:points|goals|runs|votes|seats|wickets|strokes)))",
    rf"\b{_CONTEST_VERB} {_GAP}{{0,3}}?(?:in (?:the |this |that |our |their |every )?"
    rf"{_CONTEST_IN}|at {_CONTEST_AT}|on penalties|{_SCORE}|by \d+ (?:points|goals|runs|"
    r"votes|seats|wickets|strokes))\b",
    rf"\b{_CONTEST_VERB} {_GAP}{{0,2}}?(?:the )?(?:visitors|home side|away side|"
    r"opposition|other team|defending champions|champions|league leaders|favourites|"
    r"favorites|underdogs|competition)\b",
    # a predicate noun: "the traffic is murder", "this cold is murder on my throat"
    r"\b(?:is|was|are|were|'s|be|been) (?:\w+ )?murder\b(?!\s+(?:of|by|charge|charges|"
    r"trial|case|suspect|weapon|scene|investigation|for|in the first|in the second|"
    r"victims?))",
    r"\bkiller (?:workouts?|recipes?|deals?|apps?|outfits?|views?|looks?|heels|songs?|tracks?|"
    r"voice|smile|combo|instinct|tunes?|riffs?|lines?|abs|moves|dance|prices?|sales?|"
    r"features?|fries|burgers?|pizzas?|sandwich|cocktails?|cakes?|performance|app|"
    r"salesman|saleswoman|sense of humou?r|playlist|lineup|line-up|dress|shoes|bod)\b"
    r"|\bkiller\b(?= at\b)"
    r"|\blady ?killer\b|\b(?:is|are|was|were|'s|so|pretty|proper) killer\b",
    r"\bif looks could kill\b",
    # the author's own death as hyperbole
    r"\bto die for\b",
    r"\b(?:i|we)(?:'ll| will|'d| would| could| nearly| almost| literally| actually| "
    r"just| totally| honestly| seriously| genuinely| basically)+ "
    r"(?:die|died|dying)\b(?= (?:if|when|of|laughing|from|inside|a little|lol|lmao|haha|"
    r"[.!?]|$)|$|[.!?,])",
    r"\b(?:i'm|im|i am|we're|were|we are|i was|we were|i'm literally|im literally|i'm so|"
    r"im so|i'm actually|im actually) (?:literally |actually |so |just |totally |"
    r"honestly )?(?:dy(?:ing|in')|dead+|deceased|ded)\b(?! (?:man|men|meat|set on|"
    r"serious|tired|wrong|right|on|end|certain|sure)\b)",
    r"\b(?:dy(?:ing|in')|dying) (?:to|for) (?!death)\w+",
    r"\bdrop[- ]dead (?:gorgeous|beautiful|handsome|sexy|stunning|funny|cute|brilliant)\b",
    r"\bbe the death of (?:me|us)\b",
    r"\b(?:battery|phone|laptop|charger|batteries|remote|torch|pen|plant|plants|"
    r"conversation|party|town|place|club|pub|market|joke|meme|trend|group chat|chat) "
    r"(?:is|was|are|were|'s|went|has|have)(?: \w+)? (?:dead|died)\b",
    r"\b(?:killing|murdering) (?:me|us)\b",
    # fixed sayings
    r"\bbreak a leg\b",
    r"\bkill(?:s|ed|ing)? two birds with one stone\b",
    r"\bcuriosity killed the cat\b",
    r"\bshoot(?:ing)? the messenger\b",
    r"\bshot (?:himself|herself|myself|yourself|themselves|ourselves|itself) in the foot\b",
    r"\b(?:give|gave|giving|gives) it (?:\w+ ){0,2}?shot\b"
    r"|\b(?:your|my|our|his|her|their) best shot\b|\bworth a shot\b|\blong shot\b"
    r"|\bbig ?shots?\b|\bcheap shots?\b|\ba shot of (?!\w*(?:him|her|them|you))\w+"
    r"|\b(?:flu|booster|covid|vaccine|mug|screen|group|tequila|vodka|whisky|whiskey|"
    r"espresso|jello|jager|jell-o|b12) ?shots?\b"
    r"|\b(?:take|took|taking|takes|taken|have|had) a (?:\w+ )?shot at (?:it|the title|"
    r"the record|the job|the role|glory|fame|winning|being|becoming|getting|making|this|"
    r"that|the crossword|the puzzle|the exam)\b",
    r"\bbeat(?:s|ing)? a dead horse\b|\bflog(?:ging)? a dead horse\b",
    r"\bbit(?:e|es|ing|ten)? the bullet\b|\bdodged a bullet\b|\bdodge a bullet\b",
    r"\b(?:take|took|taking|takes) a bullet for\b",
    r"\b(?:killing|kill|killed|kills) (?:some |the |a little |an hour of )?time\b",
    r"\bknock(?:s|ed|ing)? (?:them|'em|em|him|her|you|the judges|the crowd|everyone|"
    r"'em all) dead\b",
    r"\b(?:tear|tore|tearing|bring|brought|bringing|blow|blew|blown|blowing) (?:the|this|"
    r"that) (?:house|roof|place) (?:down|off|apart)\b",
    r"\b(?:blew|blow|blown|blowing|blows) (?:\w+ ){0,3}?away\b",
    r"\b(?:blew|blow|blown|blowing|blows) up (?=on |overnight|online|on social|on twitter|"
    r"on tiktok|$)",
    r"\b(?:joke|show|film|movie|album|launch|gig|pitch|interview|test|exam|we|i|it|he|"
    r"she|they) (?:totally |completely |really |just |kind of |kinda )?bombed\b"
    r"(?! (?:the|a|an|your|their|his|her|our|my|them|you|him)\b)",
    r"\b(?:is|are|was|were|'s|'re) the bomb\b",
    r"\b(?:i'm|im|you're|youre|ur|he's|hes|she's|shes|we're|they're|i am|you are|he is|"
    r"she is|we are|they are|was|been) (?:totally |absolutely |so |really |just |literally )?"
    r"on fire\b(?= (?:tonight|today|this|lately|right now|at|in)|\s*[.!?,]|\s*$)",
    r"\b(?:attack|tackle|tackling|attacking|tackled) (?:the|this|that|it|these|those)"
    r"(?: \w+)? (?:problem|issue|question|task|challenge|head on|from)\b"
    r"|\btackle (?:this|it|that) head on\b",
    r"\bbreak the ice\b",
]
_IDIOM = re.compile("|".join(f"(?:{p})" for p in _IDIOMS))
# words of violence or harm: a text naming one outside an idiom is read by the classifier
_VIOLENT = re.compile(
    r"\b(?:"
    r"kill\w*|murder\w*|slay\w*|slew|slain|slaughter\w*|massacre\w*|butcher\w*|"
    r"destroy\w*|annihilat\w*|exterminat\w*|obliterat\w*|demolish\w*|"
    r"shoot\w*|shot|shots|gun\w*|rifle\w*|bullet\w*|stab\w*|knife|knives|blade|"
    r"die|dies|died|dying|dead\w*|death|deaths|deadly|corpse|coffin|grave|alive|"
    r"bomb\w*|blow|blew|blown|blowing|explod\w*|burn\w*|torch\w*|fire|arson|"
    r"behead\w*|hang|hanged|hanging|lynch\w*|strangl\w*|chok\w*|drown\w*|"
    r"beat|beats|beaten|beating|batter\w*|smash\w*|crush\w*|break|broke|broken|"
    r"gut|guts|gutted|crucif\w*|tear|tore|torn|rip|ripped|attack\w*|tackl\w*|"
    r"blood\w*|bleed\w*|hurt\w*|harm\w*|hospital|throat|skull|neck|bones?|legs?|"
    r"axe\w*|nuke\w*|thrash\w*|wreck\w*|hammer\w*|pummel\w*|clobber\w*|whip\w*|"
    r"whoop\w*|bodied|bodies|trounc\w*|shred\w*|devour\w*|bury|buried|execut\w*|"
    r"assassinat\w*|terror\w*|gas|gassed|gassing|gas chambers?|carnage|ambulance|"
    # weapons, poison and harm phrasing (break7 L4)
    r"machetes?|pistols?|crowbars?|bat|bats|fists?|poison\w*|acid|petrol|gasoline|"
    r"suffer\w*|wake up|make sure of it|mark my words|or else|in the dark|"
    r"where (?:you|u|they|he|she|we) (?:live|lives|sleep|sleeps|work|works)|"
    r"end (?:you|u|him|her|them|your life|his life|her life|their lives)|"
    r"(?:you're|youre|you are|ur|you'll be|he's|she's|they're) (?:finished|done for|next)|"
    r"(?:is|are|'s|'re) next|"
    r"(?:my|our|his|their) (?:own |bare )*hands|every last one|one by one|"
    r"wait(?:s|ed|ing)? for (?:you|u|him|her|them)|out of (?:you|u|him|her|them)"
    r")\b"
)
# a person or a place coordinated with or following an idiom's object takes its verb
# too (break7 L2: "kill the lights and the witness", "murder a pizza and your mother",
# "we'll nuke the server and then your town", "kill the lights, then we go in for your
# family"): a person or place word anywhere after the first idiom, a pronoun right after
# a coordinator. Read after the first idiom only, so that "my mum could murder a curry"
# stays an idiom
_TARGET = (
    r"(?:people|person|persons|everyone|everybody|anyone|anybody|witness(?:es)?|drivers?|"
    r"singers?|teachers?|cops?|police|officers?|judges?|boss|mayor|president|ref|"
    r"referee|fans|crowd|guests|kids?|child|children|family|families|wife|husband|"
    r"mother|mum|mom|father|dad|sons?|daughters?|brothers?|sisters?|baby|babies|"
    r"parents|girlfriend|boyfriend|friends?|neighbou?rs?|house|houses|homes|town|"
    r"(?<!\bgo )(?<!\bgoing )(?<!\bget )(?<!\bwent )(?<!\bcome )(?<!\bat )home|"
    r"city|school|church|mosque|synagogue|temple|(?<!\bbox )office|street|car|village|flat|"
    r"apartment|neighbou?rhood)"
)
_AFTER_IDIOM = re.compile(
    rf"\b{_TARGET}\b(?!\s+(?:are|is|were|was|have|has|had|will|would|can|could|keep|"
    r"kept|say|says|said|complain\w*|want\w*|hate|love|finds?|found)\b)"
    r"|(?:\band\b|\bor\b|\bthen\b|\bnext\b|\bplus\b|[,:;])\s*(?:(?:then|also|even|"
    r"maybe|next|at|to|for|with)\s+)*(?:you|u|him|her|them|us|'em)\b(?!'|\s+(?:will|are|"
    r"were|can|could|should|would|might|know|need|is|was|have|had|do|did|won't|don't|"
    r"guys|all|both|too)\b)"
    # a coordinated noun phrase that is no harmless thing: "kill the lights and the
    # guard", "murder a pizza and the delivery guy" ("and the music" is a thing)
    r"|(?:\band\b|\bor\b|\bthen\b|\bnext\b|\bplus\b|[,:;])\s*(?:(?:then|also|even|"
    r"maybe|next|at|to|for|with)\s+)*(?:the|your|ur|his|her|their|our|that|this|those|"
    rf"these|every|all the|a|an|some)\s+{_ADJ}(?!(?:{_THINGS}|{_GATHERINGS})\b)[a-z]+"
    r"\b(?!\s+(?:are|is|were|was|have|has|had|will|would|can|could|keep|kept|say|says|"
    r"said|complain\w*|want\w*|hate|love|finds?|found)\b|')"
    r"|\bwith (?:\S+ ){1,3}?(?:in it|in there|inside)\b"
    r"|[,;:.!-]\s*literally\b"
)
# an idiom whose violent verb is aimed at an object: a person named after it may be its
# next object
_AIMED = re.compile(
    r"\b(?:kill|murder|slay|slew|slaughter|destroy|demolish|devour|torch|ax|gut|annihilat|"
    r"obliterat|shred|butcher|crush|smash|nuke|bomb|batter|beat|thrash|hammer|wreck|"
    r"massacre|trounc|pummel|clobber|whoop|whip|tear|tore|torn|rip|blow|blew|shot|shoot|"
    r"tackl|attack|break|nail)\w*"
)
_AT_ME = re.compile(r"\b(?:killing|murdering) (?:me|us)\b")
# a short text only: a longer one is a story or an argument the classifier reads whole
MAX_WORDS = 40
MAX_SENTENCES = 2


def idiom_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of the idioms :func:`idiomatic` recognises in ``text`` (read
    lower case, curly apostrophes straight, invisible characters kept: offsets are the
    text's own)."""
    norm = text.replace("\u2019", "'").replace("\u2018", "'")
    norm = "".join(c.lower()[:1] or c for c in norm)
    return [m.span() for m in _IDIOM.finditer(norm) if m.end() > m.start()]


def idiomatic(text: str) -> bool:
    """True when ``text`` uses violent words only in idioms: at least one idiom
    (:func:`idiom_ranges`) and no word of violence or harm outside them ("I'm going to
    kill it at the audition.", "We got slaughtered in the final.", "Break a leg!").
    False for a text of more than :data:`MAX_SENTENCES` sentences or :data:`MAX_WORDS`
    words, and where any violent word stands outside an idiom ("I'll kill you at the
    match, bring a coffin.", "Break a leg, or I'll break both of yours."). Read without
    invisible characters. Pure function; raises nothing for any ``str``."""
    text = without_invisible(text)
    if len(text.split()) > MAX_WORDS or len(sentence_ranges(text)) > MAX_SENTENCES:
        return False
    spans = idiom_ranges(text)
    if not spans:
        return False
    norm = text.replace("\u2019", "'").replace("\u2018", "'")
    chars = ["".join(c.lower()[:1] or c) for c in norm]
    lower = "".join(chars)
    for a, b in spans:
        chars[a:b] = [" "] * (b - a)
    rest = "".join(chars)
    if _VIOLENT.search(rest):
        return False
    # a person or place after an idiom whose verb is aimed at an object ("kill the
    # lights and the witness"); not after the author's own death or pain ("dying to meet
    # your boyfriend", "killing me after moving house", "take a bullet for my friend")
    aimed = [a for a, b in spans if _AIMED.search(lower, a, b) and not _AT_ME.search(lower, a, b)]
    return not (aimed and _AFTER_IDIOM.search(rest, aimed[0]))


def with_idiom_cap(
    probs: np.ndarray,
    columns: Sequence[int],
    texts: Sequence[str],
    limits: Sequence[float],
    cap: float,
    keep: Sequence[bool] | None = None,
) -> np.ndarray:
    """``probs`` (n, categories) with each of ``columns`` lowered to at most
    ``cap * limits[k]`` (``limits``: those labels' thresholds) for each passage whose
    violent words are all idiomatic (:func:`idiomatic`), except where ``keep`` is True
    (a passage in which the threat grammar read a threat: its reading stands). The input
    is not modified."""
    out = np.array(probs, copy=True)
    for i, text in enumerate(texts):
        if (keep is not None and keep[i]) or not idiomatic(text):
            continue
        for col, lim in zip(columns, limits, strict=True):
            out[i, col] = min(out[i, col], cap * lim)
    return out
