"""The placeholders that stand for masked values, and their numbers in a document.

A placeholder names the kind of value it hides (``[EMAIL]``, ``[PHONE]``, ``[USER_URL]``,
``[HANDLE]``, ``[HOME_USER]``: the user name of a home folder's path,
``/home/[HOME_USER-1]/``). Numbered (the default, :class:`Numbering`), it also tells the
document's values apart: ``[EMAIL-1]``, ``[EMAIL-2]``, the same value the same number wherever it is
in the document; numbers start again in each document, so they link nothing across
documents. File names take the plain forms (:data:`PLAIN`). What finds the values is
:mod:`annotate.audit.redact`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# "home_user" came last (2026-12-06): records made before hold the first four only
# "name" and "address" (detection revision 7, 2026-12-07) after it
KINDS = ("email", "phone", "user_url", "handle", "home_user", "name", "address")
PLACEHOLDERS = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "user_url": "[USER_URL]",
    "handle": "[HANDLE]",
    "home_user": "[HOME_USER]",
    "name": "[NAME]",
    "address": "[ADDRESS]",
}
NUMBERED = "-n]"  # a numbered placeholder as the record names it: "[EMAIL-n]"
# any placeholder, numbered or not ("[EMAIL]", "[PHONE-2]"): the forms of PLACEHOLDERS
ANY_PLACEHOLDER = re.compile(
    r"\[(?:" + "|".join(re.escape(p.strip("[]")) for p in PLACEHOLDERS.values()) + r")(?:-\d+)?\]"
)
DEFAULT_PHONE_REGIONS = ("US", "GB")


class Numbering:
    """The numbers of one document's placeholders: each distinct value of a kind gets the
    next number of that kind as first met (``[EMAIL-1]``, ``[EMAIL-2]``). A value is
    compared as the reader would: an e-mail address, handle or URL in lower case, a phone
    number as the number it is (``+44 20 7946 0958``, ``+442079460958`` and, with ``GB``
    among ``regions``, ``020 7946 0958`` are one: :func:`_phone_key`). With
    ``url_without_scheme`` (settings that mask ``twitter.com/jane`` too), a user URL is
    compared without its scheme, ``www.`` and a last ``/``: ``https://twitter.com/jane``
    and ``twitter.com/jane`` are one."""

    def __init__(
        self,
        regions: Sequence[str] = DEFAULT_PHONE_REGIONS,
        url_without_scheme: bool = False,
        url_key: Callable[[str], str] | None = None,
    ) -> None:
        self._regions = tuple(regions)
        self._url_without_scheme = url_without_scheme
        # how a user URL is compared with ``url_without_scheme`` (default: url_key; the
        # redactor's revision 2 also reads mobile.twitter.com/jane as twitter.com/jane)
        self._url_key = url_key
        self._numbers: dict[tuple[str, str], int] = {}
        self._counts: dict[str, int] = {}
        # E.164 of the numbers the document writes with +country (masked): their national
        # forms are masked too, in its later text and fields (redact.national_forms)
        self.international: set[str] = set()
        # the digits of the phone numbers masked in the document's fields (its text, title,
        # source, meta; with revision 6, those of its other fields gathered before its text
        # is masked): the same number as an account id in a user URL left as written is
        # masked too (redact.Redactor.find; break10 B6)
        self.numbers: set[str] = set()

    def after(self, text: str) -> None:
        """Number new values after the numbered placeholders already in ``text`` (a
        passage masked at ingest: a value export finds in a comment is not claimed to be
        its ``[EMAIL-1]``; a document that already holds ``[EMAIL-1]``, a masked copy
        read again: its first new address is ``[EMAIL-2]``, not a second ``[EMAIL-1]``)."""
        for m in _NUMBERED_IN.finditer(text):
            kind = _KIND_OF[m.group(1)]
            self._counts[kind] = max(self._counts.get(kind, 0), int(m.group(2)))

    def placeholder(self, kind: str, value: str) -> str:
        if kind == "phone":
            key = (kind, _phone_key(value, self._regions))
        elif kind == "user_url" and self._url_without_scheme:
            key = (kind, (self._url_key or url_key)(value))
        else:
            key = (kind, _value_key(value))
        if key not in self._numbers:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._numbers[key] = self._counts[kind]
        return PLACEHOLDERS[kind].replace("]", f"-{self._numbers[key]}]")


_KIND_OF = {p.strip("[]"): kind for kind, p in PLACEHOLDERS.items()}
_NUMBERED_IN = re.compile(r"\[(" + "|".join(_KIND_OF) + r")-(\d+)\]")


class _Plain(Numbering):
    """Plain placeholders (``[EMAIL]``) whatever the settings: for file names, which
    name files across documents (``inbox/[EMAIL]``), not one document's values."""

    def placeholder(self, kind: str, value: str) -> str:
        return PLACEHOLDERS[kind]


PLAIN: Numbering = _Plain()


def _value_key(value: str) -> str:
    return value.strip().lower().lstrip("@")


def url_key(value: str) -> str:
    """A URL as compared without its scheme: ``HTTPS://www.Twitter.com/jane/`` ->
    ``twitter.com/jane``."""
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value.strip().lower())
    return url.removeprefix("www.").rstrip("/")


def _phone_key(value: str, regions: Sequence[str]) -> str:
    """A phone number as E.164 (``+442079460958``): read with ``+country`` as written,
    else in the first of ``regions`` where its length is possible; its digits when it
    cannot be read so."""
    import phonenumbers

    for region in (None,) if value.lstrip().startswith("+") else regions:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if region is None or phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return "".join(c for c in value if c.isdigit())
