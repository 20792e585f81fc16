"""Person names and postal addresses that ``--redact`` masks (detection revision 7), offline.

No maintained library finds person names offline without a model download (scrubadub's
name detectors need NLTK corpora or a spaCy model fetched at run time), so names are found
where their context says a person is named, with the name lists that scrubadub's own
dependency Faker ships (its ``en_US`` and ``en_GB`` person providers; pinned in
constraints.txt, so every machine finds the same):

- a WebVTT voice tag's speaker (``<v Maria Lopez>``), whatever the name, unless it is a
  role (``<v Host>``, :data:`ROLES`) or a number (``<v Speaker 2>``);
- a speaker's prefix at the start of a line (``MARIA LOPEZ: ...``, ``John Whitaker: ...``)
  of one to four capitalised words, one of them a listed first name;
- a name after an honorific (``Mrs. Eleanor Price``, ``Dr Ahmed Khan``: :data:`HONORIFICS`);
- a listed first name followed by a listed surname (``John Whitaker``);
- a conversation's speaker (``12/05/26, 21:04 - Jane Roe: ...``, as ingest's turn reader
  finds it), wherever the text names it;
- and, in the same text, each word of a name found so (``Whitaker`` alone, later on).

What it misses: a name none of these shows (``my neighbour Whitaker``, ``Siobhan
Ní Bhriain`` unless a listed word is in it, a name written in lower case), and it cannot
tell a private person from a public figure (``President Biden`` is masked too).

Addresses: a whole address pyap (the library scrubadub's address detector uses) parses,
US (street, city, state, ZIP), Canadian and British (street, town, postcode); a UK
postcode (scrubadub's ``PostalCodeDetector``); a US town, state and ZIP code
(``Washington, DC 20500``); and a street line, a house number then one
to three capitalised words and a street type (``221B Baker Street``, ``42 Elm Road``,
``1600 Pennsylvania Avenue NW``: :data:`STREET_LINE`). Not: an address without a house
number (``Baker Street``), a US ZIP code alone, a PO box.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from annotate.audit.placeholders import ANY_PLACEHOLDER

# words that name a role, not a person: a voice tag or speaker prefix made only of these
# (and numbers) is left as written (``<v Host>``, ``INTERVIEWER:``, ``Unidentified man:``)
ROLES = frozenset({
    "host", "guest", "speaker", "narrator", "interviewer", "interviewee", "reporter",
    "presenter", "anchor", "moderator", "caller", "audience", "crowd", "chorus", "all",
    "both", "man", "woman", "male", "female", "voice", "voices", "unidentified", "unknown",
    "police", "officer", "note", "q", "a", "question", "answer", "translation",
    "translator", "interpreter", "transcript", "caption", "subtitle", "update", "edit",
    "warning", "source", "title", "subject", "re", "fwd", "ps", "tl", "dr", "other",
    "others", "participant", "child", "boy", "girl", "teacher", "doctor", "nurse", "judge",
    "witness", "victim", "suspect", "customer", "agent", "operator", "dispatcher",
    "announcer", "commentator", "singer", "student", "students", "group", "everyone",
    "breaking", "news", "live", "video", "photo", "image", "link", "via", "date", "time",
})  # fmt: skip
# titles before a name: the name after one is masked (``Mrs. [NAME-1]``), the title kept
HONORIFICS = (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord",
    "Lady", "Rev", "Revd", "Reverend", "Capt", "Captain", "Sgt", "Sergeant", "Det",
    "Detective", "Insp", "Inspector", "Cllr", "Councillor", "Councilman", "Councilwoman",
    "Officer", "Constable", "Judge", "Senator", "Rabbi", "Imam", "Pastor",
)  # fmt: skip
_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"  # a capitalised name word (O'Neil, Smith-Jones)
HONORIFIC_NAME = re.compile(
    r"\b(?:" + "|".join(HONORIFICS) + r")\.?[ \t]+"
    r"((?:[A-Z]\.[ \t]*)?" + _WORD + r"(?:[ \t]+(?:[A-Z]\.[ \t]*)?" + _WORD + r"){0,2})"
)
FIRST_LAST = re.compile(r"\b(?=(" + _WORD + r")[ \t]+(" + _WORD + r")\b)")
VOICE_TAG = re.compile(r"<v(?:\.[\w.-]*)?[ \t]+([^<>\n]*?)[ \t]*>", re.IGNORECASE)
_CAPS_WORD = r"[A-Z][\w'’.-]*"
SPEAKER_PREFIX = re.compile(
    r"(?m)^[ \t]*(" + _CAPS_WORD + r"(?:[ \t]+" + _CAPS_WORD + r"){0,3})[ \t]*:(?=[ \t]|$)"
)
STREET_TYPES = (
    "Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Ln", "Drive", "Close", "Way",
    "Crescent", "Cres", "Terrace", "Place", "Pl", "Court", "Ct", "Boulevard", "Blvd",
    "Gardens", "Grove", "Square", "Sq", "Parkway", "Pkwy", "Highway", "Hwy", "Row", "Mews",
    "Walk", "Circle", "Park", "Hill", "Green",
)  # fmt: skip
STREET_LINE = re.compile(
    r"(?<![\w.,/-])\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?[ \t]+(?:[A-Z][a-z'’]+[ \t]+){1,3}"
    r"(?:" + "|".join(STREET_TYPES) + r")\b\.?(?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
)
ADDRESS_COUNTRIES = ("US", "GB", "CA")
US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY", "PR",
)  # fmt: skip
# a US state's code and a ZIP code after a town (``Washington, DC 20500``)
US_STATE_ZIP = re.compile(
    r"\b(?:[A-Z][a-z]+[ \t]){0,2}[A-Z][a-z]+,[ \t]*(?:"
    + "|".join(US_STATES)
    + r")[ \t]+\d{5}(?:-\d{4})?\b"
)
# a street type word anywhere (as pyap reads them, any case): pyap is run only then
# where pyap may find an address: a house number, up to four words and a street type
# (any case, as pyap reads them); pyap (slow: tens of ms a text) reads only from there
ADDRESS_START = re.compile(
    r"(?<![\w.,/-])\d{1,6}[A-Za-z]?(?:-\d{1,6})?,?[ \t]+(?:[\w'’.-]+[ \t]+){0,4}?"
    r"(?:" + "|".join(STREET_TYPES) + r")\b",
    re.IGNORECASE,
)
ADDRESS_WINDOW = 200  # characters from such a start that pyap reads
# where a sentence ends inside what pyap read as one address ("12 Oak Lane. He moved to
# 350 Fifth Avenue, New York, NY 10118"): such a match is left to the street lines and
# postcodes it holds
SENTENCE_BREAK = re.compile(r"[.!?][ \t]+[A-Z]|\n")


@cache
def first_names() -> frozenset[str]:
    """Faker's ``en_US`` and ``en_GB`` first names, lower case."""
    from faker.providers.person.en_GB import Provider as GB
    from faker.providers.person.en_US import Provider as US

    return frozenset(n.lower() for n in (*US.first_names, *GB.first_names))


@cache
def last_names() -> frozenset[str]:
    """Faker's ``en_US`` and ``en_GB`` surnames, lower case."""
    from faker.providers.person.en_GB import Provider as GB
    from faker.providers.person.en_US import Provider as US

    return frozenset(n.lower() for n in (*US.last_names, *GB.last_names))


def _first_name(word: str) -> bool:
    return word.strip(".'’").lower() in first_names()


def _a_role(words: list[str]) -> bool:
    """Whether a speaker's words name a role or a number, no person (``Speaker 2``)."""
    return all(w.strip(".").lower() in ROLES or w.strip(".").isdigit() for w in words)


def voice_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of the speaker in each WebVTT voice tag (``<v Maria Lopez>``), unless
    a role (:data:`ROLES`) or a number: a voice tag names who speaks."""
    if "<v" not in text and "<V" not in text:
        return []
    out = []
    for m in VOICE_TAG.finditer(text):
        words = m.group(1).split()
        if words and not _a_role(words):
            out.append((m.start(1), m.end(1)))
    return out


def speaker_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of each speaker's name that starts a line before a colon
    (``MARIA LOPEZ: we will``, ``John Whitaker: see you``, ``JOHN: no``): one to four
    capitalised words, one of them a listed first name (``Price: 1,250 euros`` stays), not
    all roles."""
    if ":" not in text:
        return []
    out = []
    for m in SPEAKER_PREFIX.finditer(text):
        words = m.group(1).split()
        if _a_role(words) or not any(_first_name(w) for w in words):
            continue
        out.append((m.start(1), m.end(1)))
    return out


def titled_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of the name after each honorific (``Dr Ahmed Khan`` -> ``Ahmed Khan``)."""
    return [(m.start(1), m.end(1)) for m in HONORIFIC_NAME.finditer(text)]


def listed_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of each listed first name followed by a listed surname
    (``John Whitaker``); both capitalised."""
    out = []
    for m in FIRST_LAST.finditer(text):
        first, last = m.group(1), m.group(2)
        if first.lower() in first_names() and last.lower() in last_names():
            out.append((m.start(1), m.end(2)))
    return out


# a conversation's speakers that name no one (a chat app's own lines, a transcript's "You")
NOT_SPEAKERS = frozenset({
    "you", "me", "i", "we", "us", "system", "bot", "admin", "everyone", "group", "server",
})  # fmt: skip


def named_speakers(speakers: Iterable[str]) -> list[str]:
    """The speakers of a conversation's turns (as the turn reader wrote them) that name
    someone: a letter in them, two characters or more, not a role (:data:`ROLES`) nor
    :data:`NOT_SPEAKERS`."""
    out = []
    for speaker in speakers:
        name = speaker.strip()
        words = [w.strip(".").lower() for w in name.split()]
        if len(name) < 2 or not any(c.isalpha() for c in name) or not words:
            continue
        if ANY_PLACEHOLDER.search(name):  # masked already (a text ingest --redact masked)
            continue
        if all(w in ROLES or w in NOT_SPEAKERS or w.isdigit() for w in words):
            continue
        out.append(name)
    return list(dict.fromkeys(out))


def person_names(text: str, speakers: Sequence[str] = ()) -> list[tuple[int, int]]:
    """(start, end) of the person names found in ``text`` (the module's rules), of every
    occurrence of ``speakers`` (a conversation's speakers that name someone:
    :func:`named_speakers`), and of each later or earlier occurrence of a word of a name
    found (three letters or more, not a role) on its own, so ``Whitaker`` is masked where
    ``John Whitaker`` was found."""
    found = [*voice_names(text), *speaker_names(text), *titled_names(text), *listed_names(text)]
    for speaker in speakers:
        pattern = re.compile(r"(?<![\w'’@.-])" + re.escape(speaker) + r"(?![\w'’-])")
        found += [(m.start(), m.end()) for m in pattern.finditer(text)]
    words = {
        w.strip(".'’")
        for a, b in found
        for w in text[a:b].split()
        if len(w.strip(".'’")) >= 3 and w.strip(".'’").lower() not in ROLES
    }
    for word in sorted(words):
        pattern = re.compile(r"(?<![\w'’-])" + re.escape(word) + r"(?![\w'’-])")
        found += [(m.start(), m.end()) for m in pattern.finditer(text)]
    return found


def postal_addresses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each postal address in ``text``: whole addresses pyap parses
    (:data:`ADDRESS_COUNTRIES`), UK postcodes (scrubadub's ``PostalCodeDetector``) and
    street lines (:data:`STREET_LINE`)."""
    import pyap

    found = [(m.start(), m.end()) for m in STREET_LINE.finditer(text)]
    found += [(m.start(), m.end()) for m in US_STATE_ZIP.finditer(text)]
    if not any(c.isdigit() for c in text):
        return found
    found += [
        (m.start(), m.end())
        for m in _postcode_pattern().finditer(text)
        if not (m.start() and text[m.start() - 1].isalnum())
        and not (m.end() < len(text) and text[m.end()].isalnum())
    ]
    read_to = 0
    for candidate in ADDRESS_START.finditer(text):
        if candidate.start() < read_to:
            continue  # inside a window read already
        at, read_to = candidate.start(), candidate.start() + ADDRESS_WINDOW
        window = text[at:read_to]
        for country in ADDRESS_COUNTRIES:
            for address in pyap.parse(window, country=country):
                start, end = at + address.match_start, at + address.match_end
                matched = text[start:end]
                start += len(matched) - len(matched.lstrip())
                end -= len(matched) - len(matched.rstrip(" \t\n,;."))
                if not SENTENCE_BREAK.search(text, start, end):  # one address, no paragraph
                    found.append((start, end))
    return found


@cache
def _postcode_pattern() -> re.Pattern[str]:
    """scrubadub's ``PostalCodeDetector`` pattern of UK postcodes (its ``iter_filth`` is
    far slower than the pattern alone: a Filth object and locale checks per match)."""
    from scrubadub.detectors import PostalCodeDetector

    return PostalCodeDetector.region_regex["GB"]
