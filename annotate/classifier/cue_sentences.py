"""The classifier reads a subtitle cue within the sentence it is part of.

A subtitle file's passages are its cues (:mod:`annotate.ingestion.subtitles`), and a
film's or a video's sentence often runs over several: ``I know where you live,`` /
``and if you talk to the police`` / ``I will find you`` / ``and hurt your family.``
(stop 48 new-user F4). Each cue stays a passage of its own (its text is the file's
characters, the timing lines between cues in none), but a cue read alone is a fragment:
:func:`in_sentences` gives the model each cue of a subtitle file joined with the cues
before and after it up to the sentence's ends, at most :data:`BUDGET` characters in all
(:data:`REACH` cues each side), and :func:`own_span` keeps the evidence spans that fall
on the cue's own words.

A passage is a subtitle cue when its document is a subtitle file: its name has a ``.vtt``
or ``.srt`` suffix (``film.srt``, ``zoom.vtt.txt``), or ingest read it as one by its
content and recorded so in its passages' ``meta`` (:data:`META_KEY`: a WebVTT transcript
saved as ``talk.txt``; ``PassageInput.subtitles``, :func:`recorded_subtitles`). Its
sentence goes on into the next cue when its text (as the model reads it: no markup, no
speaker label) does not end with ``.``, ``!``, ``?`` or ``♪`` (maybe before a closing
quote, guillemet or bracket, or a description: ``Get out. [door slams]``), or ends with
``...`` or ``…`` and the next cue goes on with it (:func:`goes_on_after_ellipsis`), and
the next cue (past any cue that is only descriptions) opens no other speaker's line: no
other speaker's label (a Zoom transcript labels each cue, ``Jane Doe: ``) or voice tag,
no ``-`` of a dialogue line (``- Are you coming?``, or ``-Are you coming?`` as Netflix's
English (SDH) Timed Text Style Guide writes two speakers: "Use a hyphen without a space
to indicate two speakers in one subtitle", "Dual Speakers"), no SDH speaker id (``[JOHN]``,
``(Mary)``, ``[man]``: :func:`speaker_id`), no upper-case speaker label read as words
(``MARY: you know what``, ``MARY:you``: a file with one labelled cue is no conversation,
so its label stays in the text, but it still opens another speaker's line; break7 L7).
A cue ending with ``--`` or ``—`` ends its sentence: the guide's "Use two hyphens to
indicate abrupt interruptions" (``-What are you--`` / ``-Be quiet!``; break6 K6), unless
the next cue resumes it with ``--`` or an ellipsis (``I swear I'll kill you --`` /
``-- if you touch it``; break7 L11).

A trailing ellipsis is ambiguous. Older subtitle styles mark a sentence that runs on
into the next cue with one (and open the next with another: ``...and break your
legs``); Netflix's English (SDH) Timed Text Style Guide ("Continuity") writes a sentence
split over cues without one and keeps it for a pause or dialogue trailing off: after a
pause the sentence may go on in the next cue ("Had I known..." / "I wouldn't have
called you."), and a cue starting mid-sentence opens with an ellipsis. So the next cue
decides, with the clause the ellipsis breaks off (:func:`goes_on_after_ellipsis`):
one opening with an ellipsis, a lower-case letter or a digit goes on with it; one
opening with an upper-case letter starts a new sentence ("Previously on Harbour
Nights..." / "You talk to the cops again and I'll slit your throat": the title cue took
the threat's violent_threat 0.295, 0.004 alone; passC50 R5), unless the clause breaks
off on a word no clause ends with: an article or possessive, a conjunction, a
preposition that is no particle, a verb of telling or making ("I told..." / "Danny to
leave.": a sentence resumed after a pause with a name, stop 52) and the next cue opens as
a name would: not with a word sentences open with (a pronoun, a determiner, a question
word, an auxiliary, an interjection, an imperative: "I was only trying to..." / "Shut
up, or I'll slit your throat." is another speaker breaking in, whose threat reached the
cue trailing off; break6 K1), a contraction, or a word followed by a comma, ``!`` or
``?`` ("Danny, stop!"), nor as a verb would, taking what a name never takes after it: an
object pronoun or "it" ending its clause ("Beat it, or I'll slit your throat."), a
particle ("Clear off"), an article or possessive after a clause not broken off on a verb of telling
("Toss the knife", where "I told..." / "Danny the truth." goes on; stop 53: an
imperative the list lacks went on as a name), after an infinitive's "to" too ("I'm
going to..." / "Toss the knife.", "What I really want is to..." / "Burn your house
down.": the writer's capital on a verb, which no name is, opens a sentence; joined from
break8 M2 to stop 54; "toss the knife." goes on). The word "I" is upper
case wherever it stands, so its capital says nothing: it goes on only after a clause
that cannot stand alone, opening with a subordinating word or holding "if"/"unless"
("Had I known..." / "I wouldn't have called you."; "If you ever talk to the police..."
/ "I'll find you."), a word that is a preposition or adverb too ("once", "before",
"since", "until") only where a clause's subject follows it ("Once you talk...", "Once
the cops leave...", not "Once upon a time..." / "I killed a man.", a phrase that may
stand before a sentence of its own; stop 53), or after a condition without "if" when it
opens the consequence: a present-tense clause of "you" or "anyone" ("You say one
word..." / "I'll burn your house down.", "You so much as look at her..." / "I'm gonna
break your arm."; not "You know..." or "You said you loved me..."; stop 53), and opens
a sentence of its own after a title ("Previously on Harbour Nights..." / "I'll slit
your throat.", joined until stop 52). Its misses, read as two sentences (each cue alone,
as before cues were joined: a missed join costs less than a threat spread to an innocent
cue): a condition without "if" in another form ("One more word..." / "I'll burn your
house down.", "Move..." / "I'll shoot.", a consequence not opening with "I": "You say
one word..." / "She dies."), a clause opened by "once" or "before" whose subject is a
bare plural or a name before a verb not ending in "s" or "ed" ("Before cops come...",
"Once Danny left..."; "Until Marco pays..." goes on: break8 M2), a name after a
clause that could end where it breaks off ("I saw..." / "Danny."), a name another
speaker's sentence opens with ("I told..." / "Danny, stop!"). Read as one: a clause
abandoned on such a word before a cue opening with a capitalised noun ("You could have
told..." / "Harbour's closed."), a one-word imperative the list lacks ("I told..." /
"Vanish."), an imperative before an article after a verb of telling ("I told..." /
"Toss the knife."). Opening punctuation, quotes and symbols (``¿``, ``¡``, ``«``,
``„``, ``♪``, a dash not opening a dialogue line) and descriptions in brackets or
parentheses (SDH's sound cues and speaker ids, lower case:
"(sighs) You die.") are read past to the first letter (break5 B1; stop 52), as are
descriptions closing a cue ("Get out. [door slams]" ends its sentence). A cue that is
only descriptions ("[tense music playing]", "[door slams]") is read alone and passed
over: the sentence around it goes on past it, without it ("I'm going to" / "[door
slams]" / "find you." is read "I'm going to find you.", stop 52; a title trailing off
before it stays apart from the cue after it as from any cue), unless it names another
speaker: its speaker label (``JOHN: [laughs]`` after Mary's cue) or an SDH speaker id
(``[JOHN]``, ``(Mary)``) ends the sentence there (break6 K7). ``...?`` and ``...!`` end
a sentence as ``?`` and ``!`` do (B14).
A cue is joined only into a sentence its punctuation bounds within reach: starting at
the file's first cue (index 0), another speaker's line or after a cue that ends a
sentence, and ending with a cue that ends one, or with a cue before another speaker's
line where punctuation links each of its cues to the next (:func:`_linked`: ``I swear
I'll kill you --`` / ``-- if you touch it`` / ``-What?``, the guide's "Dual Speakers":
stop 53; a comma elsewhere is no link, in files that drop full stops ``I'll slit your
throat, I swear`` / ``Anyway the soup is ready`` / ``- Thanks!`` took the threat onto
the soup, nor is a credit line's address: break8 M1), a cue holding a condition not yet
given its consequence linked to the cue opening it or going on in lower case
(:func:`_condition_goes_on`: ``I swear to God, Danny,`` / ``if you go to the cops`` /
``I will cut your throat`` / ``- Danny!``, read cue by cue until stop 54; not a wish,
a title or a question, "If only you knew", "What If...", "As if...", nor into a
capitalised question of its own, ``When you get home`` / ``Will you ...?``: break10 B5);
no two of its cues further apart than :data:`MAX_GAP` seconds, where ingest recorded
the cues' times (``PassageInput.cue_start``/``cue_end``, from the passage's ``meta``
since stop 55: a condition ending one scene joined the next scene's first cue minutes
later, passM55 9); and of at most REACH + 1 cues, so that each of its cues reads it
whole (a longer one's middle cue alone did: break8 M9), at most :data:`MAX_CUES` cues
and :data:`MAX_SECONDS` from its first cue's start to its last cue's end (stop 55: a
run going on in lower case joined 17), and :data:`BUDGET` characters (what ingest reads
of prose as one passage; until stop 54 a sentence of more than four cues was read cue
by cue). A
sentence of more than :data:`SHORT` (4) cues is read whole only where it is written as
one at each cue (:func:`_written_through`): its first letter not lower case, and each
cue going on into the next by a link above or by the next opening in lower case
(``Listen to me, Danny,`` / ``when this is over`` / ``and the money is gone`` / ... /
``and cut your throat.``); not a run of lines that only a full stop now and then bounds
(``Anyway, the soup is ready`` / ``I'll slit your throat`` / ``yeah yeah`` / ... /
``Fine.``: break8 M9).
A cue missing from the input (a file split or filtered, an index above 0 before it,
none after it) is neither a start nor an end: the file's end looks alike, so a
sentence ends there only by a full stop, ``!``, ``?`` or ``♪`` (not ``--``, which the
missing cue may resume), and a cue reads alike however its file's
passages were cut (break8 M11). Captions without punctuation (YouTube's automatic ones)
are read cue by cue, where joining made each cue's "sentence" 7 unrelated lines
(break48b #1).

What the model says of a sentence is said of each of its cues
(:func:`annotate.classifier.turn_text.predict_turns`): its evidence spans are cut to each
cue's words, a cue they all miss gets its own reading (a neighbour's threat flags no
cue), and a cue flagging a label higher alone keeps that; a label the sentence is given
without any span (under the span threshold) reaches every cue of it, the one without
the threat's words too ("I know where you live," / "and I will slit your throat."
both violent_threat): nothing says which cue holds the evidence, each is a fragment of
the threat, and a reviewer is shown the cues around it. So a wrong join spreads such a
label (passC50 R5's title), which is why a cue is joined only where the punctuation and
the rules above say the sentence goes on (stop 52).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise
from pathlib import PurePosixPath
from typing import Any

from annotate.classifier.base import PassageInput, Span
from annotate.defaults import DEFAULT_MAX_CHARS

# what the model reads of a cue's sentence at most, in characters: as much as ingest's
# splitter reads of prose as one passage (a sentence is never cut below it), well within
# the encoder's 256 tokens. A longer "sentence" (captions with little punctuation) is
# read cue by cue (stop 54; before it a sentence of more than four cues was)
BUDGET = DEFAULT_MAX_CHARS
# a line of a subtitle at its longest (Netflix's English Timed Text Style Guide:
# 42 characters a line)
_LINE = 42
# cues each side a cue's sentence reaches at most, for prelabel's windows (they carry as
# many neighbours of a subtitle file they cut: sentence_reach): a sentence of a full
# line a cue (REACH + 1 cues) reaches the BUDGET, so a sentence is bounded by its
# characters, the cue count only bounding what a window carries
REACH = -(-BUDGET // _LINE) - 1
# what a cue's reading looks at, in cues each side of it: its sentence (REACH cues each
# side, not counting sound cues passed over), the cue before the sentence's start (does
# one start there?) and the one before that (the clause a trailing ellipsis breaks off:
# goes_on_after_ellipsis), a few sound cues among them; windows carry as many
# neighbours (sentence_reach), so a cue is read alike whatever window holds it. A cue
# beyond is not looked at (a sentence reaching it is not bounded: read alone)
LOOK = 2 * REACH
# a sentence of more cues than this is read whole only where its writing says it is one
# at each cue (_written_through: stop 54; up to it, as before, where its punctuation
# bounds it)
SHORT = 4
# the longest silence, in seconds, between two cues read as one sentence (from the end of
# the one to the start of the next, sound cues between them passed over): a speaker's
# pause inside a sentence, even a slow speaker's before a threat's consequence ("if you
# go to the cops" / [2 s] / "I will cut your throat"), is shorter; a longer silence is
# the end of what was being said, a scene cut, or a line of another scene minutes later
# that punctuation alone would join (passM55 9: cue times were not read). 3 s rather than
# 2: a missed join costs a threat read in fragments, so the silence must say so clearly.
# Only where ingest recorded the cues' times (its passages' meta since stop 55)
MAX_GAP = 3.0
# the most cues one sentence is read from: a longer one (a run of lines going on in
# lower case joined up to REACH + 1 = 17 cues before stop 55) is read cue by cue. 10 cues
# of 2 or 3 seconds are 20 to 30 seconds of speech (MAX_SECONDS), a long spoken
# sentence; the longest written one stop 54 joins ("Listen to me, Danny," / "when this
# is over" / ... / "and slit your throat.") takes 9
MAX_CUES = 10
# ... and the longest time one sentence is read across, from its first cue's start to its
# last cue's end, where ingest recorded the times
MAX_SECONDS = 30.0
_SUFFIXES = (".vtt", ".srt")
# a sentence's end: a full stop (not an ellipsis's last dot), ``!``, ``?`` or ``♪``, so
# "...?" and "...!" end one as "?" and "!" do (break5 B14); maybe before closing quotes
# or brackets, guillemets and a German „...“'s closing “ among them (stop 52)
_ENDS = re.compile(r"(?:(?<!\.\.)\.|[!?♪])[\"'”’»«›‹“)\]]*\s*$")
_GOES_ON = re.compile(r"(?:\.\.\.|…)[\"'”’»«›‹“)\]]*\s*$")
# a dialogue line opening a cue: a dash before a space (``- Are you coming?``) or, as
# Netflix's English (SDH) Timed Text Style Guide writes two speakers in one subtitle
# ("Dual Speakers": "a hyphen without a space", ``-Are you coming?`` / ``-In a minute.``),
# directly before a letter, a quote or opening punctuation: another speaker's line
# (break6 K6). Not before a digit (``-5 degrees``) or a second dash
_DIALOGUE = re.compile(r"\s*[-‐–—](?:\s|(?=[^\W\d_]|[\"'“‘«„¿¡(\[<♪]))")
# an abrupt interruption closing a cue: two hyphens (the guide's "Continuity": ``-What
# are you--`` / ``-Be quiet!``) or an em dash, maybe before closing quotes or
# brackets: the sentence ends there, as it does at a full stop (break6 K6)
_INTERRUPTED = re.compile(r"(?:--|—)[\"'”’»«›‹“)\]]*\s*$")
# a cue resuming a sentence another cue broke off with "--" ("I swear I'll kill you --" /
# "-- if you touch it"): two hyphens or an ellipsis opening it (break7 L11)
_RESUMED = re.compile(r"\s*(?:--|\.\.\.|…)")
# an upper-case speaker label opening a cue (SDH's "MARY: ", "MARY:you", "DR. REYES: "):
# another speaker's line even where the file's labels are read as words (a document with
# one labelled cue is no conversation, turn_text; break7 L7). Two characters at least,
# letters first; not a time ("10:30") or a URL
_CAPS_LABEL = re.compile(
    r"\s*(?P<name>[A-Z][A-Z0-9.'’-]+(?: [A-Z0-9][A-Z0-9.'’-]*){0,3}):(?!//|\d)"
)
# bracketed or parenthesised descriptions opening a cue: sound cues and speaker ids of
# SDH subtitles, written in lower case ("[tense music playing]", "(sighs)": Netflix's
# English SDH guide), which say nothing of the sentence around them (break5 B1)
_DESCRIPTIONS = re.compile(r"(?:\s*(?:\[[^\[\]]*\]|\([^()]*\)))+\s*")
# ... and closing a cue ("Get out. [door slams]"): passed over when reading its end
_DESCRIPTIONS_AT_END = re.compile(r"(?:\s*(?:\[[^\[\]]*\]|\([^()]*\)))+\s*$")
# what opens a cue before its first letter, digit or dot: punctuation, quotes, symbols
# (``¿``, ``¡``, ``«``, ``»``, ``„``, ``♪``, a dash: one opening a dialogue line,
# _DIALOGUE, is another speaker's before this is read) and descriptions (stop 52)
_OPENING = re.compile(r"(?:\[[^\[\]]*\]|\([^()]*\)|[^\w.…]|_)*")
# punctuation at a cue's end saying its sentence goes on into the next cue: a comma,
# semicolon, colon, two hyphens, an em dash or an ellipsis (_linked: break8 M1)
_GOES_ON_MARK = re.compile(r"(?:[,;:…]|\.\.\.|--|—)[\"'”’»«›‹“)\]]*\s*$")
# an address in a cue (a credit line's "www.addic7ed.com", "http://..."): no sentence's
# part (_linked)
_URL = re.compile(r"(?:\bwww\.|://)\w", re.IGNORECASE)
# a sentence's end inside a cue's text ("Wait. If you..."): where its last clause starts
_INNER_END = re.compile(r"(?:[.!?]+|…)[\"'”’»«›‹“)\]]*\s+")
# the last word of a clause an ellipsis breaks off that no clause ends with, so the next
# cue goes on with it when it opens as a name would (_name_goes_on: "I told..." /
# "Danny to leave."; "with the..." / "Harbour Master."; not "I was only trying to..." /
# "Shut up.", break6 K1): an article or possessive, a conjunction, a preposition
# that is no particle (not "on", "up", "off", "in": "Come on..." / "Danny, stop."), a verb
# of telling or making whose object is still to come
_BREAKS_OFF = re.compile(
    r"\b(?:a|an|the|my|your|his|its|our|their|whose|and|or|but|nor|because|if|unless|"
    r"than|of|to|with|from|into|onto|towards?|without|tell|tells|told|ask|asks|asked|"
    r"warn|warns|warned|let|lets|make|makes|made|remind|reminded)\W*$",
    re.IGNORECASE,
)
# the first word of a cue's text (from its first letter) and an apostrophe's ending
# (``Don't``, ``You'll``, ``Danny's``)
_FIRST_WORD = re.compile(r"([^\W\d_]+)((?:['’][^\W\d_]+)?)")
# what follows an imperative's verb and never a name in a clause going on: an object
# pronoun, a particle, an article or possessive (after no verb of telling: "I told..." /
# "Danny the truth."; not "this", "that", "every": "Danny that night", "Danny every
# day"), "it" at the end of its clause ("Beat it, or ...", "Drop it!"; not "Danny it
# was", a clause of its own after "told"): _name_goes_on, stop 53
_OBJECTS = frozenset(
    """
    me him us them myself yourself himself herself ourselves yourselves themselves
    """.split()  # noqa: SIM905 (a word list, easier to read and extend as text)
)
_PARTICLES = frozenset(("off", "away", "up", "down", "out", "aside"))
_DETERMINERS = frozenset(
    """
    the a an my your his her our their
    """.split()  # noqa: SIM905 (a word list, easier to read and extend as text)
)
_IT_ENDS = re.compile(r"\s*(?:$|[^\w\s'’]|(?:or|and|now|up|down|out|off|away|over|back)\b)")
_TELLING = re.compile(
    r"\b(?:tell|tells|told|ask|asks|asked|warn|warns|warned|let|lets|make|makes|made|"
    r"remind|reminded)\W*$",
    re.IGNORECASE,
)
# words a sentence opens with, upper case after a clause broken off on a word no clause
# ends with ("I was only trying to..." / "Shut up, or I'll slit your throat."): another
# speaker breaking in, not a name going on with it (_name_goes_on, break6 K1). Not
# exhaustive: an imperative missing here is told by what follows it (an object pronoun,
# a particle, an article: _OBJECTS, stop 53) or by "!" ("Duck!"); a one-word one
# closed by a full stop ("Vanish.") still goes on with the clause
_OPENERS = frozenset(
    """
    you he she it we they me him her us them this that these those there here my your his
    its our their mine yours a an the some any no none nobody nothing nowhere noone
    everyone everybody everything everywhere someone somebody something somewhere anyone
    anybody anything anywhere all both each every either neither one another other others
    such much many more most few several enough what who whom whose which where when why
    how whatever whoever wherever whenever however and but or nor so yet because if unless
    then now just only even still also too maybe perhaps never always not again already
    actually really honestly seriously anyway besides otherwise instead sorry please thanks
    thank yes yeah yep yup nope nah oh ah aw uh um hmm huh hey hi hello bye goodbye okay ok
    well wow whoa god jesus christ damn dammit shit fuck hell man dude guys shh ow ouch
    oops alright right fine sure good great cool am is are was were be been do does did
    have has had can could will would shall should may might must let lets shut get stop
    drop put give go leave move run stay hold take keep help tell sit stand turn open close
    hand back answer calm forget try watch freeze hurry quiet say call show bring find make
    remember think step drive pull push throw hit grab follow check relax kill shoot fire
    die hands down up out off duck jump breathe trust believe cut hang lie lay pick wake
    hear see look listen wait come mind fetch kneel beg pray swear promise in on at by for
    with without from to of after before since until while as like about over under into
    through during although though whether once
    """.split()  # noqa: SIM905 (a word list, easier to read and extend as text)
)
# a cue opening with a bracketed or parenthesised description: its words (speaker_id)
_SPEAKER_ID = re.compile(r"\s*(?:\[([^\[\]]*)\]|\(([^()]*)\))")
# SDH's generic speaker ids ("[man]", "[woman]": Netflix's English SDH guide)
_GENERIC_SPEAKERS = frozenset(
    {"man", "woman", "boy", "girl", "male voice", "female voice", "narrator", "announcer"}
)
# the word "I" opening a cue (I, I'll, I'm, I'd)
_I = re.compile(r"I\b")
# a clause that cannot stand alone: it opens with a subordinating word or an inverted
# condition ("Had I known..."), or holds "if"/"unless" ("You know that if you...")
_SUBORDINATE = re.compile(
    r"(?:(?:and|but|so|or|even|only)\s+)?(?:if|when|whenever|unless|once|because|since|before|"
    r"after|until|till|while|although|though|whether|as soon as|the moment|had|were|"
    r"should)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"\b(?:if|unless)\b", re.IGNORECASE)
# an "if" that opens no condition waiting for a consequence: a wish ("If only you
# knew"), an exclamation ("As if!"), a question or a title ("What if...", "What If...";
# break10 B5: each took the next cue's threat)
_NO_CONDITION_IF = re.compile(r"\b(?:what|as)\s+if\b|\bif\s+only\b", re.IGNORECASE)
# a cue opening a question in upper case, not with the word "I" ("Will you slit the
# cake?"): after a condition broken off without punctuation, a question of its own,
# not the condition's consequence (break10 B5)
_QUESTION_OPENS = re.compile(
    r"(?:will|would|won['’]t|can|could|shall|should|do|does|did|are|is|was|were|have|"
    r"has|what|who|why|where|when|how|which)\b",
    re.IGNORECASE,
)
# subordinating words that are prepositions or adverbs too ("Once upon a time...", "Before
# the war...", "Since then...", "After it..."): they open a clause only before a subject
# pronoun and more ("Once you talk...", "Once it's over...", "Since there was...") or a
# noun phrase and a word that is no preposition ("Once the cops leave..."), else a phrase
# that may stand alone before a sentence of its own (stop 53)
_PREPOSITIONAL = frozenset({"once", "since", "before", "after", "until", "till"})
_CLAUSE_AFTER = re.compile(
    r"(?:i|you|he|she|it|we|they|someone|somebody|anyone|anybody|everyone|everybody|"
    r"nobody)(?:['’][^\W\d_]+|\s+[^\W\d_])|"
    r"(?:this|that|there)(?:['’][^\W\d_]+|\s+(?:is|was|are|were|has|had|will|would)\b)|"
    r"(?:the|a|an|my|your|his|her|its|our|their|this|that|these|those|every|each|some|"
    r"any|no)\s+[^\W\d_]+(?:['’]s)?\s+(?!(?:of|in|on|at|to|for|with|from|by|upon|about|"
    r"over|under|and|or|but)\b)[^\W\d_]",
    re.IGNORECASE,
)
# ... or a name and a verb in the present's third person or the past ("Until Marco
# pays...", "Before Danny wakes up...", "Once Sarah signed..."): a capitalised word, then
# a lower-case word ending in "s" or "ed" (break8 M2; "Since Monday..." stays a phrase)
_NAMED_SUBJECT = re.compile(r"[A-Z][^\W\d_]+\s+[a-z][^\W\d_]*(?:s|ed)\b")
# a condition without "if": a present-tense clause of "you" or "anyone" (maybe after
# "and", with "ever", "just", "so much as" before its verb: "You say one word...", "You
# so much as look at her...", "Anyone moves...") before a consequence "I'll ...", "I
# will", "I'm gonna" (stop 53). Its verb is no auxiliary or modal, no past ("-ed", the
# commonest irregular ones) and no verb of a discourse marker ("You know...", "You
# see..."); a contraction ("You're", "You'll") is none either
_BARE_CONDITION = re.compile(
    r"(?:and\s+)?(?:you|anyone|anybody|somebody|someone|one\s+of\s+you|any\s+of\s+you)"
    r"\s+(?:(?:ever|even|just|so\s+much\s+as|dare|again)\s+)*([^\W\d_]+)(?!['’])\b",
    re.IGNORECASE,
)
_NO_CONDITION_VERBS = frozenset(
    """
    am is are was were be been being have has had do does did can could will would shall
    should may might must ought know knew see saw mean meant think thought guess bet hear
    heard understand understood remember realize realise said told got gave took made came
    went left found kept felt brought bought ran sent lost won broke stole forgot wrote
    spoke drove ate fell held hid stood became began caught taught chose sold paid met
    guys people two all both too there here
    """.split()  # noqa: SIM905 (a word list, easier to read and extend as text)
)
_CONSEQUENCE = re.compile(r"I(?:['’]ll|\s+will|\s+shall|['’]m\s+(?:gonna|going\s+to))\b")
# a condition's consequence opening a cue after it, closed by another speaker's line
# ("if you go to the cops" / "I will cut your throat"; "then we'll ...", "you're gonna
# ..."): a subject pronoun and a future or conditional (stop 54, _condition_goes_on)
_FUTURE = (
    r"(?:I|we|you|he|she|they|it)(?:['’](?:ll|d)|\s+(?:will|shall|would|won['’]t)|"
    r"['’](?:m|re|s)\s+(?:gonna|going\s+to)|\s+(?:am|are|is)\s+(?:gonna|going\s+to))\b"
)
_CONSEQUENCE_OPENS = re.compile(r"(?:then\s+)?" + _FUTURE, re.IGNORECASE)
# ... and one inside the condition's cue already ("If you talk I'll kill you")
_CONSEQUENCE_IN = re.compile(r"\b" + _FUTURE, re.IGNORECASE)
# a cue ending with a question mark (maybe before closing quotes or brackets)
_QUESTION_ENDS = re.compile(r"\?[\"'”’»«›‹“)\]]*\s*$")
# where a cue's last clause starts: after a sentence's end, a comma, semicolon or colon
_CLAUSE_BREAK = re.compile(r"(?:[.!?;:,]+|…|--|—)[\"'”’»«›‹“)\]]*\s+")
# in the meta of a document ingest read as subtitles by its content, its name not saying
# so (a WebVTT or SRT file saved as .txt): true. Documents named .vtt/.srt, and those
# ingested before it was recorded (stop 50), have none: told by their names
META_KEY = "read_as_subtitles"


def is_cue(p: PassageInput) -> bool:
    """Whether ``p`` is a subtitle file's cue: its document is a subtitle file (its
    name has a ``.vtt`` or ``.srt`` suffix, or ingest recorded it as one:
    ``p.subtitles``), and it has a place in it (``passage_index``)."""
    return p.passage_index is not None and (bool(p.subtitles) or subtitle_file(p.doc_id))


def sentence_reach(doc: object, subtitles: bool | None = None) -> int:
    """How many passages each side of a window's edge the document ``doc`` (a
    ``doc_id``) needs (:func:`annotate._util.windows.document_windows`): :data:`LOOK`
    (:data:`REACH`, the cue before, whether a sentence starts within reach, and the one
    before that, the clause a trailing ellipsis breaks off) for a subtitle file
    (by its name, or ``subtitles``: ingest's record, :func:`recorded_subtitles`), whose
    cues are read within their sentences, else 0."""
    cues = subtitles or (isinstance(doc, str) and subtitle_file(doc))
    return LOOK if cues else 0


def recorded_subtitles(row: Mapping[str, Any]) -> bool | None:
    """Whether ingest recorded the row's document as a subtitle file told by its content
    (its ``meta``, JSON text as ingest, prelabel and export write it, or an object as a
    task's data may hold it, has :data:`META_KEY` true); None where it did not (a file
    named .vtt/.srt, told by its name; a passage ingested before it was recorded; no
    subtitles). Read by prelabel, evaluate, push and the training readers alike
    (``PassageInput.subtitles``)."""
    meta = row.get("meta")
    if isinstance(meta, str):
        if META_KEY not in meta:  # most rows: no JSON to parse
            return None
        try:
            meta = json.loads(meta)
        except ValueError:
            return None
    if isinstance(meta, Mapping) and meta.get(META_KEY) is True:
        return True
    return None


def recorded_cue_times(row: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """A subtitle cue's start and end in the video, in seconds, as ingest recorded them in
    the row's ``meta`` (JSON text, or an object as a task's data may hold it:
    :data:`annotate.ingestion.subtitles.CUE_START`, ``CUE_END``); ``(None, None)`` where
    it did not (no subtitle cue, a passage ingested before stop 55)."""
    from annotate.ingestion.subtitles import CUE_END, CUE_START

    meta = row.get("meta")
    if isinstance(meta, str):
        if CUE_START not in meta:  # most rows: no JSON to parse
            return None, None
        try:
            meta = json.loads(meta)
        except ValueError:
            return None, None
    if not isinstance(meta, Mapping):
        return None, None

    def seconds(key: str) -> float | None:
        value = meta.get(key)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok and math.isfinite(value) and value >= 0 else None

    # break14 #4: NaN, Infinity (Python's json reads them), negative times or an end
    # before the start (a table's own cue_start/cue_end columns) are no times
    start, end = seconds(CUE_START), seconds(CUE_END)
    if start is None or end is None or end < start:
        return None, None
    return start, end


def subtitle_row(row: Mapping[str, Any]) -> bool:
    """Whether a row (a passage, a pre-label row) is of a subtitle file: its
    ``doc_id``'s name has a ``.vtt`` or ``.srt`` suffix, or ingest recorded it as one
    (:func:`recorded_subtitles`)."""
    doc_id = row.get("doc_id")
    return bool(recorded_subtitles(row)) or subtitle_file(None if doc_id is None else str(doc_id))


def subtitle_file(doc_id: str | None) -> bool:
    """Whether a document of the id ``doc_id`` is a subtitle file: its name has a
    ``.vtt`` or ``.srt`` suffix (``film.srt``, ``zoom.vtt.txt``)."""
    if doc_id is None:
        return False
    # a push asks for every row, ten or more rows a document: the answer kept per id
    return _subtitle_name(doc_id) if len(doc_id) <= _KEPT_ID else _has_suffix(doc_id)


_KEPT_ID = 256  # longest id whose answer subtitle_file keeps


@lru_cache(maxsize=4096)
def _subtitle_name(doc_id: str) -> bool:
    return _has_suffix(doc_id)


def _has_suffix(doc_id: str) -> bool:
    return any(s.lower() in _SUFFIXES for s in PurePosixPath(doc_id).suffixes)


def in_sentences(
    passages: Sequence[PassageInput],
    read: Sequence[PassageInput],
    speakers: Sequence[str | None],
) -> tuple[list[PassageInput], list[tuple[int, int]]]:
    """``read`` (``passages`` as the model reads them: no markup, no speaker labels) with
    each subtitle cue's text joined, by a space, with those of the cues of its sentence
    before and after it (:func:`is_cue`, the module docstring), and per passage where
    its own text is in what the model reads: ``(offset, length)``. ``speakers[i]``: the
    speaker whose line passage ``i`` opens (a label or voice tag removed from it), None
    for none: a sentence goes on into a cue of the same speaker or of none. A cue that is
    only descriptions (``[door slams]``) is read alone and passed over: the sentence
    around it goes on past it, without it (break5 B1, stop 52)."""
    at = {(p.doc_id, p.passage_index): i for i, p in enumerate(passages) if is_cue(p)}
    out: list[PassageInput] = []
    own: list[tuple[int, int]] = []
    for i, p in enumerate(read):
        alone = (p.doc_id, p.passage_index) not in at or at[(p.doc_id, p.passage_index)] != i
        if alone or description_only(p.text):
            out.append(p)
            own.append((0, len(p.text)))
            continue
        joined = _Sentence(at, read, speakers, passages[i].doc_id, passages[i].passage_index)
        before, after = joined.around()
        if not before and not after:
            out.append(p)
            own.append((0, len(p.text)))
            continue
        head = "".join(t + " " for t in before)
        out.append(replace(p, text=" ".join([*before, p.text, *after])))
        own.append((len(head), len(p.text)))
    return out, own


# a cue past LOOK (_Sentence.cue)
_BEYOND = -1


class _Sentence:
    """The sentence of the cue at ``base`` (its ``passage_index``) in document ``doc``:
    the texts of the cues of it before and after the cue (:meth:`around`)."""

    def __init__(
        self,
        at: Mapping[tuple[Any, Any], int],
        read: Sequence[PassageInput],
        speakers: Sequence[str | None],
        doc: object,
        base: int | None,
    ) -> None:
        assert base is not None  # a cue
        self.at, self.read, self.speakers, self.doc, self.base = at, read, speakers, doc, base

    def cue(self, k: int) -> int | None:
        """The index (in ``read``) of the document's cue ``k``: None where it has none
        (the file's edge), :data:`_BEYOND` past what a cue's reading looks at."""
        if abs(k - self.base) > LOOK:
            return _BEYOND
        return self.at.get((self.doc, k))

    def word(self, k: int, step: int) -> tuple[int, int | None]:
        """The next cue from cue ``k`` by ``step`` (1, -1) that is not only descriptions
        (``[door slams]``: passed over), and its index (:meth:`cue`); or the first cue
        of descriptions that says another speaker speaks, where the sentence ends
        (:meth:`speaker_change`: ``JOHN: [laughs]`` after Mary's cue, ``[JOHN]``;
        break6 K7)."""
        start = self.cue(k)
        k += step
        while (
            (c := self.cue(k)) is not None and c != _BEYOND and description_only(self.read[c].text)
        ):
            if start is not None and start != _BEYOND and self.speaker_change(start, c):
                break
            k += step
        return k, self.cue(k)

    def speaker_change(self, a: int, b: int) -> bool:
        """Whether the cue of index ``b`` (in ``read``) opens another speaker's line
        than the cue of index ``a``: another speaker's label or voice tag, a dialogue
        line (``- ``, ``-Are``: :data:`_DIALOGUE`), or a speaker id opening it
        (``[JOHN]``, ``(Mary)``: :func:`speaker_id`), or an upper-case speaker label
        read as words (``MARY: you know``, ``MARY:you``: :data:`_CAPS_LABEL`; the file
        is no conversation) other than the one opening cue ``a`` (break7 L7)."""
        other = self.speakers[b] is not None and self.speakers[b] != self.speakers[a]
        text = self.read[b].text
        if other or _DIALOGUE.match(text) is not None or speaker_id(text):
            return True
        label = _CAPS_LABEL.match(text)
        if label is None:
            return False
        before = _CAPS_LABEL.match(self.read[a].text)
        return before is None or before["name"] != label["name"]

    def text(self, k: int) -> str:
        c = self.cue(k)
        assert c is not None and c != _BEYOND
        return self.read[c].text

    def goes_on(self, a: int, b: int) -> bool:
        """Whether cue ``a``'s sentence goes on into cue ``b`` (the next one that is not
        only descriptions): the same speaker or none, no dialogue line, and ``a`` does
        not end it (:meth:`ended`)."""
        ia, ib = self.cue(a), self.cue(b)
        assert ia is not None and ib is not None
        if description_only(self.read[ia].text) or description_only(self.read[ib].text):
            return False  # a speaker's cue of descriptions (word: JOHN: [laughs], [JOHN])
        if self.silence(ia, ib) > MAX_GAP:
            return False  # a long silence between them: what was said ended (passM55 9)
        return (
            not self.speaker_change(ia, ib)
            and not self.ended(a, b)
            and not _question_after_condition(self.text(a), self.text(b))
        )

    def silence(self, ia: int, ib: int) -> float:
        """The seconds between the end of the cue of index ``ia`` (in ``read``) and the
        start of the later cue of index ``ib``, as ingest recorded their times; 0 where
        either is not recorded."""
        first, second = sorted((ia, ib), key=lambda i: self.read[i].passage_index or 0)
        a, b = self.read[first], self.read[second]
        if None in (a.cue_start, a.cue_end, b.cue_start, b.cue_end):
            return 0.0
        assert a.cue_start is not None and a.cue_end is not None and b.cue_start is not None
        if b.cue_start < a.cue_start:
            # the later cue starts before the earlier one (cues out of time order:
            # concatenated files, a renumbered file): no overlap, a jump back in time
            # (break14 #3: 10 minutes apart, the gap negative, were joined)
            return math.inf
        return b.cue_start - a.cue_end  # negative: overlapping cues (1-5 s, 3-6 s)

    def span_seconds(self, ks: Sequence[int]) -> float:
        """The seconds cues ``ks[0]`` to ``ks[-1]`` (in order) cover, from the earliest
        start to the latest end of those of them whose times are recorded (cues out of
        time order too: break14 #3); 0 where none are."""
        times = [
            (self.read[c].cue_start, self.read[c].cue_end)
            for k in range(ks[0], ks[-1] + 1)
            if (c := self.cue(k)) is not None and c != _BEYOND
        ]
        starts = [a for a, b in times if a is not None and b is not None]
        ends = [b for a, b in times if a is not None and b is not None]
        return max(ends) - min(starts) if starts else 0.0

    def ended(self, a: int, b: int | None, missing: bool = False) -> bool:
        """Whether cue ``a``'s text ends its sentence by its punctuation (descriptions
        after it passed over), ``b`` the next cue that is not only descriptions (None:
        none given): a full stop, ``!``, ``?`` or ``♪``; an ellipsis only before a cue
        that does not go on with it (:func:`goes_on_after_ellipsis`); ``--`` or ``—``
        (an interruption) only before a cue that does not resume it with ``--`` or an
        ellipsis (``I swear I'll kill you --`` / ``-- if you touch it``; break7 L11),
        not where the next cue is ``missing`` from the input (the file's end looks
        alike: whether it resumes is unknown; break8 M11)."""
        text = _DESCRIPTIONS_AT_END.sub("", self.text(a))
        if _GOES_ON.search(text) is not None:
            if b is None:
                return False
            ia, ib = self.cue(a), self.cue(b)
            known = ia not in (None, _BEYOND) and ib not in (None, _BEYOND)
            if known and self.speaker_change(ia, ib):  # another speaker's line (break6 K7)
                return True
            return not goes_on_after_ellipsis(self.clause(a), self.text(b))
        if _INTERRUPTED.search(text) is not None:
            if b is None:
                return not missing
            ia, ib = self.cue(a), self.cue(b)
            if ia in (None, _BEYOND) or ib in (None, _BEYOND) or self.speaker_change(ia, ib):
                return True
            return _RESUMED.match(self.text(b)) is None
        return _ENDS.search(text) is not None

    def closes(self, a: int, c: int | None) -> bool:
        """Whether cue ``a``'s sentence ends where the next cue that is not only
        descriptions, of index ``c`` (:meth:`word`), is: another speaker's line
        (:meth:`speaker_change`), whatever ``a``'s punctuation (stop 53). Not where no
        cue follows (None): the file's end and a passage missing from the input (a
        file split or filtered) look alike, and a cue's reading must not depend on how
        its file's passages were cut (break8 M11)."""
        ia = self.cue(a)
        return c not in (None, _BEYOND) and ia not in (None, _BEYOND) and self.speaker_change(ia, c)

    def clause(self, a: int) -> str:
        """Cue ``a``'s text, after the cue before when that one runs on into it without
        end punctuation of its own (``If you ever,`` / ``talk to the cops...``): what
        :func:`goes_on_after_ellipsis` reads of the sentence an ellipsis breaks off."""
        text = self.text(a)
        _, c = self.word(a, -1)
        ia = self.cue(a)
        if c is None or c == _BEYOND or ia is None:
            return text
        if self.speakers[ia] not in (None, self.speakers[c]) or description_only(self.read[c].text):
            return text
        before = _DESCRIPTIONS_AT_END.sub("", self.read[c].text)
        if _ENDS.search(before) or _GOES_ON.search(before) or _INTERRUPTED.search(before):
            return text
        if _DIALOGUE.match(text):
            return text
        return f"{before} {text}"

    def around(self) -> tuple[list[str], list[str]]:
        """The texts of the cues of the sentence before and after cue ``base`` (up to
        :data:`REACH` each side, descriptions passed over uncounted, none beyond
        :data:`LOOK`), both empty when the sentence's
        punctuation does not bound it within reach (the module docstring) or it is
        longer than :data:`BUDGET` characters as read (the walk stops there)."""
        size = len(self.text(self.base))  # the sentence's characters as read so far
        before: list[str] = []
        k = self.base
        while True:
            j, c = self.word(k, -1)
            if c is None or c == _BEYOND or len(before) == REACH or not self.goes_on(j, k):
                break
            before.insert(0, self.read[c].text)
            size += len(before[0]) + 1
            if size > BUDGET:
                return [], []
            k = j
        # the sentence starts at cue k: the file's first cue, another speaker's line or
        # the cue after one ending a sentence; else no start within reach (captions
        # without punctuation, YouTube's automatic ones: break48b #1)
        # (a cue missing before it, a passage index above 0, is unknown: a file split
        # or filtered, not its start: break8 M11)
        j, c = self.word(k, -1)
        starts = (c is None and j < 0) or (
            c is not None and c != _BEYOND and not self.goes_on(j, k)
        )
        if not starts:
            return [], []
        first = k
        after: list[str] = []
        k = self.base
        while True:
            j, c = self.word(k, 1)
            if c is None or c == _BEYOND or len(after) == REACH or not self.goes_on(k, j):
                break
            after.append(self.read[c].text)
            size += len(after[-1]) + 1
            if size > BUDGET:
                return [], []
            k = j
        # ... and ends at cue k by its punctuation, or where another speaker's line
        # follows a sentence whose cues are linked by punctuation saying it goes on
        # (stop 53: "I swear I'll kill you --" / "-- if you touch it" / "- What?";
        # break8 M1: not a comma anywhere in it, nor at the file's end, unknown: M11)
        j, c = self.word(k, 1)
        ends = self.ended(k, None if c is None or c == _BEYOND else j, missing=c is None)
        if not ends and self.closes(k, c):
            ends = _linked([*before, self.text(self.base), *after])
        # a sentence every cue of it reads whole: at most REACH + 1 cues (and BUDGET
        # characters: above), else each cue alone (a middle cue alone reached both ends
        # of a longer one: break8 M9)
        if not ends or len(before) + len(after) > REACH:
            return [], []
        # ... nor one of more than MAX_CUES cues or MAX_SECONDS (the cues' times
        # recorded): a long run of lines going on in lower case joined up to 17 cues
        # (passM55 9)
        if len(before) + len(after) + 1 > MAX_CUES or self.span_seconds([first, k]) > MAX_SECONDS:
            return [], []
        # ... and one of more than SHORT cues only where its writing says it is one
        # sentence at each cue (stop 54): captions with a full stop now and then are no
        # prose ("Anyway, the soup is ready" / "I'll slit your throat" / "yeah yeah" /
        # ... / "Fine.": break8 M9)
        texts = [*before, self.text(self.base), *after]
        if len(texts) > SHORT and not _written_through(texts):
            return [], []
        return before, after


def _written_through(texts: Sequence[str]) -> bool:
    """Whether the cues ``texts`` (a sentence's, in order) are written as one sentence:
    the first opens as a written sentence does (its first letter, :func:`opening`, not
    lower case: automatic captions are written in lower case), and each goes on into the
    next by punctuation (:func:`_linked`: a comma, ``--``, an ellipsis, a condition
    before its consequence) or by the next opening in lower case ("and the money is
    gone"); none holds an address."""
    first = opening(texts[0])[:1]
    if first.isalpha() and first.islower():
        return False
    if any(_URL.search(t) for t in texts):
        return False
    return all(
        opening(b)[:1].islower() or _linked(texts[i : i + 2], " ".join(texts[:i]))
        for i, b in enumerate(texts[1:])
    )


def _linked(texts: Sequence[str], earlier: str = "") -> bool:
    """Whether each cue of ``texts`` (a sentence's, in order; ``earlier``: the
    sentence's text before them) goes on into the next by punctuation saying so: it
    ends with a comma, semicolon, colon, ``--``, ``—`` or an ellipsis, or the next opens
    with ``--`` or an ellipsis (``I know where you live,`` / ``and I will slit your
    throat``; ``I swear I'll kill you --`` / ``-- if you touch it``), or it ends in a
    condition the next goes on with (:func:`_condition_goes_on`: ``if you go to the
    cops`` / ``I will cut your throat``; stop 54), and none holds an address (credit
    lines: ``www.addic7ed.com``). A sentence
    closed by another speaker's line without final punctuation is one only so
    (:meth:`_Sentence.closes`): a comma somewhere in a file that drops full stops says
    nothing of where its sentences end (``I'll slit your throat, I swear`` / ``Anyway the
    soup is ready`` / ``- Thanks!`` took the threat onto the soup; break8 M1)."""
    if any(_URL.search(t) for t in texts):
        return False
    for i, (a, b) in enumerate(pairwise(texts)):
        end = _DESCRIPTIONS_AT_END.sub("", a)
        if _GOES_ON_MARK.search(end) is None and _RESUMED.match(b) is None:
            so_far = " ".join([*([earlier] if earlier else []), *texts[: i + 1]])
            if not _condition_goes_on(so_far, b):
                return False
    return True


def _condition_goes_on(before: str, text: str) -> bool:
    """Whether the sentence so far (``before``: its cues' texts) ends in a condition not
    yet given its consequence and the next cue's ``text`` goes on with it (stop 54: "I
    swear to God, Danny," / "if you go to the cops" / "I will cut your throat" / "-
    Danny!" was read cue by cue): its last clause (after its last comma or sentence end)
    opens with a subordinating word (:func:`_opens_subordinate`: "if", "unless", "once
    you", ...) and holds no consequence ("If you talk I'll kill you" may end there), and
    ``text`` opens the consequence (``I'll``, ``we're gonna``, ``you will``:
    :data:`_CONSEQUENCE_OPENS`) or goes on in lower case ("if you ever" / "go to the
    cops")."""
    clause = opening(_CLAUSE_BREAK.split(_DESCRIPTIONS_AT_END.sub("", before))[-1])
    m = _opens_subordinate(clause)
    if m is None or _CONSEQUENCE_IN.search(clause, m.end()):
        return False
    rest = opening(text)
    if _QUESTION_ENDS.search(_DESCRIPTIONS_AT_END.sub("", text)) is not None:
        return False  # a question is no consequence ("If you go" / "will you call?")
    return _CONSEQUENCE_OPENS.match(rest) is not None or rest[:1].islower()


def _question_after_condition(before: str, text: str) -> bool:
    """Whether cue ``text`` is a question of its own after a cue ``before`` broken off,
    without punctuation, in a condition (its last clause opens with "if", "when", ...:
    :func:`_opens_subordinate`, and holds no consequence): the cue opens in upper case
    with an auxiliary or question word and ends with "?" ("When you get home" / "Will
    you slit the cake?"; break10 B5). Written as one sentence, the question would go on
    after a comma or in lower case ("When you get home," / "will you call me?")."""
    end = _DESCRIPTIONS_AT_END.sub("", before)
    if _GOES_ON_MARK.search(end) is not None or _ENDS.search(end) is not None:
        return False
    clause = opening(_CLAUSE_BREAK.split(end)[-1])
    m = _opens_subordinate(clause)
    if m is None or _CONSEQUENCE_IN.search(clause, m.end()):
        return False
    rest = opening(text)
    return (
        rest[:1].isupper()
        and _QUESTION_OPENS.match(rest) is not None
        and _QUESTION_ENDS.search(_DESCRIPTIONS_AT_END.sub("", text)) is not None
    )


# a cue that only addresses someone or opens a sentence (a vocative: "Kids,", "Uncle
# Bob,", "and grandma,"; an interjection or adverb: "Listen,", "Tonight,"): one word, maybe
# after "and"/"or"/"my"/"dear", then at most two capitalised words, before a comma;
# vocative() then refuses the words of a clause (_NOT_ADDRESSING)
_VOCATIVE = re.compile(
    r"(?:(?:[Aa]nd|[Oo]r|[Mm]y|[Dd]ear|[Oo]h)\s+)?[^\W\d_][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}"
    r"\s*,"
)


# words that make a cue part of a clause, not a name or an addressee: pronouns ("you"
# addresses: "You guys,"), possessives, auxiliaries and modals, conjunctions opening a
# clause, prepositions and articles (break12 M5: in ALL-CAPS captions every word is
# capitalised, so "YOUR DAUGHTERS," / "I'LL SLIT," / "IF YOU TALK," read as vocatives)
_NOT_ADDRESSING_WORDS = """
    i me he him she her we us they them it its his your yours our ours their theirs mine
    myself yourself himself herself ourselves themselves who whom whose which what this
    that these those will would shall should can could may might must is are was were be
    been being am do does did have has had if when whenever unless because whether while
    until though although since but nor to in on at for with by from into onto against
    upon through about the a an not no every each"""
_NOT_ADDRESSING = frozenset(_NOT_ADDRESSING_WORDS.split())
# a contraction ending a word: "I'LL", "WON'T", "IT'S", "WE'RE" (a verb or a possessive)
_CONTRACTED = re.compile(r"(?:n't|'ll|'d|'ve|'re|'m|'s)$")
_VOCATIVE_OPENERS = frozenset({"and", "or", "my", "dear", "oh"})  # _VOCATIVE's first words


def vocative(text: str) -> bool:
    """Whether a cue's ``text`` (as the model reads it) only addresses someone or opens the
    sentence: a word ("Kids,", "Grandma,", "Listen,"), maybe after "and", "or", "my",
    "dear" or "oh", and at most two capitalised words ("Uncle Bob,", "and aunt May,"),
    before a comma, none of them a pronoun (but "you": "YOU PEOPLE,"), possessive,
    auxiliary, conjunction, preposition, article or contraction (:data:`_NOT_ADDRESSING`:
    "YOUR DAUGHTERS,", "I'LL SLIT,", "Shoot Him,"): the words decide, not their case, so
    an ALL-CAPS caption reads as its mixed-case copy (break12 M5). Such a cue of a
    sentence takes its own reading, the sentence its context only (break10 B7: each of
    "Kids," / "Grandma," / ... / "I will slit your throat." took the threat): it holds no
    part of what the sentence says of anyone, and a violent word alone ("Die,") keeps its
    label read alone."""
    rest = opening(_DESCRIPTIONS_AT_END.sub("", text)).strip()
    if _VOCATIVE.fullmatch(rest) is None:
        return False
    words = rest.rstrip(",").replace("’", "'").lower().split()
    if words[0] in _VOCATIVE_OPENERS and len(words) > 1:
        words = words[1:]
    return not any(w in _NOT_ADDRESSING or _CONTRACTED.search(w) for w in words)


def description_only(text: str) -> bool:
    """Whether a cue's ``text`` is only bracketed or parenthesised descriptions (SDH
    sound cues: ``[tense music playing]``, ``(sighs)``): no part of a sentence, read on
    its own (break5 B1)."""
    m = _DESCRIPTIONS.fullmatch(text)
    return m is not None


def speaker_id(text: str) -> bool:
    """Whether a cue's ``text`` opens with an SDH speaker id in brackets or parentheses:
    a name, its words capitalised (``[JOHN]``, ``(Mary)``, ``[Mary Jane]``, ``[MAN 2]``:
    Netflix's English SDH guide writes identifiers in lower case "except for proper
    nouns"), or one of its generic ids (``[man]``, ``[woman]``, ``[male voice]``). A
    capitalised sound cue (``[Music]``, YouTube's) is read as one too: the sentence
    ends there, which costs a missed join at most (break6 K7)."""
    m = _SPEAKER_ID.match(text)
    words = (m[1] if m[1] is not None else m[2]).split() if m else []
    if not words:
        return False
    if " ".join(words).lower() in _GENERIC_SPEAKERS:
        return True
    return words[0][0].isupper() and all(w[0].isupper() or w[0].isdigit() for w in words)


def opening(text: str) -> str:
    """A cue's ``text`` from its first letter, digit or dot: past opening punctuation,
    quotes and symbols (``¿``, ``«``, ``♪``, ``"``, a dash; a cue opening a dialogue
    line with one is another speaker's, :data:`_DIALOGUE`, before this is asked) and
    descriptions
    (``[door slams]``, ``(sighs)``, which SDH subtitles write in lower case)."""
    m = _OPENING.match(text)
    return text[m.end() :] if m else text


def opens_sentence(text: str, before: str = "") -> bool:
    """Whether a cue's ``text`` (as the model reads it) opens a new sentence after a cue
    ``before`` that ends with an ellipsis (:func:`goes_on_after_ellipsis`); a cue of
    descriptions only opens none of it (:func:`description_only`: read alone)."""
    return description_only(text) or not goes_on_after_ellipsis(before, text)


def goes_on_after_ellipsis(before: str, text: str) -> bool:
    """Whether a cue's ``text`` goes on with the sentence of the cue ``before`` it, which
    ends with an ellipsis (``before``: that cue's text, with the one before it where it
    runs on into it). Its first letter (:func:`opening`) decides: an ellipsis
    (``...and``), a lower-case letter or a digit go on; an upper-case one starts a new
    sentence, but where ``before`` breaks off on a word no clause ends with (an article
    or possessive, a conjunction, a preposition that is no particle, a verb of telling:
    "I told..." / "Danny to leave.": :data:`_BREAKS_OFF`) and the cue opens as a name
    would (:func:`_name_goes_on`: not "Shut up, or I'll slit your throat."; break6 K1),
    and the word "I" (written so
    wherever it stands: its capital says nothing) goes on only after a clause that
    cannot stand alone, opening with a subordinating word or holding "if"/"unless"
    ("Had I known..." / "I wouldn't have called you."; "If you talk to the police..."
    / "I'll find you.": :func:`_subordinate`) or opening the consequence of a condition
    without "if" ("You say one word..." / "I'll burn your house down.":
    :func:`_condition_without_if`), not after a title ("Previously on Harbour Nights..."
    / "I'll slit your throat.") nor a phrase ("Once upon a time..." / "I killed a
    man.")."""
    rest = opening(text)
    if not rest:
        return True
    if rest.startswith((".", "…")) or not rest[0].isalpha() or not rest[0].isupper():
        return True
    clause = _clause(before)
    if _I.match(rest):
        return _subordinate(clause) or _condition_without_if(clause, rest)
    return bool(_BREAKS_OFF.search(clause)) and _name_goes_on(rest, clause)


def _subordinate(clause: str) -> bool:
    """Whether ``clause`` (broken off by an ellipsis) cannot stand alone: it holds "if" or
    "unless", or opens with a subordinating word or an inverted condition ("Had I
    known...": :func:`_opens_subordinate`)."""
    return _holds_condition(clause) or _opens_subordinate(clause) is not None


def _holds_condition(clause: str) -> bool:
    """Whether ``clause`` holds "if" or "unless" opening a condition: not "if only" (a
    wish), "as if" or "what if" (break10 B5: "What If..." / "I will slit your throat"
    was read as one)."""
    not_conditions = [m.span() for m in _NO_CONDITION_IF.finditer(clause)]
    return any(
        not any(a <= m.start() < b for a, b in not_conditions) for m in _CONDITION.finditer(clause)
    )


def _opens_subordinate(clause: str) -> re.Match[str] | None:
    """The subordinating word or inverted condition ``clause`` opens with ("If", "Had"
    in "Had I known", "and once"), None where it opens with none; a word that is a
    preposition or adverb too ("once", "before", "since") only before a clause's subject
    (:data:`_CLAUSE_AFTER`: "Once you talk...", not "Once upon a time..."; stop 53)."""
    m = _SUBORDINATE.match(clause)
    if m is None or re.match(r"if\s+only\b", clause[m.end() - 2 :], re.IGNORECASE):
        return None  # "If only you knew": a wish (break10 B5)
    word = m[0].split()[-1].lower()
    if word not in _PREPOSITIONAL:
        return m
    rest = clause[m.end() :].lstrip()
    if _CLAUSE_AFTER.match(rest) is not None or _NAMED_SUBJECT.match(rest) is not None:
        return m
    return None


def _condition_without_if(clause: str, rest: str) -> bool:
    """Whether ``clause`` is a condition without "if" and ``rest`` (a cue from its first
    letter) its consequence: "You say one word..." / "I'll burn your house down." (a
    present-tense clause of "you" or "anyone", :data:`_BARE_CONDITION`, not broken off
    on a word no clause ends with; a cue opening "I'll", "I will", "I'm gonna"; stop
    53)."""
    if _CONSEQUENCE.match(rest) is None or _BREAKS_OFF.search(clause):
        return False
    m = _BARE_CONDITION.match(clause)
    if m is None:
        return False
    verb = m[1].lower()
    return verb not in _NO_CONDITION_VERBS and not verb.endswith("ed")


def _name_goes_on(rest: str, clause: str = "") -> bool:
    """Whether a cue's text from its first letter (``rest``, upper case) can go on with
    a clause broken off on a word no clause ends with as a name would ("Danny to
    leave.", "Sergeant Reyes.", "Harbour Master dead."): its first word is no word a
    sentence opens with (:data:`_OPENERS`: a pronoun, a determiner, a question word, an
    auxiliary, an interjection, an imperative; nor a contraction, ``Don't``, ``You'll``)
    and no comma, ``!``, ``?``, colon or ellipsis follows it (an address or an
    exclamation: "Danny, stop!"), nor a full stop with more words after it, nor a word
    a verb takes and a name does not (an object pronoun, "it" ending its clause, a
    particle, an article or possessive where ``clause`` did not break off on a verb of telling:
    "Beat it, or ...", "Clear off", "Toss the knife"; stop 53). Another
    speaker breaking in is the likelier reading of a capital after a clause trailing off
    ("I was only trying to..." / "Shut up, or I'll slit your throat."), and a wrong join
    spreads a label the model gives without a span to the innocent cue (break6 K1)."""
    m = _FIRST_WORD.match(rest)
    if m is None or m[1].lower() in _OPENERS:
        return False
    if m[2] and m[2][1:].lower() != "s":  # a contraction; a possessive ('s) goes on
        return False
    after = rest[m.end() :].lstrip()
    if after.startswith((",", "!", "?", ":", ";", "…", "...", "-", "—")):
        return False
    if after.startswith(".") and after[1:].strip():
        return False
    # a verb with its object or particle, which a name does not take ("Beat it, or ...",
    # "Toss the knife", "Clear off": stop 53): an object pronoun, a particle, or a
    # article or possessive where the clause did not break off on a verb of telling ("I told..." /
    # "Danny the truth.")
    nxt = _FIRST_WORD.match(after)
    if nxt is None or nxt[2]:
        return True
    word = nxt[1].lower()
    if word in _OBJECTS or word in _PARTICLES:
        return False
    if word == "it":
        return _IT_ENDS.match(after[nxt.end() :]) is None
    return word not in _DETERMINERS or _TELLING.search(clause) is not None


def _clause(text: str) -> str:
    """The last sentence of ``text`` (a cue's, ending in an ellipsis), without the
    ellipsis and past opening punctuation: the clause the ellipsis breaks off."""
    text = _GOES_ON.sub("", _DESCRIPTIONS_AT_END.sub("", text))
    return opening(_INNER_END.split(text)[-1])


def own_span(span: Span, offset: int, length: int) -> Span | None:
    """``span`` (offsets into the sentence the model read) on the cue's own text, which
    is at ``offset`` in it and ``length`` long: cut to it, None when it falls outside."""
    start, end = max(span.start, offset), min(span.end, offset + length)
    if end <= start:
        return None
    return replace(span, start=start - offset, end=end - offset)
