"""Which label names are speakers (:mod:`annotate.ingestion.turns`): the words that open
prose or name a document's field, never speakers (:data:`NOT_NAMES`), and the guard that
tells a glossary's terms from a conversation's speakers (:func:`defines`)."""

from __future__ import annotations

import re
from collections import Counter

# words that open prose lines with a colon ("Note: ...", "Update: ..."): no speakers
_PROSE_OPENERS = """
    note notes nb n.b ps p.s pps edit edited update updated warning caution important
    disclaimer tldr tl;dr source sources via credit credits photo image video caption
    summary abstract background conclusion conclusions result results subject re fw fwd
    from to cc bcc date time title thread topic tags tag category categories keywords
    location name age email e-mail phone tel address website url link example answer
    step chapter part section tip hint spoiler tw cw breaking exclusive watch related
    also plus and but so then yes no why what how who where when because however
    meanwhile he she they it we i you this that there here http https ftp mailto
    ingredients method directions instructions total price cost rating score status type
    size version author by posted reply quote question problem solution reason verdict
    lesson moral definition day week month year morning afternoon evening night today
    yesterday tomorrow profile analysis interview opinion review preview report factbox
    timeline the a an my our his her their your its
"""
# the fields of a document (a policy's **Examples:**, an API reference's Returns:, a
# licence's Files: / License:): never speakers either
_FIELD_WORDS = """
    policy policies rule rules examples exceptions exception scope rationale purpose
    overview description descriptions details requirements requirement prerequisites
    context severity enforcement action actions penalty penalties consequences criteria
    guidance guidelines labels outcome outcomes goal goals objective objectives caveats
    caveat tips warnings comments terms term meaning usage synonyms synonym variants
    etymology pronunciation returns return extends implements raises yields throws
    parameters params arguments args options default defaults stability deprecated added
    removed changes changed fixed fixes files file license licence copyright homepage
    availability appendix references see
"""
NOT_NAMES = frozenset(_PROSE_OPENERS.split() + _FIELD_WORDS.split())
# the last word of a field's name of several words ("Request ID", "Community Impact")
_TAIL_WORDS = "id ids impact consequence name number date type version"
_FIELD_TAILS = frozenset(_FIELD_WORDS.split() + _TAIL_WORDS.split())
# an e-mail's header fields (Content-Type:, X-Mailer:, Return-Path:, Received:)
_HEADER = re.compile(
    r"(?i)(?:content|x|list|mime|resent|return|delivered|delivery|reply|in-reply|message"
    r"|thread|errors|arrival|final|original|reporting|received|auto|dkim|arc"
    r"|authentication)-[\w-]+|received|sender|precedence|references|organization|importance"
)
# names no speaker has, when a document's labels are all of them: an issue's id
# (a changelog's "bpo-28950:", "gh-120083:") or a file's name ("README.txt:")
_IDENTIFIER = re.compile(
    r"[A-Za-z]{1,10}-\d+|[\w.-]+\.(?:txt|md|rst|py|js|ts|json|ya?ml|toml|ini|cfg|html?|css"
    r"|c|h|cc|cpp|hpp|java|go|rs|rb|sh|csv|xml|pdf|png|jpe?g|gif)"
)
# endings of a term (a glossary's Doxxing:, Radicalisation:), rarely of a speaker's name
_TERM_ENDINGS = (
    "ing",
    "ings",
    "tion",
    "tions",
    "sion",
    "sions",
    "ment",
    "ments",
    "ness",
    "ism",
    "isms",
    "ology",
    "ship",
)
# how a definition opens (a glossary's "Troll: someone who ...", "Raid: a coordinated ...")
_DEFINITION_OPENERS = frozenset(
    ["a", "an", "the", "any", "someone", "somebody", "one", "see", "refers", "slang", "short"]
)
# first- and second-person words: a definition speaks of its term, a chat's message of
# its people ("see you at the gate", "the school is where we hit them")
_PERSONAL = frozenset(
    "i i'm im me my mine we we're us our ours you you're youre your yours u ur".split()  # noqa: SIM905
)


def speaker(name: str) -> str | None:
    """``name`` as a speaker, or None when it is a word that opens prose (NOT_NAMES) or a
    field's name (:func:`field`), or holds no letter (a number, a time)."""
    name = name.strip()
    if name == "A":  # the answer of a Q/A transcript ("Q: ...", "A: ..."), not the article
        return name
    words = name.lower().split()
    if not words or name.lower().rstrip(".") in NOT_NAMES or words[0] in NOT_NAMES or field(name):
        return None
    return name if any(c.isalpha() for c in name) else None


def field(name: str) -> bool:
    """Whether ``name`` names a document's field: ``Example1``, ``Step2`` (a word of
    NOT_NAMES numbered), ``Request ID``, ``Community Impact`` (several words, the last a
    field's), an e-mail's header (``Content-Type``)."""
    words = name.strip().lower().split()
    return bool(words) and (
        words[0].rstrip("0123456789") in NOT_NAMES
        or (len(words) > 1 and words[-1] in _FIELD_TAILS)
        or _HEADER.fullmatch(name.strip()) is not None
    )


def term(name: str) -> bool:
    """Whether a label reads as a term (``Doxxing``, ``Radicalisation``: one word, not in
    capitals as a screenplay's ``MANNING``, with an ending of abstract nouns) or an
    identifier (an issue's ``gh-1234``, a file's ``README.txt``)."""
    word = name.lower()
    noun = (
        " " not in name
        and not name.isupper()
        and word.endswith(_TERM_ENDINGS)
        and len(word) >= (7 if word.endswith("ing") else 6)
    )
    return noun or _IDENTIFIER.fullmatch(name) is not None


def defining(said: str) -> bool:
    """Whether a label's text reads as a definition: a clause ending with a full stop that
    opens as a definition does (``a hoax call.``, ``someone who ...``, ``see also ...``)
    or with a word in -ing (``publishing someone's address.``), and speaks in no first or
    second person (``the school is where we hit them.``, ``see you at eight.`` are a
    chat's messages: stop 46's break helper)."""
    words = said.split()
    first = words[0].lower().strip(".,;:") if words else ""
    opens = first in _DEFINITION_OPENERS or (len(first) >= 6 and first.endswith("ing"))
    personal = any(w.lower().strip(".,;:!?\"'”’)(") in _PERSONAL for w in words)
    return opens and not personal and said.rstrip().rstrip("\"'”’)").endswith(".")


def defines(labels: list[tuple[str, str]]) -> bool:
    """Whether the labels of a document are terms or fields, not speakers: 3 names or
    more, none used more than twice (a glossary names a term once, a see-also twice;
    speakers go back and forth; two names alternating are two speakers, whatever their
    names: ``Manning:`` / ``Sterling:``, ``anon-4821:`` / ``anon-1177:``), and 9 in 10
    labels read as terms or identifiers, or each label is a term or followed by a
    definition. ``labels``: (name, the text after it) of each label, in order."""
    if not labels:
        return False
    said = Counter(name for name, _ in labels)
    if len(said) < 3 or max(said.values()) > 2:
        return False
    if sum(term(name) for name, _ in labels) >= 0.9 * len(labels):
        return True  # 9 in 10: a changelog's "bpo-1234:" beside a typo's "bp0-1234:"
    return all(term(name) or defining(text) for name, text in labels)
