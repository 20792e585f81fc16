"""Who a sentence's violence is for: the author's own stated intent, or an audience urged
to commit it (issue 8, passI53 I2).

labels.yaml separates the two by what the words do: ``violent_threat`` / span ``threat``
is the author stating an intent to harm ("I will put ...", "we will come for you", "you
are dead"); ``incitement`` / span ``call_to_violence`` is the author calling on others
("Take up arms and purge ...", "every true patriot must ...", "let's burn ..."). A frozen
sentence encoder reads the topic (weapons, traitors, a target) and not the grammatical
person, so the span head and the category head mix the two. This module reads the person
and the addressee of a sentence:

- **call**: an imperative opening the sentence (after a form of address, "Brothers, ...",
  and words like "now", "so", "go and"), "let's / let us" + verb, or an audience that
  "must / should / needs to / has to" do it ("every true patriot must ...", "you must all
  ...", "we must ..."), with a violent verb (the threat grammar's, with the particle or
  object it needs: "break the silence" is no call) or "take up arms" / "arm yourselves";
  an order to the very people threatened to harm themselves ("kill yourselves") calls on
  no one to harm others, and is no call;
- **intent**: the threat grammar's first-person forms ("I will ...", "we're going to ...",
  "I'm ...ing", "I'll have you ...") or its second-person forms ("you're dead", "your days
  are numbered"), or the author's intent told by a pro-verb for the violence named beside
  it ("... before I do it for you", "... or I will.", "I'll do it myself", "what I will do
  to you"; break11 M1);
- **recruiting** (:func:`recruits`): an order to others to join, with no violent verb of
  its own ("bring your rifles and meet at the bridge", "join us", "follow our lead"):
  beside a stated attack it is the call to join it, and keeps ``incitement`` (break11 M2);
- **acting** (:func:`act_calls`, stop 55): an audience urged to act with no violent verb
  of its own ("our people must act before it is too late", "brothers, rise up", "the time
  for talking is over"): beside a threat sentence the grammar reads ("they should be
  exterminated") it is the call that carries it out, and adds ``incitement`` with a
  ``call_to_violence`` span over it (:func:`calls_beside_threats`, :func:`call_spans`);
  an order to join with no violence anywhere in the passage ("Join the brothers.") is no
  call to violence, and loses its ``call_to_violence`` span (:func:`lone_recruit_spans`).

When in doubt the rules keep a label: they drop one only where the reading is clear.

Words inside quotation marks are not read (:func:`threat_grammar._normalise`). Used at
prediction by the frozen-linear backend's threat-grammar rule (:func:`person_spans`,
:func:`calls_not_threats`, :func:`threats_not_calls`), and :func:`too_short_for_context`
for passages with no words to report or rebut. Pure functions; they raise nothing for
any ``str``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from annotate._util.invisible import Visible, without_invisible
from annotate.classifier import threat_grammar as tg
from annotate.classifier.base import Span
from annotate.classifier.spans import free_of

# what a call urges: a violent verb of the threat grammar (or one that names violence on
# people), or arming
_CALL_V = (
    rf"(?:{tg._BASE_V}|{tg._PEOPLE_VERBS}|take up (?:arms|weapons|the sword|the gun|"
    r"(?:your|our) (?:arms|weapons|guns|rifles|swords))|arm (?:yourselves|yourself|ourselves)|"
    r"storm)"
)
# a form of address before a comma ("Brothers,", "People of the north,"), four words at most
_VOCATIVE = r"(?:[a-z'-]+(?: [a-z'-]+){0,3},\s*)?"
_LEAD = (
    r"(?:(?:now|so|then|and|just|go|go and|go out and|tonight|today|tomorrow|please|pls|"
    r"all of you|everyone|everybody|y'all)\W+){0,3}"
)
# an order's first act before the violent one ("grab your rifles and shoot ...", "go to
# the square and burn ...")
_FIRST_ACT = (
    r"(?:grab|pick up|get|go|come|gather|meet|find|track down|hunt down|take|load|rise up|"
    r"march|head|wait)"
)
# "let's / let us" + verb, or a first act and then the violent one ("let us march on the
# capital and hang ...")
_IMPERATIVE = re.compile(
    rf"^\W*{_VOCATIVE}{_LEAD}(?:(?:let's|lets|let us)\s+(?:all\s+)?"
    r"(?:(?:[\w'-]+ ){1,8}?and (?:then )?)?|"
    rf"{_FIRST_ACT} (?:[\w'-]+ ){{0,6}}?and (?:then )?)?"
    rf"(?P<v>{_CALL_V})\b(?P<rest>.*)"
)
# an audience told what it must do: the hearers, the in-group, every member of a kind
_AUDIENCE = (
    r"(?:we|you|y'all|you all|all of you|each of you|every one of you|everyone|everybody|"
    r"(?:every|each|any) (?:[a-z'-]+ ){0,2}[a-z'-]+|"
    r"(?:all )?(?:true|real|good|loyal) [a-z'-]+s|all (?:[a-z'-]+ )?[a-z'-]+s)"
)
_DEONTIC = re.compile(
    rf"(?:^\W*|[,;:]\s*|\b(?:so|now|and|then)\s+){_AUDIENCE}\s+(?:all\s+|now\s+)?"
    r"(?:must|should|need to|needs to|have to|has to|ought to|gotta|got to|are to|is to)\s+"
    r"(?:all\s+|now\s+|finally\s+|simply\s+)?(?:(?:go|rise up|stand up)\s+(?:and\s+)?|"
    rf"start\s+|begin\s+)?(?P<v>{_CALL_V})\b(?P<rest>.*)"
)
# the first person's own stated intent, and the second person's fate (threat_grammar)
_INTENT = (tg._DIRECT, tg._PROGRESSIVE, tg._CAUSATIVE_DIRECT)
# the first person's intent told without its violent verb, a pro-verb standing for the
# violence named beside it (break11 M1): "... before I do it for you", "... or I will.",
# "I'll do it myself", "I'll hold you under myself", "what I will do to you", "what I
# have planned"; read as intent only in a passage that names the violence
_WILL = (
    r"(?:\s+(?:will|shall|am going to|are going to|gonna|am gonna|are gonna)|'ll|'m going to|"
    r"'re going to|'m gonna|'re gonna)"
)
_PRO_INTENT = re.compile(
    r"\b(?:before|or|or else|otherwise|else|until) (?:i|we)\b[\w' -]{0,40}?\b"
    r"(?:do|doing|finish|get to) (?:it|that|this|the job|you)\b"
    r"|\b(?:or|or else|otherwise|else),? (?:i|we)(?:\s+(?:will|shall|can|could|would)|'ll)"
    r"(?=\W*$|\s*[.!?,;])"
    rf"|\b(?:i|we){_WILL} (?:[\w'-]+ ){{0,6}}?(?:you|you all|y'all|them|it|that|this|the job)"
    r" (?:[\w'-]+ ){0,3}?(?:myself|ourselves)\b"
    rf"|\bwhat (?:i|we)(?:{_WILL}(?: do)?| have planned| have in store)(?: (?:to|for) you)?\b"
)
# an order to the very people it threatens to harm themselves ("kill yourselves", "hang
# yourself"): abuse or a threat to them, not a call on an audience to harm others
_REFLEXIVE = re.compile(r"^\W*(?:yourselves|yourself|urselves|urself)\b")
# an order that recruits others to the violence stated beside it, with no violent verb of
# its own (break11 M2): "bring your rifles and meet at the bridge", "join us", "follow our
# lead", "who is with me?"; opening a sentence or a clause
_RECRUIT = re.compile(
    rf"(?:^\W*|[,;:]\s*){_VOCATIVE}{_LEAD}(?:(?:you|you all|y'all|all of you|everyone|"
    r"everybody|we) (?:must|should|need to|have to|gotta|got to) )?"
    r"(?:bring|join|meet|follow|gather|assemble|rally|mobili[sz]e|grab|pick up|load|"
    r"take up|arm|march|enlist|sign up|show up|be there|stand with|fight with|fight beside|"
    r"fight alongside|come with|come join|come and join|ride with|do the same|do likewise|"
    r"(?:who's|who is|whos|who else is|are you|who will stand) with (?:me|us))\b"
)
# any violent verb form or phrase (where a passage's violence is)
_VIOLENT_WORD = re.compile(
    rf"\b(?:{tg._alt(set(tg._FORM_OF))}|{tg._PEOPLE_VERBS}|{tg._PHRASES}|{tg._PHRASES_ING}|"
    r"take up arms|arm yourselves|bullets?)\b"
)


# an audience urged to act, with no violent verb of its own (stop 55, issue 8): "our
# people must act before it is too late", "patriots, rise up", "every one of you has to
# do his duty", "it is time to act", "take matters into your own hands"; beside a threat
# the passage reads (a target that should be harmed) it is the call to carry it out
_ACT = (
    r"(?:act|take action|rise(?: up)?|fight back|strike(?: first| back| now)?|do something|"
    r"do (?:what|whatever) (?:must|has to|needs to) be done|step up|"
    r"do (?:our|your|his|her|their) (?:duty|part|bit)|defend (?:our|your|their) (?:own|people|"
    r"race|nation|land|blood|kin)|take (?:matters|things|the law) into (?:our|your|their) own "
    r"hands|finish (?:this|the job|what (?:was|they|we) started)|stand up and fight|fight)"
)
# the act's end: not "act like an adult", "act fast on the transfer market"
_ACT_END = (
    r"(?=\s*(?:$|[.!,;:]|now\b|today\b|tonight\b|before\b|while\b|together\b|against\b|"
    r"and\b|at once\b|immediately\b|first\b|or\b))"
)
_ACT_AUDIENCE = rf"(?:{_AUDIENCE}|our (?:[a-z'-]+ )?[a-z'-]+|the (?:people|nation|folk|men))"
_ACT_CALL = re.compile(
    rf"(?:^\W*|[,;:]\s*|\b(?:so|now|and|then)\s+){_ACT_AUDIENCE}\s+(?:all\s+|now\s+)?"
    r"(?:must|should|need to|needs to|have to|has to|ought to|gotta|got to|are to|is to)\s+"
    rf"(?:all\s+|now\s+|finally\s+|at last\s+)?{_ACT}{_ACT_END}"
    rf"|^\W*{_VOCATIVE}{_LEAD}(?!fight\b(?! back))(?!act\b(?! now))"
    r"(?!strike\b(?! back| now| first))"
    rf"{_ACT}{_ACT_END}"
    r"|\b(?:it is|it's|its|now is) (?:high )?(?:the )?time (?:for (?:us|you|all of us) )?(?:to "
    rf"{_ACT}{_ACT_END}|for action\b)"
    r"|\bthe time (?:for|to) (?:talk(?:ing)?|words|debate|waiting) is "
    r"(?:over|past|done)\b|\bit is up to (?:us|you)\b|\bit's up to (?:us|you)\b"
)


def _acts(sentence: str) -> bool:
    """Whether ``sentence`` (normalised) urges an audience to act with no violent verb of
    its own ("our people must act", "rise up", "it is time to act"), in the author's voice
    (not negated: "we must not fight")."""
    m = _ACT_CALL.search(sentence)
    return bool(m) and not tg._negated("", sentence[m.start() : m.end()])


def act_calls(text: str) -> list[tuple[int, int]]:
    """The character ranges of ``text``'s sentences that urge an audience to act with no
    violent verb of their own (:func:`_acts`), read outside quotation marks."""
    visible = Visible(text)
    if visible.changed:
        return [visible.original(a, b) for a, b in act_calls(visible.text)]
    norm = tg._normalise(text)
    return [(a, b) for a, b in tg._sentences(text) if _acts(" ".join(norm[a:b].split()))]


def _clauses(s: str) -> list[str]:
    """``s`` and its clauses after a semicolon or colon (a call may follow a form of
    address ending in a colon: "To every patriot: take up arms ...")."""
    return [s, *(c.strip() for c in re.split(r"[;:]", s)[1:] if c.strip())]


def is_call(sentence: str) -> bool:
    """Whether ``sentence`` (normalised: lower case, quotation blanked) urges an audience
    to violence: an imperative or "let's" opening it or a clause, or an audience that must
    do it, with a violent verb that has the particle or object it needs."""
    for c in _clauses(sentence):
        for rx in (_IMPERATIVE, _DEONTIC):
            m = rx.search(c)
            if (
                m
                and tg._particle(m.group("v"), m.group("rest"))
                and not _REFLEXIVE.match(m.group("rest"))
            ):
                return True
    return False


def is_intent(sentence: str) -> bool:
    """Whether ``sentence`` (normalised) states the first person's intent to harm ("I will
    ...", "we're going to ...") or the second person's fate ("you're dead")."""
    for rx in _INTENT:
        m = rx.search(sentence)
        if m and tg._particle(m.group("v"), m.group("rest")):
            return True
    if _PRO_INTENT.search(sentence) and _VIOLENT_WORD.search(sentence):
        return True
    return bool(tg._SECOND_PERSON.search(sentence))


def recruits(text: str) -> bool:
    """Whether some sentence or clause of ``text`` orders others to join (bring, join,
    meet, follow, "who is with me?") without being the author's own intent ("meet me
    outside and I'll ..." is a threat): the call that goes with a stated attack."""
    for s in _read(text):
        for c in re.split(r"[,;:]", s):
            if _RECRUIT.search(c.strip()) and not is_intent(c):
                return True
    return False


def _read(text: str) -> list[str]:
    """``text``'s sentences, normalised (lower case, quotations blanked), read without
    invisible characters (a zero-width space inside a word hides no verb)."""
    text = without_invisible(text)
    norm = tg._normalise(text)
    return [s for a, b in tg._sentences(text) if (s := " ".join(norm[a:b].split()))]


# a passage that names its audience: a form of address opening a sentence ("Brothers,",
# "Sons of the valley,", "To every patriot:"), "let's / let us", an audience that must do
# it, "all of you", or the order to pass the words on ("spread this message")
_ADDRESS_WORD = (
    r"(?:[a-z'-]+(?:s|men|ren)|people|folk|everyone|everybody|y'all|all of you|you all|"
    r"friends|comrades|brethren)"
)
_NOT_ADDRESS = re.compile(
    r"^\W*(?:sometimes|afterwards|besides|thanks|perhaps|always|nevertheless|nonetheless|"
    r"regardless|as|is|was|has|does|yes|sorts|towards|unless|this|thus|plus)\b"
)
_ADDRESSED = re.compile(
    rf"^\W*(?:(?:(?:o|oh|my|dear|fellow|true|brave|loyal|good|all|[a-z'-]+ of (?:the )?)\s*)"
    rf"{{0,3}}[a-z'-]+\s+)?{_ADDRESS_WORD}(?: of (?:the |our |this |my )?[a-z'-]+(?: [a-z'-]+)?)?,"
    r"|^\W*(?:to|for|attention) (?:all|every|each|my|our|the) [^:;,.!?]{1,40}:"
    r"|\b(?:let's|lets|let us)\b|\b(?:all of you|you all|y'all|every one of you|each of you)\b"
    r"|\b(?:spread|share|forward|repost|pass on) (?:this|the word|the message)\b"
)


def addressed(sentences: Sequence[str]) -> bool:
    """Whether a passage (its normalised sentences) names the audience it speaks to: a
    form of address opening a sentence, "let's", "all of you", an audience that must do
    it (:data:`_DEONTIC`), or an order to pass the words on. A bare imperative ("Kill
    the ...") names none: the public sets label it a threat (threat_grammar's imperative
    call), and so does the project's own probe."""
    for s in sentences:
        if _ADDRESSED.search(s) and not _NOT_ADDRESS.match(s):
            return True
        if any(_DEONTIC.search(c) for c in _clauses(s)):
            return True
    return False


def reading(text: str) -> tuple[bool, bool, bool]:
    """Per passage: (some sentence is a call to an audience the passage names, some
    sentence states intent, some sentence with a violent word is neither: violence the
    two readings do not explain). A call whose audience is not named counts as neither."""
    call = intent = other = False
    sentences = _read(text)
    named = addressed(sentences)
    # the author's intent told by a pro-verb in one sentence ("Or I will.") stands for the
    # violence named in another
    violent = any(_VIOLENT_WORD.search(s) for s in sentences)
    pro = violent and any(_PRO_INTENT.search(s) for s in sentences)
    for s in sentences:
        c, i = is_call(s) and named, is_intent(s)
        call, intent = call or c, intent or i or pro
        if not (c or i) and _VIOLENT_WORD.search(s):
            other = True
    return call, intent, other


def person_spans(text: str, spans: Sequence[Span], threat: str, call: str) -> list[Span]:
    """``spans`` with each own-voice ``threat`` / ``call`` span relabelled by what its
    words do: a call to an audience and no intent -> ``call``; the author's intent (or the
    second person's fate) and no call -> ``threat``; otherwise unchanged. Offsets, scores
    and order are kept; the input is not modified."""
    if not any(s.label in (threat, call) for s in spans):
        return list(spans)
    norm = tg._normalise(text)
    out = []
    for s in spans:
        if s.label in (threat, call):
            words = " ".join(norm[s.start : s.end].split())
            c, i = is_call(words), is_intent(words)
            # an audience urged to act beside the threat ("Our people must act."), where
            # the span holds no threat sentence of its own
            c = c or (_acts(words) and not tg.threat_sentences(text[s.start : s.end]))
            if c and not i and s.label != call:
                s = Span(start=s.start, end=s.end, label=call, score=s.score)
            elif i and not c and s.label != threat:
                s = Span(start=s.start, end=s.end, label=threat, score=s.score)
        out.append(s)
    return out


def calls_not_threats(
    labels: Sequence[Sequence[str]],
    texts: Sequence[str],
    hits: Sequence[Sequence[tuple[int, int]]],
    threat: str,
    incitement: str,
) -> list[list[str]]:
    """``labels`` with ``threat`` taken away where it is a call, not a threat: the
    classifier gave both ``threat`` and ``incitement``, the threat grammar read no
    sentence (``hits[i]`` empty), and the passage's violence is all in calls to an
    audience (some sentence is a call, none states the author's intent or the second
    person's fate, none with a violent word is neither). Other labels are kept; the
    input is not modified."""
    out = []
    for labs, text, found in zip(labels, texts, hits, strict=True):
        labs = list(labs)
        if threat in labs and incitement in labs and not found:
            call, intent, other = reading(text)
            if call and not intent and not other:
                labs.remove(threat)
        out.append(labs)
    return out


def threats_not_calls(
    labels: Sequence[Sequence[str]],
    texts: Sequence[str],
    hits: Sequence[Sequence[tuple[int, int]]],
    threat: str,
    incitement: str,
) -> list[list[str]]:
    """``labels`` with ``incitement`` taken away where the passage is the author's own
    threat and calls on no one: ``threat`` is labelled, the threat grammar read a
    sentence (``hits[i]``), and the passage's violence is all in sentences of the
    author's intent or the second person's fate (some sentence states it, none is a call
    to an audience, none with a violent word is neither) and no sentence recruits others
    to it (:func:`recruits`: "Bring your rifles and meet at the bridge."). Other labels
    are kept; the input is not modified."""
    out = []
    for labs, text, found in zip(labels, texts, hits, strict=True):
        labs = list(labs)
        if threat in labs and incitement in labs and found:
            call, intent, other = reading(text)
            if intent and not call and not other and not recruits(text) and not act_calls(text):
                labs.remove(incitement)
        out.append(labs)
    return out


def calls_beside_threats(
    labels: Sequence[Sequence[str]],
    texts: Sequence[str],
    hits: Sequence[Sequence[tuple[int, int]]],
    threat: str,
    incitement: str,
) -> list[list[str]]:
    """``labels`` with ``incitement`` added where the passage calls on an audience to act
    beside a threat it states (stop 55, issue 8): ``threat`` is labelled, the threat
    grammar read a sentence (``hits[i]``: "they are vermin and should be exterminated")
    and some sentence urges an audience to act with no violent verb of its own
    (:func:`act_calls`: "Our people must act before it is too late."): the call that
    carries the threat out (labels.yaml, incitement: "urges ... violence against a target
    so as to encourage it"). Other labels are kept; the input is not modified."""
    out = []
    for labs, text, found in zip(labels, texts, hits, strict=True):
        labs = list(labs)
        if threat in labs and incitement not in labs and found and act_calls(text):
            labs.insert(labs.index(threat) + 1, incitement)
        out.append(labs)
    return out


def call_spans(
    text: str, spans: Sequence[Span], hits: Sequence[tuple[int, int]], call: str, score: float
) -> list[Span]:
    """``spans`` plus a ``call`` span, scored ``score``, over each sentence of ``text``
    that urges an audience to act (:func:`act_calls`) beside a threat sentence the grammar
    read (``hits``, none: unchanged), where no span already overlaps it; sorted by
    start."""
    if not hits:
        return list(spans)
    out = list(spans)
    for a, b in act_calls(text):
        if free_of(out, a, b):
            out.append(Span(start=a, end=b, label=call, score=float(score)))
    return sorted(out, key=lambda s: (s.start, s.end))


def lone_recruit_spans(text: str, spans: Sequence[Span], call: str) -> list[Span]:
    """``spans`` without the ``call`` spans that only recruit ("Join the brothers.",
    "Follow our lead.") in a passage that names no violence at all: an order to join is
    the call to violence only beside the violence it joins (:func:`recruits`; stop 55).
    Other spans are kept in order; the input is not modified."""
    if not any(s.label == call for s in spans):
        return list(spans)
    if any(_VIOLENT_WORD.search(s) for s in _read(text)):
        return list(spans)
    out = []
    for s in spans:
        if s.label == call and recruits(text[s.start : s.end]):
            continue
        out.append(s)
    return out


# a context label (reporting, rebuttal) needs words to report or rebut
MIN_CONTEXT_WORDS = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def too_short_for_context(
    labels: Sequence[Sequence[str]], texts: Sequence[str], context: Sequence[str], none: str
) -> list[list[str]]:
    """``labels`` without context labels (``context``: news reporting, counter-speech) on
    a passage of fewer than :data:`MIN_CONTEXT_WORDS` words ("ok.", "Okay.", "thanks"): a
    voice that reports or rebuts needs something to report or rebut; ``[none]`` where
    nothing else is left. Other labels are kept; the input is not modified."""
    ctx = set(context)
    out = []
    for labs, text in zip(labels, texts, strict=True):
        labs = list(labs)
        if any(x in ctx for x in labs) and len(_WORD.findall(text)) < MIN_CONTEXT_WORDS:
            labs = [x for x in labs if x not in ctx] or [none]
        out.append(labs)
    return out


def call_names(
    span_categories: dict[str, str], threat_label: str, threat_span: str | None
) -> tuple[str | None, str | None]:
    """The call's category and span label beside the threat's: the own-voice span whose
    category is incitement in ``span_categories`` (span -> category), as labels.yaml
    names them ("call_to_violence" -> "incitement"); (None, None) where the model has no
    such pair (the rules are then off)."""
    for span, category in span_categories.items():
        if category == "incitement" and category != threat_label and span != threat_span:
            return category, span
    return None, None
