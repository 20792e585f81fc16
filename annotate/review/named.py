"""How a reviewer is named to the lead at the terminal: the pseudonym (as the corpus,
the webhook and every JSON report name them) with the account's e-mail beside it where
known. Only the CLI's terminal lines use it; nothing written to a file or posted does."""

from __future__ import annotations

from collections.abc import Mapping


def with_email(pseudonym: str, emails: Mapping[str, str | None] | None) -> str:
    """``r-… (ana@example.org)`` when ``emails`` (pseudonym -> e-mail; None: not known, or
    an account removed from the organization) has one for ``pseudonym``, else the
    pseudonym alone."""
    email = (emails or {}).get(pseudonym)
    return f"{pseudonym} ({email})" if email else pseudonym
