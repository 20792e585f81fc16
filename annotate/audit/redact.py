"""Mask personal data with typed placeholders, moving every offset with the text.

Detection is scrubadub's (offline, no model): ``EmailDetector``, ``PhoneDetector`` (the
``phonenumbers`` library, once per configured region; numbers written with ``+country``
are found whatever the region), ``UrlDetector`` and ``TwitterDetector`` plus a longer
@handle pattern registered the same way. ``PhoneDetector`` finds only numbers
``phonenumbers`` calls valid (an assigned range); a number written with ``+country``
whose length fits that country's plan is masked too (``international_possible``: a new
or unassigned range, Ofcom's fictional ``+44 7700 900123``), as is every occurrence of a
number a conversation's speaker label is (``labels``: the turn reader decided it names a
person, ``12/05/26, 21:04 - 07700 900123: ...``), and the national form (``07700 900123``)
of a number the document writes with ``+country`` (:func:`national_forms`).

With ``numbered`` (the default), a placeholder carries a number per document:
``[EMAIL-1]``, ``[EMAIL-2]``, the same value (an address in any case, a phone number
however it is spaced) the same number wherever it is in the document (its text, then its
title, source and ``meta``, in that order), so a reviewer can tell two speakers masked
alike apart. Numbers start again in each document: they link nothing across documents
(:mod:`annotate.audit.placeholders`). A URL is masked only when it identifies a user
(see :func:`user_url`), written with ``https://`` or without it
(:func:`schemeless_user_urls`: ``twitter.com/jane``, ``mobile.twitter.com/jane``); other
URLs stay. The user name of a home folder's path is masked too (:func:`home_users`:
``/home/[HOME_USER-1]/cases``, WSL's ``/mnt/c/Users/[HOME_USER-1]``, Windows'
``\\\\wsl$\\Ubuntu\\home\\[HOME_USER-1]``), but not an account of
no one person (:data:`NOT_HOME_USERS`: ``C:\\Users\\Default``, ``/home/ubuntu``, ``~root``),
in any form. The rules are versioned (:data:`DETECTION_REVISION`): a record made before
the current rules reads as the revision it was made with, and masks as it did.
No maintained library here finds person names offline (scrubadub's name detectors need
NLTK corpora or a spaCy model downloaded at run time; Presidio's need a spaCy model):
from revision 7 names are masked where their context shows one, and postal addresses
with pyap and scrubadub's postcode detector (:mod:`annotate.audit.redact_people`);
:data:`NOT_DETECTED` lists what no detector finds.

Overlapping matches are resolved longest first (an e-mail beats the @handle inside it).
:class:`Redaction` maps offsets of the original text to the redacted one: a span that
starts or ends inside a masked region widens to cover the whole placeholder, so the new
offsets always slice the redacted text exactly. What ``ingest --redact`` masks is here
(:class:`IngestRedaction`); what ``export --redact`` masks, in
:mod:`annotate.audit.redact_export`.
"""

from __future__ import annotations

import json
import logging
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from annotate.audit.placeholders import (
    ANY_PLACEHOLDER,
    DEFAULT_PHONE_REGIONS,
    KINDS,
    NUMBERED,
    PLACEHOLDERS,
    Numbering,
)

log = logging.getLogger(__name__)

# hosts whose first path segment is an account name
SOCIAL_HOSTS = {
    "twitter.com", "x.com", "facebook.com", "fb.com", "instagram.com", "tiktok.com",
    "t.me", "telegram.me", "youtube.com", "github.com", "gitlab.com", "vk.com", "ok.ru",
    "threads.net", "bsky.app", "medium.com", "pinterest.com", "snapchat.com", "twitch.tv",
    "truthsocial.com", "gab.com", "parler.com", "minds.com", "rumble.com", "odysee.com",
    "gettr.com", "patreon.com", "substack.com", "linktr.ee", "soundcloud.com",
}  # fmt: skip
# subdomains that serve a listed host's own pages (revision 2: mobile.twitter.com/jane)
SAME_PAGES = {"www", "m", "mobile", "touch", "web", "old", "new"}
# a listed site's other domain for the same accounts (revision 2 numbering: x.com/jane is
# twitter.com/jane's account)
SAME_SITE = {"x.com": "twitter.com"}
# first path segments on those hosts that are not accounts
NOT_ACCOUNTS = {
    "", "home", "search", "explore", "hashtag", "i", "intent", "share", "sharer",
    "sharer.php", "watch", "results", "about", "help", "privacy", "terms", "login",
    "signup", "settings", "tos", "legal", "policies", "embed", "shorts", "feed",
}  # fmt: skip
# path segments that introduce an account, on any host
ACCOUNT_SEGMENTS = {
    "u", "user", "users", "profile", "profiles", "member", "members", "people",
    "author", "authors", "channel", "c", "in", "account", "accounts", "id",
}  # fmt: skip
ACCOUNT_PARAMS = {"id", "uid", "user", "userid", "user_id", "username", "profile", "profile_id"}
LONG_HANDLE = r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])"
# a URL written without its scheme (``twitter.com/jane``, ``t.me/jane``): a host name whose
# top-level domain is letters (not a version number, ``1.2/x``), then a path; not inside a
# word, an address (``jane@twitter.com/x``), a URL (``https://…``) or a file path
SCHEMELESS_URL = re.compile(
    r"(?<![\w@.:/\\~-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}/[\w@:%+.~#?&/=-]*",
    re.IGNORECASE,
)
# the user name of a home folder's path: /home/NAME/, /Users/NAME/ (macOS), ~NAME/, and
# C:\Users\NAME\ (any drive, either slash, a name of up to three words); not a page called
# "/home", nor a folder of no one user (C:\Users\Public)
_NAME_END = r"(?=[/\s,;:)\]'\"]|[.!?](?:\s|$)|$)"
UNIX_HOME = re.compile(
    r"(?:(?<=file://)|(?<![\w.~/\\-]))/(?:home|Users|usr/home|var/home)/"
    r"([A-Za-z_](?:[\w.-]*[\w-])?)" + _NAME_END
)
TILDE_HOME = re.compile(r"(?<![\w~/\\.-])~([A-Za-z_](?:[\w.-]*[\w-])?)(?=/)")
WINDOWS_HOME = re.compile(
    r"(?<![\w])[a-z]:[\\/]+(?:Users|Documents and Settings)[\\/]+"
    r"(?:([^\\/:*?\"<>|\s]+(?: [^\\/:*?\"<>|\s]+){0,2})(?=[\\/])"
    r"|([^\\/:*?\"<>|\s,;]+?)" + _NAME_END + ")",
    re.IGNORECASE,
)
# accounts of no one person, left as written in every form (/home/NAME, /Users/NAME, ~NAME,
# C:\Users\NAME, /mnt/c/Users/NAME): the folders an operating system or a cloud image
# makes for everyone (C:\Users\Public, /Users/Shared, ~root, /home/ubuntu on Ubuntu's
# cloud images, ec2-user on Amazon's, pi on Raspberry Pi OS) are no personal data. Revision
# 1 (records made before stop 50) left only the first six, in every form
NOT_HOME_USERS_1 = {"public", "default", "default user", "all users", "shared", "guest"}
NOT_HOME_USERS = NOT_HOME_USERS_1 | {
    "root", "admin", "administrator", "user", "defaultuser0", "wdagutilityaccount",
    "ubuntu", "ec2-user", "centos", "debian", "fedora", "azureuser", "opc", "pi",
    "vagrant", "nobody", "www-data",
}  # fmt: skip
# WSL's view of C:\Users\NAME: /mnt/c/Users/NAME (revision 2)
WSL_HOME = re.compile(
    r"(?:(?<=file://)|(?<![\w.~/\\-]))/mnt/[a-z]/+(?:Users|Documents and Settings)/+"
    r"(?:([^/:*?\"<>|\s]+(?: [^/:*?\"<>|\s]+){0,2})(?=/)"
    r"|([^/:*?\"<>|\s,;]+?)" + _NAME_END + ")",
    re.IGNORECASE,
)
# Windows' view of a WSL home: \\wsl$\Ubuntu\home\NAME, \\wsl.localhost\Ubuntu\home\NAME
# (Explorer, VS Code; either slash, file://wsl.localhost/...) (revision 2)
WSL_UNC_HOME = re.compile(
    r"(?<![\w\\/])[\\/]{2}wsl(?:\$|\.localhost)[\\/]+[^\\/:*?\"<>|\s]+[\\/]+home[\\/]+"
    r"([A-Za-z_](?:[\w.-]*[\w-])?)(?=[\\/\s,;:)\]'\"]|[.!?](?:\s|$)|$)",
    re.IGNORECASE,
)
# what detection rules a masked text was made with: 1, records made before stop 50 (no
# subdomain of a listed host, no WSL home either way, "tiktok.com/@jane" read as an
# e-mail, system accounts' folders masked); 2, stop 50 to 51 (no North American number
# written without its area code, 555-0142: :func:`local_numbers`); 3, stop 51 to 52 (a
# digit run in a URL's path or query, a post's or item's id, read as a phone number:
# :func:`url_id_runs`; https://x.com/NAME left: :func:`missed_user_urls`); 4, stop 52 to
# 53 (a bare user name in a meta column such as ``author`` left as written); 5, stop 53
# to 54 (with no ``user_url`` kind, or no ``user_url_without_scheme`` for one written
# without https://, a user URL's account id, /u/4155550123 or ?user=4155550123, read as a
# phone number: :func:`url_id_runs`); 6, stop 54 to 56 (no person name, postal address
# or post permalink masked); 7, now. A record without it reads as 1 (from_record)
DETECTION_REVISION = 7
# the revision from which person names, postal addresses (annotate.audit.redact_people)
# and post permalinks (:func:`post_url`) are masked
PEOPLE_REVISION = 7
# what each revision masks otherwise than the one before (ingest --previous names them
# when an earlier run was masked with an older revision)
REVISION_CHANGES = {
    2: "mobile.twitter.com/NAME and WSL's /mnt/c/Users/NAME masked; /home/ubuntu, ~root and "
    "other system accounts' folders left",
    3: "North American phone numbers written without their area code (555-0142) masked",
    4: "ids in a web address (a digit run that is a whole segment after /status/, /item/, "
    "/itm/, /p/, /posts/, /comments/, /video/ ... or the value of ?id=, ?v=, ?item= ...: "
    "twitter.com/i/status/1234567890, ebay.com/itm/4155552671) no longer masked as "
    "phone numbers; any other digit run in an address (a slug's jenny-4155552671, "
    "?mobileNumber=, /contact-us/NUMBER, wa.me/NUMBER) still masked; user URLs of "
    "one-letter hosts written with https:// (https://x.com/NAME) masked",
    5: "the value of a meta column that names a post's author or user (author, user, "
    "username, screen_name, handle, sender, posted_by ...: AUTHOR_KEYS) masked whole as "
    "[HANDLE] when no detector finds anything in it (a forum's author: angrydriver)",
    6: "with settings that leave user URLs as written (no user_url kind; for one written "
    "without https://, no user_url_without_scheme), the account id in such a URL (a whole "
    "segment after /u/, /user/, /profile/, /members/ ..., the first on a listed site, the "
    "value of ?user=, ?uid=, ?id= ...: forum.example/u/4155550123/profile) no longer "
    "masked as a phone number, unless the document gives the same number in its text or "
    "another field, or it is first on Telegram (t.me/4155550123: a phone number); with the "
    "default settings the whole URL is masked as a user URL, as before. With any "
    "settings, a number written percent-encoded in a web address (?q=%2B1%20415%20555%200123) "
    "masked; and more meta columns that name a person masked whole as [HANDLE]: from, "
    "owner, created_by, reply_to, in_reply_to_screen_name, participants, mentions, "
    "recipient ... (AUTHOR_KEYS_6), a flattened object's (user.screen_name, author.name) "
    'and the name in an author object ("user": {"name": ...})',
    7: "person names (a WebVTT voice tag's speaker, <v Maria Lopez>; a speaker's NAME: at "
    "a line's start; a conversation's speakers, 21:04 - Jane Roe: or <dave_k>, wherever "
    "the text names them; a name after Mr, Mrs, Dr ...; a listed first name and surname, "
    "John Whitaker; and each word of one elsewhere in the text) masked as [NAME]; postal "
    "addresses (a street line, 42 Elm Road; a UK postcode; a whole US, UK or Canadian "
    "address; a US town, state and ZIP code) masked as [ADDRESS]; and a permalink of one "
    "post (reddit.com/r/NAME/comments/ID, x.com/i/status/ID, youtube.com/watch?v=ID, "
    "youtu.be/ID, linkedin.com/posts/...) masked as [USER_URL]: annotate.audit.redact_people",
}


def revision_changes(record: dict[str, Any]) -> bool:
    """Whether a detection revision's change can mask anything otherwise with the
    settings ``record`` names (:meth:`RedactionSettings.record`'s ``kinds`` and
    ``user_url_without_scheme``), for revision 6: it masks more author-like meta columns
    (from, recipient, user.screen_name ...: :data:`AUTHOR_KEYS_6`) where handles are
    masked (break12 M2), so any settings with the ``handle`` kind (the default) change;
    without it, only settings that leave user URLs as written do (with user URLs masked
    whole it changes only a number written percent-encoded in a web address, break10 B6:
    too rare to warn every ``ingest --previous`` about; such a passage is sent again as
    changed)."""
    kinds = record.get("kinds") or ()
    if "handle" in kinds:
        return True
    return not ("user_url" in kinds and record.get("user_url_without_scheme") is True)


# what a revision changes only under some settings: :func:`revision_changes` says when
SETTINGS_REVISIONS = {6: revision_changes}
# meta keys (any depth; lower-cased, "-" and " " read as "_") whose string values name a
# person's account: masked whole as a handle (revision 5), as a bare user name there is
# personal data no detector finds (a forum export's ``author``: passH53 H14); a key
# ending in ``_author``, ``_user``, ``_username`` or ``_handle`` counts too
AUTHOR_KEYS = frozenset({
    "author", "authors", "author_name", "user", "user_name", "username", "screen_name",
    "screenname", "handle", "nick", "nickname", "login", "poster", "posted_by", "sender",
    "from_user", "commenter", "uploader", "display_name", "account", "account_name",
})  # fmt: skip
_AUTHOR_SUFFIXES = ("_author", "_user", "_username", "_handle")
# the detection revision from which an author-like meta value is masked whole
AUTHOR_REVISION = 5
# revision 6 (break12 M2): the author-like columns of common Twitter and chat exports
# (Twitter's ``in_reply_to_screen_name``, a chat's ``from``, ``recipient`` and
# ``participants``, a tracker's ``owner`` and ``created_by``), and a key of a flattened
# object (pandas' json_normalize: ``user.screen_name``, ``author.name``) or one nested
# under an author key (``"user": {"name": ...}``) whose last part is an author key, or a
# name (``name``, ``full_name`` ...) under an author key
AUTHOR_KEYS_6 = AUTHOR_KEYS | frozenset({
    "from", "owner", "created_by", "reply_to", "in_reply_to", "in_reply_to_screen_name",
    "in_reply_to_user", "participants", "participant", "mentions", "mentioned_users",
    "recipient", "recipients", "to_user", "receiver",
})  # fmt: skip
_NAME_PARTS = frozenset({"name", "full_name", "first_name", "last_name", "real_name"})
AUTHOR_KEYS_REVISION = 6


def author_key(key: object, revision: int | None = None) -> bool:
    """Whether a meta key names a person's account (:data:`AUTHOR_KEYS`; from detection
    revision 6, the default, :data:`AUTHOR_KEYS_6` and dotted keys, ``user.screen_name``,
    ``user.name``: a flattened or nested author object's)."""
    name = str(key).strip().lower().replace("-", "_").replace(" ", "_")
    if revision is not None and revision < AUTHOR_KEYS_REVISION:
        return name in AUTHOR_KEYS or name.endswith(_AUTHOR_SUFFIXES)
    if name in AUTHOR_KEYS_6 or name.endswith(_AUTHOR_SUFFIXES):
        return True
    parts = [p for p in name.split(".") if p]
    if len(parts) < 2:
        return False
    last, before = parts[-1], parts[:-1]
    if last in AUTHOR_KEYS_6 or last.endswith(_AUTHOR_SUFFIXES):
        return True
    return last in _NAME_PARTS and any(p == "profile" or author_key(p) for p in before)


# meta keys (any case; "-" and " " read as "_") naming the thread, conversation or channel
# a post was made in (a forum, chat or social export's column), shown to reviewers on the
# provenance line (annotate.studio.tasks.thread_and_author). Only names that say thread:
# a bare ``group``, ``topic``, ``board`` or ``channel`` is as often a dataset's annotation
# column (ToxiGen's target ``group: muslim``), which would anchor a reviewer (break10 B8)
THREAD_KEYS = frozenset({
    "thread", "thread_id", "thread_title", "thread_name", "conversation",
    "conversation_id", "conversation_name", "topic_title", "topic_id", "channel_name",
    "channel_id", "subreddit", "forum", "forum_name", "board_name", "group_name",
    "group_id", "chat", "chat_id", "chat_name",
})  # fmt: skip


def thread_key(key: object) -> bool:
    """Whether a meta key names a post's thread or conversation (:data:`THREAD_KEYS`, or
    a key ending in ``_thread``)."""
    name = str(key).strip().lower().replace("-", "_").replace(" ", "_")
    return name in THREAD_KEYS or name.endswith("_thread")


# a passage's ``redaction`` key (ingest --redact): {meta key: pseudonym} for the table's
# thread and author columns, which the provenance line shows in place of the values
CONTEXT_KEYS = "context_keys"
AUTHOR_PREFIX, THREAD_PREFIX = "pa_", "pt_"


def context_value(value: Any) -> str:
    """A meta value as one line of text (a list's texts and numbers joined with ", ");
    "" for anything else (a nested object, a bool, nothing)."""
    if isinstance(value, list):
        items = [context_value(v) for v in value if not isinstance(v, (list, dict))]
        value = ", ".join(i for i in items if i)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return " ".join(str(value).split())


def context_pseudonyms(meta: Any, key: bytes) -> dict[str, str]:
    """{meta key: keyed pseudonym} for the top-level thread (:func:`thread_key`, ``pt_``)
    and author (:func:`author_key`, ``pa_``) values of a document's unmasked ``meta``:
    ``pa_`` + 8 hex digits of HMAC-SHA256(key, 'annotate author' NUL value), the value
    on one line and case-folded. The same author (or thread) gets the same pseudonym in
    every post and every run keyed alike, so reviewers tell authors apart without seeing
    a name, where the placeholders, numbered per document, read ``[HANDLE-1]`` for every
    post's author (break10 B4). A value that is a placeholder already (``[HANDLE-1]``: a
    masked file ingested again) gets none: it names no one, and would make all one."""
    import hashlib
    import hmac

    out: dict[str, str] = {}
    if not isinstance(meta, dict):
        return out
    for name, value in meta.items():
        kind = "thread" if thread_key(name) else "author" if author_key(name) else None
        shown = context_value(value).casefold()
        if kind is None or not shown or ANY_PLACEHOLDER.fullmatch(shown.upper()):
            continue  # a value already masked (a masked file read again): no identity
        digest = hmac.new(key, f"annotate {kind}\0{shown}".encode(), hashlib.sha256)
        prefix = THREAD_PREFIX if kind == "thread" else AUTHOR_PREFIX
        out[str(name)] = prefix + digest.hexdigest()[:8]
    return out


_KEYED = re.compile(r"p[at]_[0-9a-f]{8}")  # a pseudonym context_pseudonyms makes


def kept_pseudonyms(record: Any) -> dict[str, str]:
    """{meta key: pseudonym} of a row masked at ingest (``record``: its ``redaction`` or
    ``ingest_redaction``, JSON text or parsed, saying ``at: ingest``): the thread and
    author pseudonyms (:data:`CONTEXT_KEYS`) push sent in place of the values, which the
    export reads back from the task's ``meta``. They name no one (a keyed hash: only the
    key on the lead's machine links one to a value), and tell one account's posts apart
    from another's, so an export keeps them and counts them as no personal data; {} for
    anything else."""
    if isinstance(record, str):
        try:
            record = json.loads(record)
        except ValueError:
            return {}
    if not isinstance(record, dict) or record.get("at") != "ingest":
        return {}
    named = record.get(CONTEXT_KEYS)
    if not isinstance(named, dict):
        return {}
    return {str(k): v for k, v in named.items() if isinstance(v, str) and _KEYED.fullmatch(v)}


# what no detector finds, so `--redact` leaves it as written: the manifest's
# ``redaction.not_detected``, the report's Redaction section and docs/privacy.md's "What it
# misses" (tests/audit/test_redact_not_detected.py checks that it lists exactly these)
NOT_DETECTED = (
    "person names other than a voice tag's or a line's speaker, a name after a title "
    "(Mr, Dr ...) and a listed first name with a listed surname (John Smith): a name "
    "written alone or in lower case, and names not in the lists",
    "postal addresses without a house number, a UK postcode or a US state and ZIP code",
    "e-mail addresses written out",
    "phone numbers in other countries' national formats",
    "phone numbers without an area code, other than North American ones written 555-0142",
    "North American numbers written without +1 whose area code is unassigned (555-123-4567)",
    "account URLs of sites not listed",
    "bare user names without @",
    "user names in file paths outside a home folder",
    "document ids and other free-text ids",
    "phone numbers written as a bare digit run in a web address where an id goes (a whole "
    "segment after /status/, /item/, /p/, /posts/ ..., the value of ?id=, ?v= ...)",
)
# hosts whose links name a phone number in their path (WhatsApp's click-to-chat): a digit
# run there is a phone number, never an id (revision 4, :func:`url_id_runs`)
PHONE_LINK_HOSTS = {"wa.me", "api.whatsapp.com", "web.whatsapp.com", "whatsapp.com"}
# the path segments and query keys (lower-cased, whole) after which a digit run is an id
# and not a phone number (revision 4, :func:`url_id_runs`): an allow-list, so that a
# number after any other word (a slug's jenny-4155552671, ?mobileNumber=, /contact-us/,
# ?q=) stays masked; none of them names a phone, a number, a call or a contact
ID_SEGMENTS = frozenset({
    "status", "statuses", "item", "items", "itm", "p", "post", "posts", "comments",
    "comment", "video", "videos", "watch", "photo", "photos", "id", "article", "articles",
    "story", "stories", "thread", "threads", "topic", "topics", "issues", "pull",
    "questions", "product", "products", "dp",
})  # fmt: skip
ID_KEYS = frozenset({
    "id", "item", "itemid", "item_id", "status", "v", "p", "post", "postid", "post_id",
    "story_fbid", "fbid", "pid", "tid", "vid", "videoid", "video_id", "article",
    "articleid", "topic", "thread",
})  # fmt: skip
# hosts whose whole path is a link's code (a short link): its first segment is no number
ID_HOSTS = {"t.co"}
# listed sites whose user names cannot be all digits (Telegram's open with a letter): a
# digit run first in the path there is a phone number, not an account id (revision 6,
# break10 B6: https://t.me/4155550123 was left where user URLs are left as written)
NO_DIGIT_USER_HOSTS = {"t.me", "telegram.me"}


def schemeless_user_urls(text: str, revision: int = DETECTION_REVISION) -> list[tuple[int, int]]:
    """(start, end) of each URL written without ``https://`` (``twitter.com/jane``,
    ``www.facebook.com/jane``, ``mobile.twitter.com/jane``, ``reddit.com/u/jane``) that
    names a user (:func:`user_url`), its end without the sentence's punctuation. Not
    ``twitter.com`` alone, nor a URL of no user (``bbc.co.uk/news/uk-1``)."""
    if "/" not in text:
        return []
    out = []
    for m in SCHEMELESS_URL.finditer(text):
        url = m.group().rstrip(".,:;!?")
        if user_url(url, revision):
            out.append((m.start(), m.start() + len(url)))
    return out


def home_users(text: str, revision: int = DETECTION_REVISION) -> list[tuple[int, int]]:
    """(start, end) of the user name in each home folder's path (``/home/laura/cases`` ->
    ``laura``; ``/Users/NAME``, ``C:\\Users\\NAME``, WSL's ``/mnt/c/Users/NAME``, Windows'
    ``\\\\wsl$\\Ubuntu\\home\\NAME`` and ``\\\\wsl.localhost\\...``,
    ``~NAME/``): it names the person whose files they are. Not ``/home`` alone ("the /home
    page"), nor an account of no one person in any of these forms (:data:`NOT_HOME_USERS`:
    ``C:\\Users\\Public``, ``/home/ubuntu``, ``~root``). ``revision`` 1: the rules of records
    made before stop 50 (no WSL path; system accounts other than six masked)."""
    if "/" not in text and "\\" not in text:
        return []
    patterns = (UNIX_HOME, TILDE_HOME, WINDOWS_HOME)
    if revision >= 2:
        patterns += (WSL_HOME, WSL_UNC_HOME)
    kept = NOT_HOME_USERS if revision >= 2 else NOT_HOME_USERS_1
    out = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            group = next(g for g in range(1, (m.lastindex or 1) + 1) if m.group(g) is not None)
            if m.group(group).lower() not in kept:
                out.append((m.start(group), m.end(group)))
    return out


def social_host(host: str, revision: int = DETECTION_REVISION) -> bool:
    """Whether ``host`` (lower case) is a listed site's (:data:`SOCIAL_HOSTS`): the host
    itself, ``www.``/``m.`` of it, or (revision 2) another name of the same pages
    (:data:`SAME_PAGES`: ``mobile.twitter.com``, what phones copy, ``mobile.x.com``).
    Not a subdomain of other pages
    (``docs.github.com/en/…``, ``help.instagram.com/123``)."""
    bare = host.removeprefix("www.").removeprefix("m.")
    if bare in SOCIAL_HOSTS:
        return True
    first, _, rest = host.partition(".")
    return revision >= 2 and first in SAME_PAGES and rest in SOCIAL_HOSTS


def account_key(url: str) -> str:
    """A user URL as its placeholder's number reads it (revision 2): without its scheme,
    ``www.`` and a last ``/``, and a listed site's other name for the same pages
    (:data:`SAME_PAGES`) read as the site: ``https://mobile.twitter.com/Jane/`` ->
    ``twitter.com/jane``, so one account is one number however a phone wrote it. A link
    to an account's post reads as the account (``x.com/Jane/status/1`` and
    ``twitter.com/jane``: twitter's two names; ``tiktok.com/@jane/video/2`` and
    ``tiktok.com/@jane``: a first path segment ``@NAME``)."""
    from annotate.audit.placeholders import url_key

    key = url_key(url)
    host, slash, path = key.partition("/")
    first, _, site = host.partition(".")
    if first in SAME_PAGES and site in SOCIAL_HOSTS:
        host = site
    host = SAME_SITE.get(host, host)
    account, _, rest = re.split(r"[?#]", path, maxsplit=1)[0].partition("/")
    if rest and (
        account.startswith("@")
        or (host == "twitter.com" and account not in NOT_ACCOUNTS and rest.startswith("status"))
    ):
        return f"{host}/{account}"
    return host + slash + path


def user_url(url: str, revision: int = DETECTION_REVISION) -> bool:
    """Whether ``url`` names a user: credentials in it, an account path or an account query.

    Examples: ``https://twitter.com/jane`` , ``https://reddit.com/u/jane``,
    ``https://example.org/profile.php?id=12``, ``https://host/~jane``,
    ``https://mastodon.social/@jane``. Not: ``https://example.org/news/2026``, nor what
    is no URL (``chats/irc-[EMAIL-1].log``, a file name ``ingest --redact`` masked: a
    bracketed host urlsplit refuses).
    """
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
    except ValueError:  # "[EMAIL-1]" read as an IPv6 host
        return False
    host = (parts.hostname or "").lower()
    if parts.username:
        return True
    segments = [s for s in parts.path.split("/") if s]
    if any(s.startswith(("@", "~")) and len(s) > 1 for s in segments):
        return True
    if social_host(host, revision) and segments and segments[0].lower() not in NOT_ACCOUNTS:
        return True
    bare = host.removeprefix("www.").removeprefix("m.")
    if bare.endswith(".substack.com") or bare.endswith(".tumblr.com"):
        return True
    if any(s.lower() in ACCOUNT_SEGMENTS for s in segments[:-1]):
        return True
    if any(s.lower().startswith("profile") for s in segments):
        return True
    if any(k.lower() in ACCOUNT_PARAMS for k, _ in parse_qsl(parts.query)):
        return True
    return revision >= PEOPLE_REVISION and post_url(host, segments, parts.query)


# hosts (besides the listed sites, :data:`SOCIAL_HOSTS`) whose posts' links name the post,
# and so its author (revision 7): Reddit, its and YouTube's short links, LinkedIn, TikTok's
POST_HOSTS = {"reddit.com", "redd.it", "youtu.be", "linkedin.com", "vm.tiktok.com", "vt.tiktok.com"}
# hosts whose whole path is a post's code (a short link to a post)
POST_SHORT_HOSTS = {"redd.it", "youtu.be", "vm.tiktok.com", "vt.tiktok.com"}
# path segments after which the next segment is a post's id, on those hosts (revision 7:
# reddit.com/r/NAME/comments/ID, x.com/i/status/ID, youtube.com/shorts/ID,
# linkedin.com/feed/update/URN, facebook.com/groups/NAME/posts/ID)
POST_SEGMENTS = frozenset({
    "status", "statuses", "comments", "comment", "posts", "post", "p", "reel", "reels",
    "video", "videos", "shorts", "live", "photo", "photos", "update", "story",
})  # fmt: skip
# a page that shows one post (facebook.com/permalink.php?story_fbid=..., /watch?v=ID)
POST_PAGES = frozenset({"story.php", "permalink.php", "photo.php", "watch", "posts"})
POST_KEYS = frozenset({"v", "story_fbid", "fbid"})


def post_url(host: str, segments: Sequence[str], query: str) -> bool:
    """Whether a URL's ``host`` (lower case), path ``segments`` and ``query`` link one post
    on a listed site or :data:`POST_HOSTS` (revision 7): a permalink names its author as
    surely as the account's page (``reddit.com/r/london/comments/abc123/...``,
    ``x.com/i/status/1790000000000000000``, ``youtube.com/watch?v=ID``, ``youtu.be/ID``).
    A community's or a site's page of no one post stays (``reddit.com/r/news``,
    ``youtube.com/results?search_query=...``)."""
    first, _, rest = host.partition(".")
    bare = rest if first in SAME_PAGES else host
    if not (social_host(host) or bare in POST_HOSTS):
        return False
    if bare in POST_SHORT_HOSTS:
        return bool(segments)
    names = [s.lower() for s in segments]
    if any(n in POST_SEGMENTS for n in names[:-1]):
        return True
    if not names or names[-1] in POST_PAGES:
        return any(k.lower() in POST_KEYS and v for k, v in parse_qsl(query))
    return False


# a web address written with its scheme: its host, then its path, query and fragment in
# the characters scrubadub's UrlDetector takes (whose own pattern wants two characters
# before the host's first dot, so misses x.com/jane, x.com/i/status/… and t.co/…)
WEB_URL = re.compile(r"\bhttps?://([^\s/?#<>\"'\\]+)([-\w@:%+.~#?&/=]*)", re.IGNORECASE)


def missed_user_urls(
    text: str, seen: Sequence[tuple[int, int]], revision: int = DETECTION_REVISION
) -> list[tuple[int, int]]:
    """(start, end) of each user URL written with ``https://`` that scrubadub's
    UrlDetector did not find (``seen``: its matches), its end without the sentence's
    punctuation: a one-letter host's, ``https://x.com/jane`` (revision 4; before, left as
    written)."""
    if "://" not in text:
        return []
    out = []
    for m in WEB_URL.finditer(text):
        url = m.group().rstrip(".,:;!?")
        end = m.start() + len(url)
        if any(m.start() < b and a < end for a, b in seen):
            continue
        if user_url(url, revision):
            out.append((m.start(), end))
    return out


def url_id_runs(
    text: str, user_urls_masked: bool = True, schemeless_masked: bool = True
) -> list[tuple[int, int]]:
    """(start, end) of each digit run in a web address that is recognisably an id
    (revision 4): a whole path segment after one of :data:`ID_SEGMENTS`
    (``twitter.com/i/status/1234567890``, ``ebay.com/itm/4155552671``,
    ``/story/4155552671.html``), a whole query value of a key of :data:`ID_KEYS`
    (``?v=2125550199``, ``?item=…``) or a short link's code (``t.co/2125550199``). An
    address with ``?id=`` names a user (:data:`ACCOUNT_PARAMS`, :func:`user_url`:
    ``t.co/abc?id=2125550199``): masked whole as a user URL, none of its runs read here.
    phonenumbers reads any such run of a number's length as a phone number. Addresses
    written with ``http(s)://`` (:data:`WEB_URL`) or without (:data:`SCHEMELESS_URL`:
    ``www.example.com/…``, ``example.org/…``).

    It fails closed: any other run is left to be masked, a valid number dialled with the
    international prefix ``00`` (``/status/00447911123456``), a number in a slug
    (``/ads/jenny-4155552671``), after a segment or key of another word (``/contact-us/``,
    ``?mobileNumber=``, ``?ph=``, ``?q=``), first in the path (``venmo.com/4155552671``)
    or on a phone link's host (:data:`PHONE_LINK_HOSTS`, ``wa.me/14155552671``). A number
    written as one (``+14155552671``, ``415-555-2671``) is no run of digits, so
    :meth:`Redactor.find` masks it anywhere.

    ``user_urls_masked`` False (revision 6, settings without the ``user_url`` kind), or
    ``schemeless_masked`` False for one written without ``https://`` (settings without
    ``user_url_without_scheme``): a user's URL is not masked whole, so its runs are read
    here too, and its account id is
    one more id (``forum.example/u/48213377/profile``, ``?user=4155550123``: a whole
    segment after one of :data:`ACCOUNT_SEGMENTS`, the first segment on a listed site, a
    whole query value of a key of :data:`ACCOUNT_PARAMS`); before revision 6 such ids
    were masked as phone numbers.

    Neither library has a way to say this: scrubadub's PhoneDetector yields every match of
    phonenumbers' ``PhoneNumberMatcher``, which takes a region, a leniency and a tries
    limit only (no context words, no deny list)."""
    if "/" not in text:
        return []
    # (start, where its path starts, end, whether a user's URL there is masked whole)
    spans: list[tuple[int, int, int, bool]] = []
    for m in WEB_URL.finditer(text):
        spans.append((m.start(1), m.start(2), m.end(), user_urls_masked))
    for m in SCHEMELESS_URL.finditer(text):
        whole = user_urls_masked and schemeless_masked
        spans.append((m.start(), m.start() + m.group().index("/"), m.end(), whole))
    out = set()
    for start, path_at, end, masked_whole in spans:
        host = text[start:path_at].lower().rpartition("@")[2].removeprefix("www.")
        if host in PHONE_LINK_HOSTS:
            continue  # a phone link: its number is a phone number
        # a post's permalink (revision 7) is no account: its ids read as before
        account = user_url(text[start:end], PEOPLE_REVISION - 1)
        if account and masked_whole:
            continue  # a user's URL (profile.php?id=…): masked whole
        segments, keys = ID_SEGMENTS, ID_KEYS
        if account:  # left as written (no user_url kind): its account id is an id too
            segments, keys = segments | ACCOUNT_SEGMENTS, keys | ACCOUNT_PARAMS
        first_is_id = host in ID_HOSTS or (
            account
            and social_host(host.partition(":")[0])
            and host.partition(":")[0] not in NO_DIGIT_USER_HOSTS
        )
        rest = text[path_at:end].rstrip(".,:;!?").partition("#")[0]
        path, mark, query = rest.partition("?")
        at, previous = path_at, ""
        for i, segment in enumerate(path.split("/")):
            run = re.fullmatch(r"([0-9]+)(?:\.[A-Za-z]{2,5})?", segment)
            if (
                run
                and (previous in segments or (i == 1 and first_is_id))
                and not _dialled_abroad(run.group(1))
            ):
                out.add((at, at + len(run.group(1))))
            previous = segment.lower()
            at += len(segment) + 1
        at = path_at + len(path) + len(mark)
        for pair in query.split("&") if mark else ():
            key, eq, value = pair.partition("=")
            if (
                eq
                and re.fullmatch(r"[0-9]+", value)
                and key.lower() in keys
                and not _dialled_abroad(value)
            ):
                out.add((at + len(key) + 1, at + len(pair)))
            at += len(pair) + 1
    return sorted(out)


def phone_digits(text: str, matches: Iterable[Match]) -> set[str]:
    """The digits of each phone number of ``matches`` (found in ``text``): its E.164
    value's where it has one."""
    return {
        re.sub(r"\D", "", m.value or text[m.start : m.end]) for m in matches if m.kind == "phone"
    }


# a run of digits in a web address with percent-encoded separators between them
# (``+1%20415%20555%200123``, ``%2B44%207700%20900123``, ``415%2D555%2D0123``): spaces,
# ``+``, hyphens, dots, brackets
_ENCODED_NUMBER = re.compile(r"(?:%2[Bb]|\+)?(?:%28)?[0-9](?:[0-9]|%20|%2[BbDdEe89]|[-.+])*[0-9]")


def encoded_numbers(text: str, settings: RedactionSettings) -> list[tuple[int, int]]:
    """(start, end) of each phone number written percent-encoded in a web address
    (revision 6; break10 B6: ``profile.php?id=+1%20415%20555%200123`` was left by every
    revision): a run of digits with an encoded separator (:data:`_ENCODED_NUMBER`) that,
    decoded, is a phone number as the settings read one (valid in a configured region or
    with ``+country``; any possible one with ``international_possible``). No id is written
    with encoded spaces or a ``+``, so it fails closed."""
    from urllib.parse import unquote_plus

    import phonenumbers

    out = []
    for m in _ENCODED_NUMBER.finditer(text):
        if "%" not in m.group():
            continue
        decoded = unquote_plus(m.group().replace("+", "%2B"))
        if sum(c.isdigit() for c in decoded) < 7:
            continue
        for region in (None, *settings.phone_regions):
            try:
                number = phonenumbers.parse(decoded, region)
            except phonenumbers.NumberParseException:
                continue
            ok = phonenumbers.is_valid_number(number) or (
                settings.international_possible
                and decoded.startswith("+")
                and phonenumbers.is_possible_number(number)
            )
            if ok:
                out.append((m.start(), m.end()))
                break
    return out


def _dialled_abroad(digits: str) -> bool:
    """Whether a run of digits is a valid phone number written with the international
    prefix ``00`` (``00447911123456``: +44 7911 123456), which no id starts with: such a
    run in an address is masked as a number (break7 L9)."""
    if not digits.startswith("00") or digits.startswith("000"):
        return False
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse("+" + digits[2:], None))
    except phonenumbers.NumberParseException:
        return False


def _without_url_ids(
    text: str,
    found: list[Match],
    named: Iterable[tuple[int, int]],
    user_urls_masked: bool = True,
    schemeless_masked: bool = True,
    elsewhere: Iterable[str] = (),
) -> list[Match]:
    """``found`` without the phone matches that are ids in a web address
    (:func:`url_id_runs`; ``user_urls_masked``, ``schemeless_masked``: see there), unless
    the text holds the same number as a phone number elsewhere (the same digits, or the end
    of a ``+country`` number's; a speaker label's, ``named``; the national form of a number
    written with ``+country``) or the document's other fields do (``elsewhere``: the
    digits of the numbers masked there, revision 6: a ``phone`` meta column's
    415-555-0123 and the text's ``/u/4155550123/``; break10 B6): one number is masked
    wherever it is, so no copy of it is left as written."""
    phones = [m for m in found if m.kind == "phone"]
    if not any(not m.value for m in phones):  # most text: no address read at all
        return found
    ids = set(url_id_runs(text, user_urls_masked, schemeless_masked)) - set(named)
    if not ids:
        return found
    kept = {
        re.sub(r"\D", "", m.value or text[m.start : m.end])
        for m in phones
        if (m.start, m.end) not in ids or m.value
    } | set(elsewhere)

    def same_number(digits: str) -> bool:
        # either may carry the country code the other leaves out (prose 415-555-2671,
        # the address's /status/14155552671: break7 L9), or an international 00; a
        # national number's trunk 0 (07911 123456) is no part of it
        digits = digits.removeprefix("00")
        national = {k.lstrip("0") for k in kept}
        return any(
            k == digits
            or (len(digits) >= 7 and k.endswith(digits))
            or (len(k) >= 7 and digits.endswith(k))
            for k in {*kept, *national}
        )

    return [
        m
        for m in found
        if not (
            m.kind == "phone"
            and not m.value
            and (m.start, m.end) in ids
            and not same_number(text[m.start : m.end])
        )
    ]


@dataclass(frozen=True)
class RedactionSettings:
    """What is masked. ``phone_regions``: ISO regions for national-format phone numbers;
    ``international_possible``: mask ``+country`` numbers that are possible, not only
    valid; ``numbered``: number the placeholders per document (see the module);
    ``user_url_without_scheme``: mask a user's URL written without ``https://``
    (``twitter.com/jane``: :func:`schemeless_user_urls`). Records made before the last
    three existed read as False (:meth:`from_record`), and a record's ``kinds`` without
    ``home_user`` (before 2026-12-06) mask no home folder's user name."""

    kinds: tuple[str, ...] = KINDS
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS
    international_possible: bool = True
    numbered: bool = True
    user_url_without_scheme: bool = True
    # a subtitle file's values found in its words without markup (redact_through_markup)
    subtitle_markup: bool = True
    # the detection rules (DETECTION_REVISION; a record without it: 1)
    revision: int = DETECTION_REVISION

    @classmethod
    def from_record(cls, recorded: dict[str, Any]) -> RedactionSettings:
        """The settings a record (:meth:`record`, or an ingest run's ``redact``) names;
        one written before numbered placeholders and possible ``+country`` numbers reads
        as without them, so its text is masked again as it was."""
        placeholders = recorded.get("placeholders") or {}
        return cls(
            kinds=tuple(recorded.get("kinds") or ()),
            phone_regions=tuple(recorded.get("phone_regions") or ()),
            international_possible=recorded.get("phone_international") == "possible",
            numbered=any(str(v).endswith(NUMBERED) for v in placeholders.values()),
            user_url_without_scheme=recorded.get("user_url_without_scheme") is True,
            subtitle_markup=recorded.get("subtitle_markup") is True,
            revision=recorded_revision(recorded.get("detection_revision")),
        )

    def placeholder(self, kind: str) -> str:
        """The placeholder of ``kind`` as records name it (``[EMAIL-n]`` when numbered)."""
        return PLACEHOLDERS[kind].replace("]", NUMBERED) if self.numbered else PLACEHOLDERS[kind]

    def record(self) -> dict[str, Any]:
        """The settings as recorded in a manifest (with the library versions used)."""
        import importlib.metadata

        return {
            "ran": True,
            "kinds": list(self.kinds),
            "placeholders": {k: self.placeholder(k) for k in self.kinds},
            "phone_regions": list(self.phone_regions),
            # "+country" numbers masked when possible ("possible") or only when valid
            "phone_international": "possible" if self.international_possible else "valid",
            # user URLs written without https:// (twitter.com/jane) masked too
            "user_url_without_scheme": self.user_url_without_scheme,
            # a subtitle file's values split by its markup found as its words read
            "subtitle_markup": self.subtitle_markup,
            # the detection rules: 2 since stop 50 (mobile.twitter.com/NAME, WSL homes,
            # system accounts' folders left); records made before have none (read as 1)
            "detection_revision": self.revision,
            "person_names": (
                "masked where a voice tag, a speaker's prefix, a title or Faker's name lists "
                "show one (no NER model)"
                if self.revision >= PEOPLE_REVISION and "name" in self.kinds
                else "not masked (no offline detector)"
            ),
            "library": {
                name: importlib.metadata.version(name)
                for name in ("scrubadub", "phonenumbers", "faker", "pyap")
            },
        }


def recorded_revision(value: Any) -> int:
    """A record's ``detection_revision`` as a number: one made before it existed, 1."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@dataclass(frozen=True)
class Match:
    """A value to mask: ``start``/``end`` in the text, its kind, the text put in its
    place (``placeholder``; the kind's plain one, ``[EMAIL]``, when not given)."""

    start: int
    end: int
    kind: str
    placeholder: str = ""
    # the value as the numbering reads it, when not the text matched: a national form
    # (07700 900123) of a +country number in the document, its E.164 form (+447700900123)
    value: str = ""

    def __post_init__(self) -> None:
        if not self.placeholder:
            object.__setattr__(self, "placeholder", PLACEHOLDERS[self.kind])


_PLUS_DIGIT = re.compile(r"[+＋]\D{0,2}\d")  # where a "+country" number may start


def possible_international_numbers(text: str) -> list[tuple[int, int]]:
    """(start, end) of each phone number written with ``+`` and a country calling code
    whose length fits that country's numbering plan (``phonenumbers``' POSSIBLE
    leniency), valid or not: ``+44 7700 900123`` (Ofcom's fictional range, not valid).
    Numbers without ``+`` are not read (no region is given)."""
    if not _PLUS_DIGIT.search(text):  # most prose: no matcher pass (it costs as much again)
        return []
    import phonenumbers

    return [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(
            text, None, leniency=phonenumbers.Leniency.POSSIBLE
        )
        if m.raw_string.startswith("+")
    ]


# the fewest digits after the trunk prefix a national number is masked with when only
# possible: GB numbers have 9 or 10, US numbers 10; fewer are a local number or a count
NATIONAL_MIN_DIGITS = 9
# where a national number may start: a trunk prefix digit not inside a word or number
_TRUNK_DIGIT = re.compile(r"(?<![\w+＋.,/-])\(?0\d")


def possible_national_numbers(text: str, regions: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each phone number written in the national form of one of
    ``regions`` (ISO codes) that begins with that region's trunk prefix (``0`` in GB:
    ``07700 900456``) and whose length fits its numbering plan (``phonenumbers``' POSSIBLE
    leniency), valid or not: Ofcom's fictional 07700 900xxx, which no valid-only detector
    finds, as :func:`possible_international_numbers` finds its ``+44`` form. Only a
    region whose trunk prefix is ``0`` is read this way: after the US ``1``, any ten
    digits are possible (Unix times, ``1524808798``, misfired on Gab posts)."""
    if not _TRUNK_DIGIT.search(text):
        return []
    import phonenumbers

    out = []
    for region in regions:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
        prefix = meta.national_prefix if meta is not None else None
        if prefix != "0":  # US "1": any 10 digits after it, a Unix time (15xxxxxxxx)
            continue
        for m in phonenumbers.PhoneNumberMatcher(
            text, region.upper(), leniency=phonenumbers.Leniency.POSSIBLE
        ):
            if (
                m.raw_string.lstrip("(").startswith(prefix)
                and _TRUNK_DIGIT.match(text, m.start)
                and len(phonenumbers.national_significant_number(m.number)) >= NATIONAL_MIN_DIGITS
                and phonenumbers.is_possible_number_with_reason(m.number)
                == phonenumbers.ValidationResult.IS_POSSIBLE
            ):
                out.append((m.start, m.end))
    return out


# a North American local number as written: a three-digit exchange (2-9 first), a
# separator and four digits (555-0142, 555.0142, 555 0142, (555) 0142), the whole of what
# phonenumbers matched
_LOCAL_SHAPE = re.compile(r"\(?[2-9]\d{2}\)?[-. ]\d{4}")
# not inside a word, a number, a price or a URL's path (a slash after a letter: a news
# article's /534-2560); after a slash that follows a digit it is the second of two numbers
# (851-2681/511-1259)
_LOCAL_BEFORE = re.compile(r"(?<![\w.,+＋$£€-])(?<![^\d\s]/)")
_LOCAL_AFTER = re.compile(r"[\w-]")
_LOCAL_CANDIDATE = re.compile(r"\d{3}\)?[-. ]\d{4}")


def local_numbers(text: str, regions: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each phone number written without its area code in the local form
    of a North American region among ``regions`` (country code 1: ``US``): what
    ``phonenumbers`` (POSSIBLE leniency) matches with that region and calls possible only
    locally (``IS_POSSIBLE_LOCAL_ONLY``: seven digits), written as an exchange, a separator
    and four digits (``555-0142``; :data:`_LOCAL_SHAPE`), not inside a word, a number, a
    price or a URL's path. Not seven digits run together (``5550142``: article and post
    ids), nor a range of round numbers (``300-1000 rounds``: four digits a multiple of 100
    greater than the three), nor a year or case number (``2024-0142``: four digits first,
    which phonenumbers does not match). Other regions' local numbers are not read: GB's are
    six to eight digits in many forms, most often ids."""
    if not _LOCAL_CANDIDATE.search(text):  # most text: no matcher pass
        return []
    import phonenumbers

    north_american = [r.upper() for r in regions if phonenumbers.country_code_for_region(r) == 1]
    if not north_american:
        return []
    out = []
    for region in north_american:
        for m in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        ):
            if (
                phonenumbers.is_possible_number_with_reason(m.number)
                != phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY
                or not _LOCAL_SHAPE.fullmatch(m.raw_string)
                or not _LOCAL_BEFORE.match(text, m.start)
                or _LOCAL_AFTER.match(text, m.end)
            ):
                continue
            digits = "".join(c for c in m.raw_string if c.isdigit())
            exchange, line = int(digits[:3]), int(digits[3:])
            if line % 100 == 0 and line > exchange:  # 300-1000 rounds, 200-1500 people
                continue
            out.append((m.start, m.end))
    return sorted(set(out))


def international_numbers(text: str, possible: bool = True) -> set[str]:
    """E.164 (``+447700900123``) of each number ``text`` writes with ``+country`` that
    ``--redact`` masks: possible (:func:`possible_international_numbers`), or with
    ``possible`` False only valid ones."""
    import phonenumbers

    out = set()
    for start, end in possible_international_numbers(text):
        number = phonenumbers.parse(text[start:end], None)
        if possible or phonenumbers.is_valid_number(number):
            out.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return out


def national_forms(text: str, numbers: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, E.164) of each number ``text`` writes in national form (``07700
    900123``, a trunk prefix, no ``+``) whose ``+country`` form is among ``numbers``
    (E.164, ``+447700900123``): masked in one form, a number is masked in the other, valid
    or not (Ofcom's fictional 07700 900xxx is no valid number, so no detector finds it)."""
    import phonenumbers

    wanted = set(numbers)
    if not wanted or not any(c.isdigit() for c in text):
        return []
    regions = set()
    for number in wanted:
        try:
            code = phonenumbers.parse(number, None).country_code
        except phonenumbers.NumberParseException:
            continue
        regions.add(phonenumbers.region_code_for_country_code(code))
    out = []
    for region in sorted(regions - {"ZZ", "001"}):
        for m in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        ):
            e164 = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
            if not m.raw_string.startswith(("+", "＋")) and e164 in wanted:
                out.append((m.start, m.end, e164))
    return out


def speaker_numbers(speakers: Iterable[str | None]) -> list[str]:
    """The speakers (of a conversation's turns, as the turn reader wrote them) that are
    phone numbers: no letter, at least 7 digits (``+44 7700 900123``, ``07700 900123``;
    the turn reader takes a name without letters only as a phone number after a
    timestamp)."""
    return [
        s
        for s in speakers
        if s is not None and not any(c.isalpha() for c in s) and sum(c.isdigit() for c in s) >= 7
    ]


def speaker_labels(speakers: Iterable[str | None]) -> list[str]:
    """The speakers of a conversation's turns that :meth:`Redactor.find` masks wherever
    they occur: those that are phone numbers (:func:`speaker_numbers`) and, from detection
    revision 7, those that name someone (``Jane Roe``, ``dave_k``: a letter in them; not a
    role, ``Host``, nor ``You``: :func:`annotate.audit.redact_people.named_speakers`)."""
    from annotate.audit.redact_people import named_speakers

    listed = [s for s in speakers if s is not None]
    return [*speaker_numbers(listed), *named_speakers(listed)]


def label_numbers(text: str, numbers: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence in ``text`` of each of ``numbers`` (phone numbers
    as a conversation's speaker labels write them, ``07700 900123``), not inside a longer
    run of digits."""
    out = []
    for number in dict.fromkeys(numbers):
        pattern = re.compile(rf"(?<![\d+]){re.escape(number)}(?!\d)")
        out += [(m.start(), m.end()) for m in pattern.finditer(text)]
    return out


@dataclass
class Redaction:
    """A redacted text and the offset map from the original (code points)."""

    original: str
    text: str
    matches: list[Match] = field(default_factory=list)  # in the original, sorted, disjoint

    @cached_property
    def _starts(self) -> list[int]:
        return [m.start for m in self.matches]

    @cached_property
    def _shift_before(self) -> list[int]:
        shifts, total = [], 0
        for m in self.matches:
            shifts.append(total)
            total += len(m.placeholder) - (m.end - m.start)
        return shifts

    def _after(self, i: int) -> int:
        m = self.matches[i]
        return self._shift_before[i] + len(m.placeholder) - (m.end - m.start)

    def map_start(self, pos: int) -> int:
        """New offset of a span start at ``pos`` (inside a match: the placeholder's start)."""
        i = bisect_right(self._starts, pos) - 1  # last match starting at or before pos
        if i < 0:
            return pos
        m = self.matches[i]
        if pos < m.end:
            return m.start + self._shift_before[i]
        return pos + self._after(i)

    def map_end(self, pos: int) -> int:
        """New offset of a span end at ``pos`` (inside a match: the placeholder's end)."""
        i = bisect_right(self._starts, pos - 1) - 1  # last match starting before pos
        if i < 0:
            return pos
        m = self.matches[i]
        if pos <= m.end:
            return m.start + self._shift_before[i] + len(m.placeholder)
        return pos + self._after(i)


def _written_email_detector(base: Any) -> Any:
    """scrubadub's e-mail detector without its spoken forms (" at ", " dot ").

    With them, prose such as "mail me at jane.roe@example.com" matched "me at jane.roe"
    and left the real address behind, and "look at example.com" read as an address.
    """
    pattern = base.regex.pattern.replace(r"(?:@|\sat\s)", "@").replace(r"(\.|\sdot\s)", r"(\.)")
    pattern = pattern.replace(r"(?:\.|\sdot\s|[a-z0-9-])", r"(?:\.|[a-z0-9-])")
    if "\\sat\\s" in pattern or "\\sdot\\s" in pattern:  # pragma: no cover - library changed
        raise RuntimeError("scrubadub's e-mail pattern changed; update _written_email_detector")
    detector = base()
    detector.regex = re.compile(pattern, base.regex.flags)
    return detector


class Redactor:
    """Finds and masks personal data; one instance per run (detectors are built once)."""

    def __init__(self, settings: RedactionSettings | None = None) -> None:
        from scrubadub.detectors import EmailDetector, PhoneDetector, TwitterDetector, UrlDetector

        self.settings = settings or RedactionSettings()
        unknown = set(self.settings.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown redaction kinds {sorted(unknown)}; known: {KINDS}")
        kinds = set(self.settings.kinds)
        self._detectors: list[tuple[str, Any]] = []
        if "email" in kinds:
            self._detectors.append(("email", _written_email_detector(EmailDetector)))
        if "phone" in kinds:
            for region in self.settings.phone_regions:
                self._detectors.append(("phone", PhoneDetector(locale=f"en_{region}")))
        if "user_url" in kinds:
            self._detectors.append(("user_url", UrlDetector()))
        if "handle" in kinds:
            self._detectors.append(("handle", TwitterDetector()))
        self._long_handle = re.compile(LONG_HANDLE) if "handle" in kinds else None

    def numbering(self) -> Numbering:
        """A fresh :class:`Numbering` (one document's), reading national phone numbers in
        the configured regions."""
        return Numbering(
            self.settings.phone_regions,
            self.settings.user_url_without_scheme,
            account_key if self.settings.revision >= 2 else None,
        )

    def find(
        self,
        text: str,
        labels: Sequence[str] = (),
        international: Iterable[str] = (),
        elsewhere: Iterable[str] = (),
    ) -> list[Match]:
        """Disjoint matches in ``text``, longest first on overlaps, sorted by position
        (plain placeholders). ``labels``: phone numbers that speaker labels of the text
        are (:func:`label_numbers`), masked wherever they occur. A number written in
        national form is masked when the text, or ``international`` (E.164: the numbers
        its document wrote with ``+country`` before it), holds its ``+country`` form
        (:func:`national_forms`). ``elsewhere`` (revision 6): the digits of phone numbers
        masked in the document's other fields, masked where the text writes them as an
        id in a web address too (:func:`_without_url_ids`). Revision 6 also reads a
        number written percent-encoded in an address (``?id=+1%20415%20555%200123``:
        :func:`encoded_numbers`)."""
        found: list[Match] = []
        revision = self.settings.revision
        # speakers that name someone (revision 7, speaker_labels) apart from the numbers
        names = [x for x in labels if any(c.isalpha() for c in x)]
        labels = [x for x in labels if not any(c.isalpha() for c in x)]
        if "phone" in self.settings.kinds:  # first: the E.164 value wins a tie
            twins = international_numbers(text, self.settings.international_possible)
            found += [
                Match(a, b, "phone", value=e164)
                for a, b, e164 in national_forms(text, twins | set(international))
            ]
        urls: list[tuple[int, int]] = []  # what scrubadub's UrlDetector found
        for kind, detector in self._detectors:
            for filth in detector.iter_filth(text):
                if kind == "user_url":
                    urls.append((filth.beg, filth.end))
                    if not user_url(filth.text, revision):
                        continue
                if kind == "email" and revision >= 2 and filth.text.rpartition("@")[0][-1:] == "/":
                    continue  # a URL's /@name (tiktok.com/@jane.roe): a user URL, a handle
                found.append(Match(filth.beg, filth.end, kind))
        if self._long_handle is not None:
            found += [Match(m.start(), m.end(), "handle") for m in self._long_handle.finditer(text)]
        if "user_url" in self.settings.kinds and revision >= 4:  # https://x.com/jane
            found += [Match(a, b, "user_url") for a, b in missed_user_urls(text, urls, revision)]
        if "user_url" in self.settings.kinds and self.settings.user_url_without_scheme:
            found += [Match(a, b, "user_url") for a, b in schemeless_user_urls(text, revision)]
        if "home_user" in self.settings.kinds:
            found += [Match(a, b, "home_user") for a, b in home_users(text, revision)]
        if "phone" in self.settings.kinds:
            wider = (
                [
                    *possible_international_numbers(text),
                    *possible_national_numbers(text, self.settings.phone_regions),
                ]
                if self.settings.international_possible
                else []
            )
            if revision >= 3:  # 555-0142 (records made before: left)
                wider += local_numbers(text, self.settings.phone_regions)
            found += [Match(a, b, "phone") for a, b in (*wider, *label_numbers(text, labels))]
        if "phone" in self.settings.kinds and revision >= 4:
            # revision 6: a user URL left as written (no user_url kind; one without
            # https:// and no user_url_without_scheme): its account id is no number
            whole = revision < 6 or "user_url" in self.settings.kinds
            schemeless = revision < 6 or self.settings.user_url_without_scheme
            labelled = label_numbers(text, labels)
            others = elsewhere if revision >= 6 else ()
            found = _without_url_ids(text, found, labelled, whole, schemeless, others)
        if "phone" in self.settings.kinds and revision >= 6 and "%" in text:
            found += [Match(a, b, "phone") for a, b in encoded_numbers(text, self.settings)]
        if revision >= PEOPLE_REVISION and "name" in self.settings.kinds:
            from annotate.audit.redact_people import person_names

            found += [Match(a, b, "name") for a, b in person_names(text, names)]
        if revision >= PEOPLE_REVISION and "address" in self.settings.kinds:
            from annotate.audit.redact_people import postal_addresses

            found += [Match(a, b, "address") for a, b in postal_addresses(text)]
        chosen: list[Match] = []
        for m in sorted(found, key=lambda m: (-(m.end - m.start), m.start, KINDS.index(m.kind))):
            if all(m.end <= c.start or m.start >= c.end for c in chosen):
                chosen.append(m)
        return sorted(chosen, key=lambda m: m.start)

    def redact(
        self, text: str, numbering: Numbering | None = None, labels: Sequence[str] = ()
    ) -> Redaction:
        """``text`` with every match replaced by its placeholder, and the offset map.
        ``numbering``: the document's, for a field of it after its text (``numbered``
        settings; None: the text of a document, numbered from 1); ``labels``: see
        :meth:`find`."""
        known = numbering.international if numbering is not None else set()
        numbers = numbering.numbers if numbering is not None else set()
        matches = self.find(text, labels, known, numbers) if text else []
        if numbering is not None and self.settings.revision >= 6:
            numbering.numbers.update(phone_digits(text, matches))
        if numbering is not None and "+" in text:  # its national forms in later fields
            numbering.international.update(
                international_numbers(text, self.settings.international_possible)
            )
        if self.settings.numbered:
            if numbering is None:
                numbering = self.numbering()
                numbering.after(text)
            matches = [
                Match(
                    m.start,
                    m.end,
                    m.kind,
                    numbering.placeholder(m.kind, m.value or text[m.start : m.end]),
                )
                for m in matches
            ]
        return _applied(text, matches)

    def text(
        self, value: str | None, numbering: Numbering | None = None, labels: Sequence[str] = ()
    ) -> str | None:
        return None if value is None else self.redact(value, numbering, labels).text

    def url(
        self, value: str | None, numbering: Numbering | None = None, labels: Sequence[str] = ()
    ) -> str | None:
        """A whole field holding a URL: masked when it names a user, else redacted as text."""
        if value and user_url(value.strip(), self.settings.revision) and " " not in value.strip():
            if "user_url" not in self.settings.kinds:
                return value
            if self.settings.numbered:
                return (numbering or self.numbering()).placeholder("user_url", value.strip())
            return PLACEHOLDERS["user_url"]
        return self.text(value, numbering, labels)

    def json_strings(
        self,
        value: str | None,
        numbering: Numbering | None = None,
        labels: Sequence[str] = (),
        kinds: list[str] | None = None,
        keep: Mapping[str, str] | None = None,
    ) -> str | None:
        """A JSON document (e.g. ingest ``meta``) with every string inside it redacted, and
        the keys of the objects nested in it (content: ``{"reactions": {"jane@x.org":
        "like"}}``); the top level's keys, a table's column names, stay. Two keys masked
        alike are told apart (``[EMAIL-1]``, ``[EMAIL-1] 2``: one address written in two
        cases; plain placeholders ``[EMAIL]``, ``[EMAIL] 2``), so no value is lost. A number
        (at any depth, in lists of lists too: a phone column a table reader typed as
        integers, ``{"phone": 4155552671}``) is read as its digits (:func:`number_text`)
        and replaced by their redacted text (``"[PHONE-1]"``) when a detector finds
        anything in them; other numbers stay numbers. ``numbering``: the document's
        (numbered settings; None: numbered apart); ``labels``: see :meth:`find`;
        ``kinds``: a list the kind of each placeholder put in is appended to (a user URL
        masked whole counts its kinds found, else ``user_url``), for the export's tally;
        ``keep``: top-level keys whose value, when it is the string given, is kept as it is
        (the keyed pseudonyms ``ingest --redact`` put in place of a thread or author:
        :func:`kept_pseudonyms`), neither masked nor counted."""
        if value is None:
            return None
        if self.settings.numbered and numbering is None:
            numbering = self.numbering()

        def text(node: str) -> str:
            red = self.redact(node, numbering, labels)
            if kinds is not None:
                kinds.extend(m.kind for m in red.matches)
            return red.text

        try:
            data = json.loads(value)
        except json.JSONDecodeError:
            return text(value)

        # revision 5: a bare user name under an author-like key is masked whole
        authors = "handle" in self.settings.kinds and self.settings.revision >= AUTHOR_REVISION

        def account(node: str) -> str:
            """A value of an author-like key: as any string when a detector finds
            something in it, else whole as a handle (numbered with the document's)."""
            red = self.redact(node, numbering, labels)
            if red.matches or not node.strip() or ANY_PLACEHOLDER.fullmatch(node.strip()):
                if kinds is not None:
                    kinds.extend(m.kind for m in red.matches)
                return red.text
            if kinds is not None:
                kinds.append("handle")
            if numbering is None:
                return PLACEHOLDERS["handle"]
            return numbering.placeholder("handle", node)

        def walk(node: Any, top: bool = False, owner: object = None) -> Any:
            if (
                isinstance(node, str)
                and authors
                and owner is not None
                and author_key(owner, self.settings.revision)
            ):
                return account(node)
            if isinstance(node, str):
                if "://" in node:
                    masked = self.url(node, numbering, labels)
                    if kinds is not None and masked != node:
                        kinds.extend([m.kind for m in self.find(node)] or ["user_url"])
                    return masked
                return text(node)
            if isinstance(node, (int, float)) and not isinstance(node, bool):
                red = self.redact(number_text(node), numbering, labels)
                if kinds is not None:
                    kinds.extend(m.kind for m in red.matches)
                return red.text if red.matches else node
            if isinstance(node, list):
                return [walk(v, owner=owner) for v in node]
            if isinstance(node, dict):
                out: dict[str, Any] = {}
                for k, v in node.items():
                    if top and keep and isinstance(v, str) and keep.get(str(k)) == v:
                        out[k] = v  # a keyed pseudonym ingest made: no one's value
                        continue
                    key = k if top else str(walk(k))
                    n, base = 1, key
                    while key in out:
                        n += 1
                        key = f"{base} {n}"
                    # revision 6: a nested key is read with its owners' (user.name)
                    nested = owner is not None and self.settings.revision >= AUTHOR_KEYS_REVISION
                    out[key] = walk(v, owner=f"{owner}.{k}" if nested else k)
                return out
            return node

        return json.dumps(walk(data, top=True), ensure_ascii=False, sort_keys=True)


def _leaves(value: Any) -> Iterator[str]:
    """The strings and numbers (as :func:`number_text` reads them) inside ``value`` (parsed
    JSON: lists and objects, their keys too), at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield number_text(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(k)
            yield from _leaves(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _leaves(v)


def number_text(value: float) -> str:
    """A JSON number as the digits a detector reads: an integer as written (``4155552671``),
    a float holding a whole number (``4155552671.0``, a table column with a missing value
    read as floats) as that integer, another float as Python writes it."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    return str(value)


def redact_through_markup(
    redactor: Redactor,
    text: str,
    numbering: Numbering | None = None,
    labels: Sequence[str] = (),
) -> Redaction:
    """``text`` of a subtitle file (WebVTT/SRT cues) redacted as its words read: values are
    found in the text without its markup (:func:`annotate.studio.shown_text.shown_text`,
    what reviewers are shown and the classifier reads), and each is masked on the raw
    characters it covers, markup inside it included; what is found in the raw text and
    overlaps none of those is masked too. A value split by markup
    (``<i>jane.roe</i>@example.com``, YouTube's one-word ``<c>`` cues of a phone number)
    was kept in the raw text while the markup-free copy showed it masked (stop 49,
    break3 B3). Text without markup: :meth:`Redactor.redact`."""
    from annotate.studio.shown_text import shown_text

    view = shown_text(text)
    if not view.changed:
        return redactor.redact(text, numbering, labels)
    if redactor.settings.numbered and numbering is None:
        numbering = redactor.numbering()
        numbering.after(text)
    masks: list[Match] = []
    for m in redactor.redact(view.shown, numbering, labels).matches:
        start, end = view.to_raw(m.start, m.end)
        if m.kind == "name":  # a voice tag's speaker: its name masked, the tag kept
            start, end = _voice_name(text, start, end, view.shown[m.start : m.end])
        if end > start:
            masks.append(Match(start, end, m.kind, m.placeholder, m.value))
    for m in redactor.redact(text, numbering, labels).matches:
        if not any(m.start < x.end and x.start < m.end for x in masks):
            masks.append(m)
    return _applied(text, sorted(masks, key=lambda m: m.start))


def _voice_name(text: str, start: int, end: int, name: str) -> tuple[int, int]:
    """Where ``name`` (a speaker's name found in the shown text, ``Maria Lopez: ``) is in
    the raw ``text[start:end]`` it maps to, when that is a voice tag naming it
    (``<v Maria Lopez>``): the tag's name only, so the masked text keeps its tag
    (``<v [NAME-1]>``) and reads as a speaker's turn; else ``(start, end)``."""
    from annotate.audit.redact_people import VOICE_TAG

    tag = VOICE_TAG.fullmatch(text, start, end)
    if tag is not None and tag.group(1).strip() == name.strip():
        return tag.start(1), tag.end(1)
    return start, end


def _applied(text: str, matches: list[Match]) -> Redaction:
    """``text`` with each of ``matches`` (sorted, disjoint) replaced by its placeholder,
    and the offset map (:class:`Redaction`)."""
    out, last = [], 0
    for m in matches:
        out += [text[last : m.start], m.placeholder]
        last = m.end
    out.append(text[last:])
    return Redaction(original=text, text="".join(out), matches=matches)


def shift_spans(spans: Sequence[dict[str, Any]], red: Redaction) -> list[dict[str, Any]]:
    """Spans (``start``/``end``/``text``) moved onto the redacted text; text re-sliced."""
    out = []
    for s in spans:
        start, end = red.map_start(int(s["start"])), red.map_end(int(s["end"]))
        out.append({**s, "start": start, "end": end, "text": red.text[start:end]})
    return out


# what ingest --redact masks; the document id is kept (a key) but shown masked
INGEST_FIELDS = ("text", "title", "source", "date", "meta", "input_file")
# a passage's ``redaction`` key: its document id with the input file's name masked in it,
# which the provenance line shows reviewers (annotate.studio.tasks.provenance_line)
SHOWN_DOC_ID = "shown_doc_id"
# a passage's ``redaction`` key beside it: the document's keyed pseudonym (``pd_…``, as
# ``export --redact`` names a document id holding personal data:
# :func:`annotate.audit.passage_pseudonyms.document_pseudonym`), which push sends to Label
# Studio as the task's ``doc_id`` in place of the id that holds the unmasked name
DOC_KEY = "doc_key"
# a passage's ``redaction`` key beside them: {meta key: keyed pseudonym} of each parent
# column value (the comment the row replies to) whose document id is keyed as
# :data:`DOC_KEY` is (:func:`keyed_doc_id`), which push sends as the task's
# ``parent_doc_id`` so that it names the parent's task as that task's ``doc_id`` does
PARENT_KEYS = "parent_keys"


def ingest_record(settings: RedactionSettings) -> dict[str, Any]:
    """What a passage redacted at ingest carries (its ``redaction`` column, then its task
    and corpus row): the settings and library versions of :meth:`RedactionSettings.record`,
    ``at: ingest`` and the fields masked; :func:`passage_redaction` adds the counts."""
    record = {k: v for k, v in settings.record().items() if k != "ran"}
    return {"at": "ingest", **record, "fields": list(INGEST_FIELDS)}


def placeholder_marks(red: Redaction) -> list[tuple[int, str]]:
    """(offset in the redacted text, kind) of each placeholder of ``red``."""
    marks, shift = [], 0
    for m in red.matches:
        marks.append((m.start + shift, m.kind))
        shift += len(m.placeholder) - (m.end - m.start)
    return marks


def ingest_key() -> bytes:
    """The work folder's pseudonym key (``$ANNOTATE_HOME/passage_id_key``, made there on
    first use); an ingest that cannot read or make it says so in its own terms
    (InputError: export's error names export's ``--id-key``)."""
    from annotate.audit.passage_pseudonyms import NEW_KEY_RENAMES, default_key_path, load_key
    from annotate.errors import ExportError, InputError

    try:
        return load_key()
    except ExportError as err:
        raise InputError(
            f"ingest --redact keys the document ids that hold a file's name and a table's "
            f"thread and author columns (Label Studio gets pseudonyms of them) with the key "
            f"in {default_key_path()}: {err.what}",
            # a key there that cannot be used: restore it (a new one renames every
            # pseudonym, faults59), not "make the folder writable"
            fix=f"restore {default_key_path()} from a backup (the key earlier --redact "
            "exports and ingests used), or set ANNOTATE_HOME to the work folder that holds "
            f"that key; {NEW_KEY_RENAMES}"
            if default_key_path().exists()
            else "make that folder writable, or set ANNOTATE_HOME to your work folder "
            "(`export --redact` keeps its key there too).",
        ) from err


def _ingest_doc_key(doc_id: str) -> str:
    """The keyed pseudonym (``pd_…``) of ``doc_id`` under the work folder's key
    (:func:`ingest_key`)."""
    from annotate.audit.passage_pseudonyms import document_pseudonym

    return document_pseudonym(ingest_key(), doc_id)


def keyed_doc_id(redactor: Redactor, doc_id: str) -> str | None:
    """The keyed pseudonym (``pd_…``, :func:`_ingest_doc_key`) Label Studio gets in place
    of ``doc_id`` under ``ingest --redact``: for an id that holds personal data (masking it
    as a file's name changes it: ``chats/jane@example.org.txt``, an id column's
    ``anna.smith@example.org``), else None (the id is sent as it is). One rule for a
    document's own id and for a reply's parent column naming it, so that the two match
    within a run and across runs keyed alike."""
    if masked_file_name(redactor, doc_id) == doc_id:
        return None
    return _ingest_doc_key(doc_id)


def masked_file_name(
    redactor: Redactor,
    name: str,
    numbering: Numbering | None = None,
    labels: Sequence[str] = (),
) -> str:
    """A file's ``name`` as ingest names it (``chats/WhatsApp Chat with +44 7700
    900123.txt``) masked a part of the path at a time (``chats/WhatsApp Chat with
    [PHONE-1].txt``); ``numbering``: the document's, numbered on (None: the name's own)."""
    numbering = numbering if numbering is not None else redactor.numbering()
    return "/".join(_masked_name_part(redactor, p, numbering, labels) for p in name.split("/"))


def _masked_name_part(
    redactor: Redactor, part: str, numbering: Numbering, labels: Sequence[str]
) -> str:
    """One part of a file's path masked, its extension kept where a match took it along
    (``jane.roe@example.com.txt`` reads as one address: ``[EMAIL-1].txt``, not
    ``[EMAIL-1]``), unless the name without it holds fewer matches (``jane@example.md``
    is an address, not a Markdown file named ``jane@example``)."""
    stem, dot, ext = part.rpartition(".")
    if dot and stem and ext.isalnum() and len(ext) <= 8:
        known = numbering.international
        whole = redactor.find(part, labels, known)
        took_ext = any(m.end > len(stem) for m in whole)
        if took_ext and len(redactor.find(stem, labels, known)) >= len(whole):
            return (redactor.text(stem, numbering, labels) or "") + dot + ext
    return redactor.text(part, numbering, labels) or ""


def masked_file_list(redactor: Redactor, files: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The run record's ``skipped_files`` or ``decoded_files`` (each ``{"file": NAME,
    ...}``) with each ``file`` masked as a passage's ``input_file`` is (ingest --redact:
    a file named by an e-mail address or phone number), each numbered on its own."""
    return [
        {**f, "file": masked_file_name(redactor, f["file"])}
        if isinstance(f.get("file"), str)
        else f
        for f in files
    ]


@dataclass(frozen=True)
class IngestRedaction:
    """What ``ingest --redact`` does to one document's text, then what it did
    (``Document.redaction``).

    :func:`redact_documents` sets it on each document (``marks`` None: the text is not
    masked yet). The splitter (``annotate.ingestion._split``) masks the text with
    :meth:`mask` after removing its control characters and after finding its speaker
    turns on the unmasked text: a speaker label may itself be masked (``<@op>`` ->
    ``<[HANDLE-1]>``, ``jane@example.org:`` -> ``[EMAIL-2]:``), and two speakers masked
    to one kind of placeholder are still two people (and two numbers). ``marks``:
    (offset in the masked text, kind) of each placeholder (:func:`placeholder_marks`)."""

    record: dict[str, Any]
    redactor: Redactor
    marks: tuple[tuple[int, str], ...] | None = None
    # the input file's name masked (the passages' ``input_file``) and the document id as
    # reviewers are shown it (the provenance line), each None when masking left it as it
    # was: set by :meth:`names` once the text, title, source and meta are masked
    input_file: str | None = None
    shown_doc_id: str | None = None
    # the document id's keyed pseudonym (:data:`DOC_KEY`), set with ``shown_doc_id``
    doc_key: str | None = None
    # the keyed pseudonyms of the meta's thread and author values (:data:`CONTEXT_KEYS`)
    context: tuple[tuple[str, str], ...] = ()
    # ``ingest --parent-column``: the meta key naming the comment a row replies to, kept
    # unmasked as the document id is (None: the keys named like one,
    # annotate.review.parents.parent_key); break13 #10
    parent_column: str | None = None
    # ``ingest --id-prefix`` (put before a parent column's value, as before every id)
    id_prefix: str | None = None
    # {meta key: keyed pseudonym} of the parent column values whose ids are keyed
    # (:data:`PARENT_KEYS`)
    parent_keys: tuple[tuple[str, str], ...] = ()

    def names(
        self, name: str | None, doc_id: str, numbering: Numbering, labels: Sequence[str] = ()
    ) -> IngestRedaction:
        """This redaction with the input file's ``name`` masked a part of the path at a
        time (``chats/WhatsApp Chat with [PHONE-1].txt``), numbered on in the document's
        ``numbering`` as its title is (a file named by the number its text writes gets
        that number's placeholder), and ``doc_id`` as shown (the name masked in it where
        it holds the name: a text file's id is its name). The id itself is kept (a key:
        ``--previous`` and ``verify --sources`` match documents by it); one that holds the
        name gets a keyed pseudonym too (``doc_key``, ``pd_…``: the key export --redact
        uses, ``$ANNOTATE_HOME/passage_id_key``), which push sends to Label Studio as the
        task's ``doc_id``: the masked name is no key (two files named by two numbers
        both read ``[PHONE-1]``), and the id's hash would confirm a guessed number.
        Any other id holding personal data (an id column's ``anna.smith@example.org``)
        is keyed alike (:func:`keyed_doc_id`), as a reply's parent column naming it is."""
        key = keyed_doc_id(self.redactor, doc_id)
        masked = masked_file_name(self.redactor, name, numbering, labels) if name else name
        if not name or masked == name:
            return self if key is None else replace(self, doc_key=key)
        shown = doc_id.replace(name, masked) if name in doc_id else None
        if shown is not None and key is None:  # Label Studio's doc_id: without the name
            key = _ingest_doc_key(doc_id)
        return replace(self, input_file=masked, shown_doc_id=shown, doc_key=key)

    def mask(
        self,
        text: str,
        labels: Sequence[str] = (),
        *,
        markup: bool = False,
        others: Iterable[Any] = (),
    ) -> tuple[Redaction, IngestRedaction, Numbering]:
        """``text`` masked (with the offset map from it), this redaction with the
        placeholders' marks, and the document's :class:`Numbering` (its title, source
        and meta are masked after its text, with it). ``labels``: phone numbers its
        speaker labels are (:func:`speaker_numbers`); ``markup``: a subtitle file's text,
        read without its markup to find values (:func:`redact_through_markup`);
        ``others``: the document's other fields (title, source, meta as parsed JSON),
        whose phone numbers are masked in the text's web addresses too where it writes
        them as an account id (revision 6: a ``phone`` column's 415-555-0123 and the
        text's ``/u/4155550123/``; break10 B6)."""
        numbering = self.redactor.numbering()
        numbering.after(text)  # "[EMAIL-1]" already written in it (a masked copy re-read)
        if self.redactor.settings.revision >= 6 and "phone" in self.redactor.settings.kinds:
            for value in _leaves(list(others)):
                numbering.numbers |= phone_digits(value, self.redactor.find(value, labels))
        if markup and self.redactor.settings.subtitle_markup:
            red = redact_through_markup(self.redactor, text, numbering, labels)
        else:
            red = self.redactor.redact(text, numbering, labels)
        done = IngestRedaction(
            self.record,
            self.redactor,
            tuple(placeholder_marks(red)),
            parent_column=self.parent_column,
            id_prefix=self.id_prefix,
        )
        return red, done, numbering


def passage_redaction(redaction: IngestRedaction, start: int, end: int) -> str:
    """The ``redaction`` value (JSON) of the passage ``start:end`` of a document redacted at
    ingest (``Document.redaction``, its text masked: :meth:`IngestRedaction.mask`): the
    run's record and the placeholders put into the passage's text, by kind
    (``masked_in_text``; a placeholder counts where it starts). Raises ValueError for a
    document whose text was not masked (no marks): its passages would say nothing was."""
    if redaction.marks is None:
        raise ValueError("passage_redaction: the document's text was not masked (no marks)")
    masked = {kind: 0 for kind in redaction.record["kinds"]}
    for at, kind in redaction.marks:
        if start <= at < end:
            masked[kind] += 1
    value = {**redaction.record, "masked_in_text": masked}
    if redaction.shown_doc_id is not None:  # the document id, its file name masked
        value[SHOWN_DOC_ID] = redaction.shown_doc_id
    if redaction.doc_key is not None:  # the task's doc_id (push)
        value[DOC_KEY] = redaction.doc_key
    if redaction.parent_keys:  # the task's parent_doc_id (push)
        value[PARENT_KEYS] = dict(redaction.parent_keys)
    if redaction.context:  # the thread and author as the provenance line shows them
        value[CONTEXT_KEYS] = dict(redaction.context)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def redact_documents(
    docs: Iterator[Any],
    redactor: Redactor,
    parent_column: str | None = None,
    id_prefix: str | None = None,
) -> Iterator[Any]:
    """Ingest documents each carrying ``redaction`` (an :class:`IngestRedaction`: the
    settings record and the redactor) by which the splitter masks them
    (``annotate.ingestion._masked``): NOT masked yet.

    The text is masked whole, before it is split, which keeps every passage's document
    offsets (``start``/``end``) true to the masked document; but after its control
    characters are removed (what ``document_sha256`` hashes: the text cleaned, then
    masked) and its speaker turns are found on the unmasked text (a masked speaker label
    still starts a turn; the turns are carried onto the masked text by the offset map).
    Then its title (its control characters removed first too), source and meta values
    (strings, and numbers as their digits: :meth:`Redactor.json_strings`), numbered on
    from the text's placeholders, and the file's ``name`` (the passages' ``input_file``,
    :meth:`IngestRedaction.names`). ``doc_id`` is kept (a key: ``--previous``, resume and
    ``verify --sources`` match documents by it); reviewers are shown it with the name
    masked in it (the passage's ``redaction`` records it as ``shown_doc_id``), and Label
    Studio gets its keyed pseudonym instead (``doc_key``: :meth:`IngestRedaction.names`).
    So is the meta's parent column (``parent_column``, else the keys named like one): a
    document id too, which push matches to the parent's (break13 #10: an e-mail-like id
    was masked there and not as the parent's doc_id); where the parent's id (after
    ``id_prefix``) holds personal data, the passage records its keyed pseudonym too
    (:data:`PARENT_KEYS`, the parent's own ``doc_key``: :func:`keyed_doc_id`), which push
    sends. Its passages record that, and what, was masked (:func:`passage_redaction`).
    """
    from dataclasses import replace

    record = ingest_record(redactor.settings)
    for doc in docs:
        redaction = IngestRedaction(
            record, redactor, parent_column=parent_column, id_prefix=id_prefix
        )
        yield replace(doc, redaction=redaction)


def ingest_masking_said(at_ingest: dict[str, Any], exported: int | None = None) -> str:
    """The manifest's ``redaction.at_ingest`` (:func:`ingest_summary`) in words: how many
    rows went through masking at ingest (of ``exported``, when given) and how many of them
    had anything masked in their text, with the placeholders by kind. Every row of an
    ``ingest --redact`` run goes through masking, most have nothing to mask: "11 were
    masked" for 3 rows holding a placeholder read as 11 rows of personal data (passH53 H5).
    A manifest without ``rows_with_a_placeholder`` (an older export) gets the placeholders
    alone."""
    rows = at_ingest.get("rows")
    head = f"{rows} of {exported} passage(s)" if exported is not None else f"{rows} row(s)"
    kinds = at_ingest.get("masked_in_text") or {}
    placed = ", ".join(f"{k} {v}" for k, v in kinds.items() if v) or "none"
    with_one = at_ingest.get("rows_with_a_placeholder")
    if with_one is None:
        return f"{head} went through masking at ingest; placeholders in their text: {placed}"
    if not with_one:
        return f"{head} went through masking at ingest; none of them had anything to mask"
    return (
        f"{head} went through masking at ingest; {with_one} of them had personal data "
        f"masked in their text (placeholders: {placed})"
    )


def ingest_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The manifest's ``redaction.at_ingest``: how many exported rows were redacted at
    ingest (their ``ingest_redaction``), with which settings, and the placeholders in
    their text by kind. ``ran: false`` when no row was."""
    records = [json.loads(r["ingest_redaction"]) for r in rows if r.get("ingest_redaction")]
    if not records:
        return {"ran": False}
    settings: list[dict[str, Any]] = []
    masked: dict[str, int] = {}
    for rec in records:
        # per passage, not settings: its placeholders, its document's id and key, its
        # thread's and author's pseudonyms (one settings entry per author before stop 55)
        per_row = ("masked_in_text", SHOWN_DOC_ID, DOC_KEY, CONTEXT_KEYS)
        s = {k: v for k, v in rec.items() if k not in per_row}
        if s not in settings:
            settings.append(s)
        for kind, n in (rec.get("masked_in_text") or {}).items():
            masked[kind] = masked.get(kind, 0) + int(n)
    return {
        "ran": True,
        "rows": len(records),
        "rows_not_redacted_at_ingest": len(rows) - len(records),
        "settings": settings,
        "masked_in_text": masked,
        "rows_with_a_placeholder": sum(any(r.get("masked_in_text", {}).values()) for r in records),
    }
