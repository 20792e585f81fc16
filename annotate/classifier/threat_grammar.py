"""Explicit violent threats in the author's own voice, read by their grammar.

A frozen sentence encoder places "people like them should be shot" next to other hateful
sentences about the same group: it reads the topic and the target, not the speech act
(issue 8; the group probe's missed threats sit nearest same-group non-threats). This
module reads the speech act directly, for the explicit forms the taxonomy's
``violent_threat`` definition names, in a sentence the author says (not one inside
quotation marks, not one another speaker is reported to have said):

- **direct intent**: a first-person subject, an intent ("will", "'ll", "am going to",
  "gonna", "swear to", ...) and a violent verb with a target ("I will strangle the next
  woman who ...", "we're going to burn your house down");
- **normative**: a target that "should", "must", "deserves to", ... "be shot / be killed
  / die" ("people like them should be shot"), or an agent that "should kill them";
- **second person**: "you're dead", "you will die", "your days are numbered".

Read it as a second opinion beside the classifier, not a classifier: it never reads
hyperbole without a target ("this traffic is killing me"), past events ("he shot
three people"), negated or questioned forms ("no one deserves to die", "should they be
shot?"), or clauses embedded under someone else's words ("people who say Jews should be
killed ..."; "he said he will kill them"). Veiled threats without a violent verb ("I know
where the councillor parks") are left to the classifier.

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
    "burn": r"",
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
    r"(?:i|we|me and (?:my )?\w+|my (?:boys|crew|friends|brothers|mates|men|guys|lads)|"
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
# objects after a violent verb that make it no threat against people
_NOT_TARGET = re.compile(
    rf"^(?:(?:the|this|that|a|an|some|my|your|our|all|every)\s+)?(?:{_THINGS})\b|"
    r"^(?:this|that|which|what)\b(?!\s+[a-z])"
)
# the subject before a normative modal that makes it no threat ("the film should be shot")
_THING_SUBJECT = re.compile(rf"\b(?:{_THINGS}|this|that|which|what)\s*,?\s*$")
_SECOND_PERSON = re.compile(
    r"\b(?:you(?:'re| are)(?: (?:so|all|already|as good as))? dead(?! (?:to|wrong|right|"
    r"tired|serious|last|set|on|inside|ass|funny))|"
    r"you(?:'re| are) (?:a dead (?:man|woman|person)|dead meat|next)[.!]*$|"
    r"you(?:'ll| will) (?:die|bleed|pay with your (?:life|lives|blood))\b|"
    r"your days are numbered|you won't (?:live|survive|see (?:the morning|tomorrow|another day)))"
)
_DIRECT = re.compile(
    rf"\b{_FIRST}(?: |(?=')){_INTENT} (?:{_NOT_FILLER}\w+ ){{0,3}}?(?P<v>{_BASE_V})\b(?P<rest>.*)"
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
    r"\b(?:(?P<who>[\w']+) )?(?P<cue>say|says|said|saying|think|thinks|thought|thinking|"
    r"believe|believes|believing|claim|claims|claimed|claiming|argue|argues|argued|arguing|"
    r"suggest|suggests|suggested|suggesting|allegedly|reportedly|"
    r"tweeted|wrote|writes|posted|chanted|chanting|shouted|shouting|yelled|screamed|"
    r"threatened|threatening|vowed|vowing|warned|told|tells|telling|calls? for|screaming|"
    r"yelling|"
    r"calling for|called for|whether|imagine|pretend|joke|joked|joking)\b|"
    r"\b(?P<noun>idea|notion|view|rhetoric|slogan|fantas(?:y|ies)|lyrics?|song|game|"
    r"movie|film|novel|story|character|scene)\b"
)
_FIRST_PERSON_INTRO = re.compile(r"\b(?:i|i'm|i've|we|we're|my|our|me|us)\b")
# the sentence's subject suffers the violence at another's hands: a lament, not a threat
_VICTIM = re.compile(r"^\W*(?:at|by) the hands? of\b")
_FIRST_PERSON_WHO = {"i", "we", "i'd", "we'd", "i'll", "we'll", "honestly", "really", "just"}
_QUOTE_FILL = " "


def _normalise(text: str) -> str:
    """Lower case, curly apostrophes straight, quotations blanked (offsets kept)."""
    chars = list(text.replace("’", "'").replace("‘", "'").lower())
    for a, b in quote_ranges(text):
        chars[a:b] = _QUOTE_FILL * (b - a)
    return "".join(chars)


def _particle(verb: str, rest: str) -> bool:
    """A verb that means violence only with its particle or object ("cut ... throat",
    "run over", "gunned down") has it within the next six words; other verbs pass."""
    need = _NEEDS.get(_FORM_OF.get(verb.split()[0], ""))
    if verb in {"beat", "beaten"}:  # "should be beaten": the passive needs no "up"
        return True
    return not need or bool(re.search(rf"\b(?:{need})", " ".join(rest.split()[:6])))


def _aimed(verb: str, rest: str) -> bool:
    """The violent verb ``verb`` (a form or phrase) is aimed at a person, group or place:
    its particle (for verbs that need one) and a target within the next five words."""
    base = _FORM_OF.get(verb.split()[0], "")
    head = " ".join(rest.split()[:6])
    need = _NEEDS.get(base)
    if need and not re.search(rf"\b(?:{need})", head):
        return False
    obj = head.lstrip(" ,")
    if _NOT_TARGET.match(obj):
        return False
    if " " in verb:  # a phrase carries its own object ("set fire to", "make them bleed")
        return True
    return bool(re.match(rf"(?:\w+ ){{0,2}}{_TARGET}\b|\w+s\b", obj))


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
        return True
    return False


def _sentence_threat(s: str) -> bool:
    """One normalised sentence (lower case, quotations blanked, spaces single) states a
    threat."""
    if s.rstrip(" \"'”)").endswith("?"):
        return False
    for rx, kind in (
        (_DIRECT, "aimed"),
        (_PROGRESSIVE, "aimed"),
        (_ACTIVE, "aimed"),
        (_PASSIVE, "subject"),
        (_DIE, "subject"),
        (_SECOND_PERSON, ""),
    ):
        for m in rx.finditer(s):
            prefix = s[: m.start()]
            end = m.end("v") if "v" in rx.groupindex and m.group("v") else m.end()
            if _negated(prefix, s[m.start() : end]) or _embedded(prefix):
                continue
            if kind == "aimed" and not _aimed(m.group("v"), m.group("rest")):
                continue
            if rx is _PASSIVE and not _particle(m.group("v"), m.group("rest")):
                continue
            if kind == "subject" and (
                not prefix.strip() or _THING_SUBJECT.search(prefix) or _VICTIM.match(s[m.end() :])
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
